"""Writing a request: creating it, its title and summary, Part I's paragraphs, the
recommendations, the public-access answers, Part 2 and the officer's declaration.

Every function takes the request's row lock and checks, under it, that the person may change the
request now (decisions.services.locking); a refused write raises ActionRefused and changes
nothing.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import F

from decisions import permissions, selectors
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import (
    NO_COMMENTS,
    Decision,
    DeclarationItem,
    FormTemplate,
    OfficerDeclaration,
    Paragraph,
    PartTwo,
    Recommendation,
    TemplateSection,
    extensions,
)
from decisions.services.locking import lock_for_edit, touch
from decisions.text import is_blank
from decisions.types import User


def current_template() -> FormTemplate:
    template = selectors.form_version_in_force()
    if template is None:
        raise ActionRefused("No form template is in force; a governance officer must add one.")
    return template


def decision_create(*, user: User, title: str) -> Decision:
    if not permissions.can_create_decision(user):
        raise ActionRefused("Only originating officers can draft requests.")
    if is_blank(title):
        raise ActionRefused("Enter a title.")
    title = title.strip()
    decision: Decision = Decision.objects.create(
        template=current_template(), title=title, author=user
    )
    return decision


@transaction.atomic
def decision_delete_draft(*, decision: Decision, user: User) -> None:
    """The officer drops a draft that was never submitted, for good: nothing of it was ever
    sent, signed or numbered. A request once submitted keeps its record; it can be withdrawn."""
    locked = lock_for_edit(decision, user)
    if locked.reference_number is not None or locked.versions.exists():
        raise ActionRefused(
            "This request has been submitted before, so its record is kept. Withdraw it instead."
        )
    locked.delete()


@transaction.atomic
def decision_update_summary(
    *, decision: Decision, user: User, title: str, executive_summary: str
) -> Decision:
    locked = lock_for_edit(decision, user)
    if is_blank(title):
        raise ActionRefused("Enter a title.")
    locked.title = title.strip()
    locked.executive_summary = executive_summary.strip()
    locked.save(update_fields=["title", "executive_summary"])
    touch(locked)
    return locked


@transaction.atomic
def decision_update_public_access(
    *,
    decision: Decision,
    user: User,
    publication_deferred: bool,
    deferral_reason: str,
    deferred_until: datetime.date | None,
    has_part_two: bool,
) -> Decision:
    locked = lock_for_edit(decision, user)
    problems = []
    if publication_deferred:
        if is_blank(deferral_reason):
            problems.append("Give the reason for deferring publication.")
        if deferred_until is None:
            problems.append("Give the date until which publication is deferred.")
        elif deferred_until <= london_today():
            problems.append("The deferral date must be in the future.")
    if problems:
        raise ActionRefused(*problems)
    locked.publication_deferred = publication_deferred
    locked.deferral_reason = deferral_reason.strip() if publication_deferred else ""
    locked.deferred_until = deferred_until if publication_deferred else None
    locked.has_part_two = has_part_two
    locked.save(
        update_fields=["publication_deferred", "deferral_reason", "deferred_until", "has_part_two"]
    )
    touch(locked)
    return locked


@transaction.atomic
def part_two_update(
    *, decision: Decision, user: User, facts_and_advice: str, exemption_rationale: str
) -> PartTwo:
    locked = lock_for_edit(decision, user)
    part_two, _ = PartTwo.objects.update_or_create(
        decision=locked,
        defaults={
            "facts_and_advice": facts_and_advice.strip(),
            "exemption_rationale": exemption_rationale.strip(),
        },
    )
    if not locked.has_part_two:
        locked.has_part_two = True
        locked.save(update_fields=["has_part_two"])
    touch(locked)
    return part_two


@transaction.atomic
def declaration_update(*, decision: Decision, user: User, item_ids: Iterable[int]) -> None:
    locked = lock_for_edit(decision, user)
    wanted = set(item_ids)
    items = {item.pk: item for item in DeclarationItem.objects.filter(template=locked.template)}
    unknown = wanted - items.keys()
    if unknown:
        raise ActionRefused("That declaration item is not part of this request's form.")
    OfficerDeclaration.objects.filter(decision=locked).exclude(item_id__in=wanted).delete()
    have = set(OfficerDeclaration.objects.filter(decision=locked).values_list("item_id", flat=True))
    for item_id in sorted(wanted - have):
        OfficerDeclaration.objects.create(decision=locked, item=items[item_id], confirmed_by=user)
    touch(locked)


# --- Part I ----------------------------------------------------------------------------------


def _renumber(section_paragraphs: list[Paragraph]) -> None:
    # Positions are unique per section; moving them out of the way first lets them be
    # rewritten in any order without tripping the constraint.
    ids = [p.pk for p in section_paragraphs]
    Paragraph.objects.filter(pk__in=ids).update(position=F("position") + 100_000)
    for index, paragraph in enumerate(section_paragraphs, start=1):
        Paragraph.objects.filter(pk=paragraph.pk).update(position=index)
        paragraph.position = index


def _section_paragraphs(decision: Decision, section: TemplateSection) -> list[Paragraph]:
    return list(Paragraph.objects.filter(decision=decision, section=section).order_by("position"))


@transaction.atomic
def paragraph_add(
    *,
    decision: Decision,
    user: User,
    section: TemplateSection,
    text: str,
    heading: str = "",
    before: Paragraph | None = None,
) -> Paragraph:
    """Add a paragraph at the end of a section, or before another one; the paragraphs after it
    renumber, and so do the recommendations that link to them."""
    locked = lock_for_edit(decision, user)
    if section.template_id != locked.template_id:
        raise ActionRefused("That section is not part of this request's form.")
    if is_blank(text):
        raise ActionRefused("Enter the text of the paragraph.")
    existing = _section_paragraphs(locked, section)
    if before is not None and before.pk not in {p.pk for p in existing}:
        raise ActionRefused("The paragraph to insert before is not in this section.")
    paragraph = Paragraph.objects.create(
        decision=locked,
        section=section,
        position=len(existing) + 100_001,
        heading=heading.strip(),
        text=text.strip(),
    )
    order = list(existing)
    index = next((i for i, p in enumerate(order) if before and p.pk == before.pk), len(order))
    order.insert(index, paragraph)
    _renumber(order)
    touch(locked)
    return paragraph


@transaction.atomic
def section_no_comments(*, decision: Decision, user: User, section: TemplateSection) -> Paragraph:
    """The officer says explicitly that a required section (Financial, Legal or Equality
    comments) has nothing to say: its one paragraph reads "No comments.", signed and published
    like any other, so nobody can mistake it for a section left unwritten."""
    locked = lock_for_edit(decision, user)
    if section.template_id != locked.template_id:
        raise ActionRefused("That section is not part of this request's form.")
    if _section_paragraphs(locked, section):
        raise ActionRefused(
            f"The {section.title.lower()} already has paragraphs: delete them first to choose "
            "“No comments”."
        )
    paragraph = Paragraph.objects.create(
        decision=locked, section=section, position=1, text=NO_COMMENTS
    )
    touch(locked)
    return paragraph


def split_section_text(text: str) -> list[tuple[str, str]]:
    """A section written as one text, as (heading, text) paragraphs: blank lines separate
    paragraphs (a list stays in its paragraph while its lines follow each other), and a line
    "## Heading" gives the next paragraph its sub-heading."""
    paragraphs: list[tuple[str, str]] = []
    heading = ""
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in chunk.strip().split("\n")]
        if lines and lines[0].startswith("## "):
            heading = lines.pop(0)[3:].strip()
        body = "\n".join(lines).strip()
        if body:
            paragraphs.append((heading, body))
            heading = ""
    return paragraphs


def section_text(paragraphs: Iterable[Paragraph]) -> str:
    """The section's paragraphs as the one text `section_replace_text` reads back."""
    return "\n\n".join((f"## {p.heading}\n" if p.heading else "") + p.text for p in paragraphs)


