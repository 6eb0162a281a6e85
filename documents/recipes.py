"""What each kind of document is, once: when a request calls for it, what it is made of, the
label printed on its every page, and the note beside that label. The document's key (content),
its parts (content), its single-document HTML (html) and the list of what a request should have
(services) all read this table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from decisions.models import Decision
from decisions.states import SIGNED_OFF_STATES, Status
from documents.models import DocumentKind


def _date(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}" if moment else ""


def _submitted(decision: Decision) -> str:
    latest = decision.versions.order_by("-number").first()
    return f"Version {latest.number}, submitted {_date(latest.created_at)}" if latest else ""


@dataclass(frozen=True)
class Recipe:
    kind: DocumentKind
    label: str  # printed on every page, beside the reference
    wanted: Callable[[Decision], bool]  # whether the request, in its state, calls for it
    note: Callable[[Decision], str]  # printed under the label
    # Part 1 shows the signatures given to the current version (not on a preview, which the
    # approvers sign: approving it must not make it out of date).
    signed: bool = False
    # Ends with the record of the signatures and the hashes each covers.
    signature_record: bool = False
    # Part 2 alone: nothing of Part 1, no tables attached; readable only by Part 2's readers.
    confidential: bool = False
    # A tagged PDF (PDF/A-3a): rendered in one pass, since a structure tree cannot be merged from
    # cached parts. The approvers' preview is not: it is assembled from cached parts, for speed.
    tagged: bool = True

    @property
    def part_one(self) -> bool:
        """Part 1 and its annexes, their tables attached as CSV."""
        return not self.confidential


def _numbered(decision: Decision) -> bool:
    return decision.status != Status.DRAFT and decision.reference_number is not None


# In the order a request asks for them: the public pack before the signed pack, because the
# public is waiting for it and the signed pack that follows reuses its parts.
RECIPES: tuple[Recipe, ...] = (
    Recipe(
        DocumentKind.PREVIEW,
        "Preview for approvers – not a signed decision",
        wanted=lambda d: d.status in (Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF),
        note=_submitted,
        tagged=False,
    ),
    Recipe(
        DocumentKind.PUBLIC_PACK,
        "Published decision",
        wanted=lambda d: d.status == Status.PUBLISHED,
        note=lambda d: f"Published {_date(d.published_at)}" if d.published_at else "",
        signed=True,
    ),
    Recipe(
        DocumentKind.SIGNED_PACK,
        "Signed decision pack",
        wanted=lambda d: d.status in SIGNED_OFF_STATES,
        note=lambda d: f"Signed off {_date(d.signed_off_at)}" if d.signed_off_at else "",
        signed=True,
        signature_record=True,
    ),
    Recipe(
        DocumentKind.PART_TWO,
        "Part 2 – confidential – not for publication",
        wanted=lambda d: d.has_part_two and d.status not in (Status.WITHDRAWN, Status.REJECTED),
        note=lambda d: "Confidential: not for publication",
        confidential=True,
    ),
)
_BY_KIND = {recipe.kind.value: recipe for recipe in RECIPES}


def recipe(kind: str) -> Recipe:
    return _BY_KIND[kind]


def wanted_kinds(decision: Decision) -> list[str]:
    """The documents a request should have in its current state, in the order to ask for them."""
    if not _numbered(decision):
        return []
    return [recipe.kind.value for recipe in RECIPES if recipe.wanted(decision)]
