"""The browser fixtures of tests/test_browser.py (Chromium, the demo), for the register's own
browser tests."""

from tests.test_browser import demo, page  # noqa: F401 - fixtures
