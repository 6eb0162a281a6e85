"""Role changes and changes to second factors in the audit chain (audit.chain): each appended in
the transaction that records it, and the live rows given back so verify_audit can compare the
two."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from accounts.models import RoleChange, SecondFactorChange
from audit.chain import Record, append, register

ROLE_CHANGE = "accounts.rolechange"
SECOND_FACTOR_CHANGE = "accounts.secondfactorchange"


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


def _second_factor_record(change: SecondFactorChange) -> Record:
    payload: dict[str, Any] = {
        "person": change.person_id,
        "person_name": change.person_name,
        "action": change.action,
        "passkey": change.passkey,
        "name": change.name,
        "previous_name": change.previous_name,
        "at": change.at.isoformat(),
    }
    label = f"Second factor change #{change.pk} ({change.person_name}: {change.action})"
    return Record(f"{SECOND_FACTOR_CHANGE}:{change.pk}", label, payload)


def append_second_factor_change(
    sender: object, *, change: SecondFactorChange, **kwargs: Any
) -> None:
    """Receiver of accounts.signals.second_factor_changed, sent inside the change's transaction."""
    record = _second_factor_record(change)
    append(
        kind=SECOND_FACTOR_CHANGE,
        subject=record.subject,
        label=record.label,
        payload=record.payload,
    )


def live_second_factor_changes() -> Iterator[Record]:
    for change in SecondFactorChange.objects.order_by("pk").iterator():
        yield _second_factor_record(change)


def register_sources() -> None:
    from accounts.signals import role_changed, second_factor_changed

    register(ROLE_CHANGE, live_role_changes)
    register(SECOND_FACTOR_CHANGE, live_second_factor_changes)
    role_changed.connect(append_role_change, dispatch_uid="accounts.chain.role_change")
    second_factor_changed.connect(
        append_second_factor_change, dispatch_uid="accounts.chain.second_factor_change"
    )


def adopt_existing() -> int:
    """Append a link for each role change and second factor change not in the chain (after the
    chain was rebuilt from the records, as decisions.chain.adopt_existing does for the
    request's). Returns how many."""
    from audit.models import Link

    adopted = 0
    for kind, live in (
        (ROLE_CHANGE, live_role_changes),
        (SECOND_FACTOR_CHANGE, live_second_factor_changes),
    ):
        linked = set(Link.objects.filter(kind=kind).values_list("subject", flat=True))
        pending = [record for record in live() if record.subject not in linked]
        for record in pending:
            append(kind=kind, subject=record.subject, label=record.label, payload=record.payload)
        adopted += len(pending)
    return adopted
