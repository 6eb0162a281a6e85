"""The checks of an annex on PCD 279's published tables, and what one wrong figure does."""

# The expected report is a table, one finding per line, however long: easier to compare by hand.
# ruff: noqa: E501

from __future__ import annotations

from decimal import Decimal

import pytest

from finance import figures, kinds
from finance.checks import ERROR, ROUNDING, Finding, all_checks, check_tables
from finance.importing import parse_table
from finance.rules import Layout, Place, RowLabel
from finance.seed import PCD_279_FILES
from tests.finance.conftest import change_figure, seed_bytes, seed_tables

VARIANCE_BG = "Annual Variance = Annual Forecast − Current Full Year Budget"
MOVEMENT_TOTAL = "Total = the sum of the row's 10 headings"
REVISED = "Revised Budget = GLA Submission (February 2017) + Total Virements"
VIREMENTS = "Total Virements = Total Reserves + Total Grants and Income + Total Housekeeping"
GRANTS = "Total Grants and Income = the Application on Grants and Income lines"
HOUSEKEEPING = "Total Housekeeping = the Housekeeping lines"

# The report of the checks on the ten published tables, in the document's order. Every line
# was compared by hand with the figures of the published PDF of PCD 279 (finance/seed/pcd-279/
# holds its tables): 42 differences explained by rounding to £0.1m (or to £1), and one error, the revised
# budget's total (£2,503.7m) against the revenue position's full-year budget (£2,503.5m).
EXPECTED_REPORT = [
    # table, row, column, expected, found, kind, check
    ("Revenue position", "Police Officer Pay", "Full Year Variance (£m)", "-23.4", "-23.3", ROUNDING, "Full Year Variance = Full Year Forecast − Full Year Budget"),
    ("Revenue position", "Total Pay", "Full Year Variance (£m)", "-53.1", "-53.2", ROUNDING, "Total Pay = the Pay lines"),
    ("Officer pay by business group", "Territorial Policing", "Annual Variance (£m)", "-0.5", "-0.4", ROUNDING, VARIANCE_BG),
    ("Officer pay by business group", "Specialist Crime & Operations", "Annual Variance (£m)", "-1.8", "-1.7", ROUNDING, VARIANCE_BG),
    ("Officer pay by business group", "Centrally Held", "Annual Variance (£m)", "-24.4", "-24.5", ROUNDING, VARIANCE_BG),
    ("Officer pay by business group", "Grand Total", "Year To Date Actual (£m)", "444.9", "445.0", ROUNDING, "Grand Total = the 6 lines above"),
    ("Officer pay by business group", "Grand Total", "Annual Forecast (£m)", "1781.5", "1781.6", ROUNDING, "Grand Total = the 6 lines above"),
    ("Officer pay by business group", "Grand Total", "Annual Variance (£m)", "-23.4", "-23.3", ROUNDING, VARIANCE_BG),
    ("Officer pay by business group", "Grand Total", "Annual Variance (£m)", "-23.4", "-23.3", ROUNDING, "Grand Total = the 6 lines above"),
    ("Officer overtime by business group", "Territorial Policing", "Annual Variance (£m)", "4.4", "4.3", ROUNDING, VARIANCE_BG),
    ("Officer overtime by business group", "Total Police Officer Overtime", "Current Full Year Budget (£m)", "78.9", "79.0", ROUNDING, "Total Police Officer Overtime = the 6 lines above"),
    ("Officer overtime by business group", "Total Police Officer Overtime", "Annual Forecast (£m)", "101.9", "101.8", ROUNDING, "Total Police Officer Overtime = the 6 lines above"),
    ("Officer overtime by business group", "Total Police Officer Overtime", "Annual Variance (£m)", "22.9", "22.8", ROUNDING, "Total Police Officer Overtime = the 6 lines above"),
    ("Staff pay by business group", "Territorial Policing", "Annual Variance (£m)", "-12.8", "-12.7", ROUNDING, VARIANCE_BG),
    ("Staff pay by business group", "Met HQ (excl. DP)", "Annual Variance (£m)", "-4.9", "-4.8", ROUNDING, VARIANCE_BG),
    ("Staff pay by business group", "Total Police Staff Pay", "Year To Date Actual (£m)", "107.1", "107.3", ROUNDING, "Total Police Staff Pay = the 7 lines above"),
    ("Staff pay by business group", "Total Police Staff Pay", "Current Full Year Budget (£m)", "479.6", "479.4", ROUNDING, "Total Police Staff Pay = the 7 lines above"),
    ("Staff pay by business group", "Total Police Staff Pay", "Annual Forecast (£m)", "448.8", "448.7", ROUNDING, "Total Police Staff Pay = the 7 lines above"),
    ("Staff pay by business group", "Total Police Staff Pay", "Annual Variance (£m)", "-30.6", "-30.7", ROUNDING, "Total Police Staff Pay = the 7 lines above"),
    ("Savings", "Total - MPS Savings 2017/18", "Forecast Saving (£m)", "-66.0", "-65.9", ROUNDING, "Total - MPS Savings 2017/18 = the 3 lines above"),
    ("Savings", "Total - MPS Savings 2017/18", "Variation (£m)", "16.2", "16.1", ROUNDING, "Variation = Forecast Saving − Planned Saving"),
    ("LCPF allocations", "Grand Total", "Total Allocation 17/18 (£)", "16777585", "16777584", ROUNDING, "Grand Total = the 32 lines above"),
    ("Budget movements", "NCTPHQ realignment", "Total (£m)", "-0.1", "0.0", ROUNDING, MOVEMENT_TOTAL),
    ("Budget movements", "Changes in funded areas", "Total (£m)", "-1.1", "-1.2", ROUNDING, MOVEMENT_TOTAL),
    ("Budget movements", "Total Grants and Income", "Police Officer Pay (£m)", "0.3", "0.2", ROUNDING, GRANTS),
    ("Budget movements", "Total Grants and Income", "Staff and PCSO Pay (£m)", "-0.8", "-0.7", ROUNDING, GRANTS),
    ("Budget movements", "Total Grants and Income", "Running costs (£m)", "8.8", "8.7", ROUNDING, GRANTS),
    ("Budget movements", "Total Grants and Income", "Specific Grants (£m)", "-13.6", "-13.7", ROUNDING, GRANTS),
    ("Budget movements", "Total Grants and Income", "Total (£m)", "-1.4", "-1.2", ROUNDING, MOVEMENT_TOTAL),
    ("Budget movements", "Total Housekeeping", "Staff and PCSO Pay (£m)", "4.9", "4.8", ROUNDING, HOUSEKEEPING),
    ("Budget movements", "Total Housekeeping", "Staff and PCSO Overtime (£m)", "-0.3", "-0.2", ROUNDING, HOUSEKEEPING),
    ("Budget movements", "Total Virements", "Police Officer Pay (£m)", "7.9", "8.0", ROUNDING, VIREMENTS),
    ("Budget movements", "Total Virements", "Other Income (£m)", "6.8", "7.0", ROUNDING, VIREMENTS),
    ("Budget movements", "Total Virements", "Specific Grants (£m)", "-11.8", "-11.7", ROUNDING, VIREMENTS),
    ("Budget movements", "Total Virements", "Total (£m)", "0.2", "0.0", ROUNDING, MOVEMENT_TOTAL),
    ("Budget movements", "Revised Budget", "Running costs (£m)", "771.1", "771.0", ROUNDING, REVISED),
    ("Budget movements", "Revised Budget", "Running costs (£m)", "770.9", "771.0", ROUNDING, "equals Revenue position › TOTAL RUNNING EXPENSES › Full Year Budget"),
    ("Budget movements", "Revised Budget", "Discret'ry Pension Costs (£m)", "34.5", "34.4", ROUNDING, REVISED),
    ("Budget movements", "Revised Budget", "Capital Financing Costs (£m)", "42.0", "41.9", ROUNDING, REVISED),
    ("Budget movements", "Revised Budget", "Specific Grants (£m)", "-431.8", "-431.7", ROUNDING, REVISED),
    ("Budget movements", "Revised Budget", "Transfer from reserves (£m)", "-92.7", "-92.8", ROUNDING, REVISED),
    ("Budget movements", "Revised Budget", "Total (£m)", "2503.6", "2503.7", ROUNDING, MOVEMENT_TOTAL),
    ("Budget movements", "Revised Budget", "Total (£m)", "2503.5", "2503.7", ERROR, "equals Revenue position › TOTAL NET EXPENDITURE › Full Year Budget"),
]  # fmt: skip


