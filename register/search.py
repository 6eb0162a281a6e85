"""Searching the register: PostgreSQL full-text search (English stemming, over the stored
generated `search_vector` of register_registerentry and its GIN index), or on SQLite every word
found anywhere in the texts. Results keep the register's order (newest first), so the keyset
pagination serves a search as it serves the list. Only Part 1 texts are searched
(register.models)."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from decisions.models import Decision
from register.models import RegisterEntry

MAX_QUERY = 200
SNIPPET_WORDS = 30
# ts_headline marks the matches with these; the text is escaped afterwards and only then are they
# turned into <mark>, so nothing the officers wrote can become markup.
_START, _STOP = "\x02", "\x03"
_HEADLINE_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, MaxWords={SNIPPET_WORDS}, MinWords=15"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(q: str | None) -> str:
    return " ".join((q or "").replace(_START, " ").replace(_STOP, " ").split())[:MAX_QUERY]


def search(qs: QuerySet[Decision], q: str) -> QuerySet[Decision]:
    """The decisions of `qs` that match `q` (websearch syntax on PostgreSQL: words, "a phrase",
    -excluded, or)."""
    q = clean_query(q)
    if not q:
        return qs
    if _postgres():
        matching = RawSQL(
            "SELECT decision_id FROM register_registerentry "
            "WHERE search_vector @@ websearch_to_tsquery('english', %s)",
            [q],
        )
        return qs.filter(pk__in=matching)
    for word in _words(q):
        qs = qs.filter(
            Q(register_entry__title__icontains=word)
            | Q(register_entry__summary__icontains=word)
            | Q(register_entry__body__icontains=word)
        )
    return qs


def snippets(decisions: list[Decision], q: str) -> dict[int, SafeString]:
    """For each decision of a page, a passage of its summary and Part I with the words found
    highlighted (<mark>), as safe HTML. One query for the page on PostgreSQL."""
    q = clean_query(q)
    if not q or not decisions:
        return {}
    ids = [d.pk for d in decisions]
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT decision_id, ts_headline('english', summary || E'\\n' || body, "
                "websearch_to_tsquery('english', %s), %s) "
                "FROM register_registerentry WHERE decision_id = ANY(%s)",
                [q, _HEADLINE_OPTIONS, ids],
            )
            return {pk: _marked(text) for pk, text in cursor.fetchall()}
    texts = RegisterEntry.objects.filter(pk__in=ids).values_list("pk", "summary", "body")
    return {pk: _marked(_passage(f"{summary}\n{body}", _words(q))) for pk, summary, body in texts}


def _words(q: str) -> list[str]:
    return [w for w in re.findall(r"\w+", q) if w.lower() != "or"]


def _passage(text: str, words: list[str]) -> str:
    """SQLite's stand-in for ts_headline: the words around the first match, matches marked."""
    tokens = text.split()
    lowered = [w.lower() for w in words]
    first = next(
        (i for i, t in enumerate(tokens) if any(w in t.lower() for w in lowered)),
        0,
    )
    start = max(0, first - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    passage = " ".join(window).replace(_START, "").replace(_STOP, "")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", passage)


def _marked(text: str) -> SafeString:
    escaped = escape(text)
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )
