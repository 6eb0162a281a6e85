"""Which rows of an annex need the DMPC's approval under the Scheme of Delegation and Consent
(as PCD 279 states it in its paragraphs 1.2 and 4.2):

- "the DMPC must approve any budget movement for £500,000 or above": a budget movement line with
  any cell of £500,000 or more either way;
- "all decisions in relation to the transfer in and out of reserves will be made by the DMPC":
  a budget movement line that moves any amount to or from reserves.

The lines are those of budget movement tables, inside a category (section), that are not
totals: the GLA Submission, Total Virements and Revised Budget rows summarise the movements and
are not movements themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from finance.figures import UNIT_IN_POUNDS, Unit, figure_text, is_total, normalise
from finance.kinds import TableKind
from finance.tables import TableData

THRESHOLD = Decimal(500_000)


@dataclass(frozen=True)
class DelegationItem:
    table: str
    table_index: int
    table_key: int | None
    row_index: int
    row_pk: int | None
    section: str
    label: str
    reasons: tuple[str, ...]


def _pounds(value: Decimal, unit: str) -> Decimal:
    return value * UNIT_IN_POUNDS[Unit(unit)]


def _money(value: Decimal, unit: str) -> str:
    """An amount as people write it: £22.0m, £150k, £640,000."""
    if unit == Unit.POUNDS:
        return f"£{abs(value):,}"
    return f"£{figure_text(abs(value))}{unit.removeprefix('£')}"


def _is_reserves_column(name: str) -> bool:
    return "reserve" in normalise(name)


def needs_approval(table: TableData) -> list[tuple[int, tuple[str, ...]]]:
    """The movement lines of one table that need DMPC approval, each with the reasons."""
    if table.kind != TableKind.BUDGET_MOVEMENTS or table.layout is None:
        return []
    layout = table.layout
    found = []
    for index, row in enumerate(table.rows):
        if not row.section or is_total(row.label):
            continue
        reasons: list[str] = []
        figures = [
            (layout.names[c], cell) for c, cell in enumerate(row.cells) if isinstance(cell, Decimal)
        ]
        large = [(name, v) for name, v in figures if abs(_pounds(v, table.unit)) >= THRESHOLD]
        if large:
            name, value = max(large, key=lambda item: abs(item[1]))
            reasons.append(f"it moves £500,000 or more ({_money(value, table.unit)} of “{name}”)")
        reserves = [(name, v) for name, v in figures if _is_reserves_column(name) and v != 0]
        for name, value in reserves:
            reasons.append(
                f"it transfers {_money(value, table.unit)} to or from reserves "
                f"(“{name}”: {figure_text(value)})"
            )
        if reasons:
            found.append((index, tuple(reasons)))
    return found


def delegation_items(tables: Sequence[TableData]) -> list[DelegationItem]:
    """Every row of one annex that needs DMPC approval, in table and row order."""
    return [
        DelegationItem(
            table=table.title,
            table_index=table_index,
            table_key=table.key,
            row_index=index,
            row_pk=table.rows[index].pk,
            section=table.rows[index].section,
            label=table.rows[index].label,
            reasons=reasons,
        )
        for table_index, table in enumerate(tables)
        for index, reasons in needs_approval(table)
    ]
