"""Reading pages as a person would: their text, their error summary, their labels."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format

# With DEBUG off (as pytest-django runs), config.settings picks WhiteNoise's manifest storage, and
# `{% static %}` raises "Missing staticfiles manifest entry for 'build/app.css'" on every page
# until `collectstatic` has written var/staticfiles/staticfiles.json. Pages are tested without
# collectstatic, so they use the plain storage.
PLAIN_STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


def use_plain_static_storage(settings: Any) -> None:
    """Call with pytest-django's `settings` fixture. A new dict, not an edit in place, so that
    the fixture restores the original and Django's setting_changed signal resets the cached
    static files storage (in the live server's thread too)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": PLAIN_STATIC_STORAGE},
    }


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_of(response: Any) -> str:
    return response.content.decode()


def text_of(response_or_html: Any) -> str:
    """The words on the page, entities decoded and white space collapsed."""
    html = response_or_html if isinstance(response_or_html, str) else html_of(response_or_html)
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


class _ErrorSummary(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
        elif "govuk-error-summary" in classes:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def error_summary(response: Any) -> str:
    """The text of the GOV.UK error summaries on the page ("" when there is none)."""
    parser = _ErrorSummary()
    parser.feed(html_of(response))
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


class _Controls(HTMLParser):
    NOT_LABELLED = frozenset({"hidden", "submit", "button", "reset", "image"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, str | None, str | None]] = []  # (tag, id, name)
        self.attrs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label" and found.get("for"):
            self.label_for.add(str(found["for"]))
        elif tag in {"textarea", "select"} or (
            tag == "input" and (found.get("type") or "text") not in self.NOT_LABELLED
        ):
            self.controls.append((tag, found.get("id"), found.get("name")))
            self.attrs.append(found)

    handle_startendtag = handle_starttag


def form_controls(response: Any) -> list[tuple[str, str | None, str | None]]:
    parser = _Controls()
    parser.feed(html_of(response))
    return parser.controls


def values_of(response: Any, name: str) -> list[str]:
    """The values of the form controls called `name` (for example each checkbox of a group)."""
    parser = _Controls()
    parser.feed(html_of(response))
    return [str(a.get("value")) for a in parser.attrs if a.get("name") == name]


def unlabelled_controls(response: Any) -> list[tuple[str, str | None, str | None]]:
    """Inputs, text areas and selects with no <label for="their id">."""
    parser = _Controls()
    parser.feed(html_of(response))
    return [c for c in parser.controls if not c[1] or c[1] not in parser.label_for]


def local_date(moment: Any, fmt: str) -> str:
    """A date as the pages print it: in Europe/London, with a Django date format."""
    return date_format(timezone.localtime(moment), fmt)
