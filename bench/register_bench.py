"""Register benchmark (`make bench`, after the PDF figures): prints one `name: value` line per
figure, on stdout only.

With 100,000 published decisions of realistic length loaded through `manage.py import_decisions`
(and the PCD 279 demo, with its ten annex tables), on PostgreSQL, served by gunicorn (one
worker, one thread, production settings, connections kept as deploy/ keeps them), each page's
median latency over ROUNDS requests is divided by the median of a trivial page (the site's
layout around a heading, no database) measured in the same rounds, interleaved:

    register_page1_over_trivial      /decisions/
    register_page1000_over_trivial   page 1,000, reached by following 999 "Next" links
    search_over_trivial              a full-text search (/decisions/?q=...)
    decision_page_over_trivial       /decisions/pcd-279/ (ten annex tables)
    *_queries                        the database queries of each page (Django's test client
                                     in this process, against the same database)
    signoff_to_public_s              from the DMPC's sign-off to the public page and its PDF
                                     both answering 200 (Redis and a real worker render it)
    import_100k_s                    the import of the 100,000 decisions

One more page is one more line in PAGES. Needs PostgreSQL: the database server of
PCD_BENCH_DATABASE_URL or DATABASE_URL (a throw-away database `<name>_register_bench` is created
there and dropped afterwards), and Redis as the PDF benchmark does. Progress goes to stderr.
"""

from __future__ import annotations

import csv
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from pdf_bench import free_port, say, wait_for  # noqa: E402

DECISIONS = int(os.environ.get("PCD_BENCH_DECISIONS", "100000"))
ROUNDS = 30
WARM_UP = 5
SEARCH = "knife crime"

# name → the address measured (a callable of the addresses found on the way, for page 1,000).
PAGES: dict[str, str] = {
    "register_page1": "/decisions/",
    "register_page1000": "",  # filled in by following the Next links
    "search": f"/decisions/?q={SEARCH.replace(' ', '+')}",
    "decision_page": "/decisions/pcd-279/",
    "api_list": "/api/decisions/",
}

VOCABULARY = (
    "police crime policing london borough community safety violence knife gun youth "
    "victims witnesses prevention reduction funding grant budget revenue capital savings "
    "reserves contract procurement estate building vehicles technology digital body worn "
    "video domestic abuse women girls hate neighbourhood schools probation justice courts "
    "partnership mayor deputy officer chief executive approval programme project delivery "
    "performance quarter annual report review strategy plan commissioning services support "
    "training recruitment workforce diversity inclusion counter terrorism fraud cyber "
    "drugs gangs exploitation safeguarding mental health custody stop search trust "
    "confidence transparency audit risk assurance governance policy legal finance"
)
WORDS = VOCABULARY.split()


def realistic_rows(count: int) -> list[list[str]]:
    rng = random.Random(279)  # noqa: S311 - text for a benchmark
    # Zipf-like: a few words are in many decisions, most in few.
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    rng.shuffle(weights)

    def words(n: int) -> str:
        return " ".join(rng.choices(WORDS, weights=weights, k=n))

    rows = []
    for number in range(1, count + 1):
        signed = 1_300_000_000 + number * 1800  # from 2011, half an hour apart
        published = signed + rng.randint(0, 7 * 86400)
        rows.append(
            [
                str(number),
                words(rng.randint(6, 14)).capitalize(),
                time.strftime("%Y-%m-%d", time.gmtime(signed)),
                time.strftime("%Y-%m-%d", time.gmtime(published)),
                ". ".join(words(rng.randint(12, 25)).capitalize() for _ in range(rng.randint(4, 8)))
                + ".",
                "Deputy Mayor for Policing and Crime" if number % 10 else "Mayor of London",
                f"https://www.london.gov.uk/sites/default/files/pcd{number}.pdf",
            ]
        )
    return rows


def database_urls() -> tuple[str, str]:
    base = os.environ.get("PCD_BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit(
            "bench: the register benchmark needs PostgreSQL: set DATABASE_URL or "
            "PCD_BENCH_DATABASE_URL to postgres://…"
        )
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'pcd'}_register_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin, urlunsplit(parts._replace(path=f"/{name}"))