def report(findings: list[Finding]) -> list[tuple[str, ...]]:
    return [(*f.as_tuple(), f.check) for f in findings]


def test_the_published_tables_give_the_expected_report() -> None:
    assert report(check_tables(seed_tables())) == EXPECTED_REPORT


def test_the_only_error_in_pcd_279_is_the_revised_budget_total() -> None:
    errors = [f for f in check_tables(seed_tables()) if f.is_error]

    assert [(f.place, f.expected, f.found) for f in errors] == [
        ("Budget movements › Revised Budget › Total (£m)", Decimal("2503.5"), Decimal("2503.7"))
    ]


def test_findings_carry_decimals_as_published() -> None:
    finding = check_tables(seed_tables())[0]

    assert finding.expected == Decimal("-23.4") and str(finding.found) == "-23.3"
    assert finding.as_json() == {
        "table": "Revenue position",
        "row": "Police Officer Pay",
        "column": "Full Year Variance (£m)",
        "expected": "-23.4",
        "found": "-23.3",
        "kind": "rounding",
    }


def test_figures_that_appear_in_two_tables_are_compared() -> None:
    tables = seed_tables()
    cross = [c for c in all_checks(tables) if any(t != c.target[0] for _, t, _ in c.terms)]
    programme = PCD_279_FILES.index("capital_programme_by_portfolio.csv")
    matched = {c.target[1].row for c in cross if c.target[0] == programme}

    # 3 breakdowns × 4 figures, 11 revised budget headings, 1 reserves movement, and every
    # one of the programme's 16 lines and its total × 4 figures.
    assert len(cross) == 3 * 4 + 11 + 1 + 17 * 4
    assert matched == set(range(len(tables[programme].rows)))
    # All of them hold in the published numbers but two (see EXPECTED_REPORT).
    crossed = [f for f in check_tables(tables) if f.check.startswith("equals ")]
    assert [(f.column, f.kind) for f in crossed] == [
        ("Running costs (£m)", ROUNDING),
        ("Total (£m)", ERROR),
    ]


