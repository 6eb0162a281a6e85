"""Public reads from a read replica, when one is configured (DATABASE_REPLICA_URL).

The public pages (the register, published decisions, their PDFs, open data) are read by anyone
and change only at publication, so they can be served from a PostgreSQL streaming replica and
take that load off the primary. Everything a member of staff does, and every write, stays on the
primary: a request that a person just changed is read back from where it was written. A replica
that lags by seconds shows a decision published seconds ago a moment later; nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PUBLIC_PREFIXES = ("/decisions", "/api/")

_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


def is_public_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(PUBLIC_PREFIXES)
        and not request.user.is_authenticated
    )


class PublicReadsMiddleware:
    """Marks an anonymous GET of a public page, for the router (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


class PublicReadsRouter:
    """Reads of a public page go to the replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return REPLICA if _public_read.get() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # it follows the primary's schema by replication
