"""Run a command and start it again whenever it dies: `python -m ops.respawn -- celery … worker`.

`make run` starts the web server, a worker and beat together under honcho, which stops them all
when any one of them exits: a worker killed by the out-of-memory killer, or by a person testing
what happens, took the web server down with it. Under this wrapper honcho sees a process that
stays up; the wrapper starts the worker again, waiting a little longer after each quick death so
that a worker that cannot start does not spin. SIGINT and SIGTERM are passed to the command, and
the wrapper exits once it has stopped, so Ctrl-C still stops everything.

Production does not need this: systemd's `Restart=always` does the same (deploy/systemd).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType

# A command that ran this long before dying was healthy: restart it at once.
HEALTHY_AFTER_S = 30.0
FIRST_DELAY_S = 1.0
LONGEST_DELAY_S = 30.0


def _say(message: str) -> None:
    print(f"respawn: {message}", file=sys.stderr, flush=True)


def run(command: list[str]) -> int:
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = FIRST_DELAY_S
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command)  # noqa: S603 - the command line we were given
        _say(f"started {command[0]} (pid {child.pid})")
        code = child.wait()
        if stopping:
            return 0
        if time.monotonic() - started > HEALTHY_AFTER_S:
            delay = FIRST_DELAY_S
        _say(
            f"{command[0]} (pid {child.pid}) exited with {code}; starting it again in {delay:.0f}s"
        )
        deadline = time.monotonic() + delay
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)
        if stopping:
            return 0
        delay = min(delay * 2, LONGEST_DELAY_S)


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        _say("usage: python -m ops.respawn -- COMMAND [ARGUMENTS…]")
        return 2
    return run(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
