"""Form versions: governance makes a new version of the PCD form from the one in force (its
sections, declaration items, opening line and guidance), changes the copy while it is a draft,
and sets the date it comes into force. Requests already drafted keep the version they were
drafted on.

A version that any request uses, or that has come into force, is never changed
(decisions.selectors.form_version_refusal): a request's signatures cover what its form says. Each
write locks the version's row, checks that rule under the lock, and records what it changed
(decisions.FormChange, also a link of the audit chain) in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as date_format

from decisions import chain, permissions, selectors
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import DeclarationItem, FormChange, FormTemplate, TemplateSection
from decisions.roles import display_name
from decisions.text import is_blank
from decisions.types import User

# The fixed texts of a version governance may change, each named as the pages' messages name it
# ("Enter the opening line").
FORM_TEXTS: dict[str, str] = {
    "recommendations_intro": "opening line",
    "foia_statement": "Freedom of Information statement",
    "deferral_guidance": "guidance on deferring publication",
    "part_two_guidance": "guidance on Part 2",
    "officer_approval_declaration": "Chief Executive's approval statement",
    "dmpc_declaration": "DMPC's declaration",
    "dmpc_approval_statement": "DMPC's approval statement",
}

SECTION_TITLE_MAX = TemplateSection._meta.get_field("title").max_length or 200
ITEM_HEADING_MAX = DeclarationItem._meta.get_field("heading").max_length or 100


def text_max_length(field: str) -> int | None:
    found: int | None = getattr(FormTemplate._meta.get_field(field), "max_length", None)
    return found


def capitalised(name: str) -> str:
    return name[0].upper() + name[1:]


def text_label(field: str) -> str:
    """What a text is called on its own page and in the version's summary."""
    if field == "recommendations_intro":
        return "Opening line above the recommendations"
    return capitalised(FORM_TEXTS[field])


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


# --- the rule, the lock and the record ---------------------------------------------------------


def _lock(template: FormTemplate, user: User) -> FormTemplate:
    """The version's row, locked, once the person may change it and it may still be changed.
    The lock serialises two governance officers changing one version; the rule is checked under
    it, so a change never lands on a version that came into use meanwhile."""
    refusal = permissions.form_write_refusal(user)
    if refusal:
        raise ActionRefused(refusal)
    locked: FormTemplate = FormTemplate.objects.select_for_update().get(pk=template.pk)
    refusal = selectors.form_version_refusal(locked)
    if refusal:
        raise ActionRefused(refusal)
    return locked


def _record(template: FormTemplate, user: User, what: str) -> FormChange:
    change = FormChange.objects.create(
        template=template, actor=user, actor_name=display_name(user), what=what
    )
    chain.append_form_change(change)
    return change


def _required_text(value: str, name: str, max_length: int | None, *, article: str = "the") -> str:
    if is_blank(value):
        raise ActionRefused(f"Enter {article} {name}.")
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        raise ActionRefused(f"{capitalised(name)} must be {max_length:,} characters or fewer.")
    return value


# --- the version as a whole --------------------------------------------------------------------


@transaction.atomic
def form_template_new_version(
    *, template: FormTemplate, user: User, effective_from: datetime.date | None = None
) -> FormTemplate:
    """A copy of `template` as the next version of its form: a draft (no date) to be changed
    before governance sets the date it comes into force, unless `effective_from` is given."""
    refusal = permissions.form_write_refusal(user, new_version=True)
    if refusal:
        raise ActionRefused(refusal)
    # The form's versions locked, so two officers making a version at once get two numbers.
    versions = FormTemplate.objects.select_for_update().filter(name=template.name)
    latest = max(versions.values_list("version", flat=True), default=0)
    copy = FormTemplate.objects.create(
        name=template.name,
        version=latest + 1,
        effective_from=effective_from,
        foia_statement=template.foia_statement,
        deferral_guidance=template.deferral_guidance,
        part_two_guidance=template.part_two_guidance,
        officer_approval_declaration=template.officer_approval_declaration,
        dmpc_declaration=template.dmpc_declaration,
        dmpc_approval_statement=template.dmpc_approval_statement,
        recommendations_intro=template.recommendations_intro,
    )
    TemplateSection.objects.bulk_create(
        TemplateSection(
            template=copy,
            number=section.number,
            title=section.title,
            guidance=section.guidance,
            required=section.required,
        )
        for section in template.sections.order_by("number")
    )
    DeclarationItem.objects.bulk_create(
        DeclarationItem(template=copy, position=item.position, heading=item.heading, text=item.text)
        for item in template.declaration_items.order_by("position")
    )
    _record(copy, user, f"Version {copy.version} made from version {template.version}")
    return copy


