"""The Content-Security-Policy in a real browser: every kind of page works under it (its scripts
run, its styles apply) and the browser reports no violation. The `page` fixture fails any test
whose pages log a CSP violation; this one walks the public pages, the staff pages, the annex pages
and the admin, and shows the detector catches an inline style.

Marked `browser`: skipped without /usr/bin/chromium, failing instead with PCD_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

from typing import Any

import pytest

from decisions.models import Decision
from decisions.roles import Role
from tests.test_browser import (  # noqa: F401 - fixtures
    TIMEOUT_MS,
    _plain_static_storage,
    demo,
    evidence_on_failure,
    page,
    sign_in,
    sign_out,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _scripts_ran(tab: Any) -> None:
    # body-class.js (a static file) ran, and the stylesheet applied: GOV.UK's font on the heading,
    # not the browser's default serif.
    classes = tab.evaluate("document.body.className")
    assert "js-enabled" in classes
    assert "govuk-frontend-supported" in classes
    font = tab.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font or "arial" in font.lower()


def test_every_kind_of_page_works_under_the_csp_without_a_violation(
    page: Any,  # noqa: F811 - the fixture
    demo: dict[Role, Any],  # noqa: F811 - the fixture
) -> None:
    draft = Decision.objects.filter(reference_number__isnull=True).first()
    assert draft is not None
    with evidence_on_failure(page, "csp-walk"):
        for url in ("/decisions/", "/decisions/pcd-279/", "/sign-in/"):
            response = page.goto(url)
            assert response is not None
            assert response.status == 200
            assert "'unsafe-inline'" not in response.headers["content-security-policy"]
            _scripts_ran(page)

        sign_in(page, "officer")
        for url in (
            "/staff/",
            f"/staff/requests/{draft.pk}/",
            f"/staff/requests/{draft.pk}/edit/summary/",
            f"/staff/requests/{draft.pk}/edit/recommendations/",
            f"/staff/requests/{draft.pk}/edit/public-access/",
            f"/staff/requests/{draft.pk}/annexes/",
        ):
            response = page.goto(url)
            assert response is not None
            assert response.status == 200, url
            assert "no-store" in response.headers["cache-control"]
            _scripts_ran(page)
        sign_out(page)

        sign_in(page, "governance")
        for url in ("/admin/", "/admin/auth/user/", "/admin/decisions/decision/"):
            response = page.goto(url)
            assert response is not None
            assert response.status == 200, url
        assert page.csp_violations == []

        # The detector works: an inline style, added as a template would, is refused and logged.
        page.goto("/decisions/")
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', "
            '\'<p id="styled" style="color: rgb(255, 0, 0)">x</p>\')'
        )
        page.wait_for_timeout(300)
        colour = page.evaluate("getComputedStyle(document.getElementById('styled')).color")
        assert colour != "rgb(255, 0, 0)"
        assert any("style-src" in message for message in page.csp_violations)
        page.csp_violations.clear()  # expected here; the fixture fails on any other
