"""Who hears about a transition, what they are told, and the sending of it, once.

Notices are written by the workflow services in the transition's own transaction
(`notices_for_transition`), so a committed transition always has its notices and a rolled-back
one never does. Each is then sent by a task (`notice_send`), which claims the row for a while
(a lease) before it talks to the mail server, so two workers never both send it; a failed attempt
is put back with a growing delay, and the beat sweep (`notices_due`) hands out again whatever is
due and not being sent: a notice whose task was never queued (the broker was down), whose worker
died, or whose mail server was down. The one case that can send twice is a worker that dies after
the mail server took the message and before the row was marked: mail is at-least-once there, as
every outbox over SMTP is.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from decisions.dates import working_days_between
from decisions.models import Decision, Notice, NoticeKind, NoticeState, TransitionLog
from decisions.roles import Role
from decisions.states import Status
from decisions.types import User

logger = logging.getLogger(__name__)

_NEXT_ROLE = {
    Status.AWAITING_APPROVAL: Role.CHIEF_EXECUTIVE,
    Status.AWAITING_SIGNOFF: Role.DMPC,
}
# The states in which a request waits for someone to act: the approvers, or its author when it
# came back to them for changes.
WAITING_STATES = [Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF, Status.DRAFT]


def recipients(entry: TransitionLog) -> list[User]:
    """Whoever must act next: the role the new state waits for, or else the request's author."""
    role = _NEXT_ROLE.get(Status(entry.to_status))
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if role is not None:
        users = users.filter(groups__name=role.value)
    else:
        users = users.filter(pk=entry.decision.author_id)
    return list(users.distinct().order_by("email", "pk"))


def _link(decision: Decision) -> str:
    return settings.SITE_URL + reverse("staff:decision", args=[decision.pk])


def _transition_message(entry: TransitionLog) -> tuple[str, str]:
    decision = entry.decision
    subject = f"{decision.reference}: {entry.get_to_status_display()}"
    body = (
        f"{decision.reference} – {decision.title}\n\n"
        f"{entry.actor_name}: {entry.get_from_status_display()} → "
        f"{entry.get_to_status_display()}\n"
        + (f"\n“{entry.comment}”\n" if entry.comment else "")
        + f"\n{_link(decision)}\n"
    )
    return subject, body


def _reminder_message(entry: TransitionLog, days: int) -> tuple[str, str]:
    decision = entry.decision
    subject = f"Reminder: {decision.reference} has waited {days} working days for you"
    body = (
        f"{decision.reference} – {decision.title}\n\n"
        f"It has been “{entry.get_to_status_display()}” since {entry.at:%d %B %Y} "
        f"({days} working days).\n\n{_link(decision)}\n"
    )
    return subject, body


def _write(
    entry: TransitionLog, kind: str, people: Iterable[User], message: tuple[str, str]
) -> list[Notice]:
    subject, body = message
    written = []
    for person in people:
        # Once per person, entry and kind (a database constraint): a reminder written twice by
        # two sweeps at once is one reminder.
        notice, created = Notice.objects.get_or_create(
            entry=entry,
            recipient=person,
            kind=kind,
            defaults={"email": person.email, "subject": subject, "body": body},
        )
        if created:
            written.append(notice)
    return written


def notices_for_transition(entry: TransitionLog) -> list[Notice]:
    """Write the notices of a transition, in its transaction (the caller's)."""
    return _write(entry, NoticeKind.TRANSITION, recipients(entry), _transition_message(entry))


# --- sending, once ------------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: base, 2×base, 4×base…, at most an hour."""
    return timedelta(
        seconds=min(settings.PCD_NOTICE_RETRY_BASE_S * 2 ** max(attempts - 1, 0), 3600)
    )


def _claimable(now: datetime.datetime) -> Q:
    return Q(state=NoticeState.PENDING, next_attempt_at__lte=now) | Q(
        state=NoticeState.SENDING, lease_until__lt=now
    )


def _claim(notice_id: int) -> Notice | None:
    now = timezone.now()
    claimed = Notice.objects.filter(_claimable(now), pk=notice_id).update(
        state=NoticeState.SENDING,
        attempts=F("attempts") + 1,
        lease_until=now + timedelta(seconds=settings.PCD_NOTICE_LEASE_S),
    )
    return Notice.objects.get(pk=notice_id) if claimed else None


