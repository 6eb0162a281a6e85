"""The kinds of finance table (DESIGN §6), each described once: how it is recognised from its
header row, which columns hold labels and which hold figures, which figures are derived from
others, and which rows each total covers.

The rules below are the checks of DESIGN §6, written as data:

    Revenue position     variance = actual − budget, per period; every total = the lines and
                         sub-totals it covers (Total Pay, Total Overtime, TOTAL PAY & OVERTIME,
                         TOTAL RUNNING EXPENSES, TOTAL EXPENDITURE, TOTAL NET EXPENDITURE, OVERALL)
    Business group       variance = forecast − budget; the total row = the lines
    Savings              variation = forecast − planned; total = lines
    Capital programme    variance = forecast − budget; section totals; grand total
    Reserves             closing = opening + net movement; next year's opening = this year's
                         closing; closing = general fund + earmarked
    Budget movements     each movement nets to its Total; category totals; Total Virements = the
                         category totals; Revised Budget = GLA Submission + Total Virements
    Allocations          Grand Total = the allocations

A rule only says which cells must add up to which (an `Equation`); finance.checks evaluates
them, classes each difference as rounding or error, and adds the checks across tables.

This module knows nothing of files or the database, so importing, checking and the selectors can
all use it without importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from finance.models import TableKind, Unit

# --- figures and text -------------------------------------------------------------------------

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


def stored_cell(text: str | None) -> Cell:
    """A stored cell back as a figure (Decimal), other text, or None for an empty cell."""
    if text is None or text == "":
        return None
    number = parse_number(text)
    return number if number is not None else text


# --- header names -----------------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(
    r"\s*(?:[(\[]\s*(?P<bracketed>£\s*m|£\s*k|£\s*'?000s?|£)\s*[)\]]|\s(?P<bare>£m|£k|£))\s*$",
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


_TOTAL = re.compile(r"\b(?:sub-?)?total\b", re.IGNORECASE)


def is_total(label: str) -> bool:
    """Total rows say so: "Total Pay", "Grand Total", "OVERALL MPS & MOPAC Total"."""
    return bool(_TOTAL.search(label))


# --- equations ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Place:
    """A figure cell of one table: the row's index and the figure column's index."""

    row: int
    column: int


@dataclass(frozen=True)
class Equation:
    """`target` must equal the signed sum of `terms`; `rule` says why, in the officer's words."""

    target: Place
    terms: tuple[tuple[int, Place], ...]
    rule: str


@dataclass(frozen=True)
class RowLabel:
    section: str
    label: str

    @property
    def total(self) -> bool:
        return is_total(self.label)


@dataclass(frozen=True)
class Layout:
    """A header row read against a kind: the label columns, then one role per figure column."""

    spec: KindSpec
    label_count: int
    figure_headers: tuple[str, ...]
    names: tuple[str, ...]  # the figure headers without their unit
    roles: tuple[str, ...]

    def columns(self, role: str) -> list[int]:
        return [index for index, have in enumerate(self.roles) if have == role]

    def column(self, role: str) -> int | None:
        found = self.columns(role)
        return found[0] if len(found) == 1 else None


class Rule(Protocol):
    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]: ...


def _list(rows: Sequence[RowLabel]) -> str:
    """What a total covers, in words: "Total Pay + Total Overtime", "the 6 lines above"."""
    if len(rows) > 1 and not any(r.total for r in rows):
        return f"the {len(rows)} lines above"
    labels = [r.label for r in rows]
    if len(labels) > 4:
        return f"the {len(labels)} rows {labels[0]} … {labels[-1]}"
    return " + ".join(labels) if labels else "nothing"


@dataclass(frozen=True)
class Difference:
    """On every row: `target` = `plus` − `minus` (a variance)."""

    target: str
    plus: str
    minus: str

    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]:
        t, p, m = layout.column(self.target), layout.column(self.plus), layout.column(self.minus)
        if t is None or p is None or m is None:
            return
        rule = f"{layout.names[t]} = {layout.names[p]} − {layout.names[m]}"
        for index in range(len(rows)):
            yield Equation(Place(index, t), ((1, Place(index, p)), (-1, Place(index, m))), rule)


