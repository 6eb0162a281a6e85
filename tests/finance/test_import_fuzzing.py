"""No file makes a 500: whatever an officer uploads (random bytes, random CSV in any line endings
and encoding, random workbook cells, a published table damaged at random) is either imported or
refused with a message. Everything goes through `finance.importing.parse_table`, which the page,
`check_annex` and `import_annex` all use."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions.errors import ActionRefused
from finance.importing import parse_table
from finance.models import Annex
from finance.seed import PCD_279_FILES
from finance.tables import TableData
from tests.factories import sign_in
from tests.finance.conftest import seed_bytes
from tests.finance.test_annex_pages import _upload
from tests.finance.test_commands import run
from tests.pages.helpers import text_of, use_plain_static_storage

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Excel for Mac's "CSV (Macintosh)": Mac Roman text, lines ended by a carriage return alone.
MAC_CSV = "Line,Budget (£m)\rOfficer pay,1.0\rStaff pay,2.0\r".encode("mac_roman")


def imported_or_refused(name: str, data: bytes) -> TableData | list[str]:
    """The table, or the refusal's messages; any other outcome fails the test."""
    try:
        return parse_table(name, data)
    except ActionRefused as refusal:
        assert refusal.messages, "a refusal must say why"
        assert all(message.strip() for message in refusal.messages)
        return refusal.messages


# --- the two files that made a 500 ------------------------------------------------------------


def test_a_mac_csv_with_carriage_returns_is_refused_naming_the_row_and_column() -> None:
    [message] = imported_or_refused("budget.csv", MAC_CSV)

    assert message.startswith("Row 1, column 2 (“Budget (")
    assert "not UTF-8" in message and "0xA3" in message and "CSV UTF-8" in message


def test_random_bytes_with_a_quote_before_a_bad_byte_are_refused() -> None:
    data = b'\x93"\r\xa3,x\rline\n\x81'

    [message] = imported_or_refused("upload.csv", data)

    assert "not UTF-8" in message


def test_a_mac_csv_on_the_upload_page_is_refused_not_an_error(
    client: Any, officer: Any, annex: Annex, settings: Any
) -> None:
    use_plain_static_storage(settings)
    sign_in(client, officer)

    response = _upload(client, annex, "budget.csv", MAC_CSV)

    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert "the file is not UTF-8 text" in text_of(response)


@pytest.mark.django_db
def test_check_annex_refuses_a_mac_csv_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_bytes(MAC_CSV)

    status, out, message = run("check_annex", str(path))

    assert (status, out) == (2, "")
    assert message.startswith(f"{path}: Row 1, column 2")
    assert "not UTF-8" in message


# --- fuzzing -----------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["table.csv", "table.xlsx", "x"]))
def test_random_bytes_are_imported_or_refused(data: bytes, name: str) -> None:
    imported_or_refused(name, data)


CELL_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["£", "€", "–", "1.0", "-3.2", "(4.5)", "1,234.5", "12%", "=SUM(A1)", '"', ""]),
    st.decimals(allow_nan=False, allow_infinity=False, places=1).map(str),
)
LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "mac_roman", "latin-1", "utf-16"])


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file: a real header (from a published table) or a random one, random rows, each line
    ended its own way, in an encoding chosen at random."""
    if draw(st.booleans()):
        header = seed_bytes(draw(st.sampled_from(PCD_279_FILES))).decode("utf-8").splitlines()[0]
    else:
        header = ",".join(draw(st.lists(CELL_TEXT, min_size=1, max_size=6)))
    width = header.count(",") + 1
    rows = draw(
        st.lists(st.lists(CELL_TEXT, min_size=max(1, width - 1), max_size=width + 1), max_size=12)
    )
    lines = [header, *(",".join(row) for row in rows)]
    text = "".join(line + draw(LINE_ENDINGS) for line in lines)
    return text.encode(draw(ENCODINGS), errors="replace")


@FUZZ
@given(data=csv_files())
def test_random_csv_in_any_line_endings_and_encoding_is_imported_or_refused(data: bytes) -> None:
    imported_or_refused("table.csv", data)


@FUZZ
@given(
    name=st.sampled_from(PCD_279_FILES),
    ending=st.sampled_from([b"\r\n", b"\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "mac_roman"]),
)
def test_a_published_table_in_other_line_endings_and_encodings_is_imported_or_refused(
    name: str, ending: bytes, encoding: str
) -> None:
    data = seed_bytes(name).decode("utf-8").encode(encoding, errors="replace")
    outcome = imported_or_refused(name, data.replace(b"\n", ending))

    if encoding.startswith("utf-8"):
        assert isinstance(outcome, TableData), outcome  # only the line endings changed


@FUZZ
@given(
    name=st.sampled_from(PCD_279_FILES),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=4)), max_size=6),
    truncate=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_a_published_table_damaged_at_random_is_imported_or_refused(
    name: str, cuts: list[tuple[int, bytes]], truncate: int | None
) -> None:
    data = bytearray(seed_bytes(name))
    for position, replacement in cuts:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    if truncate is not None:
        del data[truncate:]
    imported_or_refused(name, bytes(data))


XLSX_VALUES = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30).filter(lambda s: not s.startswith("=")),
    st.sampled_from(["=A1+1", "=SUM(B2:B4)", "#DIV/0!", "£", "Total"]),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
)
NUMBER_FORMATS = st.sampled_from(["General", "0.0", "#,##0.00", "0%", "0.0%", '"£"#,##0.0', "@"])


def _clean_text(value: Any) -> Any:
    # openpyxl refuses to write control characters; a workbook cannot hold them either.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, Decimal):
        return float(value)
    return value


@FUZZ
@given(
    header=st.one_of(
        st.sampled_from(PCD_279_FILES).map(
            lambda name: seed_bytes(name).decode("utf-8").splitlines()[0].split(",")
        ),
        st.lists(XLSX_VALUES, min_size=1, max_size=6),
    ),
    rows=st.lists(st.lists(st.tuples(XLSX_VALUES, NUMBER_FORMATS), max_size=7), max_size=10),
    sheets=st.integers(1, 2),
)
def test_random_xlsx_cells_are_imported_or_refused(
    header: list[Any], rows: list[list[tuple[Any, str]]], sheets: int
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([_clean_text(value) for value in header])
    for number, row in enumerate(rows, start=2):
        for column, (value, number_format) in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=_clean_text(value))
            cell.number_format = number_format
    for extra in range(1, sheets):
        workbook.create_sheet(f"Sheet {extra + 1}")
    stream = io.BytesIO()
    workbook.save(stream)

    imported_or_refused("table.xlsx", stream.getvalue())
