"""Hostile input through every text field of the staff forms and every upload: HTML, script, CSS,
template and SQL injection, file: and http: URLs, bidi overrides, zero-width text, NUL, 100,000
characters, spreadsheet formulas. Each is stored exactly as typed and shown escaped, or refused
with a message; never a 500. Text that prints nothing is refused as if empty; bidi overrides do
not reverse printed text; nothing is fetched; an upload over the limit is refused from its
Content-Length before its body is read."""

from __future__ import annotations

import csv
import io
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from decisions import services as workflow
from decisions.models import Decision, Paragraph, PartTwo, Recommendation, TransitionLog
from decisions.states import Status
from decisions.text import is_blank, without_bidi_controls
from documents import content
from documents.attachments import table_csv
from documents.models import DocumentKind
from finance import services as finance_services
from finance.models import Annex, AnnexTable
from tests.documents.helpers import listening_socket, page_texts, squash
from tests.factories import make_complete_draft
from tests.finance.conftest import seed_rows, to_csv
from tests.pages.helpers import error_summary, use_plain_static_storage

RLO, PDF_POP, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def corpus(port: int = 9) -> dict[str, str]:
    """Text that attacks a page, a PDF, a template, the database or a spreadsheet."""
    return {
        "html": '<b>bold</b><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>',
        "script": '<script>alert("pwned")</script></textarea><script>alert(3)</script>',
        "css": '<style>body{display:none}</style><p style="position:fixed">x</p>',
        "template": "{{ settings.SECRET_KEY }} {% debug %} {{7*7}} ${7*7} #{7*7} {0} %s",
        "sql": "Robert'); DROP TABLE decisions_decision;-- \" OR 1=1 --",
        "file_url": "file:///etc/passwd <link rel=attachment href=file:///etc/passwd>",
        "http_url": f'http://127.0.0.1:{port}/x <img src="http://127.0.0.1:{port}/y">',
        "bidi": f"Pay {RLO}REILPPUS{PDF_POP} £1,000 and {LRI}nested{PDI} text",
        "zero_width": f"Gr{ZERO_WIDTH}ants",
        "formula_eq": '=HYPERLINK("http://example.invalid","click")',
        "formula_plus": "+1+cmd|' /C calc'!A0",
        "formula_minus": "-2+3",
        "formula_at": "@SUM(A1:A9)",
    }


NUL = "Before\x00after"
HUGE = "x" * 100_000
INVISIBLE_ONLY = ZERO_WIDTH + " \u3164"


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


@pytest.fixture
def annex(officer: Any) -> Annex:
    return finance_services.annex_create(
        decision=make_complete_draft(officer),
        user=officer,
        title="Finance annex",
        reporting_period="Quarter 1 2017/18",
        unit="£m",
    )


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass(frozen=True)
class TextField:
    """A text box of a staff form: how to post a value to it, and where it is stored and shown."""

    name: str
    url: Callable[[Decision], str]
    data: Callable[[Decision, str], dict[str, Any]]
    stored: Callable[[Decision], str]
    shown_at: Callable[[Decision], str]
    max_length: int = 20_000
    required: bool = True


def _paragraph(decision: Decision) -> Paragraph:
    found = Paragraph.objects.filter(decision=decision).order_by("-pk").first()
    assert found is not None
    return found


def _deferred(decision: Decision, text: str) -> dict[str, Any]:
    until = timezone.localdate() + timezone.timedelta(days=30)
    return {
        "publication_deferred": "yes",
        "deferral_reason": text,
        # The Design System's date input: day, month, year.
        "deferred_until_0": str(until.day),
        "deferred_until_1": str(until.month),
        "deferred_until_2": str(until.year),
        "has_part_two": "no",
    }


def _annex(decision: Decision) -> Annex:
    found = Annex.objects.filter(decision=decision).order_by("-pk").first()
    assert found is not None
    return found


def _staff_page(decision: Decision) -> str:
    return reverse("staff:decision", args=[decision.pk])


