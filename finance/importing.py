"""Reading an officer's spreadsheet, CSV or XLSX laid out like shared/seed/pcd-279/, into a
`TableData`; or refusing it, with messages that name the row and column where they can.

Nothing here touches the database: finance.services stores what this returns, and
`check_annex` checks files with it before anyone uploads them.

What is refused, and why:

- more than MAX_FILE_BYTES: a finance table is a few kilobytes; anything larger is a mistake or
  an attack, and is refused before it is read;
- CSV that is not UTF-8 (with or without a byte-order mark): guessing an encoding turns "£"
  into something else without anyone noticing;
- XLSX whose zip entries would expand beyond XLSX_MAX_EXPANDED, or compress suspiciously well
  (a zip bomb): checked from the zip's directory before anything is decompressed;
- formulas: what is published is the figure, and a formula's cached value may be stale or
  absent; the officer pastes values;
- unknown or missing columns, text in a figure cell, a row without a label, an empty file.

Figures become Decimal through their text, never through float, and keep the precision they
are shown at: "0.0" stays "0.0".
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from decisions.services import ActionRefused
from finance import kinds
from finance.checks import RowData, TableData
from finance.kinds import Cell, Layout, Mismatch
from finance.models import TableKind, Unit

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_TEXT = 500
MAX_PROBLEMS = 20
# A workbook of MAX_ROWS rows expands to a few megabytes of XML; allow generous headroom.
XLSX_MAX_EXPANDED = 25 * 1024 * 1024
XLSX_MAX_ENTRIES = 200
XLSX_MAX_RATIO = 100  # for entries over 1 MiB; worksheet XML compresses 5–20 times
_MiB = 1024 * 1024

SAVE_AS_UTF8 = "Save it from the spreadsheet as “CSV UTF-8 (comma delimited)” and import it again."


class ImportRefused(ActionRefused):
    """A file that cannot be imported, with every reason found (up to MAX_PROBLEMS). Nothing of
    it has been kept. An ActionRefused, so pages show it like any refused action."""


@dataclass(frozen=True)
class Bad:
    """A spreadsheet cell that cannot be read as text or a figure, and why."""

    reason: str


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based, as the spreadsheet shows it
    cells: list[str | Bad]
    xlsx: bool = False


def describe_size(size: int) -> str:
    return f"{size / _MiB:.1f} MB" if size >= _MiB else f"{size / 1024:.0f} KB"


def title_from_name(name: str) -> str:
    """A table's title from its file name: "revenue_position.csv" → "Revenue position".
    Words without vowels are acronyms ("lcpf" → "LCPF")."""
    stem = PurePath(name.replace("\\", "/")).stem
    words = [
        w.upper() if not re.search(r"[aeiouy]", w, re.I) else w
        for w in re.split(r"[_\s-]+", stem)
        if w
    ]
    title = " ".join(words)
    return title[:1].upper() + title[1:] if title else "Table"


# --- reading the bytes ----------------------------------------------------------------------

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97–2003 (.xls) workbook or another old Office file",
    ),
    (b"\x1f\x8b", "a gzip archive"),
)


def read_rows(name: str, data: bytes) -> list[SheetRow]:
    """The non-blank rows of a CSV or XLSX file, each cell as text (or why it cannot be)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            f"The file is {describe_size(len(data))}; the largest file accepted is "
            f"{describe_size(MAX_FILE_BYTES)}. A finance table is a few kilobytes: check that "
            "this is the right file."
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportRefused("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    else:
        if name.lower().endswith((".xlsx", ".xlsm")):
            raise ImportRefused(
                f"“{name}” is named like an XLSX workbook but is not one (it is not a zip file)."
            )
        for signature, what in _SIGNATURES:
            if data.startswith(signature):
                raise ImportRefused(
                    f"This is {what}, not a spreadsheet. Import a CSV file (UTF-8) or an XLSX "
                    "workbook."
                )
        rows = _csv_rows(data)
    rows = [row for row in rows if any(c != "" for c in row.cells)]
    if not rows:
        raise ImportRefused("The file is empty: it has no rows.")
    return rows


def _csv_rows(data: bytes) -> list[SheetRow]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(f"The file is UTF-16 text; CSV files must be UTF-8. {SAVE_AS_UTF8}")
    if b"\x00" in data:
        row = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ImportRefused(
            f"Row {row}: the file contains NUL bytes, so it is not CSV text (it may be UTF-16 "
            f"text, or not a spreadsheet at all). {SAVE_AS_UTF8}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _encoding_refusal(data, error) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[SheetRow] = []
    try:
        for cells in reader:
            if len(rows) > MAX_ROWS:
                raise ImportRefused(f"The file has more than {MAX_ROWS} rows.")
            rows.append(SheetRow(reader.line_num, [c.strip() for c in cells]))
    except csv.Error as error:
        raise ImportRefused(f"Row {reader.line_num}: this is not valid CSV ({error}).") from None
    if rows and len(rows[0].cells) == 1 and re.search(r"[;\t]", str(rows[0].cells[0])):
        raise ImportRefused(
            "The header row has only one column: the file seems to separate its columns with "
            "semicolons or tabs. Save it as “CSV UTF-8 (comma delimited)”."
        )
    return rows


def _encoding_refusal(data: bytes, error: UnicodeDecodeError) -> ImportRefused:
    offset = error.start
    row = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", "replace")
    column = max(1, len(next(csv.reader([before]), [])))
    first_line = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    header = next(csv.reader([first_line]), [])
    where = f"Row {row}, column {column}"
    if row > 1 and column <= len(header):
        where = f"Row {row}, column “{header[column - 1].strip()}”"
    elif column <= len(header):  # in the header itself: show the name as far as it reads
        where += f" (“{header[column - 1].strip()}”)"
    byte = data[offset]
    try:
        guess = bytes([byte]).decode("cp1252")
        likely = f", which is “{guess}” in Windows-1252: the file was probably saved as ANSI"
    except UnicodeDecodeError:
        likely = ""
    return ImportRefused(
        f"{where}: the file is not UTF-8 text. Its first byte that is not UTF-8 is "
        f"0x{byte:02X} (byte {offset + 1} of the file){likely}. {SAVE_AS_UTF8}"
    )


def _guard_zip(data: bytes) -> None:
    """Refuse a zip bomb from the zip's central directory, before anything is decompressed.

    Python's zipfile never returns more than an entry's declared size (it stops there and the
    CRC check fails), so bounding the declared sizes bounds what openpyxl can inflate."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ImportRefused("This is not an XLSX workbook: the zip archive is damaged.") from None
    if len(entries) > XLSX_MAX_ENTRIES:
        raise ImportRefused(
            f"This is not an ordinary XLSX workbook: it holds {len(entries)} files "
            f"(at most {XLSX_MAX_ENTRIES} are accepted)."
        )
    expanded = sum(entry.file_size for entry in entries)
    if expanded > XLSX_MAX_EXPANDED:
        raise ImportRefused(
            f"The workbook would expand to {describe_size(expanded)} when opened (at most "
            f"{describe_size(XLSX_MAX_EXPANDED)} is accepted), so it was not opened. A finance "
            "table expands to a few hundred kilobytes: this may be a zip bomb."
        )
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ImportRefused("The workbook is encrypted; remove the password and try again.")
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _MiB and ratio > XLSX_MAX_RATIO:
            raise ImportRefused(
                f"The workbook's part “{entry.filename}” is compressed {ratio:.0f} times, far "
                "more than a spreadsheet ever is, so it was not opened: this may be a zip bomb."
            )


def _xlsx_rows(data: bytes) -> list[SheetRow]:
    _guard_zip(data)
    import openpyxl

    try:
        # data_only=False: a formula is read as a formula, so it can be refused, rather than
        # as a cached value that may be stale or missing. openpyxl parses the XML with
        # defusedxml (installed), so entity tricks in the workbook are refused too.
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # openpyxl raises many types for a damaged or foreign file
        raise ImportRefused(
            "This is not an XLSX workbook that can be read: it may be damaged, or another kind "
            "of file. Save it from the spreadsheet as “Excel Workbook (.xlsx)”."
        ) from None
    try:
        sheets = workbook.worksheets
        if len(sheets) != 1:
            names = ", ".join(f"“{s.title}”" for s in sheets)
            raise ImportRefused(
                f"The workbook has {len(sheets)} sheets ({names}); import one table per "
                "workbook, on its only sheet."
            )
        sheet = sheets[0]
        # The dimension a file declares may be a lie (A1:XFD1048576); forget it, so rows are
        # as long as their cells and no longer.
        sheet.reset_dimensions()
        rows: list[SheetRow] = []
        for number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
            if len(rows) > MAX_ROWS:
                raise ImportRefused(f"The workbook has more than {MAX_ROWS} rows.")
            cells = [_xlsx_cell(cell) for cell in row[: MAX_COLUMNS + 1]]
            while cells and cells[-1] == "":
                cells.pop()
            rows.append(SheetRow(number, cells, xlsx=True))
        return rows
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(
            "This XLSX workbook could not be read: it may be damaged. Save it again from the "
            "spreadsheet as “Excel Workbook (.xlsx)”."
        ) from None
    finally:
        workbook.close()


def _format_decimals(number_format: str) -> int | None:
    """How many decimals a cell's number format shows ("#,##0.0" → 1), or None for General."""
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])
    if section.strip().lower() in ("", "general"):
        return None
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def _xlsx_cell(cell: object) -> str | Bad:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f" or type(value).__name__ in (
        "ArrayFormula",
        "DataTableFormula",
    ):
        formula = getattr(value, "text", value)
        return Bad(f"holds a formula ({formula}); paste the values instead of formulas")
    if getattr(cell, "data_type", None) == "e":
        return Bad(f"holds the spreadsheet error {value}")
    if isinstance(value, bool):
        return Bad(f"holds {'TRUE' if value else 'FALSE'}, which is not a figure")
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return Bad("holds a date or time, which is not a figure")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return Bad("holds a value that is not a number")
        # repr() is the shortest text that reads back as the same float: the digits the
        # spreadsheet stored, not the float's binary expansion.
        number = Decimal(repr(value))
    else:
        return " ".join(str(value).split())
    number_format = str(getattr(cell, "number_format", None) or "General")
    decimals = _format_decimals(number_format)
    if "%" in number_format:
        # A percentage is text to the checks (the reserves' ratios): keep it as shown.
        number = number * 100
        shown = (
            number.normalize()
            if decimals is None
            else number.quantize(Decimal(1).scaleb(-decimals))
        )
        return f"{kinds.figure_text(shown)}%"
    # The format says how many decimals the sheet shows: 1805 shown as "1805.0" is 1805.0.
    if decimals is not None and -int(number.as_tuple().exponent) < decimals:
        number = number.quantize(Decimal(1).scaleb(-decimals))
    return kinds.figure_text(number)


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
        elif kinds.normalise(name) in seen:
            first = seen[kinds.normalise(name)] + 1
            problems.append(f"Columns {first} and {index + 1} are both called “{name}”.")
        else:
            seen[kinds.normalise(name)] = index
    if problems:
        raise ImportRefused(*problems)
    return header


