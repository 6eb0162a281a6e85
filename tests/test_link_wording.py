"""A recommendation's links to paragraphs read "(see paragraph 2.1)", before its closing
punctuation, wherever the recommendation ends; a request signed under the first wording keeps it,
so its signatures still verify."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from decisions import services
from decisions.document import build_document
from decisions.models import Decision
from decisions.signatures import verify_signatures
from decisions.states import SIGNED_OFF_STATES
from decisions.wording import LinkWording, render_recommendation
from tests.factories import (
    approved_by_chief_executive,
    fresh,
    make_complete_draft,
    section,
    signed_off,
    submitted,
)


@pytest.mark.parametrize(
    ("text", "cited", "reads"),
    [
        # The finding: "budget; (paragraph 2.1)".
        ("Approve the budget;", ["2.1"], "Approve the budget (see paragraph 2.1);"),
        ("Approve the budget; and", ["2.1"], "Approve the budget (see paragraph 2.1); and"),
        ("Approve the budget.", ["2.6", "2.7"], "Approve the budget (see paragraphs 2.6–2.7)."),
        ("Approve the budget", ["2.1"], "Approve the budget (see paragraph 2.1)"),
        ("Approve the budget and", ["2.1"], "Approve the budget (see paragraph 2.1) and"),
        ("Approve the budget.  ", ["2.1"], "Approve the budget (see paragraph 2.1)."),
        # Where the officer's sentence leads into the numbers, they read as part of it …
        (
            "Approve the budget set out in {paragraphs}.",
            ["2.6"],
            "Approve the budget set out in paragraph 2.6.",
        ),
        # … and where the placeholder stands apart, as an aside.
        (
            "Approve the budget {paragraphs}; and",
            ["2.1", "3.1"],
            "Approve the budget (see paragraphs 2.1 and 3.1); and",
        ),
        ("Note the forecast.", [], "Note the forecast."),
        ("Approve the budget in {paragraphs}.", [], "Approve the budget in (no paragraph linked)."),
    ],
)
def test_links_read_see_paragraph_before_the_closing_punctuation(
    text: str, cited: list[str], reads: str
) -> None:
    assert render_recommendation(text, cited) == reads


@pytest.mark.parametrize(
    ("text", "cited", "reads"),
    [
        ("Approve the budget;", ["2.1"], "Approve the budget; (paragraph 2.1)"),
        ("Approve the budget.", ["2.6", "2.7"], "Approve the budget (paragraphs 2.6–2.7)"),
        ("Approve it, see {paragraphs}.", ["2.6"], "Approve it, see paragraph 2.6."),
        ("Approve the budget {paragraphs}; and", ["2.1"], "Approve the budget paragraph 2.1; and"),
        ("Approve the budget in {paragraphs}.", [], "Approve the budget in (no paragraph linked)."),
    ],
)
def test_the_first_wording_renders_exactly_as_it_did_when_signed(
    text: str, cited: list[str], reads: str
) -> None:
    assert render_recommendation(text, cited, LinkWording.APPENDED) == reads


def _with_aside(officer: Any) -> Decision:
    """A complete draft whose recommendation cites paragraph 2.1 without a placeholder."""
    decision = make_complete_draft(officer)
    grants = decision.paragraphs.get(section=section(decision, 2))
    services.recommendation_add(
        decision=decision, user=officer, text="Approve the grants;", paragraphs=[grants]
    )
    return fresh(decision)


def test_a_new_request_reads_see_paragraph_on_its_pages(officer: Any) -> None:
    decision = _with_aside(officer)

    assert decision.link_wording == LinkWording.SEE
    assert build_document(decision).recommendations[-1].rendered == (
        "Approve the grants (see paragraph 2.1);"
    )


def test_a_request_signed_under_the_first_wording_keeps_it_and_its_signatures_verify(
    officer: Any, chief_executive: Any, dmpc: Any
) -> None:
    decision = _with_aside(officer)
    Decision.objects.filter(pk=decision.pk).update(link_wording=LinkWording.APPENDED)
    decision = submitted(fresh(decision), officer)
    decision = approved_by_chief_executive(decision, chief_executive)
    decision = signed_off(decision, dmpc)
    assert decision.status in SIGNED_OFF_STATES

    checks = verify_signatures(decision)
    assert len(checks) == 2 and all(check.valid for check in checks)
    assert build_document(decision).recommendations[-1].rendered == (
        "Approve the grants; (paragraph 2.1)"
    )

    # The wording is what holds them: read under the new one, the signed text no longer matches.
    Decision.objects.filter(pk=decision.pk).update(link_wording=LinkWording.SEE)
    assert not any(check.content_matches for check in verify_signatures(fresh(decision)))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_submitted_before_the_new_wording_keep_the_first() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("decisions", "0010_merge")])
    old = executor.loader.project_state([("decisions", "0010_merge")]).apps
    user = old.get_model("auth", "User").objects.create(username="priya")
    template = old.get_model("decisions", "FormTemplate").objects.create(
        name="Request for DMPC Decision",
        version=99,
        effective_from="2017-01-01",
        foia_statement="",
        deferral_guidance="",
        part_two_guidance="",
        officer_approval_declaration="",
        dmpc_declaration="",
        dmpc_approval_statement="",
    )
    decisions = old.get_model("decisions", "Decision").objects
    sent = decisions.create(template=template, title="Signed last year", author=user)
    old.get_model("decisions", "DecisionVersion").objects.create(
        decision=sent, number=1, content={}, content_hash="a" * 64, submitted_by=user
    )
    drafting = decisions.create(template=template, title="Still a draft", author=user)

    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

        assert Decision.objects.get(pk=sent.pk).link_wording == LinkWording.APPENDED
        assert Decision.objects.get(pk=drafting.pk).link_wording == LinkWording.SEE
    finally:
        # Leave the test database as the rest of the suite expects it.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