@dataclass(frozen=True)
class RowTotal:
    """On every row: the `target` column = the sum of the columns of role `of` (a budget
    movement's Total nets its headings: zero for a pure virement)."""

    target: str
    of: str

    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]:
        t = layout.column(self.target)
        parts = layout.columns(self.of)
        if t is None or not parts:
            return
        rule = f"{layout.names[t]} = the sum of the row's {len(parts)} headings"
        for index in range(len(rows)):
            terms = tuple((1, Place(index, c)) for c in parts)
            yield Equation(Place(index, t), terms, rule)


def _each_column(
    layout: Layout, target: int, covered: Sequence[tuple[int, int]], rule: str
) -> Iterator[Equation]:
    for column in range(len(layout.roles)):
        terms = tuple((sign, Place(row, column)) for sign, row in covered)
        yield Equation(Place(target, column), terms, rule)


class SectionTotals:
    """A total row inside a section = the section's other lines (Total Pay = the Pay lines)."""

    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]:
        for index, row in enumerate(rows):
            if not (row.section and row.total):
                continue
            covered = [i for i, r in enumerate(rows) if r.section == row.section and not r.total]
            rule = f"{row.label} = the {row.section} lines"
            yield from _each_column(layout, index, [(1, i) for i in covered], rule)


class RunningTotals:
    """A total row outside any section = the total above it (if any), plus every section total
    and line between the two. A section without a total row counts by its lines.

    In the revenue position this gives exactly the published hierarchy: TOTAL PAY & OVERTIME =
    Total Pay + Total Overtime; TOTAL EXPENDITURE = TOTAL PAY & OVERTIME + TOTAL RUNNING EXPENSES
    + Capital Financing Costs + Discretionary Pension Costs; TOTAL NET EXPENDITURE = TOTAL
    EXPENDITURE + Other Income + Specific Grants + Transfer to/(from) reserves; OVERALL = TOTAL
    NET EXPENDITURE + Funding. In the capital position the grand total covers the three section
    totals and the NCTPHQ line, whose section has no total; in tables without sections the
    grand total covers every line."""

    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]:
        with_total = {r.section for r in rows if r.section and r.total}
        pending: list[int] = []
        for index, row in enumerate(rows):
            if row.section:
                counts = row.total if row.section in with_total else not row.total
                if counts:
                    pending.append(index)
            elif row.total:
                rule = f"{row.label} = {_list([rows[i] for i in pending])}"
                yield from _each_column(layout, index, [(1, i) for i in pending], rule)
                pending = [index]
            else:
                pending.append(index)


@dataclass(frozen=True)
class NamedRowSum:
    """The row labelled `target` = the rows labelled `parts` (whole labels, as patterns over
    the normalised label); `section_totals` adds every section's total row."""

    target: str
    parts: tuple[str, ...] = ()
    section_totals: bool = False

    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]:
        def find(pattern: str) -> int | None:
            hits = [i for i, r in enumerate(rows) if re.fullmatch(pattern, normalise(r.label))]
            return hits[0] if len(hits) == 1 else None

        target = find(self.target)
        if target is None:
            return
        covered: list[int] = []
        for pattern in self.parts:
            index = find(pattern)
            if index is None:
                return
            covered.append(index)
        if self.section_totals:
            covered += [i for i, r in enumerate(rows) if r.section and r.total]
        rule = f"{rows[target].label} = {_list([rows[i] for i in covered])}"
        yield from _each_column(layout, target, [(1, i) for i in covered], rule)