def _key(f: Finding) -> tuple[str, str, str, str]:
    return (f.table, f.row, f.column, f.check)


REVENUE_PAY = "Variance to Date = Actual to Date − Budget To Date"
FY_VARIANCE = "Full Year Variance = Full Year Forecast − Full Year Budget"
CAPITAL_VARIANCE = "Variance = Full Year Forecast − Full Year Budget"


@pytest.mark.parametrize(
    ("name", "label", "column", "errors"),
    [
        pytest.param(
            "revenue_position.csv",
            "Police Officer Pay",
            "Actual to Date (£m)",
            {
                ("Revenue position", "Police Officer Pay", "Variance to Date (£m)", REVENUE_PAY),
                (
                    "Revenue position",
                    "Total Pay",
                    "Actual to Date (£m)",
                    "Total Pay = the Pay lines",
                ),
                (
                    "Officer pay by business group",
                    "Grand Total",
                    "Year To Date Actual (£m)",
                    "equals Revenue position › Police Officer Pay › Actual to Date",
                ),
            },
            id="revenue line, also in the officer pay breakdown",
        ),
        pytest.param(
            "revenue_position.csv",
            "TOTAL RUNNING EXPENSES",
            "Full Year Budget (£m)",
            {
                (
                    "Revenue position",
                    "TOTAL RUNNING EXPENSES",
                    "Full Year Budget (£m)",
                    "TOTAL RUNNING EXPENSES = the Running expenses lines",
                ),
                (
                    "Revenue position",
                    "TOTAL RUNNING EXPENSES",
                    "Full Year Variance (£m)",
                    FY_VARIANCE,
                ),
                (
                    "Revenue position",
                    "TOTAL EXPENDITURE",
                    "Full Year Budget (£m)",
                    "TOTAL EXPENDITURE = TOTAL PAY & OVERTIME + TOTAL RUNNING EXPENSES + "
                    "Capital Financing Costs + Discretionary Pension Costs",
                ),
                (
                    "Budget movements",
                    "Revised Budget",
                    "Running costs (£m)",
                    "equals Revenue position › TOTAL RUNNING EXPENSES › Full Year Budget",
                ),
            },
            id="revenue sub-total, also the revised running costs budget",
        ),
        pytest.param(
            "officer_overtime_by_business_group.csv",
            "Total Police Officer Overtime",
            "Current Full Year Budget (£m)",
            {
                (
                    "Officer overtime by business group",
                    "Total Police Officer Overtime",
                    "Current Full Year Budget (£m)",
                    "Total Police Officer Overtime = the 6 lines above",
                ),
                (
                    "Officer overtime by business group",
                    "Total Police Officer Overtime",
                    "Annual Variance (£m)",
                    VARIANCE_BG,
                ),
                (
                    "Officer overtime by business group",
                    "Total Police Officer Overtime",
                    "Current Full Year Budget (£m)",
                    "equals Revenue position › Police Officer Overtime › Full Year Budget",
                ),
            },
            id="breakdown total",
        ),
        pytest.param(
            "staff_pay_by_business_group.csv",
            "Territorial Policing",
            "Annual Forecast (£m)",
            {
                (
                    "Staff pay by business group",
                    "Territorial Policing",
                    "Annual Variance (£m)",
                    VARIANCE_BG,
                ),
                (
                    "Staff pay by business group",
                    "Total Police Staff Pay",
                    "Annual Forecast (£m)",
                    "Total Police Staff Pay = the 7 lines above",
                ),
            },
            id="breakdown line",
        ),
        pytest.param(
            "savings.csv",
            "Savings with structural delivery problems",
            "Planned Saving (£m)",
            {
                (
                    "Savings",
                    "Savings with structural delivery problems",
                    "Variation (£m)",
                    "Variation = Forecast Saving − Planned Saving",
                ),
                (
                    "Savings",
                    "Total - MPS Savings 2017/18",
                    "Planned Saving (£m)",
                    "Total - MPS Savings 2017/18 = the 3 lines above",
                ),
            },
            id="savings",
        ),
        pytest.param(
            "capital_position.csv",
            "Smarter Working",
            "Full Year Forecast (£m)",
            {
                ("Capital position", "Smarter Working", "Variance (£m)", CAPITAL_VARIANCE),
                (
                    "Capital position",
                    "Total Digital Policing",
                    "Full Year Forecast (£m)",
                    "Total Digital Policing = the Digital Policing lines",
                ),
                (
                    "Capital programme by portfolio",
                    "Smarter Working",
                    "Forecast (£m)",
                    "equals Capital position › Smarter Working › Full Year Forecast",
                ),
            },
            id="capital line, also in the programme by portfolio",
        ),
        pytest.param(
            "reserves.csv",
            "Net Reserve Movement",
            "2017/18 Forecasted",
            {
                (
                    "Reserves",
                    "Closing reserve Balance",
                    "2017/18 Forecasted",
                    "closing = opening + net movement",
                ),
                (
                    "Reserves",
                    "Net Reserve Movement",
                    "2017/18 Forecasted",
                    "equals Revenue position › Transfer to/(from) reserves › Full Year Forecast",
                ),
            },
            id="reserves movement, also the revenue transfer to reserves",
        ),
        pytest.param(
            "reserves.csv",
            "Closing reserve Balance",
            "2015/16 Actual",
            {
                (
                    "Reserves",
                    "Closing reserve Balance",
                    "2015/16 Actual",
                    "closing = opening + net movement",
                ),
                (
                    "Reserves",
                    "Closing reserve Balance",
                    "2015/16 Actual",
                    "closing = general fund + earmarked",
                ),
                (
                    "Reserves",
                    "Opening Reserve Balance",
                    "2016/17 Actual",
                    "opening = the closing balance of 2015/16 Actual",
                ),
            },
            id="reserves closing balance",
        ),
        pytest.param(
            "budget_movements.csv",
            "Realignment of apprenticeship levy",
            "Running costs (£m)",
            {
                (
                    "Budget movements",
                    "Realignment of apprenticeship levy",
                    "Total (£m)",
                    MOVEMENT_TOTAL,
                ),
                ("Budget movements", "Total Housekeeping", "Running costs (£m)", HOUSEKEEPING),
            },
            id="budget movement line",
        ),
        pytest.param(
            "budget_movements.csv",
            "Revised Budget",
            "Staff and PCSO Pay (£m)",
            {
                ("Budget movements", "Revised Budget", "Staff and PCSO Pay (£m)", REVISED),
                ("Budget movements", "Revised Budget", "Total (£m)", MOVEMENT_TOTAL),
                (
                    "Budget movements",
                    "Revised Budget",
                    "Staff and PCSO Pay (£m)",
                    "equals Revenue position › Police Staff Pay + PCSO Pay › Full Year Budget",
                ),
            },
            id="revised budget, also two revenue lines",
        ),
    ],
)
def test_changing_one_figure_by_one_makes_exactly_its_checks_errors(
    name: str, label: str, column: str, errors: set[tuple[str, str, str, str]]
) -> None:
    before = {_key(f): f for f in check_tables(seed_tables())}
    after = {
        _key(f): f
        for f in check_tables(
            seed_tables(**{name: change_figure(name, label, column, Decimal("1.0"))})
        )
    }

    new_errors = {
        k for k, f in after.items() if f.is_error and not (k in before and before[k].is_error)
    }
    assert new_errors == errors
    # The rest of the report stays as it was.
    assert {k: f for k, f in after.items() if k not in errors} == {
        k: f for k, f in before.items() if k not in errors
    }


