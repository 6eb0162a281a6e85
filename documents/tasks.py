"""Background work of documents: rendering them, and the sweep that makes sure every document
asked for is rendered even if the broker or a worker failed on the way.

Tasks are thin: they take a primary key, and the services re-read the row and do the work.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from documents import queue, services

MAX_RETRIES = 3


def backoff(retries: int) -> float:
    """Seconds before the next attempt: base, 2×base, 4×base… (5 s, 10 s, 20 s by default)."""
    return float(min(settings.PCD_RENDER_RETRY_BASE_S * 2**retries, 300))


@shared_task(
    name=queue.RENDER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def render_document(self: Any, document_id: int) -> str:
    """Render one requested document. Idempotent: a READY document, or one another worker is
    rendering, is left alone. A failed attempt is retried with backoff; after the last one the
    document is FAILED, with the error, and the request's page offers to retry it."""
    try:
        outcome = services.document_render(
            document_id=document_id,
            task_id=str(self.request.id),
            final=self.request.retries >= MAX_RETRIES,
        )
    except services.RenderFailed as failure:
        raise self.retry(exc=failure, countdown=backoff(self.request.retries)) from failure
    return outcome.result


@shared_task(ignore_result=True)
def sweep_documents() -> int:
    """Periodic (celery beat): queue again documents asked for but never started, and those
    whose worker died while rendering them."""
    return len(services.documents_sweep())


# Messages queued before the documents app existed carry finance's task names; a broker that
# held some across the upgrade (the embedded one keeps them on disk) delivers them to workers
# that know only the new names. These pass them on instead of failing them as unregistered.
@shared_task(name="finance.tasks.render_document", ignore_result=True)
def render_document_by_its_old_name(document_id: int) -> bool:
    return queue.enqueue(document_id)


@shared_task(name="finance.tasks.sweep_documents", ignore_result=True)
def sweep_documents_by_its_old_name() -> int:
    return len(services.documents_sweep())
