"""Carries the time a person passed their second factor from their session to their user object
(`second_factor_at`), where decisions' permission rules read it. Only the session knows it, so a
stolen password alone, a command or a shell never has it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

SESSION_KEY = "pcd_second_factor_at"
CODES_KEY = "pcd_backup_codes_to_show"


def remember_passed(session: SessionBase, at: datetime.datetime) -> None:
    """Keep, in the person's session, when they passed their second factor."""
    session[SESSION_KEY] = at.timestamp()


def keep_codes_to_show(session: SessionBase, codes: list[str], *, heading: str) -> None:
    """New backup codes, kept until the page that shows them once (under `heading`) is opened: a
    passkey's set-up answers the browser's script in JSON, and a POST that makes codes
    redirects, so the codes cross one request in the session (server-side), never an address."""
    session[CODES_KEY] = {"codes": list(codes), "heading": heading}


def codes_to_show(session: SessionBase) -> tuple[list[str], str]:
    """The new backup codes and their page's heading, once: taken out of the session as read."""
    kept = session.pop(CODES_KEY, None) or {}
    return list(kept.get("codes", [])), str(kept.get("heading", ""))


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only a request that brought a session cookie: reading the session of any other (the
        # public pages) would mark it accessed and add "Vary: Cookie" to cacheable pages.
        has_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        passed = session.get(SESSION_KEY) if session is not None and has_cookie else None
        if passed is not None and request.user.is_authenticated:
            request.user.second_factor_at = datetime.datetime.fromtimestamp(  # type: ignore[attr-defined]
                float(passed), tz=datetime.UTC
            )
        return self.get_response(request)