@dataclass(frozen=True)
class ReservesMovements:
    """Down each year's column: closing = opening + net movement; closing = general fund +
    earmarked; and across the years: next year's opening = this year's closing."""

    def equations(self, rows: Sequence[RowLabel], layout: Layout) -> Iterator[Equation]:
        found = {name: reserves_row(rows, name) for name in RESERVES_ROWS}
        opening, movement, closing = found["opening"], found["movement"], found["closing"]
        general, earmarked = found["general_fund"], found["earmarked"]
        years = layout.columns("year")
        for position, column in enumerate(years):
            if closing is not None and opening is not None and movement is not None:
                yield Equation(
                    Place(closing, column),
                    ((1, Place(opening, column)), (1, Place(movement, column))),
                    "closing = opening + net movement",
                )
            if position > 0 and opening is not None and closing is not None:
                before = years[position - 1]
                yield Equation(
                    Place(opening, column),
                    ((1, Place(closing, before)),),
                    f"opening = the closing balance of {layout.names[before]}",
                )
            if closing is not None and general is not None and earmarked is not None:
                yield Equation(
                    Place(closing, column),
                    ((1, Place(general, column)), (1, Place(earmarked, column))),
                    "closing = general fund + earmarked",
                )


# The rows of the reserves table the rules speak of, by their label.
RESERVES_ROWS = {
    "opening": r"opening( reserves?)? balance",
    "movement": r"net( reserves?)? movement",
    "closing": r"closing( reserves?)? balance",
    "general_fund": r"general fund( reserves?)?",
    "earmarked": r"earmarked( revenue)? reserves?",
}
REQUIRED_RESERVES_ROWS = {
    "opening": "Opening Reserve Balance",
    "movement": "Net Reserve Movement",
    "closing": "Closing reserve Balance",
}


def reserves_row(rows: Sequence[RowLabel], name: str) -> int | None:
    pattern = RESERVES_ROWS[name]
    hits = [
        i
        for i, r in enumerate(rows)
        if "%" not in r.label and re.fullmatch(pattern, normalise(r.label))
    ]
    return hits[0] if len(hits) == 1 else None


# --- the kinds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure column: its role, the header names it goes by (patterns over the normalised
    name without its unit), and the name shown when it is missing. `repeats` columns may occur
    any number of times (years, budget headings)."""

    role: str
    names: str
    shown: str
    repeats: bool = False


@dataclass(frozen=True)
class KindSpec:
    kind: TableKind
    labels: tuple[str, ...]  # patterns for the label columns, in order
    label_names: tuple[str, ...]
    figures: tuple[Figure, ...]
    rules: tuple[Rule, ...] = ()
    # Rows whose label matches hold text (the reserves' percentages) and are not checked.
    text_rows: str | None = None
    # Rows without which the rules cannot be applied: (role, label shown when missing).
    required_rows: tuple[tuple[str, str], ...] = ()
    open_columns: bool = False  # a plain table: any columns, any cells

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def derived(self) -> tuple[str, ...]:
        """The roles of the columns computed from others of the same row: the variances, a
        budget movement's Total."""
        return tuple(r.target for r in self.rules if isinstance(r, Difference | RowTotal))

    def is_text_row(self, label: str) -> bool:
        return self.open_columns or bool(
            self.text_rows and re.search(self.text_rows, normalise(label))
        )


SECTION_AND_LINE = (r"section", r"line")

REVENUE_POSITION = KindSpec(
    TableKind.REVENUE_POSITION,
    labels=SECTION_AND_LINE,
    label_names=("section", "line"),
    figures=(
        Figure("budget_to_date", r"budget to date", "Budget To Date"),
        Figure("actual_to_date", r"actual to date", "Actual to Date"),
        Figure("variance_to_date", r"variance to date", "Variance to Date"),
        Figure("budget", r"full year budget", "Full Year Budget"),
        Figure("forecast", r"full year forecast", "Full Year Forecast"),
        Figure("variance", r"full year variance", "Full Year Variance"),
    ),
    rules=(
        Difference("variance_to_date", plus="actual_to_date", minus="budget_to_date"),
        Difference("variance", plus="forecast", minus="budget"),
        SectionTotals(),
        RunningTotals(),
    ),
)

