"""Hostile data never defaces the app: an index built from a copy of data/inputs whose city names, Pact member
names, source titles, producers and URLs and the release calendar's notes carry HTML, script and markdown-link
payloads, served by a real Streamlit server (CDI_INDEX_DIR points it at that index) and opened in headless Chromium
on every page.

On every page: no dialog opens, no script error, no <img src=x>, injected <style>, <script> or javascript: link
exists in the DOM, the body is still displayed; and the hostile names show up as the literal text they are."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from cdi_core.build import build
from cdi_core.paths import INPUTS_DIR
from explorer.snapshots import SERVED_PATH
from explorer.snapshots import build as build_snapshots
from tests.browser.conftest import ARTIFACTS, VIEWPORTS, _free_port, _serve, wait_for_app

IMG = "<img src=x onerror=alert(1)>"
STYLE = "<style>body{display:none}</style>"
CITY_NAMES = {
    "budapest": f"Budapest {IMG}",
    "prague": f"{STYLE}Prague",
    "vienna": '<a href="javascript:alert(1)">Vienna</a>',
    "warsaw": "[Warsaw](javascript:alert(1))",
    "bratislava": "<script>alert(1)</script>Bratislava",
}
LINKS = [
    "/", "/ranking", "/ranking?group=focus", "/compare?cities=budapest,prague,vienna,warsaw,bratislava",
    "/city?city=budapest", "/city?city=prague", "/city?city=vienna", "/city?city=warsaw", "/city?city=bratislava",
    "/map?city=budapest", "/pact", "/methodology", "/ranking?present=1", "/city?city=budapest&present=1",
    "/changes?city=budapest", "/changes?city=prague&edition=2023",
]
# what must be findable as plain text on a page (the browser's innerText: what a reader sees)
PLAIN_TEXT = {
    "/city?city=budapest": [CITY_NAMES["budapest"], f"Source: {IMG}"],  # the Pact source caption
    "/city?city=prague": [CITY_NAMES["prague"]],
    "/city?city=vienna": [CITY_NAMES["vienna"]],
    "/city?city=warsaw": [CITY_NAMES["warsaw"]],
    "/city?city=bratislava": [CITY_NAMES["bratislava"]],
    "/compare?cities=budapest,prague,vienna,warsaw,bratislava": [CITY_NAMES["warsaw"], CITY_NAMES["vienna"]],
}
INJECTED = """() => ({
  img: Array.from(document.images).filter(i => i.getAttribute('src') === 'x').length,
  style: Array.from(document.querySelectorAll('style'))
           .filter(s => s.textContent.includes('body{display:none}')).length,
  script: Array.from(document.querySelectorAll('script')).filter(s => s.textContent.includes('alert(1)')).length,
  js_links: Array.from(document.querySelectorAll('a[href]'))
              .filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
  onerror: document.querySelectorAll('[onerror]').length,
  body_display: getComputedStyle(document.body).display,
})"""


def _edit_csv(path: Path, fn) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    for r in rows:
        fn(r)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _hostile_inputs(dest: Path) -> Path:
    shutil.copytree(INPUTS_DIR, dest)

    def city(r):
        r["name"] = CITY_NAMES.get(r["city_id"], r["name"])

    def source(r):
        r["title"] = f"{IMG} {r['title']}"
        r["producer"] = f"{STYLE}[{r['producer']}](javascript:alert(1))"
        r["url"] = "javascript:alert(1)"
        r["attribution"] = f'<a href="javascript:alert(1)">{r["attribution"]}</a>'

    _edit_csv(dest / "cities.csv", city)
    _edit_csv(dest / "sources.csv", source)
    _edit_csv(dest / "tables" / "pact_members.csv", city)

    def release(r):  # shown on the methodology page's freshness table
        r["next_expected"] = f"{IMG} [{r['next_expected']}](javascript:alert(1))"

    _edit_csv(dest / "tables" / "source_releases.csv", release)
    return dest


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    if os.environ.get("CDI_SKIP_BROWSER") == "1":
        pytest.skip("CDI_SKIP_BROWSER=1")
    root = tmp_path_factory.mktemp("hostile")
    index = root / "index"
    build(_hostile_inputs(root / "inputs"), index)
    return index


@pytest.fixture(scope="module")
def hostile_server(hostile_index):
    port = _free_port()
    env = {**os.environ, "CDI_INDEX_DIR": str(hostile_index)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "server-hostile.log", "w") as log:
        yield from _serve(port, log, env)


@pytest.mark.parametrize("link", LINKS)
def test_hostile_names_render_as_plain_text(hostile_server, browser, link):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    problems: list[str] = []
    page.on("dialog", lambda d: problems.append(f"dialog opened: {d.message}") or d.dismiss())
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(hostile_server + link, wait_until="domcontentloaded")
    wait_for_app(page)
    for summary in page.locator('[data-testid="stExpander"] summary').all():  # open every expander
        summary.click()
    wait_for_app(page)
    if link.startswith("/map"):  # move over the map so deck.gl tooltips with city names are drawn
        box = page.locator('[data-testid="stDeckGlJsonChart"]').first.bounding_box()
        if box:
            for fx, fy in ((0.5, 0.5), (0.45, 0.4), (0.55, 0.6)):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(200)
    name = link.strip("/").replace("?", "-").replace("=", "-").replace(",", "_").replace("&", "-") or "home"
    page.screenshot(path=str(ARTIFACTS / f"hostile-{name[:60]}.png"), full_page=True)
    found = page.evaluate(INJECTED)
    body = page.inner_text("body")
    page.close()
    assert found == {"img": 0, "style": 0, "script": 0, "js_links": 0, "onerror": 0,
                     "body_display": found["body_display"]}, found
    assert found["body_display"] != "none"
    assert "Traceback" not in body
    assert not problems, problems
    for text in PLAIN_TEXT.get(link, []):
        assert text in body, f"{text!r} not shown as plain text"


SNAPSHOT_PAGES = {
    "index.html": [CITY_NAMES["vienna"]],
    "pact.html": [CITY_NAMES["budapest"], CITY_NAMES["bratislava"]],
    **{f"city/{cid}.html": [name] for cid, name in CITY_NAMES.items()},
}


def test_hostile_names_in_the_static_snapshots_stay_plain_text(hostile_index, browser, tmp_path):
    """The pre-rendered snapshots, made from the same hostile index, opened as files in Chromium."""
    out = tmp_path / "snapshots"
    build_snapshots(hostile_index, out)
    for name, texts in SNAPSHOT_PAGES.items():
        page = browser.new_page(viewport=VIEWPORTS["phone"])
        problems: list[str] = []
        page.on("dialog", lambda d, problems=problems: problems.append(f"dialog: {d.message}") or d.dismiss())
        page.on("pageerror", lambda e, problems=problems: problems.append(f"page error: {e}"))
        page.goto((out / name).as_uri())
        found = page.evaluate(INJECTED)
        body = page.inner_text("body")
        meta = page.evaluate("""() => Object.fromEntries(Array.from(document.head.querySelectorAll('meta'))
            .map(m => [m.getAttribute('property') || m.getAttribute('name'), m.getAttribute('content')]))""")
        if name == "city/budapest.html":
            page.screenshot(path=str(ARTIFACTS / "hostile-snapshot-budapest.png"), full_page=True)
        page.close()
        assert found == {"img": 0, "style": 0, "script": 0, "js_links": 0, "onerror": 0,
                         "body_display": found["body_display"]}, (name, found)
        assert found["body_display"] != "none" and not problems, (name, problems)
        for text in texts:
            assert text in body, f"{name}: {text!r} not shown as plain text"
        # the link-preview tags carry the hostile names as literal text, and the page's image exists, 1200 x 630
        if name.startswith("city/"):
            assert meta["og:title"].startswith(texts[0]) and meta["twitter:title"] == meta["og:title"], (name, meta)
            assert meta["og:description"].startswith(texts[0] + ": "), (name, meta)
        image = out / meta["og:image"].removeprefix(SERVED_PATH + "/")
        with Image.open(image) as img:
            assert img.size == (1200, 630), name


def test_the_dom_probe_finds_injected_markup(browser):
    """The control: the same probe on a page where the payloads were injected as HTML finds every one."""
    page = browser.new_page()
    page.set_content(f"<body>{IMG}{STYLE}<a href='javascript:alert(1)'>x</a><script>//alert(1)</script></body>")
    found = page.evaluate(INJECTED)
    page.close()
    assert found == {"img": 1, "style": 1, "script": 1, "js_links": 1, "onerror": 1, "body_display": "none"}
