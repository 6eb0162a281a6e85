"""The demo's public pack, read back: every figure, every table, the attached CSV files, the
PDF/A-3a markers, the running header and page numbers."""

from __future__ import annotations

import csv
import io
import re
from io import BytesIO

import pikepdf
import pytest
from pypdf import PdfReader

from finance.templatetags.finance_figures import figure
from tests.documents.conftest import RenderedPack
from tests.documents.helpers import attachments, page_texts, squash, table_rows

# The pack is made once per run (the demo_pack fixture); the database must exist for it.
pytestmark = pytest.mark.django_db


def test_the_text_of_the_pack_holds_every_figure_of_every_table(demo_pack: RenderedPack) -> None:
    text = squash(" ".join(page_texts(demo_pack.pdf)))
    missing = [
        (table.title, label, cell)
        for table in demo_pack.tables
        for _, label, cells in table.rows
        for cell in cells
        if cell is not None and squash(figure(cell)) not in text
    ]
    assert len(demo_pack.tables) >= 10
    assert missing == []


def test_the_pack_prints_figures_with_thousands_separators(demo_pack: RenderedPack) -> None:
    """16777584 (the LCPF's Grand Total, as stored) is printed as people read it."""
    text = " ".join(page_texts(demo_pack.pdf))
    stored = {c for table in demo_pack.tables for _, _, cells in table.rows for c in cells if c}
    assert "16777584" in stored
    assert "16,777,584" in text
    assert "1,805.0" in text


def test_every_table_reads_back_out_of_the_pdf_as_stored(demo_pack: RenderedPack) -> None:
    """pdfplumber finds the ruled tables on each page; every stored row (label and figures, in
    its columns) is one of them, in the order of the tables and rows."""
    found = table_rows(demo_pack.pdf)
    position = 0
    for table in demo_pack.tables:
        for row in table.printed_rows():
            try:
                position = found.index(row, position) + 1
            except ValueError:
                raise AssertionError(
                    f"{table.title}: row {row} is not in the PDF's tables"
                ) from None


def test_the_stored_rows_of_a_table_are_its_rows_in_the_pdf_nothing_more(
    demo_pack: RenderedPack,
) -> None:
    found = table_rows(demo_pack.pdf)
    revenue = demo_pack.tables[0]
    labels = {squash(label) for _, label, _ in revenue.rows}
    printed = [
        row for row in found if row and row[0] in labels and len(row) == len(revenue.columns) - 1
    ]
    assert printed == revenue.printed_rows()


def test_each_table_is_attached_as_a_csv_file_equal_to_the_stored_table(
    demo_pack: RenderedPack,
) -> None:
    files = attachments(demo_pack.pdf)
    assert sorted(files) == sorted(demo_pack.csv_names)
    for name, table in zip(demo_pack.csv_names, demo_pack.tables, strict=True):
        rows = list(csv.reader(io.StringIO(files[name].decode("utf-8"))))
        assert rows[0] == table.columns
        labels = len(table.columns) - len(table.rows[0][2])
        for (section, label, cells), read in zip(table.rows, rows[1:], strict=True):
            assert read[:labels] == ([section, label] if labels == 2 else [label])
            assert read[labels:] == ["" if c is None else c for c in cells]


def test_the_pack_is_marked_pdf_a_3a_with_an_output_intent_and_associated_files(
    demo_pack: RenderedPack,
) -> None:
    reader = PdfReader(BytesIO(demo_pack.pdf))
    assert demo_pack.pdf.startswith(b"%PDF-1.7\n%")
    assert not reader.is_encrypted
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp
    with pikepdf.open(BytesIO(demo_pack.pdf)) as pdf:
        packet = pdf.open_metadata()
        assert packet["pdfaid:part"] == "3"
        assert packet["pdfaid:conformance"] == "A"  # level A: tagged (test_tagged_pdf.py)
        # The document information dictionary and the XMP say the same things.
        info = reader.metadata
        assert info is not None and info.title and packet["dc:title"] == info.title
        assert packet["pdf:Producer"] == info.producer
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3
    assert len(reader.trailer["/ID"]) == 2
    associated = [spec.get_object() for spec in root["/AF"]]
    assert len(associated) == len(demo_pack.tables)
    for spec in associated:
        assert spec["/AFRelationship"] == "/Data"
        assert spec["/UF"] == spec["/F"]
        embedded = spec["/EF"]["/F"].get_object()
        assert embedded["/Subtype"] == "/text/csv"  # written /text#2fcsv
        assert embedded["/Params"]["/Size"] == len(embedded.get_data())
        assert "/ModDate" in embedded["/Params"] and "/CheckSum" in embedded["/Params"]
    # Every font is embedded.
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())


def test_every_page_carries_the_reference_and_page_x_of_y(demo_pack: RenderedPack) -> None:
    texts = page_texts(demo_pack.pdf)
    assert len(texts) == demo_pack.pages > 10
    for number, text in enumerate(texts, start=1):
        assert demo_pack.reference in text
        assert f"Page {number} of {len(texts)}" in text
        assert "Published decision" in text


def test_a_table_that_runs_over_pages_repeats_its_header_on_each(demo_pack: RenderedPack) -> None:
    """The budget movements table is wider than a portrait page and longer than a landscape
    one: every page with one of its rows also has its header row."""
    movements = demo_pack.tables[-1]
    header = squash(movements.columns[-2])  # "Transfer from reserves (£m)"
    labels = [squash(label) for _, label, _ in movements.rows]
    pages = [squash(t) for t in page_texts(demo_pack.pdf)]
    with_rows = [p for p in pages if any(label in p for label in labels)]
    assert len(with_rows) >= 2
    assert all(header in page for page in with_rows)


def test_the_annex_has_charts_drawn_from_the_tables(demo_pack: RenderedPack) -> None:
    text = " ".join(page_texts(demo_pack.pdf))
    assert "Full Year Variance (£m), by line" in text
    assert "Capital budget against forecast, by portfolio" in text
    assert re.search(r"more than budget.*less than budget", text, re.DOTALL)
