"""Repairs to the structure tree (the tags) that WeasyPrint 70 writes for a tagged PDF.

WeasyPrint tags a document from its boxes, page by page (weasyprint/pdf/tags.py). Read back
with pikepdf, the tree of the PCD 279 pack has its headings, lists, and tables as Table / THead /
TBody / TR / TH / TD with /Headers, but three things a reader of it needs are wrong:

1. **An element that runs over a page break is cut in pieces**: a table over three pages is three
   `Table` elements, its Part a `Div` per page (Kozea/WeasyPrint#2902, #2903); PCD 279's public
   pack came out with 18 `Table` elements for its 12 tables, and 36 `Div`s for its 23 divs.
   Each continued piece is joined to the one before it, so a table is one `Table` and the
   reading order is the document's. A table's header row, repeated at the top of each page it
   runs onto, is left out of the tree and marked as a pagination artifact (a screen reader reads
   it once), and its data cells' /Headers point to the first header row.
2. **The running header and "Page x of y"** (the @page margin boxes) are drawn as marked content
   (`/Span <</MCID n>> BDC`) whose structure elements hang from no parent: a tree that does not
   reach content that is not an artifact is broken. They are rewritten as `/Artifact` (type
   /Pagination) and their parent-tree entries are removed.
3. **Header cells have no /Scope** (Kozea/WeasyPrint#2508): each `TH` gets the scope its HTML cell
   states (`scope="col"`, `"row"`…), and the structure tree root an /IDTree for the cells' IDs
   that /Headers refer to.

And two things of the file itself: the XMP metadata is left uncompressed, as PDF/A readers
expect, and each attached file is listed once in the catalog's /AF (WeasyPrint lists it twice).

To join the pieces, the repair must know which structure elements WeasyPrint made from the same
HTML element: `recording()` wraps WeasyPrint's tree builder (`_build_box_tree`, the function its
`add_tags` calls for every box) and remembers the box behind each element it creates, by object
number. That is a private function of WeasyPrint: pyproject pins WeasyPrint below 71, and the
tests (tests/documents/test_tagged_pdf.py) fail if the wrapper no longer sees any element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name
from weasyprint.pdf import tags as weasyprint_tags

# Object number of each structure element → the box WeasyPrint made it from.
Boxes = dict[int, Any]

_recorded: ContextVar[Boxes | None] = ContextVar("recorded_boxes", default=None)
_build_box_tree = weasyprint_tags._build_box_tree


def _build_box_tree_recorded(box: Any, parent: Any, pdf: Any, *args: Any) -> Iterator[Any]:
    """WeasyPrint's own builder, remembering the box behind each element it yields."""
    boxes = _recorded.get()
    origin = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
    for element in _build_box_tree(box, parent, pdf, *args):
        if boxes is not None:
            boxes.setdefault(element.number, origin)
        yield element


# add_tags calls the builder by its module-level name, and so does the builder for each child box.
weasyprint_tags._build_box_tree = _build_box_tree_recorded


@contextmanager
def recording() -> Iterator[Boxes]:
    boxes: Boxes = {}
    token = _recorded.set(boxes)
    try:
        yield boxes
    finally:
        _recorded.reset(token)


# --- the repair --------------------------------------------------------------------------------

_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def _is_element(value: Any) -> bool:
    return isinstance(value, Dictionary) and value.get("/Type") == "/StructElem"


def _kids(element: Dictionary) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _page_of(element: Dictionary) -> tuple[int, int] | None:
    page = element.get("/Pg")
    return page.objgen if page is not None else None


def _walk(element: Dictionary) -> Iterator[Dictionary]:
    yield element
    for kid in _kids(element):
        if _is_element(kid):
            yield from _walk(kid)


