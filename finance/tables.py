"""One representation of a finance table, for a parsed file and a stored table alike: its kind,
title, unit, header row and rows (each with its section, label and figure cells). The checks,
the Scheme of Delegation and the documents read tables through it.

How many leading columns of a table hold labels rather than figures is decided here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from finance import kinds
from finance.figures import Cell
from finance.rules import Layout, Place, RowLabel


def label_column_count(columns: Sequence[object], figure_count: int | None) -> int:
    """How many leading columns of a header row hold labels (section, line) rather than figures:
    the columns left over when the figures are counted (from a stored row), else one, or two when
    the first column is "section"."""
    if figure_count is not None:
        return max(len(columns) - figure_count, 0)
    return 2 if len(columns) > 1 and str(columns[0]).strip().lower() == "section" else 1


@dataclass(frozen=True)
class RowData:
    section: str
    label: str
    cells: tuple[Cell, ...]  # one per figure column
    number: int  # the row's number in the file (the header is row 1), or its stored position
    pk: int | None = None


@dataclass(frozen=True)
class TableData:
    kind: str
    title: str
    unit: str
    columns: tuple[str, ...]  # the header row, label columns included
    rows: tuple[RowData, ...]
    source_name: str = ""
    key: int | None = None  # the AnnexTable's primary key, once stored

    @cached_property
    def spec(self) -> kinds.KindSpec:
        return kinds.spec_for(self.kind)

    @cached_property
    def layout(self) -> Layout | None:
        read = kinds.read_header(self.spec, self.columns)
        return read if isinstance(read, Layout) else None

    @cached_property
    def labels(self) -> tuple[RowLabel, ...]:
        return tuple(RowLabel(r.section, r.label) for r in self.rows)

    @cached_property
    def row_names(self) -> tuple[str, ...]:
        """How findings name a row: its label, or "section › label" where the label occurs
        twice (the capital position has two "CT Policing Change Portfolio" lines)."""
        counts = Counter(r.label for r in self.rows)
        return tuple(
            f"{r.section} › {r.label}" if counts[r.label] > 1 and r.section else r.label
            for r in self.rows
        )

    @property
    def figure_columns(self) -> tuple[str, ...]:
        return self.columns[self.layout.label_count :] if self.layout else ()

    @cached_property
    def usual_exponent(self) -> int:
        """The precision most of the table's figures are shown at (-1 for one decimal)."""
        exponents = Counter(
            int(cell.as_tuple().exponent)
            for row in self.rows
            for cell in row.cells
            if isinstance(cell, Decimal)
        )
        return exponents.most_common(1)[0][0] if exponents else 0

    def value(self, place: Place) -> Decimal | str:
        cell = self.rows[place.row].cells[place.column]
        if cell is None:
            return Decimal(0).scaleb(self.usual_exponent)
        return cell

    @cached_property
    def column_exponents(self) -> tuple[int, ...]:
        """The precision each figure column is shown at: the most common among its figures
        (the finer on a tie), so "43" in a column of figures shown to 0.1 is 43.0."""
        width = max((len(row.cells) for row in self.rows), default=0)
        found = []
        for column in range(width):
            counts = Counter(
                int(cell.as_tuple().exponent)
                for row in self.rows
                if column < len(row.cells) and isinstance(cell := row.cells[column], Decimal)
            )
            found.append(
                min(counts, key=lambda e: (-counts[e], e)) if counts else self.usual_exponent
            )
        return tuple(found)

    def half_unit(self, place: Place, value: Decimal) -> Decimal:
        """How far rounding may have moved the figure at `place`: half a unit of the last
        decimal its column is shown to, or of its own where it shows more. A figure written
        with fewer decimals than its column ("43" among "12.5"s) was still rounded to the
        column's precision, so a 0.5 slip there is an error, not rounding."""
        exponent = int(value.as_tuple().exponent)
        if place.column < len(self.column_exponents):
            exponent = min(exponent, self.column_exponents[place.column])
        return Decimal(5).scaleb(exponent - 1)
