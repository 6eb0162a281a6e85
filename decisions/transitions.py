"""The workflow's transitions, each described once: the words on its button, who may fire it,
whether it needs a comment (and what to say when it is missing), and what the person is told
afterwards. The model's transitions, the services, the pages and the tests all read this table.

The states and where each transition leads are the model's (decisions.models.request), because
django-fsm declares them on the transition methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from decisions import permissions
from decisions.permissions import Refusal
from decisions.types import Actor, RequestLike


@dataclass(frozen=True)
class Step:
    name: str  # the transition method of the model, and the last word of its page's address
    label: str  # the button, and the heading of its page
    past: str  # in the refusal "A request that is … cannot be <past>."
    refusal: Callable[[Actor | None, RequestLike], Refusal]  # who may fire it
    done: str = ""  # the message afterwards; {ref} is the request's reference
    # A step that needs the person's reason: its question on the page, and the refusal when it is
    # left empty. Empty for steps that take no reason.
    comment_label: str = ""
    comment_missing: str = ""
    # Drawn as a warning button: the step undoes the work so far, or ends the request.
    warning: bool = False
    # Fired by the system (publication), never from a page.
    system: bool = False
    # A signature: the person must have passed their second factor within the hour.
    second_factor: bool = False

    @property
    def needs_comment(self) -> bool:
        return bool(self.comment_missing)


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "submit",
            "Submit for approval",
            "submitted",
            permissions.submit_refusal,
            done="Submitted as {ref}. The Chief Executive has been told.",
        ),
        Step(
            "approve",
            "Approve",
            "approved",
            permissions.approve_refusal,
            done="Approved. {ref} now awaits the DMPC's sign-off.",
            second_factor=True,
        ),
        Step(
            "sign_off",
            "Sign off",
            "signed off",
            permissions.sign_off_refusal,
            done="{ref} is signed off.",
            second_factor=True,
        ),
        Step(
            "return_to_officer",
            "Return to the officer",
            "returned",
            permissions.return_refusal,
            done="{ref} was returned to the officer.",
            comment_label="What does the officer need to change?",
            comment_missing="Say what the officer needs to change.",
            warning=True,
        ),
        Step(
            "reject",
            "Reject",
            "rejected",
            permissions.reject_refusal,
            done="{ref} was rejected.",
            comment_label="Reason",
            comment_missing="Give the reason for rejecting the request.",
            warning=True,
        ),
        Step(
            "withdraw",
            "Withdraw",
            "withdrawn",
            permissions.withdraw_refusal,
            done="The request was withdrawn.",
            comment_label="Reason",
            comment_missing="Give the reason for withdrawing the request.",
            warning=True,
        ),
        Step(
            "reschedule_publication",
            "Change the publication date",
            "given a new publication date",
            permissions.reschedule_refusal,
            done="{ref} will now be published on {publish_on}.",
            comment_label="Why is the date changing?",
            comment_missing="Give the reason for changing the publication date.",
        ),
        Step("publish", "Publish", "published", permissions.system_only_refusal, system=True),
        Step(
            "defer",
            "Defer publication",
            "deferred",
            permissions.system_only_refusal,
            system=True,
        ),
    )
}

# The transitions people fire from the pages, in the order their buttons appear.
USER_STEPS = tuple(name for name, step in STEPS.items() if not step.system)
ALL_STEPS = tuple(STEPS)


def refusal(name: str, user: Actor | None, decision: RequestLike) -> Refusal:
    """Why this person may not fire `name` on this request now, or None: who they are (the step's
    rule), then, for a signature, whether they passed their second factor within the hour. The
    services (under the row lock) and django-fsm's permission both ask this, so no page, admin
    action or command fires a signature without the second factor."""
    step = STEPS[name]
    reason = step.refusal(user, decision)
    if reason is None and step.second_factor:
        reason = permissions.second_factor_refusal(user, step.label.lower())
    return reason


def permission(name: str) -> Callable[[Any, Any], bool]:
    """The `permission=` of a django-fsm transition: django-fsm calls it with (instance, user)."""

    def check(instance: Any, user: Any) -> bool:
        return refusal(name, user, instance) is None

    check.__name__ = f"can_{name}"
    return check


def custom(name: str) -> dict[str, str]:
    """The `custom=` of a django-fsm transition: its button's words, for django-fsm's own tools."""
    return {"label": STEPS[name].label}
