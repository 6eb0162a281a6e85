"""What the workflow writes and never changes: the versions frozen at each submission, the log of
transitions, the signatures; and what it keeps to do its work (who saw which version, the
reference counter). Who is told of a transition is in decisions.models.notices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from decisions.states import Status


class ReferenceCounter(models.Model):
    """The last reference number handed out in a series. Locked while a number is taken, inside
    the submitting transaction, so numbers are unique and a failed submission leaves no gap."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last_number}"


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed. A database trigger (see the
    migration) enforces the same on PostgreSQL and SQLite, so even raw SQL cannot rewrite them."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} records are append-only.")


class DecisionVersion(AppendOnly):
    """The content exactly as submitted, frozen at each submission."""

    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.decision} v{self.number}"


class VersionSeen(models.Model):
    """The last version of a request each person has looked at, to show them what changed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey("decisions.Decision", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(DecisionVersion, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "decision"], name="version_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.version}"


class TransitionLog(AppendOnly):
    """Every workflow transition: who, when, from, to, and what they said."""

    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="log")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=200, help_text="“System” for automatic steps.")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_status} → {self.to_status}"


class SignatureKind(models.TextChoices):
    OFFICER_APPROVAL = "officer_approval", "Officer approval (Chief Executive)"
    DMPC_DECISION = "dmpc_decision", "DMPC decision"


class Signature(AppendOnly):
    """An approval or sign-off: what was confirmed, by whom, when, over which content. Each record
    carries the hash of the one before it on the same request, so removing or editing a record
    breaks the chain."""

    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="signatures"
    )
    kind = models.CharField(max_length=30, choices=SignatureKind.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    signer_role = models.CharField(max_length=100)
    declaration_text = models.TextField()
    interests = models.TextField(blank=True)
    signed_at = models.DateTimeField()
    version = models.ForeignKey(DecisionVersion, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.signer_name}"
