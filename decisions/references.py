"""Reference numbers: PCD 280, PCD 281, … — unique, never reused, and gap-free.

A number is taken inside the submitting transaction while the counter row is locked: a second
submission waits for the first to commit, and a submission that fails rolls its number back.
"""

from __future__ import annotations

from django.db import transaction

from decisions.models import ReferenceCounter

SERIES = "PCD"


def _locked_counter() -> ReferenceCounter:
    ReferenceCounter.objects.get_or_create(prefix=SERIES)
    return ReferenceCounter.objects.select_for_update().get(prefix=SERIES)


def allocate_reference() -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("References are allocated only inside the submitting transaction.")
    counter = _locked_counter()
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def record_existing_reference(number: int) -> None:
    """For decisions imported from before the system: the series continues after them."""
    counter = _locked_counter()
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
