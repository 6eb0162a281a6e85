"""The PDF engine: HTML in, PDF bytes out. Everything else talks to `render_pdf`, so WeasyPrint can
be replaced without touching its callers.

The renderer fetches nothing from the network or the file system. Its URL fetcher
answers only `data:` URLs and the project's own static files, read from disk through the
staticfiles finders; any other URL (http to anywhere, file:, ftp:, a static path that climbs out
with "..") is refused, logged and left out of the PDF. The templates escape every user-written
text, so such URLs reach the fetcher only if a template is wrong; the fetcher is the second wall.
"""

from __future__ import annotations

import gc
import json
import logging
import mimetypes
import os
import posixpath
import selectors
import signal
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from documents import tagging
from documents.attachments import Attachment
from documents.formats import ARCHIVAL, ENGINE, TAGGED

__all__ = [
    "ARCHIVAL",
    "ENGINE",
    "TAGGED",
    "Attachment",
    "RenderError",
    "Rendered",
    "render_many",
    "render_pdf",
]

logger = logging.getLogger(__name__)
# WeasyPrint reports every step of every render at INFO: noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


# Relative URLs in the PDF templates resolve against this origin. It is not a real host (.invalid
# is reserved, RFC 2606): the fetcher maps its static paths to files on disk and nothing is ever
# requested from it.
ASSET_ORIGIN = "https://assets.pcd.invalid"
ASSET_BASE_URL = f"{ASSET_ORIGIN}/"


class BlockedURL(ValueError):
    """The renderer asked for something outside its own static files."""


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Answers data: URLs and the project's static files; refuses everything else."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, **kwargs)
        self.blocked: list[str] = []
        self.static_prefix = f"{ASSET_ORIGIN}{settings.STATIC_URL}"

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            # Decoded in memory by urllib's data: handler; nothing is opened.
            response = DataHandler().data_open(Request(url))  # noqa: S310
            return URLFetcherResponse(
                url, response.read(), headers={"Content-Type": response.headers["Content-Type"]}
            )
        if url.startswith(self.static_prefix):
            found = self._static_file(url)
            if found is not None:
                with open(found, "rb") as stream:
                    body = stream.read()
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
        self.blocked.append(url)
        logger.warning("The PDF renderer refused to fetch %s", url[:200])
        raise BlockedURL(f"The PDF renderer fetches only its own static files, not {url[:200]}")

    def _static_file(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            return None
        relative = unquote(parts.path)[len(settings.STATIC_URL) :]
        normalised = posixpath.normpath(relative)
        if normalised != relative or normalised.startswith(("/", "..")) or "\\" in normalised:
            return None
        found = finders.find(normalised)
        return str(found) if isinstance(found, str) else None


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    blocked: list[str] = field(default_factory=list)


def render(
    html: str,
    *,
    base_url: str = ASSET_BASE_URL,
    attachments: Sequence[Attachment] = (),
    variant: str | None = ARCHIVAL,
) -> Rendered:
    """Render one HTML document to PDF; also says how many pages it made and what it refused.
    A tagged variant (TAGGED) has its structure tree repaired (documents.tagging)."""
    fetcher = SafeURLFetcher()
    with tagging.recording() as boxes:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            pdf_variant=variant
        )
        extra = [
            weasyprint.Attachment(
                string=attachment.data,
                name=attachment.name,
                description=attachment.description,
                relationship=attachment.relationship,
                url_fetcher=fetcher,
                created=attachment.created,
                modified=attachment.created,
            )
            for attachment in attachments
        ]
        pdf = document.write_pdf(pdf_variant=variant, attachments=extra or None)
    if variant == TAGGED:
        pdf = tagging.repair(pdf, boxes)
    return Rendered(pdf=pdf, pages=len(document.pages), blocked=fetcher.blocked)


class RenderError(RuntimeError):
    """The engine could not render a document (its error, or its process died)."""


