"""Who may do what to a request.

Each rule is written once, here, as a function that returns the reason for a refusal (or None).
The django-fsm transitions (through decisions.transitions), the django-rules object permissions,
the services and the pages all ask these functions, so a button is shown exactly when the service
would accept the click.

The rules read a request through `RequestLike` rather than the model: the model names these rules
as its transitions' permissions, so this module must not import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.db.models import Q

from decisions.roles import OVERSIGHT_ROLES, Role, has_role, roles_of, second_factor_fresh
from decisions.states import Status
from decisions.types import Actor, RequestLike

Refusal = str | None

STAFF_REVIEWERS = (Role.CHIEF_EXECUTIVE, Role.DMPC, Role.GOVERNANCE)


def is_author(user: Actor | None, decision: RequestLike) -> bool:
    return user is not None and user.is_authenticated and decision.author_id == user.pk


# --- who sees which requests --------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """Which requests a person sees: their own drafts and requests while they are an originating
    officer; every request that has been submitted at least once if they approve or sign off (the
    Chief Executive, the DMPC); every request if they govern. Someone stripped of every role sees
    none, not even their own (only a list of their titles: decisions.selectors
    .own_requests_listed). The same rule answers for one request in memory (`allows`) and for a
    query (`q`), so a list and a page can never disagree about what someone may see."""

    user_id: int | None
    everything: bool = False
    submitted: bool = False
    own: bool = False

    def allows(self, decision: RequestLike) -> bool:
        if self.user_id is None:
            return False
        if self.everything or (self.own and decision.author_id == self.user_id):
            return True
        return self.submitted and decision.reference_number is not None

    def q(self) -> Q:
        if self.user_id is None:
            return Q(pk__in=[])
        if self.everything:
            return Q()
        seen = Q(author_id=self.user_id) if self.own else Q(pk__in=[])
        return seen | Q(reference_number__isnull=False) if self.submitted else seen


def visibility(user: Actor | None) -> Visibility:
    if user is None or not user.is_authenticated:
        return Visibility(user_id=None)
    held = roles_of(user)
    return Visibility(
        user_id=user.pk,
        everything=Role.GOVERNANCE in held,
        submitted=Role.CHIEF_EXECUTIVE in held or Role.DMPC in held,
        own=Role.OFFICER in held,
    )


def can_view_decision(user: Actor | None, decision: RequestLike) -> bool:
    return visibility(user).allows(decision)


def can_view_part_two(user: Actor | None, decision: RequestLike) -> bool:
    """Part 2 is confidential: only its author and the people who approve, sign off or govern."""
    if not can_view_decision(user, decision):
        return False
    return is_author(user, decision) or any(has_role(user, r) for r in STAFF_REVIEWERS)


def can_create_decision(user: Actor | None) -> bool:
    return has_role(user, Role.OFFICER)


# --- editing -------------------------------------------------------------------------------------


def edit_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    if not is_author(user, decision):
        return "Only the officer who drafted this request can change it."
    if not has_role(user, Role.OFFICER):
        return "You are no longer an originating officer, so you cannot change this request."
    if decision.status != Status.DRAFT:
        return (
            "This request can no longer be changed: it has been submitted. "
            "It can be changed again only if it is returned to you."
        )
    return None


def can_edit_decision(user: Actor | None, decision: RequestLike) -> bool:
    return edit_refusal(user, decision) is None


# --- the workflow: one refusal per transition, named in decisions.transitions -------------------


def _author_only(user: Actor | None, decision: RequestLike, action: str) -> Refusal:
    if not is_author(user, decision):
        return f"Only the officer who drafted this request can {action} it."
    if not has_role(user, Role.OFFICER):
        return f"You are no longer an originating officer, so you cannot {action} this request."
    return None


def _reviewer(user: Actor | None, decision: RequestLike, role: Role, action: str) -> Refusal:
    if not has_role(user, role):
        return f"Only the {role.label} can {action} a request that is {_status_label(decision)}."
    if is_author(user, decision):
        return f"You drafted this request, so you cannot {action} it yourself."
    # Separation of duties, whatever roles the person was given: nobody who oversees the record
    # or the roles signs it, and the approver and the signer are two people.
    if roles_of(user) & OVERSIGHT_ROLES:
        return (
            f"You are also a governance officer or system administrator, so you cannot {action} "
            "requests. Ask a system administrator to correct your roles."
        )
    if role == Role.DMPC and user is not None and decision.approver_id == user.pk:
        return f"You approved this request as Chief Executive, so someone else must {action} it."
    return None


def _status_label(decision: RequestLike) -> str:
    label = str(Status(decision.status).label)
    return label[0].lower() + label[1:]


def submit_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    return _author_only(user, decision, "submit")


def approve_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    return _reviewer(user, decision, Role.CHIEF_EXECUTIVE, "approve")


def return_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    # The request goes back from whoever holds it: the Chief Executive before officer approval,
    # the DMPC before sign-off.
    if decision.status == Status.AWAITING_SIGNOFF:
        return _reviewer(user, decision, Role.DMPC, "return")
    return _reviewer(user, decision, Role.CHIEF_EXECUTIVE, "return")


def sign_off_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    return _reviewer(user, decision, Role.DMPC, "sign off")


def reject_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    return _reviewer(user, decision, Role.DMPC, "reject")


def withdraw_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    return _author_only(user, decision, "withdraw")


def second_factor_refusal(user: Actor | None, action: str) -> Refusal:
    """An approval, a sign-off, a role change and a change to the form need a second factor passed
    within the hour (decisions.roles.second_factor_fresh)."""
    if second_factor_fresh(user):
        return None
    return (
        f"Confirm it is you with your second factor (your passkey, a code from your authenticator "
        f"app, or a backup code) before you {action}: it has not been confirmed in the last hour."
    )


def reschedule_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    if not has_role(user, Role.GOVERNANCE):
        return (
            "Only a governance officer can change the publication date of a request that is "
            f"{_status_label(decision)}."
        )
    return None


def system_only_refusal(user: Actor | None, decision: RequestLike) -> Refusal:
    return "Publication happens automatically at sign-off or on the deferral date; nobody fires it."


# --- the form's versions ----------------------------------------------------------------------
# Governance holds the model permissions on the form (migration 0005); nobody else does.


def can_view_form_versions(user: Actor | None) -> bool:
    return user is not None and user.has_perm("decisions.view_formtemplate")


def new_form_version_refusal(user: Actor | None) -> Refusal:
    if user is None or not user.has_perm("decisions.add_formtemplate"):
        return "Only governance officers can make a new version of the form."
    return None


def form_change_refusal(user: Actor | None) -> Refusal:
    if user is None or not user.has_perm("decisions.change_formtemplate"):
        return "Only governance officers can change a version of the form."
    return None


def form_write_refusal(user: Actor | None, *, new_version: bool = False) -> Refusal:
    """Who may write the form, then, as for a role change, a second factor passed within the
    hour: the form decides what every later request declares and what its signatures cover."""
    refusal = new_form_version_refusal(user) if new_version else form_change_refusal(user)
    return refusal or second_factor_refusal(user, "change the form")


# --- django-rules ------------------------------------------------------------------------------


def _object_rule(check: Callable[[Actor | None, RequestLike], bool]) -> object:
    # Without an object there is nothing to decide: the answer is no.
    def predicate(user: Actor | None, decision: RequestLike | None) -> bool:
        return decision is not None and check(user, decision)

    predicate.__name__ = check.__name__
    return rules.predicate(predicate)


# django-rules object permissions, so that user.has_perm("decisions.read_part_two", decision)
# and the {% has_perm %} template tag give the same answers as the functions above. Their names
# differ from Django's model permissions (view_decision …), which the admin uses.
rules.add_perm("decisions.see_request", _object_rule(can_view_decision))
rules.add_perm("decisions.edit_request_content", _object_rule(can_edit_decision))
rules.add_perm("decisions.read_part_two", _object_rule(can_view_part_two))
