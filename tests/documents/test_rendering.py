"""Documents asked for by the workflow and rendered by the task (run eagerly here; the worker
tests run it through Redis): what is asked for when, idempotency, the part cache, retries,
failures and the sweep."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from decisions import services as workflow
from decisions.models import Decision, Paragraph
from decisions.states import Status
from documents import engine, parts, services
from documents.leases import Renewing
from documents.models import DocumentKind, DocumentState, RenderedDocument, RenderedPart
from documents.tasks import render_document, sweep_documents
from tests.documents.conftest import with_annex
from tests.documents.helpers import attachments, decoded_streams, page_texts
from tests.factories import approved_by_chief_executive, make_complete_draft, submitted

CANARY = "CANARY-7f3a-PART-TWO-ONLY"


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every document the engine is given to render, by its <title>. (Each is rendered in a
    process of its own: they are counted where they are handed over.)"""
    calls: list[str] = []
    real = engine.render_many

    def counting(htmls: Sequence[str], **kwargs: Any) -> list[engine.Rendered]:
        for html in htmls:
            start = html.find("<title>")
            calls.append(html[start + 7 : html.find("</title>")] if start >= 0 else "?")
        return real(htmls, **kwargs)

    monkeypatch.setattr(engine, "render_many", counting)
    return calls


def kinds(decision: Decision) -> dict[str, RenderedDocument]:
    return {d.kind: d for d in RenderedDocument.objects.filter(decision=decision)}


def sign_off(decision: Decision, dmpc: Any) -> None:
    workflow.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests="None")


