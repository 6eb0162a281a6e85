"""The PCD 279 finance annex, made straight from its published tables (finance/seed/pcd-279/)
with the csv module: the tables as published, cells as Decimal text. Used by the
document tests and the benchmark, so that they do not depend on the importer and its checks."""

from __future__ import annotations

import csv
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

from decisions.models import Decision
from finance.models import Annex, AnnexRow, AnnexTable, TableKind, Unit
from finance.seed import PCD_279_DIR

SEED = Path(os.environ.get("PCD_SEED_DIR", str(PCD_279_DIR)))

# (file, kind, title, unit), in the order of the published report.
TABLES = [
    (
        "revenue_position.csv",
        TableKind.REVENUE_POSITION,
        "Revenue: position at Q1 2017/18",
        Unit.MILLIONS,
    ),
    (
        "officer_pay_by_business_group.csv",
        TableKind.BUSINESS_GROUP,
        "Police officer pay by business group",
        Unit.MILLIONS,
    ),
    (
        "officer_overtime_by_business_group.csv",
        TableKind.BUSINESS_GROUP,
        "Police officer overtime by business group",
        Unit.MILLIONS,
    ),
    (
        "staff_pay_by_business_group.csv",
        TableKind.BUSINESS_GROUP,
        "Police staff pay by business group",
        Unit.MILLIONS,
    ),
    ("savings.csv", TableKind.SAVINGS, "Achievement against savings target", Unit.MILLIONS),
    (
        "capital_position.csv",
        TableKind.CAPITAL_PROGRAMME,
        "Capital: position at Q1 2017/18",
        Unit.MILLIONS,
    ),
    (
        "capital_programme_by_portfolio.csv",
        TableKind.CAPITAL_PROGRAMME,
        "MPS capital programme by portfolio, June 2017",
        Unit.MILLIONS,
    ),
    ("reserves.csv", TableKind.RESERVES, "Reserves: planned and actual position", Unit.MILLIONS),
    (
        "lcpf_allocations.csv",
        TableKind.ALLOCATIONS,
        "London Crime Prevention Fund: 2017/18 allocation across boroughs",
        Unit.POUNDS,
    ),
    (
        "budget_movements.csv",
        TableKind.BUDGET_MOVEMENTS,
        "Recommended budget movements for DMPC approval",
        Unit.MILLIONS,
    ),
]


def cell(text: str) -> str | None:
    """A CSV cell as stored: None when empty, the Decimal's text when a number, else the text."""
    text = text.strip()
    if not text:
        return None
    try:
        return str(Decimal(text))
    except InvalidOperation:
        return text


def read_table(path: Path) -> tuple[list[str], list[tuple[str, str, list[str | None]]]]:
    with path.open(newline="", encoding="utf-8") as stream:
        reader = csv.reader(stream)
        columns = next(reader)
        labels = 2 if columns[0].strip().lower() == "section" else 1
        rows = []
        for record in reader:
            if not any(record):
                continue
            section = record[0] if labels == 2 else ""
            rows.append((section, record[labels - 1], [cell(c) for c in record[labels:]]))
    return columns, rows


def load_seed_annex(decision: Decision, *, position: int = 1) -> Annex:
    annex = Annex.objects.create(
        decision=decision,
        position=position,
        title="Quarterly Performance Update Report – Finance",
        reporting_period="Quarter 1 2017/18",
        unit=Unit.MILLIONS,
    )
    for number, (name, kind, title, unit) in enumerate(TABLES, start=1):
        columns, rows = read_table(SEED / name)
        table = AnnexTable.objects.create(
            annex=annex,
            position=number,
            kind=kind,
            title=title,
            source_name=name,
            unit=unit,
            columns=columns,
        )
        AnnexRow.objects.bulk_create(
            AnnexRow(table=table, position=i, section=section, label=label, cells=cells)
            for i, (section, label, cells) in enumerate(rows, start=1)
        )
    return annex
