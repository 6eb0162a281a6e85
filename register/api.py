"""The open-data API: published decisions as JSON, read-only, described by OpenAPI at
/api/schema/. django-ninja (docs/architecture.md says why): each answer's shape is a pydantic
schema below, which both writes the OpenAPI description and checks every answer before it
leaves, so the description cannot drift from what is served.

Only what the public page shows is here: Part 1 and the annex tables. Never Part 2, return
comments or the explanations of findings.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.openapi.views import openapi_json

from decisions.models import Decision
from decisions.published import signed_reading
from documents.selectors import public_pack
from register import selectors
from register.caching import public_cache

api = NinjaAPI(
    title="Police and crime decisions: open data",
    version="1",
    description=(
        "Published Requests for DMPC Decision of the Mayor's Office for Policing and Crime: "
        "Part 1 and the finance annex tables, as data. Read-only, no key needed. Lists are "
        "newest first and paginated by cursor: follow `next` until it is null."
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url=None,
)

TEXT = r"^[^\x00]*$"  # no NUL: PostgreSQL cannot compare text holding one


class Message(Schema):
    detail: str = Field(description="What was wrong with the request, in words.")


class ValidationProblem(Schema):
    detail: list[dict[str, Any]] = Field(
        description="Each parameter that could not be read: where (`loc`), why (`msg`, `type`)."
    )


class DecisionFilters(Schema):
    year: int | None = Field(
        None,
        ge=1900,
        le=2200,
        description="Only decisions published in this calendar year (London).",
    )
    decision_maker: str | None = Field(
        None,
        max_length=200,
        pattern=TEXT,
        description="Only decisions taken by this decision maker, written as the register's "
        "filter offers it, e.g. `Deputy Mayor for Policing and Crime`.",
    )
    has_annex: bool | None = Field(
        None, description="`true`: only decisions with a finance annex; `false`: only without."
    )
    after: str | None = Field(
        None,
        pattern=selectors.KEY_PATTERN,
        description="Where the page starts: the `next_cursor` of the page before (the last "
        "decision's publication time in microseconds since 1970 UTC, a dot, its reference "
        "number); the decisions published before that one. Omit for the first page.",
    )
    size: int = Field(20, ge=1, le=100, description="How many decisions a page holds (1–100).")


class DecisionSummary(Schema):
    reference: str = Field(description="The decision's reference, e.g. `PCD 279`.")
    slug: str = Field(description="The reference as used in addresses, e.g. `pcd-279`.")
    title: str = Field(description="The title of the request.")
    executive_summary: str = Field(description="The executive summary, as plain text.")
    signed_off: datetime.datetime | None = Field(
        description="When the DMPC signed the decision off (ISO 8601, with its time zone)."
    )
    published: datetime.datetime = Field(
        description="When Part 1 was published (ISO 8601, with its time zone)."
    )
    decision_maker: str | None = Field(
        description="Who took the decision, e.g. `Deputy Mayor for Policing and Crime`."
    )
    has_annex: bool = Field(description="Whether a finance annex is attached.")
    url: str = Field(description="The decision's public page (HTML).")
    pdf_url: str = Field(description="Its published PDF (Part 1 and its annexes).")
    api_url: str = Field(description="This decision in this API, with Part 1 and its tables.")


class DecisionPage(Schema):
    items: list[DecisionSummary] = Field(description="The decisions of this page, newest first.")
    next_cursor: str | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )
    next: str | None = Field(description="The address of the next page; null on the last page.")


class ParagraphOut(Schema):
    number: str = Field(description="The paragraph's number in Part I, e.g. `2.6`.")
    heading: str = Field(description="Its heading, or an empty string.")
    text: str = Field(description="Its text; blank lines separate paragraphs, `- ` bullets.")


class SectionOut(Schema):
    number: int = Field(description="The section's number in Part I.")
    title: str = Field(description="The section's title, e.g. `Financial Comments`.")
    paragraphs: list[ParagraphOut] = Field(description="Its numbered paragraphs, in order.")


class RecommendationOut(Schema):
    number: int = Field(description="The recommendation's number.")
    text: str = Field(
        description="What the DMPC is asked to do, with the paragraphs it cites written out."
    )


class RowOut(Schema):
    section: str = Field(description="The section the row belongs to, or an empty string.")
    label: str = Field(description="The row's label (the line).")
    total: bool = Field(description="Whether the row adds up rows above it (a total).")
    cells: list[str | None] = Field(
        description="One per figure column: a number as a decimal string with the precision "
        "shown (e.g. `-7.1`), other text as printed (e.g. `2%`), or null for an empty cell."
    )


class TableOut(Schema):
    number: int = Field(description="The table's number within its annex.")
    title: str = Field(description="The table's title.")
    kind: str = Field(description="What kind of table it is (e.g. `revenue_position`).")
    unit: str = Field(description="The unit of its figures: `£`, `£k` or `£m`.")
    label_column: str = Field(description="The header of the row labels.")
    columns: list[str] = Field(description="The headers of the figure columns, in order.")
    rows: list[RowOut] = Field(description="The rows, in order, totals included.")
    csv_url: str = Field(description="The table as a CSV file.")


class AnnexOut(Schema):
    position: int = Field(description="The annex's number.")
    title: str = Field(description="The annex's title.")
    reporting_period: str = Field(description="The period it reports on.")
    unit: str = Field(description="The unit of its figures unless a table says otherwise.")
    csv_url: str = Field(description="Every table of the annex in one CSV, one figure a row.")
    tables: list[TableOut] = Field(description="Its tables, in order.")


class PdfOut(Schema):
    url: str = Field(description="The published PDF.")
    bytes: int = Field(description="Its size in bytes.")
    pages: int | None = Field(description="Its number of pages.")
    sha256: str = Field(description="The SHA-256 of the file, recorded when it was made.")


class DecisionDetail(DecisionSummary):
    recommendations: list[RecommendationOut] = Field(
        description="What the DMPC was asked to do, in order."
    )
    part_one: list[SectionOut] = Field(
        description="Part I, non-confidential facts and advice to the DMPC, by section."
    )
    annexes: list[AnnexOut] = Field(description="The finance annexes and their tables.")
    pdf: PdfOut | None = Field(description="The published PDF, or null while it is being made.")


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _summary(request: HttpRequest, decision: Decision) -> dict[str, Any]:
    # The register's entry, written when the decision was published: what was signed, never
    # a live row changed since.
    number, entry = decision.reference_number, decision.register_entry
    return {
        "reference": decision.reference,
        "slug": decision.slug,
        "title": entry.title,
        "executive_summary": entry.summary,
        "signed_off": decision.signed_off_at,
        "published": decision.published_at,
        "decision_maker": entry.decision_maker,
        "has_annex": entry.has_annex,
        "url": _absolute(request, reverse("public:decision", args=[number])),
        "pdf_url": _absolute(request, reverse("public:decision_pdf", args=[number])),
        "api_url": _absolute(request, reverse("api:decision", args=[decision.slug])),
    }


@api.get(
    "/decisions/",
    response={200: DecisionPage, 400: Message, 422: ValidationProblem},
    url_name="decisions",
    summary="Published decisions, newest first",
)
@decorate_view(public_cache)
def list_decisions(request: HttpRequest, filters: Query[DecisionFilters]) -> Any:
    """Published decisions, filtered like the register, a page at a time."""
    qs = selectors.apply_filters(
        selectors.published_decisions(),
        year=filters.year,
        decision_maker=filters.decision_maker or "",
        has_annex=filters.has_annex,
    )
    after = selectors.Key.parse(filters.after)
    if filters.after and after is None:
        raise HttpError(400, "This is not a cursor: use the next_cursor of the page before.")
    page = selectors.keyset_page(qs, after=after, size=filters.size)
    cursor = str(page.next_key) if page.next_key else None
    following = None
    if cursor:
        query = request.GET.copy()
        query["after"] = cursor
        following = _absolute(request, f"{reverse('api:decisions')}?{query.urlencode()}")
    return {
        "items": [_summary(request, d) for d in page.decisions],
        "next_cursor": cursor,
        "next": following,
    }


def _annexes(request: HttpRequest, decision: Decision) -> list[dict[str, Any]]:
    number = decision.reference_number
    out = []
    for item in selectors.public_annexes(decision):
        position = item.annex.position
        out.append(
            {
                "position": position,
                "title": item.annex.title,
                "reporting_period": item.annex.reporting_period,
                "unit": item.annex.unit,
                "csv_url": _absolute(request, reverse("public:annex_csv", args=[number, position])),
                "tables": [
                    {
                        "number": view.number,
                        "title": view.table.title,
                        "kind": view.table.kind,
                        "unit": view.table.unit,
                        "label_column": view.label_header or "Line",
                        "columns": view.figure_headers,
                        "rows": [
                            {
                                "section": stored.section,
                                "label": row.label,
                                "total": row.total,
                                "cells": [cell if cell != "" else None for cell in row.cells],
                            }
                            for row, stored in zip(
                                view.rows, view.table.rows.order_by("position"), strict=True
                            )
                        ],
                        "csv_url": _absolute(
                            request,
                            reverse("public:table_csv", args=[number, position, view.number]),
                        ),
                    }
                    for view in item.tables
                ],
            }
        )
    return out


@api.get(
    "/decisions/{reference}/",
    response={200: DecisionDetail, 404: Message, 422: ValidationProblem},
    url_name="decision",
    summary="One published decision: Part 1 and its annex tables",
)
@decorate_view(public_cache)
def get_decision(
    request: HttpRequest,
    reference: str = Path(  # type: ignore[type-arg]  # ninja: Path(...) as the default
        ...,
        pattern=r"^pcd-[0-9]{1,9}$",
        description="The decision's reference as in its address, e.g. `pcd-279`.",
    ),
) -> Any:
    """A published decision: Part 1 as published and its finance annex tables, as data."""
    decision = (
        selectors.published_decisions()
        .filter(reference_number=int(reference.removeprefix("pcd-")))
        .first()
    )
    if decision is None:
        raise HttpError(404, "No published decision has that reference.")
    # The version the DMPC signed, never the live rows (governance is told if they differ).
    reading = signed_reading(decision)
    doc = reading.doc
    pdf = public_pack(decision)
    return {
        **_summary(request, decision),
        "recommendations": [{"number": r.number, "text": r.rendered} for r in doc.recommendations],
        "part_one": [
            {
                "number": section.number,
                "title": section.title,
                "paragraphs": [
                    {"number": p.number, "heading": p.heading, "text": p.text}
                    for p in section.paragraphs
                ],
            }
            for section in doc.sections
        ],
        # Read from the live rows: given only while they are what was signed.
        "annexes": _annexes(request, decision) if reading.as_signed else [],
        "pdf": {
            "url": _absolute(
                request, reverse("public:decision_pdf", args=[decision.reference_number])
            ),
            "bytes": pdf.pdf.size,
            "pages": pdf.pages,
            "sha256": pdf.pdf_sha256,
        }
        if pdf is not None
        else None,
    }


@public_cache
def openapi_schema(request: HttpRequest) -> HttpResponse:
    """/api/schema/: ninja's own OpenAPI view, with the public side's cache headers (routed
    before api.urls, whose view of the same address it stands in for)."""
    return openapi_json(request, api)
