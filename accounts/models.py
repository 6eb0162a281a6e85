"""Who was given or lost which role, by whom and when: written once, never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from decisions.models.records import AppendOnly
from decisions.roles import Role


class RoleChange(AppendOnly):
    """One role given to or taken from one person, by a system administrator. The names are
    copied, so the record reads the same if the accounts are renamed later. On PostgreSQL a
    trigger refuses UPDATE and DELETE (migration 0001)."""

    class Action(models.TextChoices):
        GRANTED = "granted", "Given"
        REMOVED = "removed", "Taken away"

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    subject_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            # Nobody changes their own roles (a command run by nobody, actor NULL, is the set-up).
            models.CheckConstraint(
                name="rolechange_not_own", condition=~models.Q(actor=models.F("subject"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.get_role_display()} {self.get_action_display().lower()}"
