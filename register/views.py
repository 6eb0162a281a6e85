"""The public register and the public page of each decision. Only published decisions exist here;
Part 2 is never read."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions import selectors
from decisions.document import build_document
from decisions.models import SignatureKind
from decisions.signatures import current_signatures
from documents.selectors import public_pack
from register import search
from register.selectors import (
    Key,
    apply_filters,
    decision_makers,
    keyset_page,
    publication_years,
    published_decisions,
)

PAGE_SIZE = 20
ANNEX_CHOICES = {"yes": True, "no": False}


def register(request: HttpRequest) -> HttpResponse:
    """The register: a GET form (search and filters) and a page of results, newest first, with
    Previous and Next links that carry the key of the page's edge."""
    params = request.GET
    q = search.clean_query(params.get("q"))
    years = publication_years()
    year = _int(params.get("year"))
    year = year if year in years else None
    makers = decision_makers()
    maker = params.get("decision_maker", "")
    maker = maker if maker in makers else ""
    annex = params.get("annex", "")
    annex = annex if annex in ANNEX_CHOICES else ""

    qs = apply_filters(
        published_decisions(), year=year, decision_maker=maker, has_annex=ANNEX_CHOICES.get(annex)
    )
    qs = search.search(qs, q)
    page = keyset_page(
        qs,
        after=Key.parse(params.get("after")),
        before=Key.parse(params.get("before")),
        size=PAGE_SIZE,
    )
    kept = {"q": q, "year": year or "", "decision_maker": maker, "annex": annex}
    kept = {k: v for k, v in kept.items() if v}
    snippets = search.snippets(page.decisions, q)
    return render(
        request,
        "public/register.html",
        {
            "results": [(d, snippets.get(d.pk)) for d in page.decisions],
            "q": q,
            "years": years,
            "year": year,
            "decision_makers": makers,
            "decision_maker": maker,
            "annex": annex,
            "filtered": bool(kept),
            "next_url": f"?{urlencode({**kept, 'after': page.next_key})}"
            if page.next_key
            else None,
            "previous_url": f"?{urlencode({**kept, 'before': page.previous_key})}"
            if page.previous_key
            else None,
        },
    )


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def decision_detail(request: HttpRequest, number: int) -> HttpResponse:
    decision = selectors.published_decision(number)
    signatures = current_signatures(decision)
    return render(
        request,
        "public/decision.html",
        {
            "decision": decision,
            "doc": build_document(decision),
            "officer_approval": signatures.get(SignatureKind.OFFICER_APPROVAL),
            "dmpc_decision": signatures.get(SignatureKind.DMPC_DECISION),
            # The published PDF and its SHA-256, once rendered.
            "public_pdf": public_pack(decision),
        },
    )
