"""Passkeys (django-otp-webauthn) as a second factor beside the authenticator app and backup
codes: the library's four JSON endpoints, narrowed to this service's rules. A passkey is only a
second factor here (no sign-in without a password), registering one when the person already has a
second factor needs it passed within the hour, and passing one sets the same session value as a
code does (accounts.middleware), so the permission checks of decisions accept it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, JsonResponse
from django.middleware import csrf
from django.urls import reverse
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from accounts import services
from accounts.middleware import keep_codes_to_show, remember_passed
from decisions.errors import ActionRefused

# The heading of the page that shows the backup codes made with a first second factor.
SET_UP = "Your second factor is set up"


def config_json(request: HttpRequest) -> str:
    """The settings the library's scripts read from the element with id otp_webauthn_config: put
    in a hidden element as text (escaped by the template), not in a <script> block, so the
    Content-Security-Policy needs no exception."""
    return json.dumps(
        {
            "autocompleteLoginFieldSelector": None,
            "nextFieldSelector": "input[name='next']",
            "csrfToken": csrf.get_token(request),
            "beginAuthenticationUrl": reverse("accounts:passkey_verify_begin"),
            "completeAuthenticationUrl": reverse("accounts:passkey_verify_complete"),
            "beginRegistrationUrl": reverse("accounts:passkey_register_begin"),
            "completeRegistrationUrl": reverse("accounts:passkey_register_complete"),
        }
    )


class _Registration:
    request: Any

    def _check_user_verified(self, user: Any) -> None:
        # The library asks django-otp's is_verified(); here "verified" is the session's time of
        # passing the second factor, within the hour, as for every other sensitive step.
        refusal = services.passkey_registration_refusal(user)
        if refusal:
            raise exceptions.NotVerified(detail=refusal)


class RegisterBegin(_Registration, BeginCredentialRegistrationView):
    """The options for the browser to make a passkey for the signed-in person."""


class RegisterComplete(_Registration, CompleteCredentialRegistrationView):
    """Keeps the passkey the browser made; setting it up counts as passing the second factor,
    as confirming an authenticator app does."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        user = self.get_user()
        try:
            added = services.passkey_add(
                user=user, helper=self.get_helper(), state=self.get_state(), data=self.request.data
            )
        except ActionRefused as error:
            raise exceptions.NotVerified(detail=str(error)) from error
        remember_passed(self.request.session, added.at)
        # The library's script counts the registration done when it reads the passkey's id;
        # ours (passkeys.mjs) goes to `redirect_url` if there is one, else to the "next" field.
        answer: dict[str, Any] = {"id": added.passkey.pk}
        if added.backup_codes:
            keep_codes_to_show(self.request.session, added.backup_codes, heading=SET_UP)
            answer["redirect_url"] = reverse("accounts:backup_codes_show")
        else:
            messages.success(
                self.request, "Your passkey is set up. You will not be asked again for an hour."
            )
        return JsonResponse(answer)


class VerifyBegin(BeginCredentialAuthenticationView):
    """The challenge for the signed-in person's passkeys."""


class VerifyComplete(CompleteCredentialAuthenticationView):
    """Checks the browser's answer; the person passed their second factor now."""

    def complete_auth(self, device: Any) -> None:
        try:
            at = services.passkey_verify(user=self.request.user, device=device)
        except ActionRefused as error:
            raise exceptions.CredentialUserMismatch(detail=str(error)) from error
        remember_passed(self.request.session, at)
        messages.success(self.request, "You confirmed it is you. This lasts for an hour.")


i18n = JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])
