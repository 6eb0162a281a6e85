"""The people of DESIGN §2. A role is a Django group of the same name, so that governance officers
manage who holds which role in the admin, with nothing to deploy."""

from __future__ import annotations

from typing import Any

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Originating officer"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    DMPC = "dmpc", "Deputy Mayor for Policing and Crime"
    GOVERNANCE = "governance", "Governance officer"


def roles_of(user: Any) -> frozenset[str]:
    """The roles a user holds, cached on the user object for the length of one request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_pcd_roles", None)
    if cached is None:
        names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
        cached = frozenset(names)
        user._pcd_roles = cached
    return cached


def has_role(user: Any, role: Role) -> bool:
    return role.value in roles_of(user)
