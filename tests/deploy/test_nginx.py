"""The shipped nginx configuration (deploy/nginx/cdi-explorer.conf), checked by nginx itself and then run for real
on loopback in front of two Streamlit replicas: the health check, a snapshot served from disk with its no-script
policy, and page sessions of the Streamlit websocket protocol through the balancer."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.st_client import burst, free_port, start_server, stop_server
from benchmarks.st_client import shipped_nginx_conf as local_conf

REPO = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def balancer(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install nginx (scripts/test.sh does it)")
    tmp = tmp_path_factory.mktemp("nginx")
    replicas, listen = [free_port(), free_port()], free_port()
    conf = local_conf(tmp, listen, replicas)
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with open(tmp / "replicas.log", "w") as log:
        servers = [start_server(p, log) for p in replicas]
        proxy = subprocess.Popen([NGINX, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            yield listen
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)
            for s in servers:
                stop_server(s)


def test_health_check_passes_through(balancer):
    with urllib.request.urlopen(f"http://127.0.0.1:{balancer}/_stcore/health", timeout=5) as r:
        assert r.status == 200 and r.read().strip() == b"ok"


def test_snapshots_come_from_disk_with_a_no_script_policy(balancer):
    with urllib.request.urlopen(f"http://127.0.0.1:{balancer}/app/static/snapshots/city/budapest.html",
                                timeout=5) as r:
        body = r.read().decode("utf-8")
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert body == (REPO / "static" / "snapshots" / "city" / "budapest.html").read_text(encoding="utf-8")


def test_page_sessions_run_through_the_balancer(balancer):
    # in a thread of its own: Playwright's sync API (the browser tests' session fixture) keeps an event loop
    # running in the main thread, where asyncio.run() refuses to start another
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run, burst([balancer], 6, "city", "city=budapest", timeout=120)).result()
    assert not result["errors"], result["errors"]
    assert len(result["seconds"]) == 6
