"""check_annex and import_annex, as finance teams and the demo use them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from decisions.models import Decision
from decisions.states import Status
from finance.models import Annex
from finance.seed import PCD_279_ANNEX, PCD_279_DIR, PCD_279_FILES
from tests.finance.conftest import edited_bytes
from tests.finance.test_checks import EXPECTED_REPORT

SEED_PATHS = [str(PCD_279_DIR / name) for name in PCD_279_FILES]


def run(*args: str) -> tuple[int, str, str]:
    """The command's exit status, standard output and error message."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def text_line(
    table: str, row: str, column: str, expected: str, found: str, kind: str, check: str
) -> str:
    shown = "ERROR" if kind == "error" else kind
    return f"{shown:<8}  {table} › {row} › {column}: expected {expected}, found {found}  ({check})"


def test_check_annex_reports_the_seed_files_as_text() -> None:
    status, out, message = run("check_annex", *SEED_PATHS)

    assert out.splitlines() == [
        *(text_line(*line) for line in EXPECTED_REPORT),
        "43 findings: 1 error, 42 rounding.",
    ]
    assert (status, message) == (1, "1 error.")


def test_check_annex_prints_one_json_object_per_finding() -> None:
    status, out, _ = run("check_annex", "--format", "json", *SEED_PATHS)

    objects = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert all(list(o) == ["table", "row", "column", "expected", "found", "kind"] for o in objects)
    assert [tuple(o.values()) for o in objects] == [line[:6] for line in EXPECTED_REPORT]


def test_check_annex_exits_0_when_nothing_is_an_error() -> None:
    status, out, _ = run("check_annex", str(PCD_279_DIR / "revenue_position.csv"))

    assert status == 0
    assert out.splitlines()[-1] == "2 findings: 0 errors, 2 rounding."


def test_check_annex_takes_the_kind_when_given(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((PCD_279_DIR / "savings.csv").read_bytes())

    assert run("check_annex", "--kind", "savings", str(path))[0] == 0
    status, _, message = run("check_annex", "--kind", "reserves", str(path))
    assert status == 2
    assert (
        "export.csv: Column 2, “Planned Saving (£m)”, is not a column of a reserves table."
        in message
    )


def test_check_annex_exits_2_on_a_bad_file_naming_the_place(tmp_path: Path) -> None:
    path = tmp_path / "capital_position.csv"
    path.write_bytes(edited_bytes("capital_position.csv", "159.3,12.5,", "159.3,12.5x,"))

    status, out, message = run("check_annex", str(path))

    assert (status, out) == (2, "")
    assert message == f"{path}: Row 2, column “Actual to Date (£m)”: “12.5x” is not a number."


def test_check_annex_exits_2_on_a_missing_file() -> None:
    status, _, message = run("check_annex", "no-such-file.csv")

    assert status == 2 and "no-such-file.csv" in message


def test_check_annex_needs_files_or_a_decision() -> None:
    assert run("check_annex")[0] == 2


@pytest.fixture
def pcd_279(make_decision: Any) -> Decision:
    """A published request with the reference 279 and no annex yet."""
    decision = make_decision(Status.PUBLISHED)
    Decision.objects.filter(pk=decision.pk).update(reference_number=279)
    found: Decision = Decision.objects.get(pk=decision.pk)
    return found


def test_import_annex_historic_then_check_annex_by_decision(pcd_279: Decision) -> None:
    status, out, _ = run(
        "import_annex",
        "--historic",
        "--decision",
        "PCD 279",
        "--title",
        PCD_279_ANNEX["title"],
        "--period",
        PCD_279_ANNEX["reporting_period"],
        *SEED_PATHS,
    )
    assert status == 0
    assert "has 10 tables" in out.splitlines()[0]
    assert out.splitlines()[-1].startswith("Checks: 43 findings, 1 error ")

    status, out, _ = run("check_annex", "--decision", "PCD 279", "--format", "json")
    assert status == 1
    assert [tuple(json.loads(line).values()) for line in out.splitlines()] == [
        line[:6] for line in EXPECTED_REPORT
    ]

    status, out, _ = run("check_annex", "--decision", "pcd-279")
    assert out.splitlines()[0] == (
        f"{pcd_279}, annex “{PCD_279_ANNEX['title']}” ({PCD_279_ANNEX['reporting_period']})"
    )
    assert out.splitlines()[1:] == [
        *(text_line(*line) for line in EXPECTED_REPORT),
        "43 findings: 1 error, 42 rounding.",
    ]


def test_import_annex_as_an_officer_refuses_a_published_decision(
    pcd_279: Decision, officer: Any
) -> None:
    status, _, message = run(
        "import_annex", "--decision", "PCD 279", "--user", officer.username,
        "--title", "Annex", "--period", "Q1", *SEED_PATHS,
    )  # fmt: skip

    assert status == 1
    assert "can no longer be changed" in message
    assert not Annex.objects.exists()


def test_import_annex_as_the_drafting_officer(draft: Decision, officer: Any) -> None:
    status, out, _ = run(
        "import_annex", "--decision", f"id:{draft.pk}", "--user", officer.username,
        "--title", "Finance annex", "--period", "Quarter 1 2018/19", *SEED_PATHS,
    )  # fmt: skip

    assert status == 0, out
    annex = draft.annexes.get()
    assert (annex.title, annex.tables.count()) == ("Finance annex", 10)


def test_import_annex_keeps_nothing_when_one_file_is_bad(
    draft: Decision, officer: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "savings.csv"
    bad.write_bytes(edited_bytes("savings.csv", "-61.3", "lots"))

    status, _, message = run(
        "import_annex", "--decision", f"id:{draft.pk}", "--user", officer.username,
        "--title", "Finance annex", "--period", "Quarter 1", *SEED_PATHS[:3], str(bad),
    )  # fmt: skip

    assert status == 1
    assert message == "savings.csv: Row 2, column “Planned Saving (£m)”: “lots” is not a number."
    assert not Annex.objects.exists()


def test_import_annex_needs_a_user_unless_historic(draft: Decision) -> None:
    status, _, message = run("import_annex", "--decision", f"id:{draft.pk}", *SEED_PATHS)

    assert status == 2 and "--user" in message
