"""Every write to a rendered document: asking for one, retrying one, and the worker's render.

A document is asked for inside the transaction that changes the request (submission, sign-off,
publication): its row is written there, and the render task is queued only once that transaction
has committed (`transaction.on_commit`), so a worker never looks for a row that is not there yet.
If the broker is down at that moment, the request still succeeds; the row stays QUEUED, without
`enqueued_at`, and the periodic sweep queues it when the broker is back.

The render is idempotent. Its key is the content (see documents.content): asking twice
for the same content gives the same row; a worker claims a row by a conditional update
(QUEUED → RENDERING), so two workers never both render it; a READY row is never rendered again.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from decisions.errors import ActionRefused
from decisions.models import Decision
from decisions.published import publication_problem
from decisions.types import User
from documents import content, publications, queue
from documents.leases import Renewing, lease_until
from documents.models import DocumentState, RenderedDocument
from documents.permissions import can_read_document
from documents.recipes import recipe, wanted_kinds

logger = logging.getLogger(__name__)


class RenderFailed(Exception):
    """One attempt failed; the task retries it with backoff until its retries run out."""


# --- asking for documents ----------------------------------------------------------------------


def document_request(*, decision: Decision, kind: str) -> RenderedDocument:
    """Ask for the PDF of this kind for the request's current content: one row per content,
    queued once, however often it is asked for."""
    # The key is computed from the row as stored (inside the caller's transaction), as the
    # worker will compute it, never from a copy in memory that may be out of date.
    decision = Decision.objects.select_related("template").get(pk=decision.pk)
    if recipe(kind).signed:
        # What the DMPC signed is published; content changed behind the workflow's back never is.
        problem = publication_problem(decision)
        if problem:
            raise ActionRefused(problem)
    key = content.content_key(decision, kind)
    document, created = RenderedDocument.objects.get_or_create(
        decision=decision, kind=kind, content_hash=key
    )
    if created:
        queue.enqueue_on_commit(document.pk)
    return document


def documents_request_for_status(*, decision: Decision) -> list[RenderedDocument]:
    """Ask for the documents the request should have in its state (documents.recipes); a signed
    document refused (its content was changed in the database) is left out, and logged."""
    documents = []
    for kind in wanted_kinds(decision):
        try:
            documents.append(document_request(decision=decision, kind=kind))
        except ActionRefused as refused:
            logger.error("Not asking for %s of %s: %s", kind, decision, " ".join(refused.messages))
    return documents


def documents_for_new_state(sender: object, *, decision: Decision, **kwargs: object) -> None:
    """Receiver of decisions.signals.state_changed: runs in the transition's transaction, so the
    documents' rows commit with it (and their renders are queued once it has)."""
    documents_request_for_status(decision=decision)


@transaction.atomic
def document_retry(*, document: RenderedDocument, user: User) -> RenderedDocument:
    """Someone asks again for a document that failed. If the request has changed since, the
    current content is asked for instead."""
    locked = (
        RenderedDocument.objects.select_for_update().select_related("decision").get(pk=document.pk)
    )
    if not can_read_document(user, locked):
        raise ActionRefused("You cannot ask for this document.")
    if locked.state != DocumentState.FAILED:
        raise ActionRefused(
            f"This document is “{locked.get_state_display()}”; only a failed one can be retried."
        )
    if content.content_key(locked.decision, locked.kind) != locked.content_hash:
        return document_request(decision=locked.decision, kind=locked.kind)
    RenderedDocument.objects.filter(pk=locked.pk).update(
        state=DocumentState.QUEUED, error="", enqueued_at=None, requested_at=timezone.now()
    )
    queue.enqueue_on_commit(locked.pk)
    locked.refresh_from_db()
    return locked


# --- the sweep ---------------------------------------------------------------------------------


def documents_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again what was asked for but never started (the broker was down when it was asked
    for, or its message was lost), and what a worker was rendering when it died (its lease
    lapsed). Sending twice is harmless: the render claims the row, and skips it when it is
    done or leased to a live worker."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.PCD_RENDER_QUEUE_GRACE_S)
    requeue = now - timedelta(seconds=settings.PCD_RENDER_REQUEUE_S)
    due = RenderedDocument.objects.filter(
        Q(state=DocumentState.QUEUED, enqueued_at__isnull=True, requested_at__lt=grace)
        | Q(state=DocumentState.QUEUED, enqueued_at__lt=requeue)
        | _lapsed(now)
    ).order_by("requested_at")
    ids = list(due.values_list("pk", flat=True)[:200])
    for document_id in ids:
        queue.enqueue(document_id)
    if ids:
        logger.info("Sweep queued %d document(s) again: %s", len(ids), ids)
    return ids


# --- the render (in the worker) ----------------------------------------------------------------


