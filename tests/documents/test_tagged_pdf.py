"""The published packs are tagged PDFs (PDF/A-3a): read back with pikepdf and pdfplumber, the
public pack of the demo's PCD 279 has a whole structure tree, every table a `Table` with header
cells, its language and title, and its running header and page numbers as artifacts."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

import pdfplumber
import pikepdf
import pytest

from decisions import services as workflow
from decisions.models import Decision
from documents import services, tagging
from documents.models import DocumentKind, DocumentState
from tests.documents.conftest import RenderedPack, with_annex
from tests.documents.helpers import attachments
from tests.factories import approved_by_chief_executive, make_complete_draft, submitted

pytestmark = pytest.mark.django_db

# Part 1 prints two tables of its own (publication, the officer's declaration).
PART_ONE_TABLES = 2


def elements(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The structure element and every element under it, in the tree's (reading) order."""
    yield element
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield from elements(kid)


def children(element: pikepdf.Dictionary, tag: str) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    return [
        kid
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == tag
    ]


def scope(cell: pikepdf.Dictionary) -> str:
    return str(cell.A.Scope) if "/A" in cell and "/Scope" in cell.A else ""


@pytest.fixture(scope="module")
def tagged(demo_pack: RenderedPack) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(BytesIO(demo_pack.pdf)) as pdf:
        yield pdf


