"""Every state, every transition, every person. A transition is offered (django-fsm's
has_transition_perm, which the pages use for buttons) exactly where its service accepts it, and
everywhere else the service refuses with a message that says why, changing nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django_fsm import has_transition_perm

from decisions import services
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import Decision, ReferenceCounter, TransitionLog
from decisions.roles import Role
from decisions.states import Status
from decisions.transitions import ALL_STEPS, STEPS
from tests.factories import (
    approved_by_chief_executive,
    fresh,
    give_roles,
    make_complete_draft,
    next_month,
    submitted,
)

PEOPLE = ("officer", "other_officer", "chief_executive", "dmpc", "governance", "outsider")

# (state, transition) → the one person who may fire it there. Everything else is refused.
ALLOWED = {
    (Status.DRAFT, "submit"): "officer",
    (Status.AWAITING_APPROVAL, "approve"): "chief_executive",
    (Status.AWAITING_APPROVAL, "return_to_officer"): "chief_executive",
    (Status.AWAITING_SIGNOFF, "return_to_officer"): "dmpc",
    (Status.AWAITING_SIGNOFF, "sign_off"): "dmpc",
    (Status.AWAITING_SIGNOFF, "reject"): "dmpc",
    (Status.DRAFT, "withdraw"): "officer",
    (Status.AWAITING_APPROVAL, "withdraw"): "officer",
    (Status.AWAITING_SIGNOFF, "withdraw"): "officer",
    (Status.DEFERRED, "reschedule_publication"): "governance",
}

# Where the request ends up, and the log entries the step writes. Sign-off publishes at once.
OUTCOME = {
    "submit": (Status.AWAITING_APPROVAL, ["submit"]),
    "approve": (Status.AWAITING_SIGNOFF, ["approve"]),
    "return_to_officer": (Status.DRAFT, ["return_to_officer"]),
    "sign_off": (Status.PUBLISHED, ["sign_off", "publish"]),
    "reject": (Status.REJECTED, ["reject"]),
    "withdraw": (Status.WITHDRAWN, ["withdraw"]),
    "reschedule_publication": (Status.DEFERRED, ["reschedule_publication"]),
}

# The refusal for the wrong person at the right moment.
WRONG_PERSON = {
    (Status.DRAFT, "submit"): "Only the officer who drafted this request can submit it.",
    (Status.AWAITING_APPROVAL, "approve"): "Only the Chief Executive can approve",
    (Status.AWAITING_APPROVAL, "return_to_officer"): "Only the Chief Executive can return",
    (Status.AWAITING_SIGNOFF, "return_to_officer"): (
        "Only the Deputy Mayor for Policing and Crime can return"
    ),
    (
        Status.AWAITING_SIGNOFF,
        "sign_off",
    ): "Only the Deputy Mayor for Policing and Crime can sign off",
    (Status.AWAITING_SIGNOFF, "reject"): "Only the Deputy Mayor for Policing and Crime can reject",
    (Status.DRAFT, "withdraw"): "Only the officer who drafted this request can withdraw it.",
    (
        Status.AWAITING_APPROVAL,
        "withdraw",
    ): "Only the officer who drafted this request can withdraw it.",
    (
        Status.AWAITING_SIGNOFF,
        "withdraw",
    ): "Only the officer who drafted this request can withdraw it.",
    (Status.DEFERRED, "reschedule_publication"): (
        "Only a governance officer can change the publication date"
    ),
}

SERVICES: dict[str, Callable[[Decision, Any], object]] = {
    "submit": lambda decision, user: services.decision_submit(decision=decision, user=user),
    "approve": lambda decision, user: services.decision_approve(
        decision=decision, user=user, confirmed=True
    ),
    "return_to_officer": lambda decision, user: services.decision_return(
        decision=decision, user=user, comment="Please add the legal comments."
    ),
    "sign_off": lambda decision, user: services.decision_sign_off(
        decision=decision, user=user, confirmed=True, interests="None"
    ),
    "reject": lambda decision, user: services.decision_reject(
        decision=decision, user=user, comment="The bids do not meet the criteria."
    ),
    "withdraw": lambda decision, user: services.decision_withdraw(
        decision=decision, user=user, comment="The funding round was cancelled."
    ),
    "reschedule_publication": lambda decision, user: services.decision_reschedule_publication(
        decision=decision,
        user=user,
        publish_on=next_month() + datetime.timedelta(days=7),
        comment="The grants are now announced a week later.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ALL_STEPS)
@pytest.mark.parametrize("status", list(Status), ids=[s.value for s in Status])
def test_transition_is_allowed_exactly_where_the_design_says(
    request: pytest.FixtureRequest, make_decision: Any, status: Status, name: str, person: str
) -> None:
    decision = make_decision(status)
    user = request.getfixturevalue(person)
    allowed = ALLOWED.get((status, name)) == person

    assert has_transition_perm(getattr(decision, name), user) is allowed

    if name not in SERVICES:
        return  # publish and defer are the system's: no person has a service to fire them
    log_before = TransitionLog.objects.filter(decision=decision).count()
    if allowed:
        SERVICES[name](decision, user)
        target, entries = OUTCOME[name]
        assert fresh(decision).status == target
        log = TransitionLog.objects.filter(decision=decision).order_by("id")
        assert [e.transition for e in log[log_before:]] == entries
        assert log[log_before].actor == user
        return

    with pytest.raises(ActionRefused) as refused:
        SERVICES[name](decision, user)
    message = str(refused.value)
    if (status, name) in WRONG_PERSON:
        assert WRONG_PERSON[(status, name)] in message
    else:
        assert f"cannot be {STEPS[name].past}" in message
        assert Status(status).label in message
    assert fresh(decision).status == status
    assert TransitionLog.objects.filter(decision=decision).count() == log_before


# --- authors cannot approve their own requests -------------------------------------------------


@pytest.mark.django_db
def test_chief_executive_cannot_approve_own_draft(chief_executive: Any) -> None:
    give_roles(chief_executive, Role.OFFICER)
    decision = submitted(make_complete_draft(chief_executive), chief_executive)

    assert has_transition_perm(decision.approve, chief_executive) is False
    with pytest.raises(ActionRefused, match="You drafted this request, so you cannot"):
        services.decision_approve(decision=decision, user=chief_executive, confirmed=True)
    assert fresh(decision).status == Status.AWAITING_APPROVAL
    assert not decision.signatures.exists()


@pytest.mark.django_db
def test_dmpc_cannot_sign_off_own_request(dmpc: Any, chief_executive: Any) -> None:
    give_roles(dmpc, Role.OFFICER)
    decision = submitted(make_complete_draft(dmpc), dmpc)
    decision = approved_by_chief_executive(decision, chief_executive)

    assert has_transition_perm(decision.sign_off, dmpc) is False
    with pytest.raises(ActionRefused, match="You drafted this request, so you cannot"):
        services.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests="None")
    assert fresh(decision).status == Status.AWAITING_SIGNOFF


# --- what each step asks for -------------------------------------------------------------------


def _unchanged_after_refusal(decision: Decision, refuse: Callable[[], object], words: str) -> None:
    log_before = decision.log.count()
    signatures_before = decision.signatures.count()
    with pytest.raises(ActionRefused) as refused:
        refuse()
    assert words in str(refused.value)
    assert fresh(decision).status == decision.status
    assert decision.log.count() == log_before
    assert decision.signatures.count() == signatures_before


@pytest.mark.django_db
def test_approval_needs_the_declaration_confirmed(make_decision: Any, chief_executive: Any) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    _unchanged_after_refusal(
        decision,
        lambda: services.decision_approve(decision=decision, user=chief_executive, confirmed=False),
        "Confirm the officer approval declaration",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("confirmed", "interests", "words"),
    [
        (False, "None", "Confirm the DMPC declaration"),
        (True, "   ", "Record any interests, or “None”."),
    ],
    ids=["declaration-not-confirmed", "interests-blank"],
)
def test_sign_off_needs_the_declaration_and_interests(
    make_decision: Any, dmpc: Any, confirmed: bool, interests: str, words: str
) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    _unchanged_after_refusal(
        decision,
        lambda: services.decision_sign_off(
            decision=decision, user=dmpc, confirmed=confirmed, interests=interests
        ),
        words,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "step", "person", "words"),
    [
        (Status.AWAITING_APPROVAL, services.decision_return, "chief_executive", "Say what"),
        (Status.AWAITING_SIGNOFF, services.decision_return, "dmpc", "Say what"),
        (Status.AWAITING_SIGNOFF, services.decision_reject, "dmpc", "reason for rejecting"),
        (Status.AWAITING_APPROVAL, services.decision_withdraw, "officer", "reason for withdrawing"),
    ],
    ids=["ce-return", "dmpc-return", "reject", "withdraw"],
)
def test_returning_rejecting_and_withdrawing_need_a_comment(
    request: pytest.FixtureRequest,
    make_decision: Any,
    status: Status,
    step: Callable[..., object],
    person: str,
    words: str,
) -> None:
    decision = make_decision(status)
    user = request.getfixturevalue(person)
    _unchanged_after_refusal(
        decision, lambda: step(decision=decision, user=user, comment="  "), words
    )


@pytest.mark.django_db
def test_acting_on_a_request_that_changed_meanwhile_is_refused(
    make_decision: Any, chief_executive: Any, officer: Any
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    services.decision_withdraw(decision=decision, user=officer, comment="No longer needed.")

    with pytest.raises(ActionRefused, match="changed while you were looking at it"):
        services.decision_approve(
            decision=decision,
            user=chief_executive,
            confirmed=True,
            expected_status=Status.AWAITING_APPROVAL,
        )
    assert fresh(decision).status == Status.WITHDRAWN


@pytest.mark.django_db
def test_deferred_request_publishes_on_its_date(make_decision: Any) -> None:
    decision = make_decision(Status.DEFERRED)
    assert services.decision_publish_if_due(decision=decision) is False
    assert fresh(decision).status == Status.DEFERRED

    # The deferral date arrives.
    Decision.objects.filter(pk=decision.pk).update(publish_on=london_today())
    assert services.decision_publish_if_due(decision=decision) is True

    decision = fresh(decision)
    assert decision.status == Status.PUBLISHED
    assert decision.published_at is not None
    assert decision.log.order_by("id").last().actor_name == "System"


# --- submission guards -------------------------------------------------------------------------


def _assert_submission_refused(decision: Decision, officer: Any, *problems: str) -> None:
    counter_before = ReferenceCounter.objects.get(prefix="PCD").last_number
    assert has_transition_perm(decision.submit, officer) is False

    with pytest.raises(ActionRefused) as refused:
        services.decision_submit(decision=decision, user=officer)

    for problem in problems:
        assert problem in refused.value.messages
    stored = fresh(decision)
    assert stored.status == Status.DRAFT
    assert stored.reference_number is None
    assert not stored.versions.exists()
    assert not stored.log.exists()
    assert ReferenceCounter.objects.get(prefix="PCD").last_number == counter_before


@pytest.mark.django_db
def test_submission_refused_until_every_declaration_item_is_ticked(officer: Any) -> None:
    decision = make_complete_draft(officer)
    items = decision.template.declaration_items.exclude(heading="Legal Advice")
    services.declaration_update(
        decision=decision, user=officer, item_ids=items.values_list("pk", flat=True)
    )

    _assert_submission_refused(
        decision,
        officer,
        "Tick every item of the originating officer declaration (Legal Advice).",
    )


@pytest.mark.django_db
def test_submission_refused_without_a_recommendation(officer: Any) -> None:
    decision = make_complete_draft(officer)
    for recommendation in decision.recommendations.all():
        services.recommendation_delete(recommendation=recommendation, user=officer)

    _assert_submission_refused(decision, officer, "Add at least one recommendation for the DMPC.")


@pytest.mark.django_db
def test_deferral_date_must_be_in_the_future(officer: Any) -> None:
    decision = make_complete_draft(officer)
    with pytest.raises(ActionRefused, match="The deferral date must be in the future"):
        services.decision_update_public_access(
            decision=decision,
            user=officer,
            publication_deferred=True,
            deferral_reason="Market sensitive.",
            deferred_until=london_today(),
            has_part_two=False,
        )
    assert fresh(decision).publication_deferred is False


@pytest.mark.django_db
def test_submission_refused_once_the_deferral_date_has_passed(officer: Any) -> None:
    decision = make_complete_draft(officer)
    services.decision_update_public_access(
        decision=decision,
        user=officer,
        publication_deferred=True,
        deferral_reason="Market sensitive.",
        deferred_until=next_month(),
        has_part_two=False,
    )
    # The draft sat unsubmitted until its deferral date went by.
    Decision.objects.filter(pk=decision.pk).update(
        deferred_until=london_today() - datetime.timedelta(days=1)
    )

    _assert_submission_refused(fresh(decision), officer, "The deferral date must be in the future.")


@pytest.mark.django_db
def test_submission_lists_every_problem_at_once(officer: Any) -> None:
    decision = services.decision_create(user=officer, title="Knife crime strategy")

    _assert_submission_refused(
        decision,
        officer,
        "Write the executive summary.",
        "Add at least one recommendation for the DMPC.",
        "Write Part I: it has no paragraphs yet.",
        "Tick every item of the originating officer declaration "
        "(Head of Unit, Financial Advice, Legal Advice, Equalities Advice).",
    )


@pytest.mark.django_db
def test_submission_refused_when_part_two_is_promised_but_empty(officer: Any) -> None:
    decision = make_complete_draft(officer)
    services.decision_update_public_access(
        decision=decision,
        user=officer,
        publication_deferred=False,
        deferral_reason="",
        deferred_until=None,
        has_part_two=True,
    )

    _assert_submission_refused(
        fresh(decision), officer, "Write Part 2, or answer “No” to “Is there a Part 2 form?”."
    )
