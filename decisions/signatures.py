"""Canonical content and signature records.

The canonical content is the request as the signer saw it, as JSON with sorted keys and no
insignificant white space; its SHA-256 goes into the signature. Recomputing it later from the
database tells whether the content is still what was signed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from audit.chain import link_for, normalise
from decisions.document import build_document
from decisions.models import Decision, Signature, extensions

GENESIS = "0" * 64


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def canonical_content(decision: Decision) -> dict[str, Any]:
    document = build_document(decision)
    part_two: dict[str, str] | None = None
    if decision.has_part_two:
        stored = getattr(decision, "part_two", None)
        part_two = {
            "facts_and_advice": stored.facts_and_advice if stored else "",
            "exemption_rationale": stored.exemption_rationale if stored else "",
        }
    return {
        "form": {"name": decision.template.name, "version": decision.template.version},
        "reference": decision.reference_number,
        "title": decision.title,
        "executive_summary": decision.executive_summary,
        "recommendations": [
            {
                "number": r.number,
                "text": r.text,
                "links": r.links,
                "rendered": r.rendered,
                "annex_rows": r.annex_rows,
            }
            for r in document.recommendations
        ],
        "part_one": [
            {
                "number": s.number,
                "title": s.title,
                "paragraphs": [
                    {"number": p.number, "heading": p.heading, "text": p.text} for p in s.paragraphs
                ],
            }
            for s in document.sections
        ],
        "public_access": {
            "publication_deferred": decision.publication_deferred,
            "deferral_reason": decision.deferral_reason,
            "deferred_until": (
                decision.deferred_until.isoformat() if decision.deferred_until else None
            ),
            "has_part_two": decision.has_part_two,
        },
        "part_two": part_two,
        "officer_declaration": [
            {"heading": d["heading"], "text": d["text"], "ticked": d["ticked"]}
            for d in document.declarations
        ],
        # What other apps attach (finance: "annexes", every table, row and cell, and every
        # explanation of a finding), so a figure changed after signing breaks the signature.
        **{extension.key: extension.signed_content(decision) for extension in extensions()},
    }


def content_hash(decision: Decision) -> str:
    return sha256_hex(canonical_content(decision))


def record_fields(signature: Signature) -> dict[str, Any]:
    """What a signature record's own hash covers: everything in it but that hash."""
    return {
        "decision": signature.decision_id,
        "kind": signature.kind,
        "signer": signature.signer_id,
        "signer_name": signature.signer_name,
        "signer_role": signature.signer_role,
        "declaration_text": signature.declaration_text,
        "interests": signature.interests,
        "signed_at": signature.signed_at.isoformat(),
        "version": signature.version_id,
        "content_hash": signature.content_hash,
        "previous_hash": signature.previous_hash,
    }


def record_hash(signature: Signature) -> str:
    return sha256_hex(record_fields(signature))


SIGNATURE_LINK = "decisions.signature"


def vouched(signature: Signature) -> bool:
    """Whether the server key vouches for this record as it stands: its link in the audit chain
    is intact, signed with the key, and holds exactly these fields. Someone who rewrites the
    record and recomputes its SHA-256 cannot make this true without the key."""
    link = link_for(SIGNATURE_LINK, f"decisions.signature:{signature.pk}")
    if link is None:
        return False
    fields = {**record_fields(signature), "record_hash": signature.record_hash}
    return bool(link.payload == normalise(fields))


def previous_record_hash(decision: Decision) -> str:
    last = decision.signatures.order_by("-id").first()
    return last.record_hash if last else GENESIS


@dataclass(frozen=True)
class SignatureCheck:
    signature: Signature
    content_matches: bool
    record_intact: bool
    chain_intact: bool
    superseded: bool = False
    vouched: bool = True

    @property
    def valid(self) -> bool:
        return self.content_matches and self.record_intact and self.chain_intact and self.vouched

    @property
    def summary(self) -> str:
        if self.valid and self.superseded:
            return (
                f"Verified against version {self.signature.version.number}, which it was given "
                "for; the request was returned since, so it does not cover the current content."
            )
        if self.valid:
            return "Verified: the content is exactly what was signed."
        problems = []
        if not self.content_matches:
            problems.append("the content has changed since it was signed")
        if not self.record_intact:
            problems.append("the signature record itself has been altered")
        if not self.chain_intact:
            problems.append("a signature record before it is missing or altered")
        if not self.vouched:
            problems.append("the server key does not vouch for this record as it stands")
        return "Does not verify: " + "; ".join(problems) + "."


@dataclass(frozen=True)
class _Currency:
    """Whether a signature covers the request as it is now: it was given to the latest version,
    and the request has not been returned since (the officer may be redrafting it)."""

    latest_version_id: int | None
    last_return_at: datetime.datetime | None

    @classmethod
    def of(cls, decision: Decision) -> _Currency:
        latest = decision.versions.order_by("-number").values_list("pk", flat=True).first()
        last_return = (
            decision.log.filter(transition="return_to_officer")
            .order_by("-id")
            .values_list("at", flat=True)
            .first()
        )
        return cls(latest_version_id=latest, last_return_at=last_return)

    def superseded(self, signature: Signature) -> bool:
        returned_since = (
            self.last_return_at is not None and self.last_return_at >= signature.signed_at
        )
        return returned_since or signature.version_id != self.latest_version_id


def current_signatures(decision: Decision) -> dict[str, Signature]:
    """The signatures that cover the current version, by kind: a request returned since it was
    approved shows no approval until it is approved again."""
    currency = _Currency.of(decision)
    return {
        signature.kind: signature
        for signature in decision.signatures.order_by("id")
        if not currency.superseded(signature)
    }


def verify_signatures(decision: Decision) -> list[SignatureCheck]:
    """Each signature of a request against the content it covers, its own hash, and the chain.

    A signature that covers the current version is checked against the content as stored today;
    one on an earlier version (the request was returned since) against that frozen version."""
    current = content_hash(decision)
    currency = _Currency.of(decision)
    checks = []
    expected_previous = GENESIS
    for signature in decision.signatures.select_related("version").order_by("id"):
        superseded = currency.superseded(signature)
        covered = sha256_hex(signature.version.content) if superseded else current
        checks.append(
            SignatureCheck(
                signature=signature,
                content_matches=signature.content_hash == covered,
                record_intact=record_hash(signature) == signature.record_hash,
                chain_intact=signature.previous_hash == expected_previous,
                superseded=superseded,
                vouched=vouched(signature),
            )
        )
        expected_previous = signature.record_hash
    return checks
