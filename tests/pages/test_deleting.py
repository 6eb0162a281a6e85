"""Lose nothing: deleting asks first, a never-submitted draft can be deleted for real, limited
fields count their characters, and the writing forms warn before unsaved changes are left."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from decisions import services
from decisions.models import Decision, Paragraph, Recommendation
from decisions.states import Status
from tests.factories import BACKGROUND, make_complete_draft
from tests.pages.helpers import html_of, text_of

pytestmark = pytest.mark.django_db


def test_deleting_a_paragraph_asks_first(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    paragraph = Paragraph.objects.get(decision=decision, section__number=1)
    client.force_login(officer)
    url = reverse("staff:delete_paragraph", args=[decision.pk, paragraph.pk])

    page = text_of(client.get(url))

    assert "Are you sure you want to delete paragraph 1.1?" in page
    assert BACKGROUND in page
    assert Paragraph.objects.filter(pk=paragraph.pk).exists()
    client.post(url)
    assert not Paragraph.objects.filter(pk=paragraph.pk).exists()


def test_deleting_a_recommendation_asks_first(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    rec = decision.recommendations.order_by("position").last()
    assert rec is not None
    client.force_login(officer)
    url = reverse("staff:delete_recommendation", args=[decision.pk, rec.pk])
    assert "Are you sure you want to delete recommendation 2?" in text_of(client.get(url))
    assert Recommendation.objects.filter(pk=rec.pk).exists()
    client.post(url)
    assert not Recommendation.objects.filter(pk=rec.pk).exists()


def test_an_officer_deletes_a_draft_for_real_after_confirming(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    client.force_login(officer)
    request_page = text_of(client.get(reverse("staff:decision", args=[decision.pk])))
    assert "Delete this draft" in request_page
    url = reverse("staff:delete_draft", args=[decision.pk])
    assert "Are you sure you want to delete this draft?" in text_of(client.get(url))
    assert Decision.objects.filter(pk=decision.pk).exists()

    response = client.post(url, follow=True)

    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert f"Draft “{decision.title}” deleted." in text_of(response)


def test_a_returned_request_keeps_its_record(
    client: Any, officer: Any, chief_executive: Any, make_decision: Any
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    services.decision_return(decision=decision, user=chief_executive, comment="Add the figures.")
    client.force_login(officer)
    assert "Delete this draft" not in text_of(
        client.get(reverse("staff:decision", args=[decision.pk]))
    )
    client.post(reverse("staff:delete_draft", args=[decision.pk]))
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_only_the_author_deletes_a_draft(client: Any, officer: Any, other_officer: Any) -> None:
    decision = make_complete_draft(officer)
    client.force_login(other_officer)
    client.post(reverse("staff:delete_draft", args=[decision.pk]))
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_the_title_counts_its_characters_and_forms_warn_before_losing_changes(
    client: Any, officer: Any
) -> None:
    client.force_login(officer)
    html = html_of(client.get(reverse("staff:create")))
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="250"' in html
    assert "data-warn-unsaved" in html
    decision = make_complete_draft(officer)
    for name in ("edit_summary", "edit_recommendations", "edit_public_access"):
        page = html_of(client.get(reverse(f"staff:{name}", args=[decision.pk])))
        assert "data-warn-unsaved" in page, name
