"""The staff pages where governance manages the versions of the form: the list and its statuses,
a version's summary lists, a new version from the one in force, a page for each change to a
draft (with the field's own message in the Design System's words when it is left empty), the
date input, a confirmation before anything is removed; no way in for anyone else, and no change
to a version in force."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from decisions import services
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import FormTemplate
from decisions.selectors import form_version_in_force
from tests.factories import make_complete_draft, sign_in
from tests.pages.helpers import error_summary, html_of, text_of

pytestmark = pytest.mark.django_db


def _title(response: Any) -> str:
    found = re.search(r"<title>(.*?)</title>", html_of(response), re.S)
    assert found
    return " ".join(found.group(1).split())


def _in_force() -> FormTemplate:
    template = form_version_in_force()
    assert template is not None
    return template


@pytest.fixture
def draft(governance: Any) -> FormTemplate:
    return services.form_template_new_version(template=_in_force(), user=governance)


def _url(name: str, *args: Any) -> str:
    return reverse(f"staff:{name}", args=args)


def test_governance_makes_a_new_version_changes_it_and_schedules_it(
    client: Any, governance: Any, officer: Any
) -> None:
    make_complete_draft(officer)
    version_1 = _in_force()
    sign_in(client, governance)

    listing = client.get(_url("form_versions"))
    assert re.search(r'href="/staff/forms/"\s+aria-current="page"', html_of(listing))
    assert not re.search(r'href="/staff/"\s+aria-current', html_of(listing))
    assert "Request for DMPC Decision, version 1 1 January 2017 In force 1" in text_of(listing)

    made = client.post(_url("form_new_version", version_1.pk), follow=True)
    version_2 = FormTemplate.objects.get(version=2)
    assert made.redirect_chain[-1][0] == _url("form_version", version_2.pk)
    page = text_of(made)
    assert "Version 2 made from version 1. It is a draft" in page
    assert "Status: Draft" in page
    assert "Comes into force Not set: this version is a draft" in page
    assert 'aria-current="true"' in html_of(made)

    response = client.post(
        _url("form_text", version_2.pk, "recommendations_intro"),
        {"text": "The DMPC is asked to note:"},
        follow=True,
    )
    assert "Opening line saved." in text_of(response)
    assert "Opening line above the recommendations The DMPC is asked to note:" in text_of(response)

    commercial = client.post(
        _url("form_section_add", version_2.pk),
        {
            "title": "Commercial issues",
            "guidance": "The procurement route.",
            "required": "yes",
            "place": str(version_2.sections.get(number=6).pk),
        },
        follow=True,
    )
    assert "Section 6, Commercial issues, added." in text_of(commercial)
    assert "6. Commercial issues The procurement route. Must be written" in text_of(commercial)
    assert "7. Background/supporting papers" in text_of(commercial)

    section_1 = version_2.sections.get(title="Introduction and background")
    client.post(
        _url("form_section", version_2.pk, section_1.pk),
        {"title": "Introduction", "guidance": "", "required": "no", "place": "2"},
    )
    assert list(version_2.sections.values_list("number", "title"))[:2] == [
        (1, "Issues for consideration"),
        (2, "Introduction"),
    ]

    legal = version_2.declaration_items.get(heading="Legal Advice")
    confirm = client.get(_url("form_item_remove", version_2.pk, legal.pk))
    assert _title(confirm).startswith("Are you sure you want to remove the declaration item")
    assert "The MOPAC legal team has been consulted on the proposal." in text_of(confirm)
    client.post(_url("form_item_remove", version_2.pk, legal.pk))
    assert list(version_2.declaration_items.values_list("position", "heading")) == [
        (1, "Head of Unit"),
        (2, "Financial Advice"),
        (3, "Equalities Advice"),
    ]

    day = london_today() + datetime.timedelta(days=10)
    scheduled = client.post(
        _url("form_date", version_2.pk),
        {"effective_from_0": day.day, "effective_from_1": day.month, "effective_from_2": day.year},
        follow=True,
    )
    assert f"Version 2 comes into force on {day.day} {day:%B %Y}." in text_of(scheduled)
    assert "Status: Scheduled" in text_of(scheduled)
    history = text_of(scheduled).split("Changes to this version", 1)[1]
    assert "Grace Hill Opening line changed" in history
    assert "Declaration item “Legal Advice” removed" in history


def test_a_version_in_force_is_shown_without_change_links_and_its_pages_refuse(
    client: Any, governance: Any
) -> None:
    version_1 = _in_force()
    sign_in(client, governance)
    page = client.get(_url("form_version", version_1.pk))
    assert "Version 1 has come into force, so it cannot be changed." in text_of(page)
    assert "Make a new version" in text_of(page)
    assert "/texts/" not in html_of(page)
    assert "Add a section" not in text_of(page)
    section = version_1.sections.get(number=1)
    for url in (
        _url("form_text", version_1.pk, "recommendations_intro"),
        _url("form_section", version_1.pk, section.pk),
        _url("form_section_remove", version_1.pk, section.pk),
        _url("form_date", version_1.pk),
    ):
        refused = client.post(url, {"title": "Changed", "text": "Changed"})
        assert refused.status_code == 403
        assert "Make a new version instead." in text_of(refused)
    assert version_1.sections.get(number=1).title == "Introduction and background"


# (page, the URL's arguments after the version, what is posted, the messages the person sees)
EMPTY_SUBMITS: list[tuple[str, tuple[Any, ...], dict[str, str], list[str]]] = [
    ("form_text", ("recommendations_intro",), {}, ["Enter the opening line"]),
    ("form_text", ("dmpc_declaration",), {"text": "  "}, ["Enter the DMPC's declaration"]),
    (
        "form_text",
        ("dmpc_approval_statement",),
        {"text": "x" * 201},
        ["DMPC's approval statement must be 200 characters or fewer"],
    ),
    (
        "form_section_add",
        (),
        {},
        ["Enter a section title", "Select whether the officer must write this section"],
    ),
    ("form_section", ("section",), {"required": "no", "place": "1"}, ["Enter a section title"]),
    ("form_item_add", (), {}, ["Enter a heading", "Enter the statement the officer confirms"]),
    (
        "form_item",
        ("item",),
        {"place": "1"},
        ["Enter a heading", "Enter the statement the officer confirms"],
    ),
    ("form_date", (), {}, ["Enter a date the version comes into force"]),
    (
        "form_date",
        (),
        {"effective_from_0": "1", "effective_from_2": "2030"},
        ["The date it comes into force must include a month"],
    ),
    (
        "form_date",
        (),
        {"effective_from_0": "1", "effective_from_1": "1", "effective_from_2": "2020"},
        ["The date it comes into force must be in the future"],
    ),
]


@pytest.mark.parametrize(("page", "args", "data", "expected"), EMPTY_SUBMITS)
def test_an_empty_or_wrong_answer_shows_the_fields_own_message(
    client: Any,
    governance: Any,
    draft: FormTemplate,
    page: str,
    args: tuple[Any, ...],
    data: dict[str, str],
    expected: list[str],
) -> None:
    parts = {
        "section": draft.sections.get(number=1).pk,
        "item": draft.declaration_items.get(position=1).pk,
    }
    sign_in(client, governance)
    response = client.post(_url(page, draft.pk, *(parts.get(a, a) for a in args)), data)
    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    summary = error_summary(response)
    for message in expected:
        assert message in summary
        assert text_of(response).count(message) == 2  # in the summary, and by the field
    assert "This field is required" not in text_of(response)
    assert draft.changes.count() == 1  # only its making


def test_fields_with_a_limit_count_characters_and_the_date_is_a_date_input(
    client: Any, governance: Any, draft: FormTemplate
) -> None:
    sign_in(client, governance)
    opening = html_of(client.get(_url("form_text", draft.pk, "recommendations_intro")))
    assert 'data-module="govuk-character-count"' in opening
    assert 'data-maxlength="200"' in opening
    section = html_of(client.get(_url("form_section_add", draft.pk)))
    assert 'data-maxlength="200"' in section
    item = html_of(client.get(_url("form_item_add", draft.pk)))
    assert 'data-maxlength="100"' in item
    date = html_of(client.get(_url("form_date", draft.pk)))
    assert 'class="govuk-date-input"' in date
    assert {"effective_from_0", "effective_from_1", "effective_from_2"} <= set(
        re.findall(r'name="(effective_from_\d)"', date)
    )


def test_removing_the_last_section_is_refused_with_the_reason(
    client: Any, governance: Any, draft: FormTemplate
) -> None:
    for section in list(draft.sections.order_by("-number"))[:-1]:
        services.template_section_remove(section=section, user=governance)
    last = draft.sections.get()
    sign_in(client, governance)
    response = client.post(_url("form_section_remove", draft.pk, last.pk), follow=True)
    assert "A version of the form must keep at least one section." in error_summary(response)
    assert draft.sections.count() == 1


def test_nobody_else_sees_the_form_versions(
    client: Any, officer: Any, chief_executive: Any, dmpc: Any, outsider: Any, draft: FormTemplate
) -> None:
    for person in (officer, chief_executive, dmpc, outsider):
        client.force_login(person)
        assert "Form versions" not in text_of(client.get(_url("dashboard")))
        assert client.get(_url("form_versions")).status_code == 403
        assert client.get(_url("form_version", draft.pk)).status_code == 403
        assert client.post(_url("form_new_version", draft.pk)).status_code == 403
        assert client.post(_url("form_text", draft.pk, "recommendations_intro")).status_code == 403
    assert FormTemplate.objects.count() == 2


def test_changing_the_form_asks_for_the_second_factor_first(
    client: Any, governance: Any, draft: FormTemplate
) -> None:
    """As for a role change: the form decides what every later request declares."""
    governance.second_factor_at = None  # signed in, but not confirmed within the hour
    client.force_login(governance)
    page = _url("form_section_add", draft.pk)

    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/account/second-factor/?next={page.replace('/', '%2F')}"

    made = client.post(_url("form_new_version", _in_force().pk))
    assert made["Location"].startswith("/account/second-factor/?next=")
    assert FormTemplate.objects.filter(version=3).count() == 0

    with pytest.raises(ActionRefused, match="Confirm it is you"):
        services.form_template_update_text(
            template=draft, user=governance, field="recommendations_intro", text="The DMPC is to:"
        )
    draft.refresh_from_db()
    assert draft.recommendations_intro == "The DMPC is asked to:"


def test_a_draft_version_no_longer_needed_is_discarded_after_a_confirmation(
    client: Any, governance: Any, draft: FormTemplate
) -> None:
    sign_in(client, governance)
    page = client.get(_url("form_version", draft.pk))
    assert "Discard version 2" in text_of(page)

    confirm = client.get(_url("form_discard", draft.pk))
    assert "Are you sure you want to discard version 2?" in text_of(confirm)
    assert "Yes, discard version 2" in text_of(confirm)
    draft.refresh_from_db()
    assert draft.discarded_at is None  # asking changes nothing

    listing = client.post(_url("form_discard", draft.pk), follow=True)
    assert "Version 2 discarded." in text_of(listing)
    assert "Request for DMPC Decision, version 2 Not set Discarded 0" in text_of(listing)
    draft.refresh_from_db()
    assert draft.discarded_at is not None and draft.effective_from is None

    # Never changed, never put in force, never used again.
    assert client.get(_url("form_date", draft.pk)).status_code == 403
    with pytest.raises(ActionRefused, match="was discarded"):
        services.form_template_set_effective_from(
            template=draft, user=governance, effective_from=london_today() + datetime.timedelta(1)
        )
    assert "Discard version" not in text_of(client.get(_url("form_version", draft.pk)))
    assert "Version 2 discarded" in text_of(client.get(_url("form_version", draft.pk)))


def test_a_version_in_force_cannot_be_discarded(client: Any, governance: Any) -> None:
    sign_in(client, governance)
    assert client.post(_url("form_discard", _in_force().pk)).status_code == 403
    with pytest.raises(ActionRefused, match="has come into force"):
        services.form_template_discard(template=_in_force(), user=governance)
    assert _in_force().discarded_at is None
