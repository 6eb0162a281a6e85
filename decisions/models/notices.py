"""The outbox: every message the workflow owes someone, written in the transaction that causes
it, and what became of it.

A transition that commits has its notices committed with it; one that rolls back has none. A
task sends each notice (and a beat sweep sends again any whose task was lost), and the notice's
row says whether it was sent, so a person is told once, however often the task runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NoticeKind(models.TextChoices):
    TRANSITION = "transition", "Transition"  # the request reached a state that needs them
    REMINDER = "reminder", "Reminder"  # it has been waiting for them for working days


class NoticeState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"  # (again, after a failed attempt)
    SENDING = "sending", "Being sent"  # a worker holds it until `lease_until`
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"  # every attempt failed; `error` says why


class Notice(models.Model):
    """One message to one person about one transition of a request."""

    entry = models.ForeignKey(
        "decisions.TransitionLog", on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(
        max_length=12, choices=NoticeKind.choices, default=NoticeKind.TRANSITION
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    email = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before this time (the backoff after a failed attempt).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While SENDING: the worker sending it has it until then; after, it is taken as lost.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "recipient", "kind"], name="notice_once_per_person"
            ),
            models.CheckConstraint(
                name="notice_sent_has_time", condition=~Q(state="sent") | Q(sent_at__isnull=False)
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notice_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email or 'nobody'}: {self.subject}"
