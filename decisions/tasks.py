"""Background work of the workflow: telling people that a request needs them."""

from __future__ import annotations

from celery import shared_task

from decisions.notifications import send_transition_notice


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def notify_transition(self: object, log_id: int) -> int:
    """Email whoever must act next (or the author, when the request comes back to them).
    Idempotent: a log entry is announced once, however often the task runs."""
    return send_transition_notice(log_id)
