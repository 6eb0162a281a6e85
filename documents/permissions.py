"""Who may read which document: whoever may see the request, except Part 2's own document, which
only Part 2's readers may open (decisions.permissions)."""

from __future__ import annotations

from decisions import permissions
from decisions.types import Actor
from documents.models import RenderedDocument
from documents.recipes import recipe


def can_read_document(user: Actor, document: RenderedDocument) -> bool:
    decision = document.decision
    if not permissions.can_view_decision(user, decision):
        return False
    if recipe(document.kind).confidential:
        return permissions.can_view_part_two(user, decision)
    return True
