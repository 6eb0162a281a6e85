"""The people of the service and their roles. A role is a Django group of the same name; roles
change only through accounts.services (a system administrator's service, recorded in an
append-only log), never in the admin.

Two facts the workflow's permissions need about a person live here, so that decisions never
imports the accounts app: which roles exclude which (separation of duties), and whether the person
passed their second factor recently (`second_factor_at`, set on the user object by
accounts.middleware from the session, or by accounts.services when a command verifies a code).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from decisions.types import Actor, User


class Role(models.TextChoices):
    OFFICER = "officer", "Originating officer"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    DMPC = "dmpc", "Deputy Mayor for Policing and Crime"
    GOVERNANCE = "governance", "Governance officer"
    SYSTEM_ADMIN = "system_admin", "System administrator"


# The roles that sign (the Chief Executive's approval, the DMPC's decision) …
SIGNING_ROLES = frozenset({Role.CHIEF_EXECUTIVE.value, Role.DMPC.value})
# … and the roles that oversee or manage the system, which nobody who signs may hold: otherwise
# one person could change the record, or the roles, behind their own signature.
OVERSIGHT_ROLES = frozenset({Role.GOVERNANCE.value, Role.SYSTEM_ADMIN.value})

# Who must pass a second factor (an authenticator code, a backup code) to act, and how long a
# passed factor counts for an approval, a sign-off or a role change.
SECOND_FACTOR_ROLES = frozenset(
    {Role.CHIEF_EXECUTIVE.value, Role.DMPC.value, Role.GOVERNANCE.value, Role.SYSTEM_ADMIN.value}
)
SECOND_FACTOR_FRESH = datetime.timedelta(hours=1)


def roles_of(user: Actor | None) -> frozenset[str]:
    """The roles a user holds, cached on the user object for the length of one request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_pcd_roles", None)
    if cached is None:
        names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
        cached = frozenset(names)
        setattr(user, "_pcd_roles", cached)  # noqa: B010 - a cache Django's User does not declare
    return cached


def has_role(user: Actor | None, role: Role) -> bool:
    return role.value in roles_of(user)


def display_name(user: User) -> str:
    """How a person is named on the request, in its log and on their signature."""
    return str(user.get_full_name() or user.get_username())


def role_conflict(held: frozenset[str] | set[str], role: str) -> str | None:
    """Why `role` cannot be added to someone holding `held` (separation of duties), or None."""
    if role in SIGNING_ROLES and held & OVERSIGHT_ROLES:
        other = Role(sorted(held & OVERSIGHT_ROLES)[0]).label
        return (
            f"A {other.lower()} cannot also be the {Role(role).label}: "
            "nobody who signs may oversee."
        )
    if role in OVERSIGHT_ROLES and held & SIGNING_ROLES:
        other = Role(sorted(held & SIGNING_ROLES)[0]).label
        return (
            f"The {other} cannot also be a {Role(role).label.lower()}: "
            "nobody who signs may oversee."
        )
    return None


def needs_second_factor(user: Actor | None) -> bool:
    return bool(roles_of(user) & SECOND_FACTOR_ROLES)


def second_factor_fresh(user: Actor | None, now: datetime.datetime | None = None) -> bool:
    """Whether the person passed their second factor within the last hour. The time is an
    attribute of the user object for this request only (never stored on the user's row): a user
    loaded in a shell or a command has none, so no path acts without passing it."""
    at: datetime.datetime | None = getattr(user, "second_factor_at", None)
    if at is None:
        return False
    return (now or timezone.now()) - at <= SECOND_FACTOR_FRESH
