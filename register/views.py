"""The public register and the public page of each decision, with its finance tables as CSV, and
the pages every page's footer links to. Only published decisions exist here; Part 2, return
comments and the explanations of findings are never read."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from decisions import selectors as decision_selectors
from decisions.document import build_document
from decisions.models import Decision, SignatureKind
from decisions.signatures import current_signatures
from documents.attachments import table_csv
from documents.selectors import public_pack
from finance.models import AnnexTable
from finance.spreadsheets import csv_bytes
from register import selectors
from register.caching import public_cache


@public_cache
def register(request: HttpRequest) -> HttpResponse:
    decisions = Decision.objects.published().order_by("-published_at", "-reference_number")
    return render(request, "public/register.html", {"decisions": decisions})


@public_cache
def decision_detail(request: HttpRequest, number: int) -> HttpResponse:
    decision = decision_selectors.published_decision(number)
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
            "annexes": selectors.public_annexes(decision),
        },
    )


def csv_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _table(decision: Decision, annex: int, table: int) -> AnnexTable:
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
