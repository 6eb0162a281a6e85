"""The workflow: submission, officer approval, sign-off, return, rejection, withdrawal and
publication.

Each service locks the request's row, checks under the lock that the transition may be fired now
by this person (decisions.services.locking), fires the django-fsm transition, writes the log (and
the signature), announces the new state (decisions.signals.state_changed, in the transaction: the
documents app asks for its PDFs there), and queues the notification once the transaction has
committed. Two people acting on one request at once are serialised: the second sees the first
one's result and is refused with a message, and nothing of theirs is written. The notices of a
transition (decisions.notifications) are written in the same transaction: none is lost, none is
sent for a transition that did not happen.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from decisions import chain
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import (
    Decision,
    DecisionVersion,
    Notice,
    Signature,
    SignatureKind,
    TransitionLog,
    VersionSeen,
    empty_required_sections,
    missing_section_message,
    submission_problems,
)
from decisions.notifications import notices_for_transition
from decisions.references import allocate_reference, record_existing_reference
from decisions.roles import Role, display_name
from decisions.services.locking import lock_for_transition
from decisions.signals import state_changed
from decisions.signatures import canonical_content, previous_record_hash, record_hash, sha256_hex
from decisions.states import Status
from decisions.tasks import send_notice
from decisions.text import is_blank
from decisions.transitions import STEPS
from decisions.types import User


def _now(at: datetime.datetime | None) -> datetime.datetime:
    # `at` exists for importing decisions signed on paper before the system (the PCD 279 demo);
    # pages never pass it.
    return (at or timezone.now()).astimezone(datetime.UTC)


def _log(
    decision: Decision,
    *,
    transition: str,
    from_status: str,
    user: User | None,
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
    chain.append_log(entry)
    for notice in notices_for_transition(entry):
        _send_on_commit(notice)
    return entry


def _send_on_commit(notice: Notice) -> None:
    # The notice's row commits with the transition; its task is queued once it has. robust: a
    # broker that is down then must not turn a committed transition into an error page (the
    # failure is logged, and the beat sweep sends the notice when the broker is back).
    transaction.on_commit(lambda: send_notice.delay(notice.pk), robust=True)


def _fire(
    locked: Decision, name: str, user: User | None, *, comment: str = "", at: datetime.datetime
) -> TransitionLog:
    from_status = locked.status
    getattr(locked, name)()
    locked.updated_at = at
    locked.save()
    return _log(locked, transition=name, from_status=from_status, user=user, comment=comment, at=at)


def _announce(decision: Decision) -> None:
    """Tell the apps above that the request reached a new state (documents: its PDFs)."""
    state_changed.send(sender=Decision, decision=decision)


def _comment(name: str, comment: str) -> str:
    """The step's comment, required where the step asks for a reason."""
    step = STEPS[name]
    if step.needs_comment and is_blank(comment):
        raise ActionRefused(step.comment_missing)
    return comment.strip()


def _refuse_empty_required_sections(decision: Decision) -> None:
    """A request submitted before a section became required (or changed behind the workflow's
    back) is stopped at each signature: the DMPC never signs, and the public never reads, a
    request whose Financial, Legal or Equality comments are empty. It must be returned."""
    empty = empty_required_sections(decision)
    if empty:
        raise ActionRefused(
            *(missing_section_message(section) for section in empty),
            "Return the request to the officer to complete it.",
        )


def _freeze_version(decision: Decision, user: User, at: datetime.datetime) -> DecisionVersion:
    content = canonical_content(decision)
    last = decision.versions.order_by("-number").values_list("number", flat=True).first()
    version = DecisionVersion.objects.create(
        decision=decision,
        number=(last or 0) + 1,
        content=content,
        content_hash=sha256_hex(content),
        submitted_by=user,
        created_at=at,
    )
    chain.append_version(version)
    return version


