"""What the management commands share: finding a request by what a person types for it."""

from __future__ import annotations

import re

from django.core.management.base import CommandError

from decisions.models import Decision


def find_decision(reference: str) -> Decision:
    """“PCD 279”, “pcd-279” or “279” → that request; “id:42” → the request with that key (a
    draft has no reference until it is first submitted)."""
    text = reference.strip()
    found: Decision | None
    by_key = re.fullmatch(r"id[:=](\d+)", text, re.IGNORECASE)
    if by_key:
        found = Decision.objects.filter(pk=int(by_key.group(1))).first()
    else:
        match = re.fullmatch(r"(?:pcd[\s-]*)?(\d+)", text, re.IGNORECASE)
        if match is None:
            raise CommandError(
                f"“{reference}” is not a reference like “PCD 279” (or “id:42” for a draft).",
                returncode=2,
            )
        found = Decision.objects.filter(reference_number=int(match.group(1))).first()
    if found is None:
        raise CommandError(f"There is no request {reference}.", returncode=2)
    return found