def test_submission_asks_for_a_preview_that_the_task_renders(
    officer: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    decision = make_complete_draft(officer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decision_submit(decision=decision, user=officer)
    preview = RenderedDocument.objects.get(decision=decision)
    assert preview.kind == DocumentKind.PREVIEW
    assert preview.state == DocumentState.READY
    assert preview.enqueued_at is not None and preview.attempts == 1
    text = " ".join(page_texts(preview.pdf.read()))
    assert "Preview for approvers – not a signed decision" in text
    assert "Not yet approved." in text


def test_sign_off_asks_for_the_signed_pack_and_the_public_pack(
    make_decision: Callable[[Status], Decision],
    dmpc: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(decision, dmpc)
    documents = kinds(decision)
    # (The preview was asked for at submission.)
    assert set(documents) == {
        DocumentKind.PREVIEW,
        DocumentKind.SIGNED_PACK,
        DocumentKind.PUBLIC_PACK,
    }
    assert documents[DocumentKind.SIGNED_PACK].state == DocumentState.READY
    assert documents[DocumentKind.PUBLIC_PACK].state == DocumentState.READY
    signed = " ".join(page_texts(documents[DocumentKind.SIGNED_PACK].pdf.read()))
    assert "Signature record" in signed and "Content SHA-256" in signed
    public = documents[DocumentKind.PUBLIC_PACK]
    assert len(public.pdf_sha256) == 64
    assert "Signature record" not in " ".join(page_texts(public.pdf.read()))


def test_a_deferred_decision_gets_its_public_pack_when_it_is_published(
    make_decision: Callable[[Status], Decision],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_decision(Status.DEFERRED)
    assert DocumentKind.PUBLIC_PACK not in kinds(decision)
    later = timezone.now() + timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow.decision_publish_if_due(decision=decision, at=later) is False
        Decision.objects.filter(pk=decision.pk).update(publish_on=timezone.localdate())
        assert workflow.decision_publish_if_due(decision=decision, at=later)
    assert kinds(decision)[DocumentKind.PUBLIC_PACK].state == DocumentState.READY


def test_part_two_is_its_own_pdf_and_never_in_a_pack(
    officer: Any,
    chief_executive: Any,
    dmpc: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_complete_draft(officer)
    workflow.part_two_update(
        decision=decision,
        user=officer,
        facts_and_advice=f"The informant is {CANARY}.",
        exemption_rationale=f"Section 31 (law enforcement). {CANARY}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = approved_by_chief_executive(submitted(decision, officer), chief_executive)
        sign_off(decision, dmpc)
    documents = kinds(decision)
    assert set(documents) == {
        DocumentKind.PREVIEW,
        DocumentKind.SIGNED_PACK,
        DocumentKind.PUBLIC_PACK,
        DocumentKind.PART_TWO,
    }
    assert {d.state for d in documents.values()} == {DocumentState.READY}
    # The preview again with an annex too, so that its CSV files are looked through as well
    # (the signed packs are as made at sign-off: they are never made of content changed since).
    with_annex(decision)
    preview = services.document_request(decision=decision, kind=DocumentKind.PREVIEW)
    services.render_now(preview)
    preview.refresh_from_db()
    assert preview.state == DocumentState.READY, preview.error
    signed = (documents[DocumentKind.SIGNED_PACK], documents[DocumentKind.PUBLIC_PACK])
    for document in (preview, *signed):
        with document.pdf.open("rb") as stream:
            pdf = stream.read()
        assert document is not preview or attachments(pdf)
        assert CANARY not in " ".join(page_texts(pdf))
        assert all(CANARY.encode() not in data for data in attachments(pdf).values())
        assert all(CANARY.encode() not in stream for stream in decoded_streams(pdf))
    part_two = documents[DocumentKind.PART_TWO].pdf.read()
    assert CANARY in " ".join(page_texts(part_two))
    assert attachments(part_two) == {}


def test_the_same_content_asked_for_twice_is_one_document_rendered_once(
    make_decision: Callable[[Status], Decision], renders: list[str]
) -> None:
    decision = make_decision(Status.PUBLISHED)
    first = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    second = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    assert first.pk == second.pk
    render_document.apply(args=(first.pk,))
    calls = len(renders)
    # The task delivered again (twice) and the document asked for again: nothing is rendered.
    render_document.apply(args=(first.pk,))
    render_document.apply(args=(first.pk,))
    services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    assert len(renders) == calls == 1  # the pack, in one pass (a tagged PDF)
    first.refresh_from_db()
    assert first.state == DocumentState.READY and first.attempts == 1
    assert (
        RenderedDocument.objects.filter(decision=decision, kind=DocumentKind.PUBLIC_PACK).count()
        == 1
    )


def test_an_unchanged_part_of_the_preview_is_never_rendered_twice(
    make_decision: Callable[[Status], Decision], renders: list[str]
) -> None:
    """After one paragraph is edited, only Part 1 is rendered again: the annex part (and the
    page stamp) are reused. (On a preview: signed documents are never made again of changed
    content, tests/audit.)"""
    decision = make_decision(Status.AWAITING_APPROVAL)
    with_annex(decision)
    services.render_now(services.document_request(decision=decision, kind=DocumentKind.PREVIEW))
    parts = RenderedPart.objects.count()
    assert parts == 3  # Part 1, the annex, the page stamp
    assert renders.count(f"{decision.reference}: {decision.title}") == 2
    paragraph = Paragraph.objects.filter(decision=decision).order_by("pk").first()
    assert paragraph is not None
    Paragraph.objects.filter(pk=paragraph.pk).update(text=paragraph.text + " (corrected)")
    renders.clear()
    again = services.document_request(decision=decision, kind=DocumentKind.PREVIEW)
    services.render_now(again)
    again.refresh_from_db()
    assert again.state == DocumentState.READY
    assert RenderedPart.objects.count() == parts + 1
    assert len(renders) == 1  # the new Part 1: not the annex, nor the page stamp (same pages)
    assert "(corrected)" in " ".join(page_texts(again.pdf.read()))


def test_the_tagged_packs_are_each_rendered_in_one_pass_without_parts(
    make_decision: Callable[[Status], Decision], renders: list[str]
) -> None:
    """A structure tree cannot be merged from cached parts: the signed and public packs are
    each one document, rendered once, and leave nothing in the part cache."""
    decision = make_decision(Status.PUBLISHED)
    parts = RenderedPart.objects.count()
    renders.clear()
    for kind in (DocumentKind.SIGNED_PACK, DocumentKind.PUBLIC_PACK):
        services.render_now(services.document_request(decision=decision, kind=kind))
    assert renders == [f"{decision.reference}: {decision.title}"] * 2
    assert RenderedPart.objects.count() == parts


def test_a_failing_render_is_retried_then_failed_with_its_error_and_can_be_retried(
    make_decision: Callable[[Status], Decision],
    officer: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_decision(Status.PUBLISHED)
    attempts: list[int] = []

    def broken(htmls: Sequence[str], **kwargs: Any) -> list[engine.Rendered]:
        attempts.append(1)
        raise engine.RenderError("RuntimeError: the renderer fell over")

    monkeypatch.setattr(engine, "render_many", broken)
    # Let the eager task retry itself, as a worker would, instead of raising Retry at once.
    celery_app.conf.task_eager_propagates = False  # (the suite's fixture restores it)
    document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    render_document.apply(args=(document.pk,))
    document.refresh_from_db()
    assert document.state == DocumentState.FAILED
    assert "the renderer fell over" in document.error
    assert document.attempts == 4 == len(attempts)  # the first try and three retries
    assert RenderedPart.objects.count() == 0  # a failed part leaves no claim behind
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_retry(document=document, user=officer)
    document.refresh_from_db()
    assert document.state == DocumentState.READY and document.error == ""


def test_a_broker_down_at_sign_off_does_not_stop_it_and_the_sweep_queues_the_pdf(
    make_decision: Callable[[Status], Decision],
    dmpc: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)

    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_document, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(decision, dmpc)
    decision.refresh_from_db()
    assert decision.status == Status.PUBLISHED
    documents = kinds(decision)
    signed, public = documents[DocumentKind.SIGNED_PACK], documents[DocumentKind.PUBLIC_PACK]
    assert signed.state == public.state == DocumentState.QUEUED
    assert signed.enqueued_at is None and public.enqueued_at is None
    monkeypatch.undo()
    settings.PCD_RENDER_QUEUE_GRACE_S = 0
    # The sweep queues them (and the preview asked for at submission, never queued here).
    assert sweep_documents.apply().get() == 3
    assert {d.state for d in kinds(decision).values()} == {DocumentState.READY}


def test_the_sweep_takes_over_a_render_whose_worker_died(
    make_decision: Callable[[Status], Decision], settings: Any
) -> None:
    decision = make_decision(Status.PUBLISHED)
    document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    now = timezone.now()
    RenderedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.RENDERING,
        started_at=now - timedelta(seconds=20),
        lease_until=now - timedelta(seconds=1),
        attempts=1,
        task_id="dead-worker",
    )
    assert services.documents_sweep() == [document.pk]
    document.refresh_from_db()
    assert document.state == DocumentState.READY and document.attempts == 2
    assert document.lease_until is None


def test_a_long_render_whose_worker_renews_its_lease_is_not_taken_over(
    make_decision: Callable[[Status], Decision], renders: list[str]
) -> None:
    decision = make_decision(Status.PUBLISHED)
    document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    now = timezone.now()
    RenderedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.RENDERING,
        started_at=now - timedelta(hours=1),
        lease_until=now + timedelta(seconds=10),
        attempts=1,
        task_id="slow-but-alive",
    )
    assert document.pk not in services.documents_sweep()
    assert render_document.apply(args=(document.pk,)).get() == "skipped"
    assert document.pk in services.documents_sweep(now=now + timedelta(seconds=11))


def test_the_lease_is_renewed_while_the_work_goes_on(settings: Any) -> None:
    settings.PCD_RENDER_LEASE_S = 0.6  # renewed every 0.2 s
    renewals: list[float] = []

    def renew() -> int:
        renewals.append(time.monotonic())
        return 1

    with Renewing(renew, "a test"):
        time.sleep(1.1)
    stopped = len(renewals)
    time.sleep(0.5)

    assert 4 <= stopped <= 6
    assert len(renewals) == stopped  # nothing renews once the work is over


def test_renewing_stops_once_the_lease_was_taken_over(settings: Any) -> None:
    settings.PCD_RENDER_LEASE_S = 0.3
    renewals: list[int] = []

    def renew() -> int:
        renewals.append(1)
        return 0  # another worker holds it now

    with Renewing(renew, "a test"):
        time.sleep(0.6)

    assert renewals == [1]


@pytest.mark.django_db
def test_a_part_whose_worker_died_is_taken_over_once_its_lease_lapses() -> None:
    spec = parts.PartSpec("Part 1", "<p>Quarter 1</p>")
    held = RenderedPart.objects.create(
        content_hash=spec.key, pages=0, pdf="", lease_until=timezone.now() + timedelta(seconds=5)
    )
    assert parts._claim(spec.key) is None  # a live worker renders it: wait for it

    RenderedPart.objects.filter(pk=held.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    taken = parts._claim(spec.key)

    assert taken is not None and taken.pk == held.pk
    assert taken.lease_until is not None and taken.lease_until > timezone.now()
    assert parts._claim(spec.key) is None  # taken over once


def test_a_render_queued_before_the_documents_app_existed_is_still_made(
    make_decision: Callable[[Status], Decision],
) -> None:
    """A broker that held messages across the upgrade delivers them under finance's old task
    name: the worker passes them on instead of dropping them as unregistered."""
    decision = make_decision(Status.PUBLISHED)
    document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    RenderedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.QUEUED, pdf="", pdf_sha256="", pages=None, enqueued_at=None
    )
    celery_app.tasks["finance.tasks.render_document"].delay(document.pk)
    document.refresh_from_db()
    assert document.state == DocumentState.READY and len(document.pdf_sha256) == 64


def test_a_document_another_worker_is_rendering_is_left_to_it(
    make_decision: Callable[[Status], Decision], renders: list[str]
) -> None:
    decision = make_decision(Status.PUBLISHED)
    document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    RenderedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.RENDERING, started_at=timezone.now(), attempts=1, task_id="other"
    )
    assert render_document.apply(args=(document.pk,)).get() == "skipped"
    assert services.documents_sweep() == []
    assert renders == []
    # The very message that worker was given, delivered again after it was lost, takes over.
    assert render_document.apply(args=(document.pk,), task_id="other").get() == "ready"


def test_a_document_whose_request_changed_since_is_not_filed_as_that_content(
    make_decision: Callable[[Status], Decision], renders: list[str]
) -> None:
    # (A preview: a signed document is never asked for again of changed content, tests/audit.)
    decision = make_decision(Status.AWAITING_APPROVAL)
    document = services.document_request(decision=decision, kind=DocumentKind.PREVIEW)
    with_annex(decision)  # the content changes before a worker gets to it
    assert render_document.apply(args=(document.pk,)).get() == "superseded"
    document.refresh_from_db()
    assert document.state == DocumentState.FAILED and not document.pdf
    assert "changed after this document was asked for" in document.error
    assert renders == []
    # The current content has been asked for in its place.
    current = RenderedDocument.objects.filter(decision=decision, kind=DocumentKind.PREVIEW)
    replacement = current.exclude(pk=document.pk).get()
    assert replacement.state == DocumentState.QUEUED
    assert replacement.content_hash != document.content_hash
