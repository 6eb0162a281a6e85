"""Sign-in: ten wrong passwords lock the account (and, separately, the address) with a message,
until a governance officer unlocks it; a second factor is set up on first sign-in by those whose
role needs it, and asked for before an approval; sessions end after 30 idle minutes; passwords
follow a policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from decisions.roles import Role
from decisions.states import Status
from tests.factories import UserFactory, make_complete_draft, sign_in, submitted
from tests.pages.helpers import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
SIGN_IN = "/sign-in/"


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_with_a_message(officer: Any) -> None:
    client = Client()
    for _ in range(9):
        assert attempt(client, "priya", "wrong-password").status_code == 200
    locked = attempt(client, "priya", "wrong-password")
    assert locked.status_code == 429
    assert "You cannot sign in for now" in text_of(locked)
    # The right password no longer works, from this address or any other.
    for address in ("10.0.0.1", "10.9.9.9"):
        response = attempt(Client(), "priya", PASSWORD, address)
        assert response.status_code == 429
        assert "ask a governance officer to unlock your account" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_ten_failures_from_one_address_lock_that_address(officer: Any) -> None:
    for n in range(10):
        attempt(Client(), f"guess{n}", "wrong-password", "10.6.6.6")
    assert attempt(Client(), "priya", PASSWORD, "10.6.6.6").status_code == 429
    assert attempt(Client(), "priya", PASSWORD, "10.7.7.7").status_code == 302


def test_a_governance_officer_unlocks_an_account(officer: Any, governance: Any) -> None:
    for _ in range(10):
        attempt(Client(), "priya", "wrong-password")
    client = sign_in(Client(), governance)
    page = client.get(reverse("accounts:sign_in_locks"))
    assert "priya" in text_of(page)
    client.post(reverse("accounts:sign_in_locks"), {"username": "priya"})
    assert "No account is locked" in text_of(client.get(reverse("accounts:sign_in_locks")))
    assert attempt(Client(), "priya", PASSWORD, "10.8.8.8").status_code == 302


def test_only_governance_sees_the_sign_in_locks(officer: Any) -> None:
    client = sign_in(Client(), officer)
    assert client.get(reverse("accounts:sign_in_locks")).status_code == 403
    assert client.post(reverse("accounts:sign_in_locks"), {"username": "x"}).status_code == 403


def test_idle_sessions_end_after_30_minutes(officer: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client = Client()
    response = attempt(client, "priya", PASSWORD)
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 30 * 60
    # Each request starts the 30 minutes again; a session left alone past them is gone.
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get(reverse("staff:dashboard")).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [("short-pass", "at least 12 characters"), ("password1234", "too common")],
)
def test_passwords_follow_the_policy(password: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def _code(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key):06d}"


def test_a_chief_executive_sets_up_a_second_factor_on_first_sign_in(officer: Any) -> None:
    ce = UserFactory(username="carol", roles=[Role.CHIEF_EXECUTIVE])
    client = Client()
    response = attempt(client, "carol", PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    page = client.get(response["Location"])
    assert "Set up your second factor" in text_of(page)
    assert 'alt="QR code' in page.content.decode()
    wrong = client.post(response["Location"], {"code": "000000"})
    assert "The code is not right" in text_of(wrong)
    done = client.post(response["Location"], {"code": _code(ce)})
    assert "Your backup codes" in text_of(done)
    assert TOTPDevice.objects.get(user=ce).confirmed


def test_approving_asks_for_the_second_factor_and_a_backup_code_passes_it(
    officer: Any,
) -> None:
    ce = UserFactory(username="carol", roles=[Role.CHIEF_EXECUTIVE])
    decision = submitted(make_complete_draft(officer), officer)
    client = sign_in(Client(), ce)
    approve = reverse("staff:act", args=[decision.pk, "approve"])
    # Without a second factor: sent to set one up, and a hand-made POST is refused.
    response = client.get(approve)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    refused = client.post(approve, {"confirmed": "on", "expected_status": decision.status})
    assert "second factor" in text_of(refused)
    decision.refresh_from_db()
    assert decision.status == Status.AWAITING_APPROVAL

    setup = client.get(response["Location"])
    assert "Set up your second factor" in text_of(setup)
    codes_page = client.post(response["Location"], {"code": _code(ce)})
    backup = text_of(codes_page).split("Your backup codes")[1].split()[0:40]
    # The session now counts as passed: approving works.
    client.post(approve, {"confirmed": "on", "expected_status": decision.status})
    decision.refresh_from_db()
    assert decision.status == Status.AWAITING_SIGNOFF
    assert backup  # shown once, on the page


def test_a_later_session_is_asked_for_the_code_again(officer: Any) -> None:
    ce = UserFactory(username="carol", roles=[Role.CHIEF_EXECUTIVE])
    TOTPDevice.objects.create(user=ce, name="Authenticator app", confirmed=True)
    decision = submitted(make_complete_draft(officer), officer)
    client = sign_in(Client(), ce)
    approve = reverse("staff:act", args=[decision.pk, "approve"])
    response = client.get(approve)
    page = client.get(response["Location"])
    assert "Confirm it is you" in text_of(page)
    passed = client.post(response["Location"], {"code": _code(ce), "next": approve})
    assert passed["Location"] == approve
    assert "I confirm" in text_of(client.get(approve)) or client.get(approve).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy: the header is the client's, ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a spoofed first entry is not trusted
        (1, "", "10.0.0.2"),
    ],
)
def test_the_address_counted_is_the_one_the_proxy_saw(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    from django.test import RequestFactory

    from accounts.addresses import client_address

    settings.PCD_PROXY_COUNT = proxies
    request = RequestFactory().post(SIGN_IN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