@transaction.atomic
def section_replace_text(
    *, decision: Decision, user: User, section: TemplateSection, text: str
) -> list[Paragraph]:
    """Write a whole section at once. Paragraphs left as they were keep their identity (and the
    recommendations that cite them); an edited paragraph is changed in place; new ones are
    added and removed ones deleted; numbers follow the new order."""
    locked = lock_for_edit(decision, user)
    if section.template_id != locked.template_id:
        raise ActionRefused("That section is not part of this request's form.")
    wanted = split_section_text(text)
    existing = _section_paragraphs(locked, section)
    matcher = difflib.SequenceMatcher(
        None, [(p.heading, p.text) for p in existing], wanted, autojunk=False
    )
    order: list[Paragraph] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        olds, news = existing[a1:a2], wanted[b1:b2]
        if op == "equal":
            order.extend(olds)
            continue
        for index, (heading, body) in enumerate(news):
            if index < len(olds):  # edited in place: it keeps its links
                paragraph = olds[index]
                paragraph.heading, paragraph.text = heading, body
                paragraph.save(update_fields=["heading", "text"])
            else:
                paragraph = Paragraph.objects.create(
                    decision=locked,
                    section=section,
                    position=200_000 + b1 + index,
                    heading=heading,
                    text=body,
                )
            order.append(paragraph)
        for paragraph in olds[len(news) :]:
            paragraph.delete()
    _renumber(order)
    touch(locked)
    return order