def notice_send(notice_id: int) -> str:
    """Send one notice if it is due and nobody else is sending it: "sent", "skipped" (sent
    already, not yet due, or being sent), "retry" (this attempt failed; it is due again later)
    or "failed" (the last attempt failed)."""
    notice = _claim(notice_id)
    if notice is None:
        return "skipped"
    mine = Notice.objects.filter(pk=notice.pk, state=NoticeState.SENDING, attempts=notice.attempts)
    try:
        if notice.email:
            send_mail(notice.subject, notice.body, None, [notice.email])
    except Exception as error:  # SMTP and network errors are many; each is one failed attempt
        final = notice.attempts >= settings.PCD_NOTICE_MAX_ATTEMPTS
        logger.warning("Notice %s: attempt %d failed: %s", notice.pk, notice.attempts, error)
        mine.update(
            state=NoticeState.FAILED if final else NoticeState.PENDING,
            next_attempt_at=timezone.now() + backoff(notice.attempts),
            lease_until=None,
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        return "failed" if final else "retry"
    mine.update(state=NoticeState.SENT, sent_at=timezone.now(), lease_until=None, error="")
    return "sent"


def notices_due(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """The notices to hand out again: due, and not being sent (or their sender's lease lapsed).
    Those written in the last few seconds are left to the task queued when they were written."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.PCD_NOTICE_GRACE_S)
    due = Notice.objects.filter(_claimable(now)).filter(Q(attempts__gt=0) | Q(created_at__lt=grace))
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


# --- reminders ----------------------------------------------------------------------------------


def _arrival(decision: Decision) -> TransitionLog | None:
    """The entry that put the request in the state it waits in."""
    return (
        TransitionLog.objects.select_related("decision")
        .filter(decision=decision, to_status=decision.status)
        .order_by("-at", "-id")
        .first()
    )


def reminders_write(*, now: datetime.datetime | None = None) -> list[Notice]:
    """Remind whoever a request is waiting for, once it has waited more than
    PCD_REMINDER_WORKING_DAYS working days (weekends and bank holidays in England and Wales do
    not count). Once per wait: a request that moves on and comes back is a new wait."""
    now = now or timezone.now()
    threshold = settings.PCD_REMINDER_WORKING_DAYS
    written: list[Notice] = []
    waiting = Decision.objects.filter(
        status__in=[Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF]
    ).select_related("template")
    for decision in waiting:
        entry = _arrival(decision)
        if entry is None or entry.notices.filter(kind=NoticeKind.REMINDER).exists():
            continue
        days = working_days_between(entry.at, now)
        if days <= threshold:
            continue
        try:
            with transaction.atomic():
                written += _write(
                    entry, NoticeKind.REMINDER, recipients(entry), _reminder_message(entry, days)
                )
        except IntegrityError:
            continue  # written by another sweep at the same moment
    return written


# --- what is waiting for a person ---------------------------------------------------------------


def waiting_for(user: User, limit: int = 20) -> list[Notice]:
    """The latest notice to this person about each request still waiting for them: still in
    the state the notice announced (approval, sign-off, or back with its author for changes)."""
    notices = (
        Notice.objects.filter(
            recipient=user,
            entry__to_status__in=WAITING_STATES,
            entry__decision__status=F("entry__to_status"),
        )
        .select_related("entry", "entry__decision")
        .order_by("-created_at", "-id")
    )
    latest: dict[int, Notice] = {}
    for notice in notices[: limit * 4]:
        latest.setdefault(notice.entry.decision_id, notice)
    return list(latest.values())[:limit]


# --- alerts to governance ----------------------------------------------------------------------


def alert_governance(*, subject: str, body: str, key: str) -> bool:
    """Tell the governance officers at once that something is wrong with the record (the audit
    chain is broken; what the public sees differs from the live rows). Sent once a day per `key`
    (so a public page read a thousand times sends one alert), logged as an error whatever happens
    to the mail. Returns whether it was sent now."""
    import hashlib

    from django.core.cache import cache

    digest = hashlib.sha256(key.encode()).hexdigest()
    if not cache.add(f"pcd-governance-alert:{digest}", True, timeout=24 * 3600):
        return False
    logger.error("Governance alert: %s: %s", subject, body)
    emails = list(
        get_user_model()
        .objects.filter(groups__name=Role.GOVERNANCE.value, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if emails:
        try:
            send_mail(f"[PCD audit] {subject}", body, None, emails)
        except Exception:  # the alert is logged above; a mail server down must not hide it
            logger.exception("The governance alert could not be mailed")
    return True
