"""Threads of one web process (gunicorn's gthread workers) refreshing requests at the same moment
never fail: django-fsm-2 lifts the status field's protection on the field itself, which all
threads share, while it refreshes one instance."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from decisions.models import Decision
from decisions.states import Status

THREADS = 8
REFRESHES = 300


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_refreshed_in_many_threads_at_once_never_fail(make_decision: Any) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    start = threading.Barrier(THREADS, timeout=30)
    errors: list[BaseException] = []

    def refresh() -> None:
        mine = Decision.objects.get(pk=decision.pk)
        try:
            start.wait()
            for _ in range(REFRESHES):
                mine.refresh_from_db()
        except BaseException as error:  # judged by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [repr(e) for e in errors] == []
