"""Every write to a request goes through here (DESIGN §3–§5): pages, the admin, management
commands and tasks call these functions, and each checks its own permission, so no caller can
skip a guard.

Workflow services lock the request row, re-check the state under the lock, fire the django-fsm
transition, write the log (and signature), and queue follow-up work on commit. Two people acting
on one request at once are therefore serialised: the second sees the first one's result and is
refused with a message, and nothing of theirs is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed

from decisions import permissions
from decisions.guards import submission_problems
from decisions.models import (
    Decision,
    DecisionVersion,
    DeclarationItem,
    FormTemplate,
    OfficerDeclaration,
    Paragraph,
    PartTwo,
    Recommendation,
    Signature,
    SignatureKind,
    TemplateSection,
    TransitionLog,
    VersionSeen,
    london_today,
)
from decisions.references import allocate_reference
from decisions.roles import Role
from decisions.signatures import canonical_content, previous_record_hash, record_hash, sha256_hex
from decisions.states import Status


class ActionRefused(PermissionDenied):
    """A refused action, with messages that say why and what to do. Nothing was changed."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


# --- drafting --------------------------------------------------------------------------------


def current_template() -> FormTemplate:
    template = FormTemplate.objects.filter(effective_from__lte=london_today()).first()
    if template is None:
        raise ActionRefused("No form template is in force; a governance officer must add one.")
    return template


def decision_create(*, user: Any, title: str) -> Decision:
    if not permissions.can_create_decision(user):
        raise ActionRefused("Only originating officers can draft requests.")
    title = title.strip()
    if not title:
        raise ActionRefused("Enter a title.")
    decision: Decision = Decision.objects.create(
        template=current_template(), title=title, author=user
    )
    return decision


def _lock_for_edit(decision: Decision, user: Any) -> Decision:
    # The row lock makes an edit and a submission of the same request take turns, so an edit can
    # never land after the version was frozen.
    locked: Decision = Decision.objects.select_for_update().get(pk=decision.pk)
    refusal = permissions.edit_refusal(user, locked)
    if refusal:
        raise ActionRefused(refusal)
    return locked


def _touch(decision: Decision) -> None:
    Decision.objects.filter(pk=decision.pk).update(updated_at=timezone.now())


@transaction.atomic
def decision_update_summary(
    *, decision: Decision, user: Any, title: str, executive_summary: str
) -> Decision:
    locked = _lock_for_edit(decision, user)
    if not title.strip():
        raise ActionRefused("Enter a title.")
    locked.title = title.strip()
    locked.executive_summary = executive_summary.strip()
    locked.updated_at = timezone.now()
    locked.save(update_fields=["title", "executive_summary", "updated_at"])
    return locked


@transaction.atomic
def decision_update_public_access(
    *,
    decision: Decision,
    user: Any,
    publication_deferred: bool,
    deferral_reason: str,
    deferred_until: datetime.date | None,
    has_part_two: bool,
) -> Decision:
    locked = _lock_for_edit(decision, user)
    problems = []
    if publication_deferred:
        if not deferral_reason.strip():
            problems.append("Give the reason for deferring publication.")
        if deferred_until is None:
            problems.append("Give the date until which publication is deferred.")
        elif deferred_until <= london_today():
            problems.append("The deferral date must be in the future.")
    if problems:
        raise ActionRefused(*problems)
    locked.publication_deferred = publication_deferred
    locked.deferral_reason = deferral_reason.strip() if publication_deferred else ""
    locked.deferred_until = deferred_until if publication_deferred else None
    locked.has_part_two = has_part_two
    locked.updated_at = timezone.now()
    locked.save(
        update_fields=[
            "publication_deferred",
            "deferral_reason",
            "deferred_until",
            "has_part_two",
            "updated_at",
        ]
    )
    return locked