@dataclass
class Outcome:
    document_id: int
    result: str  # "ready", "skipped", "superseded", "failed"


def _lapsed(now: datetime.datetime) -> Q:
    """RENDERING, and its worker stopped renewing its lease (it died). A render claimed before
    leases existed has none: it counts as lapsed one lease after it started."""
    lease = timedelta(seconds=settings.PCD_RENDER_LEASE_S)
    return Q(state=DocumentState.RENDERING) & (
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, started_at__lt=now - lease)
    )


def _claim(document_id: int, task_id: str) -> RenderedDocument | None:
    """QUEUED → RENDERING, by one worker only, with a lease that the worker renews while it
    renders. A row already RENDERING is taken over when its worker must be dead: its lease
    lapsed, or this is the very message it was working on, delivered again after its worker was
    lost."""
    now = timezone.now()
    claimable = (
        Q(state=DocumentState.QUEUED)
        | _lapsed(now)
        | Q(state=DocumentState.RENDERING, task_id=task_id)
    )
    claimed = RenderedDocument.objects.filter(claimable, pk=document_id).update(
        state=DocumentState.RENDERING,
        started_at=now,
        lease_until=lease_until(now),
        attempts=F("attempts") + 1,
        task_id=task_id,
        error="",
    )
    if not claimed:
        return None
    return RenderedDocument.objects.select_related("decision").get(pk=document_id)


def _still_mine(document: RenderedDocument) -> Q:
    return Q(
        pk=document.pk,
        state=DocumentState.RENDERING,
        attempts=document.attempts,
        task_id=document.task_id,
    )


def document_render(*, document_id: int, task_id: str, final: bool) -> Outcome:
    """Render one document: the body of the render task. The worker renews its lease on the
    document for as long as it works on it."""
    document = _claim(document_id, task_id)
    if document is None:
        return Outcome(document_id, "skipped")

    def renew() -> int:
        return RenderedDocument.objects.filter(_still_mine(document)).update(
            lease_until=lease_until()
        )

    with Renewing(renew, f"document {document_id}"):
        return _render_claimed(document, final)


def _render_claimed(document: RenderedDocument, final: bool) -> Outcome:
    document_id = document.pk
    decision = document.decision
    try:
        if content.content_key(decision, document.kind) != document.content_hash:
            RenderedDocument.objects.filter(_still_mine(document)).update(
                state=DocumentState.FAILED,
                finished_at=timezone.now(),
                error="The request changed after this document was asked for; "
                "a document of the current content replaces it.",
            )
            # Ask for the current content instead (if the request's state still wants this
            # kind), so that a change between the request and the render (or a deployment of
            # new print templates) never leaves a request without its PDF.
            if document.kind in wanted_kinds(decision):
                with transaction.atomic():
                    documents_request_for_status(decision=decision)
            return Outcome(document_id, "superseded")
        built = content.build(
            decision,
            document.kind,
            created=document.requested_at,
            identifier=f"{document.kind}:{document.content_hash}",
        )
        name = default_storage.save(
            f"documents/{decision.slug}/{document.kind}-{document.content_hash[:16]}.pdf",
            ContentFile(built.pdf),
        )
    except Exception as error:
        message = f"{type(error).__name__}: {error}"[:2000]
        logger.exception("Rendering document %s failed (final=%s)", document_id, final)
        RenderedDocument.objects.filter(_still_mine(document)).update(
            state=DocumentState.FAILED if final else DocumentState.QUEUED,
            finished_at=timezone.now() if final else None,
            lease_until=None,
            enqueued_at=timezone.now(),
            error=message
            if final
            else f"Attempt {document.attempts} failed ({message}); retrying.",
        )
        if final:
            return Outcome(document_id, "failed")
        raise RenderFailed(message) from error
    with transaction.atomic():
        done = RenderedDocument.objects.filter(_still_mine(document)).update(
            state=DocumentState.READY,
            pdf=name,
            pdf_sha256=built.sha256,
            pages=built.pages,
            finished_at=timezone.now(),
            lease_until=None,
            error="",
        )
        if done:
            # The published file's SHA-256 joins the audit chain with the row that publishes it.
            document.refresh_from_db()
            publications.append_publication(document)
    if not done:
        # Another worker took the row over while this one was slow; its file stands.
        default_storage.delete(name)
        return Outcome(document_id, "skipped")
    logger.info(
        "Document %s ready: %s, %d pages, %d part(s) rendered, %d reused",
        document_id,
        name,
        built.pages,
        built.parts_rendered,
        built.parts_reused,
    )
    return Outcome(document_id, "ready")


def render_now(document: RenderedDocument) -> Outcome:
    """Render in this process, bypassing the queue (the demo set-up and the benchmark)."""
    return document_render(document_id=document.pk, task_id=f"inline-{document.pk}", final=True)
