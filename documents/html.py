"""The HTML of each printable part (Part 1, each annex, Part 2, the signature record, the page
stamp) and of a whole pack as one document, from the print templates in templates/pdf/.

Each part is a complete, self-contained HTML document (its stylesheet inline, its charts inline
SVG), so the hash of its text is the hash of everything it is drawn from.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from decisions.document import build_document
from decisions.models import Decision, PartTwo, SignatureKind
from decisions.published import signed_reading
from decisions.signatures import current_signatures, verify_signatures
from decisions.text import without_bidi_controls
from documents import charts
from documents.recipes import recipe
from finance.figures import shown_as_total
from finance.models import Annex, AnnexTable, TableKind

# More figure columns than this and the table is printed on a landscape page.
WIDE_AFTER = 7

# --- tables ------------------------------------------------------------------------------------


@dataclass
class RowView:
    label: str
    cells: list[str]
    total: bool = False
    section: str = ""  # set on the first row of a new section: a heading row is printed first


@dataclass
class TableView:
    number: int
    table: AnnexTable
    label_header: str
    figure_headers: list[str]
    rows: list[RowView]
    wide: bool
    chart: charts.Chart | None = None
    template: str = "pdf/tables/plain.html"


def cell_text(value: object) -> str:
    """A cell as printed: the stored figure exactly as stored, so the text of the PDF holds it."""
    return "" if value is None else str(value)


def _header(name: object) -> str:
    text = str(name)
    return text.capitalize() if text.islower() else text


def _column(headers: Sequence[str], *words: str) -> int | None:
    """The last figure column whose header holds every word (e.g. "full year", "variance")."""
    found = None
    for index, header in enumerate(headers):
        lowered = header.lower()
        if all(word in lowered for word in words):
            found = index
    return found


def _bars(rows: Sequence[RowView], *indexes: int) -> list[charts.Bar]:
    bars = []
    for row in rows:
        if row.total:
            continue
        values = [charts.decimal_or_none(row.cells[i]) for i in indexes]
        if any(v is None for v in values):
            continue
        bars.append(charts.Bar(row.label, tuple(v for v in values if v is not None)))
    return bars


def _chart(view: TableView) -> charts.Chart | None:
    kind, unit, headers = view.table.kind, view.table.unit, view.figure_headers
    if kind == TableKind.REVENUE_POSITION:
        index = _column(headers, "full year", "variance")
        if index is None:
            index = _column(headers, "variance")
        if index is not None:
            return charts.variance_chart(
                _bars(view.rows, index),
                title=f"{headers[index]}, by line (totals left out)",
                unit=unit,
            )
    if kind == TableKind.BUSINESS_GROUP:
        index = _column(headers, "variance")
        if index is not None:
            return charts.variance_chart(
                _bars(view.rows, index), title=f"{headers[index]}, by business group", unit=unit
            )
    if kind == TableKind.CAPITAL_PROGRAMME:
        budget, forecast = _column(headers, "budget"), _column(headers, "forecast")
        if budget is not None and forecast is not None:
            return charts.paired_chart(
                _bars(view.rows, budget, forecast),
                title="Capital budget against forecast, by portfolio (totals left out)",
                unit=unit,
                names=("Budget", "Forecast"),
            )
    return None


def table_view(table: AnnexTable, number: int) -> TableView:
    # Sorted here rather than by the query, so rows prefetched with the tables are used.
    stored = sorted(table.rows.all(), key=lambda row: row.position)
    labels = table.label_count(stored)
    headers = [_header(c) for c in table.columns[labels:]]
    rows, section = [], ""
    for row in stored:
        starts = labels > 1 and bool(row.section) and row.section != section
        section = row.section if labels > 1 else ""
        rows.append(
            RowView(
                label=row.label,
                cells=[cell_text(c) for c in row.cells],
                total=shown_as_total(row.label),
                section=row.section if starts else "",
            )
        )
    label_header = _header(table.columns[labels - 1]) if labels else ""
    view = TableView(
        number=number,
        table=table,
        label_header="" if label_header.lower() == "line" else label_header,
        figure_headers=headers,
        rows=rows,
        wide=len(headers) > WIDE_AFTER,
        template=f"pdf/tables/{table.kind}.html"
        if table.kind in TableKind.values
        else "pdf/tables/plain.html",
    )
    view.chart = _chart(view)
    return view


# --- parts -------------------------------------------------------------------------------------


def _render(template: str, context: dict[str, Any]) -> str:
    # Bidi overrides typed into any field would print text reversed; the print leaves them out
    # (decisions.text), so the part's HTML, and so its cache key, is that of what is printed.
    return without_bidi_controls(render_to_string(template, context))


def _part1_context(decision: Decision, *, signed: bool = True) -> dict[str, Any]:
    """Part 1 with the signatures given to the current version; for a preview (the request as
    submitted, for the approvers) with none, so approving it does not make it out of date."""
    if signed:
        # A signed document shows the version the DMPC signed, not the live rows (which
        # documents.services has checked still hash to it before asking for the document).
        reading = signed_reading(decision, alert=False)
        if not reading.intact:
            # Never the live rows instead: the render fails, and says why.
            raise ValueError(f"{decision.reference}: its signed version cannot be verified.")
        signatures = reading.signatures
        return {
            "decision": reading.decision,
            "doc": reading.doc,
            "officer_approval": signatures.get(SignatureKind.OFFICER_APPROVAL),
            "dmpc_decision": signatures.get(SignatureKind.DMPC_DECISION),
        }
    return {
        "decision": decision,
        "doc": build_document(decision),
        "officer_approval": None,
        "dmpc_decision": None,
    }


def _annex_context(annex: Annex) -> dict[str, Any]:
    tables = [table_view(table, n) for n, table in enumerate(annex.tables.all(), start=1)]
    return {"annex": annex, "tables": tables}


def _signature_context(decision: Decision) -> dict[str, Any]:
    current = {s.pk for s in current_signatures(decision).values()}
    return {
        "decision": decision,
        "checks": [c for c in verify_signatures(decision) if c.signature.pk in current],
    }


def _part_two_context(decision: Decision) -> dict[str, Any]:
    return {"decision": decision, "part_two": PartTwo.objects.filter(decision=decision).first()}


@dataclass(frozen=True)
class Body:
    """One part of a pack: its name, and the print template and context of its body."""

    name: str
    template: str
    context: dict[str, Any]


def pack_bodies(decision: Decision, kind: str) -> list[Body]:
    """The parts of a document of this kind, in order, as its recipe says."""
    made = recipe(kind)
    if made.confidential:
        return [Body("Part 2", "pdf/_part2.html", _part_two_context(decision))]
    bodies = [Body("Part 1", "pdf/_part1.html", _part1_context(decision, signed=made.signed))]
    for annex in annexes_of(decision):
        context = {"decision": decision, **_annex_context(annex)}
        bodies.append(Body(f"Annex {annex.position}", "pdf/_annex.html", context))
    if made.signature_record:
        bodies.append(
            Body("Signature record", "pdf/_signatures.html", _signature_context(decision))
        )
    return bodies


def part_html(body: Body) -> str:
    """A part as a complete HTML document of its own, to be rendered and cached by itself."""
    return _render("pdf/part.html", {"body": body.template, **body.context})


def annexes_of(decision: Decision) -> list[Annex]:
    return list(Annex.objects.filter(decision=decision).order_by("position"))


# --- the page stamp ----------------------------------------------------------------------------


def css_string(text: str) -> SafeString:
    """Text as a quoted CSS string: every character that is not plainly safe is written as a
    CSS escape, so no text can close the string or the rule it sits in."""
    safe = set(string.ascii_letters + string.digits + " .,:;–-/()'&£")
    escaped = "".join(c if c in safe else f"\\{ord(c):06x}" for c in text)
    return mark_safe(f'"{escaped}"')  # noqa: S308 - built from escaped characters only


@dataclass(frozen=True)
class Stamp:
    """What is printed on every page after assembly: the reference in a running header, the
    kind of document, and "Page x of y" over the whole pack."""

    reference: str
    label: str
    note: str = ""

    @property
    def css(self) -> dict[str, SafeString]:
        return {
            "reference": css_string(self.reference),
            "label": css_string(self.label),
            "note": css_string(self.note),
        }


@dataclass
class PageSizes:
    """Each page's size in PDF points, in order, and the distinct sizes named for @page."""

    sizes: list[tuple[float, float]]
    names: dict[tuple[float, float], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for size in self.sizes:
            self.names.setdefault(size, f"s{len(self.names)}")

    @property
    def pages(self) -> list[str]:
        return [self.names[size] for size in self.sizes]


def overlay_html(stamp: Stamp, sizes: PageSizes) -> str:
    """One page per page of the pack, of the same size, carrying only the stamp."""
    return _render(
        "pdf/overlay.html",
        {
            "stamp": stamp,
            "pages": [
                {
                    "number": n,
                    "name": sizes.names[size],
                    "width": f"{size[0]:.3f}",
                    "height": f"{size[1]:.3f}",
                }
                for n, size in enumerate(sizes.sizes, start=1)
            ],
            "page_sizes": [(name, f"{w:.3f}", f"{h:.3f}") for (w, h), name in sizes.names.items()],
        },
    )


# --- a whole pack as one HTML document ---------------------------------------------------------


def whole_pack_html(
    decision: Decision,
    kind: str,
    stamp: Stamp,
    *,
    title: str = "",
    created: datetime.datetime | None = None,
) -> str:
    """The pack as a single document, paginated in one pass with the running header and "Page x
    of y" drawn by @page margin boxes: how the tagged packs (documents.recipes) are rendered, so
    that their structure tree is whole; also what the benchmark and Chromium print. `title` is
    the document's title (its <title>, which the PDF shows), `created` its date."""
    return _render(
        "pdf/pack.html",
        {
            "decision": decision,
            "title": title or f"{decision.reference}: {decision.title}",
            "created": created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if created
            else "",
            "bodies": [
                render_to_string(b.template, b.context) for b in pack_bodies(decision, kind)
            ],
            "stamp": stamp,
            "stamp_css": stamp.css,
            "whole": True,
        },
    )
