"""A new user's day, in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright against the live server, with the PCD 279 demo loaded.

Every step finds what it clicks or fills by its role and accessible name, or by its label, as a
keyboard or screen-reader user would: a control without a label cannot be found, and fails here.

Without /usr/bin/chromium these tests are skipped, with the reason; with PCD_REQUIRE_SERVICES=1
(CI sets it) they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from decisions.models import Decision
from decisions.roles import Role
from decisions.states import Status
from demo.loader import DEMO_BACKUP_CODES, DEMO_PASSWORD, load_demo
from tests.factories import make_complete_draft
from tests.pages.helpers import use_plain_static_storage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
ARTEFACTS = Path(__file__).resolve().parent.parent / "test-results"

TITLE = "Safer Neighbourhood Boards funding 2019/20"
SUMMARY = "The DMPC is asked to approve £1m of funding for the Safer Neighbourhood Boards."
BACKGROUND = "Safer Neighbourhood Boards bring local people and the police together."
ISSUE = "Each of the 32 boards may bid for up to £31,250 for local crime prevention projects."
NOTE = "Note the work of the boards in 2018/19."
APPROVE = "Approve the funding set out in {paragraphs}."
INSERTED = "The boards were reviewed in 2018; the review recommended continued funding."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("PCD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}; PCD_REQUIRE_SERVICES=1 forbids skipping it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    use_plain_static_storage(settings)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> dict[Role, Any]:
    """The demo users (password DEMO_PASSWORD), PCD 279 published, and the demo draft."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls, so Django may allow them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    users, pcd_279, _ = load_demo()
    assert pcd_279.status == Status.PUBLISHED
    return users


