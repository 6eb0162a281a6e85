"""Who may do what to a request (DESIGN §2 and §4).

Each rule is written once, here, as a function that returns the reason for a refusal (or None).
The django-fsm transitions, the django-rules object permissions, the services and the templates all
ask these functions, so a button is shown exactly when the service would accept the click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rules

from decisions.roles import Role, has_role, roles_of
from decisions.states import Status

if TYPE_CHECKING:
    from decisions.models import Decision as DecisionLike


Refusal = str | None

STAFF_REVIEWERS = (Role.CHIEF_EXECUTIVE, Role.DMPC, Role.GOVERNANCE)


def is_author(user: Any, decision: DecisionLike) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and decision.author_id == user.pk


def can_view_decision(user: Any, decision: DecisionLike) -> bool:
    """The author sees their own requests; governance sees all; the Chief Executive and the DMPC
    see every request that has been submitted at least once."""
    if not roles_of(user) and not is_author(user, decision):
        return False
    if is_author(user, decision) or has_role(user, Role.GOVERNANCE):
        return True
    reviewer = has_role(user, Role.CHIEF_EXECUTIVE) or has_role(user, Role.DMPC)
    return reviewer and decision.reference_number is not None


def can_view_part_two(user: Any, decision: DecisionLike) -> bool:
    """Part 2 is confidential: only its author and the people who approve, sign off or govern."""
    if not can_view_decision(user, decision):
        return False
    return is_author(user, decision) or any(has_role(user, r) for r in STAFF_REVIEWERS)


def can_create_decision(user: Any) -> bool:
    return has_role(user, Role.OFFICER)


def edit_refusal(user: Any, decision: DecisionLike) -> Refusal:
    if not is_author(user, decision):
        return "Only the officer who drafted this request can change it."
    if decision.status != Status.DRAFT:
        return (
            "This request can no longer be changed: it has been submitted. "
            "It can be changed again only if it is returned to you."
        )
    return None


def can_edit_decision(user: Any, decision: DecisionLike) -> bool:
    return edit_refusal(user, decision) is None


def _author_only(user: Any, decision: DecisionLike, action: str) -> Refusal:
    if not is_author(user, decision):
        return f"Only the officer who drafted this request can {action} it."
    return None


def _reviewer(user: Any, decision: DecisionLike, role: Role, action: str) -> Refusal:
    if not has_role(user, role):
        return f"Only the {role.label} can {action} a request that is {_status_label(decision)}."
    if is_author(user, decision):
        return f"You drafted this request, so you cannot {action} it yourself."
    return None


def _status_label(decision: DecisionLike) -> str:
    label = str(Status(decision.status).label)
    return label[0].lower() + label[1:]


def submit_refusal(user: Any, decision: DecisionLike) -> Refusal:
    return _author_only(user, decision, "submit")


def approve_refusal(user: Any, decision: DecisionLike) -> Refusal:
    return _reviewer(user, decision, Role.CHIEF_EXECUTIVE, "approve")


def return_refusal(user: Any, decision: DecisionLike) -> Refusal:
    # The request goes back from whoever holds it: the Chief Executive before officer approval,
    # the DMPC before sign-off.
    if decision.status == Status.AWAITING_SIGNOFF:
        return _reviewer(user, decision, Role.DMPC, "return")
    return _reviewer(user, decision, Role.CHIEF_EXECUTIVE, "return")


def sign_off_refusal(user: Any, decision: DecisionLike) -> Refusal:
    return _reviewer(user, decision, Role.DMPC, "sign off")


def reject_refusal(user: Any, decision: DecisionLike) -> Refusal:
    return _reviewer(user, decision, Role.DMPC, "reject")


def withdraw_refusal(user: Any, decision: DecisionLike) -> Refusal:
    return _author_only(user, decision, "withdraw")


def system_only_refusal(user: Any, decision: DecisionLike) -> Refusal:
    return "Publication happens automatically at sign-off or on the deferral date; nobody fires it."


REFUSALS: dict[str, Callable[[Any, DecisionLike], Refusal]] = {
    "submit": submit_refusal,
    "approve": approve_refusal,
    "return_to_officer": return_refusal,
    "sign_off": sign_off_refusal,
    "reject": reject_refusal,
    "withdraw": withdraw_refusal,
    "publish": system_only_refusal,
    "defer": system_only_refusal,
}


def transition_permission(name: str) -> Callable[[Any, Any], bool]:
    """The `permission=` of a django-fsm transition: django-fsm calls it with (instance, user)."""
    refusal = REFUSALS[name]

    def check(instance: Any, user: Any) -> bool:
        return refusal(user, instance) is None

    check.__name__ = f"can_{name}"
    return check


def can_change_publication(user: Any, decision: DecisionLike) -> bool:
    """Governance officers manage publication, e.g. correct a deferral date."""
    return has_role(user, Role.GOVERNANCE) and decision.status in (Status.APPROVED, Status.DEFERRED)


def _object_rule(check: Callable[[Any, DecisionLike], bool]) -> Any:
    # Without an object there is nothing to decide: the answer is no.
    def predicate(user: Any, decision: DecisionLike | None) -> bool:
        return decision is not None and check(user, decision)

    predicate.__name__ = check.__name__
    return rules.predicate(predicate)


# django-rules object permissions, so that user.has_perm("decisions.read_part_two", decision)
# and the {% has_perm %} template tag give the same answers as the functions above. Their names
# differ from Django's model permissions (view_decision …), which the admin uses.
rules.add_perm("decisions.see_request", _object_rule(can_view_decision))
rules.add_perm("decisions.edit_request_content", _object_rule(can_edit_decision))
rules.add_perm("decisions.read_part_two", _object_rule(can_view_part_two))
