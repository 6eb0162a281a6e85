"""The workflow through the pages, each person in turn: the officer submits, the Chief Executive
approves, the DMPC signs off, and the public reads the decision. The Chief Executive sees what is
waiting for them and, after a return and resubmission, what changed.

Each step fills in only the fields its page shows, as a person in a browser would, so a page that
does not render a field its form needs fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, Signature, SignatureKind
from decisions.states import Status
from tests.factories import SUMMARY, fresh, make_complete_draft, sign_in
from tests.pages.helpers import (
    error_summary,
    form_controls,
    html_of,
    local_date,
    text_of,
    unlabelled_controls,
)

NEW_SUMMARY = "The DMPC is asked to approve grants of £1.1m to four borough schemes, one fewer."
RETURN_COMMENT = "Please give the borough breakdown in the executive summary."


def fill_in(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Open the page, check it shows every field we are about to fill in, and send the form."""
    page = client.get(url)
    assert page.status_code == 200, f"GET {url}: {page.status_code}"
    shown = {name for _, _, name in form_controls(page)}
    missing = set(data) - shown - {"expected_status"}
    assert not missing, f"{url} does not show the fields {sorted(missing)}"
    assert "expected_status" in html_of(page)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert error_summary(response) == "", f"{url} refused: {error_summary(response)}"
    return response


def act_url(decision: Decision, name: str) -> str:
    return reverse("staff:act", args=[decision.pk, name])


def submit(client: Client, decision: Decision, officer: Any) -> Any:
    sign_in(client, officer)
    return fill_in(client, act_url(decision, "submit"), {"expected_status": "draft"})


def approve(client: Client, decision: Decision, chief_executive: Any) -> Any:
    sign_in(client, chief_executive)
    return fill_in(
        client,
        act_url(decision, "approve"),
        {"expected_status": "awaiting_approval", "confirmed": "on", "comment": ""},
    )


def sign_off(client: Client, decision: Decision, dmpc: Any) -> Any:
    sign_in(client, dmpc)
    return fill_in(
        client,
        act_url(decision, "sign_off"),
        {
            "expected_status": "awaiting_signoff",
            "has_interests": "no",
            "interests": "",
            "confirmed": "on",
            "comment": "",
        },
    )


def test_each_person_plays_their_part_and_the_public_reads_the_decision(
    client: Client, officer: Any, chief_executive: Any, dmpc: Any
) -> None:
    decision = make_complete_draft(officer)

    response = submit(client, decision, officer)
    decision = fresh(decision)
    assert decision.status == Status.AWAITING_APPROVAL
    assert f"Submitted as {decision.reference}." in text_of(response)

    # The Chief Executive finds it waiting for them.
    sign_in(client, chief_executive)
    dashboard = text_of(client.get(reverse("staff:dashboard")))
    assert "Awaiting your action" in dashboard
    waiting = dashboard[dashboard.index("Awaiting your action") :]
    assert f"{decision.reference}: {decision.title}" in waiting.split("Recently decided")[0]
    detail = client.get(reverse("staff:decision", args=[decision.pk]))
    assert "Approve" in text_of(detail)
    assert act_url(decision, "approve") in html_of(detail)

    response = approve(client, decision, chief_executive)
    assert f"Approved. {decision.reference} now awaits the DMPC's sign-off." in text_of(response)
    assert fresh(decision).status == Status.AWAITING_SIGNOFF

    sign_in(client, dmpc)
    dashboard = text_of(client.get(reverse("staff:dashboard")))
    assert f"{decision.reference}: {decision.title}" in dashboard.split("Recently decided")[0]
    response = sign_off(client, decision, dmpc)
    assert f"{decision.reference} is signed off. It is published." in text_of(response)
    decision = fresh(decision)
    assert decision.status == Status.PUBLISHED

    # The public.
    client.logout()
    register = client.get("/decisions/")
    assert register.status_code == 200
    assert decision.reference in text_of(register)
    assert f'href="/decisions/pcd-{decision.reference_number}/"' in html_of(register)

    page = client.get(f"/decisions/pcd-{decision.reference_number}/")
    assert page.status_code == 200
    text = text_of(page)
    assert decision.title in text
    approval = Signature.objects.get(decision=decision, kind=SignatureKind.OFFICER_APPROVAL)
    sign = Signature.objects.get(decision=decision, kind=SignatureKind.DMPC_DECISION)
    assert "Helen Carter, Chief Executive" in text
    assert "Daniel Okafor, Deputy Mayor for Policing and Crime" in text
    assert "Interests recorded None" in text
    assert f"Date signed {local_date(decision.signed_off_at, 'j F Y')}" in text
    assert f"Date published {local_date(decision.published_at, 'j F Y')}" in text
    assert f"Date {local_date(approval.signed_at, 'd/m/Y')}" in text
    assert f"Date {local_date(sign.signed_at, 'd/m/Y')}" in text
    for rec in ("Note the outcome of the 2018/19 bidding round.", "paragraph 2.1"):
        assert rec in text


