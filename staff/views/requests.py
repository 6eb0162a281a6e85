"""The staff pages of a request as a whole: the dashboard, a new draft, the request's page (with
its annexes' findings and its PDFs), and Part 2.

Thin views: they parse a form, call one service and redirect; a refused action comes back from
the service as ActionRefused, whose messages go to the top of the form's error summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from decisions import permissions, selectors, services
from decisions.document import build_document
from decisions.errors import ActionRefused
from decisions.forms import CreateDecisionForm
from decisions.models import Decision, PartTwo, SignatureKind, submission_issues
from decisions.signatures import current_signatures, verify_signatures
from decisions.states import Status
from decisions.transitions import STEPS, USER_STEPS
from decisions.types import AuthenticatedRequest, User
from documents import selectors as documents
from finance import selectors as finance
from staff.views.common import posted, problem_links, to_decision
from staff.views.tasks import task_list


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "staff/dashboard.html",
        {
            "board": selectors.dashboard(request.user),
            "can_create": permissions.can_create_decision(request.user),
        },
    )


def signed_out(request: HttpRequest) -> HttpResponse:
    """Where signing out leads: it says so, and how to sign in again (GOV.UK's pattern)."""
    return render(request, "staff/signed_out.html")


@login_required
def decision_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_create_decision(request.user):
        raise PermissionDenied("Only originating officers can draft requests.")
    form = CreateDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(user=request.user, title=form.cleaned_data["title"])
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Draft created. Fill in each part, then submit it.")
            return to_decision(decision)
    return render(request, "staff/create.html", {"form": form})


def available_actions(user: User, decision: Decision) -> list[dict[str, Any]]:
    """The workflow buttons this person may press now: permission and state, not completeness,
    so that an officer who presses Submit too early is told what is missing."""
    actions = []
    for name in USER_STEPS:
        # The step's own rule, not its second factor: the button is there for the Chief
        # Executive who has not confirmed it this hour, and its page asks for it.
        transition = getattr(decision, name)._django_fsm.get_transition(decision.status)
        if transition is None or STEPS[name].refusal(user, decision) is not None:
            continue
        step = STEPS[name]
        actions.append(
            {
                "name": name,
                "label": step.label,
                "url": reverse("staff:act", args=[decision.pk, name]),
                "warning": step.warning,
            }
        )
    return actions


@login_required
def decision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for(request.user, pk)
    changes = selectors.changes_since_seen(decision, request.user)
    services.decision_mark_seen(decision=decision, user=request.user)
    can_edit = permissions.can_edit_decision(request.user, decision)
    signed = current_signatures(decision)
    doc = build_document(decision)
    issues = submission_issues(decision) if can_edit else []
    context = {
        "decision": decision,
        "doc": doc,
        "can_edit": can_edit,
        "problems": problem_links(decision, issues),
        "tasks": task_list(decision, doc, issues) if can_edit else [],
        "actions": available_actions(request.user, decision),
        "changes": changes,
        "signature_checks": verify_signatures(decision),
        # The signature blocks of the preview, as the public page shows them once signed.
        "officer_approval": signed.get(SignatureKind.OFFICER_APPROVAL),
        "dmpc_decision": signed.get(SignatureKind.DMPC_DECISION),
        "log": decision.log.select_related("actor").order_by("-at", "-id"),
        "last_return": decision.log.filter(transition="return_to_officer").order_by("-id").first()
        if decision.status == Status.DRAFT
        else None,
        "can_view_part_two": permissions.can_view_part_two(request.user, decision),
        "versions": decision.versions.order_by("-number"),
        "documents_panel": documents.panel(decision, request.user),
        "annex_findings": finance.request_findings(decision),
    }
    return render(request, "staff/decision.html", context)


@login_required
def part_two(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for(request.user, pk)
    if not permissions.can_view_part_two(request.user, decision):
        raise Http404("No such page.")
    stored = PartTwo.objects.filter(decision=decision).first()
    return render(request, "staff/part_two.html", {"decision": decision, "part_two": stored})
