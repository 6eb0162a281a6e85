"""The people of the service and their roles. A role is a Django group of the same name, so that
governance officers manage who holds which role in the admin, with nothing to deploy."""

from __future__ import annotations

from django.db import models

from decisions.types import Actor, User


class Role(models.TextChoices):
    OFFICER = "officer", "Originating officer"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    DMPC = "dmpc", "Deputy Mayor for Policing and Crime"
    GOVERNANCE = "governance", "Governance officer"


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
