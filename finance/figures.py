"""Figures and the words around them, as finance teams write them: amounts in a unit (£, £k, £m),
numbers with their shown precision, percentages, header names with their unit, and total rows.

Pure functions: nothing here knows of files, tables or the database.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import models


class Unit(models.TextChoices):
    POUNDS = "£", "£"
    THOUSANDS = "£k", "£ thousands"
    MILLIONS = "£m", "£ millions"


UNIT_IN_POUNDS = {
    Unit.POUNDS: Decimal(1),
    Unit.THOUSANDS: Decimal(1000),
    Unit.MILLIONS: Decimal(10) ** 6,
}

# --- numbers --------------------------------------------------------------------------------------

# A figure as a finance team types it: an optional sign, digits (thousands may be grouped with
# commas), optional decimals. Nothing else: Decimal() alone would also accept "NaN", "Infinity"
# and "1E+3", none of which belongs in a published table.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_PERCENT = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)\s?%")
# Longest figure accepted: 15 digits before the point (trillions of pounds) and 6 after.
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 6

Cell = Decimal | str | None


def parse_number(text: str) -> Decimal | None:
    """The Decimal a cell's text stands for, keeping its shown precision ("0.0" stays "0.0"), or
    None if the text is not a number."""
    cleaned = text.strip().replace("\u2212", "-")  # the typographic minus of published tables
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = Decimal(cleaned.replace(",", ""))
    digits, exponent = len(value.as_tuple().digits), int(value.as_tuple().exponent)
    if -exponent > MAX_DECIMALS or digits + exponent > MAX_INTEGER_DIGITS:
        return None
    return value


def is_percentage(text: str) -> bool:
    return bool(_PERCENT.fullmatch(text.strip()))


def figure_text(value: Decimal) -> str:
    """How a figure is stored: plain notation, never an exponent, precision kept."""
    return format(value, "f")


def grouped(value: Decimal) -> str:
    """A figure as a reader reads it: thousands separated by commas, its precision kept
    (16777584 → "16,777,584", -7.10 → "-7.10")."""
    return format(value, ",f")


def stored_cell(text: str | None) -> Cell:
    """A stored cell back as a figure (Decimal), other text, or None for an empty cell."""
    if text is None or text == "":
        return None
    number = parse_number(text)
    return number if number is not None else text


# --- header names -----------------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(
    r"\s*(?:[(\[]\s*(?P<bracketed>£\s*m|£\s*k|£\s*'?000s?|£)\s*[)\]]|\s(?P<bare>£m|£k|£'?000s?|£))\s*$",
    re.IGNORECASE,
)
_UNITS = {"£m": Unit.MILLIONS, "£k": Unit.THOUSANDS, "£000": Unit.THOUSANDS, "£": Unit.POUNDS}


def normalise(text: str) -> str:
    """Compare names as people read them: case, runs of spaces and curly quotes do not count."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return " ".join(text.split()).casefold()


def split_unit(header: str) -> tuple[str, Unit | None]:
    """A header cell as (name, unit): "Actual to Date (£m)" → ("Actual to Date", £m)."""
    match = _UNIT_SUFFIX.search(header)
    if match is None:
        return " ".join(header.split()), None
    raw = (match.group("bracketed") or match.group("bare")).replace(" ", "").replace("'", "")
    raw = raw.lower().removesuffix("s")
    return " ".join(header[: match.start()].split()), _UNITS[raw]


def _words(text: str) -> str:
    """A label reduced to its words, for matching labels across tables."""
    return " ".join(re.sub(r"[^\w%]+", " ", normalise(text).replace("&", " and ")).split())


def label_words(label: str) -> str:
    """A label reduced to its words, for matching labels across tables."""
    return _words(label)


# --- total rows -------------------------------------------------------------------------------

_TOTAL = re.compile(r"\b(?:sub-?)?total\b", re.IGNORECASE)
# Rows that sum up a table without calling themselves a total: printed like totals, and left out
# of the charts, but not checked as totals (the revised budget has a rule of its own).
_SUMMARY = re.compile(r"\b(?:overall|revised budget)\b", re.IGNORECASE)


def is_total(label: str) -> bool:
    """Total rows say so: "Total Pay", "Grand Total", "OVERALL MPS & MOPAC Total", "Subtotal".
    The checks compute these rows from the lines they cover."""
    return bool(_TOTAL.search(label))


def shown_as_total(label: str) -> bool:
    """A row printed as a total (in bold, and left out of the charts): every total row, and the
    rows that sum a table up without saying "total" ("OVERALL …", "Revised Budget")."""
    return is_total(label) or bool(_SUMMARY.search(label))
