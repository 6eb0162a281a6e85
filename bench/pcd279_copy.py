"""PCD 279's content as a new request, for the benchmarks to sign off: its summary, paragraphs,
recommendations, declaration and the seed annex, submitted and approved by the Chief Executive.

The seed annex carries the published figures, whose one arithmetic error would need an
explanation before submission: the benchmarks skip that guard, since what they measure starts
at sign-off. Imported after django.setup()."""

from __future__ import annotations

from typing import Any
from unittest import mock

from accounts.services import mark_passed
from decisions import services as workflow
from decisions.models import Decision, Paragraph
from tests.documents.annex_seed import load_seed_annex


def request_for_signoff(*, pcd279: Decision, officer: Any, chief: Any, title: str) -> Decision:
    decision = workflow.decision_create(user=officer, title=title)
    workflow.decision_update_summary(
        decision=decision, user=officer, title=title, executive_summary=pcd279.executive_summary
    )
    sections = {s.number: s for s in decision.template.sections.all()}
    for paragraph in Paragraph.objects.filter(decision=pcd279).order_by(
        "section__number", "position"
    ):
        workflow.paragraph_add(
            decision=decision,
            user=officer,
            section=sections[paragraph.section.number],
            text=paragraph.text,
            heading=paragraph.heading,
        )
    for rec in pcd279.recommendations.order_by("position"):
        workflow.recommendation_add(decision=decision, user=officer, text=rec.text)
    workflow.declaration_update(
        decision=decision,
        user=officer,
        item_ids=decision.template.declaration_items.values_list("pk", flat=True),
    )
    load_seed_annex(decision)
    with (
        mock.patch("decisions.services.workflow.submission_problems", return_value=[]),
        mock.patch("decisions.models.request.submission_problems", return_value=[]),
    ):
        workflow.decision_submit(decision=decision, user=officer)
    # The approver confirms it is them, as the page would ask (accounts: second factor).
    mark_passed(chief)
    workflow.decision_approve(decision=decision, user=chief, confirmed=True)
    return Decision.objects.get(pk=decision.pk)


def signed_off(decision: Decision, dmpc: Any) -> None:
    mark_passed(dmpc)
    workflow.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests="None")
