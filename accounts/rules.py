"""Who may change whose roles, who may lift a sign-in lock, and what a person may change of their
own second factors: each rule once, as a function that gives the reason for a refusal (or None),
asked by the services and the pages alike."""

from __future__ import annotations

from decisions.permissions import Refusal, second_factor_refusal
from decisions.roles import (
    SECOND_FACTOR_ROLES,
    Role,
    has_role,
    role_conflict,
    roles_of,
    second_factor_fresh,
)
from decisions.types import Actor, User


def role_change_refusal(actor: Actor | None, subject: User, role: str, *, adding: bool) -> Refusal:
    if not has_role(actor, Role.SYSTEM_ADMIN):
        return "Only a system administrator can change people's roles."
    if actor is not None and actor.pk == subject.pk:
        return "You cannot change your own roles. Ask another system administrator."
    if role not in Role.values:
        return "Choose a role."
    held = roles_of(subject)
    if adding:
        if role in held:
            return f"{subject.get_username()} is already a {Role(role).label}."
        conflict = role_conflict(held, role)
        if conflict:
            return conflict
    elif role not in held:
        return f"{subject.get_username()} is not a {Role(role).label}."
    return second_factor_refusal(actor, "change anyone's roles")


def can_manage_roles(actor: Actor | None) -> bool:
    return has_role(actor, Role.SYSTEM_ADMIN)


def can_unlock(actor: Actor | None) -> bool:
    """Governance officers lift sign-in locks (and so do system administrators)."""
    return has_role(actor, Role.GOVERNANCE) or has_role(actor, Role.SYSTEM_ADMIN)


# --- one's own second factors --------------------------------------------------------------------


def _not_confirmed(action: str) -> str:
    return (
        f"Confirm it is you with your second factor before you {action}: it has not been "
        f"confirmed in the last hour."
    )


def own_passkey_refusal(actor: Actor | None, owner_id: int) -> Refusal:
    """A passkey is changed only by the person it belongs to (the pages answer 404 to anyone
    else's, so this is for any other path)."""
    if actor is None or not actor.is_authenticated or actor.pk != owner_id:
        return "You can only change your own passkeys."
    return None


def last_factor_refusal(actor: Actor | None, *, lasting_after: int) -> Refusal:
    """Why removing a passkey, which would leave `actor` `lasting_after` passkeys and
    authenticator apps, is refused whoever they are and however recently they confirmed it is
    them: someone whose role needs a second factor keeps at least one that lasts, since backup
    codes alone run out, and then they could not approve, sign off or manage the system."""
    needing = roles_of(actor) & SECOND_FACTOR_ROLES
    if lasting_after > 0 or not needing:
        return None
    held = ", ".join(Role(r).label for r in Role.values if r in needing)
    return (
        f"You cannot remove your only passkey. Your role ({held}) needs a second factor, and "
        f"backup codes alone run out. Add another passkey first, then remove this one."
    )


def passkey_removal_refusal(actor: Actor | None, owner_id: int, *, lasting_after: int) -> Refusal:
    """Why `actor` may not remove one of their passkeys (see last_factor_refusal). Removing needs
    the second factor passed within the hour, so that a stolen password alone cannot take a
    passkey away from its owner."""
    refusal = own_passkey_refusal(actor, owner_id) or last_factor_refusal(
        actor, lasting_after=lasting_after
    )
    if refusal:
        return refusal
    if not second_factor_fresh(actor):
        return _not_confirmed("remove a passkey")
    return None


def backup_codes_refusal(actor: Actor | None, *, lasting: int) -> Refusal:
    """Why `actor` may not make a new set of backup codes. They stand in for a passkey or an
    authenticator app, so someone needs one of those first; and making them needs the second
    factor passed within the hour, since whoever sees the new codes can pass it."""
    if actor is None or not actor.is_authenticated:
        return "Sign in to make backup codes."
    if lasting < 1:
        return "Add a passkey or set up an authenticator app before you make backup codes."
    if not second_factor_fresh(actor):
        return _not_confirmed("make new backup codes")
    return None
