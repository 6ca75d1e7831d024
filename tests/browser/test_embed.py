"""An embedded city profile, as another site would show it: a local page (served by a tiny http.server on its own
port, so a different origin from the app) carrying the snippet from explorer.widgets.embed in a 600 px wide iframe."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from explorer.widgets import embed
from tests.browser.conftest import ARTIFACTS, wait_for_app

WIDTH = 600


@pytest.fixture
def host_page(server, tmp_path):
    """A plain page on another origin with the city profile's embed snippet in a 600 px wide column."""
    code = embed.snippet(f"{server}/city", "city", "City Diplomacy Index 2025, methodology v1.0, (test)", "credit",
                         {"city": "budapest"})
    (tmp_path / "embed.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>embed test</title></head>"
        f"<body style='margin:0;font-family:sans-serif'><div style='width:{WIDTH}px'>{code}</div></body></html>",
        encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_address[1]}/embed.html"
    httpd.shutdown()
    httpd.server_close()


def test_embedded_city_profile_reads_well_at_600px(host_page, browser):
    page = browser.new_page(viewport={"width": 800, "height": 1100})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(host_page, wait_until="domcontentloaded")
    iframe = page.locator("iframe")
    assert iframe.get_attribute("width") == "100%"
    frame = iframe.element_handle().content_frame()
    wait_for_app(frame)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed-city-600.png"), full_page=True)
    box = iframe.bounding_box()
    assert round(box["width"]) == WIDTH
    # nothing cut off sideways: the embedded document does not scroll horizontally
    overflow = frame.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the embedded view scrolls sideways by {overflow}px"
    # ... and no element sticks out past the frame's right edge, unless it sits in a scrolling or clipping box (a
    # table's own horizontal scroller)
    wide = frame.evaluate(f"""() => {{
        const main = document.querySelector('[data-testid="stMain"]');
        const clipped = e => {{
            for (let a = e.parentElement; a && a !== main; a = a.parentElement)
                if (getComputedStyle(a).overflowX !== 'visible') return true;
            return false;
        }};
        return Array.from(main.querySelectorAll('*'))
            .filter(e => e.getBoundingClientRect().right > {WIDTH} + 1 && e.getClientRects().length && !clipped(e))
            .map(e => e.tagName + ' ' + (e.getAttribute('data-testid') || e.className) + ' '
                      + Math.round(e.getBoundingClientRect().right));
    }}""")
    assert not wide, f"elements reach past the frame's right edge: {wide}"
    body = frame.inner_text("body")
    assert "Budapest" in body and "Rank" in body and "Traceback" not in body
    assert "Embed this view" not in body  # no embed control inside an embedded view
    header = frame.locator('[data-testid="stHeader"]')
    assert header.count() == 0 or not header.inner_text().strip(), "the navigation shows in the embedded view"
    assert not errors, errors
    page.close()
