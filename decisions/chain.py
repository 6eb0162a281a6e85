"""The request's records in the audit chain (audit.chain): the log of transitions, the frozen
versions and the signatures, and the changes governance makes to the form's versions, each
appended in the transaction that writes it; the sources that
give the same records as they stand in the database now, so verify_audit can compare the two;
and the check that what was signed is still what the request holds.

The records keep their own guards (the models refuse changes; on PostgreSQL, triggers): the
chain is what still catches a change made around them (a DBA with the triggers off, SQLite).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit.chain import Record, append, register, register_check
from decisions.models import (
    Decision,
    DecisionVersion,
    FormChange,
    Signature,
    SignatureKind,
    TransitionLog,
)
from decisions.signatures import SIGNATURE_LINK as SIGNATURE
from decisions.signatures import canonical_content, current_signatures, record_fields, sha256_hex
from decisions.states import SIGNED_OFF_STATES

LOG, VERSION = "decisions.transition", "decisions.version"
FORM_CHANGE = "decisions.formchange"


def _reference(decision_id: int) -> str:
    number = Decision.objects.filter(pk=decision_id).values_list("reference_number", flat=True)
    found = number.first()
    return f"PCD {found}" if found else f"Request id:{decision_id}"


def _log_record(entry: TransitionLog, ordinal: int, reference: str) -> Record:
    payload: dict[str, Any] = {
        "decision": entry.decision_id,
        "transition": entry.transition,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "comment": entry.comment,
        "at": entry.at.isoformat(),
    }
    label = f"{reference} log entry #{ordinal} ({entry.transition})"
    return Record(f"decisions.transitionlog:{entry.pk}", label, payload)


def _version_record(version: DecisionVersion, reference: str) -> Record:
    payload = {
        "decision": version.decision_id,
        "number": version.number,
        "content_hash": version.content_hash,
        # Recomputed from the stored JSON: the copy of the content that public pages are drawn
        # from (decisions.published) cannot be edited without this changing.
        "content": sha256_hex(version.content),
        "submitted_by": version.submitted_by_id,
        "created_at": version.created_at.isoformat(),
    }
    return Record(
        f"decisions.decisionversion:{version.pk}", f"{reference} version {version.number}", payload
    )


def _signature_record(signature: Signature, ordinal: int, reference: str) -> Record:
    payload = {**record_fields(signature), "record_hash": signature.record_hash}
    label = f"{reference} signature #{ordinal} ({signature.get_kind_display()})"
    return Record(f"decisions.signature:{signature.pk}", label, payload)


def _ordinal(queryset: Any, pk: int) -> int:
    return int(queryset.filter(pk__lte=pk).count())


def append_log(entry: TransitionLog) -> None:
    record = _log_record(
        entry,
        _ordinal(TransitionLog.objects.filter(decision_id=entry.decision_id), entry.pk),
        _reference(entry.decision_id),
    )
    append(kind=LOG, subject=record.subject, label=record.label, payload=record.payload)


def append_version(version: DecisionVersion) -> None:
    record = _version_record(version, _reference(version.decision_id))
    append(kind=VERSION, subject=record.subject, label=record.label, payload=record.payload)


def append_signature(signature: Signature) -> None:
    record = _signature_record(
        signature,
        _ordinal(Signature.objects.filter(decision_id=signature.decision_id), signature.pk),
        _reference(signature.decision_id),
    )
    append(kind=SIGNATURE, subject=record.subject, label=record.label, payload=record.payload)


def _form_change_record(change: FormChange) -> Record:
    payload: dict[str, Any] = {
        "template": change.template_id,
        "what": change.what,
        "actor": change.actor_id,
        "actor_name": change.actor_name,
        "at": change.at.isoformat(),
    }
    label = f"Form change #{change.pk} ({change.what})"[:200]
    return Record(f"decisions.formchange:{change.pk}", label, payload)


def append_form_change(change: FormChange) -> None:
    record = _form_change_record(change)
    append(kind=FORM_CHANGE, subject=record.subject, label=record.label, payload=record.payload)


# --- sources: the records as they stand --------------------------------------------------------


def _references(decisions: Any = Decision) -> dict[int, str]:
    return {
        pk: f"PCD {number}" if number else f"Request id:{pk}"
        for pk, number in decisions.objects.values_list("pk", "reference_number")
    }


def _per_decision(rows: Any) -> Iterator[tuple[Any, int]]:
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.decision_id] = counts.get(row.decision_id, 0) + 1
        yield row, counts[row.decision_id]


# The model arguments let the migration that adopts older rows pass its historical models.


def live_log(log: Any = TransitionLog, decisions: Any = Decision) -> Iterator[Record]:
    references = _references(decisions)
    for entry, n in _per_decision(log.objects.order_by("decision_id", "pk")):
        yield _log_record(entry, n, references[entry.decision_id])


def live_versions(versions: Any = DecisionVersion, decisions: Any = Decision) -> Iterator[Record]:
    references = _references(decisions)
    for version in versions.objects.order_by("pk"):
        yield _version_record(version, references[version.decision_id])


def live_signatures(signatures: Any = Signature, decisions: Any = Decision) -> Iterator[Record]:
    references = _references(decisions)
    for signature, n in _per_decision(signatures.objects.order_by("decision_id", "pk")):
        yield _signature_record(signature, n, references[signature.decision_id])


# --- what was signed, against what the request holds --------------------------------------------


def first_difference(signed: dict[str, Any], live: dict[str, Any]) -> str:
    """Names the first part of the request that differs, as a reader would: "paragraph 2.3"."""
    signed_paragraphs = {
        p["number"]: p for s in signed.get("part_one", []) for p in s["paragraphs"]
    }
    live_paragraphs = {p["number"]: p for s in live.get("part_one", []) for p in s["paragraphs"]}
    for number in sorted(set(signed_paragraphs) | set(live_paragraphs)):
        if signed_paragraphs.get(number) != live_paragraphs.get(number):
            return f"paragraph {number}"
    for key in sorted(set(signed) | set(live)):
        if signed.get(key) != live.get(key):
            return key.replace("_", " ")
    return "nothing"


def signed_off_content_problems() -> Iterator[str]:
    """Each signed-off request whose content (in the database now) is no longer the version the
    DMPC signed, naming what differs; the public sees the signed version meanwhile."""
    for decision in Decision.objects.filter(status__in=SIGNED_OFF_STATES).order_by("pk"):
        signature = current_signatures(decision).get(SignatureKind.DMPC_DECISION)
        if signature is None:
            yield f"{decision.reference} is signed off but has no DMPC signature."
            continue
        live = canonical_content(decision)
        if sha256_hex(live) != signature.content_hash:
            what = first_difference(signature.version.content, live)
            yield (
                f"{decision.reference} {what} differs from what the DMPC signed "
                f"(version {signature.version.number}): changed in the database."
            )


def live_form_changes() -> Iterator[Record]:
    for change in FormChange.objects.order_by("pk").iterator():
        yield _form_change_record(change)


def register_sources() -> None:
    register(LOG, live_log)
    register(VERSION, live_versions)
    register(SIGNATURE, live_signatures)
    register(FORM_CHANGE, live_form_changes)
    register_check(signed_off_content_problems)


def adopt_existing(apps: Any = None) -> int:
    """Append a link for each log entry, version and signature written before the chain existed
    (the migration that introduced it runs this once, with its historical models). From then on
    the key vouches for them as they stood at adoption; what happened to them before cannot be
    proved. Returns how many."""
    from audit.models import Link

    def model(name: str, default: Any) -> Any:
        return apps.get_model("decisions", name) if apps is not None else default

    decisions = model("Decision", Decision)
    sources = (
        (LOG, live_log(model("TransitionLog", TransitionLog), decisions)),
        (VERSION, live_versions(model("DecisionVersion", DecisionVersion), decisions)),
        (SIGNATURE, live_signatures(model("Signature", Signature), decisions)),
    )
    linked = set(Link.objects.values_list("kind", "subject"))
    pending: list[tuple[str, int, str, Record]] = []
    for kind, records in sources:
        for record in records:
            if (kind, record.subject) not in linked:
                payload = record.payload
                moment = payload.get("at") or payload.get("created_at") or payload.get("signed_at")
                pending.append((str(moment), int(record.subject.rsplit(":", 1)[1]), kind, record))
    for _, _, kind, record in sorted(pending, key=lambda item: (item[0], item[1])):
        append(kind=kind, subject=record.subject, label=record.label, payload=record.payload)
    return len(pending)
