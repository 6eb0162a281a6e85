"""The admin is for governance officers: they see every request, its log and its
signatures, and change none of them there. Publication goes through decisions.services, so the
admin's one action publishes only what is due."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from decisions.models import Decision, TransitionLog
from decisions.signatures import canonical_content
from decisions.states import Status
from tests.factories import fresh, sign_in
from tests.pages.helpers import html_of, text_of

CHANGELIST = reverse("admin:decisions_decision_changelist")


def change_url(decision: Decision) -> str:
    return reverse("admin:decisions_decision_change", args=[decision.pk])


def delete_url(decision: Decision) -> str:
    return reverse("admin:decisions_decision_delete", args=[decision.pk])


def snapshot(decision: Decision) -> tuple[Any, ...]:
    current = fresh(decision)
    return (
        current.status,
        current.title,
        current.reference_number,
        current.published_at,
        current.updated_at,
        canonical_content(current),
        current.log.count(),
    )


def tampering(decision: Decision) -> dict[str, Any]:
    """Every field of the change form, rewritten, as a hand-made POST would send them."""
    return {
        "title": "Rewritten in the admin",
        "executive_summary": "Rewritten in the admin.",
        "status": Status.PUBLISHED,
        "reference_number": str((decision.reference_number or 0) + 500),
        "publication_deferred": "",
        "has_part_two": "on",
        "template": str(decision.template_id),
        "author": str(decision.author_id),
        "log-TOTAL_FORMS": "0",
        "log-INITIAL_FORMS": "0",
        "log-MIN_NUM_FORMS": "0",
        "log-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }


@pytest.fixture
def awaiting(make_decision: Callable[[Status], Decision]) -> Decision:
    return make_decision(Status.AWAITING_SIGNOFF)


def test_governance_opens_the_changelist_and_the_change_view(
    client: Client, governance_admin: Any, awaiting: Decision
) -> None:
    sign_in(client, governance_admin)
    changelist = client.get(CHANGELIST)
    assert changelist.status_code == 200
    assert awaiting.title in text_of(changelist)

    view = client.get(change_url(awaiting))
    assert view.status_code == 200
    assert awaiting.title in text_of(view)
    # Read-only: no save buttons, no editable title.
    html = html_of(view)
    assert 'name="_save"' not in html
    assert 'name="title"' not in html
    # The history is there, read-only too.
    assert "submit" in text_of(view).lower()


@pytest.mark.parametrize("who", ["governance_admin", "superuser"])
def test_posting_the_change_form_changes_nothing(
    client: Client, awaiting: Decision, who: str, request: Any
) -> None:
    sign_in(client, request.getfixturevalue(who))
    before = snapshot(awaiting)
    response = client.post(change_url(awaiting), tampering(awaiting))
    assert response.status_code == 403
    assert snapshot(awaiting) == before
    assert fresh(awaiting).title != "Rewritten in the admin"


@pytest.mark.parametrize("who", ["governance_admin", "superuser"])
def test_there_is_no_add_or_delete(
    client: Client, awaiting: Decision, who: str, request: Any
) -> None:
    sign_in(client, request.getfixturevalue(who))
    before = snapshot(awaiting)
    assert client.get(delete_url(awaiting)).status_code == 403
    assert client.post(delete_url(awaiting), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:decisions_decision_add")).status_code == 403
    assert (
        client.post(reverse("admin:decisions_decision_add"), tampering(awaiting)).status_code == 403
    )

    changelist = html_of(client.get(CHANGELIST))
    assert 'value="delete_selected"' not in changelist
    assert 'value="publish_if_due"' in changelist
    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [awaiting.pk],
            "index": 0,
            "post": "yes",
        },
    )
    assert Decision.objects.filter(pk=awaiting.pk).exists()
    assert response.status_code in (200, 302)
    assert snapshot(awaiting) == before


def test_the_log_and_signatures_cannot_be_changed_in_the_admin(
    client: Client, superuser: Any, awaiting: Decision
) -> None:
    sign_in(client, superuser)
    entry = TransitionLog.objects.filter(decision=awaiting).first()
    assert entry is not None
    url = reverse("admin:decisions_transitionlog_change", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": "Rewritten", "transition": "approve"})
    assert response.status_code == 403
    assert TransitionLog.objects.get(pk=entry.pk).comment == entry.comment
    delete = reverse("admin:decisions_transitionlog_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert TransitionLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "status", [Status.AWAITING_SIGNOFF, Status.DEFERRED, Status.REJECTED, Status.APPROVED]
)
def test_publish_if_due_publishes_nothing_that_is_not_due(
    client: Client,
    governance_admin: Any,
    make_decision: Callable[[Status], Decision],
    status: Status,
) -> None:
    """DEFERRED here is deferred until next month, so not due; the others are not deferred."""
    decision = make_decision(status)
    before = snapshot(decision)
    sign_in(client, governance_admin)
    response = client.post(
        CHANGELIST,
        {"action": "publish_if_due", ACTION_CHECKBOX_NAME: [decision.pk], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert "Published 0; 1 not due or not deferred." in text_of(response)
    assert snapshot(decision) == before
    assert fresh(decision).status == status
    assert client.get(f"/decisions/pcd-{decision.reference_number}/").status_code == 404


def test_publish_if_due_publishes_a_deferred_decision_whose_date_has_come(
    client: Client, governance_admin: Any, make_decision: Callable[[Status], Decision]
) -> None:
    """The one thing the action does: what the system would do on the morning of the date."""
    import datetime

    from decisions.dates import london_today

    decision = make_decision(Status.DEFERRED)
    Decision.objects.filter(pk=decision.pk).update(
        publish_on=london_today() - datetime.timedelta(days=1)
    )
    sign_in(client, governance_admin)
    response = client.post(
        CHANGELIST,
        {"action": "publish_if_due", ACTION_CHECKBOX_NAME: [decision.pk], "index": 0},
        follow=True,
    )
    assert "Published 1; 0 not due or not deferred." in text_of(response)
    assert fresh(decision).status == Status.PUBLISHED
    assert client.get(f"/decisions/pcd-{decision.reference_number}/").status_code == 200


def test_people_without_admin_access_are_kept_out(
    client: Client, officer: Any, governance: Any, awaiting: Decision
) -> None:
    for person in (officer, governance):  # governance without is_staff: not an admin user
        sign_in(client, person)
        response = client.get(change_url(awaiting))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
