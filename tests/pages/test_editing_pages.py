"""Drafting through the staff pages: an officer writes a request section by section, submits
it, and from then on every edit is refused. Refusals show the GOV.UK error summary with the
reason, and change nothing. Every form control is labelled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, Paragraph, Recommendation, Signature, SignatureKind
from decisions.signatures import canonical_content
from decisions.states import Status
from tests.factories import (
    approved_by_chief_executive,
    fresh,
    make_complete_draft,
    section,
    sign_in,
    signed_off,
    submitted,
)
from tests.pages.helpers import (
    error_summary,
    form_controls,
    html_of,
    text_of,
    unlabelled_controls,
    values_of,
)

TITLE = "Knife crime prevention fund 2019/20"
SUMMARY = "The DMPC is asked to approve £800,000 for knife crime prevention in six boroughs."
BACKGROUND = "The fund was announced in the Police and Crime Plan 2017–21."
SECOND = "Six boroughs applied, for £800,000 in total."
FIRST = "Bids were assessed against the fund's published criteria."
NOTE = "Note the assessment of the bids."
APPROVE = "Approve the grants set out in {paragraphs}."


def follow_post(client: Client, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, f"POST {url}: {response.status_code}"
    assert error_summary(response) == "", f"POST {url} refused: {error_summary(response)}"
    return response


def snapshot(decision: Decision) -> tuple[Any, ...]:
    current = fresh(decision)
    return (
        current.status,
        current.updated_at,
        canonical_content(current),
        current.paragraphs.count(),
        current.recommendations.count(),
        current.declarations.count(),
        current.log.count(),
        current.versions.count(),
    )


def test_an_officer_writes_and_submits_a_request_through_the_pages(
    client: Client, officer: Any
) -> None:
    sign_in(client, officer)

    response = follow_post(client, reverse("staff:create"), {"title": TITLE})
    assert "Draft created. Fill in each part, then submit it." in text_of(response)
    decision = Decision.objects.get(author=officer)
    assert decision.title == TITLE and decision.status == Status.DRAFT
    assert response.redirect_chain[-1][0] == reverse("staff:decision", args=[decision.pk])

    response = follow_post(
        client,
        reverse("staff:edit_summary", args=[decision.pk]),
        {"title": TITLE, "executive_summary": SUMMARY},
    )
    assert "Title and executive summary saved." in text_of(response)
    assert SUMMARY in text_of(response)

    section_one = reverse("staff:edit_section", args=[decision.pk, 1])
    response = follow_post(client, section_one, {"heading": "", "text": BACKGROUND, "before": ""})
    assert "Paragraph added." in text_of(response)
    assert "Paragraph 1.1" in text_of(response)

    section_two = reverse("staff:edit_section", args=[decision.pk, 2])
    follow_post(client, section_two, {"heading": "Bids", "text": SECOND, "before": ""})
    second = Paragraph.objects.get(decision=decision, text=SECOND)
    page = client.get(section_two)
    assert f'<option value="{second.pk}">Before paragraph 2.1</option>' in html_of(page)
    # Insert a paragraph before the one already there: it takes 2.1, the other moves to 2.2.
    response = follow_post(
        client, section_two, {"heading": "", "text": FIRST, "before": str(second.pk)}
    )
    assert "Paragraph added." in text_of(response)
    text = text_of(response)
    assert text.index("Paragraph 2.1") < text.index(FIRST) < text.index("Paragraph 2.2 – Bids")
    assert text.index("Paragraph 2.2 – Bids") < text.index(SECOND)

    recommendations = reverse("staff:edit_recommendations", args=[decision.pk])
    response = follow_post(client, recommendations, {"text": NOTE})
    assert "Recommendation added." in text_of(response)
    page = client.get(recommendations)
    assert str(second.pk) in values_of(page, "paragraphs")
    response = follow_post(client, recommendations, {"text": APPROVE, "paragraphs": [second.pk]})
    assert "Recommendation added." in text_of(response)
    assert "Approve the grants set out in paragraph 2.2." in text_of(response)
    linked = Recommendation.objects.get(decision=decision, position=2)
    assert list(linked.paragraphs.all()) == [second]

    # Financial, Legal and Equality comments: nothing to say, said explicitly.
    for number in (3, 4, 5):
        response = follow_post(client, reverse("staff:no_comments", args=[decision.pk, number]), {})
        assert "“No comments” recorded." in text_of(response)

    response = follow_post(
        client,
        reverse("staff:edit_public_access", args=[decision.pk]),
        {
            "publication_deferred": "no",
            "deferral_reason": "",
            "deferred_until": "",
            "has_part_two": "no",
        },
    )
    assert "Public access answers saved." in text_of(response)

    declaration = reverse("staff:edit_declaration", args=[decision.pk])
    items = values_of(client.get(declaration), "items")
    assert len(items) == decision.template.declaration_items.count() > 0
    response = follow_post(client, declaration, {"items": items})
    assert "Declaration saved." in text_of(response)
    # Everything is there: the page no longer lists what is missing.
    assert "Before you can submit" not in text_of(response)

    submit = reverse("staff:act", args=[decision.pk, "submit"])
    page = client.get(submit)
    assert "cannot be submitted yet" not in text_of(page)
    response = follow_post(client, submit, {"expected_status": "draft"})
    decision = fresh(decision)
    assert decision.status == Status.AWAITING_APPROVAL
    assert f"Submitted as {decision.reference}. The Chief Executive has been told." in text_of(
        response
    )
    assert decision.versions.count() == 1

    refuse_every_edit(client, decision)


def refuse_every_edit(client: Client, decision: Decision) -> None:
    """POSTs to each edit page of a submitted request: 403 with the reason, nothing changed."""
    paragraph = decision.paragraphs.order_by("section__number", "position").first()
    rec = decision.recommendations.order_by("position").first()
    assert paragraph is not None and rec is not None
    pk = decision.pk
    attempts = {
        reverse("staff:edit_summary", args=[pk]): {"title": "Changed", "executive_summary": "x"},
        reverse("staff:edit_section", args=[pk, 1]): {"text": "Added late.", "before": ""},
        reverse("staff:edit_paragraph", args=[pk, paragraph.pk]): {"text": "Rewritten."},
        reverse("staff:delete_paragraph", args=[pk, paragraph.pk]): {},
        reverse("staff:edit_recommendations", args=[pk]): {"text": "Also approve this."},
        reverse("staff:edit_recommendation", args=[pk, rec.pk]): {"text": "Rewritten."},
        reverse("staff:delete_recommendation", args=[pk, rec.pk]): {},
        reverse("staff:edit_public_access", args=[pk]): {
            "publication_deferred": "no",
            "has_part_two": "yes",
        },
        reverse("staff:edit_part_two", args=[pk]): {
            "facts_and_advice": "Late.",
            "exemption_rationale": "Late.",
        },
        reverse("staff:edit_declaration", args=[pk]): {"items": []},
    }
    before = snapshot(decision)
    for url, data in attempts.items():
        response = client.post(url, data)
        assert response.status_code == 403, f"POST {url}: {response.status_code}"
        assert "can no longer be changed" in text_of(response), url
        if "delete" not in url:
            assert client.get(url).status_code == 403, f"GET {url}"
    assert snapshot(decision) == before

    # Submitting again is refused too, with the reason in the error summary.
    response = client.post(
        reverse("staff:act", args=[pk, "submit"]), {"expected_status": decision.status}
    )
    assert response.status_code == 200
    assert "There is a problem" in error_summary(response)
    assert "cannot be submitted" in error_summary(response)
    assert snapshot(decision) == before


def test_submitting_without_every_declaration_item_is_refused(client: Client, officer: Any) -> None:
    decision = make_complete_draft(officer)
    sign_in(client, officer)
    items = list(decision.template.declaration_items.order_by("position"))
    follow_post(
        client,
        reverse("staff:edit_declaration", args=[decision.pk]),
        {"items": [item.pk for item in items[1:]]},
    )
    before = snapshot(decision)

    submit = reverse("staff:act", args=[decision.pk, "submit"])
    page = client.get(submit)
    assert "You cannot submit this request yet" in text_of(page)
    response = client.post(submit, {"expected_status": "draft"})
    assert response.status_code == 200
    # Each problem links to the page that fixes it; there is no button that would only refuse.
    problems = text_of(response)
    assert "Tick every item of the originating officer declaration" in problems
    assert items[0].heading in problems
    assert reverse("staff:edit_declaration", args=[decision.pk]) in html_of(response)
    assert snapshot(decision) == before
    assert fresh(decision).reference_number is None


def test_an_empty_draft_lists_every_problem_when_submitted(client: Client, officer: Any) -> None:
    sign_in(client, officer)
    follow_post(client, reverse("staff:create"), {"title": TITLE})
    decision = Decision.objects.get(author=officer)
    response = client.post(
        reverse("staff:act", args=[decision.pk, "submit"]), {"expected_status": "draft"}
    )
    summary = text_of(response)
    for message in (
        "Write the executive summary.",
        "Add at least one recommendation for the DMPC.",
        "Write Part I: it has no paragraphs yet.",
        "Tick every item",
    ):
        assert message in summary
    assert fresh(decision).status == Status.DRAFT


def test_a_deferral_without_reason_or_date_is_refused(client: Client, officer: Any) -> None:
    decision = make_complete_draft(officer)
    sign_in(client, officer)
    before = snapshot(decision)
    url = reverse("staff:edit_public_access", args=[decision.pk])
    response = client.post(url, {"publication_deferred": "yes", "has_part_two": "no"})
    assert response.status_code == 200
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert "Enter the reason for deferring publication" in summary
    assert "Enter the date until which publication is deferred" in summary

    response = client.post(
        url,
        {
            "publication_deferred": "yes",
            "deferral_reason": "Pre-empts an announcement.",
            "deferred_until_0": "1",
            "deferred_until_1": "1",
            "deferred_until_2": "2000",
            "has_part_two": "no",
        },
    )
    assert "Date until which publication is deferred must be in the future" in error_summary(
        response
    )
    assert snapshot(decision) == before


def test_an_empty_paragraph_is_refused(client: Client, officer: Any) -> None:
    decision = make_complete_draft(officer)
    sign_in(client, officer)
    before = snapshot(decision)
    response = client.post(
        reverse("staff:edit_section", args=[decision.pk, 1]), {"text": "", "before": ""}
    )
    assert response.status_code == 200
    assert "There is a problem" in error_summary(response)
    assert snapshot(decision) == before


def test_dmpc_sign_off_without_choosing_interests_changes_nothing(
    client: Client, make_decision: Callable[[Status], Decision], dmpc: Any
) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    before = snapshot(decision)
    sign_in(client, dmpc)
    url = reverse("staff:act", args=[decision.pk, "sign_off"])

    response = client.post(url, {"expected_status": "awaiting_signoff", "confirmed": "on"})
    assert response.status_code == 200
    summary = error_summary(response)
    assert "There is a problem" in summary
    assert 'href="#id_has_interests_1"' in html_of(response)

    response = client.post(
        url, {"expected_status": "awaiting_signoff", "confirmed": "on", "has_interests": "yes"}
    )
    assert "Enter the interests you declare" in error_summary(response)

    response = client.post(url, {"expected_status": "awaiting_signoff", "has_interests": "no"})
    assert "There is a problem" in error_summary(response)

    assert snapshot(decision) == before
    assert not Signature.objects.filter(
        decision=decision, kind=SignatureKind.DMPC_DECISION
    ).exists()


def test_chief_executive_approval_needs_the_confirmation(
    client: Client, make_decision: Callable[[Status], Decision], chief_executive: Any
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    before = snapshot(decision)
    sign_in(client, chief_executive)
    response = client.post(
        reverse("staff:act", args=[decision.pk, "approve"]),
        {"expected_status": "awaiting_approval", "comment": "Fine."},
    )
    assert response.status_code == 200
    assert "There is a problem" in error_summary(response)
    assert snapshot(decision) == before

    response = client.post(
        reverse("staff:act", args=[decision.pk, "return_to_officer"]),
        {"expected_status": "awaiting_approval", "comment": "   "},
    )
    assert "There is a problem" in error_summary(response)
    assert snapshot(decision) == before


def test_acting_on_a_request_that_changed_meanwhile_is_refused(
    client: Client, make_decision: Callable[[Status], Decision], chief_executive: Any
) -> None:
    """The page was opened while the request awaited approval; by the click it was withdrawn."""
    decision = make_decision(Status.WITHDRAWN)
    before = snapshot(decision)
    sign_in(client, chief_executive)
    response = client.post(
        reverse("staff:act", args=[decision.pk, "approve"]),
        {"expected_status": "awaiting_approval", "confirmed": "on"},
    )
    assert response.status_code == 200
    assert "This request changed while you were looking at it" in error_summary(response)
    assert snapshot(decision) == before


# --- labels ---------------------------------------------------------------------------------------


def officer_pages(decision: Decision) -> list[str]:
    paragraph = decision.paragraphs.order_by("section__number", "position").first()
    rec = decision.recommendations.order_by("position").first()
    assert paragraph is not None and rec is not None
    pk = decision.pk
    return [
        reverse("staff:create"),
        reverse("staff:edit_summary", args=[pk]),
        *(
            reverse("staff:edit_section", args=[pk, s.number])
            for s in decision.template.sections.all()
        ),
        reverse("staff:edit_paragraph", args=[pk, paragraph.pk]),
        reverse("staff:edit_recommendations", args=[pk]),
        reverse("staff:edit_recommendation", args=[pk, rec.pk]),
        reverse("staff:edit_public_access", args=[pk]),
        reverse("staff:edit_part_two", args=[pk]),
        reverse("staff:edit_declaration", args=[pk]),
        reverse("staff:act", args=[pk, "submit"]),
        reverse("staff:act", args=[pk, "withdraw"]),
    ]


def assert_labelled(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    missing = unlabelled_controls(response)
    assert not missing, f"{url}: controls without a <label for>: {missing}"


def test_every_control_of_the_officer_pages_has_a_label(client: Client, officer: Any) -> None:
    decision = make_complete_draft(officer)
    sign_in(client, officer)
    for url in officer_pages(decision):
        assert_labelled(client, url)
    # The check finds the controls it checks.
    controls = form_controls(client.get(reverse("staff:edit_public_access", args=[decision.pk])))
    names = {name for _, _, name in controls}
    assert {"publication_deferred", "deferral_reason", "deferred_until_0", "has_part_two"} <= names


@pytest.mark.parametrize(
    ("status", "person", "actions"),
    [
        (Status.AWAITING_APPROVAL, "chief_executive", ["approve", "return_to_officer"]),
        (Status.AWAITING_SIGNOFF, "dmpc", ["sign_off", "return_to_officer", "reject"]),
    ],
)
def test_every_control_of_the_approval_pages_has_a_label(
    client: Client,
    make_decision: Callable[[Status], Decision],
    status: Status,
    person: str,
    actions: list[str],
    request: Any,
) -> None:
    decision = make_decision(status)
    sign_in(client, request.getfixturevalue(person))
    for name in actions:
        url = reverse("staff:act", args=[decision.pk, name])
        assert_labelled(client, url)
        assert form_controls(client.get(url)), url


def test_the_sign_in_page_is_labelled(client: Client) -> None:
    assert_labelled(client, reverse("login"))


def test_the_section_page_offers_every_place_for_a_new_paragraph(
    client: Client, officer: Any
) -> None:
    decision = make_complete_draft(officer)
    sign_in(client, officer)
    sec = section(decision, 2)
    page = client.get(reverse("staff:edit_section", args=[decision.pk, sec.number]))
    assert "id_before" not in {c[1] for c in unlabelled_controls(page)}
    text = text_of(page)
    assert "Where should it go?" in text
    assert "At the end of the section" in text
    assert "Before paragraph 2.1" in text
    assert len(values_of(page, "before")) == 1  # one select, its options listed above


def test_what_an_officer_writes_is_shown_as_text_never_as_html(
    client: Client, officer: Any, chief_executive: Any, dmpc: Any
) -> None:
    # Written in the draft and signed as written: the public pages show what was signed.
    draft = make_complete_draft(officer)
    markup = '<script>alert("x")</script><b>bold</b>'
    Decision.objects.filter(pk=draft.pk).update(title=f"Grants {markup}")
    decision = signed_off(
        approved_by_chief_executive(submitted(fresh(draft), officer), chief_executive), dmpc
    )
    for url in (
        f"/decisions/pcd-{decision.reference_number}/",
        "/decisions/",
    ):
        html = html_of(client.get(url))
        assert markup not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, url
    sign_in(client, officer)
    html = html_of(client.get(reverse("staff:decision", args=[decision.pk])))
    assert markup not in html
