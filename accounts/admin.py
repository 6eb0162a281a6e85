"""The admin's user pages. Roles are never changed here (only through accounts.services, on the
People page, recorded and never one's own), and someone who is not a superuser sees no superuser,
staff or permission fields and no password form: with them, a governance officer could make
itself the DMPC or a superuser."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import RoleChange, SecondFactorChange
from decisions.roles import Role, roles_of

User = get_user_model()
admin.site.unregister(User)

_PERSON = ("Person", {"fields": ("username", "first_name", "last_name", "email")})
_STATUS = ("Account", {"fields": ("is_active", "roles", "last_login", "date_joined")})


@admin.register(User)
class PeopleAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "email", "roles", "is_active")
    list_filter = ("is_active", "groups")
    readonly_fields = ("roles", "last_login", "date_joined")

    @admin.display(description="Roles (change them on the People page)")
    def roles(self, obj: Any) -> str:
        return ", ".join(str(Role(r).label) for r in sorted(roles_of(obj))) or "None"

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return (
                (None, {"fields": ("password",)}),
                _PERSON,
                _STATUS,
                ("Superuser", {"fields": ("is_staff", "is_superuser")}),
            )
        return (_PERSON, _STATUS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nobody but a superuser edits their own account here (their roles are not on it, but
        # deactivating or renaming oneself is no business of the admin either).
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied("Only a superuser can set another person's password here.")
        return super().user_change_password(request, id, form_url)


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "subject_name", "role", "action", "actor_name")
    list_filter = ("role", "action")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SecondFactorChange)
class SecondFactorChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only, like the role changes: who added, renamed or removed a passkey, set up an
    authenticator app or made new backup codes, and when."""

    list_display = ("at", "person_name", "action", "name", "previous_name")
    list_filter = ("action",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
