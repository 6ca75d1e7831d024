"""The Budapest profile in Hungarian and the compare page in Polish at 390 px: translated, no sideways scroll."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, VIEWPORTS, wait_for_app

LINKS = {"city-hu": ("/city?city=budapest&lang=hu", "Pillérpontszámok a társakhoz mérve"),
         "compare-pl": ("/compare?cities=budapest,vienna,prague,warsaw,bratislava&lang=pl", "Porównaj miasta")}


@pytest.mark.parametrize("name", list(LINKS))
def test_translated_page_at_390px(server, browser, name):
    path, expected = LINKS[name]
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(server + path, wait_until="domcontentloaded")
    wait_for_app(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    body = page.inner_text("body")
    assert expected in body and "Traceback" not in body
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.close()
