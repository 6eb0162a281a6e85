"""Handing a render to the workers.

The render task is looked up by its name, the way Celery sends tasks between processes, rather
than imported: the tasks module calls the services, which call this, so an import here would close
a circle. The task declares the same name (documents.tasks).

If the broker cannot be reached, nothing fails: the document's row stays QUEUED without
`enqueued_at`, and the beat sweep (documents.tasks.sweep_documents) queues it when the broker is
back.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents.models import RenderedDocument

logger = logging.getLogger(__name__)

RENDER_TASK = "documents.tasks.render_document"

# Errors that mean "the broker cannot be reached": the request goes on, the sweep catches up.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(document_id: int) -> bool:
    """Send the render task now; False (logged) if the broker cannot be reached."""
    try:
        current_app.tasks[RENDER_TASK].apply_async(
            (document_id,),
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2},
        )
    except BROKER_ERRORS:
        logger.warning(
            "Could not queue the render of document %s (broker unreachable); "
            "the sweep will queue it when the broker is back.",
            document_id,
            exc_info=True,
        )
        return False
    RenderedDocument.objects.filter(pk=document_id).update(enqueued_at=timezone.now())
    return True


def enqueue_on_commit(document_id: int) -> None:
    """Send the render task once the asking transaction has committed, so a worker never looks
    for a row that is not there yet. robust: an unexpected error while queueing is logged and
    never undoes or fails the request that asked for the document; the sweep finds the row."""
    transaction.on_commit(lambda: enqueue(document_id), robust=True)
