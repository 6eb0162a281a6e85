"""An officer's spreadsheet as a finance table: the rows of finance.spreadsheets read against the
kinds of table (finance.kinds) into a `TableData`, or refused with messages that name the row and
column at fault.

Nothing here touches the database: finance.services stores what this returns, and
`check_annex` checks files with it before anyone uploads them. Figures become Decimal through
their text, never through float, and keep the precision they are shown at: "0.0" stays "0.0".
"""

from __future__ import annotations

import re
from pathlib import PurePath

from finance import figures, kinds
from finance.figures import Cell, Unit
from finance.kinds import Mismatch
from finance.mapping import ColumnMatch, header_texts
from finance.rules import Layout, RowLabel
from finance.spreadsheets import MAX_COLUMNS, Bad, ImportRefused, SheetRow, read_rows
from finance.tables import RowData, TableData

MAX_TEXT = 500
MAX_PROBLEMS = 20


def title_from_name(name: str) -> str:
    """A table's title from its file name: "revenue_position.csv" → "Revenue position".
    Words without vowels are acronyms ("lcpf" → "LCPF"); a hyphen between figures is kept
    ("budget_2010-11" → "Budget 2010-11")."""
    stem = PurePath(name.replace("\\", "/")).stem
    words = [
        w if not w.isalpha() or re.search(r"[aeiouy]", w, re.I) else w.upper()
        for w in re.split(r"[_\s]+|(?<!\d)-|-(?!\d)", stem)
        if w
    ]
    title = " ".join(words)
    return title[:1].upper() + title[1:] if title else "Table"


# --- from rows to a table -------------------------------------------------------------------


def _where(row: SheetRow, column: int, header: list[str]) -> str:
    if column < len(header) and header[column]:
        place = f"Row {row.number}, column “{header[column]}”"
    else:
        place = f"Row {row.number}, column {column + 1}"
    if row.xlsx:
        from openpyxl.utils import get_column_letter

        place += f" (cell {get_column_letter(column + 1)}{row.number})"
    return place


def _read_header(header_row: SheetRow) -> list[str]:
    problems = []
    header: list[str] = []
    for index, cell in enumerate(header_row.cells):
        if isinstance(cell, Bad):
            problems.append(f"{_where(header_row, index, [])}: the header {cell.reason}.")
            header.append("")
        else:
            header.append(cell)
    while header and header[-1] == "":
        header.pop()
    if problems:
        raise ImportRefused(*problems)
    if len(header) > MAX_COLUMNS:
        raise ImportRefused(f"The header row has {len(header)} columns; at most {MAX_COLUMNS}.")
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            problems.append(
                f"Column {index + 1} has no name in the header row (row {header_row.number})."
            )
        elif figures.normalise(name) in seen:
            first = seen[figures.normalise(name)] + 1
            problems.append(f"Columns {first} and {index + 1} are both called “{name}”.")
        else:
            seen[figures.normalise(name)] = index
    if problems:
        raise ImportRefused(*problems)
    return header


class UnknownColumns(ImportRefused):
    """The file reads, but its columns are not those of the kind (given, or the nearest): a
    finance team's own layout, which the officer may match to ours."""

    def __init__(self, *messages: str, kind: str, header: list[str]) -> None:
        super().__init__(*messages)
        self.kind = kind
        self.header = header


def _layout(header: list[str], kind: str | None) -> Layout:
    if kind is not None:
        if kind not in kinds.SPECS:
            raise ImportRefused(f"“{kind}” is not a kind of table ({', '.join(kinds.SPECS)}).")
        read = kinds.read_header(kinds.spec_for(kind), header)
        if isinstance(read, Mismatch):
            raise UnknownColumns(*read.messages(), kind=kind, header=header)
        return read
    read = kinds.recognise(header)
    if isinstance(read, Layout):
        return read
    raise UnknownColumns(
        f"The columns are not those of any kind of finance table. The nearest is "
        f"“{read.spec.label}”:",
        *read.messages(),
        "Correct the header row, or choose the kind of table (a plain table is not checked).",
        kind=read.spec.kind.value,
        header=header,
    )


def _unit(header: list[str], default: str) -> str:
    units = {unit for _, unit in (figures.split_unit(h) for h in header) if unit is not None}
    if len(units) > 1:
        shown = " and ".join(sorted(str(u.value) for u in units))
        raise ImportRefused(f"The columns mix units ({shown}); one table has one unit.")
    return str(units.pop().value) if units else str(Unit(default).value)


