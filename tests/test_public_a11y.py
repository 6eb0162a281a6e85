"""Every public page of the demo passes axe-core (WCAG 2.2 A and AA) in headless Chromium, at
1280 px and at 320 px, and none is wider than a 320 px screen (WCAG 1.4.10 Reflow): the register,
a search, a decision with ten finance tables and their charts, a decision without an annex, the
accessibility statement, contact, privacy and sign-in pages."""

from __future__ import annotations

from typing import Any

import pytest

from decisions.roles import Role
from tests.a11y import axe_violations, format_violations, overflowing
from tests.factories import approved_by_chief_executive, make_complete_draft, signed_off, submitted
from tests.test_browser import demo, evidence_on_failure, page  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC_PAGES = [
    "/decisions/",
    "/decisions/?q=budget",
    "/decisions/pcd-279/",
    "/decisions/pcd-280/",
    "/accessibility/",
    "/contact/",
    "/privacy/",
    "/sign-in/",
]


@pytest.mark.parametrize("width", [1280, 320])
def test_every_public_page_passes_axe_and_fits_the_screen(
    page: Any,  # noqa: F811
    demo: dict[Role, Any],  # noqa: F811
    width: int,
) -> None:
    # PCD 280: a published decision without a finance annex, beside PCD 279 with ten tables.
    draft = make_complete_draft(demo[Role.OFFICER], title="Safer Neighbourhood Boards 2019/20")
    decision = submitted(draft, demo[Role.OFFICER])
    decision = approved_by_chief_executive(decision, demo[Role.CHIEF_EXECUTIVE])
    signed_off(decision, demo[Role.DMPC])

    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for url in PUBLIC_PAGES:
        with evidence_on_failure(page, f"public-a11y-{width}-{url.strip('/').replace('/', '-')}"):
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            violations = axe_violations(page)
            if violations:
                problems.append(f"{url} at {width}px:\n{format_violations(violations)}")
            wide = overflowing(page)
            if wide:
                problems.append(f"{url} at {width}px is wider than the screen: {wide}")
    assert not problems, "\n\n".join(problems)