BUSINESS_GROUP = KindSpec(
    TableKind.BUSINESS_GROUP,
    labels=(r"business group",),
    label_names=("Business Group",),
    figures=(
        Figure("ytd_actual", r"year to date actual|actual to date", "Year To Date Actual"),
        Figure("budget", r"(current )?full year budget", "Current Full Year Budget"),
        Figure("forecast", r"annual forecast|full year forecast", "Annual Forecast"),
        Figure("variance", r"annual variance|full year variance", "Annual Variance"),
    ),
    rules=(Difference("variance", plus="forecast", minus="budget"), RunningTotals()),
)

SAVINGS = KindSpec(
    TableKind.SAVINGS,
    labels=(r"line|saving(s)?",),
    label_names=("line",),
    figures=(
        Figure("planned", r"planned saving(s)?", "Planned Saving"),
        Figure("forecast", r"forecast saving(s)?", "Forecast Saving"),
        Figure("variation", r"variation|variance", "Variation"),
    ),
    rules=(Difference("variation", plus="forecast", minus="planned"), RunningTotals()),
)

CAPITAL_PROGRAMME = KindSpec(
    TableKind.CAPITAL_PROGRAMME,
    labels=SECTION_AND_LINE,
    label_names=("section", "line"),
    figures=(
        # "Budget 2017/18" in the programme by portfolio, "Full Year Budget" in the position.
        Figure("budget", r"(full year )?budget( \d{4}/\d{2,4})?", "Full Year Budget"),
        Figure("actual", r"actuals?( to date)?", "Actual to Date"),
        Figure("forecast", r"(full year )?forecast", "Full Year Forecast"),
        Figure("variance", r"(full year )?variance", "Variance"),
    ),
    rules=(
        Difference("variance", plus="forecast", minus="budget"),
        SectionTotals(),
        RunningTotals(),
    ),
)

RESERVES = KindSpec(
    TableKind.RESERVES,
    labels=(r".*(position|reserves?|balances?).*",),
    label_names=("Planned & Actual Position",),
    figures=(
        Figure(
            "year",
            r"\d{4}/\d{2}( (actual|forecast(ed)?|planned|budget(ed)?|estimated?|outturn))?",
            "2017/18 Forecasted",
            repeats=True,
        ),
    ),
    rules=(ReservesMovements(),),
    text_rows=r"%",
    required_rows=tuple(REQUIRED_RESERVES_ROWS.items()),
)

BUDGET_MOVEMENTS = KindSpec(
    TableKind.BUDGET_MOVEMENTS,
    labels=SECTION_AND_LINE,
    label_names=("section", "line"),
    figures=(
        Figure("total", r"total", "Total"),
        # The budget headings vary from one report to the next; any other column is one.
        Figure("heading", r".+", "a budget heading", repeats=True),
    ),
    rules=(
        RowTotal("total", of="heading"),
        SectionTotals(),
        NamedRowSum(r"total virements", section_totals=True),
        NamedRowSum(r"revised budget", parts=(r"gla submission.*", r"total virements")),
    ),
)

ALLOCATIONS = KindSpec(
    TableKind.ALLOCATIONS,
    labels=(r"(?!.*allocation).+",),
    label_names=("Borough",),
    figures=(Figure("allocation", r"(total )?allocations?\b.*", "Total Allocation", repeats=True),),
    rules=(RunningTotals(),),
)

# A plain table has no checks: its first column (or "section" and the next) labels the rows,
# and its other cells may hold anything.
PLAIN = KindSpec(
    TableKind.PLAIN,
    labels=(),
    label_names=(),
    figures=(),
    open_columns=True,
)

# In the order they are tried when a file's kind is recognised from its header.
KINDS: tuple[KindSpec, ...] = (
    REVENUE_POSITION,
    BUSINESS_GROUP,
    SAVINGS,
    CAPITAL_PROGRAMME,
    RESERVES,
    BUDGET_MOVEMENTS,
    ALLOCATIONS,
    PLAIN,
)
SPECS = {spec.kind.value: spec for spec in KINDS}