# How pydyf writes WeasyPrint's marked content: `/Span <</MCID 12>> BDC`. Text is written as
# hex strings, so this cannot match inside text.
_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _as_artifacts(page: pikepdf.Page, mcids: set[int]) -> bytes:
    """The page's content with these marked-content sequences rewritten as artifacts. A regular
    expression over the decoded stream does it in milliseconds; if it does not find each
    sequence exactly once, pikepdf's content-stream parser does it (slower, exact)."""
    data = page.Contents.read_bytes() if isinstance(page.Contents, pikepdf.Stream) else None
    if data is not None:
        found: list[int] = []

        def replace(match: re.Match[bytes]) -> bytes:
            if int(match.group(1)) in mcids:
                found.append(int(match.group(1)))
                return _ARTIFACT
            return match.group(0)

        rewritten = _MARKED.sub(replace, data)
        if sorted(found) == sorted(mcids):
            return rewritten
    instructions: list[Any] = []
    for instruction in pikepdf.parse_content_stream(page):
        if (
            isinstance(instruction, pikepdf.ContentStreamInstruction)
            and str(instruction.operator) == "BDC"
            and len(instruction.operands) == 2
            and isinstance(instruction.operands[1], Dictionary)
            and int(instruction.operands[1].get("/MCID", -1)) in mcids
        ):
            instruction = pikepdf.ContentStreamInstruction(
                [Name.Artifact, Dictionary(Type=Name.Pagination)], instruction.operator
            )
        instructions.append(instruction)
    return pikepdf.unparse_content_stream(instructions)


