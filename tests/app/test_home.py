"""Home page search: each hit links to that city's profile (/city?city=<id>)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _search(text: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input[0].set_value(text).run()
    assert not at.exception
    return at


def test_search_hits_link_to_the_city_profile():
    at = _search("Wien")
    links = [(p.proto.label, p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    assert links[0] == ("Vienna", "city", "city=vienna")


def test_old_spellings_find_the_city():
    at = _search("Kiev")
    links = [(p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    assert ("city", "city=kyiv") in links


def test_a_search_hit_opens_the_profile():
    at = _search("Praha")
    link = next(p for p in at.get("page_link") if p.proto.page == "city")
    at.query_params.clear()
    at.query_params["city"] = link.proto.query_string.split("=", 1)[1]
    at.switch_page("pages/city.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Prague"]


def test_no_match_says_so():
    at = _search("Atlantis")
    assert not at.get("page_link") or all(p.proto.page != "city" for p in at.get("page_link"))
    assert any("No city of the index matches" in m.value for m in at.markdown)