def parse_table(
    name: str,
    data: bytes,
    *,
    kind: str | None = None,
    unit: str = Unit.MILLIONS,
    title: str = "",
    match: ColumnMatch | None = None,
) -> TableData:
    """The table in one file, or ImportRefused listing what is wrong with it. `kind` is
    recognised from the header row unless given; `unit` applies when no header names one.
    With a `match`, the file's own columns are first laid out as the match says, in `unit`."""
    rows = read_rows(name, data)
    if match is not None:
        rows = match.apply(rows, str(Unit(unit).value))
        kind = match.kind
    header = _read_header(rows[0])
    layout = _layout(header, kind)
    spec = kinds.spec_for(layout.kind)
    table_unit = _unit(header, unit)
    width = len(header)
    problems: list[str] = []
    parsed: list[RowData] = []
    for row in rows[1:]:
        if len(row.cells) > width and any(c != "" for c in row.cells[width:]):
            problems.append(
                f"Row {row.number} has {len(row.cells)} cells; the header row has {width} columns."
            )
            continue
        if len(row.cells) < width and not row.xlsx:
            problems.append(
                f"Row {row.number} has {len(row.cells)} cells; the header row has {width} columns."
            )
            continue
        # A workbook does not store the empty cells at the end of a row.
        cells = row.cells[:width] + [""] * (width - len(row.cells))
        texts: list[str] = []
        for index, cell in enumerate(cells[: layout.label_count]):
            if isinstance(cell, Bad):
                problems.append(f"{_where(row, index, header)}: the cell {cell.reason}.")
            elif cell.startswith("="):
                problems.append(
                    f"{_where(row, index, header)}: “{cell}” is a formula; type the label."
                )
            elif len(cell) > MAX_TEXT:
                problems.append(f"{_where(row, index, header)}: longer than {MAX_TEXT} characters.")
            texts.append(cell if isinstance(cell, str) else "")
        section, label = (texts[0], texts[1]) if layout.label_count == 2 else ("", texts[0])
        if not label:
            problems.append(f"{_where(row, layout.label_count - 1, header)}: the row has no label.")
        values: list[Cell] = []
        for index, cell in enumerate(cells[layout.label_count :], start=layout.label_count):
            figure, problem = _figure(spec, label, cell)
            if problem:
                problems.append(f"{_where(row, index, header)}: {problem}")
            values.append(figure)
        parsed.append(RowData(section, label, tuple(values), row.number))
    if not parsed and not problems:
        problems.append("The file has a header row but no rows of figures below it.")
    missing = kinds.missing_rows(spec, [RowLabel(r.section, r.label) for r in parsed])
    problems += [
        f"The {spec.label.lower()} table needs a row “{shown}”; it is missing." for shown in missing
    ]
    if problems:
        if len(problems) > MAX_PROBLEMS:
            extra = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], f"… and {extra} more problems."]
        raise ImportRefused(*problems)
    return TableData(
        kind=spec.kind.value,
        title=title.strip() or title_from_name(name),
        unit=table_unit,
        columns=tuple(header),
        rows=tuple(parsed),
        source_name=PurePath(name.replace("\\", "/")).name,
    )


def columns_of(name: str, data: bytes) -> tuple[list[str], list[str]]:
    """A file's header row, and for each column the first figures or words below it, to show
    the officer who matches them to ours."""
    rows = read_rows(name, data)
    header = header_texts(rows[0].cells)[:MAX_COLUMNS]
    samples = []
    for index in range(len(header)):
        below = [
            cell
            for row in rows[1:]
            if index < len(row.cells) and isinstance(cell := row.cells[index], str) and cell
        ][:3]
        samples.append(", ".join(_sample(cell) for cell in below))
    return header, samples


def _sample(text: str) -> str:
    number = figures.parse_number(text)
    return text[:40] if number is None else figures.grouped(number)


def _figure(spec: kinds.KindSpec, label: str, cell: str | Bad) -> tuple[Cell, str | None]:
    """A figure cell's value, or the problem with it."""
    if isinstance(cell, Bad):
        return None, f"the cell {cell.reason}."
    if cell == "":
        return None, None
    if cell.startswith("="):
        return None, f"“{cell}” is a formula; paste the value instead."
    if len(cell) > MAX_TEXT:
        return None, f"longer than {MAX_TEXT} characters."
    number = figures.parse_number(cell)
    if spec.open_columns:
        return (number if number is not None else cell), None
    if spec.is_text_row(label):
        if figures.is_percentage(cell):
            return cell, None
        return None, f"“{cell}” is not a percentage (this row holds percentages, e.g. “2%”)."
    if number is None:
        return None, f"“{cell}” is not a number."
    return number, None


def parse_cell(spec: kinds.KindSpec, label: str, text: str) -> Cell:
    """A cell typed in the browser, validated as the import validates it."""
    figure, problem = _figure(spec, label, " ".join(text.split()))
    if problem:
        raise ImportRefused(problem[:1].upper() + problem[1:])
    return figure
