"""manage.py import_decisions: the back catalogue, as published, read-only, imported records."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from decisions.models import Decision, ReferenceCounter
from decisions.permissions import can_edit_decision
from decisions.states import Status
from register.models import RegisterEntry
from tests.pages.helpers import text_of, use_plain_static_storage

pytestmark = pytest.mark.django_db

CSV = """\
reference,title,date_signed,date_published,summary,decision_maker,pdf_url
PCD 101,Violence Against Women and Girls strategy refresh,2017-03-01,2017-03-08,\
The DMPC approves the refreshed strategy.,Deputy Mayor for Policing and Crime,\
https://www.london.gov.uk/pcd-101.pdf
PCD 102,Body worn video: second phase,02/04/2017,10/04/2017,\
Funding for body worn video.,Mayor of London,
"""


def run(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_decisions", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


def test_import_creates_published_read_only_records_once(tmp_path: Path, client: Client) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")

    out, _ = run(path)
    assert "line 2 (PCD 101): imported" in out
    assert "line 3 (PCD 102): imported" in out
    assert "2 imported, 0 skipped" in out
    decision = Decision.objects.get(reference_number=101)
    assert decision.status == Status.PUBLISHED
    assert f"{decision.published_at:%Y-%m-%d}" == "2017-03-08"
    entry = RegisterEntry.objects.get(decision=decision)
    assert entry.imported
    assert entry.source_pdf_url == "https://www.london.gov.uk/pcd-101.pdf"
    assert RegisterEntry.objects.get(decision__reference_number=102).decision_maker == (
        "Mayor of London"
    )
    assert not can_edit_decision(decision.author, decision)
    assert not decision.author.is_active
    assert ReferenceCounter.objects.get(prefix="PCD").last_number >= 102

    out, _ = run(path)  # twice: nothing added twice
    assert "line 2 (PCD 101): skipped: already imported." in out
    assert "0 imported, 2 skipped" in out
    assert Decision.objects.filter(reference_number__in=[101, 102]).count() == 2

    register = text_of(client.get("/decisions/"))
    assert "PCD 101: Violence Against Women and Girls strategy refresh" in register
    assert "From the archive: PDF of PCD 101 as first published" in register
    html = client.get("/decisions/").content.decode()
    assert 'href="https://www.london.gov.uk/pcd-101.pdf"' in html
    assert client.get("/decisions/pcd-102/").status_code == 200


def test_bad_rows_are_reported_by_line_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps(
            [
                {
                    "reference": "PCD 7",
                    "title": "Good",
                    "date_signed": "2016-01-02",
                    "date_published": "2016-01-05",
                },
                {
                    "reference": "ABC",
                    "title": "",
                    "date_signed": "31/02/2016",
                    "date_published": "2016-01-05",
                    "pdf_url": "javascript:alert(1)",
                },
                {
                    "reference": "8",
                    "title": "Backwards",
                    "date_signed": "2016-02-02",
                    "date_published": "2016-01-05",
                },
            ]
        ),
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 imported, 0 skipped .* 2 with errors"):
        call_command("import_decisions", str(path), stdout=out, stderr=err)
    errors = err.getvalue()
    assert "line 2 (ABC): error: The reference must be a PCD number" in errors
    assert "Enter a title." in errors
    assert "Enter the date signed as YYYY-MM-DD or DD/MM/YYYY." in errors
    assert "The PDF link must start with http:// or https://." in errors
    assert "line 3 (8): error: The date published cannot be before the date signed." in errors
    assert "Traceback" not in errors
    assert list(Decision.objects.values_list("reference_number", flat=True)) == [7]


def test_an_unreadable_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON"):
        run(path)
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")


def test_a_pdf_file_beside_the_export_is_kept(tmp_path: Path, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    (tmp_path / "pcd-5.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "notes.pdf").write_bytes(b"not a pdf")
    path = tmp_path / "export.csv"
    path.write_text(
        "reference,title,date_signed,date_published,pdf_file\n"
        "5,Old decision,2015-05-01,2015-05-02,pcd-5.pdf\n"
        "6,Other,2015-05-01,2015-05-02,notes.pdf\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        run(path)
    entry = RegisterEntry.objects.get(decision__reference_number=5)
    assert entry.source_pdf.read() == b"%PDF-1.4\n%%EOF\n"
    assert not Decision.objects.filter(reference_number=6).exists()