@transaction.atomic
def part_two_update(
    *, decision: Decision, user: Any, facts_and_advice: str, exemption_rationale: str
) -> PartTwo:
    locked = _lock_for_edit(decision, user)
    part_two, _ = PartTwo.objects.update_or_create(
        decision=locked,
        defaults={
            "facts_and_advice": facts_and_advice.strip(),
            "exemption_rationale": exemption_rationale.strip(),
        },
    )
    if not locked.has_part_two:
        locked.has_part_two = True
        locked.save(update_fields=["has_part_two"])
    _touch(locked)
    return part_two


@transaction.atomic
def declaration_update(*, decision: Decision, user: Any, item_ids: Iterable[int]) -> None:
    locked = _lock_for_edit(decision, user)
    wanted = set(item_ids)
    items = {item.pk: item for item in DeclarationItem.objects.filter(template=locked.template)}
    unknown = wanted - items.keys()
    if unknown:
        raise ActionRefused("That declaration item is not part of this request's form.")
    OfficerDeclaration.objects.filter(decision=locked).exclude(item_id__in=wanted).delete()
    have = set(OfficerDeclaration.objects.filter(decision=locked).values_list("item_id", flat=True))
    for item_id in sorted(wanted - have):
        OfficerDeclaration.objects.create(decision=locked, item=items[item_id], confirmed_by=user)
    _touch(locked)


def _renumber(section_paragraphs: list[Paragraph]) -> None:
    # Positions are unique per section; moving them out of the way first lets them be
    # rewritten in any order without tripping the constraint.
    ids = [p.pk for p in section_paragraphs]
    Paragraph.objects.filter(pk__in=ids).update(position=F("position") + 100_000)
    for index, paragraph in enumerate(section_paragraphs, start=1):
        Paragraph.objects.filter(pk=paragraph.pk).update(position=index)
        paragraph.position = index


def _section_paragraphs(decision: Decision, section: TemplateSection) -> list[Paragraph]:
    return list(Paragraph.objects.filter(decision=decision, section=section).order_by("position"))


@transaction.atomic
def paragraph_add(
    *,
    decision: Decision,
    user: Any,
    section: TemplateSection,
    text: str,
    heading: str = "",
    before: Paragraph | None = None,
) -> Paragraph:
    """Add a paragraph at the end of a section, or before another one; the paragraphs after it
    renumber, and so do the recommendations that link to them."""
    locked = _lock_for_edit(decision, user)
    if section.template_id != locked.template_id:
        raise ActionRefused("That section is not part of this request's form.")
    if not text.strip():
        raise ActionRefused("Enter the text of the paragraph.")
    existing = _section_paragraphs(locked, section)
    if before is not None and before.pk not in {p.pk for p in existing}:
        raise ActionRefused("The paragraph to insert before is not in this section.")
    paragraph = Paragraph.objects.create(
        decision=locked,
        section=section,
        position=len(existing) + 100_001,
        heading=heading.strip(),
        text=text.strip(),
    )
    order = [p for p in existing]
    index = next((i for i, p in enumerate(order) if before and p.pk == before.pk), len(order))
    order.insert(index, paragraph)
    _renumber(order)
    _touch(locked)
    return paragraph


@transaction.atomic
def paragraph_update(*, paragraph: Paragraph, user: Any, text: str, heading: str = "") -> Paragraph:
    _lock_for_edit(paragraph.decision, user)
    if not text.strip():
        raise ActionRefused("Enter the text of the paragraph.")
    paragraph.text = text.strip()
    paragraph.heading = heading.strip()
    paragraph.save(update_fields=["text", "heading"])
    _touch(paragraph.decision)
    return paragraph


@transaction.atomic
def paragraph_delete(*, paragraph: Paragraph, user: Any) -> None:
    locked = _lock_for_edit(paragraph.decision, user)
    section = paragraph.section
    paragraph.delete()
    _renumber(_section_paragraphs(locked, section))
    _touch(locked)


def _linkable(decision: Decision, paragraphs: Iterable[Paragraph]) -> list[Paragraph]:
    chosen = list(paragraphs)
    if any(p.decision_id != decision.pk for p in chosen):
        raise ActionRefused("A recommendation can link only to paragraphs of its own request.")
    return chosen


