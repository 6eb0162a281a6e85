"""Issue 9's done-when, in a real browser (Playwright and Debian's Chromium, every control found by
its visible label): an officer imports a workbook laid out as a finance team keeps it, matches its
columns once, and next quarter the same layout imports without asking; the figures are stored in
the annex's unit."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from decisions.roles import Role
from finance.models import AnnexTable, ColumnMapping
from tests.a11y import axe_violations, format_violations, overflowing, scrolls_sideways
from tests.factories import make_complete_draft
from tests.test_browser import (  # noqa: F401 (fixtures)
    TIMEOUT_MS,
    _plain_static_storage,
    demo,
    evidence_on_failure,
    page,
    sign_in,
    success,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = [
    "Business Group",
    "Year To Date (£000)",
    "Full Year Budget (B07) £000",
    "Revised Budget (£m)",
    "Amount (£k)",
    "% Variance",
]


def finance_teams_workbook(rows: list[tuple[str, int, float, float, float, float]]) -> bytes:
    """Figures as numbers shown with separators and one decimal, percentages as percentages."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Business groups"
    sheet.append(HEADER)
    for label, actual, budget, revised, amount, percent in rows:
        sheet.append([label, actual, budget, revised, amount, percent])
        row = sheet.max_row
        for column in "BCDE":
            sheet[f"{column}{row}"].number_format = "#,##0.0"
        sheet[f"E{row}"].number_format = "#,##0"
        sheet[f"F{row}"].number_format = "0.0%"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CHECK = "Check the table before importing it"
QUARTER_1 = [
    ("Frontline Policing", 301_000, 1_234_567.8, 1_201.3, -33_268, -0.027),
    ("Specialist Crime", 4_000, 16_777.6, 17.0, 222, 0.013),
    ("Total", 305_000, 1_251_345.4, 1_218.3, -33_046, -0.026),
]
QUARTER_2 = [
    ("Frontline Policing", 602_000, 1_234_567.8, 1_190.0, -44_568, -0.036),
    ("Specialist Crime", 8_000, 16_777.6, 18.0, 1_222, 0.073),
    ("Total", 610_000, 1_251_345.4, 1_208.0, -43_346, -0.035),
]


def test_a_finance_teams_workbook_is_matched_once_and_then_imports_unasked(
    page: Any,  # noqa: F811 (the fixture of tests.test_browser)
    demo: dict[Role, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    draft = make_complete_draft(demo[Role.OFFICER], title="Quarter 1 finance report")
    first = tmp_path / "Q1 business groups.xlsx"
    first.write_bytes(finance_teams_workbook(QUARTER_1))
    second = tmp_path / "Q2 business groups.xlsx"
    second.write_bytes(finance_teams_workbook(QUARTER_2))

    with evidence_on_failure(page, "browser-spreadsheets"):
        sign_in(page, "officer")
        page.goto(f"/staff/requests/{draft.pk}/")
        page.get_by_role("link", name="Finance annexes", exact=True).click()
        page.get_by_label("Title").fill("Financial position")
        page.get_by_label("Reporting period").fill("Quarter 1 2010-11")
        page.get_by_label("Unit").select_option(label="£ millions")
        page.get_by_role("button", name="Add annex").click()
        success(page, "Annex “Financial position” added.")

        # Quarter 1: their columns are not ours, so they are matched, once.
        page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(str(first))
        page.get_by_label("Kind of table").select_option(label="Breakdown by business group")
        page.get_by_role("button", name="Preview").click()
        expect(
            page.get_by_role("heading", name="Match the columns of “Q1 business groups.xlsx”")
        ).to_be_visible()
        for their_column, ours in [
            ("Business Group", "Business Group"),
            ("Year To Date (£000)", "Year To Date Actual"),
            ("Full Year Budget (B07) £000", "Current Full Year Budget"),
            ("Revised Budget (£m)", "Annual Forecast"),
            ("Amount (£k)", "Annual Variance"),
            ("% Variance", "Ignore this column"),
        ]:
            page.get_by_label(their_column, exact=True).select_option(label=ours)
        # The units were read from the headers.
        expect(page.get_by_label("Unit of “Full Year Budget (B07) £000”")).to_have_value("£k")
        expect(page.get_by_label("Unit of “Revised Budget (£m)”")).to_have_value("£m")
        expect(page.get_by_label("Unit of “Amount (£k)”")).to_have_value("£k")
        assert axe_violations(page) == [], format_violations(axe_violations(page))
        page.set_viewport_size({"width": 320, "height": 800})
        assert not scrolls_sideways(page), overflowing(page)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name=CHECK)).to_be_visible()
        expect(page.get_by_text("1,234.5678", exact=True)).to_be_visible()
        assert axe_violations(page) == [], format_violations(axe_violations(page))
        page.get_by_label("Table title").fill("Business groups 2010-11")
        page.get_by_role("button", name="Confirm import").click()
        success(page, "Imported “Business groups 2010-11” (3 rows).")
        expect(page.get_by_role("heading", name="Business groups 2010-11", level=1)).to_be_visible()
        expect(page.get_by_role("cell", name="1,251.3454")).to_be_visible()

        # Quarter 2: the same layout goes straight to the preview.
        page.get_by_role("link", name="Finance annexes").click()
        page.get_by_text("Import a table into Financial position").click()
        page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(str(second))
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_role("heading", name=CHECK)).to_be_visible()
        expect(
            page.get_by_text("Your columns were matched to ours as they were the last time")
        ).to_be_visible()
        page.get_by_role("button", name="Confirm import").click()
        success(page, "Imported “Q2 business groups”")

    q1 = AnnexTable.objects.get(annex__decision=draft, title="Business groups 2010-11")
    q2 = AnnexTable.objects.get(annex__decision=draft, source_name="Q2 business groups.xlsx")
    assert q1.unit == q2.unit == "£m"
    assert q1.columns == [
        "Business Group",
        "Year To Date Actual (£m)",
        "Current Full Year Budget (£m)",
        "Annual Forecast (£m)",
        "Annual Variance (£m)",
    ]
    assert [Decimal(c) for c in q1.rows.get(label="Specialist Crime").cells] == [
        Decimal("4.0000"),
        Decimal("16.7776"),
        Decimal("17.0"),
        Decimal("0.222"),
    ]
    assert [Decimal(c) for c in q2.rows.get(label="Total").cells] == [
        Decimal("610.0000"),
        Decimal("1251.3454"),
        Decimal("1208.0"),
        Decimal("-43.346"),
    ]
    assert ColumnMapping.objects.count() == 1
