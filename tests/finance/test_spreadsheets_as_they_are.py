"""Spreadsheets as finance teams keep them (issue 9): their own column names matched once to ours
and remembered, units read from the headers and converted, titles that are theirs, figures with
thousands separators, rounding judged by each column's precision, an "other" kind that checks its
totals, and a text file told it is not a spreadsheet."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions.errors import ActionRefused
from finance import kinds, mapping, services
from finance.checks import ERROR, ROUNDING, check_tables
from finance.figures import Unit, split_unit
from finance.importing import UnknownColumns, parse_table, title_from_name
from finance.mapping import IGNORE, ColumnMatch
from finance.models import Annex, AnnexTable, ColumnMapping
from finance.templatetags.finance_figures import figure
from tests.finance.conftest import seed_bytes, to_csv, to_xlsx
from tests.finance.test_annex_pages import _upload
from tests.pages.helpers import text_of, use_plain_static_storage

pytestmark = pytest.mark.django_db

# A business group table as a finance team keeps it: their names, three units, a column we do
# not have ("% Variance") and none for the year-to-date actual.
THEIR_HEADER = [
    "Business Group",
    "Full Year Budget (B07) £000",
    "Revised Budget (£m)",
    "Amount (£k)",
    "% Variance",
]
THEIR_ROWS = [
    ["Frontline Policing", "1,234,567.8", "1,201.3", "-33,267.8", "-2.7%"],
    ["Specialist Crime", "16,777.6", "17.0", "222.4", "1.3%"],
    ["Total", "1,251,345.4", "1,218.3", "-33,045.4", "-2.6%"],
]
THEIR_CHOICES = ("label:0", "figure:budget", "figure:forecast", "figure:variance", IGNORE)


def their_file() -> bytes:
    return to_csv([THEIR_HEADER, *THEIR_ROWS])


def their_match() -> ColumnMatch:
    return ColumnMatch(
        kind="business_group",
        header=tuple(THEIR_HEADER),
        choices=THEIR_CHOICES,
        units=("£", "£k", "£m", "£k", None),
    )


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


# --- reading their columns --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name", "unit"),
    [
        ("Full Year Budget (B07) £000", "Full Year Budget (B07)", Unit.THOUSANDS),
        ("Revised Budget (£m)", "Revised Budget", Unit.MILLIONS),
        ("Amount (£k)", "Amount", Unit.THOUSANDS),
        ("Spend £'000", "Spend", Unit.THOUSANDS),
        ("Grant £", "Grant", Unit.POUNDS),
        ("% Variance", "% Variance", None),
    ],
)
def test_the_unit_is_read_from_a_finance_teams_header(header: str, name: str, unit: Any) -> None:
    assert split_unit(header) == (name, unit)


def test_a_finance_teams_columns_are_not_ours_until_matched() -> None:
    with pytest.raises(UnknownColumns) as caught:
        parse_table("q1.csv", their_file(), kind="business_group")

    assert caught.value.kind == "business_group"
    assert caught.value.header == THEIR_HEADER


def test_the_first_match_offered_reads_names_without_their_notes_in_brackets() -> None:
    offered = mapping.guess(kinds.spec_for("business_group"), THEIR_HEADER, "£m")

    assert offered.choices == ("label:0", "figure:budget", IGNORE, IGNORE, IGNORE)
    assert offered.units[1:4] == ("£k", "£m", "£k")


def test_matched_columns_are_laid_out_as_ours_in_the_tables_unit() -> None:
    table = parse_table("q1.csv", their_file(), unit="£m", match=their_match())

    assert table.kind == "business_group"
    assert table.unit == "£m"
    assert table.columns == (
        "Business Group",
        "Year To Date Actual (£m)",
        "Current Full Year Budget (£m)",
        "Annual Forecast (£m)",
        "Annual Variance (£m)",
    )
    # £000 and £k figures moved three places, exactly; the missing actual left empty; the
    # "% Variance" column ignored.
    assert table.rows[0].cells == (
        None,
        Decimal("1234.5678"),
        Decimal("1201.3"),
        Decimal("-33.2678"),
    )
    assert table.rows[1].cells == (None, Decimal("16.7776"), Decimal("17.0"), Decimal("0.2224"))


def test_a_match_converts_pounds_into_thousands() -> None:
    match = ColumnMatch(
        kind="business_group",
        header=tuple(THEIR_HEADER),
        choices=THEIR_CHOICES,
        units=("£", "£m", "£m", "£k", None),
    )

    table = parse_table("q1.csv", their_file(), unit="£k", match=match)

    assert table.rows[1].cells[1:] == (Decimal("16777600.0"), Decimal("17000.0"), Decimal("222.4"))


@pytest.mark.parametrize(
    ("choices", "problem"),
    [
        ((IGNORE, "figure:budget", "figure:forecast", "figure:variance", IGNORE), "business group"),
        (("label:0", IGNORE, IGNORE, IGNORE, IGNORE), "at least one column of figures"),
        (("label:0", "figure:budget", "figure:budget", IGNORE, IGNORE), "are both"),
        (("label:0", "figure:nothing", IGNORE, IGNORE, IGNORE), "Choose what “Full Year"),
    ],
)
def test_a_match_that_cannot_make_a_table_is_refused(choices: Any, problem: str) -> None:
    match = ColumnMatch("business_group", tuple(THEIR_HEADER), choices, ("£",) * 5)

    with pytest.raises(ActionRefused) as caught:
        parse_table("q1.csv", their_file(), match=match)

    assert any(problem in message for message in caught.value.messages)


def test_a_match_for_another_layout_is_refused() -> None:
    other = to_csv([["Business Group", "Budget £000"], ["A", "1"]])

    with pytest.raises(ActionRefused) as caught:
        parse_table("q1.csv", other, match=their_match())

    assert caught.value.messages == [
        "The file's columns are not those that were matched; choose the file again."
    ]


# --- the pages: match once, then never again --------------------------------------------------


def _choose(page: Any, form: Any) -> dict[str, str]:
    data = {"kind": "business_group"}
    for index, choice in enumerate(THEIR_CHOICES):
        data[f"column_{index}"] = choice
        data[f"unit_{index}"] = their_match().units[index] or "£m"
    return data


def test_their_layout_is_matched_once_and_imports_unasked_next_quarter(
    client: Any, officer: Any, annex: Annex
) -> None:
    client.force_login(officer)

    asked = _upload(client, annex, "Q1 business groups.csv", their_file())

    assert asked.status_code == 302 and "/columns/" in asked["Location"]
    page = client.get(asked["Location"])
    text = text_of(page)
    assert "Match the columns of “Q1 business groups.csv”" in text
    assert "Ignore this column" in text and "For example: 1,234,567.8" in text
    assert not AnnexTable.objects.exists()

    preview = client.post(asked["Location"], _choose(page, page.context["form"]))
    assert preview.status_code == 200
    assert "Check the table before importing it" in text_of(preview)
    assert "1,234.5678" in text_of(preview)
    assert not ColumnMapping.objects.exists()  # remembered on import, not before

    client.post(
        reverse("finance:confirm", args=[annex.decision_id, annex.pk]),
        {"token": preview.context["token"], "title": "Business groups 2010-11"},
    )
    table = AnnexTable.objects.get(annex=annex)
    assert table.title == "Business groups 2010-11"
    assert table.unit == "£m"
    assert table.rows.get(label="Specialist Crime").cells == [None, "16.7776", "17.0", "0.2224"]
    remembered = ColumnMapping.objects.get()
    assert (remembered.kind, remembered.choices) == ("business_group", list(THEIR_CHOICES))

    # Next quarter: the same layout, new figures, straight to the preview.
    figures = ["2,000.0", "2.0", "0.0", "0%"]
    next_quarter = to_csv([THEIR_HEADER, *([row[0], *figures] for row in THEIR_ROWS)])
    again = _upload(client, annex, "Q2 business groups.csv", next_quarter)

    assert again.status_code == 200
    assert "matched to ours as they were the last time" in text_of(again)
    change = client.get(
        reverse("finance:map_columns", args=[annex.decision_id, annex.pk, again.context["token"]])
    )
    assert [change.context["form"][f"column_{i}"].value() for i in range(5)] == list(THEIR_CHOICES)
    client.post(
        reverse("finance:confirm", args=[annex.decision_id, annex.pk]),
        {"token": again.context["token"], "title": ""},
    )
    q2 = AnnexTable.objects.get(annex=annex, source_name="Q2 business groups.csv")
    assert q2.rows.get(label="Total").cells == [None, "2.0000", "2.0", "0.0000"]
    assert ColumnMapping.objects.count() == 1


def test_a_wrong_match_is_shown_again_with_its_problems(
    client: Any, officer: Any, annex: Annex
) -> None:
    client.force_login(officer)
    asked = _upload(client, annex, "q1.csv", their_file())
    data = _choose(None, None)
    data["column_0"] = IGNORE
    data["column_1"] = "not-a-column"

    response = client.post(asked["Location"], data)

    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text
    assert "Choose what “Full Year Budget (B07) £000” is, or ignore it" in text


def test_a_text_file_is_told_it_is_not_a_spreadsheet(
    client: Any, officer: Any, annex: Annex
) -> None:
    client.force_login(officer)

    response = _upload(client, annex, "notes.txt", b"Some notes about the budget\nand more\n")

    assert response.status_code == 400
    assert "“notes.txt” is a text file (.txt), not a spreadsheet." in text_of(response)
    problems = response.context["form"].non_field_errors()
    assert problems == [
        "“notes.txt” is a text file (.txt), not a spreadsheet. Import a CSV file (.csv, UTF-8) "
        "or an Excel workbook (.xlsx)."
    ]


# --- titles -----------------------------------------------------------------------------------


def test_a_title_from_a_file_name_keeps_the_years_hyphen() -> None:
    assert title_from_name("revenue_2010-11.csv") == "Revenue 2010-11"
    assert title_from_name("lcpf_allocations.csv") == "LCPF allocations"
    assert title_from_name("capital - Q1.xlsx") == "Capital Q1"


def test_a_tables_title_can_be_changed_after_import(
    client: Any, officer: Any, annex: Annex
) -> None:
    table = services.table_import(
        annex=annex, user=officer, name="savings.csv", data=seed_bytes("savings.csv")
    )
    client.force_login(officer)
    url = reverse("finance:table_title", args=[annex.decision_id, table.pk])

    empty = client.post(url, {"title": ""})
    saved = client.post(url, {"title": "Savings 2010-11"}, follow=True)

    assert "Enter the table’s title" in text_of(empty)
    table.refresh_from_db()
    assert table.title == "Savings 2010-11"
    assert "Table title saved." in text_of(saved)


def test_an_outsider_cannot_rename_a_table(outsider: Any, officer: Any, annex: Annex) -> None:
    table = services.table_import(
        annex=annex, user=officer, name="savings.csv", data=seed_bytes("savings.csv")
    )

    with pytest.raises(ActionRefused):
        services.table_rename(table=table, user=outsider, title="Mine")


# --- figures as people read them --------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("16777584", "16,777,584"),
        ("-1805.0", "-1,805.0"),
        ("0.0", "0.0"),
        ("12.75", "12.75"),
        (Decimal("1234567.8"), "1,234,567.8"),
        ("2%", "2%"),
        ("see below", "see below"),
        (None, ""),
    ],
)
def test_figures_are_shown_with_thousands_separators(stored: Any, shown: str) -> None:
    assert figure(stored) == shown


def test_the_annex_table_page_shows_thousands_separators_and_stores_plain_figures(
    client: Any, officer: Any, annex: Annex
) -> None:
    name = "lcpf_allocations.csv"
    table = services.table_import(annex=annex, user=officer, name=name, data=seed_bytes(name))
    client.force_login(officer)

    page = text_of(client.get(reverse("finance:table", args=[annex.decision_id, table.pk])))

    assert "16,777,584" in page and "16777584" not in page
    assert table.rows.get(label="Grand Total").cells == ["16777584"]


# --- rounding by the column's precision -------------------------------------------------------

SUBTOTAL_43 = [
    ["Business Group", "Year To Date Actual (£m)", "Current Full Year Budget (£m)",
     "Annual Forecast (£m)", "Annual Variance (£m)"],
    ["North", "1.0", "12.5", "12.5", "0.0"],
    ["South", "2.0", "30.0", "30.0", "0.0"],
    ["Total", "3.0", "{total}", "42.5", "0.0"],
]  # fmt: skip


@pytest.mark.parametrize(
    ("total", "kind"), [("43", ERROR), ("42.5", None), ("43.0", ERROR), ("42.6", ROUNDING)]
)
def test_a_subtotal_written_without_decimals_is_judged_at_its_columns_precision(
    total: str, kind: str | None
) -> None:
    rows = [[c.format(total=total) for c in row] for row in SUBTOTAL_43]
    table = parse_table("groups.csv", to_csv(rows))

    findings = [
        f.kind
        for f in check_tables([table])
        if (f.row, f.column) == ("Total", "Current Full Year Budget (£m)")
    ]

    assert findings == ([kind] if kind else [])


def test_an_xlsx_subtotal_formatted_without_decimals_is_judged_at_its_columns_precision() -> None:
    """The subtotal row styled "0" while its column is "#,##0.0": it shows 43 for 43.0."""
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(
        [[c.format(total="43") for c in row] for row in SUBTOTAL_43]
    )))  # fmt: skip
    sheet = workbook.active
    assert sheet is not None
    sheet["C4"].number_format = "0"
    out = io.BytesIO()
    workbook.save(out)
    table = parse_table("groups.xlsx", out.getvalue())

    findings = [(f.row, f.column, f.kind) for f in check_tables([table])]

    assert table.rows[2].cells[1] == Decimal("43")
    assert ("Total", "Current Full Year Budget (£m)", ERROR) in findings


# --- the "other" kind -------------------------------------------------------------------------


def test_an_other_table_takes_any_columns_and_checks_its_totals() -> None:
    data = to_csv([
        ["section", "Item", "Spend £000", "Notes"],
        ["Estates", "Heating", "10.0", "boilers"],
        ["Estates", "Lighting", "5.0", ""],
        ["Estates", "Total Estates", "15.5", ""],
        ["", "Grand Total", "15.0", ""],
    ])  # fmt: skip

    table = parse_table("other.csv", data, kind="other")
    findings = check_tables([table])

    assert table.unit == "£k"
    assert [(f.row, f.column, f.kind) for f in findings] == [
        ("Total Estates", "Spend £000", ERROR),
        ("Grand Total", "Spend £000", ERROR),
    ]
    assert check_tables([parse_table("other.csv", data, kind="plain")]) == []


def test_an_other_table_is_never_guessed() -> None:
    data = to_csv([["Item", "Spend"], ["A", "1.0"], ["Total", "1.0"]])

    with pytest.raises(ActionRefused):
        parse_table("other.csv", data)


# --- no 500 in the mapping step ---------------------------------------------------------------

CHOICE = st.sampled_from([IGNORE, "label:0", "label:1", "figure:budget", "figure:year", "x"])
UNIT = st.sampled_from(["£", "£k", "£m", "€", None])
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["1,234.5", "-0.0", "12%", "=A1", "", "1e5", "99999999999999999"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from([k.kind.value for k in kinds.KINDS]),
    width=st.integers(min_value=1, max_value=6),
    data=st.data(),
)
def test_any_match_of_any_file_is_imported_or_refused(kind: str, width: int, data: Any) -> None:
    header = data.draw(st.lists(CELL, min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(CELL, min_size=1, max_size=width + 1), max_size=6))
    match = ColumnMatch(
        kind=kind,
        header=tuple(header),
        choices=tuple(data.draw(st.lists(CHOICE, min_size=width, max_size=width))),
        units=tuple(data.draw(st.lists(UNIT, min_size=width, max_size=width))),
    )
    try:
        parse_table("theirs.csv", to_csv([header, *rows]), match=match)
    except ActionRefused as refusal:
        assert refusal.messages and all(m.strip() for m in refusal.messages)
