"""Fixtures shared across test folders, and the test tiers.

Tiers (markers registered in pyproject.toml, applied here so no test file carries them): every test under tests/app
is `apptest`, tests/browser `browser`, tests/deploy `deploy`; every test in a file named test_*_fuzz.py is `fuzz`;
the tests named in SLOW are `slow`. The fast tier is what none of them mark (`bash scripts/test.sh --fast`);
tests/supply/test_tiers.py checks that no page, browser or deploy test lands in it.

`CDI_TEST_HALF=1` collects only the folders in HALF_ONE, `CDI_TEST_HALF=2` only the others, neither the page, browser
and deploy folders: the fast command runs the two halves side by side, one per core (whole folders, so a module
fixture is built once; ~50 s of test time each, measured 2026-12).

`browser`: one headless Debian Chromium (Playwright's sync API) for the whole session. The browser and deploy tests
both use it: a second sync Playwright started while the first one's event loop runs fails ("Sync API inside the
asyncio loop"), so there is one definition, here.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest

# Every memoised view-model result is re-fingerprinted on each hit, in every tier: a page, view or test that changes
# a shared result in place fails with MemoMutated (explorer.perf.memo).
os.environ.setdefault("CDI_MEMO_CHECK", "1")

FOLDER_TIERS = {"app": "apptest", "browser": "browser", "deploy": "deploy"}
TIERS = ("apptest", "browser", "deploy", "fuzz", "slow")

# Tests over ~5 s that a quick check can leave to CI, with why (seconds measured on the 2-core machine, 2026-12).
SLOW = {
    "tests/explorer/test_publish.py::test_the_live_app_never_imports_explorer_publish":
        "every page through the entry point in a fresh interpreter (~8 s)",
    "tests/core/test_build.py::test_check_reports_stale_outputs":
        "three full builds (~9 s); the fast tier's test_committed_outputs_match_a_fresh_build runs check()",
    "tests/core/test_build.py::test_build_is_deterministic":
        "two full builds (~6 s); the fast tier compares a fresh build with the committed index",
    "tests/reliability/test_release_gate.py::test_the_same_inputs_and_a_fresh_folder_pass":
        "two full builds (~6 s)",
}

HALF_ONE = ("tests/sources/", "tests/explorer/", "tests/i18n/")


def tier_of(nodeid: str) -> str | None:
    """The tier marker a test gets from its folder or file name, or from SLOW; None for the fast tier."""
    path = nodeid.split("::")[0]
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in FOLDER_TIERS:
        return FOLDER_TIERS[parts[1]]
    if parts[-1].startswith("test_") and parts[-1].endswith("_fuzz.py"):
        return "fuzz"
    if nodeid.split("[")[0] in SLOW:
        return "slow"
    return None


def _half() -> str | None:
    half = os.environ.get("CDI_TEST_HALF") or None
    if half not in (None, "1", "2"):
        raise pytest.UsageError(f"CDI_TEST_HALF={half!r}: 1 or 2")
    return half


def pytest_ignore_collect(collection_path, config):
    half = _half()
    if not half:
        return None
    try:
        parts = collection_path.relative_to(config.rootpath).parts
    except ValueError:
        return None
    if len(parts) < 2 or parts[0] != "tests":
        return None
    if parts[1] in FOLDER_TIERS:
        return True
    return (f"tests/{parts[1]}/" in HALF_ONE) != (half == "1")


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item.nodeid)
        if tier:
            item.add_marker(getattr(pytest.mark, tier))
    half = _half()
    if half:
        keep = [item for item in items if item.nodeid.startswith(HALF_ONE) == (half == "1")]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep


_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    tier = next((t for t in TIERS if t in report.keywords), "fast")
    _seconds[tier] += report.duration


def pytest_terminal_summary(terminalreporter):
    if _seconds:
        line = ", ".join(f"{t} {s:.0f} s" for t, s in sorted(_seconds.items(), key=lambda kv: -kv[1]))
        terminalreporter.write_line(f"time by tier (setup + call + teardown): {line}")


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
