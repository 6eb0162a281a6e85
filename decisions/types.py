"""Types shared by the project: the people who act, and what a permission needs of a request.

`User` is the person a service acts for: always signed in, because every page that writes is
behind a sign-in and every service checks the person's role first. `Actor` is whoever is asking,
signed in or not (the public pages, a permission asked of an anonymous visitor).
"""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

__all__ = ["Actor", "AuthenticatedRequest", "RequestLike", "User"]

Actor = User | AnonymousUser


class AuthenticatedRequest(HttpRequest):
    """An HttpRequest behind `login_required`: its user is signed in (django-stubs' pattern)."""

    user: User


class RequestLike(Protocol):
    """What the permission rules read of a request. A Protocol rather than the model, so that the
    model can name its transitions' permissions without the two modules importing each other."""

    @property
    def author_id(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def reference_number(self) -> int | None: ...

    @property
    def approver_id(self) -> int | None:
        """Who gave the current officer approval (the Chief Executive), if anyone has."""
        ...
