"""The accessibility tools the page tests rely on find what they must: axe-core's WCAG 2.2 AA
violations, and what sticks out sideways of a 320 px viewport (WCAG 1.4.10, Reflow)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.a11y import axe_violations, format_violations, overflowing
from tests.test_browser import page  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HASH = "68c23e881c4e913d033184e8c668cf59af3f7db341e78971c531e9e9d3c169b6"
BROKEN = f"""<!doctype html><html lang="en-GB"><head><title>Broken</title></head><body>
<main><h1>A page with faults</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<table><tr><th scope="col">SHA-256</th></tr><tr><td><code>{HASH}</code></td></tr></table>
</main></body></html>"""
FIXED = f"""<!doctype html><html lang="en-GB"><head><title>Fixed</title>
<style>code {{ overflow-wrap: anywhere; }}</style></head><body>
<main><h1>A page without faults</h1>
<img alt="A dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<table><tr><th scope="col">SHA-256</th></tr><tr><td><code>{HASH}</code></td></tr></table>
</main></body></html>"""


def test_axe_and_the_reflow_check_find_the_faults_and_pass_the_fixed_page(
    page: Any,  # noqa: F811 - the fixture
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(BROKEN)
    found = axe_violations(page)
    assert "image-alt" in {v["id"] for v in found}, format_violations(found)
    too_wide = overflowing(page)
    assert any("table" in line for line in too_wide), too_wide

    page.set_content(FIXED)
    assert axe_violations(page) == []
    assert overflowing(page) == []
