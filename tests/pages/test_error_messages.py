"""GOV.UK error handling on every staff form: the field's own message in the Design System's
words, "Error: " at the start of the page title, an error summary whose links reach the field,
no Bootstrap markup; and a submit page that is never a dead end."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from decisions import services
from decisions.models import Decision
from decisions.states import Status
from tests.factories import make_complete_draft
from tests.pages.helpers import error_summary, html_of, text_of

pytestmark = pytest.mark.django_db


def _title(response: Any) -> str:
    found = re.search(r"<title>(.*?)</title>", html_of(response), re.S)
    assert found
    return " ".join(found.group(1).split())


def _summary_links(response: Any) -> list[str]:
    html = html_of(response)
    start = html.index("govuk-error-summary__list")
    end = html.index("</ul>", start)
    return re.findall(r'href="([^"]*)"', html[start:end])


def _ids(response: Any) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html_of(response)))


# (page, who, state of the request, what is posted, the messages the person must see)
CASES: list[tuple[str, str, Status | None, dict[str, str], list[str]]] = [
    ("create", "officer", None, {}, ["Enter a title"]),
    ("create", "officer", None, {"title": "x" * 600}, ["Title must be 250 characters or fewer"]),
    ("edit_summary", "officer", Status.DRAFT, {"title": ""}, ["Enter a title"]),
    ("edit_section", "officer", Status.DRAFT, {}, ["Enter the text of the paragraph"]),
    ("edit_recommendations", "officer", Status.DRAFT, {}, ["Enter what the DMPC is asked to do"]),
    (
        "edit_public_access",
        "officer",
        Status.DRAFT,
        {},
        [
            "Select whether publication of Part 1 is to be deferred",
            "Select whether there is a Part 2 form",
        ],
    ),
    (
        "edit_part_two",
        "officer",
        Status.DRAFT,
        {},
        ["Enter the confidential facts and advice", "Enter the legal rationale for not publishing"],
    ),
    (
        "approve",
        "chief_executive",
        Status.AWAITING_APPROVAL,
        {},
        ["Confirm the statement to approve"],
    ),
    (
        "sign_off",
        "dmpc",
        Status.AWAITING_SIGNOFF,
        {},
        ["Select whether you have an interest", "Confirm that the request has your approval"],
    ),
    (
        "sign_off",
        "dmpc",
        Status.AWAITING_SIGNOFF,
        {"has_interests": "yes", "confirmed": "on"},
        ["Enter the interests you declare"],
    ),
    (
        "return_to_officer",
        "chief_executive",
        Status.AWAITING_APPROVAL,
        {},
        ["Say what the officer needs to change"],
    ),
    ("withdraw", "officer", Status.DRAFT, {}, ["Give the reason for withdrawing the request"]),
]


def _url(page: str, decision: Decision | None) -> str:
    if decision is None:
        return reverse(f"staff:{page}")
    if page == "edit_section":
        return reverse("staff:edit_section", args=[decision.pk, 1])
    if page.startswith("edit_"):
        return reverse(f"staff:{page}", args=[decision.pk])
    return reverse("staff:act", args=[decision.pk, page])


@pytest.mark.parametrize(("page", "who", "status", "data", "expected"), CASES)
def test_an_empty_form_says_what_each_field_needs(
    client: Any,
    request: pytest.FixtureRequest,
    make_decision: Callable[[Status], Decision],
    page: str,
    who: str,
    status: Status | None,
    data: dict[str, str],
    expected: list[str],
) -> None:
    decision = make_decision(status) if status is not None else None
    client.force_login(request.getfixturevalue(who))
    if decision is not None:
        data = {"expected_status": decision.status, **data}

    response = client.post(_url(page, decision), data)

    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    page_text = text_of(response)
    assert "This field is required" not in page_text
    summary = error_summary(response)
    for message in expected:
        assert message in summary
        # Once in the summary, once by the field: never twice by the field.
        assert page_text.count(message) == 2
    links = _summary_links(response)
    assert len(links) == len(expected)
    present = _ids(response)
    for link in links:
        assert link.startswith("#") and link[1:] in present, link
    assert "alert-danger" not in html_of(response)


def test_an_over_long_title_is_refused_not_cut(client: Any, officer: Any) -> None:
    client.force_login(officer)
    page = client.get(reverse("staff:create"))
    # The Design System's character count (data-maxlength), not the browser's silent cut.
    assert not re.search(r"\smaxlength=", html_of(page))
    assert 'data-maxlength="250"' in html_of(page)

    client.post(reverse("staff:create"), {"title": "x" * 600})

    assert not Decision.objects.exists()


def test_submit_page_links_each_problem_to_the_page_that_fixes_it(
    client: Any, officer: Any
) -> None:
    decision = services.decision_create(user=officer, title="Knife crime strategy")
    client.force_login(officer)
    url = reverse("staff:act", args=[decision.pk, "submit"])

    for response in (client.get(url), client.post(url, {"expected_status": "draft"})):
        html = html_of(response)
        start = html.index('id="problems"')
        problems = html[start : html.index("</ul>", start)]
        found = re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>', problems)
        links = {text.strip(): href for href, text in found}
        assert links["Write the executive summary."] == reverse(
            "staff:edit_summary", args=[decision.pk]
        )
        assert links["Add at least one recommendation for the DMPC."] == reverse(
            "staff:edit_recommendations", args=[decision.pk]
        )
        assert links["Write the financial comments, or choose “No comments”."] == reverse(
            "staff:edit_section", args=[decision.pk, 3]
        )
        assert links[
            "Tick every item of the originating officer declaration "
            "(Head of Unit, Financial Advice, Legal Advice, Equalities Advice)."
        ] == reverse("staff:edit_declaration", args=[decision.pk])
        # No button that would only refuse, and no second list of the same problems.
        assert "Submit for approval</button>" not in html
        assert 'href="#"' not in html
        assert error_summary(response) == ""
    assert Decision.objects.get(pk=decision.pk).status == Status.DRAFT


def test_a_complete_request_is_submitted_from_its_page(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    client.force_login(officer)
    url = reverse("staff:act", args=[decision.pk, "submit"])
    assert "Submit for approval</button>" in html_of(client.get(url))
    client.post(url, {"expected_status": "draft"})
    assert Decision.objects.get(pk=decision.pk).status == Status.AWAITING_APPROVAL
