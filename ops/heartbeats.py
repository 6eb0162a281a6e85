"""Heartbeats: each Celery worker records that it is alive every PCD_HEARTBEAT_S seconds, from a
thread of its own (a worker busy with a long render still beats); beat records each time it sends
a periodic task. The health check reads them (ops.health).

A heartbeat lives in the database, not in the broker: it must still say "the worker is alive"
when the broker is the thing that is down, and the filesystem broker of `make run` has nowhere
to keep one."""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.signals import beat_init, before_task_publish, worker_ready, worker_shutdown
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from ops.models import Heartbeat, ProcessKind

logger = logging.getLogger(__name__)

BEAT = "beat"
_state: dict[str, Any] = {"beat": False, "stop": threading.Event()}


def beat(name: str, kind: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"kind": kind, "at": timezone.now()})


def _worker_name(sender: Any) -> str:
    return f"worker:{getattr(sender, 'hostname', None) or 'unknown'}"


def _beat_forever(name: str, stop: threading.Event) -> None:
    try:
        while True:
            try:
                beat(name, ProcessKind.WORKER)
            except DatabaseError:
                logger.warning("Could not record the worker's heartbeat.", exc_info=True)
                connection.close()  # a fresh connection next time
            if stop.wait(settings.PCD_HEARTBEAT_S):
                return
    finally:
        connection.close()


def _on_worker_ready(sender: Any = None, **kwargs: Any) -> None:
    name = _worker_name(sender)
    stop = threading.Event()
    _state["stop"] = stop
    threading.Thread(target=_beat_forever, args=(name, stop), name="heartbeat", daemon=True).start()


def _on_worker_shutdown(sender: Any = None, **kwargs: Any) -> None:
    _state["stop"].set()
    try:
        # Stopped on purpose: say so at once rather than let the heartbeat go stale.
        Heartbeat.objects.filter(name=_worker_name(sender)).delete()
    except DatabaseError:
        logger.warning("Could not remove the worker's heartbeat.", exc_info=True)


def _on_beat_init(sender: Any = None, **kwargs: Any) -> None:
    _state["beat"] = True


def _on_publish(sender: Any = None, **kwargs: Any) -> None:
    # Runs in every process that sends a task; only beat's sends are beat's heartbeat.
    if not _state["beat"]:
        return
    try:
        beat(BEAT, ProcessKind.BEAT)
    except DatabaseError:
        logger.warning("Could not record beat's heartbeat.", exc_info=True)


def connect() -> None:
    worker_ready.connect(_on_worker_ready, weak=False, dispatch_uid="ops-worker-ready")
    worker_shutdown.connect(_on_worker_shutdown, weak=False, dispatch_uid="ops-worker-shutdown")
    beat_init.connect(_on_beat_init, weak=False, dispatch_uid="ops-beat-init")
    before_task_publish.connect(_on_publish, weak=False, dispatch_uid="ops-beat-publish")