@pytest.fixture
def page(live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            tab = context.new_page()
            # Every message the browser logs about the Content-Security-Policy (a blocked inline
            # script or style, a blocked origin) fails the test that caused it.
            violations: list[str] = []
            tab.on(
                "console",
                lambda message: (
                    violations.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            tab.csp_violations = violations
            yield tab
            context.close()
            assert violations == [], "The page broke its Content-Security-Policy"
        finally:
            browser.close()


@contextlib.contextmanager
def evidence_on_failure(page: Any, name: str) -> Iterator[None]:
    """On failure, keep a screenshot and the HTML of the page in test-results/."""
    try:
        yield
    except BaseException:
        ARTEFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
            (ARTEFACTS / f"{name}.html").write_text(page.content())
        raise


def sign_in(page: Any, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your requests", level=1).wait_for()


def pass_second_factor(page: Any, code: str) -> None:
    """The Chief Executive, the DMPC and governance are asked, before they sign, for a code."""
    page.get_by_role("heading", name="Confirm it is you", level=1).wait_for()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.get_by_role("heading", name="You have signed out", level=1).wait_for()


def success(page: Any, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    banner.filter(has_text=text).wait_for()


def open_task(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()


def back_to_request(page: Any) -> None:
    page.get_by_role("link", name="Back to the request").click()
    page.locator("#status").wait_for()


def test_a_request_from_first_draft_to_publication(page: Any, demo: dict[Role, Any]) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with evidence_on_failure(page, "browser-full-flow"):
        # The originating officer drafts the request.
        sign_in(page, "officer")
        page.get_by_role("button", name="Draft a new request").click()
        page.get_by_label("Title", exact=True).fill(TITLE)
        page.get_by_role("button", name="Create draft").click()
        success(page, "Draft created.")
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()

        open_task(page, "Title and executive summary")
        page.get_by_label("Executive summary").fill(SUMMARY)
        page.get_by_role("button", name="Save").click()
        success(page, "Title and executive summary saved.")

        open_task(page, "Part I, 1. Introduction and background")
        page.get_by_label("Paragraph", exact=True).fill(BACKGROUND)
        page.get_by_role("button", name="Add paragraph").click()
        success(page, "Paragraph added.")
        expect(page.get_by_role("heading", name="Paragraph 1.1")).to_be_visible()
        back_to_request(page)

        open_task(page, "Part I, 2. Issues for consideration")
        page.get_by_label("Paragraph", exact=True).fill(ISSUE)
        page.get_by_role("button", name="Add paragraph").click()
        success(page, "Paragraph added.")
        expect(page.get_by_role("heading", name="Paragraph 2.1")).to_be_visible()
        back_to_request(page)

        open_task(page, "Recommendations")
        page.get_by_label("The DMPC is asked to").fill(NOTE)
        page.get_by_role("button", name="Add recommendation").click()
        success(page, "Recommendation added.")
        page.get_by_label("The DMPC is asked to").fill(APPROVE)
        page.get_by_label(re.compile(r"2\.1 Each of the 32 boards")).check()
        page.get_by_role("button", name="Add recommendation").click()
        success(page, "Recommendation added.")
        expect(page.get_by_text("Approve the funding set out in paragraph 2.1.")).to_be_visible()
        back_to_request(page)

        open_task(page, "Public access to information")
        deferred = page.get_by_role(
            "group", name="Is the publication of Part 1 of this approval to be deferred?"
        )
        deferred.get_by_label("No", exact=True).check()
        page.get_by_role("group", name="Is there a Part 2 form?").get_by_label(
            "No", exact=True
        ).check()
        page.get_by_role("button", name="Save").click()
        success(page, "Public access answers saved.")

        # Financial, Legal and Equality comments must be written or say so explicitly.
        for number, name in ((3, "Financial"), (4, "Legal"), (5, "Equality")):
            open_task(page, f"Part I, {number}. {name} comments")
            page.get_by_role("button", name="No comments").click()
            success(page, "“No comments” recorded.")

        open_task(page, "Originating officer declaration")
        declaration = page.get_by_role("group", name="Tick to confirm each statement")
        boxes = declaration.get_by_role("checkbox")
        expect(boxes).to_have_count(4)
        for index in range(boxes.count()):
            boxes.nth(index).check()
        page.get_by_role("button", name="Save").click()
        success(page, "Declaration saved.")
        expect(page.locator("#problems")).to_have_count(0)

        page.get_by_role("button", name="Submit for approval").click()
        expect(page.get_by_role("heading", name="Submit for approval", level=1)).to_be_visible()
        page.get_by_role("button", name="Submit for approval").click()
        success(page, "Submitted as PCD 280. The Chief Executive has been told.")
        sign_out(page)

        # The Chief Executive approves it.
        sign_in(page, "chief-executive")
        waiting = page.get_by_role("table", name="Awaiting your action")
        waiting.get_by_role("link", name=f"PCD 280: {TITLE}").click()
        page.get_by_role("button", name="Approve").click()
        pass_second_factor(page, DEMO_BACKUP_CODES[0])
        page.get_by_label("I confirm the statement above").check()
        page.get_by_role("button", name="Approve").click()
        success(page, "Approved. PCD 280 now awaits the DMPC's sign-off.")
        sign_out(page)

        # The DMPC signs it off.
        sign_in(page, "dmpc")
        waiting = page.get_by_role("table", name="Awaiting your action")
        waiting.get_by_role("link", name=f"PCD 280: {TITLE}").click()
        page.get_by_role("button", name="Sign off").click()
        pass_second_factor(page, DEMO_BACKUP_CODES[0])
        page.get_by_label("No, I have no interest to declare").check()
        page.get_by_label("The above request has my approval").check()
        page.get_by_role("button", name="Sign off").click()
        success(page, "PCD 280 is signed off. It is published.")
        sign_out(page)

        # The public reads it.
        page.goto("/decisions/")
        register = page.get_by_role("list").filter(has_text="PCD 279")
        expect(register.get_by_role("link", name=f"PCD 280: {TITLE}")).to_be_visible()
        expect(register.get_by_role("link", name=re.compile(r"^PCD 279: "))).to_be_visible()
        register.get_by_role("link", name=f"PCD 280: {TITLE}").click()
        expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
        recommendations = page.locator("#recommendations + p + ol")
        expect(recommendations.get_by_role("listitem")).to_have_text(
            [NOTE, "Approve the funding set out in paragraph 2.1."]
        )
        expect(
            page.get_by_text("Sophie Linden, Deputy Mayor for Policing and Crime")
        ).to_be_visible()
        expect(page.get_by_text("R. Lawrence, Chief Executive")).to_be_visible()

    decision = Decision.objects.get(reference_number=280)
    assert decision.status == Status.PUBLISHED
    assert decision.author == demo[Role.OFFICER]


def test_inserting_a_paragraph_renumbers_the_recommendation_that_cites_it(
    page: Any, demo: dict[Role, Any]
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    draft = make_complete_draft(demo[Role.OFFICER], title=TITLE)
    with evidence_on_failure(page, "browser-insert-paragraph"):
        sign_in(page, "officer")
        drafts = page.get_by_role("table", name="Your drafts")
        drafts.get_by_role("link", name=TITLE).click()
        expect(page.get_by_text("Approve the grants set out in paragraph 2.1.")).to_have_count(1)

        open_task(page, "Part I, 2. Issues for consideration")
        page.get_by_label("Paragraph", exact=True).fill(INSERTED)
        page.get_by_label("Where should it go?").select_option(label="Before paragraph 2.1")
        page.get_by_role("button", name="Add paragraph").click()
        success(page, "Paragraph added.")
        first = page.get_by_role("heading", name="Paragraph 2.1")
        expect(first).to_be_visible()
        expect(page.locator(".govuk-summary-card").first).to_contain_text(INSERTED)

        back_to_request(page)
        open_task(page, "Recommendations")
        expect(page.get_by_text("Approve the grants set out in paragraph 2.2.")).to_be_visible()
        expect(page.get_by_text("paragraph 2.1")).to_have_count(0)

    # Two in section 2, one in section 1, and "No comments." in sections 3 to 5.
    assert Decision.objects.get(pk=draft.pk).paragraphs.count() == 6