def main() -> None:
    import psycopg

    admin, url = database_urls()
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    work = Path(tempfile.mkdtemp(prefix="pcd-register-bench-"))
    os.environ.update(
        {
            "DATABASE_URL": url,
            "PCD_VAR_DIR": str(work),
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret"),
            "DJANGO_STATIC_MANIFEST": "0",
            "DJANGO_SETTINGS_MODULE": "register_site",
            # As deploy/pcd.env.example runs it: connections kept between requests.
            "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
            "LOG_LEVEL": "WARNING",
        }
    )
    processes: list[subprocess.Popen[bytes]] = []
    if not os.environ.get("REDIS_URL"):
        port = free_port()
        server = shutil.which("redis-server")
        if server is None:
            raise SystemExit("bench: needs Redis: set REDIS_URL or install redis-server")
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    *(server, "--port", str(port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--dir", str(work)),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    try:
        run(work, processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)

    import httpx
    import pcd279_copy
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from config.celery import app
    from decisions.roles import Role
    from demo.loader import load_demo
    from tests.documents.annex_seed import load_seed_annex

    call_command("migrate", verbosity=0)
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.task_default_queue = queue = f"pcd-register-bench-{os.getpid()}"
    users, pcd279, _ = load_demo()
    if not pcd279.annexes.exists():
        load_seed_annex(pcd279)

    export = work / "export.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                *("reference", "title", "date_signed", "date_published", "summary"),
                *("decision_maker", "pdf_url"),
            ]
        )
        # Numbers from 1,000, clear of the demo's PCD 279 and 280.
        for row in realistic_rows(DECISIONS):
            row[0] = str(int(row[0]) + 1000)
            writer.writerow(row)
    say(f"importing {DECISIONS} decisions")
    started = time.perf_counter()
    call_command("import_decisions", str(export), verbosity=0)
    import_s = time.perf_counter() - started
    say(f"imported in {import_s:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    # --- the server and the worker ------------------------------------------------------------
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    log = (work / "server.log").open("ab")
    processes.append(
        subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1"),
                *("--threads", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    )
    processes.append(
        subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"),
                *("--concurrency=1", "--loglevel=WARNING", "--without-heartbeat"),
                *("--without-gossip", "--without-mingle"),
                *("-Q", queue, "-n", f"register-bench-{os.getpid()}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    )
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

    def up() -> bool:
        try:
            return http.get("/bench/trivial/").status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(up, 60, "gunicorn", step=0.2)

    # --- page 1,000, by following the Next links ---------------------------------------------
    address = PAGES["register_page1"]
    for _ in range(999):
        match = re.search(r'href="([^"]+)" rel="next"', http.get(address).text)
        if match is None:
            raise SystemExit("bench: the register ran out of pages before page 1,000")
        address = "/decisions/" + match.group(1).replace("&amp;", "&")
    PAGES["register_page1000"] = address
    say(f"page 1,000 is {address}")

    # --- latency, interleaved with the trivial page -------------------------------------------
    timings: dict[str, list[float]] = {name: [] for name in ["trivial", *PAGES]}
    addresses = {"trivial": "/bench/trivial/", **PAGES}
    for round_number in range(WARM_UP + ROUNDS):
        for name, path in addresses.items():
            started = time.perf_counter()
            response = http.get(path)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"bench: {path} answered {response.status_code}")
            if round_number >= WARM_UP:
                timings[name].append(elapsed)
    trivial = statistics.median(timings["trivial"])
    say(f"trivial page: {trivial * 1000:.2f} ms")

    # --- queries of each page ------------------------------------------------------------------
    client = Client()
    queries: dict[str, int] = {}
    for name, path in PAGES.items():
        client.get(path)  # warm caches (the decision makers of the filter)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries[name] = len(captured.captured_queries)

    # --- sign-off to public ---------------------------------------------------------------------
    officer, chief, dmpc = users[Role.OFFICER], users[Role.CHIEF_EXECUTIVE], users[Role.DMPC]
    decision = pcd279_copy.request_for_signoff(
        pcd279=pcd279, officer=officer, chief=chief, title="Register benchmark sign-off"
    )
    page, pdf = f"/decisions/{decision.slug}/", f"/decisions/{decision.slug}.pdf"
    started = time.perf_counter()
    pcd279_copy.signed_off(decision, dmpc)
    wait_for(lambda: http.get(page).status_code == 200, 300, "the public page", step=0.05)
    wait_for(lambda: http.get(pdf).status_code == 200, 300, "the public PDF", step=0.1)
    signoff_s = time.perf_counter() - started

    for name in PAGES:
        print(f"{name}_over_trivial: {statistics.median(timings[name]) / trivial:.2f}")
    for name in PAGES:
        print(f"{name}_queries: {queries[name]}")
    print(f"signoff_to_public_s: {signoff_s:.2f}")
    print(f"import_100k_s: {import_s:.1f}")
    print(f"trivial_ms: {trivial * 1000:.2f}")
    http.close()
    app.connection_for_write().default_channel.client.delete(queue)


if __name__ == "__main__":
    main()
