"""The documents panel in a real browser: a queued PDF becomes ready on the request's page, without
a reload, when a worker finishes it.

Marked `browser`: skipped without /usr/bin/chromium, and failing instead with
PCD_REQUIRE_SERVICES=1 (CI).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from decisions.models import Decision
from decisions.states import Status
from documents import services
from documents.models import DocumentKind, DocumentState, RenderedDocument
from tests.test_browser import TIMEOUT_MS, evidence_on_failure, page  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _plain_static(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.pages.helpers import use_plain_static_storage

    use_plain_static_storage(settings)
    # Playwright's sync API runs an event loop in this thread; the ORM calls made between
    # browser steps are plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_queued_pdf_shows_as_ready_without_a_reload(
    page: Any,  # noqa: F811 - the fixture
    live_server: Any,
    officer: Any,
    make_decision: Callable[[Status], Decision],
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    decision = make_decision(Status.PUBLISHED)  # (its PDFs rendered at once: eager tasks)
    public = RenderedDocument.objects.get(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    # As if the worker had not got to it yet.
    RenderedDocument.objects.filter(pk=public.pk).update(
        state=DocumentState.QUEUED, pdf="", pdf_sha256="", pages=None
    )
    with evidence_on_failure(page, "documents-panel"):
        page.goto("/sign-in/")
        page.get_by_label("User name").fill(officer.username)
        page.get_by_label("Password").fill("a-long-test-password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Your requests", level=1).wait_for()
        page.goto(reverse("staff:decision", args=[decision.pk]))
        panel = page.locator("#documents")
        row = panel.get_by_role("row", name="Public decision pack")
        expect(row).to_contain_text("Queued")
        page.evaluate("window.__notReloaded = true")

        services.render_now(public)  # the worker finishes it

        expect(row.get_by_role("link", name="Open the public decision pack")).to_be_visible()
        expect(row).to_contain_text("Ready")
        assert page.evaluate("window.__notReloaded === true")
        expect(panel.locator("[data-documents-refresh]")).to_be_hidden()
