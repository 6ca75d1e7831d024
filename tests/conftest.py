"""Fixtures shared across test folders.

`browser`: one headless Debian Chromium (Playwright's sync API) for the whole session. The browser and deploy tests
both use it: a second sync Playwright started while the first one's event loop runs fails ("Sync API inside the
asyncio loop"), so there is one definition, here.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