def _linkable_rows(decision: Decision, annex_rows: Iterable[Any]) -> list[Any]:
    from finance.models import AnnexRow

    chosen = list(annex_rows)
    ids = {row.pk for row in chosen}
    own = AnnexRow.objects.filter(pk__in=ids, table__annex__decision=decision).count()
    if own != len(ids):
        raise ActionRefused("A recommendation can approve only lines of its own request's annexes.")
    return chosen


@transaction.atomic
def recommendation_add(
    *,
    decision: Decision,
    user: Any,
    text: str,
    paragraphs: Iterable[Paragraph] = (),
    annex_rows: Iterable[Any] = (),
) -> Recommendation:
    """A recommendation, linked to the paragraphs it cites and to the annex lines it asks the
    DMPC to approve (the Scheme of Delegation requires every such line to be covered)."""
    locked = _lock_for_edit(decision, user)
    if not text.strip():
        raise ActionRefused("Enter what the DMPC is asked to do.")
    chosen = _linkable(locked, paragraphs)
    rows = _linkable_rows(locked, annex_rows)
    last = locked.recommendations.order_by("-position").values_list("position", flat=True).first()
    recommendation = Recommendation.objects.create(
        decision=locked, position=(last or 0) + 1, text=text.strip()
    )
    recommendation.paragraphs.set(chosen)
    recommendation.annex_rows.set(rows)
    _touch(locked)
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    user: Any,
    text: str,
    paragraphs: Iterable[Paragraph],
    annex_rows: Iterable[Any] = (),
) -> Recommendation:
    locked = _lock_for_edit(recommendation.decision, user)
    if not text.strip():
        raise ActionRefused("Enter what the DMPC is asked to do.")
    chosen, rows = _linkable(locked, paragraphs), _linkable_rows(locked, annex_rows)
    recommendation.text = text.strip()
    recommendation.save(update_fields=["text"])
    recommendation.paragraphs.set(chosen)
    recommendation.annex_rows.set(rows)
    _touch(locked)
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, user: Any) -> None:
    locked = _lock_for_edit(recommendation.decision, user)
    recommendation.delete()
    remaining = list(locked.recommendations.order_by("position"))
    Recommendation.objects.filter(decision=locked).update(position=F("position") + 100_000)
    for index, rec in enumerate(remaining, start=1):
        Recommendation.objects.filter(pk=rec.pk).update(position=index)
    _touch(locked)


# --- the workflow ----------------------------------------------------------------------------


def _lock_for_transition(
    decision: Decision, user: Any, name: str, expected_status: str | None
) -> Decision:
    locked: Decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if expected_status is not None and locked.status != expected_status:
        raise ActionRefused(
            f"This request changed while you were looking at it: it is now "
            f"“{locked.status_label}”. Nothing was changed."
        )
    if not can_proceed(getattr(locked, name), check_conditions=False):
        label = name.replace("_", " ")
        raise ActionRefused(f"A request that is “{locked.status_label}” cannot be {_past(label)}.")
    refusal = permissions.REFUSALS[name](user, locked)
    if refusal:
        raise ActionRefused(refusal)
    return locked


def _past(label: str) -> str:
    return {
        "submit": "submitted",
        "approve": "approved",
        "return to officer": "returned",
        "sign off": "signed off",
        "reject": "rejected",
        "withdraw": "withdrawn",
    }.get(label, label)


def _log(
    decision: Decision,
    *,
    transition: str,
    from_status: str,
    user: Any,
    comment: str = "",
    at: datetime.datetime,
) -> TransitionLog:
    entry = TransitionLog.objects.create(
        decision=decision,
        transition=transition,
        from_status=from_status,
        to_status=decision.status,
        actor=user,
        actor_name=display_name(user) if user is not None else "System",
        comment=comment,
        at=at,
    )
    from decisions.tasks import notify_transition

    # robust: a broker that is down when the transaction commits must not turn a committed
    # transition into an error page; the failure is logged.
    transaction.on_commit(lambda: notify_transition.delay(entry.pk), robust=True)
    return entry


