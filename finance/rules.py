"""The arithmetic a table must satisfy, as data: each rule says which cells must add up to which
(an `Equation` between `Place`s of one table), from the table's row labels and the roles of its
figure columns (its `Layout`). finance.kinds gives each kind of table its rules; finance.checks
evaluates the equations and classes each difference as rounding or error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from finance.figures import is_total, normalise


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

    kind: str
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
