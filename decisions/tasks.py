"""Background work of the workflow: telling people that a request needs them.

The notices themselves are rows written with the transition (decisions.notifications); these
tasks only send them. Each task takes a primary key, re-reads the row and is idempotent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from decisions import notifications
from decisions.models import Notice, TransitionLog

SEND_RETRIES = 5


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=SEND_RETRIES)
def send_notice(self: Any, notice_id: int) -> str:
    """Send one notice, once. A failed attempt is retried with a growing delay (and the row says
    when it is due again, so the sweep retries it too, should this task be lost); a database
    that is busy or briefly away is retried the same way."""
    try:
        result = notifications.notice_send(notice_id)
    except DatabaseError as error:
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
    if result == "retry" and self.request.retries < SEND_RETRIES:
        due = Notice.objects.values_list("next_attempt_at", flat=True).get(pk=notice_id)
        # A retry far ahead is left to the sweep: the broker would hold its message
        # unacknowledged all that time (see PCD_BROKER_VISIBILITY_TIMEOUT_S).
        if due - timezone.now() <= timedelta(seconds=settings.MAX_TASK_ETA_S):
            raise self.retry(eta=due)
    return result


@shared_task(ignore_result=True)
def sweep_notices() -> int:
    """Periodic (celery beat): hand out again every notice that is due and not being sent."""
    due = notifications.notices_due()
    for notice_id in due:
        send_notice.delay(notice_id)
    return len(due)


@shared_task(ignore_result=True)
def send_reminders() -> int:
    """Periodic (celery beat): remind whoever a request has waited for too long."""
    written = notifications.reminders_write()
    for notice in written:
        send_notice.delay(notice.pk)
    return len(written)


@shared_task(name="decisions.tasks.notify_transition", ignore_result=True)
def notify_transition(log_id: int) -> int:
    """Messages queued before the outbox existed name a log entry: write its notices (if the
    entry has none) and send them."""
    entry = TransitionLog.objects.select_related("decision").get(pk=log_id)
    if not entry.notices.exists():
        notifications.notices_for_transition(entry)
    pending = list(entry.notices.values_list("pk", flat=True))
    for notice_id in pending:
        send_notice.delay(notice_id)
    return len(pending)


@shared_task(ignore_result=True)
def verify_audit_chain() -> int:
    """Nightly (beat): the audit chain against the live rows, as `manage.py verify_audit` does;
    governance is told of the first broken link. Returns how many problems were found."""
    from audit.chain import verify

    problems = verify()
    if problems:
        notifications.alert_governance(
            subject="The audit chain is broken",
            body="verify_audit found:\n\n"
            + "\n".join(f"- {problem}" for problem in problems[:50])
            + "\n\nRun `manage.py verify_audit` for the full report.",
            key=f"chain:{problems[0][:150]}",
        )
    return len(problems)
