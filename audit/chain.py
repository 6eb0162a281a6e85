"""The audit chain's one way in, `append`, and its check, `verify`.

`append(kind=, subject=, label=, payload=)` is called inside the transaction that writes the
record it stands for (a transition's log entry, a signature, a publication; the accounts app's
role changes): both commit or neither does. Each link holds the previous link's hash; its own hash
covers its sequence, kind, subject, label, payload, time and that previous hash; the server key
(audit.keys) signs its hash. Editing, deleting, inserting or reordering a link breaks the chain at
that link, and no one without the key can mend it.

The records themselves live in other apps' tables. Each app registers, for each kind it appends,
a *source*: a function that gives the live rows as they would be appended now (`register`).
`verify` then compares the chain with the live rows, so a row edited, deleted or slipped in
behind the services' back is found too, even where no trigger stops it (SQLite).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from audit import keys
from audit.models import Link

GENESIS = "0" * 64


@dataclass(frozen=True)
class Record:
    """A live row as its source gives it: what its link must hold."""

    subject: str
    label: str
    payload: dict[str, Any]


# kind → the live rows of that kind; extra checks that report problems by themselves.
_SOURCES: dict[str, Callable[[], Iterable[Record]]] = {}
_CHECKS: list[Callable[[], Iterable[str]]] = []


def register(kind: str, source: Callable[[], Iterable[Record]]) -> None:
    """Declare where the live rows of a kind are (called from an app's ready())."""
    _SOURCES[kind] = source


def register_check(check: Callable[[], Iterable[str]]) -> None:
    """A check beyond the rows (decisions: the content still matches what was signed)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def normalise(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the JSON column gives it back (so a live row compares equal to it)."""
    loaded: dict[str, Any] = json.loads(canonical(payload))
    return loaded


def link_hash(
    *,
    sequence: int,
    kind: str,
    subject: str,
    label: str,
    payload: dict[str, Any],
    at: datetime.datetime,
    previous_hash: str,
) -> str:
    body = {
        "sequence": sequence,
        "kind": kind,
        "subject": subject,
        "label": label,
        "payload": payload,
        "at": at.astimezone(datetime.UTC).isoformat(),
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def _hash_of(link: Link) -> str:
    return link_hash(
        sequence=link.sequence,
        kind=link.kind,
        subject=link.subject,
        label=link.label,
        payload=link.payload,
        at=link.at,
        previous_hash=link.previous_hash,
    )


def _lock_chain() -> None:
    # One writer at a time, so two transactions never both append after the same link. On
    # SQLite every writing transaction already holds the database's lock (IMMEDIATE).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('pcd-audit-chain'))")


def append(*, kind: str, subject: str, label: str, payload: dict[str, Any]) -> Link:
    """Add a link for a record, in the caller's transaction (it must be inside one)."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.append must run inside the transaction that writes the record.")
    _lock_chain()
    last = Link.objects.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = timezone.now()
    payload = normalise(payload)
    digest = link_hash(
        sequence=sequence,
        kind=kind,
        subject=subject,
        label=label,
        payload=payload,
        at=at,
        previous_hash=previous,
    )
    return Link.objects.create(
        sequence=sequence,
        kind=kind,
        subject=subject,
        label=label,
        payload=payload,
        at=at,
        previous_hash=previous,
        hash=digest,
        key_id=keys.key_id(),
        signature=keys.sign(digest.encode()),
    )


def link_for(kind: str, subject: str) -> Link | None:
    """The link of a record, if its chain link is intact and signed by the server key."""
    link = Link.objects.filter(kind=kind, subject=subject).order_by("-sequence").first()
    if link is None or _hash_of(link) != link.hash:
        return None
    return link if keys.verify(link.hash.encode(), link.signature) else None


# --- the check ---------------------------------------------------------------------------------


def _chain_problems(links: Iterable[Link]) -> Iterator[str]:
    expected_sequence, previous = 1, GENESIS
    for link in links:
        where = f"Link {link.sequence} ({link.label})"
        if link.sequence != expected_sequence:
            missing = expected_sequence if link.sequence > expected_sequence else link.sequence
            yield f"Link {missing} is missing or out of order: the chain was cut before {where}."
        elif link.previous_hash != previous:
            yield f"{where} does not follow the link before it: a link was removed or reordered."
        elif _hash_of(link) != link.hash:
            yield f"{where} was edited after it was written."
        elif not keys.verify(link.hash.encode(), link.signature):
            yield f"{where} is not signed by the server key: it was forged or re-hashed."
        expected_sequence, previous = link.sequence + 1, link.hash


def _row_problems(links: list[Link]) -> Iterator[str]:
    live: dict[tuple[str, str], Record] = {}
    for kind, source in _SOURCES.items():
        for record in source():
            live[(kind, record.subject)] = record
    chained: set[tuple[str, str]] = set()
    for link in links:
        key = (link.kind, link.subject)
        if link.kind not in _SOURCES or key in chained:
            continue
        chained.add(key)
        found = live.get(key)
        if found is None:
            yield f"{link.label} was deleted (audit link {link.sequence})."
            continue
        now = normalise(found.payload)
        if now != link.payload:
            fields = sorted(
                name
                for name in set(link.payload) | set(now)
                if now.get(name) != link.payload.get(name)
            )
            yield f"{link.label} changed: {', '.join(fields)} (audit link {link.sequence})."
    for key, record in live.items():
        if key not in chained:
            yield f"{record.label} is not in the audit chain: it was inserted behind its back."


def verify() -> list[str]:
    """Every problem found, the first broken link first: the chain itself, then the live rows
    against their links (in the chain's order), then the registered checks."""
    links = list(Link.objects.order_by("sequence"))
    with transaction.atomic():
        problems = list(_chain_problems(links))
        problems += list(_row_problems(links))
        for check in _CHECKS:
            problems += list(check())
    return problems