def _request_documents(decision: Decision) -> None:
    """Documents (PDF): ask for the PDFs of the request's new state (preview on submission, the
    signed pack on sign-off, the public pack on publication). Only rows are written here; a
    worker renders them after commit."""
    from finance.documents.services import documents_request_for_status

    documents_request_for_status(decision=decision)


def _fire(
    locked: Decision, name: str, user: Any, *, comment: str = "", at: datetime.datetime
) -> TransitionLog:
    from_status = locked.status
    getattr(locked, name)()
    locked.updated_at = at
    locked.save()
    return _log(locked, transition=name, from_status=from_status, user=user, comment=comment, at=at)


def _require_comment(comment: str, message: str) -> str:
    if not comment.strip():
        raise ActionRefused(message)
    return comment.strip()


def _freeze_version(decision: Decision, user: Any, at: datetime.datetime) -> DecisionVersion:
    content = canonical_content(decision)
    last = decision.versions.order_by("-number").values_list("number", flat=True).first()
    return DecisionVersion.objects.create(
        decision=decision,
        number=(last or 0) + 1,
        content=content,
        content_hash=sha256_hex(content),
        submitted_by=user,
        created_at=at,
    )


def _sign(
    decision: Decision,
    *,
    user: Any,
    kind: SignatureKind,
    role: Role,
    declaration_text: str,
    interests: str,
    at: datetime.datetime,
) -> Signature:
    version = decision.versions.order_by("-number").first()
    if version is None:
        raise ActionRefused("This request has no submitted version to sign.")
    # The signature covers the content as it is in the database now, recomputed, not the copy
    # frozen at submission, so a change behind the workflow's back cannot be signed unnoticed.
    live = sha256_hex(canonical_content(decision))
    if live != version.content_hash:
        raise ActionRefused(
            "The content of this request differs from the version that was submitted, so it "
            "cannot be signed. Ask a governance officer to investigate."
        )
    signature = Signature(
        decision=decision,
        kind=kind,
        signer=user,
        signer_name=display_name(user),
        signer_role=str(role.label),
        declaration_text=declaration_text,
        interests=interests,
        signed_at=at,
        version=version,
        content_hash=live,
        previous_hash=previous_record_hash(decision),
    )
    signature.record_hash = record_hash(signature)
    signature.save()
    return signature


def _now(at: datetime.datetime | None) -> datetime.datetime:
    # `at` exists for importing decisions signed on paper before the system (the PCD 279 demo);
    # pages never pass it.
    return (at or timezone.now()).astimezone(datetime.UTC)


@transaction.atomic
def decision_submit(
    *,
    decision: Decision,
    user: Any,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
    reference_number: int | None = None,
) -> Decision:
    """Freeze the draft as a new version and send it to the Chief Executive."""
    now = _now(at)
    locked = _lock_for_transition(decision, user, "submit", expected_status)
    problems = submission_problems(locked)
    if problems:
        raise ActionRefused(*problems)
    if locked.reference_number is None:
        if reference_number is not None:
            from decisions.references import record_existing_reference

            record_existing_reference(reference_number)
            locked.reference_number = reference_number
        else:
            locked.reference_number = allocate_reference()
    locked.submitted_at = now
    _freeze_version(locked, user, now)
    _fire(locked, "submit", user, at=now)
    _request_documents(locked)  # Documents (PDF): the preview
    return locked