def spec_for(kind: str) -> KindSpec:
    return SPECS[kind]


# --- reading a header against a kind ----------------------------------------------------------


@dataclass
class Mismatch:
    """Why a header row is not a table of this kind."""

    spec: KindSpec
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (1-based column, header)
    missing: list[str] = field(default_factory=list)
    named: int = 0  # columns recognised by name, to find the nearest kind

    @property
    def score(self) -> int:
        return self.named - len(self.unknown) - len(self.missing)

    def messages(self) -> list[str]:
        name = self.spec.label.lower()
        article = "an" if name[:1] in "aeiou" else "a"
        found = [
            f"Column {number}, “{header}”, is not a column of {article} {name} table."
            for number, header in self.unknown
        ]
        found += [
            f"The {name} table needs a column “{shown}”; it is missing." for shown in self.missing
        ]
        return found


def read_header(spec: KindSpec, header: Sequence[str]) -> Layout | Mismatch:
    """The header row as a table of this kind, or what does not fit."""
    mismatch = Mismatch(spec)
    if spec.open_columns:
        first = normalise(split_unit(header[0])[0]) if header else ""
        label_count = 2 if first == "section" and len(header) > 1 else 1
        return _layout(spec, header, label_count, [""] * (len(header) - label_count))
    label_count = len(spec.labels)
    for number, (pattern, shown) in enumerate(zip(spec.labels, spec.label_names, strict=True)):
        if number >= len(header):
            mismatch.missing.append(shown)
        elif re.fullmatch(pattern, normalise(split_unit(header[number])[0])):
            mismatch.named += 1
        else:
            mismatch.unknown.append((number + 1, header[number]))
            mismatch.missing.append(shown)
    roles: list[str] = []
    for number, text in enumerate(header[label_count:], start=label_count + 1):
        name = normalise(split_unit(text)[0])
        role = next(
            (
                figure
                for figure in spec.figures
                if re.fullmatch(figure.names, name) and (figure.repeats or figure.role not in roles)
            ),
            None,
        )
        if role is None:
            mismatch.unknown.append((number, text))
            continue
        roles.append(role.role)
        if role.names != r".+":
            mismatch.named += 1
    for figure in spec.figures:
        if figure.role not in roles:
            mismatch.missing.append(figure.shown)
    if mismatch.unknown or mismatch.missing:
        return mismatch
    return _layout(spec, header, label_count, roles)


def _layout(spec: KindSpec, header: Sequence[str], label_count: int, roles: list[str]) -> Layout:
    figures = tuple(header[label_count:])
    return Layout(
        spec=spec,
        label_count=label_count,
        figure_headers=figures,
        names=tuple(split_unit(h)[0] for h in figures),
        roles=tuple(roles),
    )


def recognise(header: Sequence[str]) -> Layout | Mismatch:
    """The kind whose columns the header has; else the nearest kind, and what does not fit."""
    nearest: Mismatch | None = None
    for spec in KINDS:
        if spec.open_columns:
            continue  # a plain table is never guessed: it would switch every check off
        read = read_header(spec, header)
        if isinstance(read, Layout):
            return read
        if nearest is None or read.score > nearest.score:
            nearest = read
    return nearest if nearest is not None else Mismatch(PLAIN)


def equations(spec: KindSpec, rows: Sequence[RowLabel], layout: Layout) -> list[Equation]:
    """Every check of one table, except on its text rows."""
    text = {i for i, r in enumerate(rows) if spec.is_text_row(r.label)}
    return [
        equation
        for rule in spec.rules
        for equation in rule.equations(rows, layout)
        if equation.target.row not in text and all(p.row not in text for _, p in equation.terms)
    ]


def missing_rows(spec: KindSpec, rows: Sequence[RowLabel]) -> list[str]:
    """The rows a kind's rules need that are not there (reserves: opening, movement, closing)."""
    return [shown for name, shown in spec.required_rows if reserves_row(rows, name) is None]


def label_words(label: str) -> str:
    return _words(label)