FIELDS = [
    TextField(
        "title",
        lambda d: reverse("staff:edit_summary", args=[d.pk]),
        lambda d, text: {"title": text, "executive_summary": ""},
        lambda d: Decision.objects.get(pk=d.pk).title,
        _staff_page,
        max_length=250,
    ),
    TextField(
        "executive summary",
        lambda d: reverse("staff:edit_summary", args=[d.pk]),
        lambda d, text: {"title": "A title", "executive_summary": text},
        lambda d: Decision.objects.get(pk=d.pk).executive_summary,
        _staff_page,
        required=False,
    ),
    TextField(
        "paragraph",
        lambda d: reverse("staff:edit_section", args=[d.pk, 1]),
        lambda d, text: {"heading": "", "text": text, "before": ""},
        lambda d: _paragraph(d).text,
        _staff_page,
    ),
    TextField(
        "paragraph sub-heading",
        lambda d: reverse("staff:edit_section", args=[d.pk, 1]),
        lambda d, text: {"heading": text, "text": "A paragraph.", "before": ""},
        lambda d: _paragraph(d).heading,
        _staff_page,
        max_length=200,
        required=False,
    ),
    TextField(
        "recommendation",
        lambda d: reverse("staff:edit_recommendations", args=[d.pk]),
        lambda d, text: {"text": text},
        lambda d: Recommendation.objects.filter(decision=d).order_by("-pk")[0].text,
        _staff_page,
    ),
    TextField(
        "reason for deferring",
        lambda d: reverse("staff:edit_public_access", args=[d.pk]),
        _deferred,
        lambda d: Decision.objects.get(pk=d.pk).deferral_reason,
        _staff_page,
        required=False,  # required only when deferring; the form says so itself
    ),
    TextField(
        "Part 2 facts and advice",
        lambda d: reverse("staff:edit_part_two", args=[d.pk]),
        lambda d, text: {"facts_and_advice": text, "exemption_rationale": "s31"},
        lambda d: PartTwo.objects.get(decision=d).facts_and_advice,
        lambda d: reverse("staff:part_two", args=[d.pk]),
    ),
    TextField(
        "Part 2 exemption",
        lambda d: reverse("staff:edit_part_two", args=[d.pk]),
        lambda d, text: {"facts_and_advice": "Confidential.", "exemption_rationale": text},
        lambda d: PartTwo.objects.get(decision=d).exemption_rationale,
        lambda d: reverse("staff:part_two", args=[d.pk]),
    ),
    TextField(
        "annex title",
        lambda d: reverse("finance:annexes", args=[d.pk]),
        lambda d, text: {"title": text, "reporting_period": "Quarter 1", "unit": "£m"},
        lambda d: _annex(d).title,
        lambda d: reverse("finance:annexes", args=[d.pk]),
        max_length=250,
    ),
    TextField(
        "annex reporting period",
        lambda d: reverse("finance:annexes", args=[d.pk]),
        lambda d, text: {"title": "Annex", "reporting_period": text, "unit": "£m"},
        lambda d: _annex(d).reporting_period,
        lambda d: reverse("finance:annexes", args=[d.pk]),
        max_length=100,
    ),
]


def _fits(field: TextField, text: str) -> bool:
    return len(text) <= field.max_length


@pytest.mark.parametrize("field", FIELDS, ids=[f.name for f in FIELDS])
def test_hostile_text_is_stored_as_typed_and_shown_escaped(field: TextField, officer: Any) -> None:
    decision = make_complete_draft(officer)
    client = _signed_in(officer)
    for name, text in corpus().items():
        if not _fits(field, text):
            continue
        response = client.post(field.url(decision), field.data(decision, text))
        assert response.status_code == 302, (name, error_summary(response))
        assert field.stored(decision) == text, name
        page = client.get(field.shown_at(decision))
        assert page.status_code == 200
        html = page.content.decode()
        assert escape(text) in html, name
        for raw in ("<script>alert", "<img src=", "<style>body", '<p style="', "<b>bold"):
            assert raw not in html, (name, raw)


@pytest.mark.parametrize("field", FIELDS, ids=[f.name for f in FIELDS])
def test_nul_and_over_long_text_are_refused_with_a_message(field: TextField, officer: Any) -> None:
    decision = make_complete_draft(officer)
    client = _signed_in(officer)
    try:
        before: str | None = field.stored(decision)
    except (PartTwo.DoesNotExist, AssertionError):
        before = None
    for text, message in (
        (NUL, "must not contain a null character"),
        (HUGE, f"must be {field.max_length:,} characters or fewer"),
    ):
        response = client.post(field.url(decision), field.data(decision, text))
        assert response.status_code in (200, 400), response.status_code
        assert message in error_summary(response), error_summary(response)
    if before is not None:
        assert field.stored(decision) == before
    assert not Annex.objects.filter(decision=decision).exists()
    assert not PartTwo.objects.filter(decision=decision).exists()


