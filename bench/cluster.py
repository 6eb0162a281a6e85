"""The processes of `make bench-load`: a PostgreSQL database, a private Redis, an SMTP sink, and the
deployment's own processes (deploy/bin/*), each kept running as systemd's `Restart=always` would.

Everything listens on 127.0.0.1 only, every wait is bounded, and everything started here is
stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def say(message: str) -> None:
    print(f"[bench-load] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit(f"bench-load: timed out after {timeout:.0f}s waiting for {what}")


def deploy_environment() -> dict[str, str]:
    """deploy/pcd.env.example, as the systemd units read it (KEY=value lines)."""
    environment = {}
    for line in (DEPLOY / "pcd.env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            environment[key] = value
    return environment


# --- the SMTP sink ------------------------------------------------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        self._reply("220 bench-load sink")
        recipients: list[str] = []
        while raw := self.rfile.readline():
            command = raw.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 bench-load")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line.decode(errors="replace"))
                subject = next(
                    (line[9:].strip() for line in lines if line.startswith("Subject: ")), ""
                )
                sink.record(recipients, subject)
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                self._reply("250 OK")


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps each message's recipients and subject in a file."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.lock = threading.Lock()
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
        self.server.daemon_threads = True
        self.server.sink = self  # type: ignore[attr-defined]
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def record(self, recipients: list[str], subject: str) -> None:
        with self.lock, self.log.open("a") as out:
            for recipient in recipients:
                out.write(json.dumps({"to": recipient, "subject": subject}) + "\n")

    def stop(self) -> None:
        self.server.shutdown()


# --- servers ------------------------------------------------------------------------------------


class Redis:
    """A private redis-server configured as deploy/redis.conf says (AOF, noeviction)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise SystemExit("bench-load needs redis-server (apt-get install redis-server)")
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [server, str(DEPLOY / "redis.conf"), *options, "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 20, "redis-server to answer")

    def answers(self) -> bool:
        with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # Redis writes its AOF and exits
            self.process.wait(timeout=30)


class Postgres:
    """A database of its own on the local PostgreSQL server, dropped at the end."""

    def __init__(self, server: str) -> None:
        self.server = server.rstrip("/")
        self.name = f"pcd_bench_load_{os.getpid()}"

    @property
    def url(self) -> str:
        return f"{self.server}/{self.name}"

    def _psql(self, sql: str) -> None:
        subprocess.run(  # noqa: S603 - psql with our own statement
            ["psql", f"{self.server}/postgres", "-q", "-c", sql],  # noqa: S607
            check=True,
            capture_output=True,
        )

    def create(self) -> None:
        self._psql(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- processes, kept running --------------------------------------------------------------------


class Service:
    """One process of the deployment, started again when it dies (systemd's Restart=always)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log = (logs / f"{name}.log").open("ab")
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.stopping = False
        self.start()
        threading.Thread(target=self._keep_running, daemon=True).start()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the deployment's own scripts
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _keep_running(self) -> None:
        while not self.stopping:
            if self.process is not None and self.process.poll() is not None and not self.stopping:
                time.sleep(2)  # RestartSec=2
                if not self.stopping:
                    self.restarts += 1
                    self.start()
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the process and its children, as the out-of-memory killer would."""
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        self.stopping = True
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
                self.process.wait(timeout=10)
        self.log.close()
