"""The public register and the public page of each decision, with its finance tables as CSV, and
the pages every page's footer links to. Only published decisions exist here; Part 2, return
comments and the explanations of findings are never read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify

from audit import keys
from decisions import selectors as decision_selectors
from decisions.dates import LONDON
from decisions.models import Decision
from documents import verification
from documents.attachments import table_csv
from finance.models import AnnexTable
from finance.spreadsheets import csv_bytes
from register import decision_page, search, selectors
from register.caching import public_cache, revalidated
from register.forms import CheckDocumentForm
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


@revalidated
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
    base = reverse("public:register")
    return render(
        request,
        "public/register.html",
        {
            "results": [_result(d, base, snippets.get(d.pk)) for d in page.decisions],
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


@dataclass(frozen=True)
class Result:
    decision: Decision
    url: str
    signed: datetime.date | None
    published: datetime.date | None
    snippet: SafeString | None

    @staticmethod
    def _text(day: datetime.date | None) -> str:
        return f"{day.day} {day:%B %Y}" if day else ""

    @property
    def signed_text(self) -> str:
        return self._text(self.signed)

    @property
    def published_text(self) -> str:
        return self._text(self.published)


def _result(decision: Decision, base: str, snippet: SafeString | None) -> Result:
    # Dates and addresses made here rather than by template filters and {% url %}: twenty rows
    # of them were most of the page's time.
    def day(moment: datetime.datetime | None) -> datetime.date | None:
        return moment.astimezone(LONDON).date() if moment else None

    return Result(
        decision=decision,
        url=f"{base}{decision.slug}/",
        signed=day(decision.signed_off_at),
        published=day(decision.published_at),
        snippet=snippet,
    )


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


@public_cache
def decision_detail(request: HttpRequest, number: int) -> HttpResponse:
    # With its form version: drawing the page reads it, and the signed reading's copy keeps it.
    decision = decision_selectors.published_decision(number)
    # Part 1 as the DMPC signed it, drawn once and kept while the rows it was drawn from stand;
    # the layout around it is the reader's own.
    page = decision_page.decision_page(decision)
    return render(request, "public/decision.html", {"decision": decision, "page": page})


def signing_key(request: HttpRequest) -> HttpResponse:
    """/decisions/signing-key.pem: the public half of the key that signs signatures, the audit
    chain and the published PDFs' seals, for anyone to check them (manage.py verify_pdf --key)."""
    response = HttpResponse(keys.public_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="pcd-signing-key.pem"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def check_document(request: HttpRequest) -> HttpResponse:
    """/decisions/check/: whether a PDF, or a SHA-256, is a decision as signed and published."""
    verdict = None
    if request.method == "POST":
        form = CheckDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("pdf")
            verdict = (
                verification.check_file(upload.read())
                if upload
                else verification.check_sha256(form.cleaned_data["sha256"])
            )
    else:
        form = CheckDocumentForm()
    return render(request, "public/check.html", {"form": form, "verdict": verdict})


def csv_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _table(decision: Decision, annex: int, table: int) -> AnnexTable:
    if not selectors.tables_as_signed(decision):
        raise Http404("This decision's tables are being checked; its PDF carries them as signed.")
    found = AnnexTable.objects.filter(
        annex__decision=decision, annex__position=annex, position=table
    ).first()
    if found is None:
        raise Http404("This decision has no such table.")
    return found


@public_cache
def table_csv_download(request: HttpRequest, number: int, annex: int, table: int) -> HttpResponse:
    """One table as CSV: the same file as the one attached to the PDF."""
    decision = decision_selectors.published_decision(number)
    found = _table(decision, annex, table)
    name = f"{decision.slug}-annex-{annex}-table-{table:02d}-{slugify(found.title)[:60]}.csv"
    return csv_response(table_csv(found), name)


ANNEX_CSV_HEADER: list[object] = [
    "table",
    "table_title",
    "unit",
    "section",
    "line",
    "column",
    "value",
]


@public_cache
def annex_csv_download(request: HttpRequest, number: int, annex: int) -> HttpResponse:
    """Every table of an annex in one CSV, one figure a row (table, line, column, value), so the
    tables, whatever their columns, fit one file a spreadsheet or a script can read."""
    decision = decision_selectors.published_decision(number)
    found = selectors.public_annex(decision, annex)
    if found is None:
        raise Http404("This decision has no such annex.")
    lines: list[list[object]] = [list(ANNEX_CSV_HEADER)]
    for position, table in enumerate(found.tables.order_by("position"), start=1):
        rows = list(table.rows.order_by("position"))
        figures = table.figure_columns(rows)
        for row in rows:
            for column, cell in zip(figures, row.cells, strict=False):
                lines.append(
                    [position, table.title, table.unit, row.section, row.label, column, cell]
                )
    return csv_response(csv_bytes(lines), f"{decision.slug}-annex-{annex}.csv")


@public_cache
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "public/accessibility.html")


@public_cache
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "public/contact.html")


@public_cache
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")
