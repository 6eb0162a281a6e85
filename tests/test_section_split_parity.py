"""The paragraph numbers shown while a section is typed (assets/js/section-text.mjs) are the ones
the server gives when it is saved (decisions.services.drafting.split_section_text): the same
texts, split by both, give the same paragraphs, so the two cannot drift apart unseen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from decisions.services.drafting import split_section_text

MODULE = Path(__file__).resolve().parent.parent / "assets" / "js" / "section-text.mjs"

CASES: dict[str, str] = {
    "nothing": "",
    "only spaces and blank lines": " \n\n \t \n",
    "one paragraph": "One.",
    "two paragraphs": "One.\n\nTwo.",
    "one line break stays in the paragraph": "One.\nstill one.",
    "a line of spaces separates": "One.\n   \nTwo.",
    "a line of tabs and spaces separates": "One.\n\t \t\nTwo.",
    "several blank lines are one break": "One.\n\n\n\n\nTwo.",
    "Windows line ends": "One.\r\n\r\nTwo.\r\nstill two.",
    "blank lines before and after": "\n\n  \nOne.  \n\n  \n",
    "indented second paragraph": "One.\n\n    Two.",
    "trailing spaces on lines go": "One.   \nstill one.\t\n\nTwo.  ",
    "a lettered sub-list stays in its paragraph": "Reports:\n(a) spend;\n(b) outcomes.",
    "a numbered sub-list stays": "Steps:\n1. bid;\n2. assess;\n3. award.",
    "a roman sub-list stays": "Terms:\ni. one;\nii. two;\niii. three.",
    "bullets stay": "Boards:\n- Barnet\n- Camden\n• Ealing\n* Hackney",
    "a blank line inside a list splits it": "- first\n- second\n\n- third",
    "a sub-list after a blank line is a paragraph": "Intro.\n\n(a) alone;\n(b) together.",
    "a heading on the first line": "## Conditions\nEach borough reports.",
    "a heading alone gives the next paragraph its heading": "## Conditions\n\nEach borough.",
    "a heading alone at the end makes nothing": "One.\n\n## Nothing after",
    "two headings: the second wins": "## A\n\n## B\nText.",
    "heading text is trimmed": "##    Spaced   \nText.",
    "no space after the hashes: not a heading": "##Not a heading\nText.",
    "hashes and a space only: not a heading": "## \nText.",
    "a heading mid-paragraph is text": "Text.\n## Not a heading",
    "non-breaking space line separates": "One.\n\u00a0\nTwo.",
    "Python's control spaces separate": "One.\n\u001f\u001c\nTwo.",
    "next-line character separates": "One.\n\u0085\nTwo.",
    "line separator separates": "One.\n\u2028\nTwo.",
    "ideographic space separates": "One.\n\u3000\nTwo.",
    "byte-order mark does not separate": "One.\n\ufeff\nTwo.",
    "a zero-width space is a paragraph": "One.\n\n\u200b",
    "a lone carriage return is not a break": "One.\r\rTwo.",
    "unicode text": "Café £1m — “quoted”.\n\nŻółć 2.\n\n😀 three.",
}


def _javascript_splits() -> dict[str, list[list[str]]]:
    node = shutil.which("node")
    if node is None:
        reason = "needs Node.js (node) to run the JavaScript"
        if os.environ.get("PCD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}; PCD_REQUIRE_SERVICES=1 forbids skipping it", pytrace=False)
        pytest.skip(reason)
    script = (
        f"import {{ splitSectionText }} from {json.dumps(MODULE.as_uri())};\n"
        "let input = '';\n"
        "process.stdin.setEncoding('utf8');\n"
        "for await (const chunk of process.stdin) input += chunk;\n"
        "const cases = JSON.parse(input);\n"
        "const out = Object.fromEntries(\n"
        "  Object.entries(cases).map(([name, text]) => [name, splitSectionText(text)]));\n"
        "process.stdout.write(JSON.stringify(out));\n"
    )
    run = subprocess.run(  # noqa: S603 - node from PATH, with our own script
        [node, "--input-type=module", "--eval", script],
        input=json.dumps(CASES),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=True,
    )
    result: dict[str, list[list[str]]] = json.loads(run.stdout)
    return result


@pytest.fixture(scope="module")
def javascript() -> dict[str, list[list[str]]]:
    return _javascript_splits()


@pytest.mark.parametrize("name", CASES)
def test_the_page_numbers_paragraphs_as_the_server_splits_them(
    name: str, javascript: dict[str, list[list[str]]]
) -> None:
    server = [list(pair) for pair in split_section_text(CASES[name])]
    assert javascript[name] == server


def test_the_cases_cover_splitting_headings_and_lists() -> None:
    # The comparison means something only if the cases make different numbers of paragraphs,
    # headings included.
    counts = {len(split_section_text(text)) for text in CASES.values()}
    assert {0, 1, 2, 3} <= counts
    assert any(heading for text in CASES.values() for heading, _ in split_section_text(text))
