"""Sign-in and security in a real browser, with Chromium's virtual authenticator: the demo's Chief
Executive finds the page in the navigation, confirms it is them, adds a passkey, renames it,
makes new backup codes and removes the passkey. Each page, and the rename page's error, passes
axe-core (WCAG 2.2 AA) and fits a 320 px screen (these pages are under /account/, which the
crawl of tests/test_staff_pages_a11y.py does not follow)."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecondFactorChange
from decisions.roles import Role
from demo.loader import DEMO_BACKUP_CODES
from tests.a11y import axe_violations, format_violations, overflowing
from tests.accounts.test_passkeys_browser import virtual_authenticator
from tests.test_browser import (
    evidence_on_failure,
    pass_second_factor,
    sign_in,
    sign_out,
    success,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def accessible(page: Any, faults: list[str]) -> None:
    """axe-core at 1280 px and 320 px, and nothing wider than a 320 px screen."""
    name = page.url
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        if violations:
            faults.append(f"{name} at {width} px: {format_violations(violations)}")
    too_wide = overflowing(page)
    if too_wide:
        faults.append(f"{name} at 320 px is too wide: {too_wide}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_chief_executive_manages_their_passkeys_and_backup_codes(
    page: Any, demo: dict[Role, Any], live_server: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    chief = demo[Role.CHIEF_EXECUTIVE]
    faults: list[str] = []
    with evidence_on_failure(page, "sign-in-and-security"):
        virtual_authenticator(page)
        page.set_viewport_size({"width": 1280, "height": 900})
        sign_in(page, chief.username)
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Sign-in and security"
        ).click()
        expect(page.get_by_role("heading", name="Sign-in and security", level=1)).to_be_visible()
        expect(page.get_by_text("You have no passkeys.")).to_be_visible()
        accessible(page, faults)

        # Adding a passkey asks first for the second factor, then comes back here.
        page.get_by_role("button", name="Add a passkey").click()
        pass_second_factor(page, DEMO_BACKUP_CODES[1])
        expect(page.get_by_role("heading", name="Sign-in and security", level=1)).to_be_visible()
        page.get_by_role("button", name="Add a passkey").click()
        success(page, "Your passkey is set up.")
        card = page.locator(".govuk-summary-card", has_text="Passkey 1")
        expect(card).to_contain_text("Not used yet")
        accessible(page, faults)

        # Rename it: an empty name is an error, in the Design System's way.
        page.get_by_role("link", name="Rename Passkey 1").click()
        page.get_by_label("Passkey name").fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the passkey")
        assert page.title().startswith("Error: ")
        accessible(page, faults)
        page.get_by_label("Passkey name").fill("Work laptop")
        page.get_by_role("button", name="Save").click()
        success(page, "Passkey renamed to ‘Work laptop’.")

        # New backup codes: a confirmation, then the codes, shown once.
        page.get_by_role("link", name="Make new backup codes").click()
        expect(page.get_by_role("heading", name="Make new backup codes")).to_be_visible()
        accessible(page, faults)
        page.get_by_role("button", name="Make new backup codes").click()
        expect(page.get_by_role("heading", name="You have new backup codes")).to_be_visible()
        codes = page.locator("#backup-codes li").all_inner_texts()
        assert len(codes) == 10 and DEMO_BACKUP_CODES[2] not in codes
        accessible(page, faults)
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#backup-codes-left")).to_have_text("10")

        # Remove the passkey (the demo's authenticator app is left, so it may go).
        page.get_by_role("link", name="Remove Work laptop").click()
        expect(
            page.get_by_role("heading", name="Are you sure you want to remove this passkey?")
        ).to_be_visible()
        accessible(page, faults)
        page.get_by_role("button", name="Yes, remove this passkey").click()
        success(page, "Passkey ‘Work laptop’ removed.")
        expect(page.get_by_text("You have no passkeys.")).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("Passkey removed: “Work laptop”")

        # An officer, with no second factor, is told what to do first.
        sign_out(page)
        sign_in(page, demo[Role.OFFICER].username)
        page.goto("/account/security/backup-codes/new/")
        expect(page.get_by_role("heading", name="You cannot make backup codes yet")).to_be_visible()
        accessible(page, faults)

    assert not WebAuthnCredential.objects.filter(user=chief).exists()
    assert list(
        SecondFactorChange.objects.filter(person=chief)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["passkey_added", "passkey_renamed", "backup_codes_made", "passkey_removed"]
    assert not faults, "\n".join(faults)