@transaction.atomic
def form_template_update_text(
    *, template: FormTemplate, user: User, field: str, text: str
) -> FormTemplate:
    """Change one of the version's fixed texts: the opening line above the recommendations, or
    a statement or guidance text (FORM_TEXTS)."""
    if field not in FORM_TEXTS:
        raise ActionRefused("That is not one of the form's texts.")
    locked = _lock(template, user)
    name = FORM_TEXTS[field]
    value = _required_text(text, name, text_max_length(field))
    if getattr(locked, field) != value:
        setattr(locked, field, value)
        locked.save(update_fields=[field])
        _record(locked, user, f"{capitalised(name)} changed")
    return locked


@transaction.atomic
def form_template_set_effective_from(
    *, template: FormTemplate, user: User, effective_from: datetime.date
) -> FormTemplate:
    """The day the version comes into force: new requests are drafted on it from the start of
    that day (London). Always a day to come, so nobody starts a request on a version still being
    changed, and the version can be checked once more before it is in force."""
    locked = _lock(template, user)
    if effective_from <= london_today():
        raise ActionRefused("The date it comes into force must be in the future.")
    before = locked.effective_from
    if before != effective_from:
        locked.effective_from = effective_from
        locked.save(update_fields=["effective_from"])
        what = f"Comes into force on {_day(effective_from)}"
        if before is not None:
            what += f" (was {_day(before)})"
        _record(locked, user, what)
    return locked


@transaction.atomic
def form_template_discard(*, template: FormTemplate, user: User) -> FormTemplate:
    """Give up on a version before it comes into force: it is never used or changed again, and
    stays listed (its changes are part of the record). A scheduled version loses its date."""
    locked = _lock(template, user)
    locked.discarded_at = timezone.now()
    locked.effective_from = None
    locked.save(update_fields=["discarded_at", "effective_from"])
    _record(locked, user, f"Version {locked.version} discarded")
    return locked


# --- ordered parts: sections (numbered 1..n) and declaration items (positions 1..n) ------------

Part = TypeVar("Part", TemplateSection, DeclarationItem)


def _renumber(parts: Sequence[Part], field: str) -> None:
    # Numbers are unique per version; moving them out of the way first lets them be rewritten in
    # any order without tripping the constraint.
    if not parts:
        return
    model = type(parts[0])
    model.objects.filter(pk__in=[p.pk for p in parts]).update(**{field: F(field) + 10_000})
    for index, part in enumerate(parts, start=1):
        model.objects.filter(pk=part.pk).update(**{field: index})
        setattr(part, field, index)


def _moved(parts: list[Part], part: Part, to: int, what: str) -> list[Part]:
    """`parts` with `part` at place `to` (from 1)."""
    if not 1 <= to <= len(parts):
        raise ActionRefused(f"Choose a {what} from 1 to {len(parts)}.")
    order = [p for p in parts if p.pk != part.pk]
    order.insert(to - 1, part)
    return order


def _sections(template: FormTemplate) -> list[TemplateSection]:
    return list(TemplateSection.objects.filter(template=template).order_by("number"))


def _section_of(locked: FormTemplate, section: TemplateSection) -> TemplateSection:
    found = TemplateSection.objects.filter(pk=section.pk, template=locked).first()
    if found is None:
        raise ActionRefused("That section is not part of this version of the form.")
    return found


def _section_fields(title: str, guidance: str) -> tuple[str, str]:
    return _required_text(title, "section title", SECTION_TITLE_MAX, article="a"), guidance.strip()


@transaction.atomic
def template_section_add(
    *,
    template: FormTemplate,
    user: User,
    title: str,
    guidance: str = "",
    required: bool = False,
    before: TemplateSection | None = None,
) -> TemplateSection:
    """Add a section at the end, or before another; the sections after it are numbered on."""
    locked = _lock(template, user)
    title, guidance = _section_fields(title, guidance)
    existing = _sections(locked)
    place = len(existing) + 1
    if before is not None:
        place = _section_of(locked, before).number
    section = TemplateSection.objects.create(
        template=locked, number=20_000, title=title, guidance=guidance, required=required
    )
    _renumber(_moved([*existing, section], section, place, "section number"), "number")
    _record(locked, user, f"Section {section.number} “{title}” added")
    return section


