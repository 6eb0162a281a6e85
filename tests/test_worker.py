"""The notification task through a real broker (Redis) and a real Celery worker.

Marked `worker`: without REDIS_URL it is skipped with the reason, and with PCD_REQUIRE_SERVICES=1
(CI) it fails instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from decisions import services
from decisions.models import Notice, NoticeState
from tests.factories import make_complete_draft

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def real_worker() -> Iterator[Any]:
    if not settings.REDIS_URL:
        reason = "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/15 to run it"
        if os.environ.get("PCD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (PCD_REQUIRE_SERVICES=1 forbids skipping it)", pytrace=False)
        pytest.skip(reason)
    from config.celery import app

    # The suite runs tasks eagerly by default; here they must travel through Redis.
    app.conf.task_always_eager = False
    app.connection_for_write().default_channel.client.flushdb()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def _wait_for(predicate: Any, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_submission_reaches_the_chief_executive_through_redis_and_a_worker(
    real_worker: Any, officer: Any, chief_executive: Any
) -> None:
    decision = make_complete_draft(officer)

    services.decision_submit(decision=decision, user=officer)

    assert _wait_for(
        lambda: Notice.objects.filter(entry__decision=decision, state=NoticeState.SENT).exists()
    )
    notice = Notice.objects.get(entry__decision=decision)
    assert notice.email == chief_executive.email
    assert [m.to for m in mail.outbox] == [[chief_executive.email]]
    decision.refresh_from_db()
    assert mail.outbox[0].subject == f"{decision.reference}: Awaiting Chief Executive approval"
