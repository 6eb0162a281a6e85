"""The PCD 279 finance tables as the finance tests use them, and ways to change them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from decisions.models import Decision
from finance import services
from finance.importing import parse_table
from finance.models import Annex
from finance.seed import PCD_279_ANNEX, PCD_279_DIR, PCD_279_FILES
from finance.tables import TableData
from tests.factories import make_complete_draft


def seed_bytes(name: str) -> bytes:
    """One of PCD 279's published tables, as vendored (a test checks the bytes)."""
    return (PCD_279_DIR / name).read_bytes()


def seed_rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(seed_bytes(name).decode("utf-8"), newline="")))


def to_csv(rows: list[list[str]]) -> bytes:
    """Rows as a spreadsheet writes them (and as the seed files are): CRLF line ends."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def change_figure(name: str, label: str, column: str, by: Decimal) -> bytes:
    """The seed file with one figure changed, everything else byte for byte as published."""
    rows = seed_rows(name)
    header = rows[0]
    col = header.index(column)
    label_col = 1 if header[0] == "section" else 0
    hits = [row for row in rows[1:] if row[label_col] == label]
    assert len(hits) == 1, f"{label} is not one row of {name}"
    hits[0][col] = str(Decimal(hits[0][col]) + by)
    return to_csv(rows)


def edited_bytes(name: str, old: str, new: str) -> bytes:
    """The seed file with its first `old` replaced by `new`."""
    text = seed_bytes(name).decode("utf-8")
    assert old in text, f"{old!r} is not in {name}"
    return text.replace(old, new, 1).encode("utf-8")


def seed_tables(**replaced: bytes) -> list[TableData]:
    """The ten tables parsed in the document's order; `replaced` swaps a file's contents."""
    return [parse_table(name, replaced.get(name) or seed_bytes(name)) for name in PCD_279_FILES]


def to_xlsx(rows: list[list[str]], *, formats: bool = True) -> bytes:
    """A workbook as an officer's spreadsheet holds the table: figures as numbers shown to the
    published precision, percentages as percentages, text as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if r == 1 or text == "":
                cell.value = text or None
            elif text.endswith("%"):
                cell.value = float(Decimal(text[:-1]) / 100)
                cell.number_format = "0%"
            else:
                try:
                    number = Decimal(text)
                except ArithmeticError:
                    cell.value = text
                    continue
                if number == number.to_integral_value() and "." not in text:
                    cell.value = int(number)
                else:
                    cell.value = float(number)
                    if formats:
                        cell.number_format = "#,##0.0"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def draft(officer: Any) -> Decision:
    return make_complete_draft(officer, title="Financial Reporting 2018/19 - Quarter 1")


@pytest.fixture
def annex(draft: Decision, officer: Any) -> Annex:
    return services.annex_create(
        decision=draft,
        user=officer,
        title=PCD_279_ANNEX["title"],
        reporting_period=PCD_279_ANNEX["reporting_period"],
        unit=PCD_279_ANNEX["unit"],
    )


@pytest.fixture
def seeded_annex(annex: Annex, officer: Any) -> Annex:
    """The annex with the ten PCD 279 tables imported, as an officer would upload them."""
    for name in PCD_279_FILES:
        services.table_import(annex=annex, user=officer, name=name, data=seed_bytes(name))
    return annex


@pytest.fixture
def import_file(annex: Annex, officer: Any) -> Callable[..., Any]:
    def run(name: str, data: bytes, **kwargs: Any) -> Any:
        return services.table_import(annex=annex, user=officer, name=name, data=data, **kwargs)

    return run
