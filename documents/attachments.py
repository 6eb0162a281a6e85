"""The tables of a request's annexes as CSV files, attached to its PDFs (PDF/A-3 associated
files, AFRelationship /Data): the figures, machine-readable, exactly as stored."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.text import slugify

from decisions.models import Decision
from documents import html
from finance.models import Annex, AnnexTable
from finance.spreadsheets import csv_bytes


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    mime_type: str = "text/csv"
    description: str = ""
    # PDF/A-3 AFRelationship: "Data" is what a table or chart is drawn from.
    relationship: str = "Data"
    # Its creation and modification date in the PDF (the document's own date, so that the same
    # content gives the same file); the moment of rendering when not given.
    created: datetime.datetime | None = None


def table_csv(table: AnnexTable) -> bytes:
    """The table as its spreadsheet was laid out: the header row, then each row's labels and
    figures, exactly as stored (empty for an empty cell); text a spreadsheet would run as a
    formula is neutralised (finance.spreadsheets.csv_safe)."""
    rows = list(table.rows.order_by("position"))
    labels = table.label_count(rows)
    lines: list[list[object]] = [list(table.columns)]
    for row in rows:
        leading = [row.section, row.label] if labels == 2 else [row.label]
        lines.append([*leading, *row.cells])
    return csv_bytes(lines)


def csv_name(annex: Annex, table: AnnexTable) -> str:
    return f"annex-{annex.position}-table-{table.position:02d}-{slugify(table.title)[:60]}.csv"


def table_attachments(decision: Decision) -> list[Attachment]:
    files = []
    for annex in html.annexes_of(decision):
        for table in annex.tables.order_by("position"):
            files.append(
                Attachment(
                    name=csv_name(annex, table),
                    data=table_csv(table),
                    description=f"Annex {annex.position}, table {table.position}: {table.title} "
                    f"({table.get_unit_display()})",
                )
            )
    return files
