"""The writes of accounts: roles (given and taken away only here, each recorded), the second
factor (set up, passed), and lifting a sign-in lock. Each checks its own permission."""

from __future__ import annotations

import datetime
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp import match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from accounts.models import RoleChange
from accounts.rules import can_unlock, role_change_refusal
from accounts.signals import role_changed
from decisions.errors import ActionRefused
from decisions.roles import OVERSIGHT_ROLES, Role, display_name, roles_of, second_factor_fresh
from decisions.types import User

BACKUP_CODES = 10
AUTHENTICATOR = "Authenticator app"
BACKUP = "Backup codes"


# --- roles ---------------------------------------------------------------------------------------


@transaction.atomic
def role_change(*, actor: User | None, subject: User, role: str, adding: bool) -> RoleChange:
    """Give `role` to `subject` (adding) or take it away, as `actor`, a system administrator who
    passed their second factor within the hour; never their own roles. `actor=None` is the
    set-up of the system itself (the demo loader, the first administrator), which no page can
    reach."""
    if actor is not None:
        refusal = role_change_refusal(actor, subject, role, adding=adding)
        if refusal:
            raise ActionRefused(refusal)
    group = Group.objects.get(name=role)
    if adding:
        subject.groups.add(group)
    else:
        subject.groups.remove(group)
    subject.__dict__.pop("_pcd_roles", None)  # roles_of()'s cache on the object
    # The admin is for those who oversee: governance officers and system administrators.
    staff = bool(roles_of(subject) & OVERSIGHT_ROLES)
    if subject.is_staff != staff and not subject.is_superuser:
        subject.is_staff = staff
        subject.save(update_fields=["is_staff"])
    change = RoleChange.objects.create(
        subject=subject,
        subject_name=display_name(subject),
        role=role,
        action=RoleChange.Action.GRANTED if adding else RoleChange.Action.REMOVED,
        actor=actor,
        actor_name=display_name(actor) if actor is not None else "System set-up",
    )
    role_changed.send(sender=RoleChange, change=change)
    return change


def role_grant(*, actor: User | None, subject: User, role: Role) -> RoleChange:
    return role_change(actor=actor, subject=subject, role=role.value, adding=True)


def role_remove(*, actor: User | None, subject: User, role: Role) -> RoleChange:
    return role_change(actor=actor, subject=subject, role=role.value, adding=False)


# --- the second factor ---------------------------------------------------------------------------


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def has_passkey(user: User) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def authenticator_for_setup(user: User) -> TOTPDevice:
    """The authenticator (TOTP) device being set up: made once, unconfirmed until a code from it
    is entered, so reloading the page shows the same QR code."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


@transaction.atomic
def second_factor_confirm_setup(*, user: User, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns the new backup codes (shown once).
    Marks the person as having passed their second factor now."""
    device = authenticator_for_setup(user)
    if not device.verify_token(token.replace(" ", "")):
        raise ActionRefused("The code is not right. Enter the 6-digit code your app shows now.")
    device.confirmed = True
    device.save()
    codes = backup_codes_replace(user=user)
    mark_passed(user)
    return codes


def backup_codes_replace(*, user: User) -> list[str]:
    """New backup codes, each good once; the old ones stop working."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP)
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    for code in codes:
        static.token_set.create(token=code)
    return codes


def second_factor_verify(*, user: User, token: str) -> datetime.datetime:
    """Check a code from the authenticator, or a backup code (used up); ActionRefused if it is
    neither. Returns the time it was passed, which the session keeps."""
    if not token.strip():
        raise ActionRefused("Enter the code from your authenticator app, or a backup code.")
    if match_token(user, token.replace(" ", "").strip()) is None:
        raise ActionRefused(
            "The code is not right. Enter the code your app shows now, or an unused backup code."
        )
    return mark_passed(user)


def passkey_registration_refusal(user: User) -> str:
    """Why `user` may not register a passkey now, or "". Someone who has a second factor must
    pass it first (within the hour): otherwise a stolen password alone could add a passkey and
    pass as its owner."""
    if not user.is_authenticated or not user.is_active:
        return "Sign in to set up a passkey."
    if has_second_factor(user) and not second_factor_fresh(user):
        return "Confirm it is you with your second factor before you add a passkey."
    return ""


@transaction.atomic
def passkey_add(
    *, user: User, helper: WebAuthnHelper, state: dict[str, Any], data: Any
) -> tuple[WebAuthnCredential, datetime.datetime]:
    """Keep the passkey the browser made for `user` (django-otp-webauthn's helper checks the
    answer against `state`, the challenge the session kept, and stores it). Setting it up counts
    as passing the second factor, as confirming an authenticator app does. Returns the passkey
    and the time it was passed, which the session keeps."""
    refusal = passkey_registration_refusal(user)
    if refusal:
        raise ActionRefused(refusal)
    with rewrite_exceptions(logger=None):
        device = helper.register_complete(user=user, state=state, data=data)
    return device, mark_passed(user)


def passkey_verify(*, user: User, device: Device) -> datetime.datetime:
    """`user` answered the challenge with `device`, a passkey django-otp-webauthn checked: it
    must be one of theirs, confirmed. Returns the time it was passed, which the session keeps."""
    if not user.is_authenticated or device.user_id != user.pk or not device.confirmed:
        raise ActionRefused("This passkey is not one of yours. Use one you set up here.")
    return mark_passed(user)


def mark_passed(user: User) -> datetime.datetime:
    """The person passed their second factor now (decisions.roles.second_factor_fresh reads it)."""
    at = timezone.now()
    user.second_factor_at = at  # type: ignore[attr-defined]
    return at


# --- sign-in locks -------------------------------------------------------------------------------


def sign_in_unlock(*, actor: User, username: str) -> int:
    """Lift the lock on an account (and on the failed attempts counted against it)."""
    if not can_unlock(actor):
        raise ActionRefused("Only a governance officer can lift a sign-in lock.")
    return int(axes_reset(username=username))
