"""Published PDFs in the audit chain: each signed document (the public pack, the signed pack),
once ready, is a link holding its SHA-256, so that the chain vouches for exactly the files that
were published, and a file or hash can be looked up to say which decision it is and when."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit.chain import Record, append, link_for, register
from audit.models import Link
from documents.models import DocumentKind, DocumentState, RenderedDocument

KIND = "documents.publication"
SIGNED_KINDS = (DocumentKind.PUBLIC_PACK, DocumentKind.SIGNED_PACK)


def _record(document: RenderedDocument) -> Record:
    decision = document.decision
    reference = f"PCD {decision.reference_number}"  # (not .reference: historical models too)
    payload: dict[str, Any] = {
        "decision": decision.pk,
        "reference": reference,
        "kind": document.kind,
        "sha256": document.pdf_sha256,
        "pages": document.pages,
        "published_at": decision.published_at.isoformat() if decision.published_at else None,
        "signed_off_at": decision.signed_off_at.isoformat() if decision.signed_off_at else None,
    }
    label = f"{reference} {document.get_kind_display().lower()} (document {document.pk})"
    return Record(f"documents.rendereddocument:{document.pk}", label, payload)


def append_publication(document: RenderedDocument) -> None:
    """In the transaction that marks a signed document ready."""
    if document.kind not in SIGNED_KINDS:
        return
    record = _record(document)
    append(kind=KIND, subject=record.subject, label=record.label, payload=record.payload)


def live_publications(model: Any = RenderedDocument) -> Iterator[Record]:
    documents = model.objects.filter(
        kind__in=SIGNED_KINDS, state=DocumentState.READY
    ).select_related("decision")
    for document in documents.order_by("pk"):
        yield _record(document)


def published_with_hash(sha256: str) -> Link | None:
    """The intact, server-signed link of a published PDF with this SHA-256, if there is one."""
    for candidate in Link.objects.filter(kind=KIND, payload__sha256=sha256.lower()):
        link = link_for(KIND, candidate.subject)
        if link is not None and link.payload.get("sha256") == sha256.lower():
            return link
    return None


def vouched_document(document: RenderedDocument) -> bool:
    link = link_for(KIND, f"documents.rendereddocument:{document.pk}")
    return link is not None and link.payload.get("sha256") == document.pdf_sha256


def register_sources() -> None:
    register(KIND, live_publications)


def adopt_existing(apps: Any = None) -> int:
    """Append a link for each signed PDF made before the chain existed (run once by the migration
    that introduced it), so the public PDF stays served; it has no seal until it is made again
    (`render_documents`: the new layout makes a new, sealed one). Returns how many."""
    linked = set(Link.objects.filter(kind=KIND).values_list("subject", flat=True))
    adopted = 0
    model = apps.get_model("documents", "RenderedDocument") if apps else RenderedDocument
    for record in live_publications(model):
        if record.subject not in linked:
            append(kind=KIND, subject=record.subject, label=record.label, payload=record.payload)
            adopted += 1
    return adopted
