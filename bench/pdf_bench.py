"""PDF benchmark (`make bench`): prints one `name: value` line per figure, on stdout only.

    pdf_render_s              the PCD 279 public pack as the worker makes it: its HTML, one
                              document, rendered by WeasyPrint as a tagged PDF/A-3a with its CSV
                              files, the structure tree repaired (documents.tagging), in this
                              process (median of 3, after a warm-up)
    pdf_render_untagged_s     the same HTML rendered untagged (PDF/A-3b), as before the packs
                              were tagged: what tagging costs
    pdf_pipeline_s            from the sign-off transition to the stored public pack, through
                              Redis and a warm worker (the pack rendered in one pass)
    pdf_rerender_s            the same pack again after one paragraph was edited, through the
                              same pipeline (a tagged pack is rendered whole again: its tree cannot
                              be merged from cached parts)
    pdf_chromium_s            headless Chromium printing the same HTML (median of 3, after a
                              warm-up), when chromium is installed; "n/a" otherwise
    worker_rss_first_mb       the worker's peak resident memory over the first ten of 50 renders
    worker_rss_last_mb        ... and over the last ten (each render a whole new pack)
    pdf_pipeline_over_render, pdf_rerender_over_render, pdf_render_over_chromium,
    pdf_tagged_over_untagged: the ratios

It runs on a database and media folder of its own (a temporary folder), and on Redis: REDIS_URL
if set, otherwise a private redis-server on a free port. The worker is a real
`celery -A config worker --pool=solo` process. Progress goes to stderr.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENDERS = 50
WINDOW = 10


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, step: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise SystemExit(f"bench: timed out after {timeout:.0f}s waiting for {what}")


class Memory:
    """Peak resident memory of the worker over a window: the worker process and every process
    under it (each render runs in a child of its own), sampled every few milliseconds. The sum
    counts the pages a child shares with the worker twice, so it errs on the high side."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        path = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            children = [int(child) for child in path.read_text().split()]
        except OSError:
            return [pid]
        return [pid] + [p for child in children for p in self._tree(child)]

    @staticmethod
    def _rss_mb(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._rss_mb(p) for p in self._tree(self.pid)))
            time.sleep(0.005)

    def start_window(self) -> None:
        self.peak = 0.0

    def peak_mb(self) -> float:
        return self.peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pcd-bench-"))
    os.environ.update(
        {
            "PCD_VAR_DIR": str(work),
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret"),
            "DJANGO_STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("DATABASE_URL", None)  # its own SQLite file, never a real database
    redis: subprocess.Popen[bytes] | None = None
    if not os.environ.get("REDIS_URL"):
        port = free_port()
        server = shutil.which("redis-server")
        if server is None:
            raise SystemExit("bench: needs Redis: set REDIS_URL or install redis-server")
        redis = subprocess.Popen(  # noqa: S603
            [
                *(server, "--port", str(port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(work)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        say(f"private redis-server on port {port}")
    processes: list[subprocess.Popen[bytes]] = [redis] if redis is not None else []
    try:
        run(work, processes)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from unittest import mock

    import pcd279_copy
    from django.core.management import call_command
    from django.db import transaction

    from config.celery import app
    from decisions.models import Decision, Paragraph
    from demo.loader import load_demo
    from documents import content, engine, html
    from documents import services as documents
    from documents.attachments import table_attachments
    from documents.models import DocumentKind, DocumentState, RenderedDocument, RenderedPart
    from tests.documents.annex_seed import load_seed_annex

    call_command("migrate", verbosity=0)
    # A queue of the bench's own: a Redis shared with a development worker is left alone, and
    # that worker never sees the bench's tasks (nor the bench worker anyone else's).
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.task_default_queue = queue = f"pcd-bench-{os.getpid()}"
    users, pcd279, _ = load_demo()
    if not pcd279.annexes.exists():
        load_seed_annex(pcd279)
    from decisions.roles import Role

    officer, chief, dmpc = users[Role.OFFICER], users[Role.CHIEF_EXECUTIVE], users[Role.DMPC]

    # --- pdf_render_s: the pack's HTML, one document, in this process ------------------------
    kind = DocumentKind.PUBLIC_PACK
    whole = html.whole_pack_html(pcd279, kind, content.stamp_for(pcd279, kind))
    files = table_attachments(pcd279)

    def median_render(variant: str) -> float:
        engine.render_pdf(whole, attachments=files, variant=variant)  # warm-up: fonts, caches
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            engine.render_pdf(whole, attachments=files, variant=variant)
            timings.append(time.perf_counter() - started)
        say(f"in-process render ({variant}): {[round(t, 3) for t in timings]}")
        return statistics.median(timings)

    render_s = median_render(engine.TAGGED)
    untagged_s = median_render(engine.ARCHIVAL)

    # --- the worker ---------------------------------------------------------------------------
    log = (work / "worker.log").open("ab")
    worker = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"),
            *("--concurrency=1", "--loglevel=WARNING", "--without-heartbeat"),
            *("--without-gossip", "--without-mingle"),
            *("-Q", queue, "-n", f"bench-{os.getpid()}@%h"),
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    processes.append(worker)

    def request_for_signoff(title: str) -> Decision:
        return pcd279_copy.request_for_signoff(
            pcd279=pcd279, officer=officer, chief=chief, title=title
        )

    def ready(document: RenderedDocument) -> bool:
        state = RenderedDocument.objects.filter(pk=document.pk).values_list("state", flat=True)
        if state[0] == DocumentState.FAILED:
            raise SystemExit(f"bench: a render failed; see {work / 'worker.log'}")
        return state[0] == DocumentState.READY

    def idle() -> bool:
        return not RenderedDocument.objects.filter(
            state__in=[DocumentState.QUEUED, DocumentState.RENDERING]
        ).exists()

    decision = request_for_signoff("Financial Reporting 2017/18 - Quarter 1 (benchmark)")
    say("waiting for the worker to render the preview (it warms up on it)")
    wait_for(idle, 180, "the preview", step=0.2)

    # --- pdf_pipeline_s: sign-off → Redis → worker → stored PDF, nothing cached --------------
    for part in RenderedPart.objects.all():
        part.pdf.delete(save=False)
    RenderedPart.objects.all().delete()
    started = time.perf_counter()
    pcd279_copy.signed_off(decision, dmpc)
    public = RenderedDocument.objects.get(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    wait_for(lambda: ready(public), 180, "the public pack")
    pipeline_s = time.perf_counter() - started
    wait_for(idle, 180, "the signed pack", step=0.2)
    say(f"pipeline: {pipeline_s:.3f}s")

    # --- pdf_rerender_s: one paragraph edited; the same pipeline -----------------------------
    # The bench edits the signed request in place to force new renders of its packs; the guard
    # that refuses to publish content changed since it was signed (decisions.published) is not
    # what it measures.
    unguarded = mock.patch("documents.services.publication_problem", return_value="")
    unguarded.start()
    paragraph = Paragraph.objects.filter(decision=decision).order_by("pk").first()
    if paragraph is None:
        raise SystemExit("bench: the request has no paragraph to edit")
    started = time.perf_counter()
    with transaction.atomic():
        Paragraph.objects.filter(pk=paragraph.pk).update(text=paragraph.text + " (Corrected.)")
        again = documents.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    wait_for(lambda: ready(again), 180, "the pack after the edit")
    rerender_s = time.perf_counter() - started
    say(f"rerender: {rerender_s:.3f}s")

    # --- pdf_chromium_s -----------------------------------------------------------------------
    chromium_s: float | None = None
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        page = work / "pack.html"
        page.write_text(whole, encoding="utf-8")
        runs = []
        for attempt in range(4):
            profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
            started = time.perf_counter()
            subprocess.run(  # noqa: S603
                [
                    *(browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"),
                    *("--no-first-run", "--disable-background-networking"),
                    *("--disable-component-update", "--disable-sync"),
                    *(f"--user-data-dir={profile}", "--no-pdf-header-footer"),
                    *(f"--print-to-pdf={work / 'chromium.pdf'}", page.as_uri()),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=120,
                check=True,
            )
            if attempt:  # the first run is the warm-up
                runs.append(time.perf_counter() - started)
        chromium_s = statistics.median(runs)
        say(f"chromium: {[round(t, 3) for t in runs]}")

    # --- the worker's memory over 50 renders, each a whole new pack --------------------------
    memory = Memory(worker.pid)
    peaks: list[float] = []
    annex = decision.annexes.get()
    for number in range(1, RENDERS + 1):
        if number in (1, RENDERS - WINDOW + 1):
            memory.start_window()
        with transaction.atomic():
            # A change to Part 1 and to the annex: neither part is in the cache.
            Paragraph.objects.filter(pk=paragraph.pk).update(text=f"{paragraph.text} Run {number}.")
            annex.title = f"Quarterly Performance Update Report (run {number})"
            annex.save(update_fields=["title"])
            document = documents.document_request(decision=decision, kind=DocumentKind.PUBLIC_PACK)
        wait_for(lambda document=document: ready(document), 180, f"render {number}", step=0.05)
        if number in (WINDOW, RENDERS):
            peaks.append(memory.peak_mb())
        if number % 10 == 0:
            say(f"memory: {number} renders, peak so far in this window {memory.peak_mb():.1f} MB")
    memory.stop()
    unguarded.stop()

    def figure(value: float | None, digits: int = 3) -> str:
        return "n/a" if value is None else f"{value:.{digits}f}"

    print(f"pdf_render_s: {figure(render_s)}")
    print(f"pdf_render_untagged_s: {figure(untagged_s)}")
    print(f"pdf_pipeline_s: {figure(pipeline_s)}")
    print(f"pdf_rerender_s: {figure(rerender_s)}")
    print(f"pdf_chromium_s: {figure(chromium_s)}")
    print(f"worker_rss_first_mb: {figure(peaks[0], 1)}")
    print(f"worker_rss_last_mb: {figure(peaks[1], 1)}")
    print(f"pdf_pipeline_over_render: {figure(pipeline_s / render_s)}")
    print(f"pdf_rerender_over_render: {figure(rerender_s / render_s)}")
    print(f"pdf_render_over_chromium: {figure(render_s / chromium_s if chromium_s else None)}")
    print(f"pdf_tagged_over_untagged: {figure(render_s / untagged_s)}")
    app.connection_for_write().default_channel.client.delete(queue)


if __name__ == "__main__":
    main()
