"""Sub-lists inside a paragraph ((a), (b); i., ii.; 1., 2.) stay lists, numbered as written, in
the page and in the PDF's HTML."""

from __future__ import annotations

from django.template.loader import render_to_string

from decisions.document import Block, text_blocks

TEXT = (
    "The DMPC is asked to note that the fund will:\n"
    "(a) support borough priorities;\n"
    "(b) fund joint commissioning; and\n"
    "(c) report each quarter.\n"
    "Its conditions are:\n"
    "i. match funding;\n"
    "ii. a named lead.\n"
    "The steps:\n"
    "1. bids open;\n"
    "2. bids close."
)


def test_lettered_roman_and_numbered_lines_become_lists_numbered_as_written() -> None:
    blocks = text_blocks(TEXT)
    assert blocks == [
        Block("p", "The DMPC is asked to note that the fund will:"),
        Block(
            "ol",
            items=(
                "support borough priorities;",
                "fund joint commissioning; and",
                "report each quarter.",
            ),
            numbering="a",
        ),
        Block("p", "Its conditions are:"),
        Block("ol", items=("match funding;", "a named lead."), numbering="i"),
        Block("p", "The steps:"),
        Block("ol", items=("bids open;", "bids close."), numbering="1"),
    ]


def test_a_lettered_list_runs_past_h_to_i() -> None:
    letters = "\n".join(f"({c}) item {c}" for c in "abcdefghij")
    [block] = text_blocks(letters)
    assert block.numbering == "a" and len(block.items) == 10


def test_ordinary_sentences_stay_paragraphs() -> None:
    assert text_blocks("In 2017 the fund grew.\nA second line.") == [
        Block("p", "In 2017 the fund grew. A second line.")
    ]


def test_the_page_and_the_pdf_draw_the_lists() -> None:
    blocks = text_blocks(TEXT)
    page = render_to_string("decisions/_blocks.html", {"blocks": blocks})
    pdf = render_to_string("pdf/_blocks.html", {"blocks": blocks})
    assert '<ol class="govuk-list govuk-list--number app-list--alpha" type="a"><li>support' in page
    assert '<ol type="i"><li>match funding;</li>' in pdf
    assert "<li>bids close.</li></ol>" in pdf
