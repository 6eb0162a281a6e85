"""The public page of a decision, rendered once and kept while what it was drawn from stands.

Drawing the page is almost all its cost: checking three signatures against the server key,
rebuilding Part 1 from the signed version, hashing the live rows to see that they are still what
was signed (twenty-odd queries) and laying out up to ten annex tables with their charts (a
155 KB body). None of it changes once a decision is published but its PDF, which is made after
publication. So the body is kept in the cache "public_pages" (config/settings.py), under a key
of what a view of a kept page reads in its two small queries: the decision's row, and the id and
SHA-256 of its newest ready public PDF. A change to either, a new PDF above all, is a new key,
and the page is drawn again, with every check, at that view.

All the rest is read again only when the page is drawn, at most MAX_AGE (300 s, the page's own
HTTP max-age) after it was last drawn: the signatures and the signed version (append-only: on
PostgreSQL only a DBA who turns their triggers off changes them), the form version (which
nothing changes once a request uses it), the audit chain's links that vouch for the signatures
and the PDF, and the live content rows (paragraphs, recommendations, the annex tables). Each of
these in the key would cost every view a query, for a change only someone who goes round the
application can make. Such a change shows within 300 s: the page then says its signed record
could not be verified, or withholds the tables, and governance is told. Until then the page
shows what it showed before, which was checked when it was drawn: a changed row never reaches
it.

The body holds Part 1 and the annexes as the public reads them, and nothing of the person
reading: it is rendered without the request, and the layout around it (the person's name and
sign-out button when signed in) is rendered at each view (public/decision.html). Part 2 is read
by nothing here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from decisions.models import Decision, SignatureKind
from decisions.published import signed_reading
from documents.models import DocumentKind, DocumentState, RenderedDocument
from documents.selectors import public_pack
from register import selectors
from register.caching import MAX_AGE

PAGE_CACHE = "public_pages"


@dataclass(frozen=True)
class DecisionPage:
    title: str  # as signed (the live title only when the signed record fails its check)
    body: SafeString


def decision_page(decision: Decision) -> DecisionPage:
    """The body of a published decision's public page, drawn again only when its key changed,
    or MAX_AGE after it was drawn."""
    cache = caches[PAGE_CACHE]
    key = page_key(decision)
    kept: tuple[str, str] | None = cache.get(key)
    if kept is not None:
        # Rendered by draw() from autoescaped templates: as safe as when it was kept.
        return DecisionPage(title=kept[0], body=mark_safe(kept[1]))  # noqa: S308
    page = draw(decision)
    cache.set(key, (page.title, str(page.body)), timeout=MAX_AGE)
    return page


def page_key(decision: Decision) -> str:
    newest_pdf = (
        RenderedDocument.objects.filter(
            decision=decision, kind=DocumentKind.PUBLIC_PACK, state=DocumentState.READY
        )
        .order_by("-pk")
        .values_list("pk", "pdf_sha256")
        .first()
    )
    rows: list[Any] = [_fields(decision), newest_pdf]
    # repr: every value here (text, numbers, dates, JSON) is written out the same each time.
    return f"decision-page:{decision.pk}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"


def _fields(instance: Model) -> list[tuple[str, Any]]:
    return [(f.attname, getattr(instance, f.attname)) for f in instance._meta.concrete_fields]


def draw(decision: Decision) -> DecisionPage:
    """The page's body as the DMPC signed it, with every check made now."""
    # The version the DMPC signed, never the live rows (governance is told if they differ).
    reading = signed_reading(decision)
    body = render_to_string(
        "public/_decision_body.html",
        {
            "decision": reading.decision,
            "doc": reading.doc,
            "intact": reading.intact,
            "officer_approval": reading.signatures.get(SignatureKind.OFFICER_APPROVAL),
            "dmpc_decision": reading.signatures.get(SignatureKind.DMPC_DECISION),
            # The published PDF and its SHA-256, once rendered.
            "public_pdf": public_pack(decision),
            # The tables are read from the live rows: shown only while they are what was signed.
            "annexes": selectors.public_annexes(decision) if reading.as_signed else [],
            "tables_withheld": not reading.as_signed and decision.annexes.exists(),
        },
    )
    return DecisionPage(title=reading.decision.title, body=body)