def tables(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [e for e in elements(pdf.Root.StructTreeRoot.K[0]) if e.S == "/Table"]


def test_the_public_pack_is_tagged_with_its_language_and_title(
    demo_pack: RenderedPack, tagged: pikepdf.Pdf
) -> None:
    root = tagged.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "en-GB"
    document = root.StructTreeRoot.K[0]
    assert document.S == "/Document"
    title = f"{demo_pack.reference}: Financial Reporting 2017/18 - Quarter 1"
    assert str(tagged.docinfo.Title) == title
    assert tagged.open_metadata()["dc:title"] == title
    assert root.ViewerPreferences.DisplayDocTitle is True  # the title, not the file name
    tags = {str(e.S) for e in elements(document)}
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/Figure", "/Caption"} <= tags


def test_every_table_is_one_table_element_with_header_cells(
    demo_pack: RenderedPack, tagged: pikepdf.Pdf
) -> None:
    """Ten annex tables (and Part 1's two), each one `Table` however many pages it runs over:
    its header row of `TH` cells (scope Column), then each stored row as a `TR` whose first cell
    is a `TH` (scope Row) and whose figures are `TD` cells naming their headers."""
    found = tables(tagged)
    assert len(demo_pack.tables) == 10
    assert len(found) == len(demo_pack.tables) + PART_ONE_TABLES
    annex_tables = [t for t in found if children(t, "/Caption")]  # "Figures in £m"
    assert len(annex_tables) == len(demo_pack.tables)
    ids = tagged.Root.StructTreeRoot.IDTree.Names
    known = {str(ids[i]) for i in range(0, len(ids), 2)}
    for table, stored in zip(annex_tables, demo_pack.tables, strict=True):
        (head,) = children(table, "/THead")
        (header_row,) = children(head, "/TR")
        header_cells = children(header_row, "/TH")
        assert len(header_cells) == 1 + len(stored.rows[0][2]), stored.title  # label, figures
        assert {scope(c) for c in header_cells} == {"/Column"}
        (body,) = children(table, "/TBody")
        rows = [
            row
            for row in children(body, "/TR")
            if children(row, "/TD")  # (a section's heading row has one TH and no TD)
        ]
        assert len(rows) == len(stored.rows), stored.title
        for row in rows:
            (label,) = children(row, "/TH")
            assert scope(label) == "/Row"
            cells = children(row, "/TD")
            assert len(cells) == len(stored.rows[0][2])
            for cell in cells:
                headers = {str(h) for h in cell.A.Headers}
                assert str(label.ID) in headers and headers <= known


def test_a_table_over_several_pages_is_one_table_read_in_order(tagged: pikepdf.Pdf) -> None:
    """The budget movements table runs over two pages: one `Table`, its content on both, with
    its header row read once (the repeated one is an artifact)."""
    movements = tables(tagged)[-1]
    pages = {
        str(cell.Pg.objgen) for cell in elements(movements) if cell.S == "/TD" and "/Pg" in cell
    }
    assert len(pages) >= 2
    assert len(children(movements, "/THead")) == 1


def test_the_running_header_and_page_numbers_are_artifacts_and_the_rest_is_in_the_tree(
    demo_pack: RenderedPack, tagged: pikepdf.Pdf
) -> None:
    reachable = {e.objgen for e in elements(tagged.Root.StructTreeRoot.K[0])}
    nums = tagged.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    with pdfplumber.open(BytesIO(demo_pack.pdf)) as pdf:
        assert len(pdf.pages) == demo_pack.pages
        for number, page in enumerate(pdf.pages, start=1):
            artifact = "".join(c["text"] for c in page.chars if c.get("tag") == "Artifact")
            assert demo_pack.reference in artifact
            assert f"Page {number} of {demo_pack.pages}" in artifact
            assert "Published decision" in artifact
            tagged_text = "".join(c["text"] for c in page.chars if c.get("tag") != "Artifact")
            assert f"Page {number} of" not in tagged_text
            # Every other character is marked content that the structure tree reaches.
            mcids = {c["mcid"] for c in page.chars if c.get("tag") != "Artifact"}
            assert None not in mcids
            assert all(parents[number - 1][m].objgen in reachable for m in mcids)


def test_the_tagged_pack_still_carries_its_tables_as_csv_files(demo_pack: RenderedPack) -> None:
    assert sorted(attachments(demo_pack.pdf)) == sorted(demo_pack.csv_names)


def test_pdfinfo_says_the_pack_is_tagged(demo_pack: RenderedPack, tmp_path: Any) -> None:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        reason = "needs pdfinfo (apt-get install poppler-utils)"
        if os.environ.get("PCD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (PCD_REQUIRE_SERVICES=1 forbids skipping it)", pytrace=False)
        pytest.skip(reason)
    path = tmp_path / "pcd-279.pdf"
    path.write_bytes(demo_pack.pdf)
    info = subprocess.run(  # noqa: S603 - pdfinfo on a file of ours
        [pdfinfo, str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info
    assert f"Pages:           {demo_pack.pages}" in info


def test_the_signed_pack_and_part_two_are_tagged_and_the_preview_is_not(
    officer: Any,
    chief_executive: Any,
    dmpc: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The preview is assembled from cached parts, for speed: it carries no tags."""
    decision = make_complete_draft(officer)
    workflow.part_two_update(
        decision=decision,
        user=officer,
        facts_and_advice="Confidential facts.",
        exemption_rationale="Section 31 (law enforcement).",
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = approved_by_chief_executive(submitted(decision, officer), chief_executive)
        workflow.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests="None")
    decision = Decision.objects.get(pk=decision.pk)
    for kind, title, table_count in (
        (DocumentKind.SIGNED_PACK, decision.title, PART_ONE_TABLES),
        (DocumentKind.PART_TWO, "Part 2 (confidential)", 0),
        (DocumentKind.PREVIEW, None, None),
    ):
        if kind == DocumentKind.PREVIEW:
            # An annex added now reaches only the preview: signed packs are never made again of
            # content changed since it was signed (tests/audit).
            with_annex(decision)
        document = services.document_request(decision=decision, kind=kind)
        services.render_now(document)
        document.refresh_from_db()
        assert document.state == DocumentState.READY, (kind, document.error)
        with pikepdf.open(BytesIO(document.pdf.read())) as pdf:
            if title is None:
                assert "/StructTreeRoot" not in pdf.Root
                continue
            assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "en-GB"
            assert title in str(pdf.docinfo.Title)
            assert len(tables(pdf)) == table_count
            if kind == DocumentKind.SIGNED_PACK:
                headings = [e for e in elements(pdf.Root.StructTreeRoot.K[0]) if e.S == "/H1"]
                assert len(headings) == 2  # Part 1, the signature record


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "marked",
    [
        b"/Span <</MCID 1>> BDC",  # as WeasyPrint writes it: rewritten by the regular expression
        b"/Span <</MCID 1 /ActualText (x)>> BDC",  # otherwise: by pikepdf's content parser
    ],
)
def test_marked_content_outside_the_tree_is_rewritten_as_an_artifact(marked: bytes) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    kept = b"/P <</MCID 0>> BDC BT /F1 9 Tf (kept) Tj ET EMC\n"
    page.Contents = pdf.make_stream(kept + marked + b" BT /F1 9 Tf (Page 1 of 1) Tj ET EMC\n")
    rewritten = tagging._as_artifacts(page, {1})
    instructions = pikepdf.parse_content_stream(pikepdf.Stream(pdf, rewritten))
    marks = [
        (str(i.operands[0]), dict(i.operands[1]) if len(i.operands) > 1 else None)
        for i in instructions
        if str(i.operator) == "BDC"
    ]
    assert marks[0] == ("/P", {"/MCID": 0})
    assert marks[1][0] == "/Artifact" and marks[1][1] == {"/Type": "/Pagination"}
