"""Paragraphs number themselves, recommendations cite paragraphs through structured
links rendered from the current numbering, and the demo PCD 279 reads as MOPAC meant it to."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from decisions import services
from decisions.dates import LONDON
from decisions.document import Block, build_document, text_blocks
from decisions.models import (
    Decision,
    Paragraph,
    Recommendation,
    Signature,
    SignatureKind,
    TransitionLog,
)
from decisions.states import Status
from decisions.wording import link_text
from demo.loader import load_demo
from tests.factories import fresh, make_complete_draft, section


def numbers(decision: Decision) -> list[str]:
    return [p.number for s in build_document(decision).sections for p in s.paragraphs]


def rendered(decision: Decision) -> list[str]:
    return [r.rendered for r in build_document(decision).recommendations]


def add(decision: Decision, officer: Any, number: int, text: str, **kwargs: Any) -> Paragraph:
    return services.paragraph_add(
        decision=decision, user=officer, section=section(decision, number), text=text, **kwargs
    )


@pytest.mark.django_db
def test_paragraphs_are_numbered_by_section_and_place(officer: Any) -> None:
    decision = make_complete_draft(officer)
    add(decision, officer, 1, "Second background paragraph.")
    add(decision, officer, 2, "Second issue.")
    add(decision, officer, 4, "The legal basis.")

    # Sections 3 to 5 hold the factory's "No comments.".
    assert numbers(decision) == ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1", "4.2", "5.1"]


@pytest.mark.django_db
def test_inserting_a_paragraph_renumbers_the_recommendation_citing_it(officer: Any) -> None:
    decision = make_complete_draft(officer)
    assert rendered(decision)[1] == "Approve the grants set out in paragraph 2.1."
    cited = decision.paragraphs.get(section__number=2)

    add(decision, officer, 2, "The bidding round opened in May.", before=cited)

    assert numbers(decision) == ["1.1", "2.1", "2.2", "3.1", "4.1", "5.1"]
    assert rendered(decision)[1] == "Approve the grants set out in paragraph 2.2."


@pytest.mark.django_db
def test_deleting_a_paragraph_renumbers_the_recommendation_citing_it(officer: Any) -> None:
    decision = make_complete_draft(officer)
    cited = decision.paragraphs.get(section__number=2)
    first = add(decision, officer, 2, "The bidding round opened in May.", before=cited)

    services.paragraph_delete(paragraph=first, user=officer)

    assert numbers(decision) == ["1.1", "2.1", "3.1", "4.1", "5.1"]
    assert rendered(decision)[1] == "Approve the grants set out in paragraph 2.1."


@pytest.mark.django_db
def test_recommendation_cites_a_run_of_paragraphs_as_a_range(officer: Any) -> None:
    decision = make_complete_draft(officer)
    cited = decision.paragraphs.get(section__number=2)
    second = add(decision, officer, 2, "Croydon asked for £300,000.")
    recommendation = decision.recommendations.get(position=2)

    services.recommendation_update(
        recommendation=recommendation,
        user=officer,
        text=recommendation.text,
        paragraphs=[second, cited],
    )

    assert rendered(decision)[1] == "Approve the grants set out in paragraphs 2.1–2.2."


@pytest.mark.parametrize(
    ("cited", "reads"),
    [
        ([], ""),
        (["2.8"], "paragraph 2.8"),
        (["2.6", "2.7"], "paragraphs 2.6–2.7"),
        (["2.6", "2.7", "2.8"], "paragraphs 2.6–2.8"),
        (["2.6", "2.8"], "paragraphs 2.6 and 2.8"),
        (["2.6", "2.8", "3.1"], "paragraphs 2.6, 2.8 and 3.1"),
        (["1.3", "2.1"], "paragraphs 1.3 and 2.1"),
    ],
)
def test_links_read_as_one_paragraph_a_range_or_a_list(cited: list[str], reads: str) -> None:
    assert link_text(cited) == reads


def test_text_blocks_turn_dash_lines_into_bullet_lists() -> None:
    text = (
        "Capital budget movements are re-profiles\n"
        "- Property Services from £159.3m to £85.3m\n"
        "- Fleet Services from £33.5m to £31.4m\n"
        "\n"
        "Further detail is in Annex 1,\n"
        "pages 35-41."
    )

    assert text_blocks(text) == [
        Block("p", "Capital budget movements are re-profiles"),
        Block(
            "ul",
            items=(
                "Property Services from £159.3m to £85.3m",
                "Fleet Services from £33.5m to £31.4m",
            ),
        ),
        Block("p", "Further detail is in Annex 1, pages 35-41."),
    ]


# --- the demo: PCD 279 --------------------------------------------------------------------------


@pytest.fixture
def pcd_279(db: None) -> Decision:
    _, published, _ = load_demo()
    return published


@pytest.mark.django_db
def test_pcd_279_recommendations_cite_the_right_paragraphs(pcd_279: Decision) -> None:
    assert rendered(pcd_279) == [
        "Note the 2017/18 revenue and capital financial position and forecast.",
        "Approve the budget movements set out in paragraphs 2.6–2.7.",
        "Approve the transfer to reserves set out in paragraph 2.8.",
    ]


@pytest.mark.django_db
def test_pcd_279_is_published_with_its_paper_signature_dates(pcd_279: Decision) -> None:
    approval = pcd_279.signatures.get(kind=SignatureKind.OFFICER_APPROVAL)
    sign_off = pcd_279.signatures.get(kind=SignatureKind.DMPC_DECISION)

    assert pcd_279.reference == "PCD 279"
    assert pcd_279.title == "Financial Reporting 2017/18 - Quarter 1"
    assert pcd_279.status == Status.PUBLISHED
    assert approval.signed_at.astimezone(LONDON).date() == datetime.date(2017, 10, 20)
    assert sign_off.signed_at.astimezone(LONDON).date() == datetime.date(2017, 10, 25)
    assert sign_off.interests == "None"
    assert pcd_279.published_at.astimezone(LONDON).date() == datetime.date(2017, 10, 25)


@pytest.mark.django_db
def test_pcd_279_paragraph_holds_its_bullet_list(pcd_279: Decision) -> None:
    sections = build_document(pcd_279).sections
    budget_movements = sections[1].paragraphs[5]

    assert budget_movements.number == "2.6"
    assert budget_movements.heading == "Budget Movements"
    assert [b.kind for b in budget_movements.blocks] == ["p", "ul"]
    assert len(budget_movements.blocks[1].items) == 3


@pytest.mark.django_db
def test_loading_the_demo_twice_creates_nothing_new(pcd_279: Decision) -> None:
    models = [get_user_model(), Decision, Paragraph, Recommendation, Signature, TransitionLog]
    before = {model.__name__: model.objects.count() for model in models}

    load_demo()

    assert {model.__name__: model.objects.count() for model in models} == before
    assert fresh(pcd_279).status == Status.PUBLISHED
