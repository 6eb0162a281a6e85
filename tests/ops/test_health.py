"""/healthz: 200 when the database, the broker, a worker and beat all answer; 503 naming what is
down. The heartbeats it reads: a worker's, from a thread of its own; beat's, when it sends."""

from __future__ import annotations

import re
import socket
import time
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from celery.signals import before_task_publish
from django.db import OperationalError
from django.utils import timezone

from ops import health, heartbeats
from ops.models import Heartbeat, ProcessKind

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(seconds_ago: float = 1, kinds: tuple[str, ...] = ("worker", "beat")) -> None:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    if "worker" in kinds:
        Heartbeat.objects.create(name="worker:w1@host", kind=ProcessKind.WORKER, at=at)
    if "beat" in kinds:
        Heartbeat.objects.create(name="beat", kind=ProcessKind.BEAT, at=at)


def test_healthz_answers_200_when_everything_answers(client: Any) -> None:
    alive()

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert set(body["checks"]) == {"database", "broker", "worker", "beat"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_naming_the_broker_when_redis_is_down(
    client: Any, settings: Any
) -> None:
    alive()
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["checks"]["broker"]["detail"].startswith("Redis does not answer")


def test_healthz_names_a_worker_that_stopped_beating(client: Any) -> None:
    alive(seconds_ago=1, kinds=("beat",))
    alive(seconds_ago=120, kinds=("worker",))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]
    # 120 s when written; a second more on a loaded machine.
    assert re.fullmatch(
        r"last heard of 12[01]s ago \(limit 60s\)", response.json()["checks"]["worker"]["detail"]
    )


def test_healthz_names_beat_when_it_never_ran(client: Any) -> None:
    alive(kinds=("worker",))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["beat"]
    assert response.json()["checks"]["beat"]["detail"] == "has never reported"


def test_healthz_names_the_database_when_it_is_unreachable(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    alive()

    def unreachable() -> Any:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health.connection, "cursor", unreachable)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"][0] == "database"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_beats_from_its_own_thread_and_clears_its_heartbeat_when_it_stops(
    settings: Any,
) -> None:
    settings.PCD_HEARTBEAT_S = 0.2
    worker = SimpleNamespace(hostname="w7@host")
    heartbeats._on_worker_ready(sender=worker)
    try:
        deadline = time.monotonic() + 10
        beats: list[Any] = []
        while time.monotonic() < deadline and len(set(beats)) < 2:
            beats += list(
                Heartbeat.objects.filter(name="worker:w7@host").values_list("at", flat=True)
            )
            time.sleep(0.1)
        assert len(set(beats)) >= 2, "the worker's heartbeat was not renewed"
    finally:
        heartbeats._on_worker_shutdown(sender=worker)
    assert not Heartbeat.objects.filter(name="worker:w7@host").exists()


def test_beat_beats_when_it_sends_and_no_other_process_does() -> None:
    before_task_publish.send(sender="decisions.tasks.sweep_notices", body=(), headers={})
    assert not Heartbeat.objects.filter(kind=ProcessKind.BEAT).exists()

    heartbeats._on_beat_init()
    try:
        before_task_publish.send(sender="decisions.tasks.sweep_notices", body=(), headers={})
    finally:
        heartbeats._state["beat"] = False

    assert Heartbeat.objects.get(kind=ProcessKind.BEAT).name == "beat"
