"""Documents through a real broker (Redis) and real Celery workers, started as processes of their
own, as in production: a worker killed in the middle of a render, Redis down at the moment of
sign-off, and the same content never rendered twice.

Marked `worker`: without REDIS_URL they are skipped with the reason, and with
PCD_REQUIRE_SERVICES=1 (CI) they fail instead. The workers share the test database (PostgreSQL,
or the SQLite file of the test run) and the test's media folder. Every wait is bounded and every
process started here is stopped in a `finally`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from decisions import services as workflow
from decisions.models import Decision
from decisions.states import Status
from documents import services
from documents.models import DocumentKind, DocumentState, RenderedDocument, RenderedPart
from documents.tasks import render_document
from tests.documents.conftest import with_annex

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEEP_S = 15  # the sweep's interval in production (settings: PCD_SWEEP_INTERVAL_S)
REDIS_SERVER = shutil.which("redis-server") or "redis-server"
REDIS_OPTIONS = ("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")


@pytest.fixture
def redis_url() -> str:
    if not settings.REDIS_URL:
        reason = "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/13 to run it"
        if os.environ.get("PCD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (PCD_REQUIRE_SERVICES=1 forbids skipping it)", pytrace=False)
        pytest.skip(reason)
    return str(settings.REDIS_URL)


def database_url() -> str:
    """The test database, as the worker processes must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Worker:
    """`celery -A config worker`, as a process of its own (and its pool children)."""

    def __init__(self, log: Path, broker: str, pool: str = "solo", **env: str) -> None:
        self.log = log
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker,
            "PCD_VAR_DIR": str(settings.VAR_DIR),
            "DJANGO_SECRET_KEY": "worker-test-only",
            "DJANGO_STATIC_MANIFEST": "0",
            "PCD_SWEEP_INTERVAL_S": str(SWEEP_S),
            **env,
        }
        environment.pop("CELERY_TASK_ALWAYS_EAGER", None)
        command = [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}"),
            *("--concurrency=1", "--loglevel=INFO", "--without-heartbeat"),
            *("--without-gossip", "--without-mingle"),
            *("-n", f"documents-test-{uuid.uuid4().hex[:8]}@%h"),
        ]
        self.output = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no chance to finish, ack or reject anything."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.output.close()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@contextmanager
def workers(tmp_path: Path) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    try:
        yield started
    finally:
        for worker in started:
            worker.kill()


@contextmanager
def celery_through(url: str) -> Iterator[None]:
    """Tasks queued by this test process go through this broker, not run eagerly."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        celery_app.connection_for_write().default_channel.client.flushdb()
        yield
    finally:
        with suppress(Exception):
            celery_app.connection_for_write().default_channel.client.flushdb()
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def state_of(document: RenderedDocument) -> str:
    document.refresh_from_db()
    return str(document.state)


class Beat(Worker):
    """`celery -A config beat`, as a process of its own: it runs the sweeps."""

    def __init__(self, log: Path, broker: str, schedule: Path) -> None:
        self.log = log
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker,
            "PCD_VAR_DIR": str(settings.VAR_DIR),
            "DJANGO_SECRET_KEY": "beat-test-only",
            "PCD_SWEEP_INTERVAL_S": str(SWEEP_S),
        }
        self.output = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "config", "beat", f"--schedule={schedule}"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture
def unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests make a published request's packs render again by adding an annex to it;
    the guard that refuses to publish content changed since it was signed (tests/audit) is not
    what they test. (The worker renders the signed version either way.)"""
    monkeypatch.setattr("documents.services.publication_problem", lambda decision: "")


def test_a_worker_killed_mid_render_its_pdf_and_the_next_are_ready_within_a_minute(
    redis_url: str,
    tmp_path: Path,
    make_decision: Callable[[Status], Decision],
    unguarded: None,
) -> None:
    """The production defaults: a lease of 15 s renewed while the render runs, the sweep every
    15 s. Worker A is killed (SIGKILL, with its pool) in the middle of a render (the public
    pack, in one pass), holding the document; worker B (a restarted one, as systemd or `make
    run` gives) renders the document queued behind it at once, and takes the dead worker's
    render over once its lease lapses: both PDFs within 60 s of the kill."""
    first = make_decision(Status.PUBLISHED)  # their documents rendered here, eagerly
    second = make_decision(Status.PUBLISHED)
    with workers(tmp_path) as started, celery_through(redis_url):
        started.append(Beat(tmp_path / "beat.log", redis_url, tmp_path / "beat-schedule"))
        with_annex(first)  # so that their public packs are asked for again: real renders
        with_annex(second)
        # Slow renders, so that the kill lands in the middle of one.
        started.append(Worker(tmp_path / "a.log", redis_url, PCD_RENDER_DELAY_S="120"))
        stuck = services.document_request(decision=first, kind=DocumentKind.PUBLIC_PACK)
        wait_for(lambda: state_of(stuck) == DocumentState.RENDERING, 60, "the render to start")
        behind = services.document_request(decision=second, kind=DocumentKind.PUBLIC_PACK)
        stuck.refresh_from_db()
        assert stuck.lease_until is not None  # held by worker A, which renews its lease
        started[1].kill()
        killed = time.monotonic()
        assert state_of(stuck) == DocumentState.RENDERING
        assert state_of(behind) == DocumentState.QUEUED
        started.append(Worker(tmp_path / "b.log", redis_url))

        ready: dict[str, float] = {}

        def both_ready() -> bool:
            for name, document in (("stuck", stuck), ("behind", behind)):
                if name not in ready and state_of(document) == DocumentState.READY:
                    ready[name] = time.monotonic() - killed
            return len(ready) == 2

        wait_for(both_ready, 90, f"both PDFs, after the kill\n{started[2].tail()}")
    print(
        f"after the kill: the killed render ready in {ready['stuck']:.1f}s, "
        f"the one behind it in {ready['behind']:.1f}s"
    )
    assert ready["stuck"] < 60
    assert ready["behind"] < 60
    stuck.refresh_from_db()
    assert stuck.attempts == 2 and len(stuck.pdf_sha256) == 64
    assert not RenderedPart.objects.filter(pdf="").exists()


