"""Whoever must act next hears of it by email, once. The services queue the email on commit, so
these tests commit for real (transaction=True); Celery runs the task at once (conftest)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from decisions import services
from decisions.models import Notice, NoticeState, TransitionLog
from decisions.states import Status
from decisions.tasks import notify_transition, send_notice
from tests.factories import approved_by_chief_executive, make_complete_draft, submitted

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def recipients(outbox: list[mail.EmailMessage]) -> list[list[str]]:
    return [message.to for message in outbox]


def test_submission_emails_the_chief_executive(
    officer: Any, chief_executive: Any, dmpc: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    decision = submitted(make_complete_draft(officer), officer)

    assert recipients(mailoutbox) == [["helen@example.org"]]
    assert mailoutbox[0].subject == f"{decision.reference}: Awaiting Chief Executive approval"
    assert decision.title in mailoutbox[0].body
    assert f"/staff/requests/{decision.pk}/" in mailoutbox[0].body


def test_approval_emails_the_dmpc(
    officer: Any, chief_executive: Any, dmpc: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    decision = submitted(make_complete_draft(officer), officer)
    mailoutbox.clear()

    approved_by_chief_executive(decision, chief_executive)

    assert recipients(mailoutbox) == [["daniel@example.org"]]
    assert mailoutbox[0].subject == f"{decision.reference}: Awaiting DMPC sign-off"
    assert "Helen Carter" in mailoutbox[0].body


def test_return_emails_the_author_with_the_reason(
    officer: Any, chief_executive: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    decision = submitted(make_complete_draft(officer), officer)
    mailoutbox.clear()

    services.decision_return(
        decision=decision, user=chief_executive, comment="Add the legal comments."
    )

    assert recipients(mailoutbox) == [["priya@example.org"]]
    assert mailoutbox[0].subject == f"{decision.reference}: {Status.DRAFT.label}"
    assert "Add the legal comments." in mailoutbox[0].body


def test_running_the_task_twice_for_one_notice_sends_once(
    officer: Any, chief_executive: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    decision = submitted(make_complete_draft(officer), officer)
    [notice] = Notice.objects.filter(entry__decision=decision)
    assert len(mailoutbox) == 1

    again = send_notice.delay(notice.pk).get()

    assert again == "skipped"
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert (notice.state, notice.email, notice.attempts) == (
        NoticeState.SENT,
        "helen@example.org",
        1,
    )


def test_a_message_queued_before_the_outbox_still_sends_once(
    officer: Any, chief_executive: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    decision = submitted(make_complete_draft(officer), officer)
    entry = TransitionLog.objects.get(decision=decision, transition="submit")

    notify_transition.delay(entry.pk)

    assert len(mailoutbox) == 1
    assert Notice.objects.filter(entry=entry).count() == 1
