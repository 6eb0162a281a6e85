"""Reads of finance annexes: their tables as checkable data, the findings of their checks, the
rows that need DMPC approval, what stops a request being submitted, and the annexes as a
signature covers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from decisions.models import Decision, Recommendation
from finance import checks, delegation
from finance.checks import Finding
from finance.figures import stored_cell
from finance.mapping import ColumnMatch, header_key
from finance.models import (
    Annex,
    AnnexRow,
    AnnexTable,
    ColumnMapping,
    FindingExplanation,
    organisation,
)
from finance.tables import RowData, TableData


def table_data(table: AnnexTable, rows: Iterable[AnnexRow] | None = None) -> TableData:
    """A stored table as the checks read it."""
    stored = list(rows) if rows is not None else list(table.rows.all())
    return TableData(
        kind=table.kind,
        title=table.title,
        unit=table.unit,
        columns=tuple(str(c) for c in table.columns),
        rows=tuple(
            RowData(
                section=row.section,
                label=row.label,
                cells=tuple(stored_cell(c) for c in row.cells),
                number=row.position,
                pk=row.pk,
            )
            for row in stored
        ),
        source_name=table.source_name,
        key=table.pk,
    )


def annex_table_data(annex: Annex) -> list[TableData]:
    """The annex's tables, in order, as the checks read them."""
    tables = annex.tables.order_by("position").prefetch_related("rows")
    return [table_data(table, table.rows.all()) for table in tables]


def annex_findings(annex: Annex) -> list[Finding]:
    """Every finding of the annex's checks, with the officer's explanation where recorded."""
    findings = checks.check_tables(annex_table_data(annex))
    explanations: dict[tuple[int | None, str, str], str] = {
        (e.table_id, e.row_label, e.column): e.text
        for e in FindingExplanation.objects.filter(table__annex=annex)
    }
    return [f.explained(explanations.get((f.table_key, f.row, f.column))) for f in findings]


@dataclass(frozen=True)
class ApprovalItem:
    """A row of an annex that needs DMPC approval, why, and the recommendations that ask for it."""

    annex: Annex
    table: str
    row: AnnexRow
    reasons: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]

    @property
    def linked(self) -> bool:
        return bool(self.recommendations)

    @property
    def reason(self) -> str:
        """Why, in one phrase: "it moves £500,000 or more (…); it transfers … reserves"."""
        return "; ".join(self.reasons)


def delegation_items(decision: Decision) -> list[ApprovalItem]:
    """Every row of the request's annexes that the Scheme of Delegation reserves to the DMPC."""
    items: list[ApprovalItem] = []
    for annex in decision.annexes.order_by("position"):
        found = delegation.delegation_items(annex_table_data(annex))
        rows = AnnexRow.objects.select_related("table").in_bulk(
            [item.row_pk for item in found if item.row_pk is not None]
        )
        for item in found:
            if item.row_pk is None:
                continue
            row = rows[item.row_pk]
            items.append(
                ApprovalItem(
                    annex=annex,
                    table=item.table,
                    row=row,
                    reasons=item.reasons,
                    recommendations=tuple(row.recommendations.order_by("position")),
                )
            )
    return items


def request_findings(decision: Decision) -> list[Finding] | None:
    """Every finding of the request's annexes, or None when it has no annex."""
    annexes = list(Annex.objects.filter(decision=decision).order_by("position"))
    if not annexes:
        return None
    return [finding for annex in annexes for finding in annex_findings(annex)]


def unexplained_errors(annex: Annex) -> list[Finding]:
    return [f for f in annex_findings(annex) if f.is_error and not f.explanation]


def submission_problems(decision: Decision) -> list[str]:
    """What the annexes still need before the request can be submitted: every error of the
    checks corrected or explained, and every row that needs DMPC approval linked to a
    recommendation that asks for it."""
    problems: list[str] = []
    for annex in decision.annexes.order_by("position"):
        for finding in unexplained_errors(annex):
            problems.append(
                f"Annex “{annex.title}”: {finding.place} is {finding.found} but should be "
                f"{finding.expected} ({finding.check}). Correct it, or record why it differs."
            )
    for item in delegation_items(decision):
        if not item.linked:
            problems.append(
                f"Annex “{item.annex.title}”: “{item.row.label}” ({item.table}) needs DMPC "
                f"approval under the Scheme of Delegation, because {'; and '.join(item.reasons)}. "
                "Link it to the recommendation that asks the DMPC to approve it."
            )
    return problems


def signed_annexes(decision: Decision) -> list[dict[str, Any]]:
    """The finance annexes as a signature covers them: every table, row and cell, and every
    explanation of a finding, so a figure changed after signing breaks the signature like a
    paragraph would. The one serialisation of annex tables for hashing: the documents' keys
    include it through the request's signed content.

    Its shape is part of every signature already given: change it and they stop verifying."""
    annexes = Annex.objects.filter(decision=decision).prefetch_related(
        "tables__rows", "tables__explanations"
    )
    return [
        {
            "title": annex.title,
            "reporting_period": annex.reporting_period,
            "unit": annex.unit,
            "tables": [
                {
                    "kind": table.kind,
                    "title": table.title,
                    "unit": table.unit,
                    "columns": table.columns,
                    "rows": [[row.section, row.label, row.cells] for row in table.rows.all()],
                    "explanations": sorted(
                        [e.row_label, e.column, e.text] for e in table.explanations.all()
                    ),
                }
                for table in annex.tables.all()
            ],
        }
        for annex in annexes
    ]


def approved_lines(decision: Decision) -> dict[int, list[str]]:
    """For each recommendation of the request (by primary key), the annex lines it asks the DMPC
    to approve, as "table: line", in table and row order."""
    links = AnnexRow.recommendations.through.objects.filter(
        recommendation__decision=decision
    ).select_related("annexrow__table")
    lines: dict[int, list[tuple[tuple[int, int, int], str]]] = {}
    for link in links:
        row = link.annexrow
        order = (row.table.position, row.position, row.table_id)
        lines.setdefault(link.recommendation_id, []).append((order, f"{row.table}: {row.label}"))
    return {rec: [label for _, label in sorted(found)] for rec, found in lines.items()}


def remembered_match(header: Sequence[str], kind: str | None) -> ColumnMatch | None:
    """How the organisation's finance team's columns were matched last time this layout was
    imported (as the kind asked for, or any kind), or None."""
    found = ColumnMapping.objects.filter(organisation=organisation(), header_key=header_key(header))
    if kind:
        found = found.filter(kind=kind)
    mapping = found.order_by("-recorded_at").first()
    return mapping.as_match() if mapping is not None else None
