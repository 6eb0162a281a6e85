"""Nothing sent is lost: notices are rows written with the transition, sent by a task that
retries, swept again by beat, and each sent once; reminders after working days; the list of what
is waiting for each person."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from celery.exceptions import Retry
from django.db import OperationalError
from django.utils import timezone

from decisions import notifications, services
from decisions.dates import LONDON, working_days_between
from decisions.models import Decision, Notice, NoticeKind, NoticeState, TransitionLog
from decisions.services import workflow
from decisions.tasks import send_notice, send_reminders, sweep_notices
from tests.factories import approved_by_chief_executive, make_complete_draft, sign_in, submitted
from tests.pages.helpers import text_of, use_plain_static_storage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


class MailServerDown:
    """Patches send_mail: the first `failures` calls fail as a refused connection would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, failures: int) -> None:
        self.failures = failures
        self.real = notifications.send_mail
        monkeypatch.setattr(notifications, "send_mail", self)

    def __call__(self, *args: Any, **kwargs: Any) -> int:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return int(self.real(*args, **kwargs))


def test_a_transition_that_rolls_back_leaves_no_notice(
    officer: Any, chief_executive: Any, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    draft = make_complete_draft(officer)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the server went away after the log was written")

    monkeypatch.setattr(workflow, "_announce", fail)
    with pytest.raises(RuntimeError):
        services.decision_submit(decision=draft, user=officer)

    assert not TransitionLog.objects.filter(decision=draft).exists()
    assert not Notice.objects.exists()
    assert mailoutbox == []


def test_the_notice_is_written_with_the_transition_even_when_its_task_is_lost(
    officer: Any, chief_executive: Any, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(send_notice, "delay", broker_down)
    decision = submitted(make_complete_draft(officer), officer)
    [notice] = Notice.objects.filter(entry__decision=decision)
    assert (notice.state, notice.email) == (NoticeState.PENDING, chief_executive.email)
    assert mailoutbox == []
    monkeypatch.undo()

    assert notifications.notices_due() == []  # young: its task may still come
    assert notifications.notices_due(now=later(60)) == [notice.pk]
    monkeypatch.setattr(notifications, "notices_due", lambda: [notice.pk])
    assert sweep_notices.delay().get() == 1

    assert [m.to for m in mailoutbox] == [[chief_executive.email]]
    notice.refresh_from_db()
    assert notice.state == NoticeState.SENT and notice.sent_at is not None


def test_a_mail_server_that_is_down_is_retried_with_backoff_until_it_answers(
    officer: Any, chief_executive: Any, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    MailServerDown(monkeypatch, failures=1)
    monkeypatch.setattr(
        send_notice, "delay", lambda notice_id: notifications.notice_send(notice_id)
    )
    decision = submitted(make_complete_draft(officer), officer)
    notice = Notice.objects.get(entry__decision=decision)

    assert notice.state == NoticeState.PENDING and notice.attempts == 1
    assert "Connection refused" in notice.error
    wait = notice.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=20) < wait <= datetime.timedelta(seconds=30)
    assert notifications.notice_send(notice.pk) == "skipped"  # not due yet
    assert mailoutbox == []

    assert notifications.notices_due(now=later(31)) == [notice.pk]
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now())
    assert notifications.notice_send(notice.pk) == "sent"
    assert notifications.notice_send(notice.pk) == "skipped"

    assert [m.to for m in mailoutbox] == [[chief_executive.email]]
    notice.refresh_from_db()
    assert (notice.state, notice.attempts, notice.error) == (NoticeState.SENT, 2, "")


def test_the_backoff_doubles_and_the_last_failure_is_recorded(
    officer: Any, chief_executive: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PCD_NOTICE_MAX_ATTEMPTS = 3
    assert [notifications.backoff(n).seconds for n in (1, 2, 3)] == [30, 60, 120]
    MailServerDown(monkeypatch, failures=10)
    monkeypatch.setattr(send_notice, "delay", lambda notice_id: None)
    decision = submitted(make_complete_draft(officer), officer)
    notice = Notice.objects.get(entry__decision=decision)

    outcomes = []
    for _ in range(3):
        Notice.objects.filter(pk=notice.pk).update(next_attempt_at=timezone.now())
        outcomes.append(notifications.notice_send(notice.pk))

    assert outcomes == ["retry", "retry", "failed"]
    notice.refresh_from_db()
    assert notice.state == NoticeState.FAILED and "Connection refused" in notice.error
    assert notifications.notices_due(now=later(7200)) == []


def test_a_database_that_is_locked_is_retried_by_the_task_and_then_by_the_sweep(
    officer: Any, chief_executive: Any, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    monkeypatch.setattr(send_notice, "delay", lambda notice_id: None)
    decision = submitted(make_complete_draft(officer), officer)
    notice = Notice.objects.get(entry__decision=decision)
    real = notifications.notice_send

    def locked(notice_id: int) -> str:
        raise OperationalError("database is locked")

    monkeypatch.setattr(notifications, "notice_send", locked)
    with pytest.raises(Retry) as retry:
        send_notice.apply((notice.pk,))
    assert retry.value.when == 2  # seconds
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.PENDING
    assert mailoutbox == []

    monkeypatch.setattr(notifications, "notice_send", real)
    assert notifications.notices_due(now=later(60)) == [notice.pk]
    assert send_notice.apply((notice.pk,)).get() == "sent"
    assert [m.to for m in mailoutbox] == [[chief_executive.email]]


def test_a_send_whose_worker_died_is_taken_over_once_its_lease_lapses(
    officer: Any, chief_executive: Any, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    monkeypatch.setattr(send_notice, "delay", lambda notice_id: None)
    decision = submitted(make_complete_draft(officer), officer)
    notice = Notice.objects.get(entry__decision=decision)
    # A worker claimed it and died before it sent anything.
    Notice.objects.filter(pk=notice.pk).update(
        state=NoticeState.SENDING, attempts=1, lease_until=later(60)
    )

    assert notifications.notice_send(notice.pk) == "skipped"
    assert notifications.notices_due(now=later(30)) == []
    assert notifications.notices_due(now=later(61)) == [notice.pk]
    Notice.objects.filter(pk=notice.pk).update(lease_until=later(-1))
    assert notifications.notice_send(notice.pk) == "sent"

    assert [m.to for m in mailoutbox] == [[chief_executive.email]]


# --- reminders ----------------------------------------------------------------------------------


def test_working_days_leave_out_weekends_and_bank_holidays_in_england_and_wales() -> None:
    # Christmas 2026: Friday 25 December; Boxing Day is a Saturday, so Monday 28 is the holiday.
    assert working_days_between(london(2026, 12, 23, 16), london(2026, 12, 30, 9)) == 3
    assert working_days_between(london(2026, 12, 23, 16), london(2026, 12, 31, 9)) == 4
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    assert working_days_between(london(2027, 3, 25, 12), london(2027, 3, 30, 12)) == 1
    assert working_days_between(london(2027, 3, 25, 12), london(2027, 3, 25, 18)) == 0


def submitted_at(officer: Any, at: datetime.datetime) -> Decision:
    draft = make_complete_draft(officer)
    return services.decision_submit(decision=draft, user=officer, at=at)


def test_a_request_waiting_more_than_the_working_days_is_reminded_once(
    officer: Any, chief_executive: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.PCD_REMINDER_WORKING_DAYS = 3
    decision = submitted_at(officer, london(2026, 12, 23, 16))
    mailoutbox.clear()

    assert notifications.reminders_write(now=london(2026, 12, 30, 9)) == []
    written = notifications.reminders_write(now=london(2026, 12, 31, 9))
    again = notifications.reminders_write(now=london(2027, 1, 8, 9))

    assert [n.email for n in written] == [chief_executive.email]
    assert again == []
    reminder = written[0]
    assert reminder.kind == NoticeKind.REMINDER
    assert reminder.subject == f"Reminder: {decision.reference} has waited 4 working days for you"
    assert "since 23 December 2026" in reminder.body


def test_the_beat_task_sends_the_reminders(
    officer: Any, chief_executive: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.PCD_REMINDER_WORKING_DAYS = 0
    decision = submitted_at(officer, london(2026, 1, 5, 9))
    mailoutbox.clear()

    assert send_reminders.delay().get() == 1

    assert [m.subject for m in mailoutbox] == [
        f"Reminder: {decision.reference} has waited "
        f"{working_days_between(london(2026, 1, 5, 9), timezone.now())} working days for you"
    ]


def test_a_request_that_moved_on_is_not_reminded(
    officer: Any, chief_executive: Any, dmpc: Any, settings: Any
) -> None:
    settings.PCD_REMINDER_WORKING_DAYS = 0
    decision = submitted_at(officer, london(2026, 1, 5, 9))
    approved_by_chief_executive(decision, chief_executive)

    reminders = notifications.reminders_write(now=london(2026, 1, 9, 9))

    assert [n.email for n in reminders] == []


# --- waiting for you ----------------------------------------------------------------------------


def test_the_dashboard_lists_what_is_waiting_for_you_until_it_is_done(
    client: Any, officer: Any, chief_executive: Any, dmpc: Any, settings: Any
) -> None:
    use_plain_static_storage(settings)
    decision = submitted(make_complete_draft(officer, title="Body-worn video"), officer)

    sign_in(client, chief_executive)
    before = text_of(client.get("/staff/"))
    approved_by_chief_executive(decision, chief_executive)
    after = text_of(client.get("/staff/"))
    sign_in(client, dmpc)
    dmpc_page = text_of(client.get("/staff/"))

    assert "Waiting for you" in before
    assert f"{decision.reference} Body-worn video" in before
    assert "Awaiting Chief Executive approval since" in before
    assert "Nothing is waiting for you" in after
    assert "Awaiting DMPC sign-off since" in dmpc_page and "Body-worn video" in dmpc_page
