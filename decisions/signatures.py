"""Canonical content and signature records (DESIGN §5).

The canonical content is the request as the signer saw it, as JSON with sorted keys and no
insignificant white space; its SHA-256 goes into the signature. Recomputing it later from the
database tells whether the content is still what was signed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from decisions.document import build_document
from decisions.models import Decision, Signature

GENESIS = "0" * 64


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def canonical_annexes(decision: Decision) -> list[dict[str, Any]]:
    """The finance annexes as signed: every table, row and cell, and every explanation of a
    finding, so a figure changed after signing breaks the signature like a paragraph would."""
    from finance.models import Annex

    annexes = Annex.objects.filter(decision=decision).prefetch_related(
        "tables__rows", "tables__explanations"
    )
    return [
        {
            "title": annex.title,
            "reporting_period": annex.reporting_period,
            "unit": annex.unit,
            "tables": [
                {
                    "kind": table.kind,
                    "title": table.title,
                    "unit": table.unit,
                    "columns": table.columns,
                    "rows": [[row.section, row.label, row.cells] for row in table.rows.all()],
                    "explanations": sorted(
                        [e.row_label, e.column, e.text] for e in table.explanations.all()
                    ),
                }
                for table in annex.tables.all()
            ],
        }
        for annex in annexes
    ]


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
        "annexes": canonical_annexes(decision),
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

    @property
    def valid(self) -> bool:
        return self.content_matches and self.record_intact and self.chain_intact

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
        return "Does not verify: " + "; ".join(problems) + "."


def verify_signatures(decision: Decision) -> list[SignatureCheck]:
    """Each signature of a request against the content it covers, its own hash, and the chain.

    A signature on the latest version is checked against the content as stored today; one on an
    earlier version (the request was returned since) against that frozen version."""
    current = content_hash(decision)
    latest = decision.versions.order_by("-number").first()
    last_return = decision.log.filter(transition="return_to_officer").order_by("-id").first()
    checks = []
    expected_previous = GENESIS
    for signature in decision.signatures.select_related("version").order_by("id"):
        # Returned after this signature: the officer may be redrafting, so the signature covers
        # its frozen version, not the draft as it is now.
        returned_since = last_return is not None and last_return.at >= signature.signed_at
        superseded = returned_since or (latest is not None and signature.version_id != latest.pk)
        covered = sha256_hex(signature.version.content) if superseded else current
        checks.append(
            SignatureCheck(
                signature=signature,
                content_matches=signature.content_hash == covered,
                record_intact=record_hash(signature) == signature.record_hash,
                chain_intact=signature.previous_hash == expected_previous,
                superseded=superseded,
            )
        )
        expected_previous = signature.record_hash
    return checks
