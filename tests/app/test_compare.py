"""Compare page (/compare?cities=a,b,c&edition=YYYY), run from the entry point, checked against the Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"
FOCUS = ["budapest", "prague", "warsaw", "bratislava", "vienna"]



@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "scores.parquet")


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "indicators.parquet")


def _scores_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "City" in d.value.columns)


def _indicator_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "status_text" in d.value.columns)


def test_the_public_link_compares_the_v4_capitals_and_vienna(scores):
    at = open_page("pages/compare.py", cities="budapest,vienna,prague,warsaw,bratislava", edition="2024",
                   open_sections=("compare_table",))
    assert at.multiselect(key="compare_cities").value == ["budapest", "vienna", "prague", "warsaw", "bratislava"]
    table = _scores_table(at).set_index("City")
    s = scores[scores["edition"] == 2024]
    for cid, name in [("budapest", "Budapest"), ("vienna", "Vienna"), ("warsaw", "Warsaw")]:
        row = s[(s["city_id"] == cid) & (s["pillar"] == "index")].iloc[0]
        assert table.loc[name, "Index"] == pytest.approx(round(row["score"], 1))
        assert table.loc[name, "Index rank"] == row["rank"]
    assert at.query_params["cities"] == "budapest,vienna,prague,warsaw,bratislava"
    assert not at.info


def test_default_is_the_focus_cities():
    at = open_page("pages/compare.py")
    assert at.multiselect(key="compare_cities").value == FOCUS
    assert at.query_params["cities"] == ",".join(FOCUS)


def test_indicator_table_has_raw_values_years_and_sources(indicators):
    at = open_page("pages/compare.py", cities="vienna,budapest", edition="2023")
    table = _indicator_table(at)
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet")
    assert len(table) == 2 * len(fw)
    ind = indicators[indicators["edition"] == 2023].set_index(["city_id", "indicator"])
    for _, row in table.iterrows():
        rec = ind.loc[(row["city_id"], row["indicator"])]
        if rec["status"] == "observed":
            assert row["year"] == rec["year"]
            assert row["score"] == pytest.approx(rec["score"])
            assert row["source"]
        elif rec["status"] == "missing":
            assert row["value_text"] == "no data"
        else:
            assert row["value_text"] == "below the list's threshold"
    # cities in the order chosen, within each indicator
    assert list(table["city_id"][:2]) == ["vienna", "budapest"]
    at.selectbox(key="compare_pillar").set_value("Multiculturalism").run()
    assert set(_indicator_table(at)["pillar"]) == {"multiculturalism"}


def test_not_ranked_city_gets_a_note(scores):
    s = scores[(scores["pillar"] == "index") & ~scores["ranked"] & (scores["edition"] == scores["edition"].max())]
    cid = s.iloc[0]["city_id"]
    at = open_page("pages/compare.py", cities=f"budapest,{cid}")
    assert any("is not ranked in" in w.value for w in at.warning)


def test_more_than_five_cities_are_cut_to_five_with_a_notice():
    at = open_page("pages/compare.py", cities="berlin,budapest,vienna,prague,warsaw,bratislava,paris")
    assert at.multiselect(key="compare_cities").value == ["berlin", "budapest", "vienna", "prague", "warsaw"]
    assert "At most 5 cities can be compared." in [i.value for i in at.info]


@pytest.mark.parametrize("params", [
    {"cities": "<script>alert(1)</script>", "edition": "abc"},
    {"cities": "x" * 10_000},
    {"cities": ",,,"},
])
def test_malformed_parameters_fall_back_to_the_default(params):
    at = open_page("pages/compare.py", **params)
    assert at.multiselect(key="compare_cities").value == FOCUS
    notices = [i.value for i in at.info]
    assert notices and all("script" not in n for n in notices)


def test_unknown_cities_are_dropped_with_a_notice():
    at = open_page("pages/compare.py", cities="vienna,atlantis,budapest")
    assert at.multiselect(key="compare_cities").value == ["vienna", "budapest"]
    assert "Some cities in the link were not recognised and were left out." in [i.value for i in at.info]


def test_the_multiselect_writes_the_cities_back_to_the_url():
    at = open_page("pages/compare.py", open_sections=("compare_table",))
    at.multiselect(key="compare_cities").set_value(["vienna", "berlin"]).run()
    assert at.query_params["cities"] == "vienna,berlin"
    assert set(_scores_table(at)["City"]) == {"Vienna", "Berlin"}
    links = [p.proto.query_string for p in at.get("page_link")]
    assert any(q.startswith("city=berlin&") for q in links)
