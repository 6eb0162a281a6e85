"""The pages around the PDFs: the public PDF and its SHA-256, the request page's documents panel
and its JSON status, downloads, retry, and who may get Part 2. No page renders a PDF."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from decisions import services as workflow
from decisions.models import Decision
from decisions.states import Status
from documents import engine, services
from documents.models import DocumentKind, DocumentState, RenderedDocument
from tests.factories import approved_by_chief_executive, make_complete_draft, sign_in, submitted


def signed_in(client: Client, user: Any) -> Client:
    sign_in(client, user)
    return client


def published_with_pdfs(
    make_decision: Callable[[Status], Decision],
    dmpc: Any,
    capture: Callable[..., Any],
) -> Decision:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    with capture(execute=True):
        workflow.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests="None")
    return Decision.objects.get(pk=decision.pk)


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any render fails the test: pages only read what workers made."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("A page tried to render a PDF.")

    monkeypatch.setattr(engine, "render", refuse)
    monkeypatch.setattr(engine, "render_many", refuse)


def test_the_public_pdf_is_served_inline_with_the_sha256_shown_on_the_public_page(
    make_decision: Callable[[Status], Decision],
    dmpc: Any,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = published_with_pdfs(make_decision, dmpc, django_capture_on_commit_callbacks)
    number = decision.reference_number
    response = client.get(f"/decisions/pcd-{number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="pcd-{number}.pdf"'
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    public = RenderedDocument.objects.get(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    assert hashlib.sha256(body).hexdigest() == public.pdf_sha256
    page = client.get(f"/decisions/pcd-{number}/").content.decode()
    assert public.pdf_sha256 in page
    assert f'href="/decisions/pcd-{number}.pdf"' in page


def test_the_public_pdf_is_not_found_before_it_is_rendered_or_published(
    make_decision: Callable[[Status], Decision], client: Client
) -> None:
    published = make_decision(Status.PUBLISHED)  # asked for; no worker has rendered it yet
    assert RenderedDocument.objects.filter(decision=published).exists()
    assert client.get(f"/decisions/pcd-{published.reference_number}.pdf").status_code == 404
    page = client.get(f"/decisions/pcd-{published.reference_number}/").content.decode()
    assert "Being prepared" in page
    deferred = make_decision(Status.DEFERRED)
    assert client.get(f"/decisions/pcd-{deferred.reference_number}.pdf").status_code == 404
    assert client.get("/decisions/pcd-99999.pdf").status_code == 404


def test_the_request_page_shows_each_document_and_its_state(
    make_decision: Callable[[Status], Decision],
    officer: Any,
    client: Client,
    no_rendering: None,
) -> None:
    decision = make_decision(Status.PUBLISHED)  # asked for, not rendered: queued
    page = signed_in(client, officer).get(reverse("staff:decision", args=[decision.pk]))
    html = page.content.decode()
    assert 'id="documents"' in html and "Documents (PDF)" in html
    assert 'data-pending="true"' in html
    assert "Signed decision pack" in html and "Public decision pack" in html
    assert re.search(r'<script src="[^"]*js/documents\.js" defer>', html)
    assert "Refresh to see whether they are ready" in html  # works without JavaScript


def test_the_status_endpoint_follows_a_document_from_queued_to_ready(
    make_decision: Callable[[Status], Decision], officer: Any, client: Client
) -> None:
    decision = make_decision(Status.PUBLISHED)
    url = reverse("staff:documents", args=[decision.pk])
    signed_in(client, officer)
    before = client.get(url).json()
    assert before["pending"] is True
    public = next(d for d in before["documents"] if d["kind"] == DocumentKind.PUBLIC_PACK)
    assert public["state"] == "queued" and public["url"] is None
    services.render_now(RenderedDocument.objects.get(pk=public["id"]))
    after = client.get(url).json()
    public = next(d for d in after["documents"] if d["kind"] == DocumentKind.PUBLIC_PACK)
    assert public["state"] == "ready" and len(public["sha256"]) == 64
    assert public["url"] in after["html"]
    pdf = client.get(public["url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_failed_document_can_be_retried_from_the_request_page(
    make_decision: Callable[[Status], Decision],
    officer: Any,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_decision(Status.PUBLISHED)
    document = RenderedDocument.objects.get(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    RenderedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.FAILED, error="RuntimeError: out of memory", attempts=4
    )
    signed_in(client, officer)
    html = client.get(reverse("staff:decision", args=[decision.pk])).content.decode()
    assert "RuntimeError: out of memory" in html and "Try again" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:document_retry", args=[decision.pk, document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == DocumentState.READY
    # Retrying what is not failed is refused with a message, and changes nothing.
    client.post(reverse("staff:document_retry", args=[decision.pk, document.pk]))
    document.refresh_from_db()
    assert document.state == DocumentState.READY


def test_part_two_pdf_is_for_authorised_staff_only(
    officer: Any,
    other_officer: Any,
    chief_executive: Any,
    outsider: Any,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_complete_draft(officer)
    workflow.part_two_update(
        decision=decision, user=officer, facts_and_advice="Confidential.", exemption_rationale="s31"
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = approved_by_chief_executive(submitted(decision, officer), chief_executive)
    part_two = RenderedDocument.objects.get(decision=decision, kind=DocumentKind.PART_TWO)
    assert part_two.state == DocumentState.READY
    url = reverse("staff:document_pdf", args=[decision.pk, part_two.pk])
    for allowed in (officer, chief_executive):
        assert signed_in(Client(), allowed).get(url).status_code == 200
    for refused in (other_officer, outsider):
        assert signed_in(Client(), refused).get(url).status_code == 404
        status = signed_in(Client(), refused).get(reverse("staff:documents", args=[decision.pk]))
        assert status.status_code == 404
    assert client.get(url).status_code == 302  # to the sign-in page
