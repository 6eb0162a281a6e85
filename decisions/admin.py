"""The admin, for governance officers: people and roles, and a read-only view of every request,
its log and signatures. Nothing here changes a request except through decisions.services, so the
admin has no way around a guard."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from decisions import services
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


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TemplateSectionInline(_ReadOnlyInline):
    model = TemplateSection


class DeclarationItemInline(_ReadOnlyInline):
    model = DeclarationItem


@admin.register(FormTemplate)
class FormTemplateAdmin(ReadOnlyAdmin):
    """Shown here, changed only on the staff pages (/staff/forms/, decisions.services.formversions):
    there every change is recorded and chained, needs the second factor, and never touches a
    version in use or in force. An admin form would be a way round all three."""

    list_display = ("name", "version", "effective_from", "discarded_at")
    inlines = [TemplateSectionInline, DeclarationItemInline]
