"""Done when: PCD 279's public page and PDF come from the version the DMPC signed; a paragraph,
signature or log row changed in the database (raw SQL, triggers off) is reported by verify_audit
and reaches neither; `verify_pdf` on the downloaded pcd-279.pdf says it is PCD 279 as signed,
and on the same file with one byte changed says it is not; the public "Check a document" page
says the same, for a file or a SHA-256."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from audit import keys
from decisions.models import Decision, SignatureKind
from decisions.roles import Role
from demo.loader import load_demo
from register.caching import MAX_AGE
from tests.audit.helpers import as_dba, verify_audit_error

TAMPERED = "The DMPC approved a transfer of £10m to an unnamed account."


@pytest.fixture
def pcd_279(db: None, django_user_model: Any) -> Decision:
    cache.clear()
    _, published, _ = load_demo()
    governance = django_user_model.objects.get(groups__name=Role.GOVERNANCE.value)
    governance.email = "governance@example.org"
    governance.save()
    return published


@pytest.fixture
def rendered(pcd_279: Decision) -> Decision:
    """PCD 279 with its PDFs, rendered as `make run` renders them."""
    call_command("render_documents", "--decision", "PCD 279", "--sync", stdout=StringIO())
    return pcd_279


def _download(client: Client) -> bytes:
    response = client.get("/decisions/pcd-279.pdf")
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _verify_pdf(path: Path, *extra: str) -> str:
    out = StringIO()
    call_command("verify_pdf", str(path), *extra, stdout=out)
    return out.getvalue()


def _first_paragraph_id(decision: Decision) -> int:
    paragraph = decision.paragraphs.order_by("section__number", "position").first()
    assert paragraph is not None
    return int(paragraph.pk)


def test_verify_pdf_says_the_download_is_pcd_279_as_signed_and_a_changed_byte_is_not(
    rendered: Decision, client: Client, tmp_path: Path
) -> None:
    pdf = _download(client)
    path = tmp_path / "pcd-279.pdf"
    path.write_bytes(pdf)
    key = tmp_path / "pcd-signing-key.pem"
    key.write_bytes(client.get("/decisions/signing-key.pem").content)
    said = _verify_pdf(path, "--key", str(key))
    assert said.startswith("pcd-279.pdf is PCD 279 – Financial Reporting 2017/18")
    assert "signed off 2017-10-25" in said
    assert "as signed and published" in said
    # One byte changed: in the pages, near the end, in the seal itself.
    for index in (len(pdf) // 2, len(pdf) - 40, pdf.index(b"PCDSEAL1.") + 40):
        changed = bytearray(pdf)
        changed[index] = (changed[index] + 1) % 256
        path.write_bytes(bytes(changed))
        with pytest.raises(CommandError, match=r"pcd-279\.pdf is NOT a decision as signed"):
            _verify_pdf(path, "--key", str(key))
    # The right file, but checked against a key that did not seal it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path.write_bytes(pdf)
    key.write_bytes(keys.public_pem(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(CommandError, match="not signed by the server key"):
        _verify_pdf(path, "--key", str(key))


def test_check_page_names_the_decision_and_refuses_a_changed_file(
    rendered: Decision, client: Client
) -> None:
    pdf = _download(client)
    page = client.get("/decisions/check/")
    assert "Check a document" in page.content.decode()
    answer = client.post(
        "/decisions/check/", {"pdf": SimpleUploadedFile("pcd-279.pdf", pdf, "application/pdf")}
    ).content.decode()
    assert "This is PCD 279 as signed and published" in answer
    assert "Signed off by the DMPC on 25 October 2017." in answer
    by_hash = client.post("/decisions/check/", {"sha256": hashlib.sha256(pdf).hexdigest()})
    assert "This is PCD 279 as signed and published" in by_hash.content.decode()
    assert "Published on 25 October 2017." in by_hash.content.decode()

    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    answer = client.post(
        "/decisions/check/",
        {"pdf": SimpleUploadedFile("pcd-279.pdf", bytes(changed), "application/pdf")},
    ).content.decode()
    assert "This file is not a decision as signed and published" in answer
    assert "Its seal names PCD 279" in answer
    unknown = client.post("/decisions/check/", {"sha256": hashlib.sha256(changed).hexdigest()})
    assert "No decision published here has this SHA-256" in unknown.content.decode()


def test_check_page_asks_for_a_file_or_a_sha256(pcd_279: Decision, client: Client) -> None:
    empty = client.post("/decisions/check/", {}).content.decode()
    assert "Select a PDF, or enter its SHA-256" in empty
    bad = client.post("/decisions/check/", {"sha256": "abc"}).content.decode()
    assert "Enter a SHA-256 in the correct format" in bad


def test_changed_paragraph_reaches_neither_the_page_nor_the_pdf(
    rendered: Decision, client: Client, tmp_path: Path
) -> None:
    before = _download(client)
    with as_dba("decisions_paragraph") as cursor:
        cursor.execute(
            "UPDATE decisions_paragraph SET text = %s WHERE id = %s",
            [TAMPERED, _first_paragraph_id(rendered)],
        )
    assert "PCD 279 paragraph 1.1 differs from what the DMPC signed" in verify_audit_error()
    page = client.get("/decisions/pcd-279/").content.decode()
    assert TAMPERED not in page
    assert "Financial Reporting 2017/18" in page
    # Governance is told once, however often the page is read.
    client.get("/decisions/pcd-279/")
    alerts = [m for m in mail.outbox if "differs from what the DMPC signed" in m.subject]
    assert [m.to for m in alerts] == [["governance@example.org"]]
    # render_documents does not re-publish the changed content.
    call_command("render_documents", "--decision", "PCD 279", "--sync", stdout=StringIO())
    after = _download(client)
    assert after == before
    path = tmp_path / "pcd-279.pdf"
    path.write_bytes(after)
    assert "is PCD 279" in _verify_pdf(path)


def test_changed_signature_or_log_row_does_not_reach_the_page(
    rendered: Decision, client: Client
) -> None:
    signature = rendered.signatures.get(kind=SignatureKind.DMPC_DECISION)
    client.get("/decisions/pcd-279/")  # kept, as a reader's view before the change keeps it
    with as_dba("decisions_signature", "decisions_transitionlog") as cursor:
        cursor.execute(
            "UPDATE decisions_signature SET signer_name = %s WHERE id = %s",
            ["A Governance Officer", signature.pk],
        )
        cursor.execute(
            "UPDATE decisions_transitionlog SET actor_name = %s WHERE decision_id = %s "
            "AND transition = 'sign_off'",
            ["A Governance Officer", rendered.pk],
        )
    assert "PCD 279 signature #2 (DMPC decision) changed: signer_name" in verify_audit_error()
    assert "A Governance Officer" not in client.get("/decisions/pcd-279/").content.decode()
    # Within the page's max-age the change is found and the page says so.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=MAX_AGE + 1)):
        page = client.get("/decisions/pcd-279/").content.decode()
    assert "A Governance Officer" not in page
    assert "could not be verified" in page
    call_command("render_documents", "--decision", "PCD 279", "--sync", stdout=StringIO())
    assert b"A Governance Officer" not in _download(client)


def test_public_page_reads_the_signed_version(pcd_279: Decision, client: Client) -> None:
    page = client.get("/decisions/pcd-279/").content.decode()
    signed = pcd_279.signatures.get(kind=SignatureKind.DMPC_DECISION).version.content
    first = signed["part_one"][0]["paragraphs"][0]["text"].split("\n")[0][:60]
    assert escape(first) in page
    assert "Check that a PDF is this decision as signed and published" in page


def test_register_lists_the_signed_title(pcd_279: Decision, client: Client) -> None:
    with as_dba("decisions_decision") as cursor:
        cursor.execute(
            "UPDATE decisions_decision SET title = %s WHERE id = %s", ["Rewritten", pcd_279.pk]
        )
    register = client.get("/decisions/").content.decode()
    assert "Financial Reporting 2017/18" in register
    assert "Rewritten" not in register
    page = client.get("/decisions/pcd-279/").content.decode()
    assert "Rewritten" not in page


def test_changed_annex_figure_reaches_no_public_table(pcd_279: Decision, client: Client) -> None:
    """The annex tables are read from the live rows: once one differs from what was signed, no
    table is shown, served as CSV or given by the API (the PDF carries them as signed). The page
    kept from before the change shows the tables as they were checked, for at most its max-age."""
    from finance.models import AnnexRow

    row = AnnexRow.objects.filter(table__annex__decision=pcd_279).order_by("pk").first()
    assert row is not None
    assert "Table 1." in client.get("/decisions/pcd-279/").content.decode()
    with as_dba("finance_annexrow") as cursor:
        cursor.execute(
            "UPDATE finance_annexrow SET cells = %s WHERE id = %s",
            ['["987654321"]', row.pk],
        )
    kept = client.get("/decisions/pcd-279/").content.decode()
    assert "987654321" not in kept and "987,654,321" not in kept
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=MAX_AGE + 1)):
        page = client.get("/decisions/pcd-279/").content.decode()
    assert "987654321" not in page and "987,654,321" not in page
    assert "The finance tables of this decision are being checked" in page
    assert any("differs from what the DMPC signed" in m.subject for m in mail.outbox)
    assert client.get("/decisions/pcd-279/annex-1/table-1.csv").status_code == 404
    assert client.get("/decisions/pcd-279/annex-1.csv").status_code == 404
    assert client.get("/api/decisions/pcd-279/").json()["annexes"] == []