@transaction.atomic
def template_section_update(
    *,
    section: TemplateSection,
    user: User,
    title: str,
    guidance: str,
    required: bool,
    number: int | None = None,
) -> TemplateSection:
    """Change a section's title, guidance and whether it must be written; `number` moves it."""
    locked = _lock(section.template, user)
    found = _section_of(locked, section)
    title, guidance = _section_fields(title, guidance)
    changed = (found.title, found.guidance, found.required) != (title, guidance, required)
    if changed:
        found.title, found.guidance, found.required = title, guidance, required
        found.save(update_fields=["title", "guidance", "required"])
        _record(locked, user, f"Section {found.number} “{title}” changed")
    if number is not None and number != found.number:
        _move_section(locked, user, found, number)
    return found


def _move_section(locked: FormTemplate, user: User, section: TemplateSection, to: int) -> None:
    was = section.number
    order = _moved(_sections(locked), section, to, "section number")
    _renumber(order, "number")
    _record(locked, user, f"Section “{section.title}” moved from {was} to {to}")


@transaction.atomic
def template_section_move(*, section: TemplateSection, user: User, number: int) -> TemplateSection:
    """Put a section at `number`; the others close up around it, still 1 to n."""
    locked = _lock(section.template, user)
    found = _section_of(locked, section)
    if number != found.number:
        _move_section(locked, user, found, number)
    return found


@transaction.atomic
def template_section_remove(*, section: TemplateSection, user: User) -> None:
    """Remove a section; those after it are numbered down, so the numbers stay 1 to n (the
    paragraphs of a request are numbered from their section's number)."""
    locked = _lock(section.template, user)
    found = _section_of(locked, section)
    remaining = [s for s in _sections(locked) if s.pk != found.pk]
    if not remaining:
        raise ActionRefused(
            "A version of the form must keep at least one section. Change this one instead."
        )
    found.delete()
    _renumber(remaining, "number")
    _record(locked, user, f"Section {found.number} “{found.title}” removed")


def _items(template: FormTemplate) -> list[DeclarationItem]:
    return list(DeclarationItem.objects.filter(template=template).order_by("position"))


def _item_of(locked: FormTemplate, item: DeclarationItem) -> DeclarationItem:
    found = DeclarationItem.objects.filter(pk=item.pk, template=locked).first()
    if found is None:
        raise ActionRefused("That declaration item is not part of this version of the form.")
    return found


def _item_fields(heading: str, text: str) -> tuple[str, str]:
    return (
        _required_text(heading, "heading", ITEM_HEADING_MAX, article="a"),
        _required_text(text, "statement the officer confirms", None),
    )


@transaction.atomic
def declaration_item_add(
    *,
    template: FormTemplate,
    user: User,
    heading: str,
    text: str,
    before: DeclarationItem | None = None,
) -> DeclarationItem:
    """Add a statement the officer confirms by ticking it, at the end or before another."""
    locked = _lock(template, user)
    heading, text = _item_fields(heading, text)
    existing = _items(locked)
    place = len(existing) + 1
    if before is not None:
        place = _item_of(locked, before).position
    item = DeclarationItem.objects.create(
        template=locked, position=20_000, heading=heading, text=text
    )
    _renumber(_moved([*existing, item], item, place, "position"), "position")
    _record(locked, user, f"Declaration item “{heading}” added")
    return item


@transaction.atomic
def declaration_item_update(
    *, item: DeclarationItem, user: User, heading: str, text: str, position: int | None = None
) -> DeclarationItem:
    locked = _lock(item.template, user)
    found = _item_of(locked, item)
    heading, text = _item_fields(heading, text)
    if (found.heading, found.text) != (heading, text):
        found.heading, found.text = heading, text
        found.save(update_fields=["heading", "text"])
        _record(locked, user, f"Declaration item “{heading}” changed")
    if position is not None and position != found.position:
        _move_item(locked, user, found, position)
    return found


def _move_item(locked: FormTemplate, user: User, item: DeclarationItem, to: int) -> None:
    was = item.position
    _renumber(_moved(_items(locked), item, to, "position"), "position")
    _record(locked, user, f"Declaration item “{item.heading}” moved from {was} to {to}")


@transaction.atomic
def declaration_item_move(*, item: DeclarationItem, user: User, position: int) -> DeclarationItem:
    locked = _lock(item.template, user)
    found = _item_of(locked, item)
    if position != found.position:
        _move_item(locked, user, found, position)
    return found


@transaction.atomic
def declaration_item_remove(*, item: DeclarationItem, user: User) -> None:
    locked = _lock(item.template, user)
    found = _item_of(locked, item)
    found.delete()
    _renumber([i for i in _items(locked) if i.pk != found.pk], "position")
    _record(locked, user, f"Declaration item “{found.heading}” removed")
