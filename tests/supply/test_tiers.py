"""The fast tier (`bash scripts/test.sh --fast`) holds no page, browser, deploy or fuzz test: the tiers come from the
folder and file name (tests/conftest.py), so a new file under tests/app, tests/browser or tests/deploy is marked
without anyone remembering to, and every test named slow still exists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SLOW, tier_of

ROOT = Path(__file__).resolve().parents[2]
FAST = "not apptest and not browser and not deploy and not fuzz and not slow"


def test_the_fast_tier_has_no_page_browser_deploy_or_fuzz_test():
    """Collect the folders with tiers as the fast command does: every test under them must be deselected."""
    folders = ["tests/app", "tests/browser", "tests/deploy", "tests/reliability"]
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-o", "addopts=--strict-markers",
                           "-p", "no:cacheprovider", "-m", FAST, *folders],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k != "CDI_TEST_HALF"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    fast = [line for line in done.stdout.splitlines() if line.startswith("tests/")]
    assert any(n.startswith("tests/reliability/") for n in fast), done.stdout[-2000:]
    leaked = [n for n in fast if n.startswith(("tests/app/", "tests/browser/", "tests/deploy/")) or tier_of(n)]
    assert leaked == []
    for folder in folders[:3]:
        assert list((ROOT / folder).glob("test_*.py")), f"no test file under {folder}"


def test_every_test_named_slow_exists():
    for nodeid in SLOW:
        path, name = nodeid.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), nodeid


def test_a_new_file_gets_its_tier_from_its_folder_or_name():
    assert tier_of("tests/app/test_new_page.py::test_x") == "apptest"
    assert tier_of("tests/browser/test_new.py::test_x[desktop]") == "browser"
    assert tier_of("tests/deploy/test_new.py::test_x") == "deploy"
    assert tier_of("tests/reliability/test_links_fuzz.py::test_x") == "fuzz"
    assert tier_of("tests/core/test_build.py::test_build_is_deterministic") == "slow"
    assert tier_of("tests/core/test_new.py::test_x") is None
    assert tier_of("tests/explorer/test_apply.py::test_x") is None
