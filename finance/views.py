"""Annex pages: upload a spreadsheet, match a finance team's own columns to ours (once per
layout), preview it with its checks, confirm; correct cells; change a table's title; explain
findings. Thin views over finance.services; nothing is stored before "Confirm import"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from decisions import permissions, selectors
from decisions.errors import ActionRefused
from decisions.models import Decision
from decisions.types import AuthenticatedRequest
from finance import importing, kinds, mapping, services, uploads
from finance import selectors as finance_selectors
from finance.checks import check_tables
from finance.forms import (
    AnnexForm,
    ColumnMatchForm,
    ExplanationForm,
    RowForm,
    TitleForm,
    UploadForm,
)
from finance.mapping import ColumnMatch
from finance.models import Annex, AnnexRow, AnnexTable, TableKind
from finance.tables import TableData


@login_required
def annexes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_for(request.user, pk)
    can_edit = permissions.can_edit_decision(request.user, decision)
    form = AnnexForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(permissions.edit_refusal(request.user, decision))
        if form.is_valid():
            try:
                annex = services.annex_create(
                    decision=decision, user=request.user, **form.cleaned_data
                )
            except ActionRefused as error:
                form.refused(error)
            else:
                messages.success(request, f"Annex “{annex.title}” added. Import its tables.")
                return redirect("finance:annexes", pk=decision.pk)
    annex_list = list(Annex.objects.filter(decision=decision).prefetch_related("tables"))
    findings = {annex.pk: finance_selectors.annex_findings(annex) for annex in annex_list}
    return render(
        request,
        "finance/annexes.html",
        {
            "decision": decision,
            "can_edit": can_edit,
            "form": form,
            "annexes": [(annex, findings[annex.pk]) for annex in annex_list],
            "upload_form": UploadForm(),
            "delegation": finance_selectors.delegation_items(decision),
        },
    )


def _preview_page(
    request: AuthenticatedRequest,
    *,
    decision: Decision,
    annex: Annex,
    form: UploadForm | ColumnMatchForm,
    preview: TableData | None,
    token: str = "",
    matched: str = "",
) -> HttpResponse:
    """What would be imported, with its checks; or the refusal. Nothing is stored."""
    findings: list[Any] = []
    if preview is not None:
        others = [
            t
            for t in finance_selectors.annex_table_data(annex)
            if t.source_name != preview.source_name
        ]
        findings = [f for f in check_tables([*others, preview]) if f.table == preview.title]
    return render(
        request,
        "finance/upload_preview.html",
        {
            "decision": decision,
            "annex": annex,
            "form": form,
            "preview": preview,
            "kind_label": TableKind(preview.kind).label if preview else "",
            "findings": findings,
            "token": token,
            "matched": matched,
            "title_form": TitleForm(initial={"title": preview.title}) if preview else None,
        },
        status=200 if preview else 400,
    )


@login_required
@require_POST
def upload(request: AuthenticatedRequest, pk: int, annex_pk: int) -> HttpResponse:
    """Parse the file and show what would be imported; store nothing yet. A file whose columns
    are a finance team's own is read as its layout was matched last time, or goes to the
    page where the officer matches them."""
    decision = selectors.editable_decision(request.user, pk)
    annex = get_object_or_404(Annex, pk=annex_pk, decision=decision)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _preview_page(request, decision=decision, annex=annex, form=form, preview=None)
    upload_file = form.cleaned_data["file"]
    data = upload_file.read()
    kind = form.cleaned_data["kind"] or None
    match = None
    try:
        try:
            preview = importing.parse_table(upload_file.name, data, kind=kind, unit=annex.unit)
        except importing.UnknownColumns as unknown:
            match = finance_selectors.remembered_match(unknown.header, kind)
            if match is None:
                token = uploads.stash(request.user, upload_file.name, data, kind or unknown.kind)
                url = reverse("finance:map_columns", args=[decision.pk, annex.pk, token])
                return redirect(f"{url}?kind={kind or unknown.kind}")
            preview = importing.parse_table(upload_file.name, data, unit=annex.unit, match=match)
    except ActionRefused as error:
        form.refused(error)
        return _preview_page(request, decision=decision, annex=annex, form=form, preview=None)
    token = uploads.stash(request.user, upload_file.name, data, kind)
    if match is not None:
        uploads.remember_match(request.user, token, match.as_json())
    return _preview_page(
        request,
        decision=decision,
        annex=annex,
        form=form,
        preview=preview,
        token=token,
        matched="remembered" if match is not None else "",
    )


@login_required
def map_columns(request: AuthenticatedRequest, pk: int, annex_pk: int, token: str) -> HttpResponse:
    """Match a finance team's columns to those of a kind of table, then preview the import."""
    decision = selectors.editable_decision(request.user, pk)
    annex = get_object_or_404(Annex, pk=annex_pk, decision=decision)
    stashed = uploads.fetch(request.user, token)
    if stashed is None:
        messages.error(request, "That upload has expired. Choose the file again.")
        return redirect("finance:annexes", pk=decision.pk)
    remembered = ColumnMatch.from_json(stashed.match) if stashed.match else None
    kind = (
        request.POST.get("kind")
        or request.GET.get("kind")
        or (remembered.kind if remembered else stashed.kind)
        or ""
    )
    kinds_offered = [(k.kind.value, k.label) for k in kinds.KINDS if not k.open_columns]
    if kind not in dict(kinds_offered):
        kind = kinds_offered[0][0]
    spec = kinds.spec_for(kind)
    try:
        header, samples = importing.columns_of(stashed.name, stashed.data)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:annexes", pk=decision.pk)
    form = ColumnMatchForm(
        request.POST if request.method == "POST" else None,
        header=header,
        targets=mapping.targets(spec),
        # Changing a remembered match starts from it; a new layout, from the names we know.
        initial_match=remembered
        if remembered and remembered.kind == kind and list(remembered.header) == header
        else mapping.guess(spec, header, annex.unit),
        samples=samples,
    )
    if request.method == "POST" and form.is_valid():
        match = form.match(kind)
        try:
            problems = match.problems()
            if problems:
                raise ActionRefused(*problems)
            preview = importing.parse_table(
                stashed.name, stashed.data, unit=annex.unit, match=match
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            uploads.remember_match(request.user, token, match.as_json())
            return _preview_page(
                request,
                decision=decision,
                annex=annex,
                form=form,
                preview=preview,
                token=token,
                matched="now",
            )
    return render(
        request,
        "finance/map_columns.html",
        {
            "decision": decision,
            "annex": annex,
            "form": form,
            "rows": [(form[f"column_{i}"], form[f"unit_{i}"]) for i in range(len(header))],
            "kind": kind,
            "kind_label": spec.label,
            "kinds": kinds_offered,
            "name": stashed.name,
            "table_unit": annex.get_unit_display(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, pk: int, annex_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    annex = get_object_or_404(Annex, pk=annex_pk, decision=decision)
    stashed = uploads.fetch(request.user, request.POST.get("token", ""))
    if stashed is None:
        messages.error(request, "That upload has expired. Choose the file again.")
        return redirect("finance:annexes", pk=decision.pk)
    try:
        table = services.table_import(
            annex=annex,
            user=request.user,
            name=stashed.name,
            data=stashed.data,
            kind=None if stashed.match else stashed.kind,
            title=request.POST.get("title", ""),
            match=ColumnMatch.from_json(stashed.match) if stashed.match else None,
        )
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:annexes", pk=decision.pk)
    uploads.discard(request.user, stashed.token)
    messages.success(request, f"Imported “{table.title}” ({table.rows.count()} rows).")
    return redirect("finance:table", pk=decision.pk, table_pk=table.pk)


@login_required
def table_title(request: AuthenticatedRequest, pk: int, table_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    table = get_object_or_404(AnnexTable, pk=table_pk, annex__decision=decision)
    form = TitleForm(request.POST or None, initial={"title": table.title})
    back = reverse("finance:table", args=[decision.pk, table.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.table_rename(table=table, user=request.user, title=form.cleaned_data["title"])
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, "Table title saved.")
            return redirect(back)
    return render(
        request,
        "staff/form_page.html",
        {
            "decision": decision,
            "form": form,
            "page_title": "Change the table’s title",
            "intro": f"Imported from “{table.source_name}”." if table.source_name else "",
            "button": "Save",
            "back": back,
        },
    )


def _table_for(request: HttpRequest, pk: int, table_pk: int) -> tuple[Decision, AnnexTable]:
    decision = selectors.decision_for(request.user, pk)
    table = get_object_or_404(AnnexTable, pk=table_pk, annex__decision=decision)
    return decision, table


@login_required
def table_detail(request: AuthenticatedRequest, pk: int, table_pk: int) -> HttpResponse:
    decision, table = _table_for(request, pk, table_pk)
    can_edit = permissions.can_edit_decision(request.user, decision)
    rows = list(table.rows.order_by("position"))
    findings = [f for f in finance_selectors.annex_findings(table.annex) if f.table_key == table.pk]
    explain_forms = [
        (
            finding,
            ExplanationForm(
                prefix=f"f{index}",
                initial={
                    "row_label": finding.row,
                    "column": finding.column,
                    "text": finding.explanation or "",
                },
            ),
        )
        for index, finding in enumerate(findings)
    ]
    return render(
        request,
        "finance/table.html",
        {
            "decision": decision,
            "table": table,
            "figure_columns": table.figure_columns(rows),
            "label_columns": table.label_columns(rows),
            "rows": rows,
            "findings": explain_forms,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def explain(request: AuthenticatedRequest, pk: int, table_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    table = get_object_or_404(AnnexTable, pk=table_pk, annex__decision=decision)
    prefix = request.POST.get("prefix", "")
    form = ExplanationForm(request.POST, prefix=prefix or None)
    if form.is_valid():
        try:
            services.explanation_record(table=table, user=request.user, **form.cleaned_data)
        except ActionRefused as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Explanation recorded.")
    else:
        messages.error(request, "Write the explanation before saving it.")
    return redirect(reverse("finance:table", args=[decision.pk, table.pk]) + "#findings")


@login_required
def row_edit(request: AuthenticatedRequest, pk: int, table_pk: int, row_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    table = get_object_or_404(AnnexTable, pk=table_pk, annex__decision=decision)
    row = get_object_or_404(AnnexRow, pk=row_pk, table=table)
    figure_columns = table.figure_columns([row])
    form = RowForm(request.POST or None, columns=figure_columns, values=row.cells)
    back = reverse("finance:table", args=[decision.pk, table.pk])
    if request.method == "POST" and form.is_valid():
        try:
            for index, value in form.changed_cells():
                services.cell_update(row=row, user=request.user, column_index=index, value=value)
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, f"“{row.label}” saved; the checks were run again.")
            return redirect(back + f"#row-{row.pk}")
    return render(
        request,
        "staff/form_page.html",
        {
            "decision": decision,
            "form": form,
            "page_title": f"Correct “{row.label}”",
            "intro": f"{table.title}. Figures in {table.unit}.",
            "button": "Save",
            "back": back,
        },
    )


@login_required
@require_POST
def table_delete(request: AuthenticatedRequest, pk: int, table_pk: int) -> HttpResponse:
    decision = selectors.editable_decision(request.user, pk)
    table = get_object_or_404(AnnexTable, pk=table_pk, annex__decision=decision)
    try:
        services.table_delete(table=table, user=request.user)
    except ActionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed “{table.title}”.")
    return redirect("finance:annexes", pk=decision.pk)
