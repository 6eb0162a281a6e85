"""/healthz on a running stack: `make run`'s own processes (honcho and Procfile.dev: the
development server, a worker and beat) on a database and broker of their own. 200 on the
embedded default; 503 naming the broker once Redis stops."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}.")


def healthz(port: int) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


@contextmanager
def make_run_stack(var: Path, **env: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The processes `make run` starts, as it starts them, on a var/ folder of their own."""
    port = free_port()
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_DEBUG="1",
        PCD_VAR_DIR=str(var),
        PORT=str(port),
        PATH=f"{BIN}:{environment.get('PATH', '')}",
        PCD_HEARTBEAT_S="2",
        **env,
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    log = (var / "stack.log").open("wb")
    stack = subprocess.Popen(  # noqa: S603 - our own arguments
        [str(BIN / "honcho"), "start", "-f", "Procfile.dev", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield port, stack
    finally:
        with suppress(ProcessLookupError):
            os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait(timeout=10)
        log.close()


def test_healthz_answers_200_under_make_run(tmp_path: Path) -> None:
    with make_run_stack(tmp_path) as (port, _):
        log = tmp_path / "stack.log"
        wait_for(
            lambda: healthz(port)[0] == 200,
            120,
            f"/healthz to answer 200\n{log.read_text(errors='replace')[-3000:]}",
        )
        status, body = healthz(port)

    assert status == 200
    assert body["down"] == []
    assert body["checks"]["database"]["detail"] == "sqlite"
    assert body["checks"]["broker"]["detail"] == "filesystem"


@pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs redis-server (apt-get install redis-server)"
)
def test_healthz_answers_503_naming_the_broker_when_redis_is_down(tmp_path: Path) -> None:
    redis_port = free_port()
    redis = subprocess.Popen(  # noqa: S603 - our own arguments
        [
            str(REDIS_SERVER),
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with make_run_stack(tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0") as (port, _):
            wait_for(lambda: healthz(port)[0] == 200, 120, "/healthz to answer 200 first")

            redis.terminate()
            redis.wait(timeout=10)
            wait_for(lambda: healthz(port)[0] == 503, 30, "/healthz to answer 503")
            status, body = healthz(port)
    finally:
        if redis.poll() is None:
            redis.kill()

    assert status == 503
    assert body["status"] == "down"
    assert body["down"] == ["broker"]
    assert body["checks"]["database"]["ok"] is True
