"""The workflow's pages: one page per transition (submit, approve, sign off, return, reject,
withdraw), with the form it needs; the words, who may press it and the message afterwards come
from decisions.transitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django_fsm import has_transition_perm

from decisions import permissions, selectors, services
from decisions.document import build_document
from decisions.errors import ActionRefused
from decisions.forms import ApproveForm, CommentForm, RescheduleForm, SignOffForm, SubmitForm
from decisions.models import Decision
from decisions.states import Status
from decisions.transitions import STEPS, USER_STEPS
from decisions.types import AuthenticatedRequest, User
from staff.views.common import posted, problem_links, redirect_to_second_factor, to_decision


def _form(name: str, data: Any) -> Form:
    """The form of a transition's page: the declarations of approval and sign-off, a reason
    where the step needs one, and nothing more for submission."""
    if name == "approve":
        return ApproveForm(data)
    if name == "sign_off":
        return SignOffForm(data)
    if name == "reschedule_publication":
        return RescheduleForm(data)
    step = STEPS[name]
    if step.needs_comment:
        form = CommentForm(data)
        form.fields["comment"].label = step.comment_label
        form.fields["comment"].error_messages["required"] = step.comment_missing.rstrip(".")
        return form
    return SubmitForm(data)


def _run(name: str, decision: Decision, user: User, form: Form, expected: str) -> None:
    data = form.cleaned_data
    common: dict[str, Any] = {"decision": decision, "user": user, "expected_status": expected}
    calls: dict[str, Callable[[], Any]] = {
        "submit": lambda: services.decision_submit(**common),
        "approve": lambda: services.decision_approve(
            confirmed=data["confirmed"], comment=data["comment"], **common
        ),
        "return_to_officer": lambda: services.decision_return(comment=data["comment"], **common),
        "sign_off": lambda: services.decision_sign_off(
            confirmed=data["confirmed"],
            interests=form.declared_interests(),  # type: ignore[attr-defined]
            comment=data["comment"],
            **common,
        ),
        "reject": lambda: services.decision_reject(comment=data["comment"], **common),
        "withdraw": lambda: services.decision_withdraw(comment=data["comment"], **common),
        "reschedule_publication": lambda: services.decision_reschedule_publication(
            publish_on=data["publish_on"], comment=data["comment"], **common
        ),
    }
    calls[name]()


@login_required
def act(request: AuthenticatedRequest, pk: int, name: str) -> HttpResponse:
    if name not in USER_STEPS:
        raise Http404("No such action.")
    step = STEPS[name]
    decision = selectors.decision_for(request.user, pk)
    form = _form(name, posted(request))
    # Submission asks for a complete request: while something is missing, the page lists it,
    # each a link to where it is fixed, and offers no button that would only refuse.
    editable = name == "submit" and permissions.can_edit_decision(request.user, decision)
    problems = problem_links(decision) if editable else []
    if request.method == "POST" and not problems:
        expected = request.POST.get("expected_status", decision.status)
        if form.is_valid():
            try:
                _run(name, decision, request.user, form, expected)
            except ActionRefused as error:
                form.refused(error)  # type: ignore[attr-defined]
            else:
                decision.refresh_from_db()
                text = step.done.format(
                    ref=decision.reference,
                    publish_on=f"{decision.publish_on:%d %B %Y}" if decision.publish_on else "",
                )
                if name == "reschedule_publication" and decision.status == Status.PUBLISHED:
                    text = f"{decision.reference} is published."
                if name == "sign_off":
                    text += (
                        " It is published."
                        if decision.status == Status.PUBLISHED
                        else f" Publication is deferred until {decision.deferred_until:%d %B %Y}."
                    )
                messages.success(request, text)
                return to_decision(decision)
    elif not has_transition_perm(getattr(decision, name), request.user) and name != "submit":
        refusal = step.refusal(request.user, decision)
        in_state = getattr(decision, name)._django_fsm.get_transition(decision.status)
        if refusal is None and step.second_factor and in_state is not None:
            # Allowed, once they confirm it is them: set up or pass the second factor, then back.
            return redirect_to_second_factor(request)
        messages.error(request, refusal or f"This request is “{decision.status_label}”.")
        return to_decision(decision)
    return render(
        request,
        "staff/act.html",
        {
            "decision": decision,
            "form": form,
            "name": name,
            "label": step.label,
            "doc": build_document(decision),
            "problems": problems,
        },
    )
