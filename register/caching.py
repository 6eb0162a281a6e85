"""HTTP caching for the public side: every published page, PDF, CSV and API answer says how long
it may be kept (Cache-Control) and carries a validator (ETag, or Last-Modified where the answer
is streamed), so a browser, a proxy or a crawler asking again gets 304 Not Modified and no body.

Public answers change only when something is published (or its PDF becomes ready), so five
minutes is short enough for a new decision to show up promptly and long enough to spare the
database a crawler's repeated visits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page

MAX_AGE = 300

View = TypeVar("View", bound=Callable[..., Any])


def public_cache(view: View) -> View:
    """ETag from the body (unless the view set one, as the PDF does with its SHA-256), 304 for
    a matching If-None-Match or If-Modified-Since, and Cache-Control: public, max-age=300."""
    cached: View = cache_control(public=True, max_age=MAX_AGE)(conditional_page(view))
    return cached
