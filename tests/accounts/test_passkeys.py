"""Passkeys as a second factor: offered on the set-up page (its settings and scripts without any
inline code), never a way to sign in without a password, and never added with a password alone
by someone who already has a second factor; passing one is what the permission checks read."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from decisions.errors import ActionRefused
from decisions.roles import Role, second_factor_fresh
from tests.factories import UserFactory, passed_second_factor, sign_in

pytestmark = pytest.mark.django_db


def chief(username: str = "carol") -> Any:
    return UserFactory(username=username, roles=[Role.CHIEF_EXECUTIVE])


def passkey_of(user: Any) -> Any:
    return WebAuthnCredential.objects.create(
        user=user,
        name="Laptop",
        confirmed=True,
        credential_id=f"id-{user.pk}".encode(),
        public_key=b"key",
        sign_count=0,
    )


def post_json(client: Client, name: str) -> Any:
    return client.post(reverse(name), data="{}", content_type="application/json")


def test_the_set_up_page_offers_a_passkey_with_no_inline_script() -> None:
    page = sign_in(Client(), chief()).get(reverse("accounts:second_factor"))
    html = page.content.decode()
    assert 'id="passkey-register-button"' in html
    assert "Add a passkey" in html
    # Every <script> is a file; the library's settings are text in a hidden element.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    config = re.search(r'<div id="otp_webauthn_config" hidden>(.*?)</div>', html)
    assert config is not None
    urls = json.loads(config.group(1).replace("&quot;", '"'))
    assert urls["completeAuthenticationUrl"] == reverse("accounts:passkey_verify_complete")


def test_confirm_it_is_you_offers_the_passkey_only_to_who_has_one() -> None:
    carol = chief()
    TOTPDevice.objects.create(user=carol, name="Authenticator app", confirmed=True)
    page = sign_in(Client(), carol).get(reverse("accounts:second_factor"))
    assert "Confirm it is you" in page.content.decode()
    assert "Use your passkey" not in page.content.decode()
    passkey_of(carol)
    page = sign_in(Client(), carol).get(reverse("accounts:second_factor"))
    assert 'id="passkey-verification-button"' in page.content.decode()


def test_a_password_alone_cannot_add_a_passkey_to_someone_with_a_second_factor() -> None:
    carol = chief()
    TOTPDevice.objects.create(user=carol, name="Authenticator app", confirmed=True)
    response = post_json(sign_in(Client(), carol), "accounts:passkey_register_begin")
    assert response.status_code == 403
    assert "Confirm it is you with your second factor" in response.json()["detail"]
    # Having passed it within the hour, they may.
    client = sign_in(Client(), passed_second_factor(carol))
    response = post_json(client, "accounts:passkey_register_begin")
    assert response.status_code == 200
    assert response.json()["rp"]["name"] == "Police and crime decisions"


def test_a_passkey_never_signs_anyone_in() -> None:
    response = post_json(Client(), "accounts:passkey_verify_begin")
    assert response.status_code == 403
    assert post_json(Client(), "accounts:passkey_register_begin").status_code in (401, 403)


def test_only_ones_own_passkey_passes_the_second_factor() -> None:
    carol, dana = chief(), chief("dana")
    with pytest.raises(ActionRefused):
        services.passkey_verify(user=carol, device=passkey_of(dana))
    assert not second_factor_fresh(carol)
    services.passkey_verify(user=carol, device=passkey_of(carol))
    assert second_factor_fresh(carol)
    assert services.has_second_factor(chief("erin")) is False
    assert services.has_second_factor(dana) is True