@pytest.mark.parametrize("field", [f for f in FIELDS if f.required], ids=lambda f: f.name)
def test_text_that_prints_nothing_is_refused_as_empty(field: TextField, officer: Any) -> None:
    decision = make_complete_draft(officer)
    client = _signed_in(officer)
    response = client.post(field.url(decision), field.data(decision, INVISIBLE_ONLY))
    assert response.status_code in (200, 400)
    summary = error_summary(response)
    assert summary, "refused without a message"
    if field.name == "title" or field.name == "annex title":
        assert "Enter a title" in summary


def test_a_title_of_zero_width_characters_is_refused_on_creation_and_by_the_service(
    officer: Any,
) -> None:
    client = _signed_in(officer)
    response = client.post(reverse("staff:create"), {"title": "\u200b\u200b\u200d"})
    assert response.status_code == 200
    assert "Enter a title" in error_summary(response)
    assert not Decision.objects.exists()
    from decisions.errors import ActionRefused

    with pytest.raises(ActionRefused, match="Enter a title"):
        workflow.decision_create(user=officer, title="\ufeff\u200b")
    decision = make_complete_draft(officer)
    with pytest.raises(ActionRefused, match="Enter a title"):
        workflow.decision_update_summary(
            decision=decision, user=officer, title="\u2060\u200c", executive_summary=""
        )
    with pytest.raises(ActionRefused, match="Enter the text of the paragraph"):
        workflow.paragraph_add(
            decision=decision,
            user=officer,
            section=decision.template.sections.get(number=1),
            text=ZERO_WIDTH,
        )


def test_is_blank_knows_what_prints_nothing() -> None:
    assert is_blank(INVISIBLE_ONLY)
    assert is_blank(f"{RLO}{PDF_POP}\u200e\u200f")
    assert not is_blank(f"{ZERO_WIDTH}a")
    assert not is_blank("\u0661")  # an Arabic-Indic digit prints
    assert without_bidi_controls(corpus()["bidi"]) == "Pay REILPPUS £1,000 and nested text"


def test_a_return_comment_takes_hostile_text_and_refuses_invisible_text(
    make_decision: Callable[[Status], Decision], chief_executive: Any, dmpc: Any
) -> None:
    for name, text in corpus().items():
        decision = make_decision(Status.AWAITING_APPROVAL)
        response = _signed_in(chief_executive).post(
            reverse("staff:act", args=[decision.pk, "return_to_officer"]),
            {"comment": text, "expected_status": decision.status},
        )
        assert response.status_code == 302, (name, error_summary(response))
        log = TransitionLog.objects.filter(decision=decision).order_by("-pk")[0]
        assert log.comment == text, name
        page = _signed_in(chief_executive).get(reverse("staff:decision", args=[decision.pk]))
        assert escape(text) in page.content.decode(), name
    refused = make_decision(Status.AWAITING_APPROVAL)
    response = _signed_in(chief_executive).post(
        reverse("staff:act", args=[refused.pk, "return_to_officer"]),
        {"comment": INVISIBLE_ONLY, "expected_status": refused.status},
    )
    assert response.status_code == 200
    assert error_summary(response)
    assert Decision.objects.get(pk=refused.pk).status == Status.AWAITING_APPROVAL


# --- the PDF ----------------------------------------------------------------------------------


def test_hostile_text_prints_as_typed_bidi_overrides_do_not_reverse_it_and_nothing_is_fetched(
    officer: Any,
) -> None:
    with listening_socket() as listener:
        bad = corpus(listener.port)
        decision = make_complete_draft(officer, title=f"Grants {bad['bidi']}")
        workflow.decision_update_summary(
            decision=decision,
            user=officer,
            title=f"Grants {bad['bidi']}",
            executive_summary="\n\n".join(bad.values()),
        )
        paragraph = Paragraph.objects.filter(decision=decision).first()
        assert paragraph is not None
        workflow.paragraph_update(paragraph=paragraph, user=officer, text=bad["bidi"])
        decision = Decision.objects.get(pk=decision.pk)
        built = content.build(
            decision, DocumentKind.PREVIEW, created=timezone.now(), identifier="x"
        )
        text = squash(" ".join(page_texts(built.pdf)))
    assert listener.connections == []
    assert built.pdf.startswith(b"%PDF")
    # Printed in the order typed, not reversed by the override.
    assert squash("Pay REILPPUS £1,000 and nested text") in text
    assert "SUPPLIER" not in text
    for name, value in bad.items():
        assert (
            squash(without_bidi_controls(value).replace(ZERO_WIDTH, ""))
            in text.replace("\u00ad", "")
            or name == "zero_width"
        ), name


