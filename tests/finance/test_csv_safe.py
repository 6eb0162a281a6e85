"""Every CSV the site writes goes through finance.spreadsheets.csv_safe: a cell a spreadsheet
would run as a formula is neutralised, and numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from finance.spreadsheets import csv_bytes, csv_safe


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(cell: str) -> None:
    assert csv_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-7.1", "+2", "-82.1", "0.0", "1,234.5", "2%", "Total Pay", ""])
def test_numbers_and_plain_text_stay_as_they_are(cell: str) -> None:
    assert csv_safe(cell) == cell


def test_csv_bytes_writes_every_cell_through_csv_safe() -> None:
    data = csv_bytes([["line", "value"], ["=1+1", -7.1], [None, "@x"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows == [["line", "value"], ["'=1+1", "-7.1"], ["", "'@x"]]


def test_no_module_writes_csv_but_through_csv_bytes() -> None:
    """grep for csv.writer: only finance.spreadsheets may hold one."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = [
        str(path.relative_to(root))
        for app in (
            "config",
            "decisions",
            "finance",
            "documents",
            "staff",
            "register",
            "demo",
            "ops",
            "accounts",
            "audit",
        )
        for path in (root / app).rglob("*.py")
        if "csv.writer" in path.read_text(encoding="utf-8")
        or "DictWriter" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["finance/spreadsheets.py"]
