"""Deferred decisions are published at the start of their day (Europe/London) by the beat task,
by themselves; a governance officer can move the day, with a logged reason."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from decisions import services
from decisions.dates import LONDON
from decisions.errors import ActionRefused
from decisions.models import Decision
from decisions.states import Status
from register.tasks import publish_due_decisions
from tests.factories import fresh
from tests.pages.helpers import text_of, use_plain_static_storage

pytestmark = pytest.mark.django_db


def _london(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


def test_the_beat_schedule_runs_the_publication_task() -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "register.tasks.publish_due_decisions" in tasks


def test_a_deferred_decision_is_public_from_the_start_of_its_day_and_not_before(
    client: Client, make_decision: Callable[[Status], Decision]
) -> None:
    decision = make_decision(Status.DEFERRED)
    day = decision.publish_on
    assert day == decision.deferred_until
    page = f"/decisions/pcd-{decision.reference_number}/"

    # One minute before midnight in London (in summer, 22:59 UTC): not yet.
    with time_machine.travel(_london(day, 0) - datetime.timedelta(minutes=1), tick=False):
        assert publish_due_decisions() == 0
    assert fresh(decision).status == Status.DEFERRED
    assert client.get(page).status_code == 404
    assert decision.title not in text_of(client.get("/decisions/"))

    with time_machine.travel(_london(day, 0, 1), tick=False):
        assert publish_due_decisions() == 1
        assert publish_due_decisions() == 0  # a second run is harmless
    published = fresh(decision)
    assert published.status == Status.PUBLISHED
    assert published.log.filter(transition="publish").count() == 1
    response = client.get(page)
    assert response.status_code == 200
    text = text_of(response)
    assert f"Date signed {published.signed_off_at.astimezone(LONDON):%-d %B %Y}" in text
    assert f"Date published {day:%-d %B %Y}" in text
    assert decision.title in text_of(client.get("/decisions/"))


def test_a_decision_due_while_the_scheduler_was_down_is_published_at_its_next_run(
    make_decision: Callable[[Status], Decision],
) -> None:
    decision = make_decision(Status.DEFERRED)
    with time_machine.travel(_london(decision.publish_on + datetime.timedelta(days=9), 14)):
        assert publish_due_decisions() == 1
    assert fresh(decision).status == Status.PUBLISHED


def test_governance_officer_puts_the_date_back_with_a_logged_reason(
    client: Client, governance: Any, make_decision: Callable[[Status], Decision]
) -> None:
    decision = make_decision(Status.DEFERRED)
    original = decision.publish_on
    later = original + datetime.timedelta(days=14)
    client.force_login(governance)
    request_page = client.get(f"/staff/requests/{decision.pk}/")
    assert "Change the publication date" in text_of(request_page)
    address = f"/staff/requests/{decision.pk}/reschedule_publication/"
    form = client.get(address)
    assert "Change the publication date" in text_of(form)

    response = client.post(
        address,
        {
            "publish_on": f"{later:%d/%m/%Y}",
            "comment": "The grants are announced a fortnight later.",
            "expected_status": "deferred",
        },
        follow=True,
    )
    assert f"will now be published on {later:%d %B %Y}" in text_of(response)
    stored = fresh(decision)
    assert stored.publish_on == later
    assert stored.deferred_until == original  # what the signatures cover is untouched
    entry = stored.log.order_by("id").last()
    assert entry.transition == "reschedule_publication"
    assert entry.actor == governance
    assert entry.comment == (
        f"From {original:%d/%m/%Y} to {later:%d/%m/%Y}: The grants are announced a fortnight later."
    )
    # On the old day, nothing happens now.
    with time_machine.travel(_london(original, 9)):
        assert publish_due_decisions() == 0
    with time_machine.travel(_london(later, 0, 5)):
        assert publish_due_decisions() == 1


def test_governance_officer_brings_the_date_forward_to_today_and_it_is_published_at_once(
    governance: Any, make_decision: Callable[[Status], Decision]
) -> None:
    decision = make_decision(Status.DEFERRED)
    today = datetime.datetime.now(LONDON).date()
    services.decision_reschedule_publication(
        decision=decision, user=governance, publish_on=today, comment="Announced early."
    )
    stored = fresh(decision)
    assert stored.status == Status.PUBLISHED
    assert [e.transition for e in stored.log.order_by("id")][-2:] == [
        "reschedule_publication",
        "publish",
    ]


def test_rescheduling_refuses_a_past_date_an_empty_reason_and_anyone_but_governance(
    client: Client,
    governance: Any,
    dmpc: Any,
    make_decision: Callable[[Status], Decision],
) -> None:
    decision = make_decision(Status.DEFERRED)
    yesterday = datetime.datetime.now(LONDON).date() - datetime.timedelta(days=1)
    with pytest.raises(ActionRefused, match="today or in the future"):
        services.decision_reschedule_publication(
            decision=decision, user=governance, publish_on=yesterday, comment="Why not."
        )
    with pytest.raises(ActionRefused, match="Give the reason"):
        services.decision_reschedule_publication(
            decision=decision, user=governance, publish_on=decision.publish_on, comment=" "
        )
    with pytest.raises(ActionRefused, match="Only a governance officer"):
        services.decision_reschedule_publication(
            decision=decision, user=dmpc, publish_on=decision.publish_on, comment="Sooner."
        )
    client.force_login(governance)
    response = client.post(
        f"/staff/requests/{decision.pk}/reschedule_publication/",
        {"publish_on": "", "comment": "", "expected_status": "deferred"},
    )
    assert "Enter the new publication date" in text_of(response)
    assert fresh(decision).log.filter(transition="reschedule_publication").count() == 0


def test_one_decision_that_fails_does_not_hold_up_the_others(
    make_decision: Callable[[Status], Decision],
) -> None:
    from unittest import mock

    first, second = make_decision(Status.DEFERRED), make_decision(Status.DEFERRED)
    real = services.decision_publish_if_due

    def flaky(*, decision: Decision) -> bool:
        if decision.pk == first.pk:
            raise RuntimeError("database went away")
        return real(decision=decision)

    with (
        time_machine.travel(_london(first.publish_on, 1)),
        mock.patch("register.tasks.services.decision_publish_if_due", side_effect=flaky),
    ):
        assert publish_due_decisions() == 1
    assert fresh(first).status == Status.DEFERRED
    assert fresh(second).status == Status.PUBLISHED
    with time_machine.travel(_london(first.publish_on, 1, 1)):
        assert publish_due_decisions() == 1
    assert fresh(first).status == Status.PUBLISHED
