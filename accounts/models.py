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


PASSKEY_NAME_MAX = 64  # django-otp's Device.name, which a passkey's name is


class SecondFactorChange(AppendOnly):
    """One change a person made to their own second factors: a passkey added, renamed or removed,
    an authenticator app set up, a new set of backup codes. Kept so that a passkey slipped onto
    someone's account, or one taken away, is on the record with when it happened; the names are
    copied, as the passkey may be gone. On PostgreSQL a trigger refuses UPDATE and DELETE
    (migration 0003)."""

    class Action(models.TextChoices):
        AUTHENTICATOR_ADDED = "authenticator_added", "Authenticator app set up"
        PASSKEY_ADDED = "passkey_added", "Passkey added"
        PASSKEY_RENAMED = "passkey_renamed", "Passkey renamed"
        PASSKEY_REMOVED = "passkey_removed", "Passkey removed"
        BACKUP_CODES_MADE = "backup_codes_made", "New backup codes made"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(max_length=200)
    action = models.CharField(max_length=30, choices=Action.choices)
    # The passkey's id and name (no foreign key: a removed passkey's row is gone).
    passkey = models.PositiveBigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=PASSKEY_NAME_MAX, blank=True)
    previous_name = models.CharField(max_length=PASSKEY_NAME_MAX, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        what = self.get_action_display()
        if self.action == self.Action.PASSKEY_RENAMED:
            return f"{what}: “{self.previous_name}” to “{self.name}”"
        return f"{what}: “{self.name}”" if self.name else what
