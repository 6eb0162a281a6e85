"""Who may change whose roles, and who may lift a sign-in lock: each rule once, as a function
that gives the reason for a refusal (or None), asked by the services and the pages alike."""

from __future__ import annotations

from decisions.permissions import Refusal, second_factor_refusal
from decisions.roles import Role, has_role, role_conflict, roles_of
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