@pytest.mark.parametrize(("by", "kind"), [("1", ROUNDING), ("15", ROUNDING), ("16", ERROR)])
def test_whole_pound_allocations_may_differ_by_half_a_pound_each(by: str, kind: str) -> None:
    """33 whole-pound figures (32 lines and the total) explain a difference of up to £16.50;
    the published total is already £1 under its lines."""
    name = "lcpf_allocations.csv"
    tables = seed_tables(
        **{name: change_figure(name, "Hackney", "Total Allocation 17/18 (£)", Decimal(by))}
    )
    [finding] = [f for f in check_tables(tables) if f.table == "LCPF allocations"]

    assert finding.expected == Decimal(16777585) + Decimal(by)
    assert finding.kind == kind


def test_the_engine_agrees_which_checks_a_figure_takes_part_in() -> None:
    tables = seed_tables()
    revenue = tables[PCD_279_FILES.index("revenue_position.csv")]
    row = [r.label for r in revenue.rows].index("Police Officer Pay")
    involved = [c.rule for c in all_checks(tables) if c.involves(0, Place(row, 1))]

    assert sorted(involved) == sorted(
        [
            REVENUE_PAY,
            "Total Pay = the Pay lines",
            "equals Revenue position › Police Officer Pay › Actual to Date",
        ]
    )