def _layout(header: list[str], kind: str | None) -> Layout:
    if kind is not None:
        if kind not in kinds.SPECS:
            raise ImportRefused(f"“{kind}” is not a kind of table ({', '.join(kinds.SPECS)}).")
        read = kinds.read_header(kinds.spec_for(kind), header)
        if isinstance(read, Mismatch):
            raise ImportRefused(*read.messages())
        return read
    read = kinds.recognise(header)
    if isinstance(read, Layout):
        return read
    raise ImportRefused(
        f"The columns are not those of any kind of finance table. The nearest is "
        f"“{read.spec.label}”:",
        *read.messages(),
        "Correct the header row, or choose the kind of table (a plain table is not checked).",
    )


def _unit(header: list[str], default: str) -> str:
    units = {unit for _, unit in (kinds.split_unit(h) for h in header) if unit is not None}
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
) -> TableData:
    """The table in one file, or ImportRefused listing what is wrong with it. `kind` is
    recognised from the header row unless given; `unit` applies when no header names one."""
    rows = read_rows(name, data)
    header = _read_header(rows[0])
    layout = _layout(header, kind)
    spec = layout.spec
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
        figures: list[Cell] = []
        for index, cell in enumerate(cells[layout.label_count :], start=layout.label_count):
            figure, problem = _figure(spec, label, cell)
            if problem:
                problems.append(f"{_where(row, index, header)}: {problem}")
            figures.append(figure)
        parsed.append(RowData(section, label, tuple(figures), row.number))
    if not parsed and not problems:
        problems.append("The file has a header row but no rows of figures below it.")
    missing = kinds.missing_rows(spec, [kinds.RowLabel(r.section, r.label) for r in parsed])
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
    number = kinds.parse_number(cell)
    if spec.open_columns:
        return (number if number is not None else cell), None
    if spec.is_text_row(label):
        if kinds.is_percentage(cell):
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


def kind_of(kind: str | TableKind | None) -> str | None:
    if kind is None or kind == "":
        return None
    return str(TableKind(kind).value) if kind in TableKind.values else str(kind)
