"""GOV.UK patterns on the staff pages: date input with the Design System's messages, conditional
reveal, a "You have signed out" page, aria-current in the navigation, a phase banner."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from decisions.dates import london_today
from decisions.models import Decision
from decisions.states import Status
from tests.factories import sign_in
from tests.pages.helpers import error_summary, html_of, text_of

pytestmark = pytest.mark.django_db

REASON = "Publishing before the grants are announced would pre-empt them."


def _defer(client: Any, decision: Decision, day: str, month: str, year: str) -> Any:
    return client.post(
        reverse("staff:edit_public_access", args=[decision.pk]),
        {
            "publication_deferred": "yes",
            "deferral_reason": REASON,
            "deferred_until_0": day,
            "deferred_until_1": month,
            "deferred_until_2": year,
            "has_part_two": "no",
        },
    )


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2027", "Date until which publication is deferred must be a real date"),
        ("1", "", "2027", "Date until which publication is deferred must include a month"),
        ("1", "March", "2020", "Date until which publication is deferred must be a real date"),
        ("", "", "", "Enter the date until which publication is deferred"),
        ("1", "3", "2020", "Date until which publication is deferred must be in the future"),
    ],
)
def test_the_deferral_date_is_a_date_input_with_the_design_systems_messages(
    client: Any, officer: Any, make_decision: Any, day: str, month: str, year: str, message: str
) -> None:
    decision = make_decision(Status.DRAFT)
    client.force_login(officer)
    response = _defer(client, decision, day, month, year)
    assert message in error_summary(response)
    assert 'href="#id_deferred_until_0"' in html_of(response)
    assert not Decision.objects.get(pk=decision.pk).publication_deferred


def test_a_real_future_date_is_stored(client: Any, officer: Any, make_decision: Any) -> None:
    decision = make_decision(Status.DRAFT)
    client.force_login(officer)
    until = london_today() + datetime.timedelta(days=40)
    _defer(client, decision, str(until.day), str(until.month), str(until.year))
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.publication_deferred and stored.deferred_until == until
    page = html_of(client.get(reverse("staff:edit_public_access", args=[decision.pk])))
    assert f'name="deferred_until_2" value="{until.year}"' in page.replace("  ", " ")


def test_the_reason_and_date_are_revealed_by_yes(
    client: Any, officer: Any, make_decision: Any
) -> None:
    decision = make_decision(Status.DRAFT)
    client.force_login(officer)
    html = html_of(client.get(reverse("staff:edit_public_access", args=[decision.pk])))
    assert 'data-module="govuk-radios"' in html
    start = html.index('class="govuk-radios__conditional')
    assert html.index('name="deferral_reason"') > start
    assert 'data-aria-controls="conditional-' in html


def test_the_dmpcs_interests_box_is_revealed_by_yes(
    client: Any, dmpc: Any, make_decision: Any
) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    sign_in(client, dmpc)  # with the second factor the sign-off page asks for first
    html = html_of(client.get(reverse("staff:act", args=[decision.pk, "sign_off"])))
    start = html.index("govuk-radios__conditional")
    assert 'name="interests"' in html[start:]
    assert html.index('name="interests"') > html.index('value="yes"')


def test_signing_out_says_so(client: Any, officer: Any) -> None:
    client.force_login(officer)
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out" in text_of(response)


def test_the_navigation_marks_where_you_are_and_the_phase_is_shown(
    client: Any, officer: Any
) -> None:
    client.force_login(officer)
    html = html_of(client.get(reverse("staff:dashboard")))
    assert re.search(r'href="/staff/"\s+aria-current="page"', html)
    assert "govuk-phase-banner" in html


def test_the_navigation_marks_the_page_under_its_own_item_not_under_your_requests(
    client: Any, governance: Any
) -> None:
    """/staff/sign-in-locks/ starts with /staff/ too; it is Sign-in locks that is marked."""
    sign_in(client, governance)
    html = html_of(client.get(reverse("accounts:sign_in_locks")))

    assert re.search(r'href="/staff/sign-in-locks/"\s+aria-current="page"', html)
    assert not re.search(r'href="/staff/"\s+aria-current', html)
    assert html.count("aria-current") == 1
