"""The "Sign-in and security" pages, where a signed-in person sees and manages their own second
factors: their passkeys (rename, remove, add another), their authenticator app, how many backup
codes they have left (and a new set), and the changes they made. Thin: each page parses a form
and calls one service; a change that needs the second factor passed within the hour asks for it
first, as a role change does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET
from django_otp_webauthn.models import WebAuthnCredential

from accounts import passkeys, rules, selectors, services
from accounts.forms import ConfirmForm, PasskeyNameForm
from accounts.middleware import codes_to_show, keep_codes_to_show
from decisions.errors import ActionRefused
from decisions.roles import needs_second_factor, second_factor_fresh
from decisions.types import AuthenticatedRequest

NEW_CODES = "You have new backup codes"


def _second_factor_url(request: AuthenticatedRequest) -> str:
    """ "Confirm it is you" (or, for someone with no second factor, setting one up), and back to
    this page after."""
    return f"{reverse('accounts:second_factor')}?{urlencode({'next': request.path})}"


def _confirm_first(request: AuthenticatedRequest) -> HttpResponse:
    return redirect(_second_factor_url(request))


def _passkey(request: AuthenticatedRequest, pk: int) -> WebAuthnCredential:
    # Through the person's own passkeys: someone else's is a 404, never a refusal that says
    # it exists.
    passkey: WebAuthnCredential = get_object_or_404(selectors.passkeys_of(request.user), pk=pk)
    return passkey


@login_required
@require_GET
def security(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    factors = selectors.factors_of(user)
    context = {
        "passkeys": selectors.passkeys_of(user),
        "authenticator": selectors.authenticator_of(user),
        "factors": factors,
        "changes": selectors.second_factor_changes_of(user),
        "has_second_factor": services.has_second_factor(user),
        "needs_second_factor": needs_second_factor(user),
        # Adding a passkey when one has a second factor needs it passed within the hour: without
        # it, the button is a link to "Confirm it is you" first.
        "can_add_passkey": not services.passkey_registration_refusal(user),
        "fresh": second_factor_fresh(user),
        "passkey_config": passkeys.config_json(request),
        "next": request.path,
        "confirm_url": _second_factor_url(request),
        "set_up_url": _second_factor_url(request),
    }
    return render(request, "accounts/security.html", context)


@login_required
def passkey_rename(request: AuthenticatedRequest, passkey_pk: int) -> HttpResponse:
    passkey = _passkey(request, passkey_pk)
    form = PasskeyNameForm(request.POST or None, initial={"name": passkey.name})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.passkey_rename(
                user=request.user, passkey=passkey, name=form.cleaned_data["name"]
            )
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, f"Passkey renamed to ‘{change.name}’.")
            return redirect("accounts:security")
    return render(request, "accounts/passkey_rename.html", {"form": form, "passkey": passkey})


@login_required
def passkey_remove(request: AuthenticatedRequest, passkey_pk: int) -> HttpResponse:
    user = request.user
    passkey = _passkey(request, passkey_pk)
    lasting_after = selectors.factors_of(user).lasting - 1
    # The last passkey of someone whose role needs one: the page says why, with no button,
    # before asking them to confirm it is them for nothing.
    refusal = rules.last_factor_refusal(user, lasting_after=lasting_after)
    if refusal:
        return render(
            request,
            "accounts/cannot.html",
            {"heading": "You cannot remove this passkey", "reason": refusal},
        )
    if not second_factor_fresh(user):
        return _confirm_first(request)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        try:
            services.passkey_remove(user=user, passkey=passkey)
        except ActionRefused as error:
            form.refused(error)
        else:
            messages.success(request, f"Passkey ‘{passkey.name}’ removed.")
            return redirect("accounts:security")
    return render(request, "accounts/passkey_remove.html", {"form": form, "passkey": passkey})


@login_required
def backup_codes_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    factors = selectors.factors_of(user)
    if factors.lasting < 1:
        return render(
            request,
            "accounts/cannot.html",
            {
                "heading": "You cannot make backup codes yet",
                "reason": rules.backup_codes_refusal(user, lasting=0),
            },
        )
    if not second_factor_fresh(user):
        return _confirm_first(request)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        try:
            codes = services.backup_codes_make(user=user)
        except ActionRefused as error:
            form.refused(error)
        else:
            keep_codes_to_show(request.session, codes, heading=NEW_CODES)
            show = reverse("accounts:backup_codes_show")
            return redirect(f"{show}?{urlencode({'next': reverse('accounts:security')})}")
    return render(request, "accounts/backup_codes_new.html", {"form": form, "factors": factors})


@login_required
@require_GET
def backup_codes_show(request: AuthenticatedRequest) -> HttpResponse:
    """New backup codes, once: opened again, the page has nothing to show and goes back to
    Sign-in and security."""
    codes, heading = codes_to_show(request.session)
    if not codes:
        return redirect("accounts:security")
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("accounts:security")
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": target, "heading": heading or passkeys.SET_UP},
    )