def _sign(
    decision: Decision,
    *,
    user: User,
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
    # The server key vouches for the record through its link (decisions.signatures.vouched).
    chain.append_signature(signature)
    return signature


@transaction.atomic
def decision_submit(
    *,
    decision: Decision,
    user: User,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
    reference_number: int | None = None,
) -> Decision:
    """Freeze the draft as a new version and send it to the Chief Executive."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "submit", expected_status)
    problems = submission_problems(locked)
    if problems:
        raise ActionRefused(*problems)
    if locked.reference_number is None:
        if reference_number is not None:
            record_existing_reference(reference_number)
            locked.reference_number = reference_number
        else:
            locked.reference_number = allocate_reference()
    locked.submitted_at = now
    _freeze_version(locked, user, now)
    _fire(locked, "submit", user, at=now)
    _announce(locked)
    return locked


@transaction.atomic
def decision_approve(
    *,
    decision: Decision,
    user: User,
    confirmed: bool,
    comment: str = "",
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Signature:
    """The Chief Executive's officer approval, signed over the content they saw."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "approve", expected_status)
    if not confirmed:
        raise ActionRefused("Confirm the officer approval declaration to approve.")
    _refuse_empty_required_sections(locked)
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
    _announce(locked)
    return signature


@transaction.atomic
def decision_return(
    *,
    decision: Decision,
    user: User,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """Back to the drafting officer for changes, with the reason."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "return_to_officer", expected_status)
    reason = _comment("return_to_officer", comment)
    _fire(locked, "return_to_officer", user, comment=reason, at=now)
    _announce(locked)
    return locked


@transaction.atomic
def decision_sign_off(
    *,
    decision: Decision,
    user: User,
    confirmed: bool,
    interests: str,
    comment: str = "",
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Signature:
    """The DMPC's decision: interests declared (or "None"), signed, then published or deferred."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "sign_off", expected_status)
    problems = []
    if not confirmed:
        problems.append("Confirm the DMPC declaration to sign off.")
    if is_blank(interests):
        problems.append("Record any interests, or “None”.")
    if problems:
        raise ActionRefused(*problems)
    _refuse_empty_required_sections(locked)
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
    _announce(locked)
    return signature


def _publish_or_defer(decision: Decision, *, at: datetime.datetime) -> None:
    if can_proceed(decision.publish):
        decision.published_at = at
        _fire(decision, "publish", None, at=at)
    elif can_proceed(decision.defer):
        decision.publish_on = decision.deferred_until
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
    _announce(locked)
    return True


@transaction.atomic
def decision_reschedule_publication(
    *,
    decision: Decision,
    user: User,
    publish_on: datetime.date,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """A governance officer moves the day a deferred decision is published, with the reason; a
    decision moved to today is published at once."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "reschedule_publication", expected_status)
    reason = _comment("reschedule_publication", comment)
    if publish_on < london_today():
        raise ActionRefused("The publication date must be today or in the future.")
    before = locked.publish_on
    locked.publish_on = publish_on
    new = f"{publish_on:%d/%m/%Y}"
    moved = f"From {before:%d/%m/%Y} to {new}" if before else f"To {new}"
    _fire(locked, "reschedule_publication", user, comment=f"{moved}: {reason}", at=now)
    if can_proceed(locked.publish):
        locked.published_at = now
        _fire(locked, "publish", None, at=now)
    _announce(locked)
    return locked


@transaction.atomic
def decision_reject(
    *,
    decision: Decision,
    user: User,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """The DMPC refuses the request, with the reason."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "reject", expected_status)
    reason = _comment("reject", comment)
    _fire(locked, "reject", user, comment=reason, at=now)
    _announce(locked)
    return locked


@transaction.atomic
def decision_withdraw(
    *,
    decision: Decision,
    user: User,
    comment: str,
    expected_status: str | None = None,
    at: datetime.datetime | None = None,
) -> Decision:
    """The drafting officer withdraws the request before sign-off, with the reason."""
    now = _now(at)
    locked = lock_for_transition(decision, user, "withdraw", expected_status)
    reason = _comment("withdraw", comment)
    _fire(locked, "withdraw", user, comment=reason, at=now)
    _announce(locked)
    return locked


def decision_mark_seen(*, decision: Decision, user: User) -> None:
    """Remember the latest version this person has looked at."""
    latest = decision.versions.order_by("-number").first()
    if latest is None or not user.is_authenticated:
        return
    VersionSeen.objects.update_or_create(
        user=user, decision=decision, defaults={"version": latest, "seen_at": timezone.now()}
    )
