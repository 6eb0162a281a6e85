"""What a document is made from, and how it is built from it.

`content_key` is the document's identity: the SHA-256 of everything that can change what it shows
(the request's content, the signatures given to the current version, the annex tables, the stamp,
and the version of the print templates and the code that lays them out). It is computed from the
database alone, cheaply, when a document is asked for; the worker computes it again before
rendering, so it never files a PDF of content other than the content that was asked for.

`build` makes the PDF: a tagged pack (public, signed, Part 2) as one document rendered in one pass;
the approvers' preview from its parts (rendered or reused from the cache), assembled and stamped.
Either way with the tables attached as CSV.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from decisions.models import Decision
from decisions.signatures import canonical_content, current_signatures, sha256_hex
from documents import html, parts, seal
from documents.attachments import Attachment, table_attachments
from documents.formats import ENGINE
from documents.recipes import recipe

_CODE = Path(__file__).resolve().parent
_LAYOUT_FILES = (
    "html.py",
    "charts.py",
    "packs.py",
    "parts.py",
    "engine.py",
    "content.py",
    "attachments.py",
    "formats.py",
    "recipes.py",
    "seal.py",
    "tagging.py",
)


@lru_cache(maxsize=1)
def layout_version() -> str:
    """The hash of the print templates and of the code that lays documents out: changing either
    makes every document new, so none is served in a stale layout."""
    digest = hashlib.sha256(ENGINE.encode())
    templates = _CODE / "templates" / "pdf"
    files = sorted(templates.rglob("*")) + [_CODE / name for name in _LAYOUT_FILES]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp_for(decision: Decision, kind: str) -> html.Stamp:
    made = recipe(kind)
    return html.Stamp(reference=decision.reference, label=made.label, note=made.note(decision))


def manifest(decision: Decision, kind: str) -> dict[str, Any]:
    """Everything the document shows, as data: the request's signed content (Part 2 only in
    Part 2's own document), the signatures it prints, the numbers of its annexes and tables, the
    page stamp and the layout."""
    made = recipe(kind)
    content = canonical_content(decision)
    stamp = stamp_for(decision, kind)
    data: dict[str, Any] = {
        "kind": kind,
        "layout": layout_version(),
        "stamp": [stamp.reference, stamp.label, stamp.note],
    }
    if made.confidential:
        data["part_two"] = content["part_two"]
        data["title"] = content["title"]
        return data
    content.pop("part_two")
    # The signed content holds the annexes' tables in order; the PDF also prints their numbers
    # ("Annex 1", the file names of the attached tables), which it does not hold.
    data["content"] = content
    data["numbering"] = [
        [annex.position, list(annex.tables.order_by("position").values_list("position", flat=True))]
        for annex in html.annexes_of(decision)
    ]
    if made.signed:
        signatures = sorted(current_signatures(decision).values(), key=lambda s: s.pk)
        data["signatures"] = [s.record_hash for s in signatures]
    return data


def content_key(decision: Decision, kind: str) -> str:
    return sha256_hex(manifest(decision, kind))


def seal_statement(decision: Decision, kind: str) -> dict[str, Any]:
    """What the seal of a signed document says it is (documents.seal): the decision as signed
    (the DMPC's signature's content hash and the signed title), who signed when, and when it was
    published."""
    signatures = sorted(current_signatures(decision).values(), key=lambda s: s.pk)
    signed = next((s for s in signatures if s.kind == "dmpc_decision"), None)
    return {
        "reference": decision.reference,
        "address": f"/decisions/{decision.slug}/",
        "title": signed.version.content.get("title") if signed else decision.title,
        "kind": kind,
        "content_hash": signed.content_hash if signed else None,
        "signed_off": signed.signed_at.isoformat() if signed else None,
        "published": decision.published_at.isoformat() if decision.published_at else None,
        "signatures": [
            {
                "kind": s.kind,
                "signer": s.signer_name,
                "role": s.signer_role,
                "signed_at": s.signed_at.isoformat(),
                "record_hash": s.record_hash,
            }
            for s in signatures
        ],
    }


# --- building ----------------------------------------------------------------------------------


def part_specs(decision: Decision, kind: str) -> list[parts.PartSpec]:
    return [
        parts.PartSpec(body.name, html.part_html(body)) for body in html.pack_bodies(decision, kind)
    ]


@dataclass
class Built:
    pdf: bytes
    pages: int
    parts_rendered: int
    parts_reused: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def build(decision: Decision, kind: str, *, created: datetime.datetime, identifier: str) -> Built:
    """The document's PDF: a tagged pack rendered in one pass, or (the preview) its parts from
    the cache or rendered now, assembled and stamped; a signed document sealed (documents.seal)."""
    made = recipe(kind)
    title = f"{decision.reference}: {decision.title}"
    if made.confidential:
        title += " – Part 2 (confidential)"
    stamp = stamp_for(decision, kind)
    files = (
        [replace(file, created=created) for file in table_attachments(decision)]
        if made.part_one
        else []
    )
    if made.tagged:
        built = _one_pass(decision, kind, stamp=stamp, title=title, created=created, files=files)
        if made.signed:
            room = seal.make_room(built.pdf)
            built.pdf = seal.seal(room, seal_statement(decision, kind))
        return built

    from documents import packs  # the renderer and pypdf: workers only

    results = parts.ensure_parts(part_specs(decision, kind))

    def page_stamp(sizes: html.PageSizes) -> bytes:
        # The stamp is cached like a part: the same pages and stamp (a paragraph edited, the
        # page count unchanged) reuse it.
        spec = parts.PartSpec("Page stamp", html.overlay_html(stamp, sizes))
        return parts.part_pdf(parts.ensure_parts([spec])[0].part)

    assembled = packs.assemble(
        [parts.part_pdf(result.part) for result in results],
        stamp=page_stamp,
        info=packs.PackInfo(
            title=title, created=created, identifier=identifier, sealed=made.signed
        ),
        attachments=files,
    )
    pdf = seal.seal(assembled.pdf, seal_statement(decision, kind)) if made.signed else assembled.pdf
    rendered = sum(1 for result in results if result.rendered)
    return Built(
        pdf=pdf,
        pages=assembled.pages,
        parts_rendered=rendered,
        parts_reused=len(results) - rendered,
    )


def _one_pass(
    decision: Decision,
    kind: str,
    *,
    stamp: html.Stamp,
    title: str,
    created: datetime.datetime,
    files: list[Attachment],
) -> Built:
    """The whole pack as one HTML document, rendered once as a tagged PDF/A-3a with its tables
    attached: a structure tree cannot be merged from cached parts. The running header and page
    numbers are @page margin boxes, marked as artifacts (documents.tagging)."""
    from documents import engine  # the renderer: workers only

    document = html.whole_pack_html(decision, kind, stamp, title=title, created=created)
    parts.pause_for_tests()
    rendered = engine.render_many([document], attachments=files, variant=engine.TAGGED)[0]
    return Built(pdf=rendered.pdf, pages=rendered.pages, parts_rendered=1, parts_reused=0)
