"""Load and faults (`make bench-load`): prints one `name: value` line per figure, on stdout only.

First a small cluster started the way deploy/ starts one (deploy/bin/web ×2, deploy/bin/worker ×2,
deploy/bin/beat, with deploy/pcd.env.example's environment and production settings) on a
PostgreSQL database of its own and a private Redis configured as deploy/redis.conf: 50 readers
and 5 approvers (3 Chief Executives, 2 DMPCs, acting on the same requests, so that they collide)
for 60 s; Redis is restarted at 20 s and a worker killed with SIGKILL at 40 s (and started again,
as systemd does). Once the load stops, the queue is left to drain (at most 5 minutes), then:

    load_requests         requests the readers and approvers made
    load_errors           answers other than success or the expected refusal ("This request
                          changed while you were looking at it"), and failed connections
    load_p95_ms           95th percentile of the response time, every request
    lost_transitions      approvals and sign-offs a person was told succeeded, not in the log
    doubled_transitions   a step of one request logged twice
    missing_pdfs          documents a request's state calls for that are not ready and intact
    doubled_pdfs          PDF files on the storage that no document owns (rendered twice)
    lost_notifications    notices never written, or written and never received by the mail
                          server (an SMTP sink here)

Then the embedded default, as `make run` starts it (honcho, Procfile.dev: the development server,
a worker and beat under ops.respawn, SQLite, the filesystem broker): 10 readers and 3 approvers
for 60 s, the worker killed at 40 s; `embedded_load_errors`, `embedded_lost_transitions` and the
rest with the same prefix. Progress goes to stderr; BENCH_LOAD_S changes the duration.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import (
    ROOT,
    Postgres,
    Redis,
    Service,
    SmtpSink,
    deploy_environment,
    free_port,
    say,
    wait_for,
)
from load_clients import Board, Stats, approver, reader

DURATION_S = float(os.environ.get("BENCH_LOAD_S", "60"))
DRAIN_TIMEOUT_S = 300
BIN = Path(sys.executable).parent
PYTHON = sys.executable


def run_load(
    ports: list[int],
    people: dict[str, object],
    readers: int,
    ces: int,
    dmpcs: int,
    faults: list[tuple[float, str, Callable[[], None]]],
) -> tuple[Stats, list[list[object]]]:
    stats = Stats()
    board = Board(list(people["requests"]))  # type: ignore[call-overload]
    deadline = time.monotonic() + DURATION_S
    password = str(people["password"])
    threads = [
        threading.Thread(target=reader, args=(n, ports, deadline, stats)) for n in range(readers)
    ]
    threads += [
        threading.Thread(
            target=approver,
            args=(name, "approve", password, ports, deadline, stats, board),
        )
        for name in list(people["chief_executives"])[:ces]  # type: ignore[call-overload]
    ]
    threads += [
        threading.Thread(
            target=approver,
            args=(name, "sign_off", password, ports, deadline, stats, board),
        )
        for name in list(people["dmpcs"])[:dmpcs]  # type: ignore[call-overload]
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for at, what, fault in faults:
        time.sleep(max(0.0, started + at - time.monotonic()))
        say(f"{time.monotonic() - started:.0f}s: {what}")
        fault()
    for thread in threads:
        thread.join(timeout=DURATION_S + 120)
    return stats, board.successes


def db_command(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [PYTHON, str(ROOT / "bench" / "load_db.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise SystemExit(f"bench-load: load_db.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def healthy(port: int) -> bool:
    import httpx

    with suppress(httpx.HTTPError):
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    return False


def drain_and_measure(
    env: dict[str, str], folder: Path, successes: list[list[object]]
) -> dict[str, int]:
    started = time.monotonic()
    wait_for(lambda: db_command(env, "pending") == "0", DRAIN_TIMEOUT_S, "the queue to drain")
    say(f"queue drained in {time.monotonic() - started:.0f}s")
    client_log = folder / "client.json"
    client_log.write_text(json.dumps(successes))
    return json.loads(db_command(env, "figures", str(client_log), str(folder / "sink.jsonl")))


def report(prefix: str, stats: Stats, figures: dict[str, int]) -> None:
    print(f"{prefix}load_requests: {stats.requests}")
    print(f"{prefix}load_errors: {len(stats.errors)}")
    print(f"{prefix}load_p95_ms: {stats.p95_ms():.0f}")
    print(f"{prefix}load_refusals: {stats.refusals}")
    for name, value in figures.items():
        print(f"{prefix}{name}: {value}")
    sys.stdout.flush()
    for error in stats.errors[:10]:
        say(f"{prefix}error: {error}")


def clean_environment() -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "PCD_", "EMAIL_"))
        and k not in {"REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    keep["PATH"] = f"{BIN}:{keep.get('PATH', '')}"
    return keep


def cluster(folder: Path) -> None:
    say(f"cluster: in {folder}")
    postgres = Postgres(os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    redis = Redis(folder)
    sink = SmtpSink(folder / "sink.jsonl")
    ports = [free_port(), free_port()]
    services: list[Service] = []
    postgres.create()
    try:
        redis.start()
        env = {
            **clean_environment(),
            **deploy_environment(),
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "DJANGO_SECRET_KEY": "bench-load-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{ports[0]}",
            "DJANGO_SECURE_COOKIES": "0",  # no TLS here
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "PCD_MEDIA_ROOT": str(folder / "media"),
            "PCD_VAR_DIR": str(folder / "var"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "WEB_CONCURRENCY": "1",
            "PCD_WEB_THREADS": "8",
            "PCD_WORKER_CONCURRENCY": "1",
            "PCD_VENV": str(BIN.parent),
        }
        subprocess.run(  # noqa: S603 - the deployment's own script
            [str(ROOT / "deploy" / "bin" / "release")],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
            stdout=sys.stderr,  # stdout carries the figures only
        )
        people = json.loads(db_command(env, "setup", "40"))
        say(f"cluster: {len(people['requests'])} requests awaiting approval")
        bin_ = ROOT / "deploy" / "bin"
        logs = folder / "logs"
        logs.mkdir()
        for n, port in enumerate(ports, start=1):
            web_env = {**env, "PCD_BIND": f"127.0.0.1:{port}"}
            services.append(Service(f"web-{n}", [str(bin_ / "web")], web_env, logs))
        for n in (1, 2):
            worker_env = {**env, "PCD_WORKER_NAME": f"worker-{n}"}
            services.append(Service(f"worker-{n}", [str(bin_ / "worker")], worker_env, logs))
        services.append(Service("beat", [str(bin_ / "beat")], env, logs))
        wait_for(lambda: all(healthy(p) for p in ports), 180, "both web servers' /healthz")
        worker = next(s for s in services if s.name == "worker-1")

        def restart_redis() -> None:
            redis.stop()
            redis.start()

        stats, successes = run_load(
            ports,
            people,
            readers=50,
            ces=3,
            dmpcs=2,
            faults=[(20, "Redis restarted", restart_redis), (40, "worker-1 killed", worker.kill)],
        )
        figures = drain_and_measure(env, folder, successes)
        report("", stats, figures)
        say("restarts: " + ", ".join(f"{s.name} {s.restarts}" for s in services))
    finally:
        for service in services:
            service.stop()
        redis.stop()
        sink.stop()
        postgres.drop()


def _descendants(pid: int) -> list[int]:
    """Every process under `pid` (honcho starts its processes from threads: every thread's)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            for child in (task / "children").read_text().split():
                found += [int(child), *_descendants(int(child))]
    return found


def _celery_worker(stack: int) -> int | None:
    """The worker's celery process under `make run`'s honcho (not its respawn wrapper)."""
    for pid in _descendants(stack):
        with suppress(OSError):
            arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"ops.respawn" in arguments or b"worker" not in arguments:
                continue
            if any(argument.endswith(b"/celery") for argument in arguments[:2]):
                return pid
    return None


def embedded(folder: Path) -> None:
    say(f"embedded: in {folder}")
    sink = SmtpSink(folder / "sink.jsonl")
    port = free_port()
    env = {
        **clean_environment(),
        "DJANGO_DEBUG": "1",
        "PCD_VAR_DIR": str(folder / "var"),
        "PORT": str(port),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
    }
    subprocess.run(  # noqa: S603 - our own interpreter
        [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    people = json.loads(db_command(env, "setup", "20"))
    log = (folder / "make-run.log").open("wb")
    stack = subprocess.Popen(  # noqa: S603 - `make run`'s own processes
        [str(BIN / "honcho"), "start", "-f", "Procfile.dev", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: healthy(port), 180, "make run's /healthz")

        def kill_worker() -> None:
            pid = _celery_worker(stack.pid)
            if pid is None:
                raise SystemExit("bench-load: make run's worker was not found")
            for process in [pid, *_descendants(pid)]:  # the worker and its pool, as the OOM killer
                with suppress(ProcessLookupError):
                    os.kill(process, signal.SIGKILL)

        stats, successes = run_load(
            [port],
            people,
            readers=10,
            ces=2,
            dmpcs=1,
            faults=[(40, "the worker killed", kill_worker)],
        )
        if stack.poll() is not None:
            raise SystemExit("bench-load: make run's processes stopped during the load")
        figures = drain_and_measure(env, folder, successes)
        report("embedded_", stats, figures)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
        log.close()
        sink.stop()


def main() -> None:
    keep = os.environ.get("BENCH_KEEP") == "1"
    for phase in (cluster, embedded):
        folder = Path(tempfile.mkdtemp(prefix=f"pcd-bench-load-{phase.__name__}-"))
        try:
            phase(folder)
        finally:
            if not keep:
                subprocess.run(["rm", "-rf", str(folder)], check=False)  # noqa: S603, S607
            else:
                say(f"kept {folder}")


if __name__ == "__main__":
    main()
