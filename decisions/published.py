"""What the public reads of a decision: the version the DMPC signed, as frozen in the database
when it was submitted and covered by the signature's hash, never the live rows. If the live rows
no longer hash to what was signed (someone changed them in the database), the public still sees
the signed version, and governance is told (once a day per change)."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from decisions.document import Document, build_document, document_from_content
from decisions.models import Decision, Signature, SignatureKind
from decisions.notifications import alert_governance
from decisions.signatures import canonical_content, current_signatures, sha256_hex, vouched


@dataclass
class SignedReading:
    decision: Decision  # an unsaved copy carrying the signed title and public-access answers
    doc: Document
    signatures: dict[str, Signature]
    # False when the signed version itself fails its hash or the server key: nothing is shown.
    intact: bool = True
    live_differs: bool = False

    @property
    def as_signed(self) -> bool:
        """The live rows are what the DMPC signed, and the signature checks out."""
        return self.intact and not self.live_differs


def _frozen_decision(decision: Decision, content: dict[str, Any]) -> Decision:
    frozen = copy.copy(decision)
    access = content.get("public_access", {})
    frozen.title = content.get("title", "")
    frozen.executive_summary = content.get("executive_summary", "")
    frozen.publication_deferred = bool(access.get("publication_deferred"))
    frozen.deferral_reason = access.get("deferral_reason", "")
    until = access.get("deferred_until")
    frozen.deferred_until = datetime.date.fromisoformat(until) if until else None
    frozen.has_part_two = bool(access.get("has_part_two"))
    return frozen


def signed_version_problem(decision: Decision, signature: Signature) -> str:
    """Why the signature's frozen version cannot be shown, or "" when it can."""
    if sha256_hex(signature.version.content) != signature.content_hash:
        return f"{decision.reference}: the signed version no longer has the hash that was signed."
    if not vouched(signature):
        return f"{decision.reference}: the server key does not vouch for its DMPC signature."
    return ""


def signed_reading(decision: Decision, *, alert: bool = True) -> SignedReading:
    """The decision as the DMPC signed it, for public pages and PDFs."""
    signatures = current_signatures(decision)
    signed = signatures.get(SignatureKind.DMPC_DECISION)
    if signed is None:
        # Nothing signed (not expected of a published decision): the live reading, as before.
        return SignedReading(decision, build_document(decision), signatures)
    # signed_version_problem has asked the server key about the DMPC's signature; the others'
    # turn comes after (each is a query and a signature check).
    problem = signed_version_problem(decision, signed) or next(
        (
            f"{decision.reference}: the server key does not vouch for its {s.get_kind_display()}."
            for s in signatures.values()
            if s.pk != signed.pk and not vouched(s)
        ),
        "",
    )
    if problem:
        if alert:
            alert_governance(subject="A signed decision fails its check", body=problem, key=problem)
        return SignedReading(decision, build_document(decision), signatures, intact=False)
    content = signed.version.content
    frozen = _frozen_decision(decision, content)
    reading = SignedReading(frozen, document_from_content(frozen, content), signatures)
    live = sha256_hex(canonical_content(decision))
    if live != signed.content_hash:
        reading.live_differs = True
        if alert:
            alert_governance(
                subject=f"{decision.reference} differs from what the DMPC signed",
                body=(
                    f"The content of {decision.reference} in the database no longer matches "
                    f"the version the DMPC signed (version {signed.version.number}). The public "
                    "page and PDF show the signed version. Run `manage.py verify_audit`."
                ),
                key=f"live:{decision.pk}:{live}",
            )
    return reading


def publication_problem(decision: Decision) -> str:
    """Why a signed document (public pack, signed pack) must not be made from the request as it
    is in the database now, or "" if it may: the live rows must be exactly what the DMPC signed,
    and that signature vouched for by the server key. Governance is told of a refusal."""
    signed = current_signatures(decision).get(SignatureKind.DMPC_DECISION)
    if signed is None:
        return ""
    problem = signed_version_problem(decision, signed)
    if not problem and sha256_hex(canonical_content(decision)) != signed.content_hash:
        problem = (
            f"{decision.reference} was changed in the database after the DMPC signed it: its "
            "signed documents are not made again from the changed content."
        )
    if problem:
        alert_governance(subject="A signed document was not re-made", body=problem, key=problem)
    return problem
