"""Factories for people, and helpers that bring a request to any state of the workflow.

Requests are built through the services, exactly as the pages build them, so a test starts from a
request a real officer could have made. The one exception is `approved`, a state the services pass
through inside one transaction (sign-off publishes or defers at once): it is set directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from decisions import services
from decisions.dates import london_today
from decisions.models import Decision, TemplateSection
from decisions.roles import Role
from decisions.states import Status

TITLE = "Violence Reduction Unit grants 2018/19"
SUMMARY = "The DMPC is asked to approve grants of £1.2m to four borough violence reduction schemes."
BACKGROUND = "The Violence Reduction Unit was set up in 2018 to fund prevention in the boroughs."
GRANTS = "Four boroughs bid for grants:\n- Hackney £400,000\n- Croydon £300,000"
NOTE = "Note the outcome of the 2018/19 bidding round."
APPROVE = "Approve the grants set out in {paragraphs}."


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff. `roles=[Role.OFFICER]` puts them in the role groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(self, create: bool, extracted: Iterable[Role] | None, **kwargs: Any) -> None:
        if create and extracted:
            give_roles(self, *extracted)


def passed_second_factor(user: Any) -> Any:
    """The person passed their second factor just now (as the session would tell the page)."""
    from accounts.services import mark_passed

    mark_passed(user)
    return user


def sign_in(client: Any, user: Any) -> Any:
    """Signed in on the test client, with the second factor passed if `user` passed it."""
    from accounts.middleware import remember_passed

    client.force_login(user)
    at = getattr(user, "second_factor_at", None)
    if at is not None:
        session = client.session
        remember_passed(session, at)
        session.save()
    return client


def give_roles(user: Any, *roles: Role) -> None:
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
    # roles_of() caches a user's roles on the object; forget them so the new ones count.
    user.__dict__.pop("_pcd_roles", None)


def section(decision: Decision, number: int) -> TemplateSection:
    return decision.template.sections.get(number=number)


def make_complete_draft(
    officer: Any,
    *,
    title: str = TITLE,
    deferred_until: datetime.date | None = None,
) -> Decision:
    """A draft with everything submission asks for: title, summary, a paragraph in sections 1 and
    2, "No comments." in sections 3 to 5, two recommendations (the second linked to paragraph
    2.1) and every declaration item."""
    decision = services.decision_create(user=officer, title=title)
    services.decision_update_summary(
        decision=decision, user=officer, title=title, executive_summary=SUMMARY
    )
    services.paragraph_add(
        decision=decision, user=officer, section=section(decision, 1), text=BACKGROUND
    )
    grants = services.paragraph_add(
        decision=decision, user=officer, section=section(decision, 2), text=GRANTS
    )
    for number in (3, 4, 5):  # Financial, Legal and Equality comments: required
        services.section_no_comments(
            decision=decision, user=officer, section=section(decision, number)
        )
    services.recommendation_add(decision=decision, user=officer, text=NOTE)
    services.recommendation_add(decision=decision, user=officer, text=APPROVE, paragraphs=[grants])
    if deferred_until is not None:
        services.decision_update_public_access(
            decision=decision,
            user=officer,
            publication_deferred=True,
            deferral_reason="Publishing before the grants are announced would pre-empt them.",
            deferred_until=deferred_until,
            has_part_two=False,
        )
    services.declaration_update(
        decision=decision,
        user=officer,
        item_ids=decision.template.declaration_items.values_list("pk", flat=True),
    )
    return fresh(decision)


def fresh(decision: Decision) -> Decision:
    """The request as stored now."""
    return Decision.objects.get(pk=decision.pk)


def next_month() -> datetime.date:
    return london_today() + datetime.timedelta(days=30)


def submitted(decision: Decision, officer: Any) -> Decision:
    return fresh(services.decision_submit(decision=decision, user=officer))


def approved_by_chief_executive(decision: Decision, chief_executive: Any) -> Decision:
    services.decision_approve(decision=decision, user=chief_executive, confirmed=True)
    return fresh(decision)


def signed_off(decision: Decision, dmpc: Any, *, interests: str = "None") -> Decision:
    services.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests=interests)
    return fresh(decision)


def decision_in(status: Status, *, officer: Any, chief_executive: Any, dmpc: Any) -> Decision:
    """A complete request by `officer`, taken to `status` by the people whose step it is."""
    deferred_until = next_month() if status == Status.DEFERRED else None
    decision = make_complete_draft(officer, deferred_until=deferred_until)
    if status == Status.DRAFT:
        return decision
    decision = submitted(decision, officer)
    if status == Status.AWAITING_APPROVAL:
        return decision
    if status == Status.WITHDRAWN:
        services.decision_withdraw(
            decision=decision, user=officer, comment="The funding round was cancelled."
        )
        return fresh(decision)
    decision = approved_by_chief_executive(decision, chief_executive)
    if status == Status.AWAITING_SIGNOFF:
        return decision
    if status == Status.REJECTED:
        services.decision_reject(
            decision=decision, user=dmpc, comment="The bids do not meet the fund's criteria."
        )
        return fresh(decision)
    if status == Status.APPROVED:
        # Sign-off passes through `approved` to published or deferred in one transaction, so no
        # service leaves a request here; set it directly to test the state itself.
        Decision.objects.filter(pk=decision.pk).update(
            status=Status.APPROVED, signed_off_at=timezone.now()
        )
        return fresh(decision)
    decision = signed_off(decision, dmpc)
    assert decision.status == status, f"expected {status}, the request is {decision.status}"
    return decision
