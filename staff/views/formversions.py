"""The pages where governance manages the versions of the PCD form: the list of versions, a
version (its texts, sections and declaration items), a new version from the one in force, and a
page for each change to a draft. Each posts to one service of decisions.services.formversions; a
refusal comes back as ActionRefused and is shown at the top of the form.

A version in force or used by a request is shown, never changed (the change pages answer 403
with the reason): a request keeps the form it was drafted on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from decisions import permissions, selectors, services
from decisions.errors import ActionRefused
from decisions.models import DeclarationItem, FormTemplate, TemplateSection
from decisions.roles import second_factor_fresh
from decisions.services.formversions import FORM_TEXTS, capitalised, text_label
from decisions.types import AuthenticatedRequest
from staff.forms import (
    EffectiveFromForm,
    ItemForm,
    NewItemForm,
    NewSectionForm,
    SectionForm,
    text_form,
)
from staff.views.common import posted, redirect_to_second_factor


def changes_the_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that changes a version of the form gets the version, once the person may change it
    now (403 with the reason otherwise) and passed their second factor within the hour (sent to
    confirm it first, and back). The services check both again, under the version's lock."""

    @login_required
    @wraps(view)
    def page(request: AuthenticatedRequest, form_pk: int, **kwargs: Any) -> HttpResponse:
        template = selectors.changeable_form_version(request.user, form_pk)
        if not second_factor_fresh(request.user):
            return redirect_to_second_factor(request)
        return view(request, template, **kwargs)

    return page


def _to_version(template: FormTemplate, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("staff:form_version", args=[template.pk]) + (f"#{anchor}" if anchor else "")
    )


def _page(
    request: AuthenticatedRequest,
    template: FormTemplate,
    form: Form,
    *,
    title: str,
    button: str = "Save",
    anchor: str = "",
) -> HttpResponse:
    back = reverse("staff:form_version", args=[template.pk]) + (f"#{anchor}" if anchor else "")
    return render(
        request,
        "staff/forms/form_page.html",
        {"template": template, "form": form, "page_title": title, "button": button, "back": back},
    )


def _confirm(
    request: AuthenticatedRequest,
    template: FormTemplate,
    *,
    what: str,
    quote: str,
    anchor: str,
    detail: str = "",
    verb: str = "remove",
) -> HttpResponse:
    """ "Are you sure you want to remove …?": the page posts to itself; No goes back."""
    back = reverse("staff:form_version", args=[template.pk]) + f"#{anchor}"
    return render(
        request,
        "staff/forms/confirm_remove.html",
        {
            "template": template,
            "what": what,
            "quote": quote,
            "back": back,
            "detail": detail,
            "verb": verb,
        },
    )


# --- the versions, and one version -------------------------------------------------------------


