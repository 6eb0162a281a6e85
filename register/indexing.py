"""Writing the register's entry of a decision when it is published."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from decisions.models import Decision, SignatureKind
from decisions.states import Status
from finance.models import AnnexTable
from register.models import DMPC, RegisterEntry

# The cache key of the decision makers offered by the register's filter (register.selectors).
DECISION_MAKERS_CACHE = "register:decision-makers"
FIRST_YEAR_CACHE = "register:first-year"


def searchable_body(decision: Decision) -> str:
    """Part 1's recommendations and paragraphs and the annex tables' titles, as plain text."""
    parts = [r.text for r in decision.recommendations.all()]
    for paragraph in decision.paragraphs.all():
        parts.extend(p for p in (paragraph.heading, paragraph.text) if p)
    parts.extend(
        AnnexTable.objects.filter(annex__decision=decision)
        .order_by("annex_id", "pk")
        .values_list("title", flat=True)
    )
    return "\n".join(parts)


def register_entry_write(*, decision: Decision) -> RegisterEntry:
    """The entry of a decision as published now (idempotent: written again, it is replaced)."""
    signature = decision.signatures.filter(kind=SignatureKind.DMPC_DECISION).order_by("-pk").first()
    entry, _ = RegisterEntry.objects.update_or_create(
        decision=decision,
        defaults={
            "title": decision.title,
            "summary": decision.executive_summary,
            "body": searchable_body(decision),
            "decision_maker": signature.signer_role if signature else DMPC,
            "has_annex": decision.annexes.exists(),
        },
    )
    cache.delete_many([DECISION_MAKERS_CACHE, FIRST_YEAR_CACHE])
    return entry


def entry_for_new_state(sender: Any, *, decision: Decision, **kwargs: Any) -> None:
    """Receiver of decisions.signals.state_changed: inside the publishing transaction, so a
    decision is in the register's search exactly when it is published."""
    if decision.status == Status.PUBLISHED:
        register_entry_write(decision=decision)
