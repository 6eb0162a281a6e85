"""The admin, for governance officers: people and roles, and a read-only view of every request,
its log and signatures. Nothing here changes a request except through decisions.services, so the
admin has no way around a guard."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from decisions import selectors, services
from decisions.dates import london_today
from decisions.errors import ActionRefused
from decisions.models import (
    Decision,
    DecisionVersion,
    DeclarationItem,
    FormTemplate,
    Signature,
    TemplateSection,
    TransitionLog,
)
from decisions.signatures import verify_signatures


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionLogInline(admin.TabularInline):
    model = TransitionLog
    fields = ("at", "actor_name", "transition", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "status", "author", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "reference_number")
    inlines = [TransitionLogInline]
    actions = ["publish_if_due"]
    readonly_fields = ("signature_check",)

    @admin.display(description="Signatures")
    def signature_check(self, obj: Decision) -> str:
        checks = verify_signatures(obj)
        if not checks:
            return "No signatures."
        return " | ".join(
            f"{c.signature.get_kind_display()} by {c.signature.signer_name}: {c.summary}"
            for c in checks
        )

    @admin.action(description="Publish the selected deferred decisions whose date has come")
    def publish_if_due(self, request: HttpRequest, queryset: QuerySet[Decision]) -> None:
        published = sum(services.decision_publish_if_due(decision=d) for d in queryset)
        skipped = queryset.count() - published
        self.message_user(request, f"Published {published}; {skipped} not due or not deferred.")
        if skipped:
            self.message_user(
                request,
                "Only deferred decisions whose deferral date has arrived can be published.",
                messages.WARNING,
            )


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "decision", "actor_name", "transition", "from_status", "to_status")
    list_filter = ("transition",)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("decision", "kind", "signer_name", "signed_at", "record_hash")


@admin.register(DecisionVersion)
class DecisionVersionAdmin(ReadOnlyAdmin):
    list_display = ("decision", "number", "created_at", "content_hash")


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0


class DeclarationItemInline(admin.TabularInline):
    model = DeclarationItem
    extra = 0


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    """New form versions can be added here too (governance manages them on the staff pages,
    /staff/forms/); a version used by a request or in force is never edited, so old decisions
    keep the form they were made on."""

    list_display = ("name", "version", "effective_from")
    inlines = [TemplateSectionInline, DeclarationItemInline]
    actions = ["new_version"]

    @admin.action(description="Make a new version of the form from the selected one")
    def new_version(self, request: HttpRequest, queryset: QuerySet[FormTemplate]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, "Select one form version to copy.", messages.ERROR)
            return None
        try:
            copy = services.form_template_new_version(
                template=queryset.get(),
                user=request.user,  # type: ignore[arg-type]
                effective_from=london_today() + datetime.timedelta(days=1),
            )
        except ActionRefused as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            f"{copy} made, in force from {copy.effective_from:%d %B %Y}. Change its sections, "
            "declaration items, opening line and guidance, then save. Requests already drafted "
            "keep their version.",
        )
        return redirect("admin:decisions_formtemplate_change", copy.pk)

    # The staff pages' rule (decisions.selectors.form_version_refusal): in use or in force, never
    # changed, so the admin is no way around it.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and selectors.form_version_refusal(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and selectors.form_version_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)
