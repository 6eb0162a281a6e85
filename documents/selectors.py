"""Reads of rendered documents for the pages: never renders, only reads rows and stored files."""

from __future__ import annotations

from typing import Any

from decisions.models import Decision
from decisions.types import Actor
from documents.models import DocumentKind, DocumentState, RenderedDocument
from documents.permissions import can_read_document
from documents.publications import vouched_document

PENDING = (DocumentState.QUEUED, DocumentState.RENDERING)


def latest_documents(decision: Decision, user: Actor) -> list[RenderedDocument]:
    """The most recent document of each kind this person may read, in the order of the kinds."""
    latest: dict[str, RenderedDocument] = {}
    for document in RenderedDocument.objects.filter(decision=decision).order_by(
        "-requested_at", "-pk"
    ):
        latest.setdefault(document.kind, document)
    return [
        latest[kind]
        for kind in DocumentKind.values
        if kind in latest and can_read_document(user, latest[kind])
    ]


def any_pending(documents: list[RenderedDocument]) -> bool:
    return any(document.state in PENDING for document in documents)


def public_pack(decision: Decision) -> RenderedDocument | None:
    """The published PDF of a published request, once it is ready: the latest one the audit
    chain vouches for (its SHA-256 signed at publication), never a file swapped in behind it."""
    for document in RenderedDocument.objects.filter(
        decision=decision, kind=DocumentKind.PUBLIC_PACK, state=DocumentState.READY
    ).order_by("-requested_at", "-pk"):
        if vouched_document(document):
            return document
    return None


def panel(decision: Decision, user: Actor) -> dict[str, Any]:
    """What the request's page shows of its PDFs, and whether any is still being made."""
    listed = latest_documents(decision, user)
    return {"decision": decision, "documents": listed, "pending": any_pending(listed)}
