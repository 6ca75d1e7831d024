"""What changed (/changes?city=<id>&edition=YYYY), run from the entry point: the page shows the published
decomposition, and bad links fall back to defaults with a notice."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"


def open_page(page: str, context: dict | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if context and not hasattr(at, "context"):  # AppTest sets the browser context (st.context) from Streamlit 1.67
        pytest.skip("this Streamlit's AppTest cannot set the browser context (AppTest.context)")
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    if context:
        at.context.update(context)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_deep_link_shows_the_published_contributions_and_the_rank_split():
    at = open_page("pages/changes.py", context={"url": "https://cdi.example.org/changes"}, city="vienna",
                   edition="2024")
    assert [t.value for t in at.title] == ["What changed: Vienna"]
    changes = pd.read_parquet(INDEX_DIR / "changes.parquet")
    mine = changes[(changes.city_id == "vienna") & (changes.edition == 2024) & (changes.pillar == "index")]
    table = _table(at, "contribution")
    assert len(table) == len(mine)
    assert table["contribution"].sum() == pytest.approx(mine["contribution"].sum(), abs=1e-9)
    scores = pd.read_parquet(INDEX_DIR / "scores.parquet")
    sc = scores[(scores.city_id == "vienna") & (scores.edition == 2024) & (scores.pillar == "index")].iloc[0]
    assert table["contribution"].sum() == pytest.approx(sc["score_change"], abs=1e-9)
    rc = pd.read_parquet(INDEX_DIR / "rank_changes.parquet")
    r = rc[(rc.city_id == "vienna") & (rc.edition == 2024) & (rc.pillar == "index")].iloc[0]
    sentence = next(m.value for m in at.markdown if m.value.startswith("Vienna "))
    assert f"from {r['rank_prev']} to {r['rank']}" in sentence
    peers = _table(at, "rank_change_own")
    assert set(peers["city_id"]) == {"budapest", "prague", "warsaw", "bratislava", "vienna"}
    assert (peers["rank_change_own"] + peers["rank_change_others"] == peers["rank_change"]).all()
    assert at.code[0].value == "https://cdi.example.org/changes?city=vienna&edition=2024"
    assert at.query_params["city"] == "vienna" and at.query_params["edition"] == "2024"


def test_the_first_edition_has_nothing_to_explain():
    at = open_page("pages/changes.py", city="budapest", edition="2019")
    assert any(i.value.startswith("2019 is the first edition") for i in at.info)
    assert not any("contribution" in d.value.columns for d in at.dataframe)


def test_the_city_profile_links_here():
    at = open_page("pages/city.py", city="prague", edition="2023")
    link = next(p for p in at.get("page_link") if p.proto.label == "What changed since the last edition")
    assert link.proto.page == "changes"
    assert link.proto.query_string == "city=prague&edition=2023"


@pytest.mark.parametrize("params", [
    {"city": "<script>alert(1)</script>", "edition": "abc"},
    {"city": "x" * 10_000, "edition": "2019; drop"},
    {"city": "atlantis"},
])
def test_malformed_parameters_fall_back_to_budapest_with_a_notice(params):
    at = open_page("pages/changes.py", **params)
    assert [t.value for t in at.title] == ["What changed: Budapest"]
    notices = [i.value for i in at.info]
    assert "Unknown city in the link; showing the default." in notices
    assert all("script" not in n and "atlantis" not in n for n in notices)
    if "edition" in params:
        assert any(n.startswith("Edition not available") for n in notices)
    assert at.query_params["city"] == "budapest"
    assert any("contribution" in d.value.columns for d in at.dataframe)


def test_events_render_next_to_their_indicator_and_the_report_downloads():
    at = open_page("pages/changes.py", city="budapest", edition="2023")
    heads = [h.value for h in at.subheader]
    assert "Dated events behind the changes (2022 < year ≤ 2023)" in heads
    events = _table(at, "description")
    assert "organisation left" in set(events["kind"])
    lines = _table(at, "contribution")
    seats = lines[lines["indicator"] == "intl_org_seats"]
    assert "organisation left" in seats.iloc[0]["events"]
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert "Annual feedback report 2023" in buttons[0].proto.label


def test_no_dated_event_is_said_plainly():
    at = open_page("pages/changes.py", city="budapest", edition="2025")
    assert any("No dated event is known for Budapest" in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 1


def test_the_report_is_made_on_click_and_is_the_citys_pdf(deferred):
    at = open_page("pages/changes.py", city="vienna", edition="2025")
    assert set(deferred) == {"cdi-2025-vienna.pdf"}
    pdf = deferred["cdi-2025-vienna.pdf"]()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    assert not at.exception


def test_the_opened_inputs_section_lists_the_published_data_diff_in_german():
    from tests.app.helpers import open_page as open_with_sections

    at = open_with_sections("pages/changes.py", open_sections=("changes_inputs",), city="vienna", edition="2024",
                            lang="de")
    diff = pd.read_parquet(INDEX_DIR / "data_diff.parquet")
    mine = diff[(diff.city_id == "vienna") & (diff.edition == 2024)]
    table = _table(at, "status_text")
    assert len(table) == len(mine) > 0
    assert set(table["year"].dropna().astype(int)) <= set(mine["year"].dropna().astype(int))
