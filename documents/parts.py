"""Rendered parts, cached by content hash: a part (Part 1, one annex) whose HTML has not changed is
never rendered again, whichever pack or request asks for it.

A part's key is the SHA-256 of its HTML (which holds its stylesheet and charts) and the engine
and variant that render it. Two workers that need the same part at the same moment do not both
render it: the first to insert the part's row (its key is unique) renders it, holding a lease it
renews while it renders (documents.leases); the other waits for the file, and takes the work over
as soon as that lease lapses (the first worker died), so a dead worker holds a part up for one
lease at most. The parts a pack is missing are rendered together, side by side.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.formats import ARCHIVAL, ENGINE
from documents.leases import Renewing, lease_until
from documents.models import RenderedPart

logger = logging.getLogger(__name__)

PART_FORMAT = f"{ENGINE}|{ARCHIVAL}|part-1"


class PartBusy(RuntimeError):
    """Another worker is still rendering this part; the task will be retried."""


@dataclass(frozen=True)
class PartSpec:
    name: str
    html: str

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{PART_FORMAT}\n{self.html}".encode()).hexdigest()


@dataclass
class PartResult:
    part: RenderedPart
    rendered: bool  # False when the cached part was reused


def _claim(key: str) -> RenderedPart | None:
    """The part when it is ready, or when this worker now owns its render (its file is still
    empty); None when another worker is rendering it."""
    part = RenderedPart.objects.filter(content_hash=key).first()
    if part is None:
        try:
            with transaction.atomic():
                return RenderedPart.objects.create(
                    content_hash=key, pages=0, pdf="", lease_until=lease_until()
                )
        except IntegrityError:
            return None  # claimed by another worker an instant ago
    if part.pdf:
        return part
    now = timezone.now()
    lapsed = part.lease_until is None or part.lease_until < now
    if lapsed:
        # The worker that claimed it stopped renewing its lease (it died): take the claim over,
        # once (the conditional update lets one worker win).
        taken = RenderedPart.objects.filter(pk=part.pk, pdf="", lease_until=part.lease_until)
        if taken.update(lease_until=lease_until(now)):
            part.lease_until = lease_until(now)
            return part
    return None


def pause_for_tests() -> None:
    """PCD_RENDER_DELAY_S (tests only): a window in which to kill a worker in the middle of a
    render, whether of parts or of a pack in one pass."""
    if settings.PCD_RENDER_DELAY_S:
        time.sleep(settings.PCD_RENDER_DELAY_S)


def _render_claimed(claimed: Sequence[tuple[RenderedPart, PartSpec]]) -> None:
    from documents import engine  # the renderer: workers only

    started = time.perf_counter()
    mine = RenderedPart.objects.filter(pk__in=[part.pk for part, _ in claimed], pdf="")
    try:
        with Renewing(lambda: mine.update(lease_until=lease_until()), "parts"):
            pause_for_tests()
            results = engine.render_many([spec.html for _, spec in claimed])
        names = [
            default_storage.save(f"parts/{part.content_hash}.pdf", ContentFile(result.pdf))
            for (part, _), result in zip(claimed, results, strict=True)
        ]
    except BaseException:
        # Give the claims back, so that the next attempt renders them at once.
        RenderedPart.objects.filter(pk__in=[part.pk for part, _ in claimed], pdf="").delete()
        raise
    seconds = time.perf_counter() - started
    for (part, spec), result, name in zip(claimed, results, names, strict=True):
        RenderedPart.objects.filter(pk=part.pk).update(
            pdf=name, pages=result.pages, render_seconds=seconds
        )
        part.refresh_from_db()
        logger.info("Rendered part %s (%s, %d pages)", spec.name, part.pk, part.pages)


def ensure_parts(specs: Sequence[PartSpec]) -> list[PartResult]:
    """The rendered part for each HTML, in order: from the cache, or rendered now (exactly
    once, the missing ones side by side)."""
    results: dict[str, PartResult] = {}
    # A live worker rendering a part this pack needs is waited for (its render is killed after
    # PCD_RENDER_TIMEOUT_S); a dead one's lease lapses within PCD_RENDER_LEASE_S.
    deadline = time.monotonic() + settings.PCD_RENDER_TIMEOUT_S + settings.PCD_RENDER_LEASE_S
    while len(results) < len({spec.key for spec in specs}):
        claimed: list[tuple[RenderedPart, PartSpec]] = []
        for spec in specs:
            if spec.key in results or any(s.key == spec.key for _, s in claimed):
                continue
            part = _claim(spec.key)
            if part is None:
                continue  # another worker's: looked at again below
            if part.pdf:
                results[spec.key] = PartResult(part, rendered=False)
            else:
                claimed.append((part, spec))
        if claimed:
            _render_claimed(claimed)
            for part, spec in claimed:
                results[spec.key] = PartResult(part, rendered=True)
        elif len(results) < len({spec.key for spec in specs}):
            if time.monotonic() > deadline:
                raise PartBusy("A part is still being rendered elsewhere.")
            time.sleep(0.2)  # waiting for the part that another worker is rendering
    return [results[spec.key] for spec in specs]


def part_pdf(part: RenderedPart) -> bytes:
    with part.pdf.open("rb") as stream:
        return bytes(stream.read())
