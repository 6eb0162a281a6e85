"""Statuses people understand: who a request waits for, a return that says so, and signature
blocks that show what has been signed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from decisions import services
from decisions.roles import display_name as display_name_of
from decisions.states import Status
from tests.pages.helpers import text_of

pytestmark = pytest.mark.django_db


def test_a_submitted_request_awaits_the_chief_executive(
    client: Any, officer: Any, make_decision: Any
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    client.force_login(officer)
    for url in (reverse("staff:dashboard"), reverse("staff:decision", args=[decision.pk])):
        page = text_of(client.get(url))
        assert "Awaiting Chief Executive approval" in page
        assert "Awaiting officer approval" not in page


def test_a_returned_request_says_so_with_the_reason_on_the_dashboard(
    client: Any, officer: Any, chief_executive: Any, make_decision: Any
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    services.decision_return(
        decision=decision, user=chief_executive, comment="Add the borough allocations."
    )
    client.force_login(officer)

    page = text_of(client.get(reverse("staff:dashboard")))

    drafts = page[page.index("Your drafts") :]
    assert "Returned to you" in drafts
    assert "“Add the borough allocations.”" in drafts
    assert f"Returned by {display_name_of(chief_executive)}" in drafts
    status = text_of(client.get(reverse("staff:decision", args=[decision.pk])))
    assert "Status: Returned to you" in status


def test_a_fresh_draft_is_not_called_returned(
    client: Any, officer: Any, make_decision: Any
) -> None:
    make_decision(Status.DRAFT)
    client.force_login(officer)
    assert "Returned to you" not in text_of(client.get(reverse("staff:dashboard")))


def test_a_published_request_shows_its_approval_and_sign_off_to_staff(
    client: Any, officer: Any, chief_executive: Any, dmpc: Any, make_decision: Any
) -> None:
    decision = make_decision(Status.PUBLISHED)
    client.force_login(officer)

    page = text_of(client.get(reverse("staff:decision", args=[decision.pk])))

    assert "Not yet signed off" not in page
    assert "Not yet approved" not in page
    assert f"{display_name_of(chief_executive)}, Chief Executive (signed online)" in page
    assert f"{display_name_of(dmpc)}, Deputy Mayor for Policing and Crime" in page