def _child(html: str, write: int, options: dict[str, Any]) -> None:
    """In the forked process: render, send the result up the pipe, and leave at once (no
    Django, database or Celery clean-up runs in a child)."""
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    try:
        rendered = render(html, **options)
        header = {"ok": True, "pages": rendered.pages, "blocked": rendered.blocked}
        body = rendered.pdf
    except BaseException as error:  # every failure goes back to the parent
        header, body = {"ok": False, "error": f"{type(error).__name__}: {error}"}, b""
    try:
        with os.fdopen(write, "wb") as out:
            out.write(json.dumps(header).encode() + b"\n" + body)
    finally:
        os._exit(0)


def _isolated(htmls: Sequence[str], options: dict[str, Any]) -> list[Rendered]:
    """Render each document in a forked process of its own, as many at once as there are CPUs.

    WeasyPrint's native libraries (Pango, HarfBuzz, fontconfig) keep memory between renders that
    Python cannot give back (Kozea/WeasyPrint#2130): a long-lived worker grew by about 0.7 MB a
    render. A child takes that memory with it when it exits, so the worker stays the size it
    started at; and the parts of a pack render side by side."""
    results: list[Rendered | None] = [None] * len(htmls)
    waiting = list(enumerate(htmls))
    running: dict[int, tuple[int, int, list[bytes]]] = {}
    selector = selectors.DefaultSelector()
    limit = max(1, min(len(htmls), os.cpu_count() or 1))
    deadline = time.monotonic() + settings.PCD_RENDER_TIMEOUT_S
    try:
        while waiting or running:
            while waiting and len(running) < limit:
                index, html = waiting.pop(0)
                read, write = os.pipe()
                # Frozen, the worker's objects are left out of the child's garbage collections,
                # which would otherwise touch (and so copy) every page of the worker's memory:
                # a quarter of the time of a small render.
                gc.freeze()
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the child
                    os.close(read)
                    _child(html, write, options)
                gc.unfreeze()
                os.close(write)
                os.set_blocking(read, False)
                running[read] = (index, pid, [])
                selector.register(read, selectors.EVENT_READ)
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise RenderError(f"A render took longer than {settings.PCD_RENDER_TIMEOUT_S}s.")
            for key, _ in selector.select(timeout=min(timeout, 1.0)):
                read = int(key.fd)
                index, pid, chunks = running[read]
                chunk = os.read(read, 1 << 20)
                if chunk:
                    chunks.append(chunk)
                    continue
                selector.unregister(read)
                os.close(read)
                del running[read]
                _, status = os.waitpid(pid, 0)
                results[index] = _received(b"".join(chunks), status)
    finally:
        for read, (_, pid, _) in running.items():
            with suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(read)
        selector.close()
    return [result for result in results if result is not None]


def _received(data: bytes, status: int) -> Rendered:
    header_line, _, body = data.partition(b"\n")
    if not header_line:
        raise RenderError(f"The render process died ({_how(status)}).")
    header = json.loads(header_line)
    if not header["ok"]:
        raise RenderError(header["error"])
    return Rendered(pdf=body, pages=int(header["pages"]), blocked=list(header["blocked"]))


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"


def render_many(
    htmls: Sequence[str],
    *,
    base_url: str = ASSET_BASE_URL,
    attachments: Sequence[Attachment] = (),
    variant: str | None = ARCHIVAL,
) -> list[Rendered]:
    """Render several documents; each in a process of its own when PCD_RENDER_ISOLATED is on
    (the default), in this process otherwise."""
    options: dict[str, Any] = {"base_url": base_url, "attachments": attachments, "variant": variant}
    if settings.PCD_RENDER_ISOLATED and hasattr(os, "fork"):
        return _isolated(htmls, options)
    return [render(html, **options) for html in htmls]


def render_pdf(
    html: str,
    *,
    base_url: str = ASSET_BASE_URL,
    attachments: Sequence[Attachment] = (),
    variant: str | None = ARCHIVAL,
) -> bytes:
    """HTML in, PDF bytes out: the one interface the rest of the project uses."""
    return render_many([html], base_url=base_url, attachments=attachments, variant=variant)[0].pdf
