"""What a document is made from, and how it is built from it.

`content_key` is the document's identity: the SHA-256 of everything that can change what it shows
(the request's content, the signatures given to the current version, the annex tables, the stamp,
and the version of the print templates and the code that lays them out). It is computed from the
database alone, cheaply, when a document is asked for; the worker computes it again before
rendering, so it never files a PDF of content other than the content that was asked for.

`build` makes the PDF: the parts (rendered or reused from the cache), assembled and stamped, with
the tables attached as CSV.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from decisions.models import Decision
from decisions.signatures import canonical_content, sha256_hex
from finance.documents import html, parts
from finance.documents.attachments import table_attachments
from finance.documents.formats import ENGINE
from finance.models import Annex, DocumentKind

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
)


@lru_cache(maxsize=1)
def layout_version() -> str:
    """The hash of the print templates and of the code that lays documents out: changing either
    makes every document new, so none is served in a stale layout."""
    digest = hashlib.sha256(ENGINE.encode())
    templates = Path(settings.BASE_DIR) / "templates" / "pdf"
    files = sorted(templates.rglob("*")) + [_CODE / name for name in _LAYOUT_FILES]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _date(moment: Any) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}" if moment else ""


def stamp_for(decision: Decision, kind: str) -> html.Stamp:
    label = html.KIND_LABELS[DocumentKind(kind)]
    if kind == DocumentKind.PUBLIC_PACK:
        note = f"Published {_date(decision.published_at)}" if decision.published_at else ""
    elif kind == DocumentKind.SIGNED_PACK:
        note = f"Signed off {_date(decision.signed_off_at)}" if decision.signed_off_at else ""
    elif kind == DocumentKind.PREVIEW:
        latest = decision.versions.order_by("-number").first()
        note = f"Version {latest.number}, submitted {_date(latest.created_at)}" if latest else ""
    else:
        note = "Confidential: not for publication"
    return html.Stamp(reference=decision.reference, label=label, note=note)


def _annex_data(annex: Annex) -> dict[str, Any]:
    return {
        "position": annex.position,
        "title": annex.title,
        "reporting_period": annex.reporting_period,
        "unit": annex.unit,
        "tables": [
            {
                "position": table.position,
                "kind": table.kind,
                "title": table.title,
                "unit": table.unit,
                "columns": table.columns,
                "rows": [
                    [row.section, row.label, row.cells] for row in table.rows.order_by("position")
                ],
            }
            for table in annex.tables.order_by("position")
        ],
    }


def manifest(decision: Decision, kind: str) -> dict[str, Any]:
    content = canonical_content(decision)
    stamp = stamp_for(decision, kind)
    data: dict[str, Any] = {
        "kind": kind,
        "layout": layout_version(),
        "stamp": [stamp.reference, stamp.label, stamp.note],
    }
    if kind == DocumentKind.PART_TWO:
        data["part_two"] = content["part_two"]
        data["title"] = content["title"]
        return data
    content.pop("part_two")
    data["content"] = content
    if kind != DocumentKind.PREVIEW:
        signatures = sorted(html.current_signatures(decision).values(), key=lambda s: s.pk)
        data["signatures"] = [s.record_hash for s in signatures]
    data["annexes"] = [_annex_data(a) for a in html.annexes_of(decision)]
    return data


def content_key(decision: Decision, kind: str) -> str:
    return sha256_hex(manifest(decision, kind))


# --- building ----------------------------------------------------------------------------------


def part_specs(decision: Decision, kind: str) -> Iterator[parts.PartSpec]:
    if kind == DocumentKind.PART_TWO:
        yield parts.PartSpec("Part 2", html.part_two_html(decision))
        return
    signed = kind != DocumentKind.PREVIEW
    yield parts.PartSpec("Part 1", html.part_one_html(decision, signed=signed))
    for annex in html.annexes_of(decision):
        yield parts.PartSpec(f"Annex {annex.position}", html.annex_html(annex))
    if kind == DocumentKind.SIGNED_PACK:
        yield parts.PartSpec("Signature record", html.signature_record_html(decision))


@dataclass
class Built:
    pdf: bytes
    pages: int
    parts_rendered: int
    parts_reused: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def build(decision: Decision, kind: str, *, created: Any, identifier: str) -> Built:
    """The document's PDF: its parts from the cache or rendered now, assembled and stamped."""
    from finance.documents import packs  # the renderer and pypdf: workers only

    results = parts.ensure_parts(list(part_specs(decision, kind)))
    title = f"{decision.reference}: {decision.title}"
    if kind == DocumentKind.PART_TWO:
        title += " – Part 2 (confidential)"
    stamp = stamp_for(decision, kind)

    def page_stamp(sizes: html.PageSizes) -> bytes:
        # The stamp is cached like a part: the same pages and stamp (a paragraph edited, the
        # page count unchanged) reuse it.
        spec = parts.PartSpec("Page stamp", html.overlay_html(stamp, sizes))
        return parts.part_pdf(parts.ensure_parts([spec])[0].part)

    assembled = packs.assemble(
        [parts.part_pdf(result.part) for result in results],
        stamp=page_stamp,
        info=packs.PackInfo(title=title, created=created, identifier=identifier),
        attachments=[] if kind == DocumentKind.PART_TWO else table_attachments(decision),
    )
    rendered = sum(1 for result in results if result.rendered)
    return Built(
        pdf=assembled.pdf,
        pages=assembled.pages,
        parts_rendered=rendered,
        parts_reused=len(results) - rendered,
    )