@login_required
def form_versions(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_view_form_versions(request.user):
        raise PermissionDenied("Only governance officers can manage the versions of the form.")
    in_force = selectors.form_version_in_force()
    can_make = permissions.new_form_version_refusal(request.user) is None
    return render(
        request,
        "staff/forms/versions.html",
        {
            "rows": selectors.form_versions(),
            "in_force": in_force,
            "can_make_new": can_make and in_force is not None,
        },
    )


def _texts(template: FormTemplate, can_change: bool) -> list[dict[str, Any]]:
    return [
        {
            "field": field,
            "label": text_label(field),
            "name": name,
            "value": getattr(template, field),
            "url": reverse("staff:form_text", args=[template.pk, field]) if can_change else "",
        }
        for field, name in FORM_TEXTS.items()
    ]


@login_required
def form_version(request: AuthenticatedRequest, form_pk: int) -> HttpResponse:
    template = selectors.form_version_for(request.user, form_pk)
    refusal = selectors.form_version_refusal(template)
    can_change = refusal is None and permissions.form_change_refusal(request.user) is None
    status = selectors.form_version_status(template, selectors.form_version_in_force())
    can_make = permissions.new_form_version_refusal(request.user) is None
    context = {
        "template": template,
        "status": status,
        "requests": selectors.requests_using(template),
        "refusal": refusal,
        "can_change": can_change,
        "can_make_new": can_make and status == selectors.IN_FORCE,
        "texts": _texts(template, can_change),
        "sections": template.sections.order_by("number"),
        "items": template.declaration_items.order_by("position"),
        "changes": template.changes.order_by("-at", "-id"),
    }
    return render(request, "staff/forms/version.html", context)


@login_required
@require_POST
def form_new_version(request: AuthenticatedRequest, form_pk: int) -> HttpResponse:
    template = selectors.form_version_for(request.user, form_pk)
    if permissions.new_form_version_refusal(request.user) is None and not second_factor_fresh(
        request.user
    ):
        # Back to the version's page once confirmed, where the button is pressed again.
        return redirect_to_second_factor(request, reverse("staff:form_version", args=[template.pk]))
    try:
        copy = services.form_template_new_version(template=template, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
        return _to_version(template)
    messages.success(
        request,
        f"Version {copy.version} made from version {template.version}. It is a draft: change it, "
        "then set the date it comes into force.",
    )
    return _to_version(copy)


# --- the version's texts and date --------------------------------------------------------------


@changes_the_form
def form_text(request: AuthenticatedRequest, template: FormTemplate, field: str) -> HttpResponse:
    if field not in FORM_TEXTS:
        raise Http404("No such text of the form.")
    form = text_form(field, posted(request), initial={"text": getattr(template, field)})
    if request.method == "POST" and form.is_valid():
        try:
            services.form_template_update_text(
                template=template, user=request.user, field=field, text=form.cleaned_data["text"]
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, f"{capitalised(FORM_TEXTS[field])} saved.")
            return _to_version(template, "texts")
    return _page(request, template, form, title=text_label(field), anchor="texts")


@changes_the_form
def form_date(request: AuthenticatedRequest, template: FormTemplate) -> HttpResponse:
    day = template.effective_from
    form = EffectiveFromForm(
        posted(request), initial={"effective_from": [day.day, day.month, day.year] if day else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.form_template_set_effective_from(
                template=template,
                user=request.user,
                effective_from=form.cleaned_data["effective_from"],
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            day_text = date_format(form.cleaned_data["effective_from"], "j F Y")
            messages.success(request, f"Version {saved.version} comes into force on {day_text}.")
            return _to_version(template)
    return _page(request, template, form, title="When this version comes into force")


@changes_the_form
def form_discard(request: AuthenticatedRequest, template: FormTemplate) -> HttpResponse:
    """Give up on a draft or scheduled version, after a confirmation."""
    what = f"version {template.version}"
    if request.method != "POST":
        return _confirm(
            request,
            template,
            what=what,
            quote="",
            anchor="",
            verb="discard",
            detail=(
                "Nobody will be able to draft a request on it, and it cannot be changed again. "
                "It stays in the list of versions, with its changes."
            ),
        )
    try:
        services.form_template_discard(template=template, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
        return _to_version(template)
    messages.success(request, f"Version {template.version} discarded.")
    return redirect("staff:form_versions")


# --- sections ----------------------------------------------------------------------------------


def _section(template: FormTemplate, section_pk: int) -> TemplateSection:
    return get_object_or_404(TemplateSection, pk=section_pk, template=template)


@changes_the_form
def form_section_add(request: AuthenticatedRequest, template: FormTemplate) -> HttpResponse:
    sections = list(template.sections.order_by("number"))
    form = NewSectionForm(posted(request), sections=sections, initial={"required": "no"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            section = services.template_section_add(
                template=template,
                user=request.user,
                title=data["title"],
                guidance=data["guidance"],
                required=data["required"] == "yes",
                before=next((s for s in sections if s.pk == data["place"]), None),
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, f"Section {section.number}, {section.title}, added.")
            return _to_version(template, "sections")
    return _page(request, template, form, title="Add a section", button="Add section")


@changes_the_form
def form_section(
    request: AuthenticatedRequest, template: FormTemplate, section_pk: int
) -> HttpResponse:
    section = _section(template, section_pk)
    form = SectionForm(
        posted(request),
        count=template.sections.count(),
        initial=SectionForm.initial_for(section),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_section_update(
                section=section,
                user=request.user,
                title=data["title"],
                guidance=data["guidance"],
                required=data["required"] == "yes",
                number=data["place"],
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Section saved.")
            return _to_version(template, "sections")
    title = f"Section {section.number}, {section.title}"
    return _page(request, template, form, title=title, anchor="sections")


@changes_the_form
def form_section_remove(
    request: AuthenticatedRequest, template: FormTemplate, section_pk: int
) -> HttpResponse:
    section = _section(template, section_pk)
    what = f"section {section.number}"
    if request.method != "POST":
        return _confirm(
            request,
            template,
            what=what,
            quote=section.title,
            anchor="sections",
            detail="The sections after it are numbered down, so the numbers have no gaps.",
        )
    try:
        services.template_section_remove(section=section, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Section {section.number} removed; the sections after it were renumbered."
        )
    return _to_version(template, "sections")


# --- declaration items -------------------------------------------------------------------------


def _item(template: FormTemplate, item_pk: int) -> DeclarationItem:
    return get_object_or_404(DeclarationItem, pk=item_pk, template=template)


@changes_the_form
def form_item_add(request: AuthenticatedRequest, template: FormTemplate) -> HttpResponse:
    items = list(template.declaration_items.order_by("position"))
    form = NewItemForm(posted(request), items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.declaration_item_add(
                template=template,
                user=request.user,
                heading=data["heading"],
                text=data["text"],
                before=next((i for i in items if i.pk == data["place"]), None),
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, f"Declaration item “{item.heading}” added.")
            return _to_version(template, "declaration")
    return _page(
        request, template, form, title="Add a declaration item", button="Add declaration item"
    )


@changes_the_form
def form_item(request: AuthenticatedRequest, template: FormTemplate, item_pk: int) -> HttpResponse:
    item = _item(template, item_pk)
    form = ItemForm(
        posted(request),
        count=template.declaration_items.count(),
        initial=ItemForm.initial_for(item),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.declaration_item_update(
                item=item,
                user=request.user,
                heading=data["heading"],
                text=data["text"],
                position=data["place"],
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Declaration item saved.")
            return _to_version(template, "declaration")
    return _page(
        request, template, form, title=f"Declaration item: {item.heading}", anchor="declaration"
    )


@changes_the_form
def form_item_remove(
    request: AuthenticatedRequest, template: FormTemplate, item_pk: int
) -> HttpResponse:
    item = _item(template, item_pk)
    what = f"the declaration item “{item.heading}”"
    if request.method != "POST":
        return _confirm(request, template, what=what, quote=item.text, anchor="declaration")
    try:
        services.declaration_item_remove(item=item, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Declaration item “{item.heading}” removed.")
    return _to_version(template, "declaration")
