"""The shipped nginx configuration (deploy/nginx/cdi-explorer.conf), checked by nginx itself and then run for real
on loopback, with TLS (a throw-away certificate) and the plain-HTTP redirect, in front of two Streamlit replicas:
the health check, a snapshot served from disk with its no-script policy, page sessions of the Streamlit websocket
protocol through the balancer, the closed endpoints (uploads, metrics), the body cap and the security headers on
every response."""

from __future__ import annotations

import asyncio
import http.client
import shutil
import ssl
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.st_client import burst, free_port, one_session, start_server, stop_server
from benchmarks.st_client import shipped_nginx_conf as local_conf
from tests.browser.conftest import wait_for_app

REPO = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


INSECURE = ssl.create_default_context()
INSECURE.check_hostname, INSECURE.verify_mode = False, ssl.CERT_NONE


class Balancer:
    """The running nginx: its HTTPS port, its plain-HTTP port and the replicas' ports."""

    def __init__(self, tls: int, plain: int, replicas: list[int]) -> None:
        self.tls, self.plain, self.replicas = tls, plain, replicas

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                tls: bool = True) -> tuple[int, dict, bytes]:
        """One request as a client sends it (no redirects followed): status, headers (lower-case), body."""
        conn = (http.client.HTTPSConnection("127.0.0.1", self.tls, context=INSECURE, timeout=10) if tls
                else http.client.HTTPConnection("127.0.0.1", self.plain, timeout=10))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def balancer(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install nginx (scripts/test.sh does it)")
    tmp = tmp_path_factory.mktemp("nginx")
    replicas, listen, tls = [free_port(), free_port()], free_port(), free_port()
    conf = local_conf(tmp, listen, replicas, tls_listen=tls)
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with open(tmp / "replicas.log", "w") as log:
        servers = [start_server(p, log) for p in replicas]
        proxy = subprocess.Popen([NGINX, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"https://127.0.0.1:{tls}/_stcore/health", timeout=2, context=INSECURE)
                    break
                except OSError:
                    time.sleep(0.2)
            yield Balancer(tls, listen, replicas)
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)
            for s in servers:
                stop_server(s)


def test_health_check_passes_through(balancer):
    status, _, body = balancer.request("GET", "/_stcore/health")
    assert status == 200 and body.strip() == b"ok"


def test_snapshots_come_from_disk_with_a_no_script_policy(balancer):
    status, headers, raw = balancer.request("GET", "/app/static/snapshots/city/budapest.html")
    body = raw.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in headers["content-security-policy"]
    assert body == (REPO / "static" / "snapshots" / "city" / "budapest.html").read_text(encoding="utf-8")


def test_page_sessions_run_through_the_balancer(balancer):
    # in a thread of its own: Playwright's sync API (the browser tests' session fixture) keeps an event loop
    # running in the main thread, where asyncio.run() refuses to start another
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run,
                             burst([balancer.tls], 6, "city", "city=budapest", timeout=120, tls=True)).result()
    assert not result["errors"], result["errors"]
    assert len(result["seconds"]) == 6


# --- hardening: closed endpoints, capped bodies, security headers ---------------------------------------------------

XSRF = "2|00000000|00112233445566778899aabbccddeeff|1700000000"  # any well-formed token: cookie and header agree


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "cdiboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"UploadedFile\"; filename=\"x.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    body += b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _upload_in_a_live_session(port: int, tls: bool, send, sizes=(100, 1024 * 1024 - 300)) -> list[int]:
    """Open a real page session on `port`, then PUT files of `sizes` bytes to the upload endpoint as that session,
    with a forged but consistent XSRF cookie and header (what any client can do); returns the HTTP statuses."""

    async def run() -> int:
        keep, hold, ran = [], asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(one_session(port, "city", "city=budapest", timeout=120, hold=hold, keep=keep,
                                               on_run_finished=ran.set, tls=tls))
        await asyncio.wait_for(ran.wait(), 120)
        sid = next(m.new_session.initialize.session_id for m in keep if m.WhichOneof("type") == "new_session")
        statuses = []
        for i, size in enumerate(sizes):
            body, ctype = _multipart(size)
            statuses.append(await asyncio.to_thread(send, f"/_stcore/upload_file/{sid}/file{i}", body,
                                                    {"Content-Type": ctype, "X-Xsrftoken": XSRF,
                                                     "Cookie": f"_streamlit_xsrf={XSRF}"}))
        hold.set()
        await task
        return statuses

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_the_upload_endpoint_is_closed_at_the_proxy(balancer):
    status = _upload_in_a_live_session(balancer.tls, True,
                                       lambda path, body, h: balancer.request("PUT", path, body, h)[0])
    assert status == [403, 413]  # closed; a body over the cap is refused before the location is even looked at
    for path in ("/_stcore/upload_file/a/b", "//_stcore/upload_file/a/b", "/_stcore/./upload_file/a/b",
                 "/_stcore/%75pload_file/a/b", "/x/../_stcore/upload_file/a/b"):
        for method in ("PUT", "OPTIONS", "DELETE", "GET"):
            assert balancer.request(method, path, b"x", {"Content-Type": "text/plain"})[0] in (403, 400), \
                (method, path)