def test_the_revenue_totals_cover_the_published_hierarchy() -> None:
    table = parse_table("revenue_position.csv", seed_bytes("revenue_position.csv"))
    assert table.layout is not None
    equations = kinds.equations(table.spec, table.labels, table.layout)
    covers = {
        table.rows[e.target.row].label: [table.rows[p.row].label for _, p in e.terms]
        for e in equations
        if e.target.column == 0 and "Budget To Date" not in e.rule.split(" = ")[0]
    }

    assert covers == {
        "Total Pay": ["Police Officer Pay", "Police Staff Pay", "PCSO Pay"],
        "Total Overtime": ["Police Officer Overtime", "Police Staff Overtime", "PCSO Overtime"],
        "TOTAL PAY & OVERTIME": ["Total Pay", "Total Overtime"],
        "TOTAL RUNNING EXPENSES": [
            "Employee Related Expenditure",
            "Premises Costs",
            "Transport Costs",
            "Supplies & Services",
        ],
        "TOTAL EXPENDITURE": [
            "TOTAL PAY & OVERTIME",
            "TOTAL RUNNING EXPENSES",
            "Capital Financing Costs",
            "Discretionary Pension Costs",
        ],
        "TOTAL NET EXPENDITURE": [
            "TOTAL EXPENDITURE",
            "Other Income",
            "Specific Grants",
            "Transfer to/(from) reserves",
        ],
        "OVERALL MPS & MOPAC Total": ["TOTAL NET EXPENDITURE", "Funding (General Grant & Precept)"],
    }


def test_the_capital_grand_total_covers_section_totals_and_a_section_without_one() -> None:
    table = parse_table("capital_position.csv", seed_bytes("capital_position.csv"))
    assert table.layout is not None
    [grand] = [
        e
        for e in kinds.equations(table.spec, table.labels, table.layout)
        if table.rows[e.target.row].label == "Total Capital Expenditure" and e.target.column == 0
    ]

    assert [table.row_names[p.row] for _, p in grand.terms] == [
        "Total Property Services",
        "NCTPHQ › CT Policing Change Portfolio",
        "Total Digital Policing",
        "Total Fleet Services",
    ]


def test_reserves_percentages_are_text_and_not_checked() -> None:
    table = parse_table("reserves.csv", seed_bytes("reserves.csv"))
    assert table.layout is not None
    percentages = [r for r in table.rows if "%" in r.label]

    assert [r.cells[0] for r in percentages] == ["2%", "15%"]
    checked_rows = {
        p.row
        for e in kinds.equations(table.spec, table.labels, table.layout)
        for p in (e.target, *(t for _, t in e.terms))
    }
    assert not checked_rows & {table.rows.index(r) for r in percentages}