@pytest.mark.parametrize(
    ("status", "person", "name", "fields"),
    [
        (Status.DRAFT, "officer", "withdraw", {"comment"}),
        (Status.AWAITING_APPROVAL, "chief_executive", "approve", {"confirmed", "comment"}),
        (Status.AWAITING_APPROVAL, "chief_executive", "return_to_officer", {"comment"}),
        (
            Status.AWAITING_SIGNOFF,
            "dmpc",
            "sign_off",
            {"has_interests", "interests", "confirmed", "comment"},
        ),
        (Status.AWAITING_SIGNOFF, "dmpc", "reject", {"comment"}),
        (Status.AWAITING_SIGNOFF, "dmpc", "return_to_officer", {"comment"}),
    ],
)
def test_each_action_page_shows_the_fields_its_form_needs(
    client: Client,
    make_decision: Callable[[Status], Decision],
    status: Status,
    person: str,
    name: str,
    fields: set[str],
    request: Any,
) -> None:
    decision = make_decision(status)
    sign_in(client, request.getfixturevalue(person))
    page = client.get(act_url(decision, name))
    assert page.status_code == 200
    shown = {field for _, _, field in form_controls(page)}
    assert fields <= shown, f"{name} page shows {sorted(shown)}, needs {sorted(fields)}"
    assert not unlabelled_controls(page)


def test_a_returned_request_shows_the_comment_and_then_what_changed(
    client: Client, officer: Any, chief_executive: Any
) -> None:
    decision = make_complete_draft(officer)
    submit(client, decision, officer)
    decision = fresh(decision)

    # The Chief Executive reads version 1, and returns it.
    sign_in(client, chief_executive)
    first_look = client.get(reverse("staff:decision", args=[decision.pk]))
    assert "Changed since you last looked" not in text_of(first_look)
    response = fill_in(
        client,
        act_url(decision, "return_to_officer"),
        {"expected_status": "awaiting_approval", "comment": RETURN_COMMENT},
    )
    assert f"{decision.reference} was returned to the officer." in text_of(response)
    assert fresh(decision).status == Status.DRAFT

    # The officer sees why, changes the summary and resubmits.
    sign_in(client, officer)
    page = text_of(client.get(reverse("staff:decision", args=[decision.pk])))
    assert "Returned by Helen Carter" in page
    assert f"“{RETURN_COMMENT}”" in page
    client.post(
        reverse("staff:edit_summary", args=[decision.pk]),
        {"title": decision.title, "executive_summary": NEW_SUMMARY},
    )
    response = submit(client, decision, officer)
    assert f"Submitted as {decision.reference}." in text_of(response)
    assert fresh(decision).versions.count() == 2

    # The Chief Executive is shown the change, once.
    sign_in(client, chief_executive)
    page = client.get(reverse("staff:decision", args=[decision.pk]))
    text = text_of(page)
    assert "Changed since you last looked" in text
    assert "Version 2 compared with version 1, which you last saw." in text
    html = html_of(page)
    assert f'<ins class="app-diff-added">Executive summary: {NEW_SUMMARY}</ins>' in html
    assert f'<del class="app-diff-removed">Executive summary: {SUMMARY}</del>' in html
    # Nothing else changed.
    assert html.count('class="app-diff-added"') == 1
    assert html.count('class="app-diff-removed"') == 1

    again = client.get(reverse("staff:decision", args=[decision.pk]))
    assert "Changed since you last looked" not in text_of(again)


def test_a_person_without_the_step_is_told_so_on_the_action_page(
    client: Client, make_decision: Callable[[Status], Decision], officer: Any
) -> None:
    """The officer opens the Approve address of their own request: sent back with the reason."""
    decision = make_decision(Status.AWAITING_APPROVAL)
    sign_in(client, officer)
    response = client.get(act_url(decision, "approve"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:decision", args=[decision.pk])
    assert "Only the Chief Executive can approve" in error_summary(response)
    assert fresh(decision).status == Status.AWAITING_APPROVAL
