"""Staff pages: thin views that parse a form, call one service and redirect.

A refused action comes back from the service as ActionRefused; its messages go to the top of the
form's error summary and nothing is changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_fsm import has_transition_perm

from decisions import permissions, selectors, services
from decisions.document import build_document
from decisions.forms import (
    ApproveForm,
    CommentForm,
    CreateDecisionForm,
    DeclarationForm,
    NewParagraphForm,
    ParagraphForm,
    PartTwoForm,
    PublicAccessForm,
    RecommendationForm,
    SignOffForm,
    SubmitForm,
    SummaryForm,
    paragraph_choices,
)
from decisions.guards import submission_problems
from decisions.models import USER_TRANSITIONS, Decision, Paragraph, PartTwo, Recommendation
from decisions.signatures import verify_signatures
from decisions.states import Status
from decisions.views.documents import panel_context as documents_panel_context


def _refused(form: Form, error: services.ActionRefused) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _editable(request: HttpRequest, pk: int) -> Decision:
    decision = selectors.decision_for(request.user, pk)
    refusal = permissions.edit_refusal(request.user, decision)
    if refusal:
        raise PermissionDenied(refusal)
    return decision


def _to_decision(decision: Decision, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("staff:decision", args=[decision.pk]) + (f"#{anchor}" if anchor else "")
    )


def _form_page(
    request: HttpRequest,
    decision: Decision,
    form: Form,
    *,
    title: str,
    button: str,
    intro: str = "",
    back: str | None = None,
    warning: bool = False,
) -> HttpResponse:
    return render(
        request,
        "staff/form_page.html",
        {
            "decision": decision,
            "form": form,
            "page_title": title,
            "button": button,
            "intro": intro,
            "back": back or reverse("staff:decision", args=[decision.pk]),
            "warning": warning,
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/dashboard.html",
        {
            "board": selectors.dashboard(request.user),
            "can_create": permissions.can_create_decision(request.user),
        },
    )


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_decision(request.user):
        raise PermissionDenied("Only originating officers can draft requests.")
    form = CreateDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(user=request.user, title=form.cleaned_data["title"])
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Draft created. Fill in each part, then submit it.")
            return _to_decision(decision)
    return render(request, "staff/create.html", {"form": form})


def available_actions(user: Any, decision: Decision) -> list[dict[str, Any]]:
    """The workflow buttons this person may press now: permission and state, not completeness,
    so that an officer who presses Submit too early is told what is missing."""
    actions = []
    for name in USER_TRANSITIONS:
        method = getattr(decision, name)
        transition = method._django_fsm.get_transition(decision.status)
        if transition is None or not transition.has_perm(decision, user):
            continue
        actions.append(
            {
                "name": name,
                "label": decision.transition_label(name),
                "url": reverse("staff:act", args=[decision.pk, name]),
                "warning": name in {"reject", "withdraw", "return_to_officer"},
            }
        )
    return actions


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for(request.user, pk)
    changes = selectors.changes_since_seen(decision, request.user)
    services.decision_mark_seen(decision=decision, user=request.user)
    can_edit = permissions.can_edit_decision(request.user, decision)
    context = {
        "decision": decision,
        "doc": build_document(decision),
        "can_edit": can_edit,
        "problems": submission_problems(decision) if can_edit else [],
        "actions": available_actions(request.user, decision),
        "changes": changes,
        "signature_checks": verify_signatures(decision),
        "log": decision.log.select_related("actor").order_by("-at", "-id"),
        "last_return": decision.log.filter(transition="return_to_officer").order_by("-id").first()
        if decision.status == Status.DRAFT
        else None,
        "can_view_part_two": permissions.can_view_part_two(request.user, decision),
        "versions": decision.versions.order_by("-number"),
        # Documents (PDF): the panel of the request's PDFs and their state.
        "documents_panel": documents_panel_context(decision, request.user),
        "annex_findings": _annex_findings(decision),
    }
    return render(request, "staff/decision.html", context)


def _annex_findings(decision: Decision) -> list[Any] | None:
    """All findings of the request's annexes, or None when it has no annex."""
    from finance.models import Annex
    from finance.selectors import annex_findings

    annexes = list(Annex.objects.filter(decision=decision))
    if not annexes:
        return None
    return [finding for annex in annexes for finding in annex_findings(annex)]


