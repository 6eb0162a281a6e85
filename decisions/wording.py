"""How a recommendation's links to paragraphs read, by the wording a request was drafted under.

The wording is a property of the request, not only of the code: the rendered recommendation is part
of the canonical content its signatures hash, so a request signed under one wording must keep
rendering that way or its signatures would stop verifying. Requests keep the wording they started
with; a new wording is a new member here, never a change to an old one.
"""

from __future__ import annotations

import re
from itertools import pairwise

from django.db import models


class LinkWording(models.IntegerChoices):
    # Before December 2026: "Approve the budget; (paragraph 2.1)" — the reference after the
    # officer's closing punctuation. Requests submitted under it keep it.
    APPENDED = 1, "After the text: “Approve the budget. (paragraph 2.1)”"
    # "Approve the budget (see paragraph 2.1);" — before the closing punctuation, wherever the
    # recommendation ends.
    SEE = 2, "Before the closing punctuation: “Approve the budget (see paragraph 2.1);”"


NO_LINK = "(no paragraph linked)"
PLACEHOLDER = "{paragraphs}"

# The end of a recommendation the reference goes before: its closing punctuation, and the "and" or
# "or" that runs a list of recommendations on ("…; and").
_ENDING = re.compile(r"(?P<end>\s*(?:[.;:,]+(?:\s+(?:and|or))?|\s+(?:and|or))?\s*)\Z", re.I)
# Words after which the officer has written the reference into their sentence ("set out in
# {paragraphs}"), so the bare numbers read right; anywhere else the reference is an aside.
_LEADS_IN = frozenset(
    {"in", "at", "under", "by", "see", "to", "of", "within", "from", "per", "following"}
    | {"and", "or", "on", "with", "also"}
)


def link_text(numbers: list[str]) -> str:
    """ "paragraph 2.6", "paragraphs 2.6–2.7" for a run, "paragraphs 2.6, 2.8 and 3.1" otherwise."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    keys = [tuple(int(part) for part in n.split(".")) for n in numbers]
    consecutive = all(a[0] == b[0] and b[1] == a[1] + 1 for a, b in pairwise(keys))
    if consecutive:
        return f"paragraphs {numbers[0]}–{numbers[-1]}"
    return f"paragraphs {', '.join(numbers[:-1])} and {numbers[-1]}"


def render_recommendation(text: str, numbers: list[str], wording: int = LinkWording.SEE) -> str:
    """The recommendation as read: the officer's words with the linked paragraphs. The officer may
    place the reference with {paragraphs}; otherwise it goes at the end of the text."""
    if wording == LinkWording.APPENDED:
        return _appended(text, numbers)
    reference = link_text(numbers)
    if PLACEHOLDER in text:
        return _placed(text, reference)
    if not reference:
        return text
    ending = _ENDING.search(text)
    cut = ending.start() if ending else len(text)
    end = text[cut:].strip()
    if end[:1].isalpha():  # "… and": the word keeps its space; "." and "; and" sit against it
        end = f" {end}"
    return f"{text[:cut]} (see {reference}){end}"


def _placed(text: str, reference: str) -> str:
    """Each {paragraphs}: the bare numbers where the sentence leads into them ("set out in
    paragraph 2.1"), "(see paragraph 2.1)" where it stands apart ("Approve the budget
    {paragraphs};")."""
    pieces = text.split(PLACEHOLDER)
    out = [pieces[0]]
    for piece in pieces[1:]:
        before = out[-1].rstrip().rsplit(None, 1)
        leads_in = bool(before) and before[-1].lower() in _LEADS_IN
        if not reference:
            out.append(NO_LINK)
        elif leads_in:
            out.append(reference)
        else:
            out.append(f"(see {reference})")
        out.append(piece)
    return "".join(out)


def _appended(text: str, numbers: list[str]) -> str:
    """The first wording, exactly as it rendered when requests were signed under it."""
    reference = link_text(numbers)
    if PLACEHOLDER in text:
        return text.replace(PLACEHOLDER, reference or NO_LINK)
    if not reference:
        return text
    return f"{text.rstrip().rstrip('.')} ({reference})"
