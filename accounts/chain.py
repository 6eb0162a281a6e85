"""Role changes in the audit chain (audit.chain): each appended in the transaction that records
it, and the live rows given back so verify_audit can compare the two."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from accounts.models import RoleChange
from audit.chain import Record, append, register

ROLE_CHANGE = "accounts.rolechange"


def _record(change: RoleChange) -> Record:
    payload: dict[str, Any] = {
        "subject": change.subject_id,
        "subject_name": change.subject_name,
        "role": change.role,
        "action": change.action,
        "actor": change.actor_id,
        "actor_name": change.actor_name,
        "at": change.at.isoformat(),
    }
    label = f"Role change #{change.pk} ({change.subject_name}: {change.role} {change.action})"
    return Record(f"accounts.rolechange:{change.pk}", label, payload)


def append_role_change(sender: object, *, change: RoleChange, **kwargs: Any) -> None:
    """Receiver of accounts.signals.role_changed, sent inside the role change's transaction."""
    record = _record(change)
    append(kind=ROLE_CHANGE, subject=record.subject, label=record.label, payload=record.payload)


def live_role_changes() -> Iterator[Record]:
    for change in RoleChange.objects.order_by("pk").iterator():
        yield _record(change)


def register_sources() -> None:
    from accounts.signals import role_changed

    register(ROLE_CHANGE, live_role_changes)
    role_changed.connect(append_role_change, dispatch_uid="accounts.chain.role_change")


def adopt_existing() -> int:
    """Append a link for each role change not in the chain (after the chain was rebuilt from
    the records, as decisions.chain.adopt_existing does for the request's). Returns how many."""
    from audit.models import Link

    linked = set(Link.objects.filter(kind=ROLE_CHANGE).values_list("subject", flat=True))
    pending = [record for record in live_role_changes() if record.subject not in linked]
    for record in pending:
        append(kind=ROLE_CHANGE, subject=record.subject, label=record.label, payload=record.payload)
    return len(pending)
