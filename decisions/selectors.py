"""Reads for the pages: what each person sees, and what changed since they last looked."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404

from decisions import permissions
from decisions.dates import london_today
from decisions.models import Decision, DecisionVersion, FormTemplate, TransitionLog, VersionSeen
from decisions.roles import Role, has_role
from decisions.states import SIGNED_OFF_STATES, Status
from decisions.types import Actor, User


def decision_for(user: Actor, pk: int) -> Decision:
    """A request as this person may see it; anyone else's is a 404, never a 403, so its existence
    does not leak."""
    decision: Decision | None = (
        Decision.objects.visible_to(user).select_related("template", "author").filter(pk=pk).first()
    )
    if decision is None:
        raise Http404("No such request.")
    return decision


def editable_decision(user: Actor, pk: int) -> Decision:
    """A request this person may see and change now: 404 if they may not see it, 403 (with the
    reason) if they may see it but not change it."""
    decision = decision_for(user, pk)
    refusal = permissions.edit_refusal(user, decision)
    if refusal:
        raise PermissionDenied(refusal)
    return decision


def published_decision(number: int) -> Decision:
    decision: Decision | None = (
        Decision.objects.published()
        .select_related("template")
        .filter(reference_number=number)
        .first()
    )
    if decision is None:
        raise Http404("No published decision has that reference.")
    return decision


def with_last_return(drafts: QuerySet[Decision]) -> QuerySet[Decision]:
    """Drafts with the latest return's comment, who returned it and when (`returned_comment`,
    `returned_by`, `returned_at`; None for a draft never submitted): a returned request says
    so on the dashboard, with the reason, instead of passing for a fresh draft."""
    last = TransitionLog.objects.filter(
        decision=OuterRef("pk"), transition="return_to_officer"
    ).order_by("-at", "-id")
    return drafts.annotate(
        returned_comment=Subquery(last.values("comment")[:1]),
        returned_by=Subquery(last.values("actor_name")[:1]),
        returned_at=Subquery(last.values("at")[:1]),
    )


@dataclass
class Dashboard:
    drafts: QuerySet[Decision]
    in_progress: QuerySet[Decision]
    awaiting_me: QuerySet[Decision]
    recently_decided: QuerySet[Decision]
    # The requests someone drafted before they lost the originating officer role: titles and
    # states only, read-only, never linked (they may no longer open them).
    earlier: QuerySet[Decision]


def dashboard(user: User) -> Dashboard:
    mine = Decision.objects.filter(author=user)
    earlier = Decision.objects.none()
    if not has_role(user, Role.OFFICER):
        mine, earlier = Decision.objects.none(), mine.order_by("-updated_at")
    awaiting = Decision.objects.none()
    if has_role(user, Role.CHIEF_EXECUTIVE):
        awaiting = awaiting | Decision.objects.filter(status=Status.AWAITING_APPROVAL)
    if has_role(user, Role.DMPC):
        awaiting = awaiting | Decision.objects.filter(status=Status.AWAITING_SIGNOFF)
    decided_states = [*SIGNED_OFF_STATES, Status.REJECTED]
    return Dashboard(
        drafts=with_last_return(mine.filter(status=Status.DRAFT)).order_by("-updated_at"),
        in_progress=mine.filter(
            status__in=[Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF]
        ).order_by("-updated_at"),
        awaiting_me=awaiting.exclude(author=user).order_by("submitted_at"),
        recently_decided=Decision.objects.visible_to(user)
        .filter(status__in=decided_states)
        .order_by("-updated_at")[:10],
        earlier=earlier,
    )


def content_lines(content: dict[str, Any]) -> list[str]:
    """A frozen version as lines of text, for a readable comparison."""
    lines = [f"Title: {content.get('title', '')}"]
    for paragraph in (content.get("executive_summary") or "").split("\n\n"):
        if paragraph.strip():
            lines.append(f"Executive summary: {paragraph.strip()}")
    for rec in content.get("recommendations", []):
        lines.append(f"Recommendation {rec['number']}: {rec['rendered']}")
    for section in content.get("part_one", []):
        for paragraph in section["paragraphs"]:
            heading = f"[{paragraph['heading']}] " if paragraph["heading"] else ""
            lines.append(f"{paragraph['number']} {heading}{paragraph['text']}")
    access = content.get("public_access", {})
    lines.append(
        "Publication deferred: "
        + (
            f"yes, until {access.get('deferred_until')} ({access.get('deferral_reason')})"
            if access.get("publication_deferred")
            else "no"
        )
    )
    lines.append(f"Part 2: {'yes' if access.get('has_part_two') else 'no'}")
    return lines


@dataclass
class Changes:
    seen: DecisionVersion | None
    latest: DecisionVersion
    added: list[str]
    removed: list[str]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed)


def changes_since_seen(decision: Decision, user: User) -> Changes | None:
    """What changed between the version this person last looked at and the latest one; None when
    there is nothing to compare (never submitted, or they have seen the latest)."""
    latest = decision.versions.order_by("-number").first()
    if latest is None:
        return None
    seen_row = (
        VersionSeen.objects.filter(user=user, decision=decision).select_related("version").first()
    )
    seen = seen_row.version if seen_row else None
    if seen is None or seen.pk == latest.pk:
        return None
    before, after = content_lines(seen.content), content_lines(latest.content)
    added, removed = [], []
    for line in difflib.ndiff(before, after):
        if line.startswith("+ "):
            added.append(line[2:])
        elif line.startswith("- "):
            removed.append(line[2:])
    return Changes(seen=seen, latest=latest, added=added, removed=removed)


# --- the form's versions ------------------------------------------------------------------------

IN_FORCE, SCHEDULED, DRAFT, REPLACED = "In force", "Scheduled", "Draft", "Replaced"
DISCARDED = "Discarded"


def form_version_in_force(today: datetime.date | None = None) -> FormTemplate | None:
    """The version new requests are drafted on: the latest whose day has come (London)."""
    return FormTemplate.objects.filter(effective_from__lte=today or london_today()).first()


def form_version_status(template: FormTemplate, in_force: FormTemplate | None) -> str:
    if template.discarded_at is not None:
        return DISCARDED
    if template.effective_from is None:
        return DRAFT
    if in_force is not None and template.pk == in_force.pk:
        return IN_FORCE
    if in_force is None or template.effective_from > london_today():
        return SCHEDULED
    return REPLACED


def requests_using(template: FormTemplate) -> int:
    count: int = Decision.objects.filter(template=template).count()
    return count


def form_version_refusal(template: FormTemplate) -> str | None:
    """Why a version can no longer be changed, or None. A request keeps the version it was drafted
    on, and its signatures cover what that version says (its sections' titles, its declarations),
    so a version some request uses, or one in force (which any officer may start a request on at
    any moment), is never changed: governance makes a new version instead."""
    name = f"Version {template.version}"
    if template.discarded_at is not None:
        return f"{name} was discarded, so it cannot be changed. Make a new version instead."
    if Decision.objects.filter(template=template).exists():
        return (
            f"{name} is used by requests, so it cannot be changed: they keep the form they were "
            "drafted on. Make a new version instead."
        )
    if template.effective_from is not None and template.effective_from <= london_today():
        return f"{name} has come into force, so it cannot be changed. Make a new version instead."
    return None


@dataclass(frozen=True)
class FormVersionRow:
    template: FormTemplate
    status: str
    requests: int


def form_versions() -> list[FormVersionRow]:
    """Every version, newest first, with its status and how many requests use it."""
    in_force = form_version_in_force()
    used = Decision.objects.values("template").annotate(n=Count("pk"))
    counts = {row["template"]: row["n"] for row in used}
    return [
        FormVersionRow(
            template, form_version_status(template, in_force), counts.get(template.pk, 0)
        )
        for template in FormTemplate.objects.order_by("name", "-version")
    ]


def form_version_for(user: Actor, pk: int) -> FormTemplate:
    """A version of the form, for those who manage the form (403 for anyone else, who has no
    business with the pages; 404 for a version that does not exist)."""
    if not permissions.can_view_form_versions(user):
        raise PermissionDenied("Only governance officers can manage the versions of the form.")
    template: FormTemplate | None = FormTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("No such version of the form.")
    return template


def changeable_form_version(user: Actor, pk: int) -> FormTemplate:
    """A version this person may change now: 403 with the reason if it is in use or in force."""
    template = form_version_for(user, pk)
    refusal = permissions.form_change_refusal(user) or form_version_refusal(template)
    if refusal:
        raise PermissionDenied(refusal)
    return template