class _Repair:
    def __init__(self, pdf: pikepdf.Pdf, boxes: Boxes) -> None:
        self.pdf = pdf
        self.boxes = boxes
        self.page_numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}

    def _box(self, element: Dictionary) -> Any:
        return self.boxes.get(element.objgen[0])

    def _continues(self, before: Any, after: Any) -> bool:
        """`after` is the piece, on a later page, of the HTML element `before` began."""
        if not (_is_element(before) and _is_element(after)) or before.S != after.S:
            return False
        first, then = self._box(before), self._box(after)
        if first is None or then is None or first.element is None:
            return False
        return bool(
            first.element is then.element
            and first.element_tag == then.element_tag
            and type(first) is type(then)
            and _page_of(before) != _page_of(after)
        )

    def join(self, element: Dictionary) -> None:
        """Join the continued pieces among this element's children, then within each child."""
        joined: list[Any] = []
        for kid in _kids(element):
            if joined and self._continues(joined[-1], kid):
                self._absorb(joined[-1], kid)
            else:
                joined.append(kid)
        if "/K" in element:
            element.K = Array(joined)
        for kid in joined:
            if _is_element(kid):
                self.join(kid)

    def _absorb(self, first: Dictionary, piece: Dictionary) -> None:
        """Move the children of `piece` into `first`; `piece` leaves the tree."""
        kids = _kids(piece)
        if first.S == "/Table":
            kids = self._without_repeated_header(first, kids)
        # A bare marked-content ID belongs to its element's page: once the element spans pages,
        # each says its page (a marked-content reference).
        merged = [self._reference(kid, first) for kid in _kids(first)]
        for kid in kids:
            if _is_element(kid):
                kid.P = first
            else:
                kid = self._reference(kid, piece)
                self._reparent_mcid(int(kid.MCID), kid.Pg, first)
            merged.append(kid)
        first.K = Array(merged)

    @staticmethod
    def _reference(kid: Any, owner: Dictionary) -> Any:
        if isinstance(kid, int):
            return Dictionary(Type=Name.MCR, Pg=owner.Pg, MCID=kid)
        return kid

    def _reparent_mcid(self, mcid: int, page: Any, first: Dictionary) -> None:
        """A marked-content ID that pointed (in the parent tree) at a piece points at `first`."""
        number = self.page_numbers.get(page.objgen)
        if number is None:
            return
        parents = self._page_parents(number)
        if parents is not None and mcid < len(parents):
            parents[mcid] = first

    def _page_parents(self, number: int) -> Array | None:
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        for index in range(0, len(nums), 2):
            if int(nums[index]) == number:
                parents = nums[index + 1]
                return parents if isinstance(parents, Array) else None
        return None

    def _without_repeated_header(self, first: Dictionary, kids: list[Any]) -> list[Any]:
        """A continued table's header row is the first piece's, repeated on a new page: it
        leaves the tree (its content becomes an artifact below), and the data cells that named
        its cells as their headers name the first piece's."""
        heads = [k for k in _kids(first) if _is_element(k) and k.S == "/THead"]
        repeated = [k for k in kids if _is_element(k) and k.S == "/THead"]
        if not heads or not repeated:
            return kids
        originals = [e for e in _walk(heads[0]) if e.S == "/TH"]
        copies = [e for e in _walk(repeated[0]) if e.S == "/TH"]
        renamed = {
            str(copy.ID): original.ID
            for copy, original in zip(copies, originals, strict=False)
            if "/ID" in copy and "/ID" in original
        }
        for kid in kids:
            if not _is_element(kid) or kid.objgen == repeated[0].objgen:
                continue
            for cell in _walk(kid):
                attributes = cell.get("/A")
                if isinstance(attributes, Dictionary) and "/Headers" in attributes:
                    attributes.Headers = Array([renamed.get(str(h), h) for h in attributes.Headers])
        return [k for k in kids if not (_is_element(k) and k.objgen == repeated[0].objgen)]

    def scopes_and_ids(self, document: Dictionary) -> None:
        ids: dict[str, Any] = {}
        for element in _walk(document):
            if element.S != "/TH":
                continue
            box = self._box(element)
            stated = (
                box.element.get("scope") if box is not None and box.element is not None else None
            )
            parent = element.get("/P")
            in_head = parent is not None and parent.get("/P") is not None and parent.P.S == "/THead"
            scope = _SCOPES.get(stated or "", "/Column" if in_head else "/Row")
            attributes = element.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = Dictionary(O=Name.Table)
                element.A = attributes
            attributes.Scope = Name(scope)
            if "/ID" in element:
                ids[str(element.ID)] = element
        if ids:
            names = Array()
            for key in sorted(ids, key=lambda text: text.encode()):
                names.extend([pikepdf.String(key), ids[key]])
            self.pdf.Root.StructTreeRoot.IDTree = Dictionary(Names=names)

    def artifacts(self, document: Dictionary) -> int:
        """Content that the tree does not reach (the margin boxes, the repeated header rows)
        becomes a pagination artifact; returns how many marked sequences were rewritten."""
        reachable = {element.objgen for element in _walk(document)}
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        orphans: dict[int, set[int]] = {}
        for index in range(0, len(nums), 2):
            number, parents = int(nums[index]), nums[index + 1]
            if not isinstance(parents, Array) or number >= len(self.pdf.pages):
                continue
            for mcid, parent in enumerate(parents):
                if isinstance(parent, Dictionary) and parent.objgen not in reachable:
                    orphans.setdefault(number, set()).add(mcid)
                    parents[mcid] = None
        for number, mcids in orphans.items():
            page = self.pdf.pages[number]
            page.Contents = self.pdf.make_stream(_as_artifacts(page, mcids))
        return sum(len(mcids) for mcids in orphans.values())

    def unique_associated_files(self) -> None:
        """WeasyPrint 70 lists each attached file twice in the catalog's /AF (once from the
        embedded-files name tree, once from the file specifications): once each is enough."""
        listed = self.pdf.Root.get("/AF")
        if not isinstance(listed, Array):
            return
        seen: set[tuple[int, int]] = set()
        unique = Array()
        for spec in listed:
            if spec.objgen not in seen:
                seen.add(spec.objgen)
                unique.append(spec)
        self.pdf.Root.AF = unique

    def uncompressed_metadata(self) -> None:
        metadata = self.pdf.Root.get("/Metadata")
        if metadata is None:
            return
        stream = self.pdf.make_stream(metadata.read_bytes())
        stream.Type, stream.Subtype = Name.Metadata, Name.XML
        self.pdf.Root.Metadata = stream


def repair(pdf_bytes: bytes, boxes: Boxes) -> bytes:
    """The tagged PDF WeasyPrint wrote, its structure tree repaired (see the module's doc)."""
    if not boxes:
        raise RuntimeError(
            "No structure element was recorded: has WeasyPrint's tagging changed? "
            "See documents.tagging."
        )
    with pikepdf.open(BytesIO(pdf_bytes)) as pdf:
        repair = _Repair(pdf, boxes)
        document = pdf.Root.StructTreeRoot.K[0]
        if not (isinstance(document, Dictionary) and _is_element(document)):
            raise RuntimeError("The structure tree has no Document element.")
        repair.join(document)
        repair.scopes_and_ids(document)
        repair.artifacts(document)
        repair.unique_associated_files()
        repair.uncompressed_metadata()
        out = BytesIO()
        # qpdf's writer leaves the XMP and the version (1.7) as they are, and derives the file
        # identifier from the content: the same content gives the same file.
        pdf.save(
            out,
            fix_metadata_version=False,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()
