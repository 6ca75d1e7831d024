"""The deploy tests share the browser tests' Chromium (Debian's, driven by Playwright)."""

from tests.browser.conftest import browser  # noqa: F401  (a fixture, used by name)
