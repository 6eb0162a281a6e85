"""The bytes of an officer's spreadsheet, CSV or XLSX, as rows of text cells; or a refusal that says
what is wrong with the file, and where.

What is refused, and why:

- more than MAX_FILE_BYTES: a finance table is a few kilobytes; anything larger is a mistake or
  an attack, and is refused before it is read;
- CSV that is not UTF-8 (with or without a byte-order mark): guessing an encoding turns "£"
  into something else without anyone noticing;
- XLSX whose zip entries would expand beyond XLSX_MAX_EXPANDED, or compress suspiciously well
  (a zip bomb): checked from the zip's directory before anything is decompressed;
- formulas: what is published is the figure, and a formula's cached value may be stale or
  absent; the officer pastes values.

What the cells mean (which columns, which figures) is finance.importing's business.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from decisions.errors import ActionRefused
from finance.figures import figure_text, parse_number

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
# A workbook of MAX_ROWS rows expands to a few megabytes of XML; allow generous headroom.
XLSX_MAX_EXPANDED = 25 * 1024 * 1024
XLSX_MAX_ENTRIES = 200
XLSX_MAX_RATIO = 100  # for entries over 1 MiB; worksheet XML compresses 5–20 times
_MiB = 1024 * 1024

SAVE_AS_UTF8 = "Save it from the spreadsheet as “CSV UTF-8 (comma delimited)” and import it again."


class ImportRefused(ActionRefused):
    """A file that cannot be imported, with every reason found (up to a limit). Nothing of it has
    been kept. An ActionRefused, so pages show it like any refused action."""


@dataclass(frozen=True)
class Bad:
    """A spreadsheet cell that cannot be read as text or a figure, and why."""

    reason: str


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based, as the spreadsheet shows it
    cells: list[str | Bad]
    xlsx: bool = False


# --- writing CSV ------------------------------------------------------------------------------

# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and
# carriage return, strips them and reads what follows): "=HYPERLINK(…)" in a row label would run
# on the computer of whoever opens our CSV. OWASP's "CSV injection".
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell as it may be written to a CSV the site serves or attaches: text that a spreadsheet
    would take for a formula gets a leading apostrophe (shown by none, evaluated by none);
    numbers ("-7.1", "+2") stay numbers, so the figures can still be summed."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) and parse_number(text) is None:
        return "'" + text
    return text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as UTF-8 CSV, every cell through csv_safe: the one way this site writes CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def describe_size(size: int) -> str:
    return f"{size / _MiB:.1f} MB" if size >= _MiB else f"{size / 1024:.0f} KB"


# --- reading the bytes ----------------------------------------------------------------------

SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")
# What a person calls the files most often chosen by mistake.
FILE_TYPES = {
    ".txt": "a text file (.txt)",
    ".xls": "an Excel 97–2003 workbook (.xls)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".pdf": "a PDF document (.pdf)",
    ".doc": "a Word document (.doc)",
    ".docx": "a Word document (.docx)",
    ".json": "a JSON file (.json)",
}

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


def _refuse_other_files(name: str) -> None:
    """A file named as something other than a spreadsheet (notes.txt) is refused for what it
    is, before its contents are read as CSV and refused for its columns."""
    path = PurePath(name.replace("\\", "/"))
    suffix = path.suffix.lower()
    if suffix and suffix not in SPREADSHEET_SUFFIXES:
        what = FILE_TYPES.get(suffix, f"a “{suffix}” file")
        raise ImportRefused(
            f"“{path.name}” is {what}, not a spreadsheet. Import "
            "a CSV file (.csv, UTF-8) or an Excel workbook (.xlsx)."
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
        _refuse_other_files(name)
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
        _refuse_other_files(name)
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


_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _cells_of(line: str) -> list[str]:
    """The cells of one line of CSV as far as it reads; a line broken mid-quote (the file is not
    CSV at all) is split at its commas, since the answer only places the bad byte."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def _encoding_refusal(data: bytes, error: UnicodeDecodeError) -> ImportRefused:
    offset = error.start
    # Lines end as the file ends them: Excel for Mac's "CSV (Macintosh)" ends them with a
    # carriage return alone, Windows with CR LF, everything else with LF.
    breaks = [match.end() for match in _LINE_BREAK.finditer(data, 0, offset)]
    row = len(breaks) + 1
    line_start = breaks[-1] if breaks else 0
    before = data[line_start:offset].decode("utf-8", "replace")
    column = max(1, len(_cells_of(before)))
    first_line = _LINE_BREAK.split(data, 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    header = _cells_of(first_line)
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
        return f"{figure_text(shown)}%"
    # The format says how many decimals the sheet shows: 1805 shown as "1805.0" is 1805.0.
    if decimals is not None and -int(number.as_tuple().exponent) < decimals:
        number = number.quantize(Decimal(1).scaleb(-decimals))
    return figure_text(number)
