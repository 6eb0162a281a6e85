"""Passkeys as a second factor: offered on the set-up page (its settings and scripts without any
inline code), never a way to sign in without a password, and never added with a password alone
by someone who already has a second factor; passing one is what the permission checks read. A
passkey set up as someone's first second factor comes with backup codes, and "Confirm it is you"
offers only what the person has (a passkey; a code box for an authenticator app or backup codes,
labelled for which)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from decisions.errors import ActionRefused
from decisions.roles import Role, second_factor_fresh
from tests.factories import UserFactory, passed_second_factor, sign_in
from tests.pages.helpers import error_summary, html_of, text_of

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


# --- a passkey as the first second factor comes with backup codes ---------------------------------


@pytest.fixture
def browser_made_passkeys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser's answer to the registration, as django-otp-webauthn's helper would keep it
    after checking it (a real ceremony is tried in test_passkeys_browser.py)."""
    from django_otp_webauthn.helpers import WebAuthnHelper

    def register_complete(self: Any, user: Any, state: Any, data: Any) -> Any:
        made = WebAuthnCredential.objects.count()
        return WebAuthnCredential.objects.create(
            user=user, credential_id=f"made-{made}".encode(), public_key=b"key", sign_count=0
        )

    monkeypatch.setattr(WebAuthnHelper, "register_complete", register_complete)


def add_passkey(client: Client) -> Any:
    assert post_json(client, "accounts:passkey_register_begin").status_code == 200
    return post_json(client, "accounts:passkey_register_complete")


def test_a_passkey_as_first_second_factor_comes_with_backup_codes_shown_once(
    browser_made_passkeys: None,
) -> None:
    carol = chief()
    client = sign_in(Client(), carol)
    answer = add_passkey(client)
    assert answer.status_code == 200
    # The page's script goes to the backup codes, then on to where Carol was going.
    assert answer.json()["redirect_url"] == reverse("accounts:backup_codes_show")
    page = client.get(answer.json()["redirect_url"], {"next": "/staff/"})
    assert "Your second factor is set up" in text_of(page)
    codes = re.findall(r"<li><code>(\w+)</code></li>", page.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=carol).count() == 10
    # Shown once: opened again, there is nothing to show.
    again = client.get(reverse("accounts:backup_codes_show"))
    assert again.status_code == 302 and again["Location"] == reverse("accounts:security")
    # A backup code passes the second factor, as the authenticator app's do.
    services.second_factor_verify(user=carol, token=codes[0])
    assert second_factor_fresh(carol)


def test_another_passkey_leaves_the_backup_codes_as_they_are(browser_made_passkeys: None) -> None:
    carol = chief()
    client = sign_in(Client(), carol)
    add_passkey(client)
    before = set(StaticToken.objects.filter(device__user=carol).values_list("token", flat=True))
    answer = add_passkey(client)  # the first set-up passed the second factor for the hour
    assert "redirect_url" not in answer.json()
    after = set(StaticToken.objects.filter(device__user=carol).values_list("token", flat=True))
    assert after == before and len(after) == 10
    names = WebAuthnCredential.objects.filter(user=carol).order_by("pk").values_list("name")
    assert [name for (name,) in names] == [
        "Passkey 1",
        "Passkey 2",
    ]


# --- "Confirm it is you" offers what the person has --------------------------------------------


def confirm_page(user: Any) -> Any:
    return sign_in(Client(), user).get(reverse("accounts:second_factor"))


def intro(page: Any) -> str:
    """What the page asks for, under its heading."""
    found = re.search(r"</h1>\s*<p class=\"govuk-body\">(.*?)</p>", html_of(page), re.S)
    assert found is not None
    return text_of(found.group(1))


def backup_codes_of(user: Any) -> list[str]:
    device = StaticDevice.objects.create(user=user, name="Backup codes")
    codes = [f"code{n:04d}" for n in range(10)]
    for code in codes:
        device.token_set.create(token=code)
    return codes


def test_someone_with_only_a_passkey_is_not_asked_for_a_code() -> None:
    carol = chief()
    passkey_of(carol)
    page = confirm_page(carol)
    html = page.content.decode()
    assert "Confirm it is you" in text_of(page)
    assert 'name="code"' not in html
    assert 'id="passkey-verification-button"' in html
    assert intro(page) == "Use your passkey. You will not be asked again for an hour."


def test_someone_with_a_passkey_and_backup_codes_is_asked_for_a_backup_code() -> None:
    carol = chief()
    passkey_of(carol)
    backup_codes_of(carol)
    page = confirm_page(carol)
    assert re.search(r'<label[^>]*for="id_code"[^>]*>\s*Backup code\s*</label>', html_of(page))
    assert intro(page).startswith("Use your passkey, or enter one of your backup codes.")
    client = sign_in(Client(), carol)
    empty = client.post(reverse("accounts:second_factor"), {"code": ""})
    assert "Enter a backup code" in error_summary(empty)
    assert html_of(empty).count("<title>Error: ") == 1
    wrong = client.post(reverse("accounts:second_factor"), {"code": "nothing1"})
    assert "Enter a backup code you have not used" in error_summary(wrong)


def test_someone_with_an_authenticator_app_is_asked_for_its_code_or_a_backup_code() -> None:
    carol = chief()
    TOTPDevice.objects.create(user=carol, name="Authenticator app", confirmed=True)
    page = confirm_page(carol)
    assert re.search(
        r'<label[^>]*for="id_code"[^>]*>\s*Code from your authenticator app or a backup code\s*<',
        html_of(page),
    )
    assert 'id="passkey-verification-button"' not in html_of(page)
