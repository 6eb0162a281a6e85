"""Write fast, lose nothing, in a real browser (headless Chromium through Playwright, as in
tests/test_browser.py): the writing pages ask before a page with unsaved changes is left
(assets/js/unsaved.mjs), and the page that takes a whole section as one text numbers its
paragraphs as they are typed (assets/js/paragraph-numbers.mjs).

Marked `browser`: skipped without /usr/bin/chromium, failing instead with PCD_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from decisions.models import Decision, Paragraph
from decisions.roles import Role
from tests.factories import SUMMARY, make_complete_draft
from tests.test_browser import (  # noqa: F401 - fixtures
    TIMEOUT_MS,
    _plain_static_storage,
    demo,
    evidence_on_failure,
    page,
    sign_in,
    success,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TYPED = " Each board reports to the DMPC each quarter."


@pytest.fixture
def draft(demo: dict[Role, Any]) -> Decision:  # noqa: F811 - the fixture
    return make_complete_draft(demo[Role.OFFICER], title="Boards funding")


class Dialogs:
    """Every dialog the page opens, answered "Stay on page" (dismissed) unless `leave` is set."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.leave = False

    def answer(self, dialog: Any) -> None:
        self.seen.append(dialog.type)
        if self.leave:
            dialog.accept()
        else:
            dialog.dismiss()


@pytest.fixture
def dialogs(page: Any) -> Dialogs:  # noqa: F811 - the fixture
    log = Dialogs()
    page.on("dialog", log.answer)
    return log


def _open_summary(page: Any, draft: Decision) -> Any:  # noqa: F811 - named as the fixture
    sign_in(page, "officer")
    page.goto(reverse("staff:edit_summary", args=[draft.pk]))
    return page.get_by_label("Executive summary")


def _type_into(page: Any, field: Any, text: str) -> None:  # noqa: F811 - named as the fixture
    # Typed key by key, as a person types: Chrome asks before leaving only a page the person
    # has used (a "user activation"); a value set by a script would not count.
    field.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_leaving_a_page_with_unsaved_changes_asks_first_and_staying_keeps_them(
    page: Any,  # noqa: F811 - the fixture
    draft: Decision,
    dialogs: Dialogs,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with evidence_on_failure(page, "unsaved-stay"):
        summary = _open_summary(page, draft)
        url = page.url
        _type_into(page, summary, TYPED)

        with page.expect_event("dialog"):
            page.get_by_role("link", name="Cancel").click()

        assert dialogs.seen == ["beforeunload"]
        expect(page.get_by_role("heading", name="Title and executive summary")).to_be_visible()
        assert page.url == url  # stayed on the page
        expect(summary).to_have_value(SUMMARY + TYPED)

        # Asked again, and this time "Leave" leaves; nothing was saved.
        dialogs.leave = True
        with page.expect_event("dialog"):
            page.get_by_role("link", name="Cancel").click()
        page.locator("#status").wait_for()
        assert dialogs.seen == ["beforeunload", "beforeunload"]
    assert Decision.objects.get(pk=draft.pk).executive_summary == SUMMARY


def test_saving_leaves_without_asking(
    page: Any,  # noqa: F811 - the fixture
    draft: Decision,
    dialogs: Dialogs,
) -> None:
    with evidence_on_failure(page, "unsaved-save"):
        summary = _open_summary(page, draft)
        _type_into(page, summary, TYPED)
        page.get_by_role("button", name="Save").click()
        success(page, "Title and executive summary saved.")

    assert dialogs.seen == []
    assert Decision.objects.get(pk=draft.pk).executive_summary == SUMMARY + TYPED


def test_leaving_a_page_with_nothing_changed_does_not_ask(
    page: Any,  # noqa: F811 - the fixture
    draft: Decision,
    dialogs: Dialogs,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with evidence_on_failure(page, "unsaved-unchanged"):
        summary = _open_summary(page, draft)
        # The page is used, so Chrome could ask; but what was typed is taken back, so nothing
        # has changed and it must not.
        _type_into(page, summary, "x")
        page.keyboard.press("Backspace")
        expect(summary).to_have_value(SUMMARY)
        page.get_by_role("link", name="Cancel").click()
        page.locator("#status").wait_for()

    assert dialogs.seen == []
    assert re.search(rf"/staff/requests/{draft.pk}/$", page.url)


def test_a_form_shown_again_with_errors_still_asks_before_leaving(
    page: Any,  # noqa: F811 - the fixture
    draft: Decision,
    dialogs: Dialogs,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with evidence_on_failure(page, "unsaved-errors"):
        summary = _open_summary(page, draft)
        _type_into(page, summary, TYPED)
        page.get_by_label("Title", exact=True).fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text("Enter a title")
        # The page now holds what was typed, and none of it is saved.
        expect(summary).to_have_value(SUMMARY + TYPED)

        with page.expect_event("dialog"):
            page.get_by_role("link", name="Cancel").click()
        assert dialogs.seen == ["beforeunload"]
        expect(summary).to_have_value(SUMMARY + TYPED)

    assert Decision.objects.get(pk=draft.pk).executive_summary == SUMMARY


def test_a_section_typed_as_one_text_shows_its_paragraph_numbers_as_it_is_typed(
    page: Any,  # noqa: F811 - the fixture
    draft: Decision,
    dialogs: Dialogs,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with evidence_on_failure(page, "section-numbers"):
        sign_in(page, "officer")
        page.goto(reverse("staff:edit_section_text", args=[draft.pk, 2]))
        numbers = page.locator(".govuk-inset-text").filter(has_text="This section will have")
        count = numbers.locator("[aria-live=polite]")
        # What is saved now: one paragraph, its list included.
        expect(count).to_have_text("This section will have 1 paragraph:")
        expect(numbers.get_by_role("listitem")).to_have_text(
            ["2.1 Four boroughs bid for grants: - Hackney £400,000 …"]
        )

        text = page.get_by_label("The whole section")
        text.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        expect(count).to_have_text("This section will have no paragraphs.")
        expect(numbers.get_by_role("listitem")).to_have_count(0)

        # A sub-list stays in its paragraph; a line of spaces is a blank line.
        page.keyboard.type("Each borough reports:\n(a) spend;\n(b) outcomes.\n   \nThe second one.")
        expect(count).to_have_text("This section will have 2 paragraphs:")
        expect(numbers.get_by_role("listitem")).to_have_text(
            ["2.1 Each borough reports: (a) spend; (b) outcomes.", "2.2 The second one."]
        )

        # What the page showed is what the server saves.
        page.get_by_role("button", name="Save section").click()
        success(page, "Issues for consideration saved: 2 paragraphs.")

    assert dialogs.seen == []
    saved = Paragraph.objects.filter(decision=draft, section__number=2).order_by("position")
    assert [p.text for p in saved] == [
        "Each borough reports:\n(a) spend;\n(b) outcomes.",
        "The second one.",
    ]
