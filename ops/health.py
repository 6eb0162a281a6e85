"""The health of the whole system, as /healthz reports it: the database, the broker, a worker
that is alive, and beat having run lately. Each check answers in about a second at most, so a
load balancer's probe never hangs."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from ops.models import Heartbeat, ProcessKind

PROBE_TIMEOUT_S = 1.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, f"unreachable: {type(error).__name__}")
    return Check("database", True, connection.vendor)


def _broker() -> Check:
    if not settings.REDIS_URL:
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
        if folder.is_dir() and os.access(folder, os.W_OK):
            return Check("broker", True, "filesystem")
        return Check("broker", False, f"the broker folder {folder} is missing or read-only")
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT_S,
        socket_timeout=PROBE_TIMEOUT_S,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return Check("broker", False, f"Redis does not answer: {type(error).__name__}")
    finally:
        client.close()
    return Check("broker", True, "redis")


def _age(at: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if at is None else (now - at).total_seconds()


def _heartbeat(kind: str, name: str, limit: float, now: datetime.datetime) -> Check:
    try:
        latest = Heartbeat.objects.filter(kind=kind).order_by("-at").values_list("at", flat=True)
        age = _age(latest.first(), now)
    except DatabaseError:
        return Check(name, False, "unknown: the database is unreachable")
    if age is None:
        return Check(name, False, "has never reported")
    if age > limit:
        return Check(name, False, f"last heard of {age:.0f}s ago (limit {limit:.0f}s)")
    return Check(name, True, f"last heard of {age:.0f}s ago")


def checks() -> list[Check]:
    now = timezone.now()
    beat_limit = max(3 * settings.PCD_SWEEP_INTERVAL_S, settings.PCD_HEALTH_BEAT_STALE_S)
    return [
        _database(),
        _broker(),
        _heartbeat(ProcessKind.WORKER, "worker", settings.PCD_HEALTH_WORKER_STALE_S, now),
        _heartbeat(ProcessKind.BEAT, "beat", beat_limit, now),
    ]