def test_a_pool_process_killed_mid_render_gives_its_message_back_and_the_pdf_is_made(
    redis_url: str,
    tmp_path: Path,
    make_decision: Callable[[Status], Decision],
    unguarded: None,
) -> None:
    """acks_late + reject_on_worker_lost: the worker's pool process dies in the middle of a
    render; the message is not lost but delivered again, and the same task takes over."""
    decision = make_decision(Status.PUBLISHED)  # its documents rendered here, eagerly
    with workers(tmp_path) as started, celery_through(redis_url):
        with_annex(decision)
        worker = Worker(tmp_path / "prefork.log", redis_url, pool="prefork", PCD_RENDER_DELAY_S="3")
        started.append(worker)
        document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
        wait_for(lambda: state_of(document) == DocumentState.RENDERING, 60, "the render to start")
        task_id = document.task_id
        children = worker.children()
        assert len(children) == 1, worker.tail()
        os.kill(children[0], signal.SIGKILL)
        wait_for(
            lambda: state_of(document) == DocumentState.READY,
            90,
            f"the PDF, after the pool process was killed\n{worker.tail()}",
        )
    document.refresh_from_db()
    assert document.attempts == 2
    assert document.task_id == task_id  # the same message, delivered again


def test_redis_down_at_sign_off_the_sign_off_succeeds_and_the_pdf_is_made_when_it_is_back(
    redis_url: str,
    tmp_path: Path,
    make_decision: Callable[[Status], Decision],
    dmpc: Any,
    settings: Any,
) -> None:
    port = free_port()
    private = f"redis://127.0.0.1:{port}/0"
    server: list[subprocess.Popen[bytes]] = []

    def start_redis() -> None:
        server.append(
            subprocess.Popen(  # noqa: S603 - our own arguments
                [REDIS_SERVER, "--port", str(port), *REDIS_OPTIONS, "--dir", str(tmp_path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

        def answers() -> bool:
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
            return False

        wait_for(answers, 20, "redis-server to answer")

    def stop_redis() -> None:
        for process in server:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)

    decision = make_decision(Status.AWAITING_SIGNOFF)  # (rendered eagerly, in this process)
    try:
        start_redis()
        with workers(tmp_path) as started, celery_through(private):
            started.append(Worker(tmp_path / "worker.log", private))
            stop_redis()
            began = time.monotonic()
            workflow.decision_sign_off(
                decision=decision, user=dmpc, confirmed=True, interests="None"
            )
            assert time.monotonic() - began < 15  # the broker's absence costs seconds, not more
            decision.refresh_from_db()
            assert decision.status == Status.PUBLISHED
            packs = list(
                RenderedDocument.objects.filter(
                    decision=decision,
                    kind__in=[DocumentKind.SIGNED_PACK, DocumentKind.PUBLIC_PACK],
                )
            )
            assert len(packs) == 2
            assert all(p.state == DocumentState.QUEUED and p.enqueued_at is None for p in packs)
            start_redis()
            settings.PCD_RENDER_QUEUE_GRACE_S = 0
            assert sorted(services.documents_sweep()) == sorted(p.pk for p in packs)
            wait_for(
                lambda: all(state_of(p) == DocumentState.READY for p in packs),
                120,
                f"the PDFs, once Redis was back\n{started[0].tail()}",
            )
    finally:
        stop_redis()
    assert all(p.attempts == 1 for p in packs)


def test_the_same_content_is_rendered_once_however_often_it_is_queued(
    redis_url: str,
    tmp_path: Path,
    make_decision: Callable[[Status], Decision],
    unguarded: None,
) -> None:
    decision = make_decision(Status.PUBLISHED)  # its documents rendered here, eagerly
    with workers(tmp_path) as started, celery_through(redis_url):
        with_annex(decision)
        parts_before = RenderedPart.objects.count()
        document = services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
        # The same document asked for again, and its task sent three more times.
        assert (
            services.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK) == document
        )
        for _ in range(3):
            render_document.delay(document.pk)
        started.append(Worker(tmp_path / "worker.log", redis_url))
        wait_for(lambda: state_of(document) == DocumentState.READY, 90, "the PDF")
        client = celery_app.connection_for_write().default_channel.client
        wait_for(lambda: client.llen("celery") == 0, 30, "the queue to drain")
        time.sleep(1)  # the last message delivered is being handled: let it finish
    document.refresh_from_db()
    assert document.attempts == 1
    # The public pack is rendered in one pass (a tagged PDF): no part, and one file.
    assert RenderedPart.objects.count() == parts_before
    folder = Path(settings.MEDIA_ROOT) / "documents" / decision.slug
    files = list(folder.glob(f"public_pack-{document.content_hash[:16]}*"))
    assert [f.name for f in files] == [Path(document.pdf.name).name]
