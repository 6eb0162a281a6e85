"""Writing annexes through the services: who may, when, and what the checks and the Scheme of
Delegation then ask before the request can be submitted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from decisions import services as decision_services
from decisions.errors import ActionRefused
from decisions.models import Decision, Recommendation
from decisions.states import Status
from finance import selectors, services
from finance.delegation import needs_approval
from finance.importing import parse_table
from finance.models import Annex, AnnexRow, AnnexTable, FindingExplanation
from finance.seed import PCD_279_ANNEX, pcd_279_files
from tests.factories import fresh, make_complete_draft
from tests.finance.conftest import edited_bytes, seed_bytes

REVISED_TOTAL = ("Budget movements", "Revised Budget", "Total (£m)")


def table(annex: Annex, title: str) -> AnnexTable:
    return annex.tables.get(title=title)


def row(annex: Annex, title: str, label: str) -> AnnexRow:
    return AnnexRow.objects.get(table__annex=annex, table__title=title, label=label)


def explain_and_link(annex: Annex, officer: Any) -> Recommendation:
    """What the officer does to make the PCD 279 annex submittable."""
    services.explanation_record(
        table=table(annex, "Budget movements"),
        user=officer,
        row_label="Revised Budget",
        column="Total (£m)",
        text="The revised budget nets to £2,503.7m as submitted to the GLA; the revenue "
        "position shows the £2,503.5m funded. The £0.2m is under review.",
    )
    recommendation = annex.decision.recommendations.order_by("position").last()
    assert recommendation is not None
    rows = [item.row for item in selectors.delegation_items(annex.decision)]
    decision_services.recommendation_update(
        recommendation=recommendation,
        user=officer,
        text=recommendation.text,
        paragraphs=recommendation.paragraphs.all(),
        approves=[row.pk for row in rows],
    )
    return recommendation


# --- permissions ----------------------------------------------------------------------------


def test_only_the_drafting_officer_can_create_an_annex(draft: Decision, other_officer: Any) -> None:
    with pytest.raises(ActionRefused, match="Only the officer who drafted"):
        services.annex_create(
            decision=draft, user=other_officer, title="Annex", reporting_period="Q1", unit="£m"
        )
    assert not Annex.objects.exists()


def test_an_annex_needs_a_title_and_a_period(draft: Decision, officer: Any) -> None:
    with pytest.raises(ActionRefused) as caught:
        services.annex_create(
            decision=draft, user=officer, title=" ", reporting_period="", unit="£m"
        )

    assert caught.value.messages == [
        "Enter the annex's title.",
        "Enter the reporting period, for example “Quarter 1 2017/18”.",
    ]


def test_another_officer_cannot_import_into_the_annex(annex: Annex, other_officer: Any) -> None:
    with pytest.raises(ActionRefused, match="Only the officer who drafted"):
        services.table_import(
            annex=annex, user=other_officer, name="savings.csv", data=seed_bytes("savings.csv")
        )
    assert not AnnexTable.objects.exists()


def test_importing_a_file_of_the_same_name_replaces_its_table(annex: Annex, officer: Any) -> None:
    first = services.table_import(
        annex=annex, user=officer, name="savings.csv", data=seed_bytes("savings.csv")
    )
    data = edited_bytes("savings.csv", "-5.1,0.0,5.1", "-5.1,0.0,5.2")

    second = services.table_import(annex=annex, user=officer, name="savings.csv", data=data)

    assert (second.pk, second.position) == (first.pk, first.position)
    assert annex.tables.count() == 1
    assert second.rows.get(position=3).cells == ["-5.1", "0.0", "5.2"]


def test_an_officer_can_choose_the_kind_and_title(annex: Annex, officer: Any) -> None:
    imported = services.table_import(
        annex=annex,
        user=officer,
        name="notes.csv",
        data=b"line,Note\nFirearms uplift,Funded from reserves\n",
        kind="plain",
        title="Notes on the movements",
    )

    assert (imported.kind, imported.title) == ("plain", "Notes on the movements")
    assert imported.rows.get().cells == ["Funded from reserves"]


# --- correcting figures ---------------------------------------------------------------------


def test_a_cell_is_corrected_keeping_the_precision_typed(seeded_annex: Annex, officer: Any) -> None:
    line = row(seeded_annex, "Savings", "Savings with structural delivery problems")

    services.cell_update(row=line, user=officer, column_index=2, value=" 5.10 ")

    line.refresh_from_db()
    assert line.cells == ["-5.1", "0.0", "5.10"]


def test_a_cell_can_be_emptied(seeded_annex: Annex, officer: Any) -> None:
    line = row(seeded_annex, "Budget movements", "NCTPHQ realignment")

    services.cell_update(row=line, user=officer, column_index=1, value="")

    line.refresh_from_db()
    assert line.cells[1] is None


def test_a_bad_cell_is_refused_as_the_import_refuses_it(seeded_annex: Annex, officer: Any) -> None:
    line = row(seeded_annex, "Capital position", "Transforming MPS Estate")

    with pytest.raises(ActionRefused) as caught:
        services.cell_update(row=line, user=officer, column_index=1, value="12.5x")

    assert caught.value.messages == [
        "Row “Transforming MPS Estate”, column “Actual to Date (£m)”: “12.5x” is not a number."
    ]
    line.refresh_from_db()
    assert line.cells[1] == "12.5"


def test_a_label_column_is_not_a_figure_column(seeded_annex: Annex, officer: Any) -> None:
    line = row(seeded_annex, "Savings", "Savings with structural delivery problems")

    with pytest.raises(ActionRefused, match="not a figure column"):
        services.cell_update(row=line, user=officer, column_index=3, value="1.0")


def test_nothing_can_change_once_the_request_is_submitted(
    seeded_annex: Annex, officer: Any
) -> None:
    explain_and_link(seeded_annex, officer)
    decision_services.decision_submit(decision=seeded_annex.decision, user=officer)
    line = row(seeded_annex, "Savings", "Savings with structural delivery problems")

    with pytest.raises(ActionRefused, match="can no longer be changed"):
        services.cell_update(row=line, user=officer, column_index=0, value="-6.1")
    with pytest.raises(ActionRefused, match="can no longer be changed"):
        services.table_import(
            annex=seeded_annex, user=officer, name="savings.csv", data=seed_bytes("savings.csv")
        )
    with pytest.raises(ActionRefused, match="can no longer be changed"):
        services.table_delete(table=table(seeded_annex, "Savings"), user=officer)
    line.refresh_from_db()
    assert line.cells == ["-5.1", "0.0", "5.1"]


# --- checks, explanations and the Scheme of Delegation ---------------------------------------


def test_a_stored_annex_gives_the_same_report_as_its_files(seeded_annex: Annex) -> None:
    from tests.finance.test_checks import EXPECTED_REPORT

    findings = selectors.annex_findings(seeded_annex)

    assert [(*f.as_tuple(), f.check) for f in findings] == EXPECTED_REPORT


def test_submission_waits_for_the_error_to_be_explained_and_the_approvals_linked(
    seeded_annex: Annex, officer: Any
) -> None:
    decision = seeded_annex.decision

    with pytest.raises(ActionRefused) as caught:
        decision_services.decision_submit(decision=decision, user=officer)

    finance = [m for m in caught.value.messages if m.startswith("Annex ")]
    assert finance[0] == (
        f"Annex “{PCD_279_ANNEX['title']}”: Budget movements › Revised Budget › Total (£m) is "
        "2503.7 but should be 2503.5 (equals Revenue position › TOTAL NET EXPENDITURE › Full "
        "Year Budget). Correct it, or record why it differs."
    )
    assert len(finance) == 1 + 15
    assert "“Back Office transformation” (Budget movements) needs DMPC approval" in finance[1]
    assert fresh(decision).status == Status.DRAFT

    explain_and_link(seeded_annex, officer)
    decision_services.decision_submit(decision=decision, user=officer)

    assert fresh(decision).status == Status.AWAITING_APPROVAL


def test_an_explanation_is_attached_to_its_finding(seeded_annex: Annex, officer: Any) -> None:
    explain_and_link(seeded_annex, officer)

    [error] = [f for f in selectors.annex_findings(seeded_annex) if f.is_error]

    assert error.explanation is not None and error.explanation.startswith("The revised budget")
    assert selectors.submission_problems(seeded_annex.decision) == []


def test_only_an_error_can_be_explained(seeded_annex: Annex, officer: Any) -> None:
    with pytest.raises(ActionRefused, match="There is no error at"):
        services.explanation_record(
            table=table(seeded_annex, "Revenue position"),
            user=officer,
            row_label="Total Pay",
            column="Full Year Variance (£m)",
            text="Rounding.",
        )
    with pytest.raises(ActionRefused, match="Write the explanation"):
        services.explanation_record(
            table=table(seeded_annex, "Budget movements"),
            user=officer,
            row_label="Revised Budget",
            column="Total (£m)",
            text="  ",
        )
    assert not FindingExplanation.objects.exists()


def test_an_explanation_lapses_when_a_figure_of_its_error_changes(
    seeded_annex: Annex, officer: Any
) -> None:
    explain_and_link(seeded_annex, officer)
    savings = row(seeded_annex, "Savings", "Savings with structural delivery problems")
    revenue = row(seeded_annex, "Revenue position", "TOTAL NET EXPENDITURE")

    # A figure the error does not depend on: the explanation stays.
    services.cell_update(row=savings, user=officer, column_index=2, value="5.1")
    assert FindingExplanation.objects.count() == 1

    # The revenue budget it is compared with: the error is another one now, so it lapses.
    services.cell_update(row=revenue, user=officer, column_index=3, value="2503.4")
    assert not FindingExplanation.objects.exists()
    assert any(
        "should be 2503.4" in p for p in selectors.submission_problems(seeded_annex.decision)
    )


def test_an_explanation_lapses_when_its_error_is_corrected(
    seeded_annex: Annex, officer: Any
) -> None:
    explain_and_link(seeded_annex, officer)
    revenue = row(seeded_annex, "Revenue position", "TOTAL NET EXPENDITURE")

    services.cell_update(row=revenue, user=officer, column_index=3, value="2503.7")

    assert not FindingExplanation.objects.exists()
    assert selectors.submission_problems(seeded_annex.decision) != []  # now TNE's own total


def test_the_budget_movements_of_pcd_279_need_dmpc_approval(seeded_annex: Annex) -> None:
    items = selectors.delegation_items(seeded_annex.decision)

    assert [(i.row.section, i.row.label) for i in items] == [
        ("Revised application of reserves", "Back Office transformation"),
        ("Revised application of reserves", "Change in planned major change reserve use"),
        ("Revised application of reserves", "Revision to planned use to support firearms uplift"),
        (
            "Revised application of reserves",
            "Move Staff Pay underspend to reserves to support vetting",
        ),
        ("Application on Grants and Income", "Specific grant increase in MOPAC"),
        ("Application on Grants and Income", "NCTPHQ realignment"),
        ("Application on Grants and Income", "Realignment of firearms uplift budgets"),
        ("Application on Grants and Income", "CT realignment"),
        ("Application on Grants and Income", "Protective security"),
        ("Application on Grants and Income", "Changes in funded areas"),
        ("Housekeeping", "To cover business rates in 2017/18"),
        ("Housekeeping", "Realignment of budgets for Public Inquiry Teams"),
        ("Housekeeping", "Realignment of apprenticeship levy"),
        ("Housekeeping", "Moves between business groups"),
        ("Housekeeping", "Balance applied to support fleet"),
    ]
    assert items[0].reasons == (
        "it moves £500,000 or more (£22.0m of “Transfer from reserves”)",
        "it transfers £22.0m to or from reserves (“Transfer from reserves”: -22.0)",
    )
    assert items[3].reasons == (
        "it moves £500,000 or more (£1.1m of “Staff and PCSO Pay”)",
        "it transfers £1.1m to or from reserves (“Transfer from reserves”: 1.1)",
    )
    assert items[13].reasons == ("it moves £500,000 or more (£10.7m of “Running costs”)",)
    assert not any(i.linked for i in items)


@pytest.mark.parametrize(
    ("unit", "cells", "reasons"),
    [
        ("£m", "0.4,,-0.4,", []),
        ("£m", "0.5,,-0.5,", ["it moves £500,000 or more (£0.5m of “Running costs”)"]),
        ("£k", "499,,-499,", []),
        ("£k", "-500,,500,", ["it moves £500,000 or more (£500k of “Running costs”)"]),
        ("£", "500000,,-500000,", ["it moves £500,000 or more (£500,000 of “Running costs”)"]),
        (
            "£m",
            "0.1,,,-0.1",
            ["it transfers £0.1m to or from reserves (“Transfer to reserves”: -0.1)"],
        ),
    ],
)
def test_the_scheme_of_delegation_threshold_in_any_unit(
    unit: str, cells: str, reasons: list[str]
) -> None:
    header = f"section,line,Running costs ({unit}),Other Income ({unit}),Specific Grants ({unit}),"
    header += f"Transfer to reserves ({unit}),Total ({unit})"
    data = f"{header}\nHousekeeping,A movement,{cells},\nHousekeeping,Total Housekeeping,,,,,\n"

    found = needs_approval(parse_table("movements.csv", data.encode()))

    assert found == ([(0, tuple(reasons))] if reasons else [])


def test_a_recommendation_links_only_rows_of_its_own_request(
    seeded_annex: Annex, officer: Any
) -> None:
    other = make_complete_draft(officer, title="Another request")
    recommendation = other.recommendations.get(position=1)
    line = row(seeded_annex, "Budget movements", "CT realignment")

    with pytest.raises(ActionRefused, match="only lines of its own request"):
        decision_services.recommendation_update(
            recommendation=recommendation,
            user=officer,
            text=recommendation.text,
            paragraphs=[],
            approves=[line.pk],
        )
    assert not line.recommendations.exists()


def test_deleting_a_table_removes_its_rows_and_their_approvals(
    seeded_annex: Annex, officer: Any
) -> None:
    explain_and_link(seeded_annex, officer)

    services.table_delete(table=table(seeded_annex, "Budget movements"), user=officer)

    assert not selectors.delegation_items(seeded_annex.decision)
    assert not FindingExplanation.objects.exists()
    assert seeded_annex.tables.count() == 9


# --- decisions made on paper ----------------------------------------------------------------


def test_a_historic_annex_is_attached_to_a_published_decision(make_decision: Any) -> None:
    published = make_decision(Status.PUBLISHED)

    annex = services.annex_import_historic(
        decision=published, files=pcd_279_files(), **PCD_279_ANNEX
    )

    assert annex.tables.count() == 10
    assert [(*f.as_tuple(), f.check) for f in selectors.annex_findings(annex)][-1][5] == "error"
    with pytest.raises(ActionRefused, match="already has an annex"):
        services.annex_import_historic(decision=published, files=pcd_279_files(), **PCD_279_ANNEX)


def test_one_bad_historic_file_refuses_them_all(make_decision: Any) -> None:
    published = make_decision(Status.PUBLISHED)
    files = [*pcd_279_files(), ("notes.png", b"\x89PNG\r\n\x1a\n")]

    with pytest.raises(ActionRefused) as caught:
        services.annex_import_historic(decision=published, files=files, **PCD_279_ANNEX)

    assert caught.value.messages == [
        "notes.png: This is a PNG image, not a spreadsheet. Import a CSV file (UTF-8) or an "
        "XLSX workbook."
    ]
    assert not Annex.objects.exists() and not AnnexRow.objects.exists()


def test_figures_are_stored_as_decimal_text(seeded_annex: Annex) -> None:
    line = row(seeded_annex, "Revenue position", "Police Officer Pay")

    assert line.cells == ["452.1", "445.0", "-7.1", "1805.0", "1781.6", "-23.3"]
    assert [Decimal(c) for c in line.cells][3] == Decimal("1805.0")


def test_an_xlsx_replaces_the_csv_of_the_same_table(annex: Annex, officer: Any) -> None:
    from tests.finance.conftest import seed_rows, to_xlsx

    first = services.table_import(
        annex=annex, user=officer, name="savings.csv", data=seed_bytes("savings.csv")
    )
    rows = seed_rows("savings.csv")
    rows[4][3] = "16.2"
    second = services.table_import(
        annex=annex, user=officer, name="Savings.xlsx", data=to_xlsx(rows)
    )

    assert second.pk == first.pk and annex.tables.count() == 1
    assert (second.source_name, second.rows.get(position=4).cells[2]) == ("Savings.xlsx", "16.2")