def test_rounding_allows_half_a_unit_for_each_term_and_the_stated_figure() -> None:
    header = "section,line,Budget To Date (£m),Actual to Date (£m),Variance to Date (£m),"
    header += "Full Year Budget (£m),Full Year Forecast (£m),Full Year Variance (£m)\n"

    def variance_finding(stated: str) -> Finding:
        data = (header + f",Pay,1.0,1.0,{stated},1.0,1.0,0.0\n").encode()
        [finding] = check_tables([parse_table("r.csv", data)])
        return finding

    # Two terms and the stated figure, each ±0.05: up to 0.15 is rounding.
    assert variance_finding("0.1").kind == ROUNDING
    assert variance_finding("0.2").kind == ERROR
    # A figure shown without decimals may be off by 0.5.
    assert variance_finding("1").tolerance == Decimal("0.60")


def test_header_names_are_matched_whatever_their_case_spacing_and_unit() -> None:
    header = [
        " Section ",
        "LINE",
        "budget  to date £m",
        "Actual To Date (£M)",
        "variance to date",
        "Full Year Budget [£m]",
        "FULL YEAR FORECAST (£m)",
        "Full year variance (£m) ",
    ]

    layout = kinds.recognise(header)

    assert isinstance(layout, Layout)
    assert layout.kind == "revenue_position"
    assert figures.split_unit("Total Allocation 17/18 (£)") == ("Total Allocation 17/18", "£")
    assert figures.split_unit("Planned & Actual Position (£m)")[1] == "£m"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("revenue_position.csv", "revenue_position"),
        ("officer_pay_by_business_group.csv", "business_group"),
        ("officer_overtime_by_business_group.csv", "business_group"),
        ("staff_pay_by_business_group.csv", "business_group"),
        ("savings.csv", "savings"),
        ("capital_position.csv", "capital_programme"),
        ("capital_programme_by_portfolio.csv", "capital_programme"),
        ("reserves.csv", "reserves"),
        ("lcpf_allocations.csv", "allocations"),
        ("budget_movements.csv", "budget_movements"),
    ],
)
def test_each_seed_file_is_recognised_as_its_kind(name: str, kind: str) -> None:
    assert parse_table(name, seed_bytes(name)).kind == kind


def test_a_plain_table_is_never_guessed_and_has_no_checks() -> None:
    data = b"line,Notes,Amount\nSomething,see below,12.0\nTotal,,99.0\n"

    table = parse_table("notes.csv", data, kind="plain")

    assert table.rows[0].cells == ("see below", Decimal("12.0"))
    assert check_tables([table]) == []
    assert isinstance(kinds.recognise(list(table.columns)), kinds.Mismatch)


@pytest.mark.parametrize(
    ("actual", "finding"),
    [("445000", None), ("445040", ROUNDING), ("445100", ERROR)],
)
def test_a_table_of_another_unit_is_converted_before_comparing(
    actual: str, finding: str | None
) -> None:
    revenue = seed_tables()[0]
    header = "Business Group,Year To Date Actual (£k),Current Full Year Budget (£k),"
    header += "Annual Forecast (£k),Annual Variance (£k)\n"
    lines = f"Territorial Policing,{actual},1805000,1781600,-23400\n"
    lines += f"Grand Total,{actual},1805000,1781600,-23400\n"
    breakdown = parse_table("officer_pay_by_business_group.csv", (header + lines).encode())

    findings = [f for f in check_tables([revenue, breakdown]) if f.table == breakdown.title]

    # Revenue's variance of -23.3 is itself rounding off; only the actual is tested here.
    actuals = [f for f in findings if f.column == "Year To Date Actual (£k)"]
    if finding is None:
        assert actuals == []
    else:
        [found] = actuals
        assert (found.expected, found.found, found.kind) == (
            Decimal("445000.0"),
            Decimal(actual),
            finding,
        )
        # Half of £1k for the stated figure, half of £0.1m for the revenue's.
        assert found.tolerance == Decimal("50.5")


def test_row_names_carry_the_section_where_a_label_repeats() -> None:
    table = parse_table("capital_position.csv", seed_bytes("capital_position.csv"))

    assert "NCTPHQ › CT Policing Change Portfolio" in table.row_names
    assert "Digital Policing › CT Policing Change Portfolio" in table.row_names
    assert RowLabel("Fleet", "Total Fleet Services").total


def test_each_kind_knows_its_derived_columns() -> None:
    assert kinds.REVENUE_POSITION.derived == ("variance_to_date", "variance")
    assert kinds.BUDGET_MOVEMENTS.derived == ("total",)
    assert kinds.RESERVES.derived == ()
