"""Every public link, opened in headless Chromium at desktop and phone widths, as a reader would see it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, VIEWPORTS, wait_for_app

LINKS = {
    "home": "/",
    "ranking": "/ranking",
    "map": "/map",
    "compare": "/compare?cities=budapest,vienna,prague,warsaw,bratislava",
    "city": "/city?city=budapest",
    "pact": "/pact",
    "methodology": "/methodology",
    "ranking-2021": "/ranking?edition=2021",
    "city-bad": "/city?city=%3Cscript%3Ealert(1)%3C/script%3E&edition=abc",
    "map-budapest": "/map?city=budapest&metric=tourism",
    "present": "/ranking?present=1",
    "compare-bad": "/compare?cities=" + "x" * 10_000 + "&edition=-1",
    "ranking-whatif": "/ranking?weights=40,20,20,20",
    "changes": "/changes?city=budapest&edition=2025",
}


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", list(LINKS))
def test_link_opens_without_error(server, browser, name, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: errors.append(f"dialog opened: {d.message}") or d.dismiss())
    page.goto(server + LINKS[name], wait_until="domcontentloaded")
    wait_for_app(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "Page not found" not in body
    assert "City Diplomacy Index" in body or "CDI" in body
    assert not errors, errors
    if viewport == "phone":
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page scrolls sideways by {overflow}px at 390 px"
    page.close()


def test_shared_whatif_link_shows_the_readers_own_weighting(server, browser):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(server + LINKS["ranking-whatif"], wait_until="domcontentloaded")
    wait_for_app(page)
    heading = page.get_by_text("Your own weighting - not the official CDI")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    assert page.get_by_text("The official CDI ranking").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ranking-whatif-own.png"))
    page.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_snapshot_is_served_as_a_page_and_leads_into_the_live_explorer(server, browser, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(server + "/app/static/snapshots/city/budapest.html")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"snapshot-budapest-{viewport}.png"), full_page=True)
    body = page.inner_text("body")
    assert "Budapest" in body and "Every indicator, with its year and source" in body
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the snapshot scrolls sideways by {overflow}px"
    page.get_by_text("Open Budapest in the live explorer").click()
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    live = page.inner_text("body")
    assert "city=budapest" in page.url and "Budapest" in live and "Pillar scores against peers" in live
    assert not errors, errors
    page.close()


def test_the_ranking_snapshot_right_aligns_its_numbers_only(server, browser):
    """The numeric columns are aligned by one rule per table layout, not a class on each cell: a reader must still
    see the ranks and scores right-aligned and the names and countries left-aligned."""
    page = browser.new_page(viewport=VIEWPORTS[sorted(VIEWPORTS)[0]])
    page.goto(server + "/app/static/snapshots/index.html")
    first = page.locator("tbody tr").first.locator("td")
    aligns = [first.nth(i).evaluate("e => getComputedStyle(e).textAlign") for i in range(first.count())]
    heads = page.locator("thead th")
    head_aligns = [heads.nth(i).evaluate("e => getComputedStyle(e).textAlign") for i in range(heads.count())]
    # rank, likely rank, city, country, index, four pillars, rank change
    assert aligns == ["right", "right", "left", "left"] + ["right"] * 6
    assert head_aligns == aligns
    page.close()
