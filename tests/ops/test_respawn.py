"""Under `make run`, a worker that dies is started again and the rest of the stack keeps running
(honcho alone stops every process when one exits)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

HONCHO = str(Path(sys.executable).with_name("honcho"))


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}.")


def pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def recorder(path: Path) -> str:
    """A stand-in for a long-running process that writes its pid to `path`, then waits."""
    return (
        f"import os, time; open({str(path)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(600)"
    )


def test_make_run_starts_the_worker_and_beat_under_the_respawn_wrapper() -> None:
    procfile = (Path(settings.BASE_DIR) / "Procfile.dev").read_text()
    lines = dict(line.split(": ", 1) for line in procfile.splitlines() if line.strip())

    assert lines["worker"].startswith("python -m ops.respawn -- celery -A config worker")
    assert lines["beat"].startswith("python -m ops.respawn -- celery -A config beat")
    assert "ops.respawn" not in lines["web"]


def test_a_killed_worker_is_started_again_and_the_web_process_keeps_running(
    tmp_path: Path,
) -> None:
    worker_pids, web_pids = tmp_path / "worker.pids", tmp_path / "web.pids"
    python = sys.executable
    (tmp_path / "Procfile").write_text(
        f'web: {python} -c "{recorder(web_pids)}"\n'
        f'worker: {python} -m ops.respawn -- {python} -c "{recorder(worker_pids)}"\n'
    )
    honcho = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [HONCHO, "start", "-f", str(tmp_path / "Procfile"), "-d", str(settings.BASE_DIR)],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: len(pids(worker_pids)) == 1 and len(pids(web_pids)) == 1, 30, "start")
        [first_worker], [web] = pids(worker_pids), pids(web_pids)

        os.kill(first_worker, signal.SIGKILL)

        wait_for(lambda: len(pids(worker_pids)) == 2, 30, "the worker to be started again")
        assert honcho.poll() is None, "honcho stopped the stack"
        assert alive(web)
        assert alive(pids(worker_pids)[1])
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        output = honcho.communicate(timeout=30)[0].decode()
    assert "exited with -9; starting it again" in output


def test_stopping_the_wrapper_stops_the_command_and_does_not_restart_it(tmp_path: Path) -> None:
    worker_pids = tmp_path / "worker.pids"
    wrapper = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "ops.respawn", "--", sys.executable, "-c", recorder(worker_pids)],
        cwd=settings.BASE_DIR,
    )
    wait_for(lambda: len(pids(worker_pids)) == 1, 30, "the command to start")

    wrapper.send_signal(signal.SIGTERM)

    assert wrapper.wait(timeout=30) == 0
    assert not alive(pids(worker_pids)[0])
    time.sleep(1.5)  # longer than the first restart delay: nothing starts again
    assert len(pids(worker_pids)) == 1
