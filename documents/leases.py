"""Leases: a worker holds what it renders (a document, a part) only as long as it keeps saying so.

A render claims its row with a lease (`lease_until`, PCD_RENDER_LEASE_S ahead), and a thread of
the worker renews it every third of that while the render goes on. A worker that dies (killed,
out of memory, its machine gone) stops renewing; once its lease has lapsed, any worker may take
the row over: the sweep queues the document again, and a worker that needs a part takes it. So a
dead worker holds nothing up for longer than one lease, however long renders may take, and a
live one is never taken over however slow its render is.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from types import TracebackType

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def lease_until(now: datetime.datetime | None = None) -> datetime.datetime:
    """When a lease taken (or renewed) now lapses."""
    return (now or timezone.now()) + timedelta(seconds=settings.PCD_RENDER_LEASE_S)


class Renewing:
    """`with Renewing(renew):` calls `renew()` every third of a lease while the block runs, in a
    thread of its own (with its own database connection, closed at the end). `renew` returns how
    many rows it renewed: 0 means the lease was taken over, and renewing stops."""

    def __init__(self, renew: Callable[[], int], what: str) -> None:
        self.renew = renew
        self.what = what
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"lease {what}", daemon=True)

    def _run(self) -> None:
        every = max(settings.PCD_RENDER_LEASE_S / 3, 0.2)
        try:
            while not self.stopped.wait(every):
                try:
                    if not self.renew():
                        logger.warning("The lease on %s was taken over.", self.what)
                        return
                except DatabaseError:
                    # Try again at the next beat: one missed renewal leaves two in hand.
                    logger.warning("Could not renew the lease on %s.", self.what, exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> Renewing:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)
