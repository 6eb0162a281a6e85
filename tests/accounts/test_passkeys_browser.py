"""Passkeys, tried in a real browser with Chromium's virtual authenticator (as a phone's or a
laptop's would answer): a Chief Executive sets up a passkey instead of an authenticator app, is
given backup codes with it, and later confirms it is them with it before approving."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from accounts.middleware import SESSION_KEY
from decisions.roles import Role
from decisions.states import Status
from demo.loader import DEMO_PASSWORD
from tests.a11y import axe_violations, format_violations
from tests.accounts.test_sign_in_browser import fill_sign_in
from tests.factories import UserFactory, make_complete_draft, submitted
from tests.test_browser import evidence_on_failure, success

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Mounted branch stables 2019/20"


def virtual_authenticator(page: Any) -> Any:
    """A platform authenticator that holds passkeys and always verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def expire_second_factor() -> None:
    """An hour and more later: the time kept in the session is moved back (the session is the
    only place it is kept)."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        data = session.get_decoded()
        if SESSION_KEY in data:
            data[SESSION_KEY] -= datetime.timedelta(hours=2).total_seconds()
            session.session_data = Session.objects.encode(data)
            session.save()


def test_a_chief_executive_sets_up_a_passkey_and_confirms_with_it_before_approving(
    page: Any, demo: dict[Role, Any], live_server: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    with evidence_on_failure(page, "passkey-before-approving"):
        officer = demo[Role.OFFICER]
        decision = submitted(make_complete_draft(officer, title=TITLE), officer)
        chief = UserFactory(
            username="new-ce",
            first_name="Carol",
            last_name="Danvers",
            password=DEMO_PASSWORD,
            roles=[Role.CHIEF_EXECUTIVE],
        )
        virtual_authenticator(page)
        fill_sign_in(page, "new-ce", DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_role("button", name="Add a passkey").click()
        # A passkey as the first second factor comes with backup codes, shown once, as the
        # authenticator app's set-up gives them: a lost passkey must not lock Carol out.
        expect(page.get_by_role("heading", name="Your second factor is set up")).to_be_visible()
        codes = page.locator("#backup-codes li").all_inner_texts()
        assert len(codes) == 10
        assert StaticToken.objects.filter(device__user=chief).count() == 10
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Your requests", level=1).wait_for()
        assert WebAuthnCredential.objects.filter(user=chief, confirmed=True).count() == 1

        # More than an hour later, approving asks again; the passkey answers.
        expire_second_factor()
        page.goto("/staff/")
        waiting = page.get_by_role("table", name="Awaiting your action")
        waiting.get_by_role("link", name=f"{decision.reference}: {TITLE}").click()
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
        expect(page.get_by_label("I confirm the statement above")).to_have_count(0)
        # Carol has a passkey and backup codes, no authenticator app: she is asked for what
        # she has.
        expect(page.get_by_label("Backup code", exact=True)).to_be_visible()
        expect(page.get_by_text("authenticator app")).to_have_count(0)
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_role("button", name="Use your passkey").click()
        page.get_by_label("I confirm the statement above").check()
        page.get_by_role("button", name="Approve").click()
        success(page, f"Approved. {decision.reference} now awaits the DMPC's sign-off.")
        decision.refresh_from_db()
        assert decision.status == Status.AWAITING_SIGNOFF
