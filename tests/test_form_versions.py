"""The services that manage the versions of the form: only governance changes a version, and only
while no request uses it and it has not come into force; sections stay numbered 1 to n, and
declaration items 1 to n, whatever is added, removed or moved; every change is recorded and
chained; new requests take a new version once its day comes, while a request keeps its own."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import DatabaseError, transaction

from audit.chain import verify
from audit.models import Link
from decisions import services
from decisions.dates import LONDON, london_today
from decisions.errors import ActionRefused
from decisions.models import Decision, FormChange, FormTemplate
from decisions.selectors import (
    DRAFT,
    IN_FORCE,
    REPLACED,
    SCHEDULED,
    form_version_in_force,
    form_versions,
)
from tests.factories import make_complete_draft

pytestmark = pytest.mark.django_db

TOMORROW = datetime.timedelta(days=1)


def _in_force() -> FormTemplate:
    template = form_version_in_force()
    assert template is not None
    return template


@pytest.fixture
def draft(governance: Any) -> FormTemplate:
    """Version 2, a draft copied from version 1 (the version in force)."""
    return services.form_template_new_version(template=_in_force(), user=governance)


def _titles(template: FormTemplate) -> list[tuple[int, str]]:
    return list(template.sections.order_by("number").values_list("number", "title"))


def _headings(template: FormTemplate) -> list[tuple[int, str]]:
    return list(template.declaration_items.order_by("position").values_list("position", "heading"))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 1), tzinfo=LONDON)


# --- who, and which versions ---------------------------------------------------------------------


def test_an_officer_can_neither_make_nor_change_a_version(
    officer: Any, draft: FormTemplate
) -> None:
    section = draft.sections.get(number=1)
    item = draft.declaration_items.get(position=1)
    attempts = [
        lambda: services.form_template_new_version(template=draft, user=officer),
        lambda: services.form_template_update_text(
            template=draft, user=officer, field="recommendations_intro", text="Note:"
        ),
        lambda: services.form_template_set_effective_from(
            template=draft, user=officer, effective_from=london_today() + TOMORROW
        ),
        lambda: services.template_section_add(template=draft, user=officer, title="Commercial"),
        lambda: services.template_section_remove(section=section, user=officer),
        lambda: services.template_section_move(section=section, user=officer, number=2),
        lambda: services.declaration_item_add(
            template=draft, user=officer, heading="Data", text="A DPIA was done."
        ),
        lambda: services.declaration_item_remove(item=item, user=officer),
    ]
    for attempt in attempts:
        with pytest.raises(ActionRefused, match="Only governance officers"):
            attempt()
    assert _titles(draft)[0] == (1, "Introduction and background")
    assert draft.effective_from is None
    assert list(draft.changes.values_list("what", flat=True)) == ["Version 2 made from version 1"]


def test_a_version_in_force_cannot_be_changed_and_the_refusal_says_make_a_new_one(
    governance: Any,
) -> None:
    version_1 = _in_force()
    assert not Decision.objects.filter(template=version_1).exists()  # in force is enough
    with pytest.raises(ActionRefused) as refused:
        services.template_section_add(template=version_1, user=governance, title="Commercial")
    assert str(refused.value) == (
        "Version 1 has come into force, so it cannot be changed. Make a new version instead."
    )
    assert len(_titles(version_1)) == 6


def test_a_version_a_request_uses_cannot_be_changed_even_before_its_own_day(
    officer: Any, governance: Any, draft: FormTemplate
) -> None:
    day = london_today() + TOMORROW
    services.form_template_set_effective_from(template=draft, user=governance, effective_from=day)
    with time_machine.travel(_start_of(day), tick=False):
        used = services.decision_create(user=officer, title="Drafted on version 2")
    assert used.template == draft
    # Back to today: version 2 is not in force yet, but a request was drafted on it.
    section = draft.sections.get(number=6)
    with pytest.raises(ActionRefused) as refused:
        services.template_section_update(
            section=section, user=governance, title="Appendices", guidance="", required=False
        )
    assert "Version 2 is used by requests, so it cannot be changed" in str(refused.value)
    assert "Make a new version instead." in str(refused.value)
    assert draft.sections.get(number=6).title == "Background/supporting papers"


def test_the_date_it_comes_into_force_must_be_in_the_future(
    governance: Any, draft: FormTemplate
) -> None:
    for day in (london_today(), london_today() - TOMORROW):
        with pytest.raises(ActionRefused, match="must be in the future"):
            services.form_template_set_effective_from(
                template=draft, user=governance, effective_from=day
            )
    draft.refresh_from_db()
    assert draft.effective_from is None


def test_statuses_of_the_versions(governance: Any, draft: FormTemplate) -> None:
    version_3 = services.form_template_new_version(template=draft, user=governance)
    day = london_today() + TOMORROW
    services.form_template_set_effective_from(template=draft, user=governance, effective_from=day)
    assert [(row.template.version, row.status) for row in form_versions()] == [
        (3, DRAFT),
        (2, SCHEDULED),
        (1, IN_FORCE),
    ]
    with time_machine.travel(_start_of(day), tick=False):
        assert [row.status for row in form_versions()] == [DRAFT, IN_FORCE, REPLACED]
    assert version_3.effective_from is None


# --- numbering -----------------------------------------------------------------------------------


def test_sections_stay_numbered_1_to_n_through_adds_removes_and_moves(
    governance: Any, draft: FormTemplate
) -> None:
    services.template_section_add(
        template=draft,
        user=governance,
        title="Commercial issues",
        guidance="Procurement route and contract value.",
        before=draft.sections.get(number=3),
    )
    services.template_section_add(template=draft, user=governance, title="GDPR and data privacy")
    assert _titles(draft) == [
        (1, "Introduction and background"),
        (2, "Issues for consideration"),
        (3, "Commercial issues"),
        (4, "Financial comments"),
        (5, "Legal comments"),
        (6, "Equality comments"),
        (7, "Background/supporting papers"),
        (8, "GDPR and data privacy"),
    ]
    services.template_section_remove(section=draft.sections.get(number=2), user=governance)
    services.template_section_move(
        section=draft.sections.get(title="GDPR and data privacy"), user=governance, number=1
    )
    services.template_section_update(
        section=draft.sections.get(title="Equality comments"),
        user=governance,
        title="Equality comments",
        guidance="",
        required=True,
        number=7,
    )
    assert _titles(draft) == [
        (1, "GDPR and data privacy"),
        (2, "Introduction and background"),
        (3, "Commercial issues"),
        (4, "Financial comments"),
        (5, "Legal comments"),
        (6, "Background/supporting papers"),
        (7, "Equality comments"),
    ]
    assert list(draft.sections.filter(required=True).values_list("number", flat=True)) == [4, 5, 7]
    with pytest.raises(ActionRefused, match="Choose a section number from 1 to 7"):
        services.template_section_move(
            section=draft.sections.get(number=1), user=governance, number=8
        )


def test_a_version_keeps_at_least_one_section(governance: Any, draft: FormTemplate) -> None:
    for section in list(draft.sections.order_by("-number"))[:-1]:
        services.template_section_remove(section=section, user=governance)
    last = draft.sections.get()
    with pytest.raises(ActionRefused, match="must keep at least one section"):
        services.template_section_remove(section=last, user=governance)
    assert _titles(draft) == [(1, "Introduction and background")]


def test_declaration_items_stay_in_positions_1_to_n(governance: Any, draft: FormTemplate) -> None:
    services.declaration_item_add(
        template=draft,
        user=governance,
        heading="Data protection",
        text="A data protection impact assessment has been completed.",
        before=draft.declaration_items.get(position=2),
    )
    services.declaration_item_remove(
        item=draft.declaration_items.get(heading="Head of Unit"), user=governance
    )
    services.declaration_item_move(
        item=draft.declaration_items.get(heading="Equalities Advice"), user=governance, position=1
    )
    assert _headings(draft) == [
        (1, "Equalities Advice"),
        (2, "Data protection"),
        (3, "Financial Advice"),
        (4, "Legal Advice"),
    ]


def test_blank_texts_are_refused_with_their_own_message(
    governance: Any, draft: FormTemplate
) -> None:
    with pytest.raises(ActionRefused, match=r"Enter the opening line\."):
        services.form_template_update_text(
            template=draft, user=governance, field="recommendations_intro", text=" \u200b "
        )
    with pytest.raises(ActionRefused, match=r"Enter a section title\."):
        services.template_section_add(template=draft, user=governance, title="")
    with pytest.raises(ActionRefused, match=r"Section title must be 200 characters or fewer\."):
        services.template_section_add(template=draft, user=governance, title="x" * 201)
    with pytest.raises(ActionRefused, match="not one of the form's texts"):
        services.form_template_update_text(template=draft, user=governance, field="name", text="X")


# --- the record ----------------------------------------------------------------------------------


def test_every_change_is_recorded_and_chained(governance: Any, draft: FormTemplate) -> None:
    services.form_template_update_text(
        template=draft,
        user=governance,
        field="recommendations_intro",
        text="The DMPC is asked to note:",
    )
    services.template_section_remove(section=draft.sections.get(number=6), user=governance)
    day = london_today() + datetime.timedelta(days=30)
    services.form_template_set_effective_from(template=draft, user=governance, effective_from=day)
    whats = list(draft.changes.order_by("pk").values_list("what", flat=True))
    assert whats == [
        "Version 2 made from version 1",
        "Opening line changed",
        "Section 6 “Background/supporting papers” removed",
        f"Comes into force on {day.day} {day:%B %Y}",
    ]
    assert set(draft.changes.values_list("actor_name", flat=True)) == {"Grace Hill"}
    links = Link.objects.filter(kind="decisions.formchange").order_by("sequence")
    assert [link.payload["what"] for link in links] == whats
    assert verify() == []


def test_a_change_record_cannot_be_rewritten(governance: Any, draft: FormTemplate) -> None:
    change = FormChange.objects.get(template=draft)
    change.what = "Nothing happened"
    with pytest.raises(ValueError, match="append-only"):
        change.save()


@pytest.mark.postgres
def test_postgresql_refuses_to_rewrite_a_change_record(draft: FormTemplate) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        FormChange.objects.filter(template=draft).update(what="Nothing happened")


# --- which version a request is drafted on -------------------------------------------------------


def test_new_requests_take_the_new_version_once_in_force_and_old_ones_keep_theirs(
    officer: Any, governance: Any, draft: FormTemplate
) -> None:
    old = make_complete_draft(officer)
    services.form_template_update_text(
        template=draft,
        user=governance,
        field="recommendations_intro",
        text="The DMPC is asked to note:",
    )
    services.template_section_update(
        section=draft.sections.get(number=6),
        user=governance,
        title="Supporting papers",
        guidance="List each appendix with its date.",
        required=False,
    )
    services.template_section_add(
        template=draft,
        user=governance,
        title="Commercial issues",
        before=draft.sections.get(number=6),
    )
    day = london_today() + TOMORROW
    services.form_template_set_effective_from(template=draft, user=governance, effective_from=day)

    today = services.decision_create(user=officer, title="Drafted today")
    assert today.template.version == 1
    with time_machine.travel(_start_of(day), tick=False):
        new = services.decision_create(user=officer, title="Drafted once version 2 is in force")
    assert new.template == draft
    assert new.template.recommendations_intro == "The DMPC is asked to note:"
    assert _titles(new.template)[5:] == [(6, "Commercial issues"), (7, "Supporting papers")]

    old.refresh_from_db()
    assert old.template.version == 1
    assert old.template.recommendations_intro == "The DMPC is asked to:"
    assert _titles(old.template)[5:] == [(6, "Background/supporting papers")]
    assert old.paragraphs.filter(section__number=1).exists()