@transaction.atomic
def paragraph_update(
    *, paragraph: Paragraph, user: User, text: str, heading: str = ""
) -> Paragraph:
    lock_for_edit(paragraph.decision, user)
    if is_blank(text):
        raise ActionRefused("Enter the text of the paragraph.")
    paragraph.text = text.strip()
    paragraph.heading = heading.strip()
    paragraph.save(update_fields=["text", "heading"])
    touch(paragraph.decision)
    return paragraph


@transaction.atomic
def paragraph_delete(*, paragraph: Paragraph, user: User) -> None:
    locked = lock_for_edit(paragraph.decision, user)
    section = paragraph.section
    paragraph.delete()
    _renumber(_section_paragraphs(locked, section))
    touch(locked)


# --- recommendations -------------------------------------------------------------------------


def _linkable(decision: Decision, paragraphs: Iterable[Paragraph]) -> list[Paragraph]:
    chosen = list(paragraphs)
    if any(p.decision_id != decision.pk for p in chosen):
        raise ActionRefused("A recommendation can link only to paragraphs of its own request.")
    return chosen


def _link_approvals(recommendation: Recommendation, approves: Collection[int]) -> None:
    # The lines belong to what other apps attach (finance: annex rows); each extension links
    # its own and refuses a line that is not the request's.
    for extension in extensions():
        extension.link_approvals(recommendation, approves)


@transaction.atomic
def recommendation_add(
    *,
    decision: Decision,
    user: User,
    text: str,
    paragraphs: Iterable[Paragraph] = (),
    approves: Collection[int] = (),
) -> Recommendation:
    """A recommendation, linked to the paragraphs it cites and to the attached lines (annex rows,
    by primary key) it asks the DMPC to approve: the Scheme of Delegation requires every line
    that needs the DMPC's approval to be covered by one."""
    locked = lock_for_edit(decision, user)
    if is_blank(text):
        raise ActionRefused("Enter what the DMPC is asked to do.")
    chosen = _linkable(locked, paragraphs)
    last = locked.recommendations.order_by("-position").values_list("position", flat=True).first()
    recommendation = Recommendation.objects.create(
        decision=locked, position=(last or 0) + 1, text=text.strip()
    )
    recommendation.paragraphs.set(chosen)
    _link_approvals(recommendation, approves)
    touch(locked)
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    user: User,
    text: str,
    paragraphs: Iterable[Paragraph],
    approves: Collection[int] = (),
) -> Recommendation:
    locked = lock_for_edit(recommendation.decision, user)
    if is_blank(text):
        raise ActionRefused("Enter what the DMPC is asked to do.")
    chosen = _linkable(locked, paragraphs)
    recommendation.text = text.strip()
    recommendation.save(update_fields=["text"])
    recommendation.paragraphs.set(chosen)
    _link_approvals(recommendation, approves)
    touch(locked)
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, user: User) -> None:
    locked = lock_for_edit(recommendation.decision, user)
    recommendation.delete()
    remaining = list(locked.recommendations.order_by("position"))
    Recommendation.objects.filter(decision=locked).update(position=F("position") + 100_000)
    for index, rec in enumerate(remaining, start=1):
        Recommendation.objects.filter(pk=rec.pk).update(position=index)
    touch(locked)
