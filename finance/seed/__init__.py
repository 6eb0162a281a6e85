"""The finance annex of PCD 279, "Financial Reporting 2017/18 – Quarter 1", as MOPAC published it:
its ten tables transcribed as CSV, byte for byte as published (a test compares them with the
transcription they were taken from), because they are the reference case of the checks and the
demo loads them."""

from __future__ import annotations

from pathlib import Path

PCD_279_DIR = Path(__file__).resolve().parent / "pcd-279"

# In the order they appear in the published document.
PCD_279_FILES = (
    "revenue_position.csv",
    "officer_pay_by_business_group.csv",
    "officer_overtime_by_business_group.csv",
    "staff_pay_by_business_group.csv",
    "savings.csv",
    "capital_position.csv",
    "capital_programme_by_portfolio.csv",
    "reserves.csv",
    "lcpf_allocations.csv",
    "budget_movements.csv",
)

PCD_279_ANNEX = {
    "title": "Quarterly Performance Update Report – Quarter 1 2017/18",
    "reporting_period": "Quarter 1 2017/18",
    "unit": "£m",
}


def pcd_279_files() -> list[tuple[str, bytes]]:
    """(name, contents) of the ten tables, for finance.services.annex_import_historic."""
    return [(name, (PCD_279_DIR / name).read_bytes()) for name in PCD_279_FILES]
