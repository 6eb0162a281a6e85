"""The row lock every write to a request takes, and the permission it checks under the lock.

A write locks the request's row (`select_for_update`) inside its transaction and checks, under
the lock, that the person may still do what they asked. Two people acting on one request at once
therefore take turns: the second sees the first one's result, and is refused with a message if it
changed what they may do. On SQLite, where `select_for_update` does nothing, every transaction
takes the database's write lock when it begins (settings: "transaction_mode": "IMMEDIATE"), which
serialises writers the same way. finance's services take the same lock before changing an
annex, so an annex can never change while its request is being submitted.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from decisions import permissions
from decisions.errors import ActionRefused
from decisions.models import Decision
from decisions.transitions import STEPS, refusal
from decisions.types import User


def lock_for_edit(decision: Decision, user: User) -> Decision:
    """The request, locked, if this person may change its content now; else ActionRefused.
    Makes an edit and a submission of the same request take turns, so an edit can never land
    after the version was frozen."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_edit() must run inside the writing transaction.")
    locked: Decision = Decision.objects.select_for_update().get(pk=decision.pk)
    refusal = permissions.edit_refusal(user, locked)
    if refusal:
        raise ActionRefused(refusal)
    return locked


def touch(decision: Decision) -> None:
    """Record that the request's content changed (the dashboard lists drafts by it)."""
    Decision.objects.filter(pk=decision.pk).update(updated_at=timezone.now())


def lock_for_transition(
    decision: Decision, user: User | None, name: str, expected_status: str | None
) -> Decision:
    """The request, locked, if the transition `name` may be fired now by this person; else
    ActionRefused. `expected_status` is the state the person saw on their page: if the request
    moved on since, they are told so rather than acting on something they have not seen."""
    locked: Decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if expected_status is not None and locked.status != expected_status:
        raise ActionRefused(
            f"This request changed while you were looking at it: it is now "
            f"“{locked.status_label}”. Nothing was changed."
        )
    step = STEPS[name]
    if not can_proceed(getattr(locked, name), check_conditions=False):
        raise ActionRefused(f"A request that is “{locked.status_label}” cannot be {step.past}.")
    reason = refusal(name, user, locked)
    if reason:
        raise ActionRefused(reason)
    return locked