@transaction.atomic
def decision_approve(
    *,
    decision: Decision,
    user: Any,
    confirmed: bool,
    comment: str = "",
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Signature:
    """The Chief Executive's officer approval, signed over the content they saw."""
    now = _now(at)
    locked = _lock_for_transition(decision, user, "approve", expected_status)
    if not confirmed:
        raise ActionRefused("Confirm the officer approval declaration to approve.")
    signature = _sign(
        locked,
        user=user,
        kind=SignatureKind.OFFICER_APPROVAL,
        role=Role.CHIEF_EXECUTIVE,
        declaration_text=locked.template.officer_approval_declaration,
        interests="",
        at=now,
    )
    _fire(locked, "approve", user, comment=comment.strip(), at=now)
    return signature


@transaction.atomic
def decision_return(
    *,
    decision: Decision,
    user: Any,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """Back to the drafting officer for changes, with the reason."""
    now = _now(at)
    locked = _lock_for_transition(decision, user, "return_to_officer", expected_status)
    reason = _require_comment(comment, "Say what the officer needs to change.")
    _fire(locked, "return_to_officer", user, comment=reason, at=now)
    return locked


NO_INTERESTS = "None"


@transaction.atomic
def decision_sign_off(
    *,
    decision: Decision,
    user: Any,
    confirmed: bool,
    interests: str,
    comment: str = "",
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Signature:
    """The DMPC's decision: interests declared (or "None"), signed, then published or deferred."""
    now = _now(at)
    locked = _lock_for_transition(decision, user, "sign_off", expected_status)
    problems = []
    if not confirmed:
        problems.append("Confirm the DMPC declaration to sign off.")
    if not interests.strip():
        problems.append("Record any interests, or “None”.")
    if problems:
        raise ActionRefused(*problems)
    template = locked.template
    signature = _sign(
        locked,
        user=user,
        kind=SignatureKind.DMPC_DECISION,
        role=Role.DMPC,
        declaration_text=f"{template.dmpc_declaration}\n\n{template.dmpc_approval_statement}",
        interests=interests.strip(),
        at=now,
    )
    locked.signed_off_at = now
    _fire(locked, "sign_off", user, comment=comment.strip(), at=now)
    _publish_or_defer(locked, at=now)
    _request_documents(locked)  # Documents (PDF): the signed pack, and the public one if published
    return signature


def _publish_or_defer(decision: Decision, *, at: datetime.datetime) -> None:
    if can_proceed(decision.publish):
        decision.published_at = at
        _fire(decision, "publish", None, at=at)
    elif can_proceed(decision.defer):
        _fire(decision, "defer", None, comment=f"Until {decision.deferred_until:%d/%m/%Y}", at=at)


@transaction.atomic
def decision_publish_if_due(*, decision: Decision, at: datetime.datetime | None = None) -> bool:
    """The system publishes a deferred decision once its date has come (Europe/London)."""
    now = _now(at)
    locked: Decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status != Status.DEFERRED or not can_proceed(locked.publish):
        return False
    locked.published_at = now
    _fire(locked, "publish", None, at=now)
    _request_documents(locked)  # Documents (PDF): the public pack
    return True


@transaction.atomic
def decision_reject(
    *,
    decision: Decision,
    user: Any,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """The DMPC refuses the request, with the reason."""
    now = _now(at)
    locked = _lock_for_transition(decision, user, "reject", expected_status)
    reason = _require_comment(comment, "Give the reason for rejecting the request.")
    _fire(locked, "reject", user, comment=reason, at=now)
    return locked


@transaction.atomic
def decision_withdraw(
    *,
    decision: Decision,
    user: Any,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """The drafting officer withdraws the request before sign-off, with the reason."""
    now = _now(at)
    locked = _lock_for_transition(decision, user, "withdraw", expected_status)
    reason = _require_comment(comment, "Give the reason for withdrawing the request.")
    _fire(locked, "withdraw", user, comment=reason, at=now)
    return locked


def decision_mark_seen(*, decision: Decision, user: Any) -> None:
    """Remember the latest version this person has looked at."""
    latest = decision.versions.order_by("-number").first()
    if latest is None or not getattr(user, "is_authenticated", False):
        return
    VersionSeen.objects.update_or_create(
        user=user, decision=decision, defaults={"version": latest, "seen_at": timezone.now()}
    )
