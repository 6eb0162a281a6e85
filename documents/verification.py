"""Whether a PDF (or a SHA-256) is a decision as signed and published: the reading behind the
public "Check a document" page. The file's own seal answers for the file (documents.seal, the
same check `verify_pdf` makes offline); the audit chain answers for a bare SHA-256."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from documents import seal
from documents.publications import published_with_hash

SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    heading: str
    details: list[str] = field(default_factory=list)
    reference: str = ""
    address: str = ""
    sha256: str = ""


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    moment = datetime.datetime.fromisoformat(iso)
    return f"{moment:%-d %B %Y}"


def _found(statement: dict[str, Any], sha256: str) -> Verdict:
    signed, published = _day(statement.get("signed_off")), _day(statement.get("published"))
    details = [f"Title: {statement.get('title')}"]
    if signed:
        details.append(f"Signed off by the DMPC on {signed}.")
    if published:
        details.append(f"Published on {published}.")
    details += [
        f"Signed by {s['signer']}, {s['role']}, on {_day(s['signed_at'])}."
        for s in statement.get("signatures", [])
    ]
    return Verdict(
        genuine=True,
        heading=f"This is {statement.get('reference')} as signed and published",
        details=details,
        reference=str(statement.get("reference", "")),
        address=str(statement.get("address", "")),
        sha256=sha256,
    )


def check_file(pdf: bytes) -> Verdict:
    sha256 = hashlib.sha256(pdf).hexdigest()
    result = seal.check(pdf)
    if result.ok and result.statement is not None:
        return _found(result.statement, sha256)
    named = result.statement or {}
    details = [result.reason]
    if named.get("reference"):
        details.append(
            f"Its seal names {named['reference']}; read the decision as signed at its page."
        )
    return Verdict(
        genuine=False,
        heading="This file is not a decision as signed and published",
        details=details,
        reference=str(named.get("reference", "")),
        address=str(named.get("address", "")),
        sha256=sha256,
    )


def check_sha256(value: str) -> Verdict:
    sha256 = value.strip().lower()
    link = published_with_hash(sha256)
    if link is None:
        return Verdict(
            genuine=False,
            heading="No decision published here has this SHA-256",
            details=["A file with this SHA-256 is not a decision as signed and published here."],
            sha256=sha256,
        )
    payload = link.payload
    reference = str(payload.get("reference", ""))
    statement = {
        "reference": reference,
        "title": reference,
        "signed_off": payload.get("signed_off_at"),
        "published": payload.get("published_at"),
        "address": f"/decisions/{reference.lower().replace(' ', '-')}/",
    }
    verdict = _found(statement, sha256)
    return Verdict(
        genuine=True,
        heading=verdict.heading,
        details=verdict.details[1:],
        reference=reference,
        address=verdict.address,
        sha256=sha256,
    )
