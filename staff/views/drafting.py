"""The staff pages that write a request, part by part: title and summary, Part I's sections and
paragraphs, the recommendations, public access, Part 2 and the officer's declaration. Each page
posts to one service of decisions.services.drafting; a refusal comes back as ActionRefused and is
shown at the top of the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from decisions import selectors, services
from decisions.document import build_document, paragraph_numbers
from decisions.errors import ActionRefused
from decisions.forms import (
    DeclarationForm,
    NewParagraphForm,
    ParagraphForm,
    PartTwoForm,
    PublicAccessForm,
    RecommendationForm,
    SectionTextForm,
    SummaryForm,
    paragraph_choices,
)
from decisions.models import Decision, Paragraph, PartTwo, Recommendation
from decisions.types import AuthenticatedRequest
from finance import selectors as finance
from staff.views.common import confirm_page, form_page, posted, to_decision


@login_required
def edit_summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    form = SummaryForm(
        posted(request),
        initial={"title": decision.title, "executive_summary": decision.executive_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update_summary(
                decision=decision, user=request.user, **form.cleaned_data
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Title and executive summary saved.")
            return to_decision(decision, "summary")
    return form_page(request, decision, form, title="Title and executive summary", button="Save")


@login_required
def edit_section(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    section = get_object_or_404(decision.template.sections, number=number)
    choices = paragraph_choices(decision, section)
    form = NewParagraphForm(posted(request), paragraphs=choices)
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
        except ActionRefused as error:
            form.refused(error)
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
def edit_section_text(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    """The section as one text: write fast, in one post for all its paragraphs."""
    decision = selectors.editable_decision(request.user, pk)
    section = get_object_or_404(decision.template.sections, number=number)
    current = Paragraph.objects.filter(decision=decision, section=section).order_by("position")
    form = SectionTextForm(
        posted(request),
        initial={"text": services.section_text(current)},
        section_number=section.number,
    )
    back = reverse("staff:edit_section", args=[decision.pk, number])
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["text"]
            saved = services.section_replace_text(
                decision=decision, user=request.user, section=section, text=text
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            count = len(saved)
            messages.success(
                request, f"{section.title} saved: {count} paragraph{'s' if count != 1 else ''}."
            )
            return redirect(back)
    return form_page(
        request,
        decision,
        form,
        title=f"{section.number}. {section.title}",
        intro=section.guidance,
        button="Save section",
        back=back,
    )


@login_required
@require_POST
def no_comments(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    section = get_object_or_404(decision.template.sections, number=number)
    try:
        services.section_no_comments(decision=decision, user=request.user, section=section)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:edit_section", pk=decision.pk, number=number)
    messages.success(request, f"{section.title}: “No comments” recorded.")
    return to_decision(decision, "task-list")


@login_required
def edit_paragraph(request: AuthenticatedRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    paragraph = get_object_or_404(Paragraph, pk=paragraph_pk, decision=decision)
    form = ParagraphForm(
        posted(request), initial={"text": paragraph.text, "heading": paragraph.heading}
    )
    back = reverse("staff:edit_section", args=[decision.pk, paragraph.section.number])
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_update(paragraph=paragraph, user=request.user, **form.cleaned_data)
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Paragraph saved.")
            return redirect(back)
    return form_page(request, decision, form, title="Edit paragraph", button="Save", back=back)


@login_required
def delete_paragraph(request: AuthenticatedRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    """Asks first (the GOV.UK confirmation page), then deletes on the answer."""
    decision = selectors.editable_decision(request.user, pk)
    paragraph = get_object_or_404(Paragraph, pk=paragraph_pk, decision=decision)
    number = paragraph.section.number
    back = reverse("staff:edit_section", args=[decision.pk, number])
    if request.method != "POST":
        label = f"paragraph {paragraph_numbers(decision)[paragraph.pk]}"
        return confirm_page(request, decision, what=label, quote=paragraph.text, back=back)
    try:
        services.paragraph_delete(paragraph=paragraph, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Paragraph deleted; the paragraphs after it were renumbered.")
    return redirect(back)


@login_required
def delete_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    if request.method != "POST":
        return confirm_page(
            request,
            decision,
            what="this draft",
            quote=decision.title,
            back=reverse("staff:decision", args=[decision.pk]),
            detail="Everything written in it is deleted. This cannot be undone.",
        )
    try:
        services.decision_delete_draft(decision=decision, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
        return to_decision(decision)
    messages.success(request, f"Draft “{decision.title}” deleted.")
    return redirect("staff:dashboard")


def _linked(decision: Decision, ids: list[int]) -> list[Paragraph]:
    return list(Paragraph.objects.filter(decision=decision, pk__in=ids))


def _delegation_choices(decision: Decision) -> list[tuple[int, str]]:
    return [
        (item.row.pk, f"{item.row.table.title}: {item.row.label} ({item.reason})")
        for item in finance.delegation_items(decision)
    ]


@login_required
def edit_recommendations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    form = RecommendationForm(
        posted(request),
        paragraphs=paragraph_choices(decision),
        annex_rows=_delegation_choices(decision),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(
                decision=decision,
                user=request.user,
                text=form.cleaned_data["text"],
                paragraphs=_linked(decision, form.cleaned_data.get("paragraphs") or []),
                approves=form.cleaned_data.get("annex_rows") or [],
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Recommendation added.")
            return redirect("staff:edit_recommendations", pk=decision.pk)
    return render(
        request,
        "staff/edit_recommendations.html",
        {"decision": decision, "doc": build_document(decision), "form": form},
    )


@login_required
def edit_recommendation(request: AuthenticatedRequest, pk: int, rec_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    rec = get_object_or_404(Recommendation, pk=rec_pk, decision=decision)
    form = RecommendationForm(
        posted(request),
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
                paragraphs=_linked(decision, form.cleaned_data.get("paragraphs") or []),
                approves=form.cleaned_data.get("annex_rows") or [],
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Recommendation saved.")
            return redirect(back)
    return form_page(request, decision, form, title="Edit recommendation", button="Save", back=back)


@login_required
def delete_recommendation(request: AuthenticatedRequest, pk: int, rec_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    rec = get_object_or_404(Recommendation, pk=rec_pk, decision=decision)
    back = reverse("staff:edit_recommendations", args=[decision.pk])
    if request.method != "POST":
        number = list(decision.recommendations.order_by("position")).index(rec) + 1
        return confirm_page(
            request, decision, what=f"recommendation {number}", quote=rec.text, back=back
        )
    try:
        services.recommendation_delete(recommendation=rec, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Recommendation deleted.")
    return redirect(back)


@login_required
def edit_public_access(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    form = PublicAccessForm(posted(request), initial=PublicAccessForm.initial_for(decision))
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
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Public access answers saved.")
            return to_decision(decision, "public-access")
    return form_page(
        request,
        decision,
        form,
        title="Public access to information",
        intro=decision.template.foia_statement,
        button="Save",
    )


@login_required
def edit_part_two(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    stored = PartTwo.objects.filter(decision=decision).first()
    form = PartTwoForm(
        posted(request),
        initial={
            "facts_and_advice": stored.facts_and_advice if stored else "",
            "exemption_rationale": stored.exemption_rationale if stored else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.part_two_update(decision=decision, user=request.user, **form.cleaned_data)
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Part 2 saved. It is never published.")
            return to_decision(decision, "part-two")
    return form_page(
        request,
        decision,
        form,
        title="Part 2 – confidential facts and advice",
        intro=decision.template.part_two_guidance,
        button="Save",
    )


@login_required
def edit_declaration(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    items = decision.template.declaration_items.order_by("position")
    ticked = list(decision.declarations.values_list("item_id", flat=True))
    form = DeclarationForm(
        posted(request),
        choices=[(item.pk, f"{item.heading}: {item.text}") for item in items],
        initial={"items": ticked},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_update(
                decision=decision, user=request.user, item_ids=form.cleaned_data["items"]
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Declaration saved.")
            return to_decision(decision, "declaration")
    return form_page(
        request, decision, form, title="Originating officer declaration", button="Save"
    )
