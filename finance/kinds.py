"""The kinds of finance table, each described once: how it is recognised from its header row,
which columns hold labels and which hold figures, and the rules its figures must satisfy:

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
    Other                any columns; section totals and running totals, as in the capital
                         programme (a plain table is not checked at all)

A rule only says which cells must add up to which (finance.rules); finance.checks evaluates them,
classes each difference as rounding or error, and adds the checks across tables.

This module knows nothing of files or the database, so importing, checking and the selectors can
all use it without importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models

from finance.figures import normalise, split_unit
from finance.rules import (
    REQUIRED_RESERVES_ROWS,
    Difference,
    Equation,
    Layout,
    NamedRowSum,
    ReservesMovements,
    RowLabel,
    RowTotal,
    Rule,
    RunningTotals,
    SectionTotals,
    reserves_row,
)


class TableKind(models.TextChoices):
    REVENUE_POSITION = "revenue_position", "Revenue position"
    BUSINESS_GROUP = "business_group", "Breakdown by business group"
    SAVINGS = "savings", "Savings"
    CAPITAL_PROGRAMME = "capital_programme", "Capital programme"
    RESERVES = "reserves", "Reserves"
    BUDGET_MOVEMENTS = "budget_movements", "Budget movements (virements)"
    ALLOCATIONS = "allocations", "Allocations"
    PLAIN = "plain", "Other table, not checked"
    OTHER = "other", "Other table, totals checked"


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
        # A plain table has no rules, so every row is text to it; an "other" table checks the
        # figures of its total rows.
        return (self.open_columns and not self.rules) or bool(
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

# An "other" table: any columns, as a plain table, but its total rows are checked like those of
# the capital programme: a total inside a section covers the section's lines, one outside any
# section covers everything since the total above it. Text cells are left out of the checks.
OTHER = KindSpec(
    TableKind.OTHER,
    labels=(),
    label_names=(),
    figures=(),
    rules=(SectionTotals(), RunningTotals()),
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
    OTHER,
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
        kind=spec.kind.value,
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
