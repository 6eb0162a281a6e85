"""Write fast: a section edited as one text, paragraphs split by blank lines; untouched and
edited paragraphs keep the recommendations that cite them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from decisions.document import build_document
from decisions.models import Paragraph
from tests.factories import GRANTS, make_complete_draft
from tests.pages.helpers import text_of

pytestmark = pytest.mark.django_db


def _section_two(decision: Any) -> list[Paragraph]:
    return list(Paragraph.objects.filter(decision=decision, section__number=2).order_by("position"))


def test_a_section_written_as_one_text_in_one_post(client: Any, officer: Any) -> None:
    decision = make_complete_draft(officer)
    [grants] = _section_two(decision)
    client.force_login(officer)
    url = reverse("staff:edit_section_text", args=[decision.pk, 2])
    assert GRANTS.splitlines()[0] in text_of(client.get(url))

    text = (
        "The bidding round opened in May.\n\n"
        + GRANTS
        + "\n\n## Conditions\nEach borough reports each quarter:\n(a) spend;\n(b) outcomes."
    )
    response = client.post(url, {"text": text}, follow=True)

    assert "Issues for consideration saved: 3 paragraphs." in text_of(response)
    paragraphs = _section_two(decision)
    assert paragraphs[0].text == "The bidding round opened in May."
    assert paragraphs[1].pk == grants.pk  # untouched: it keeps its identity and its links
    assert paragraphs[2].heading == "Conditions"
    # The recommendation that cited 2.1 now cites 2.2, where the same paragraph went.
    assert build_document(decision).recommendations[1].rendered == (
        "Approve the grants set out in paragraph 2.2."
    )


def test_an_edited_paragraph_keeps_its_links_and_a_removed_one_goes(
    client: Any, officer: Any
) -> None:
    decision = make_complete_draft(officer)
    [grants] = _section_two(decision)
    client.force_login(officer)
    url = reverse("staff:edit_section_text", args=[decision.pk, 2])
    client.post(url, {"text": "First.\n\nSecond."})
    client.post(url, {"text": GRANTS.replace("£400,000", "£450,000") + "\n\nSecond."})

    paragraphs = _section_two(decision)
    assert [p.text for p in paragraphs] == [GRANTS.replace("£400,000", "£450,000"), "Second."]
    assert len(paragraphs) == 2
    assert not Paragraph.objects.filter(text="First.").exists()
    # The paragraph edited in place is still the one the recommendation cites.
    cited = decision.recommendations.get(position=2).paragraphs.values_list("pk", flat=True)
    assert list(cited) == [grants.pk]
