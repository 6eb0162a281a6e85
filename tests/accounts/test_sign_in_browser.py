"""Sign-in and roles, tried as a new user would, in a real browser (by visible labels): a Chief
Executive without a second factor is asked to set one up before approving and cannot approve
without it; ten wrong passwords lock the account with a message; the governance officer's admin
page has no superuser box and cannot change its own roles."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp

from decisions.roles import Role
from decisions.states import Status
from demo.loader import DEMO_PASSWORD
from tests.a11y import axe_violations, format_violations
from tests.factories import UserFactory, make_complete_draft, submitted
from tests.test_browser import evidence_on_failure, success

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Mounted branch stables 2019/20"


def fill_sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_a_chief_executive_sets_up_a_second_factor_before_approving(
    page: Any, demo: dict[Role, Any]
) -> None:
    from playwright.sync_api import expect

    with evidence_on_failure(page, "second-factor-before-approving"):
        officer = demo[Role.OFFICER]
        decision = submitted(make_complete_draft(officer, title=TITLE), officer)
        UserFactory(
            username="new-ce",
            first_name="Carol",
            last_name="Danvers",
            password=DEMO_PASSWORD,
            roles=[Role.CHIEF_EXECUTIVE],
        )
        fill_sign_in(page, "new-ce", DEMO_PASSWORD)
        # First sign-in: asked to set up a second factor; they go on without it …
        expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
        page.goto("/staff/")
        waiting = page.get_by_role("table", name="Awaiting your action")
        waiting.get_by_role("link", name=f"{decision.reference}: {TITLE}").click()
        page.get_by_role("button", name="Approve").click()
        # … and cannot approve without it.
        expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
        expect(page.get_by_label("I confirm the statement above")).to_have_count(0)
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Set up").click()
        expect(page.get_by_text("The code is not right").first).to_be_visible()
        decision.refresh_from_db()
        assert decision.status == Status.AWAITING_APPROVAL

        secret = page.locator("#secret-key").inner_text()
        page.get_by_label("Code").fill(code_for(secret))
        page.get_by_role("button", name="Set up").click()
        expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("I confirm the statement above").check()
        page.get_by_role("button", name="Approve").click()
        success(page, f"Approved. {decision.reference} now awaits the DMPC's sign-off.")


def test_ten_wrong_passwords_lock_the_account(
    page: Any, demo: dict[Role, Any], settings: Any
) -> None:
    from playwright.sync_api import expect

    # As behind the proxy: the DMPC at one address, the governance officer at another (the
    # DMPC's address is locked too, as it should be).
    settings.PCD_PROXY_COUNT = 1
    page.set_extra_http_headers({"X-Forwarded-For": "203.0.113.5"})
    with evidence_on_failure(page, "ten-wrong-passwords"):
        for _ in range(9):
            fill_sign_in(page, "dmpc", "not-the-password")
            expect(page.get_by_text("Enter a correct user name and password")).to_be_visible()
        fill_sign_in(page, "dmpc", "not-the-password")
        expect(page.get_by_role("heading", name="You cannot sign in for now")).to_be_visible()
        fill_sign_in(page, "dmpc", DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="You cannot sign in for now")).to_be_visible()
        expect(page.get_by_text("ask a governance officer to unlock your account")).to_be_visible()
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        # The governance officer, elsewhere, sees the lock and lifts it.
        page.set_extra_http_headers({"X-Forwarded-For": "198.51.100.7"})
        fill_sign_in(page, "governance", DEMO_PASSWORD)
        page.get_by_role("link", name="Sign-in locks").click()
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_role("button", name="Unlock dmpc").click()
        expect(page.get_by_text("dmpc can sign in again.")).to_be_visible()
        page.get_by_role("button", name=re.compile(r"^Sign out")).click()
        page.set_extra_http_headers({"X-Forwarded-For": "203.0.113.5"})
        fill_sign_in(page, "dmpc", DEMO_PASSWORD)
        page.get_by_role("heading", name="Your requests", level=1).wait_for()


def test_the_governance_officers_admin_page_grants_nothing(
    page: Any, demo: dict[Role, Any]
) -> None:
    from playwright.sync_api import expect

    with evidence_on_failure(page, "governance-admin-page"):
        governance = demo[Role.GOVERNANCE]
        fill_sign_in(page, "governance", DEMO_PASSWORD)
        page.get_by_role("heading", name="Your requests", level=1).wait_for()
        page.goto(f"/admin/auth/user/{governance.pk}/change/")
        expect(page.get_by_text("Roles (change them on the People page)")).to_be_visible()
        expect(page.get_by_text("Superuser status")).to_have_count(0)
        expect(page.get_by_label("Superuser status")).to_have_count(0)
        expect(page.get_by_label("Groups")).to_have_count(0)
        expect(page.get_by_role("button", name="Save")).to_have_count(0)
        # No form to set the password of this (or any) account: the admin's own "Change
        # password" link in the header is for one's own, which needs the old one.
        expect(page.locator(f'a[href$="/auth/user/{governance.pk}/password/"]')).to_have_count(0)
        assert page.goto(f"/admin/auth/user/{governance.pk}/password/").status == 403
        # The People page, where roles change, is a system administrator's.
        response = page.goto("/staff/people/")
        assert response is not None and response.status == 403
        after = get_user_model().objects.get(pk=governance.pk)
        assert not after.is_superuser
