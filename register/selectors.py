"""Reads of the public register: what is published, filtered, and a page of it at a time.

Only published decisions are read here, and never Part 2. The JSON API reads the same functions,
so the register and the API always list the same decisions in the same order.
"""

from __future__ import annotations

from django.db.models import QuerySet

from decisions.dates import london_today
from decisions.models import Decision
from decisions.states import Status


def deferred_decisions_due() -> QuerySet[Decision]:
    """Deferred decisions whose publication day has begun in London, however long ago."""
    return Decision.objects.filter(status=Status.DEFERRED, publish_on__lte=london_today())