def test_a_replica_on_its_own_accepts_no_upload_either(balancer):
    """The direct Streamlit setup (.streamlit/config.toml, maxUploadSize = 0): a 1 MB upload from a live session is
    refused before its body is read."""

    def send(path, body, headers):
        conn = http.client.HTTPConnection("127.0.0.1", balancer.replicas[0], timeout=30)
        try:
            conn.request("PUT", path, body=body, headers=headers)
            return conn.getresponse().status
        finally:
            conn.close()

    assert _upload_in_a_live_session(balancer.replicas[0], False, send) == [413, 413]


def test_metrics_are_not_published(balancer):
    status, _, body = balancer.request("GET", "/_stcore/metrics")
    assert status == 404 and b"session" not in body.lower() and b"cache" not in body.lower()
    # the replica itself publishes them (Streamlit has no setting to turn the endpoint off)
    with urllib.request.urlopen(f"http://127.0.0.1:{balancer.replicas[0]}/_stcore/metrics", timeout=5) as r:
        assert r.status == 200 and b"active_sessions" in r.read()


def test_the_agent_api_is_closed(balancer):
    for path in ("/_stcore/agent/openapi.json", "/_stcore/agent/interact", "/_stcore/agent/mcp"):
        assert balancer.request("GET", path)[0] == 404, path


def test_request_bodies_and_methods_are_capped(balancer):
    assert balancer.request("GET", "/", b"x" * 4096, {"Content-Type": "text/plain"})[0] == 413
    assert balancer.request("POST", "/", b"x", {"Content-Type": "text/plain"})[0] == 403
    assert balancer.request("POST", "/_stcore/health", b"x", {"Content-Type": "text/plain"})[0] == 403


def test_plain_http_redirects_to_https(balancer):
    status, headers, _ = balancer.request("GET", "/city?city=budapest", tls=False, headers={"Host": "cdi.example"})
    assert status == 301 and headers["location"] == "https://cdi.example/city?city=budapest"
    assert headers["server"] == "nginx"


APP_CSP = ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors https: http:")
RESPONSES = {  # path: (status, what its Content-Security-Policy must contain)
    "/": (200, APP_CSP),
    "/city?city=budapest": (200, APP_CSP),
    "/_stcore/health": (200, APP_CSP),
    "/static/no-such-file.js": (200, APP_CSP),  # Streamlit answers unknown paths with its page
    "/_stcore/upload_file/a/b": (403, APP_CSP),
    "/_stcore/metrics": (404, APP_CSP),
    "/_stcore/agent/openapi.json": (404, APP_CSP),
    "/app/static/snapshots/index.html": (200, ("default-src 'none'", "frame-ancestors https: http:")),
    "/app/static/snapshots/no-such-page.html": (404, ("default-src 'none'",)),
}


@pytest.mark.parametrize("path", list(RESPONSES))
def test_every_response_carries_the_security_headers(balancer, path):
    status, headers, _ = balancer.request("GET", path)
    want_status, csp = RESPONSES[path]
    assert status == want_status, (path, status)
    assert headers.get("strict-transport-security") == "max-age=31536000", headers
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", headers
    assert headers.get("x-content-type-options") == "nosniff", headers
    assert headers.get("server") == "nginx", headers  # no version, no upstream server name
    for part in csp:
        assert part in headers.get("content-security-policy", ""), (path, part, headers)


@pytest.mark.parametrize("link", ["/", "/city?city=budapest", "/map?city=budapest", "/ranking",
                                  "/changes?city=budapest", "/compare?cities=budapest,prague,vienna", "/pact",
                                  "/methodology", "/ranking?present=1"])
def test_the_app_runs_under_its_content_security_policy(balancer, browser, link):
    """Chromium through the proxy (TLS, the shipped policy): the page renders, and the browser refuses nothing the
    app itself needs (a violation shows as a console error 'Refused to ...' / a securitypolicyviolation event)."""
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "(window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI))")
    page.goto(f"https://127.0.0.1:{balancer.tls}{link}", wait_until="domcontentloaded")
    wait_for_app(page)
    violations = page.evaluate("window.__csp || []")
    body = page.inner_text("body")
    ctx.close()
    assert "Traceback" not in body and len(body) > 200, body[:300]
    # the Carto base map may not load on an offline machine; what must not happen is the policy blocking anything
    assert not violations and not refused, (violations, refused)
