"""Importing spreadsheets: the ten published files unchanged, their XLSX versions the same, and
every kind of bad file refused with a message that says where, keeping nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import openpyxl.xml
import pytest

from decisions.errors import ActionRefused
from finance import spreadsheets
from finance.importing import parse_table
from finance.models import Annex, AnnexRow, AnnexTable
from finance.seed import PCD_279_DIR, PCD_279_FILES
from tests.finance.conftest import (
    edited_bytes,
    seed_bytes,
    seed_rows,
    to_csv,
    to_xlsx,
)

# --- the published files ----------------------------------------------------------------------


# The SHA-256 of each table as transcribed from the published PCD 279, recorded when they were
# vendored: the copies here must stay those bytes (line ends and all), whatever an editor does.
PUBLISHED_SHA256 = {
    "budget_movements.csv": "85fb109f44a372d737fb28d0d4787333a3bfff238a87ebc5a8d6560fc5efebd4",
    "capital_position.csv": "e9bcfa4ec2b40b01877f28cea8aa6806962201b49b46107f79ab262bfc683f0e",
    "capital_programme_by_portfolio.csv": "b29e0315f87913e7eba6ab93285fd7ffe15e4e460109eda122cf057e06f59402",  # noqa: E501
    "lcpf_allocations.csv": "7a3988d6db42b316dbf4ef80cc201297e5ba3cb467871607b4228b963350c976",
    "officer_overtime_by_business_group.csv": "f211f90cb275df2ce4c43645ea52aabbd22cda93404aab034c656a7bfc5eb027",  # noqa: E501
    "officer_pay_by_business_group.csv": "531a9267072f308c416485baa498987b0cd38671a127ff27269e17e52399ea46",  # noqa: E501
    "reserves.csv": "00b6cae95f5271198777a2b761d7289054c2fb800b7b9311feb1f7613b962805",
    "revenue_position.csv": "c015f4aa4e94d6c789a71bc32b4721e0c678b6f6dd8c1c2db10a73dc4d935440",
    "savings.csv": "d5ee358a97e993c365c04f35693864e71260f852240dedea2b2489f52713187b",
    "staff_pay_by_business_group.csv": "d8a367759942a1d657799b211603105c44616aa1ab58e317ec0b560bba8277ff",  # noqa: E501
}


def test_the_vendored_seed_files_are_the_published_ones() -> None:
    assert sorted(p.name for p in PCD_279_DIR.glob("*.csv")) == sorted(PCD_279_FILES)
    assert sorted(PUBLISHED_SHA256) == sorted(PCD_279_FILES)
    for name in PCD_279_FILES:
        digest = hashlib.sha256((PCD_279_DIR / name).read_bytes()).hexdigest()
        assert digest == PUBLISHED_SHA256[name], name


def stored_as_csv(table: AnnexTable) -> bytes:
    """The stored table written back out as its CSV file."""
    rows = [list(table.columns)]
    for row in table.rows.all():
        labels = [row.section, row.label] if table.columns[0] == "section" else [row.label]
        rows.append([*labels, *(cell or "" for cell in row.cells)])
    return to_csv(rows)


@pytest.mark.parametrize("name", PCD_279_FILES)
def test_each_seed_file_imports_into_a_draft_unchanged(
    name: str, import_file: Callable[..., AnnexTable]
) -> None:
    table = import_file(name, seed_bytes(name))

    assert stored_as_csv(table) == seed_bytes(name)
    assert table.source_name == name


def test_the_ten_seed_files_make_one_annex(seeded_annex: Annex) -> None:
    tables = list(seeded_annex.tables.order_by("position"))

    assert [(t.title, t.kind, t.unit, t.rows.count()) for t in tables] == [
        ("Revenue position", "revenue_position", "£m", 23),
        ("Officer pay by business group", "business_group", "£m", 7),
        ("Officer overtime by business group", "business_group", "£m", 7),
        ("Staff pay by business group", "business_group", "£m", 8),
        ("Savings", "savings", "£m", 4),
        ("Capital position", "capital_programme", "£m", 20),
        ("Capital programme by portfolio", "capital_programme", "£m", 17),
        ("Reserves", "reserves", "£m", 7),
        ("LCPF allocations", "allocations", "£", 33),
        ("Budget movements", "budget_movements", "£m", 21),
    ]


def test_figures_keep_their_published_precision(seeded_annex: Annex) -> None:
    row = AnnexRow.objects.get(
        table__annex=seeded_annex,
        label="Digital Policing",
        table__title="Officer pay by business group",
    )
    movements = AnnexRow.objects.get(table__annex=seeded_annex, label="Total Reserves")

    assert row.cells == ["0.0", "0.0", "0.1", "0.1"]
    assert movements.cells[2] is None  # blank as published (a "•" in the document)


@pytest.mark.parametrize("name", PCD_279_FILES)
def test_an_xlsx_version_of_each_seed_file_imports_to_the_same_data(name: str) -> None:
    from_csv = parse_table(name, seed_bytes(name))
    from_xlsx = parse_table(name.replace(".csv", ".xlsx"), to_xlsx(seed_rows(name)))

    assert (from_xlsx.kind, from_xlsx.columns, from_xlsx.rows) == (
        from_csv.kind,
        from_csv.columns,
        from_csv.rows,
    )


def test_xlsx_figures_keep_the_precision_the_sheet_shows() -> None:
    # A sheet stores 1805.0 as 1805; its "0.0" format is what says it is shown as 1805.0.
    rows = seed_rows("savings.csv")
    unformatted = parse_table("savings.xlsx", to_xlsx(rows, formats=False))
    formatted = parse_table("savings.xlsx", to_xlsx(rows))

    assert formatted.rows[0].cells[2] == Decimal("0.0")
    assert str(formatted.rows[0].cells[2]) == "0.0"
    assert str(unformatted.rows[0].cells[2]) == "0"  # General format: as stored


def test_a_csv_with_a_byte_order_mark_imports() -> None:
    data = b"\xef\xbb\xbf" + seed_bytes("savings.csv")

    assert (
        parse_table("savings.csv", data).rows
        == parse_table("savings.csv", seed_bytes("savings.csv")).rows
    )


def test_openpyxl_reads_workbooks_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


# --- bad files ----------------------------------------------------------------------------


def refused(import_file: Callable[..., Any], name: str, data: bytes, **kwargs: Any) -> list[str]:
    """The messages of a refused import, after checking nothing of the file was kept."""
    with pytest.raises(ActionRefused) as caught:
        import_file(name, data, **kwargs)
    assert AnnexTable.objects.count() == 0
    assert AnnexRow.objects.count() == 0
    return caught.value.messages


edited = edited_bytes


def test_a_windows_1252_file_is_refused_naming_the_first_bad_byte(import_file: Any) -> None:
    data = seed_bytes("lcpf_allocations.csv").decode("utf-8").encode("cp1252")

    [message] = refused(import_file, "lcpf_allocations.csv", data)

    assert message.startswith("Row 1, column 2")
    assert "not UTF-8" in message and "0xA3" in message and "“£” in Windows-1252" in message
    assert "CSV UTF-8" in message


def test_a_bad_byte_below_the_header_is_placed_by_row_and_column(import_file: Any) -> None:
    data = seed_bytes("savings.csv").replace(b"-15.7", "-15.7\u00a3".encode("cp1252"))

    [message] = refused(import_file, "savings.csv", data)

    assert message.startswith("Row 3, column “Planned Saving (£m)”: the file is not UTF-8 text")


def test_a_utf16_file_is_refused(import_file: Any) -> None:
    data = seed_bytes("savings.csv").decode("utf-8").encode("utf-16")

    [message] = refused(import_file, "savings.csv", data)

    assert "UTF-16" in message and "UTF-8" in message


def test_an_unknown_column_is_refused_by_name(import_file: Any) -> None:
    data = edited("revenue_position.csv", "Variance to Date (£m)", "Varience to Date (£m)")

    messages = refused(import_file, "revenue_position.csv", data)

    assert (
        "Column 5, “Varience to Date (£m)”, is not a column of a revenue position table."
        in messages
    )
    assert (
        "The revenue position table needs a column “Variance to Date”; it is missing." in messages
    )


def test_a_missing_column_is_refused_by_name(import_file: Any) -> None:
    rows = [row[:-1] for row in seed_rows("capital_position.csv")]

    messages = refused(import_file, "capital_position.csv", to_csv(rows))

    assert "The capital programme table needs a column “Variance”; it is missing." in messages


def test_a_file_given_the_wrong_kind_is_refused(import_file: Any) -> None:
    messages = refused(import_file, "savings.csv", seed_bytes("savings.csv"), kind="reserves")

    assert any("is not a column of a reserves table" in m for m in messages)


def test_text_in_a_number_cell_is_refused_with_its_row_and_column(import_file: Any) -> None:
    data = edited("capital_position.csv", "159.3,12.5,", "159.3,12.5x,")

    assert refused(import_file, "capital_position.csv", data) == [
        "Row 2, column “Actual to Date (£m)”: “12.5x” is not a number."
    ]


def test_every_bad_cell_is_listed(import_file: Any) -> None:
    data = edited("savings.csv", "-61.3,-61.3", "n/a,£1")
    assert refused(import_file, "savings.csv", data) == [
        "Row 2, column “Planned Saving (£m)”: “n/a” is not a number.",
        "Row 2, column “Forecast Saving (£m)”: “£1” is not a number.",
    ]


def test_a_percentage_row_accepts_only_percentages(import_file: Any) -> None:
    data = edited("reserves.csv", "15%", "fifteen")

    assert refused(import_file, "reserves.csv", data) == [
        "Row 8, column “2014/15 Actual”: “fifteen” is not a percentage (this row holds "
        "percentages, e.g. “2%”)."
    ]


def test_a_reserves_table_without_its_balances_is_refused(import_file: Any) -> None:
    data = edited("reserves.csv", "Opening Reserve Balance", "Opening position")

    assert refused(import_file, "reserves.csv", data) == [
        "The reserves table needs a row “Opening Reserve Balance”; it is missing."
    ]


def test_a_formula_in_an_xlsx_is_refused_with_its_cell(import_file: Any) -> None:
    rows = seed_rows("revenue_position.csv")
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(rows)))
    sheet = workbook.active
    assert sheet is not None
    sheet["C5"] = "=SUM(C2:C4)"
    out = io.BytesIO()
    workbook.save(out)

    messages = refused(import_file, "revenue_position.xlsx", out.getvalue())

    assert messages == [
        "Row 5, column “Budget To Date (£m)” (cell C5): the cell holds a formula "
        "(=SUM(C2:C4)); paste the values instead of formulas."
    ]


def test_a_formula_typed_into_a_csv_is_refused(import_file: Any) -> None:
    data = edited("savings.csv", "-82.1", "=SUM(B2:B4)")

    assert refused(import_file, "savings.csv", data) == [
        "Row 5, column “Planned Saving (£m)”: “=SUM(B2:B4)” is a formula; paste the value instead."
    ]


def test_an_xlsx_with_a_true_or_a_date_in_a_figure_cell_is_refused(import_file: Any) -> None:
    import datetime

    rows = seed_rows("savings.csv")
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(rows)))
    sheet = workbook.active
    assert sheet is not None
    sheet["B2"] = True
    sheet["C3"] = datetime.date(2017, 6, 30)
    out = io.BytesIO()
    workbook.save(out)

    assert refused(import_file, "savings.xlsx", out.getvalue()) == [
        "Row 2, column “Planned Saving (£m)” (cell B2): the cell holds TRUE, which is not a "
        "figure.",
        "Row 3, column “Forecast Saving (£m)” (cell C3): the cell holds a date or time, which is "
        "not a figure.",
    ]


def test_a_workbook_of_several_sheets_is_refused(import_file: Any) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(seed_rows("savings.csv"))))
    workbook.create_sheet("Notes")
    out = io.BytesIO()
    workbook.save(out)

    [message] = refused(import_file, "savings.xlsx", out.getvalue())

    assert "2 sheets" in message and "“Notes”" in message


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b" , ,\n,,\n"])
def test_an_empty_file_is_refused(import_file: Any, data: bytes) -> None:
    [message] = refused(import_file, "empty.csv", data)

    assert message.startswith("The file is empty")


def test_a_header_without_rows_is_refused(import_file: Any) -> None:
    data = seed_bytes("savings.csv").split(b"\n")[0] + b"\n"

    assert refused(import_file, "savings.csv", data) == [
        "The file has a header row but no rows of figures below it."
    ]


def test_a_50_mb_file_is_refused_before_it_is_read(import_file: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(spreadsheets, "_csv_rows", _must_not_be_called)
    data = seed_bytes("savings.csv") + b"x" * (50 * 1024 * 1024)

    [message] = refused(import_file, "savings.csv", data)

    assert message.startswith("The file is 50.0 MB; the largest file accepted is 5.0 MB.")


def _must_not_be_called(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the guard should have refused the file before this")


def test_a_png_is_refused(import_file: Any) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)

    assert refused(import_file, "revenue_position.csv", data) == [
        "This is a PNG image, not a spreadsheet. Import a CSV file (UTF-8) or an XLSX workbook."
    ]


def test_random_bytes_are_refused(import_file: Any) -> None:
    data = random.Random(279).randbytes(4096)  # noqa: S311 - not for security

    [message] = refused(import_file, "revenue_position.csv", data)

    assert "not CSV text" in message or "not UTF-8" in message


def test_random_bytes_named_xlsx_are_refused(import_file: Any) -> None:
    data = random.Random(279).randbytes(4096)  # noqa: S311 - not for security

    assert refused(import_file, "revenue.xlsx", data) == [
        "“revenue.xlsx” is named like an XLSX workbook but is not one (it is not a zip file)."
    ]


def test_a_damaged_zip_is_refused(import_file: Any) -> None:
    data = b"PK\x03\x04" + random.Random(1).randbytes(2048)  # noqa: S311 - not for security

    [message] = refused(import_file, "revenue.xlsx", data)

    assert "not an XLSX workbook" in message


def _zip_bomb(megabytes: int) -> bytes:
    """A "workbook" whose one sheet inflates from a few hundred kilobytes to `megabytes` MB of
    zeros, written in chunks so the test itself never holds it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        chunk = bytes(1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(megabytes):
                sheet.write(chunk)
    return out.getvalue()


def forbid_decompressing(monkeypatch: Any) -> None:
    """From now on, fail the test if anything opens a zip entry or hands a workbook to openpyxl."""
    monkeypatch.setattr(zipfile.ZipFile, "open", _must_not_be_called)
    monkeypatch.setattr(openpyxl, "load_workbook", _must_not_be_called)


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_decompressing(
    import_file: Any, monkeypatch: Any
) -> None:
    data = _zip_bomb(200)
    assert len(data) < spreadsheets.MAX_FILE_BYTES
    forbid_decompressing(monkeypatch)

    [message] = refused(import_file, "revenue_position.xlsx", data)

    assert message.startswith("The workbook would expand to 200.0 MB when opened")
    assert "zip bomb" in message


def test_a_small_but_extreme_compression_ratio_is_refused(
    import_file: Any, monkeypatch: Any
) -> None:
    data = _zip_bomb(5)
    forbid_decompressing(monkeypatch)

    [message] = refused(import_file, "revenue_position.xlsx", data)

    assert "“xl/worksheets/sheet1.xml” is compressed" in message and "zip bomb" in message


def test_a_ragged_csv_row_is_refused(import_file: Any) -> None:
    data = edited("savings.csv", ",-4.7,11.0", ",-4.7")

    assert refused(import_file, "savings.csv", data) == [
        "Row 3 has 3 cells; the header row has 4 columns."
    ]


def test_a_row_without_a_label_is_refused(import_file: Any) -> None:
    data = edited("revenue_position.csv", "Pay,PCSO Pay,", "Pay,,")

    assert refused(import_file, "revenue_position.csv", data) == [
        "Row 4, column “line”: the row has no label."
    ]


def test_two_columns_of_one_name_are_refused(import_file: Any) -> None:
    data = edited("savings.csv", "Variation (£m)", "Planned Saving (£m)")

    assert refused(import_file, "savings.csv", data) == [
        "Columns 2 and 4 are both called “Planned Saving (£m)”."
    ]


def test_a_semicolon_separated_file_gets_a_hint(import_file: Any) -> None:
    text = seed_bytes("savings.csv").decode()
    rows = list(csv.reader(io.StringIO(text)))
    data = "\n".join(";".join(row) for row in rows).encode()

    [message] = refused(import_file, "savings.csv", data)

    assert "semicolons" in message


def test_mixed_units_are_refused(import_file: Any) -> None:
    data = edited("savings.csv", "Variation (£m)", "Variation (£k)")

    assert refused(import_file, "savings.csv", data) == [
        "The columns mix units (£k and £m); one table has one unit."
    ]


def test_a_renamed_label_column_is_named_with_what_is_expected(import_file: Any) -> None:
    data = edited("staff_pay_by_business_group.csv", "Business Group", "Group")

    assert refused(import_file, "staff_pay_by_business_group.csv", data) == [
        "The columns are not those of any kind of finance table. The nearest is “Breakdown by "
        "business group”:",
        "Column 1, “Group”, is not a column of a breakdown by business group table.",
        "The breakdown by business group table needs a column “Business Group”; it is missing.",
        "Correct the header row, or choose the kind of table (a plain table is not checked).",
    ]
