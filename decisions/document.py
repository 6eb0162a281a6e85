"""The request as a reader sees it: sections with their paragraph numbers, recommendations with
their links written out from the current numbering. Pages, the canonical content that signatures
hash and the frozen versions are all built from this one reading, so they cannot disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from decisions.models import Decision, Paragraph, Recommendation, extensions
from decisions.wording import render_recommendation


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "ul" or "ol"
    text: str = ""
    items: tuple[str, ...] = ()
    # An "ol"'s numbering as the officer wrote it: "a" for (a), (b); "i" for i., ii.; "1" for 1.
    # (the values of HTML's <ol type>).
    numbering: str = ""


# "(a) ", "a) ", "(iv) ", "iv. ", "1. ", "2) ": the officer's own sub-list markers.
_MARKER = re.compile(r"^\(?(?P<mark>[a-z]|[ivx]{1,5}|\d{1,2})[.)]\s+(?P<text>\S.*)$")
_ROMAN = re.compile(r"^[ivx]{1,5}$")


def _numbering(mark: str, current: str) -> str:
    if mark.isdigit():
        return "1"
    # "i", "v", "x" are letters too: within a lettered list (h) is followed by (i).
    if _ROMAN.match(mark) and current != "a" and (len(mark) > 1 or mark == "i"):
        return "i"
    return "a"


def text_blocks(text: str) -> list[Block]:
    """Plain text to paragraphs and lists: blank lines separate paragraphs, lines that start
    with "- " (or "• ") are bullet points, and lines that start with (a), i. or 1. are the items
    of a list numbered that way, kept as a list in the page and the PDF."""
    blocks: list[Block] = []
    lines: list[str] = []
    items: list[str] = []
    kind = ""  # of the list being read: "ul", or the numbering of an "ol"

    def flush_lines() -> None:
        if lines:
            blocks.append(Block("p", " ".join(lines)))
            lines.clear()

    def flush_items() -> None:
        nonlocal kind
        if items:
            if kind == "ul":
                blocks.append(Block("ul", items=tuple(items)))
            else:
                blocks.append(Block("ol", items=tuple(items), numbering=kind))
            items.clear()
        kind = ""

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        marker = _MARKER.match(line)
        if not line:
            flush_lines()
            flush_items()
        elif line.startswith(("- ", "• ", "* ")):
            flush_lines()
            if kind != "ul":
                flush_items()
                kind = "ul"
            items.append(line[2:].strip())
        elif marker:
            flush_lines()
            numbering = _numbering(marker["mark"], kind)
            if kind != numbering:
                flush_items()
                kind = numbering
            items.append(marker["text"].strip())
        else:
            flush_items()
            lines.append(line)
    flush_lines()
    flush_items()
    return blocks


@dataclass
class NumberedParagraph:
    id: int
    number: str
    heading: str
    text: str
    blocks: list[Block]


@dataclass
class DocSection:
    id: int
    number: int
    title: str
    required: bool = False  # written, or "No comments." said explicitly (Financial, Legal …)
    guidance: str = ""  # the form version's advice to the officer writing it
    paragraphs: list[NumberedParagraph] = field(default_factory=list)


@dataclass
class DocRecommendation:
    id: int
    number: int
    text: str
    links: list[str]
    rendered: str
    # The annex lines this recommendation asks the DMPC to approve (Scheme of Delegation); the
    # name is part of the signed content, so it stays.
    annex_rows: list[str] = field(default_factory=list)


def paragraph_numbers(decision: Decision) -> dict[int, str]:
    numbers: dict[int, str] = {}
    counters: dict[int, int] = {}
    for paragraph in decision.paragraphs.select_related("section").order_by(
        "section__number", "position"
    ):
        counters[paragraph.section.number] = counters.get(paragraph.section.number, 0) + 1
        numbers[paragraph.pk] = f"{paragraph.section.number}.{counters[paragraph.section.number]}"
    return numbers


def _sorted_numbers(paragraphs: list[Paragraph], numbers: dict[int, str]) -> list[str]:
    found = [numbers[p.pk] for p in paragraphs if p.pk in numbers]
    return sorted(found, key=lambda n: tuple(int(part) for part in n.split(".")))


def approved_lines(decision: Decision) -> dict[int, list[str]]:
    """The attached lines (finance: annex rows) each recommendation asks the DMPC to approve."""
    lines: dict[int, list[str]] = {}
    for extension in extensions():
        for recommendation, labels in extension.approved_lines(decision).items():
            lines.setdefault(recommendation, []).extend(labels)
    return lines


def recommendations(
    decision: Decision, numbers: dict[int, str] | None = None
) -> list[DocRecommendation]:
    numbers = paragraph_numbers(decision) if numbers is None else numbers
    result = []
    recs: list[Recommendation] = list(
        decision.recommendations.prefetch_related("paragraphs").order_by("position")
    )
    approvals = approved_lines(decision)
    for index, rec in enumerate(recs, start=1):
        linked = _sorted_numbers(list(rec.paragraphs.all()), numbers)
        result.append(
            DocRecommendation(
                id=rec.pk,
                number=index,
                text=rec.text,
                links=linked,
                rendered=render_recommendation(rec.text, linked, decision.link_wording),
                annex_rows=approvals.get(rec.pk, []),
            )
        )
    return result


def sections(decision: Decision) -> list[DocSection]:
    by_id: dict[int, DocSection] = {}
    ordered: list[DocSection] = []
    for section in decision.template.sections.order_by("number"):
        doc_section = DocSection(
            id=section.pk,
            number=section.number,
            title=section.title,
            required=section.required,
            guidance=section.guidance,
        )
        by_id[section.pk] = doc_section
        ordered.append(doc_section)
    for paragraph in decision.paragraphs.order_by("section__number", "position"):
        doc_section = by_id[paragraph.section_id]
        number = f"{doc_section.number}.{len(doc_section.paragraphs) + 1}"
        doc_section.paragraphs.append(
            NumberedParagraph(
                id=paragraph.pk,
                number=number,
                heading=paragraph.heading,
                text=paragraph.text,
                blocks=text_blocks(paragraph.text),
            )
        )
    return ordered


@dataclass
class Document:
    decision: Decision
    summary_blocks: list[Block]
    recommendations: list[DocRecommendation]
    sections: list[DocSection]
    declarations: list[dict[str, Any]]


def build_document(decision: Decision) -> Document:
    doc_sections = sections(decision)
    numbers = {p.id: p.number for s in doc_sections for p in s.paragraphs}
    ticked = set(decision.declarations.values_list("item_id", flat=True))
    declarations = [
        {"id": item.pk, "heading": item.heading, "text": item.text, "ticked": item.pk in ticked}
        for item in decision.template.declaration_items.order_by("position")
    ]
    return Document(
        decision=decision,
        summary_blocks=text_blocks(decision.executive_summary),
        recommendations=recommendations(decision, numbers),
        sections=doc_sections,
        declarations=declarations,
    )


def document_from_content(decision: Decision, content: dict[str, Any]) -> Document:
    """The reader's view of a frozen version (decisions.signatures.canonical_content), not of the
    live rows: what public pages and PDFs show (decisions.published)."""
    doc_sections = [
        DocSection(
            id=0,
            number=s["number"],
            title=s["title"],
            paragraphs=[
                NumberedParagraph(
                    id=0,
                    number=p["number"],
                    heading=p["heading"],
                    text=p["text"],
                    blocks=text_blocks(p["text"]),
                )
                for p in s["paragraphs"]
            ],
        )
        for s in content.get("part_one", [])
    ]
    return Document(
        decision=decision,
        summary_blocks=text_blocks(content.get("executive_summary", "")),
        recommendations=[
            DocRecommendation(
                id=0,
                number=r["number"],
                text=r["text"],
                links=list(r["links"]),
                rendered=r["rendered"],
                annex_rows=list(r.get("annex_rows", [])),
            )
            for r in content.get("recommendations", [])
        ],
        sections=doc_sections,
        declarations=[{"id": 0, **d} for d in content.get("officer_declaration", [])],
    )
