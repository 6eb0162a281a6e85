"""The pages of accounts: sign-in (locked after repeated failures by django-axes), the second
factor (set up, passed), people and their roles (system administrators), and sign-in locks
(governance). Thin: each parses a form and calls one service."""

from __future__ import annotations

import base64
from typing import Any

import segno
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts import passkeys, rules, selectors, services
from accounts.forms import CodeForm, RoleForm, UnlockForm
from accounts.middleware import remember_passed
from accounts.models import RoleChange
from decisions.errors import ActionRefused
from decisions.roles import Role, needs_second_factor, roles_of, second_factor_fresh
from decisions.types import AuthenticatedRequest


def _next(request: AuthenticatedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class SignInView(LoginView):
    """Django's sign-in; someone whose role needs a second factor and who has none is taken to
    set it up first."""

    template_name = "registration/login.html"

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if needs_second_factor(user) and not services.has_second_factor(user):  # type: ignore[arg-type]
            return f"{reverse('accounts:second_factor')}?{urlencode({'next': url})}"
        return url


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def second_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app (first time), or pass the second factor (afterwards) with
    what the person has: their passkey, and a code box only if they have something to give a
    code from (an authenticator app, or a backup code left)."""
    user = request.user
    setting_up = not services.has_second_factor(user)
    factors = selectors.factors_of(user)
    source = "setting_up" if setting_up else "authenticator" if factors.authenticator else "backup"
    form = CodeForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if setting_up:
                codes = services.second_factor_confirm_setup(user=user, token=code)
            else:
                services.second_factor_verify(user=user, token=code)
        except ActionRefused as error:
            form.refused(error)
        else:
            remember_passed(request.session, user.second_factor_at)  # type: ignore[attr-defined]
            if setting_up:
                return render(
                    request,
                    "accounts/backup_codes.html",
                    {"codes": codes, "next": _next(request), "heading": passkeys.SET_UP},
                )
            messages.success(request, "You confirmed it is you. This lasts for an hour.")
            return redirect(_next(request))
    context: dict[str, Any] = {
        "form": form,
        "next": _next(request),
        "setting_up": setting_up,
        "factors": factors,
    }
    if setting_up:
        device = services.authenticator_for_setup(user)
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
        context["qr"] = _qr_data_uri(device.config_url)
    context["fresh"] = second_factor_fresh(user)
    context["passkey_config"] = passkeys.config_json(request)
    return render(request, "accounts/second_factor.html", context)


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    if not rules.can_manage_roles(request.user):
        raise PermissionDenied("Only a system administrator can change people's roles.")
    users = get_user_model().objects.filter(is_active=True).prefetch_related("groups")
    rows = [
        {"user": u, "roles": [Role(r).label for r in sorted(roles_of(u))]}
        for u in users.order_by("username")
    ]
    return render(
        request,
        "accounts/people.html",
        {"rows": rows, "changes": RoleChange.objects.all()[:50]},
    )


@login_required
def person_roles(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not rules.can_manage_roles(request.user):
        raise PermissionDenied("Only a system administrator can change people's roles.")
    subject = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if not second_factor_fresh(request.user):
        return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.path})}")
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.role_change(
                actor=request.user,
                subject=subject,
                role=form.cleaned_data["role"],
                adding=form.cleaned_data["action"] == "add",
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, str(change))
            return redirect("accounts:people")
    held = [Role(r).label for r in sorted(roles_of(subject))]
    return render(
        request, "accounts/person_roles.html", {"form": form, "subject": subject, "held": held}
    )


@login_required
def sign_in_locks(request: AuthenticatedRequest) -> HttpResponse:
    if not rules.can_unlock(request.user):
        raise PermissionDenied("Only a governance officer can lift a sign-in lock.")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        services.sign_in_unlock(actor=request.user, username=username)
        messages.success(request, f"{username} can sign in again.")
        return redirect("accounts:sign_in_locks")
    limit = settings.AXES_FAILURE_LIMIT
    # Failures are counted per account across addresses (and per address): list the accounts
    # over the limit, whichever addresses their failures came from.
    attempts = (
        AccessAttempt.objects.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )
    return render(request, "accounts/sign_in_locks.html", {"attempts": attempts, "limit": limit})
