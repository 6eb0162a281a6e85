"""Financial, Legal and Equality comments are never empty: written, or "No comments." chosen
explicitly; refused at submission, at officer approval and at sign-off, and never published."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_fsm import can_proceed

from decisions import services
from decisions.errors import ActionRefused
from decisions.models import Decision, Paragraph
from decisions.states import Status
from tests.factories import fresh, make_complete_draft, section, submitted
from tests.pages.helpers import text_of

pytestmark = pytest.mark.django_db


def _empty_financial_comments(decision: Decision) -> None:
    Paragraph.objects.filter(decision=decision, section__number=3).delete()


def test_submission_refused_while_financial_comments_are_empty(officer: Any) -> None:
    decision = make_complete_draft(officer)
    _empty_financial_comments(decision)
    with pytest.raises(ActionRefused) as refused:
        services.decision_submit(decision=decision, user=officer)
    assert "Write the financial comments, or choose “No comments”." in refused.value.messages
    assert fresh(decision).status == Status.DRAFT


def test_officer_chooses_no_comments_on_the_section_page(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    _empty_financial_comments(decision)
    client.force_login(officer)
    page = client.get(reverse("staff:edit_section", args=[decision.pk, 3]))
    assert "No comments" in text_of(page)

    client.post(reverse("staff:no_comments", args=[decision.pk, 3]))

    texts = list(
        Paragraph.objects.filter(decision=decision, section__number=3).values_list(
            "text", flat=True
        )
    )
    assert texts == ["No comments."]
    assert fresh(services.decision_submit(decision=decision, user=officer)).status == (
        Status.AWAITING_APPROVAL
    )


def test_no_comments_refused_where_the_section_is_written(officer: Any) -> None:
    decision = make_complete_draft(officer)
    with pytest.raises(ActionRefused):
        services.section_no_comments(decision=decision, user=officer, section=section(decision, 1))


def _submitted_before_the_rule(officer: Any) -> Decision:
    """A request submitted while section 6 was optional; then governance makes it required."""
    decision = submitted(make_complete_draft(officer), officer)
    decision.template.sections.filter(number=6).update(required=True)
    return fresh(decision)


def test_chief_executive_cannot_approve_with_an_empty_required_section(
    officer: Any, chief_executive: Any
) -> None:
    decision = _submitted_before_the_rule(officer)
    with pytest.raises(ActionRefused) as refused:
        services.decision_approve(decision=decision, user=chief_executive, confirmed=True)
    assert any("background/supporting papers" in m for m in refused.value.messages)
    assert fresh(decision).status == Status.AWAITING_APPROVAL


def test_dmpc_cannot_sign_off_with_an_empty_required_section(
    officer: Any, chief_executive: Any, dmpc: Any
) -> None:
    decision = submitted(make_complete_draft(officer), officer)
    services.decision_approve(decision=decision, user=chief_executive, confirmed=True)
    decision.template.sections.filter(number=6).update(required=True)
    with pytest.raises(ActionRefused):
        services.decision_sign_off(
            decision=fresh(decision), user=dmpc, confirmed=True, interests="None"
        )
    assert fresh(decision).status == Status.AWAITING_SIGNOFF


def test_a_request_is_never_published_with_an_empty_required_section(
    make_decision: Any,
) -> None:
    decision = make_decision(Status.APPROVED)
    _empty_financial_comments(decision)
    decision = fresh(decision)
    assert not can_proceed(decision.publish)
    assert services.decision_publish_if_due(decision=decision) is False
    assert fresh(decision).status == Status.APPROVED
