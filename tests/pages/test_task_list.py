"""The draft's task list: the GOV.UK pattern, with a status for each part, Part I first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from decisions import services
from tests.factories import make_complete_draft
from tests.pages.helpers import html_of, text_of

pytestmark = pytest.mark.django_db


def _tasks(response: Any) -> list[tuple[str, str]]:
    html = html_of(response)
    start = html.index('id="task-list"')
    items = html[start : html.index("</ul>", start)].split("govuk-task-list__item ")[1:]
    found = []
    for item in items:
        name = re.search(r"govuk-task-list__link[^>]*>([^<]+)</a>", item)
        status = re.search(r"govuk-task-list__status[^>]*>(.*?)</div>", item, re.S)
        assert name and status
        found.append((name.group(1).strip(), text_of(status.group(1))))
    return found


def test_a_new_draft_lists_each_part_with_its_status_part_one_first(
    client: Any, officer: Any
) -> None:
    decision = services.decision_create(user=officer, title="Knife crime strategy")
    client.force_login(officer)

    tasks = _tasks(client.get(reverse("staff:decision", args=[decision.pk])))

    names = [name for name, _ in tasks]
    assert names.index("Part I, 1. Introduction and background") < names.index("Recommendations")
    status = dict(tasks)
    assert status["Title and executive summary"] == "Not started"
    assert status["Part I, 3. Financial comments"] == "Not started"
    assert status["Recommendations"] == "Not started"
    assert status["Originating officer declaration"] == "Not started"
    assert status["Part I, 6. Background/supporting papers"] == "Completed"


def test_a_complete_draft_has_every_task_completed(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    items = list(decision.template.declaration_items.values_list("pk", flat=True))
    client.force_login(officer)
    page = client.get(reverse("staff:decision", args=[decision.pk]))
    assert {status for _, status in _tasks(page)} == {"Completed"}
    services.declaration_update(decision=decision, user=officer, item_ids=items[:2])
    tasks = dict(_tasks(client.get(reverse("staff:decision", args=[decision.pk]))))
    assert tasks["Originating officer declaration"] == "In progress"


def test_before_part_one_a_recommendation_has_no_empty_paragraph_list(
    client: Any, officer: Any
) -> None:
    decision = services.decision_create(user=officer, title="Knife crime strategy")
    client.force_login(officer)
    page = client.get(reverse("staff:edit_recommendations", args=[decision.pk]))
    assert "Paragraphs this recommendation refers to" not in text_of(page)
    assert "Write Part I first" in text_of(page)
    client.post(
        reverse("staff:edit_recommendations", args=[decision.pk]), {"text": "Note the strategy."}
    )
    assert decision.recommendations.count() == 1
