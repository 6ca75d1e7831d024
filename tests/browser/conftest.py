"""A real Streamlit server on a free loopback port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server() -> str:
    if os.environ.get("CDI_SKIP_BROWSER") == "1":
        pytest.skip("CDI_SKIP_BROWSER=1")
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "server.log", "w") as log:
        yield from _serve(port, log)


def _serve(port: int, log, env: dict | None = None):
    """Start `streamlit run app.py` on the port, wait for its health check, yield its URL, stop it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the Streamlit server did not become healthy within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for_app(page, timeout_ms: int = 60_000, settle_ms: int = 1500) -> None:
    """Wait until the script run has finished and its elements are drawn: the app is mounted, the 'running' status
    widget is gone, no element is stale or still shows its loading skeleton (Streamlit loads each element's code
    lazily), and the number of elements has not changed for `settle_ms` (the status widget appears only after a
    moment, so a busy machine can look idle between two elements of one run)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]',
                           timeout=timeout_ms)
    page.wait_for_function(
        """(settle) => {
             const ready = !document.querySelector('[data-testid="stStatusWidget"]')
               && document.querySelectorAll('[data-stale="true"]').length === 0
               && !document.querySelector('[data-testid="stSkeleton"]');
             const n = document.querySelectorAll('[data-testid="stElementContainer"]').length;
             const now = Date.now();
             if (!ready || window.__cdiCount !== n) { window.__cdiCount = n; window.__cdiSince = now; return false; }
             return now - window.__cdiSince >= settle;
           }""", arg=settle_ms, polling=250, timeout=timeout_ms)
    page.wait_for_timeout(300)  # charts and maps settle
