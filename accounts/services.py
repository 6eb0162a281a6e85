"""The writes of accounts: roles (given and taken away only here, each recorded), the second
factor (set up, passed; passkeys added, renamed, removed; new backup codes, each change recorded),
and lifting a sign-in lock. Each checks its own permission."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
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

from accounts.models import PASSKEY_NAME_MAX, RoleChange, SecondFactorChange
from accounts.rules import (
    backup_codes_refusal,
    can_unlock,
    own_passkey_refusal,
    passkey_removal_refusal,
    role_change_refusal,
)
from accounts.selectors import backup_codes_left, factors_of, passkeys_of
from accounts.signals import role_changed, second_factor_changed
from decisions.errors import ActionRefused
from decisions.roles import OVERSIGHT_ROLES, Role, display_name, roles_of, second_factor_fresh
from decisions.types import User

BACKUP_CODES = 10
AUTHENTICATOR = "Authenticator app"
BACKUP = "Backup codes"

logger = logging.getLogger(__name__)


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
    _record(user, SecondFactorChange.Action.AUTHENTICATOR_ADDED, name=device.name)
    codes = _new_backup_codes(user)
    mark_passed(user)
    return codes


def _new_backup_codes(user: User) -> list[str]:
    """New backup codes, each good once; the old ones stop working. Recorded."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP)
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    for code in codes:
        static.token_set.create(token=code)
    _record(user, SecondFactorChange.Action.BACKUP_CODES_MADE)
    return codes


@transaction.atomic
def backup_codes_make(*, user: User) -> list[str]:
    """A new set of backup codes for `user`, who has a passkey or an authenticator app and passed
    their second factor within the hour; the old codes stop working. Returns the codes, which
    the page shows once."""
    _lock_person(user)
    refusal = backup_codes_refusal(user, lasting=factors_of(user).lasting)
    if refusal:
        raise ActionRefused(refusal)
    return _new_backup_codes(user)


def second_factor_verify(*, user: User, token: str) -> datetime.datetime:
    """Check a code from the authenticator, or a backup code (used up); ActionRefused if it is
    neither. Returns the time it was passed, which the session keeps."""
    # Someone with no authenticator app is asked only for a backup code, as the page asks.
    backup_only = not factors_of(user).authenticator
    if not token.strip():
        raise ActionRefused(
            "Enter a backup code"
            if backup_only
            else "Enter the code from your authenticator app or a backup code"
        )
    if match_token(user, token.replace(" ", "").strip()) is None:
        raise ActionRefused(
            "The code is not right. Enter a backup code you have not used."
            if backup_only
            else "The code is not right. Enter the code your app shows now, or a backup code "
            "you have not used."
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


@dataclass(frozen=True)
class PasskeyAdded:
    passkey: WebAuthnCredential
    at: datetime.datetime  # when the second factor counts as passed (setting it up passes it)
    backup_codes: list[str]  # new backup codes, to be shown once; [] if they had some left


@transaction.atomic
def passkey_add(
    *, user: User, helper: WebAuthnHelper, state: dict[str, Any], data: Any
) -> PasskeyAdded:
    """Keep the passkey the browser made for `user` (django-otp-webauthn's helper checks the
    answer against `state`, the challenge the session kept, and stores it). Setting it up counts
    as passing the second factor, as confirming an authenticator app does. Someone with no
    backup code left (a passkey as their first second factor) is given a set, as an
    authenticator app's set-up gives one: a lost passkey must not lock its owner out."""
    _lock_person(user)
    refusal = passkey_registration_refusal(user)
    if refusal:
        raise ActionRefused(refusal)
    name = _unused_passkey_name(user)
    with rewrite_exceptions(logger=None):
        device = helper.register_complete(user=user, state=state, data=data)
    device.name = name
    device.save(update_fields=["name"])
    _record(user, SecondFactorChange.Action.PASSKEY_ADDED, passkey=device)
    codes = _new_backup_codes(user) if backup_codes_left(user) == 0 else []
    return PasskeyAdded(passkey=device, at=mark_passed(user), backup_codes=codes)


def _unused_passkey_name(user: User) -> str:
    """The first of "Passkey 1", "Passkey 2", … not taken by one of theirs (they can rename it)."""
    taken = set(passkeys_of(user).values_list("name", flat=True))
    number = 1
    while f"Passkey {number}" in taken:
        number += 1
    return f"Passkey {number}"


def _own_passkey(user: User, passkey: WebAuthnCredential) -> WebAuthnCredential:
    """The passkey's row, locked, once it is known to be `user`'s."""
    refusal = own_passkey_refusal(user, passkey.user_id)
    locked = WebAuthnCredential.objects.select_for_update().filter(pk=passkey.pk).first()
    if refusal or locked is None or locked.user_id != user.pk:
        raise ActionRefused(refusal or "This passkey has been removed.")
    return locked


@transaction.atomic
def passkey_rename(*, user: User, passkey: WebAuthnCredential, name: str) -> SecondFactorChange:
    """Give one of `user`'s passkeys a name they will know it by ("Work laptop")."""
    name = name.strip()
    if not name:
        raise ActionRefused("Enter a name for the passkey")
    if len(name) > PASSKEY_NAME_MAX:
        raise ActionRefused(f"Passkey name must be {PASSKEY_NAME_MAX} characters or fewer")
    locked = _own_passkey(user, passkey)
    previous = locked.name
    locked.name = name
    locked.save(update_fields=["name"])
    return _record(
        user, SecondFactorChange.Action.PASSKEY_RENAMED, passkey=locked, previous_name=previous
    )


@transaction.atomic
def passkey_remove(*, user: User, passkey: WebAuthnCredential) -> SecondFactorChange:
    """Remove one of `user`'s passkeys: never the last second factor that lasts of someone whose
    role needs one, and only with the second factor passed within the hour."""
    # Two removals at once (two tabs) would each see the other passkey still there and leave
    # none: the person's row is locked first, so the second waits and counts again.
    _lock_person(user)
    locked = _own_passkey(user, passkey)
    refusal = passkey_removal_refusal(
        user, locked.user_id, lasting_after=factors_of(user).lasting - 1
    )
    if refusal:
        raise ActionRefused(refusal)
    change = _record(user, SecondFactorChange.Action.PASSKEY_REMOVED, passkey=locked)
    locked.delete()
    return change


def _lock_person(user: User) -> None:
    """Serialise the changes one person makes to their own second factors."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _record(
    user: User,
    action: str,
    *,
    passkey: WebAuthnCredential | None = None,
    name: str = "",
    previous_name: str = "",
) -> SecondFactorChange:
    """Record a change to `user`'s second factors (append-only, and a link of the audit chain
    through the signal, inside the caller's transaction) and log it."""
    change = SecondFactorChange.objects.create(
        person=user,
        person_name=display_name(user),
        action=action,
        passkey=passkey.pk if passkey is not None else None,
        name=passkey.name if passkey is not None else name,
        previous_name=previous_name,
    )
    second_factor_changed.send(sender=SecondFactorChange, change=change)
    logger.info(
        "Second factor change #%s: %s (user %s, passkey %s)",
        change.pk,
        action,
        user.pk,
        change.passkey,
    )
    return change


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
