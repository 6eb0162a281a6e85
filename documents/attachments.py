"""The tables of a request's annexes as CSV files, attached to its PDFs (PDF/A-3 associated
files, AFRelationship /Data): the figures, machine-readable, exactly as stored."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from decisions.models import Decision
from documents import html
from finance.models import Annex, AnnexTable


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    mime_type: str = "text/csv"
    description: str = ""
    # PDF/A-3 AFRelationship: "Data" is what a table or chart is drawn from.
    relationship: str = "Data"


# A cell that starts with one of these is run as a formula by Excel, LibreOffice and Sheets
# when the CSV is opened ("CSV injection"); a leading apostrophe makes it text, as OWASP advises.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """A cell as written to a CSV: text that a spreadsheet would run is prefixed with "'"; a
    number (a negative figure such as -82.1) is left as it is."""
    if not cell.startswith(_FORMULA_STARTS):
        return cell
    try:
        Decimal(cell.replace(",", ""))
    except InvalidOperation:
        return "'" + cell
    return cell


def table_csv(table: AnnexTable) -> bytes:
    """The table as its spreadsheet was laid out: the header row, then each row's labels and
    figures, exactly as stored (empty for an empty cell), except that text a spreadsheet would
    run as a formula starts with an apostrophe."""
    rows = list(table.rows.order_by("position"))
    labels = table.label_count(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([inert(str(c)) for c in table.columns])
    for row in rows:
        leading = [row.section, row.label] if labels == 2 else [row.label]
        cells = [*leading, *("" if c is None else str(c) for c in row.cells)]
        writer.writerow([inert(cell) for cell in cells])
    return out.getvalue().encode("utf-8")


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
