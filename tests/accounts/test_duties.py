"""Separation of duties and the second factor, as the workflow's permissions enforce them for
every path (page, admin action, command): the author, the approver and the signer are three
people; nobody who oversees signs; an approval or a sign-off needs a second factor passed within
the hour; someone stripped of every role no longer touches their drafts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_fsm import has_transition_perm

from decisions import services
from decisions.errors import ActionRefused
from decisions.models import PartTwo
from decisions.roles import Role
from decisions.states import Status
from tests.factories import (
    UserFactory,
    approved_by_chief_executive,
    fresh,
    give_roles,
    make_complete_draft,
    passed_second_factor,
    sign_in,
    submitted,
)
from tests.pages.helpers import text_of

pytestmark = pytest.mark.django_db


def test_one_person_with_both_signing_roles_cannot_approve_and_sign_off(officer: Any) -> None:
    both = passed_second_factor(UserFactory(roles=[Role.CHIEF_EXECUTIVE, Role.DMPC]))
    decision = approved_by_chief_executive(submitted(make_complete_draft(officer), officer), both)
    assert decision.status == Status.AWAITING_SIGNOFF
    assert not has_transition_perm(decision.sign_off, both)
    with pytest.raises(ActionRefused, match="You approved this request as Chief Executive"):
        services.decision_sign_off(decision=decision, user=both, confirmed=True, interests="None")
    assert fresh(decision).status == Status.AWAITING_SIGNOFF
    assert fresh(decision).signatures.count() == 1


@pytest.mark.parametrize("oversight", [Role.GOVERNANCE, Role.SYSTEM_ADMIN])
def test_someone_who_oversees_does_not_sign_whatever_roles_they_were_given(
    officer: Any, chief_executive: Any, oversight: Role
) -> None:
    # Given both by hand (the database, not the service): the workflow still refuses.
    signer = passed_second_factor(UserFactory(roles=[Role.DMPC]))
    give_roles(signer, oversight)
    ce = passed_second_factor(UserFactory(roles=[Role.CHIEF_EXECUTIVE]))
    give_roles(ce, oversight)
    decision = submitted(make_complete_draft(officer), officer)
    with pytest.raises(ActionRefused, match="governance officer or system administrator"):
        services.decision_approve(decision=decision, user=ce, confirmed=True)
    decision = approved_by_chief_executive(decision, chief_executive)
    with pytest.raises(ActionRefused, match="governance officer or system administrator"):
        services.decision_sign_off(decision=decision, user=signer, confirmed=True, interests="None")
    assert fresh(decision).status == Status.AWAITING_SIGNOFF


@pytest.mark.parametrize("minutes_ago", [None, 61])
def test_no_approval_or_sign_off_without_a_recent_second_factor(
    officer: Any, chief_executive: Any, dmpc: Any, minutes_ago: int | None
) -> None:
    decision = submitted(make_complete_draft(officer), officer)
    # The Chief Executive as a command or a shell would load them: no second factor passed.
    ce = get_user_model().objects.get(pk=chief_executive.pk)
    if minutes_ago is not None:
        ce.second_factor_at = chief_executive.second_factor_at - datetime.timedelta(
            minutes=minutes_ago
        )
    assert not has_transition_perm(decision.approve, ce)
    with pytest.raises(ActionRefused, match="second factor"):
        services.decision_approve(decision=decision, user=ce, confirmed=True)
    assert fresh(decision).status == Status.AWAITING_APPROVAL

    decision = approved_by_chief_executive(decision, chief_executive)
    signer = get_user_model().objects.get(pk=dmpc.pk)
    with pytest.raises(ActionRefused, match="second factor"):
        services.decision_sign_off(decision=decision, user=signer, confirmed=True, interests="None")
    assert fresh(decision).status == Status.AWAITING_SIGNOFF


def _strip(user: Any) -> Any:
    user.groups.clear()
    return get_user_model().objects.get(pk=user.pk)


def test_a_person_stripped_of_every_role_cannot_change_submit_or_read_their_drafts(
    officer: Any, client: Client
) -> None:
    draft = make_complete_draft(officer, title="Knife crime summer campaign")
    services.decision_update_public_access(
        decision=draft,
        user=officer,
        publication_deferred=False,
        deferral_reason="",
        deferred_until=None,
        has_part_two=True,
    )
    PartTwo.objects.update_or_create(
        decision=draft, defaults={"facts_and_advice": "Confidential tender prices"}
    )
    former = _strip(officer)

    with pytest.raises(ActionRefused, match="no longer an originating officer"):
        services.decision_update_summary(
            decision=draft, user=former, title="Changed", executive_summary="Changed"
        )
    with pytest.raises(ActionRefused, match="no longer an originating officer"):
        services.decision_submit(decision=draft, user=former)
    assert fresh(draft).title == "Knife crime summer campaign"
    assert fresh(draft).status == Status.DRAFT

    sign_in(client, former)
    for url in (
        reverse("staff:decision", args=[draft.pk]),
        reverse("staff:part_two", args=[draft.pk]),
        reverse("staff:act", args=[draft.pk, "submit"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("staff:act", args=[draft.pk, "submit"])).status_code == 404
    dashboard = client.get(reverse("staff:dashboard"))
    text = text_of(dashboard)
    # A read-only list: the title, no link to it.
    assert "Requests you drafted before" in text
    assert "Knife crime summer campaign" in text
    assert reverse("staff:decision", args=[draft.pk]) not in dashboard.content.decode()
    assert "Confidential tender prices" not in text