# --- uploads ----------------------------------------------------------------------------------


def _upload(client: Client, annex: Annex, name: str, data: bytes) -> Any:
    return client.post(
        reverse("finance:upload", args=[annex.decision_id, annex.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "kind": ""},
    )


def test_hostile_labels_in_an_upload_are_stored_intact_shown_escaped_and_exported_inert(
    officer: Any, annex: Annex
) -> None:
    client = _signed_in(officer)
    rows = seed_rows("savings.csv")
    bad = corpus()
    labels = [bad["script"], bad["formula_plus"], bad["formula_at"], bad["bidi"]]
    label_column = 1 if rows[0][0].lower() == "section" else 0
    for index, label in enumerate(labels, start=1):
        rows[index][label_column] = label
    preview = _upload(client, annex, "savings.csv", to_csv(rows))
    assert preview.status_code in (200, 400)
    page = preview.content.decode()
    assert "<script>alert" not in page
    if preview.status_code == 400:
        assert error_summary(preview)
        return
    client.post(
        reverse("finance:confirm", args=[annex.decision_id, annex.pk]),
        {"token": preview.context["token"]},
    )
    table = AnnexTable.objects.get(annex=annex)
    stored = [row.label for row in table.rows.order_by("position")]
    for label in labels:
        assert label in stored
    shown = client.get(reverse("finance:table", args=[annex.decision_id, table.pk]))
    assert escape(bad["script"]) in shown.content.decode()
    assert "<script>alert" not in shown.content.decode()
    # The CSV attached to the PDF: no cell a spreadsheet would run as a formula.
    exported = list(csv.reader(io.StringIO(table_csv(table).decode())))
    for row in exported[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
            assert not (cell.startswith("-") and not cell[1:].replace(".", "").isdigit()), cell
    assert "'" + bad["formula_plus"] in [cell for row in exported for cell in row]


def test_hostile_files_are_refused_with_a_message_never_a_500(officer: Any, annex: Annex) -> None:
    client = _signed_in(officer)
    rows = seed_rows("savings.csv")
    cases = {
        "nul.csv": to_csv(rows).replace(b"Savings", b"Sav\x00ings", 1),
        "formula.csv": to_csv([rows[0], ["=1+1", *rows[1][1:]], *rows[2:]]),
        "huge-cell.csv": to_csv([rows[0], ["x" * 100_000, *rows[1][1:]], *rows[2:]]),
        "html.csv": b"<html><script>alert(1)</script></html>",
        "url.csv": b"file:///etc/passwd\nhttp://127.0.0.1:9/x\n",
        "not-a-workbook.xlsx": b"PK\x03\x04 not really a zip",
    }
    for name, data in cases.items():
        response = _upload(client, annex, name, data)
        if response.status_code == 302:
            # Columns that are not ours go to the step that matches them, which must not fail.
            assert "/columns/" in response["Location"], (name, response["Location"])
            response = client.get(response["Location"])
        assert response.status_code in (200, 400), (name, response.status_code)
        if response.status_code == 400:
            assert error_summary(response), name
        assert "<script>alert" not in response.content.decode(), name
    assert not AnnexTable.objects.filter(annex=annex).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_over_the_limit_is_refused_from_its_content_length_before_the_body(
    live_server: Any, officer: Any, settings: Any
) -> None:
    """A raw request that declares 300 MB and sends a few bytes: the answer (413) comes back at
    once, without waiting for a body that never comes."""
    decision = make_complete_draft(officer)
    annex = finance_services.annex_create(
        decision=decision, user=officer, title="A", reporting_period="Q1", unit="£m"
    )
    url = urlsplit(live_server.url)
    path = reverse("finance:upload", args=[decision.pk, annex.pk])
    started = time.monotonic()
    with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
        conn.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {url.hostname}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {300 * 1024 * 1024}\r\n\r\n--x\r\n"
            ).encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert elapsed < 5
    assert not AnnexTable.objects.exists()


def test_the_413_page_says_what_to_do(client: Client, settings: Any) -> None:
    response = client.post(
        "/staff/requests/1/annexes/1/upload/",
        data=b"x",
        content_type="text/csv",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_BODY_BYTES + 1),
    )
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert "6 MB" in response.content.decode()
    within = client.post("/staff/requests/1/annexes/1/upload/", data=b"x", content_type="text/csv")
    assert within.status_code == 302  # to the sign-in page: refused for who, not for size