@login_required
def part_two(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for(request.user, pk)
    if not permissions.can_view_part_two(request.user, decision):
        raise Http404("No such page.")
    stored = PartTwo.objects.filter(decision=decision).first()
    return render(request, "staff/part_two.html", {"decision": decision, "part_two": stored})


# --- editing, section by section -------------------------------------------------------------


@login_required
def edit_summary(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    form = SummaryForm(
        request.POST or None,
        initial={"title": decision.title, "executive_summary": decision.executive_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update_summary(
                decision=decision, user=request.user, **form.cleaned_data
            )
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Title and executive summary saved.")
            return _to_decision(decision, "summary")
    return _form_page(request, decision, form, title="Title and executive summary", button="Save")


@login_required
def edit_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    decision = _editable(request, pk)
    section = get_object_or_404(decision.template.sections, number=number)
    choices = paragraph_choices(decision, section)
    form = NewParagraphForm(request.POST or None, paragraphs=choices)
    if request.method == "POST" and form.is_valid():
        before_pk = form.cleaned_data["before"]
        before = (
            Paragraph.objects.filter(pk=before_pk, decision=decision).first() if before_pk else None
        )
        try:
            services.paragraph_add(
                decision=decision,
                user=request.user,
                section=section,
                text=form.cleaned_data["text"],
                heading=form.cleaned_data["heading"],
                before=before,
            )
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Paragraph added.")
            return redirect("staff:edit_section", pk=decision.pk, number=number)
    doc = build_document(decision)
    doc_section = next(s for s in doc.sections if s.id == section.pk)
    return render(
        request,
        "staff/edit_section.html",
        {"decision": decision, "section": doc_section, "form": form},
    )


@login_required
def edit_paragraph(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    paragraph = get_object_or_404(Paragraph, pk=paragraph_pk, decision=decision)
    form = ParagraphForm(
        request.POST or None, initial={"text": paragraph.text, "heading": paragraph.heading}
    )
    back = reverse("staff:edit_section", args=[decision.pk, paragraph.section.number])
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_update(paragraph=paragraph, user=request.user, **form.cleaned_data)
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Paragraph saved.")
            return redirect(back)
    return _form_page(request, decision, form, title="Edit paragraph", button="Save", back=back)


@login_required
@require_POST
def delete_paragraph(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    paragraph = get_object_or_404(Paragraph, pk=paragraph_pk, decision=decision)
    number = paragraph.section.number
    try:
        services.paragraph_delete(paragraph=paragraph, user=request.user)
    except services.ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Paragraph deleted; the paragraphs after it were renumbered.")
    return redirect("staff:edit_section", pk=decision.pk, number=number)


def _linked(decision: Decision, ids: list[int]) -> list[Paragraph]:
    return list(Paragraph.objects.filter(decision=decision, pk__in=ids))


def _delegation_choices(decision: Decision) -> list[tuple[int, str]]:
    from finance.selectors import delegation_items

    return [
        (item.row.pk, f"{item.row.table.title}: {item.row.label} ({item.reason})")
        for item in delegation_items(decision)
    ]


def _linked_rows(decision: Decision, data: dict[str, Any]) -> list[Any]:
    from finance.models import AnnexRow

    ids = data.get("annex_rows") or []
    return list(AnnexRow.objects.filter(table__annex__decision=decision, pk__in=ids))


@login_required
def edit_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    form = RecommendationForm(
        request.POST or None,
        paragraphs=paragraph_choices(decision),
        annex_rows=_delegation_choices(decision),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(
                decision=decision,
                user=request.user,
                text=form.cleaned_data["text"],
                paragraphs=_linked(decision, form.cleaned_data["paragraphs"]),
                annex_rows=_linked_rows(decision, form.cleaned_data),
            )
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Recommendation added.")
            return redirect("staff:edit_recommendations", pk=decision.pk)
    return render(
        request,
        "staff/edit_recommendations.html",
        {"decision": decision, "doc": build_document(decision), "form": form},
    )


@login_required
def edit_recommendation(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    rec = get_object_or_404(Recommendation, pk=rec_pk, decision=decision)
    form = RecommendationForm(
        request.POST or None,
        paragraphs=paragraph_choices(decision),
        annex_rows=_delegation_choices(decision),
        initial={
            "text": rec.text,
            "paragraphs": list(rec.paragraphs.values_list("pk", flat=True)),
            "annex_rows": list(rec.annex_rows.values_list("pk", flat=True)),
        },
    )
    back = reverse("staff:edit_recommendations", args=[decision.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                recommendation=rec,
                user=request.user,
                text=form.cleaned_data["text"],
                paragraphs=_linked(decision, form.cleaned_data["paragraphs"]),
                annex_rows=_linked_rows(decision, form.cleaned_data),
            )
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Recommendation saved.")
            return redirect(back)
    return _form_page(
        request, decision, form, title="Edit recommendation", button="Save", back=back
    )


@login_required
@require_POST
def delete_recommendation(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    rec = get_object_or_404(Recommendation, pk=rec_pk, decision=decision)
    try:
        services.recommendation_delete(recommendation=rec, user=request.user)
    except services.ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Recommendation deleted.")
    return redirect("staff:edit_recommendations", pk=decision.pk)


@login_required
def edit_public_access(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    form = PublicAccessForm(request.POST or None, initial=PublicAccessForm.initial_for(decision))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_update_public_access(
                decision=decision,
                user=request.user,
                publication_deferred=data["publication_deferred"] == "yes",
                deferral_reason=data["deferral_reason"],
                deferred_until=data["deferred_until"],
                has_part_two=data["has_part_two"] == "yes",
            )
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Public access answers saved.")
            return _to_decision(decision, "public-access")
    return _form_page(
        request,
        decision,
        form,
        title="Public access to information",
        intro=decision.template.foia_statement,
        button="Save",
    )


@login_required
def edit_part_two(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    stored = PartTwo.objects.filter(decision=decision).first()
    form = PartTwoForm(
        request.POST or None,
        initial={
            "facts_and_advice": stored.facts_and_advice if stored else "",
            "exemption_rationale": stored.exemption_rationale if stored else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.part_two_update(decision=decision, user=request.user, **form.cleaned_data)
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Part 2 saved. It is never published.")
            return _to_decision(decision, "part-two")
    return _form_page(
        request,
        decision,
        form,
        title="Part 2 – confidential facts and advice",
        intro=decision.template.part_two_guidance,
        button="Save",
    )


@login_required
def edit_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _editable(request, pk)
    items = decision.template.declaration_items.order_by("position")
    ticked = list(decision.declarations.values_list("item_id", flat=True))
    form = DeclarationForm(
        request.POST or None,
        choices=[(item.pk, f"{item.heading}: {item.text}") for item in items],
        initial={"items": ticked},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_update(
                decision=decision, user=request.user, item_ids=form.cleaned_data["items"]
            )
        except services.ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, "Declaration saved.")
            return _to_decision(decision, "declaration")
    return _form_page(
        request, decision, form, title="Originating officer declaration", button="Save"
    )


# --- the workflow -----------------------------------------------------------------------------

ACTION_FORMS: dict[str, type[Form]] = {
    "submit": SubmitForm,
    "approve": ApproveForm,
    "return_to_officer": CommentForm,
    "sign_off": SignOffForm,
    "reject": CommentForm,
    "withdraw": CommentForm,
}


def _run_action(name: str, decision: Decision, user: Any, form: Form, expected: str) -> None:
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
    }
    calls[name]()


DONE_MESSAGES = {
    "submit": "Submitted as {ref}. The Chief Executive has been told.",
    "approve": "Approved. {ref} now awaits the DMPC's sign-off.",
    "return_to_officer": "{ref} was returned to the officer.",
    "sign_off": "{ref} is signed off.",
    "reject": "{ref} was rejected.",
    "withdraw": "The request was withdrawn.",
}


@login_required
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in ACTION_FORMS:
        raise Http404("No such action.")
    decision = selectors.decision_for(request.user, pk)
    form = ACTION_FORMS[name](request.POST or None)
    if isinstance(form, CommentForm) and name == "return_to_officer":
        form.fields["comment"].label = "What does the officer need to change?"
    if request.method == "POST":
        expected = request.POST.get("expected_status", decision.status)
        if form.is_valid():
            try:
                _run_action(name, decision, request.user, form, expected)
            except services.ActionRefused as error:
                _refused(form, error)
            else:
                decision.refresh_from_db()
                text = DONE_MESSAGES[name].format(ref=decision.reference)
                if name == "sign_off":
                    text += (
                        " It is published."
                        if decision.status == Status.PUBLISHED
                        else f" Publication is deferred until {decision.deferred_until:%d %B %Y}."
                    )
                messages.success(request, text)
                return _to_decision(decision)
    elif not has_transition_perm(getattr(decision, name), request.user) and name != "submit":
        refusal = permissions.REFUSALS[name](request.user, decision)
        messages.error(request, refusal or f"This request is “{decision.status_label}”.")
        return _to_decision(decision)
    return render(
        request,
        "staff/act.html",
        {
            "decision": decision,
            "form": form,
            "name": name,
            "label": decision.transition_label(name),
            "doc": build_document(decision),
            "problems": submission_problems(decision) if name == "submit" else [],
        },
    )
