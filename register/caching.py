"""HTTP caching for the public side: every published page, PDF, CSV and API answer says how long
it may be kept (Cache-Control) and carries a validator (ETag, or one the view computes), so a
browser, a proxy or a crawler asking again gets 304 Not Modified and no body.

Public answers change only when something is published (or its PDF becomes ready), so five
minutes is short enough for a new decision to show up promptly and long enough to spare the
database a crawler's repeated visits. A signed-in person's copy of a public page names them (and
carries their sign-out form), so it is private to them and revalidated each time."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.decorators.http import conditional_page

MAX_AGE = 300

View = TypeVar("View", bound=Callable[..., Any])


def cache_headers(
    request: HttpRequest, response: HttpResponseBase, *, max_age: int = MAX_AGE
) -> None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    elif max_age:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, no_cache=True)


def _cached(view: View, max_age: int) -> View:
    conditional = conditional_page(view)

    @wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = conditional(request, *args, **kwargs)
        cache_headers(request, response, max_age=max_age)
        return response

    return cached  # type: ignore[return-value]


def public_cache(view: View) -> View:
    """ETag from the body (unless the view set one, as the PDF does with its SHA-256), 304 for
    a matching If-None-Match or If-Modified-Since, and Cache-Control: public, max-age=300."""
    return _cached(view, MAX_AGE)


def revalidated(view: View) -> View:
    """As public_cache, but kept only as long as the server says it is unchanged (no-cache: a
    304 each time): the register's page, where a decision published a minute ago must show."""
    return _cached(view, 0)
