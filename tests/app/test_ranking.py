"""Ranking page (/ranking), run from the entry point so navigation is real; values checked against the Parquet."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"



@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "scores.parquet")


@pytest.fixture(scope="module")
def cities() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "cities.parquet")


@pytest.fixture
def downloads(monkeypatch) -> list[dict]:
    """Capture what st.download_button hands to the media store (AppTest keeps no other handle on it)."""
    captured: list[dict] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        captured.append({"data": path_or_data, "mimetype": mimetype, "filename": filename})
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return captured


def _index(scores: pd.DataFrame, edition: int) -> pd.DataFrame:
    return scores[(scores["edition"] == edition) & (scores["pillar"] == "index")].set_index("city_id")


def _city_ids(table: pd.DataFrame) -> list[str]:
    return [u.split("city=", 1)[1].split("&", 1)[0] for u in table["profile"]]


def test_default_lists_every_ranked_city_of_the_latest_edition(scores):
    at = open_page("pages/ranking.py")
    latest = int(scores["edition"].max())
    idx = _index(scores, latest)
    ranked = idx[idx["ranked"]]
    df = at.dataframe[0].value
    assert len(df) == len(ranked)
    assert list(df["rank"]) == sorted(ranked["rank"].astype(int))
    by_city = df.set_index(pd.Index(_city_ids(df)))
    assert by_city.loc["budapest", "rank"] == ranked.loc["budapest", "rank"]
    assert by_city.loc["budapest", "index"] == pytest.approx(ranked.loc["budapest", "score"])
    bud = scores[(scores["edition"] == latest) & (scores["city_id"] == "budapest")].set_index("pillar")
    for pillar in ("relations", "tourism", "business", "multiculturalism"):
        assert by_city.loc["budapest", pillar] == pytest.approx(bud.loc[pillar, "score"])
    assert by_city.loc["budapest", "rank_change"] == bud.loc["index", "rank_change"]
    assert at.query_params["edition"] == str(latest)


def test_city_names_link_to_their_profile_with_the_edition():
    at = open_page("pages/ranking.py", edition="2022")
    df = at.dataframe[0].value
    bud = df[df["profile"].str.startswith("city?city=budapest&")].iloc[0]
    assert bud["profile"] == "city?city=budapest&edition=2022#Budapest"
    assert all(u.startswith("city?city=") and "&edition=2022#" in u for u in df["profile"])


def test_group_and_edition_from_the_url(scores):
    at = open_page("pages/ranking.py", group="v4", edition="2023")
    df = at.dataframe[0].value
    assert set(_city_ids(df)) == {"budapest", "prague", "warsaw", "bratislava"}
    idx = _index(scores, 2023)
    for cid, rank in zip(_city_ids(df), df["rank"]):
        assert rank == idx.loc[cid, "rank"]
    assert at.query_params["group"] == "v4"
    assert at.selectbox(key="ranking_group").value == "v4"


def test_region_filter_and_not_ranked_cities_say_why(scores, cities):
    at = open_page("pages/ranking.py", region="europe", unranked="1")
    df = at.dataframe[0].value
    latest = int(scores["edition"].max())
    europe = set(cities.loc[cities["region"] == "Europe", "city_id"])
    assert set(_city_ids(df)) == europe
    unranked = df[df["rank"].isna()]
    assert len(unranked) > 0
    idx = _index(scores, latest)
    for cid, status in zip(_city_ids(unranked), unranked["status"]):
        assert status == idx.loc[cid, "not_ranked_reason"] and status.startswith("not ranked")
    assert set(df.loc[df["rank"].notna(), "status"]) == {"ranked"}


def test_csv_holds_exactly_the_rows_and_columns_shown(downloads, cities, scores):
    at = open_page("pages/ranking.py", group="pact", edition="2024")
    shown = at.dataframe[0].value
    csv = [d for d in downloads if d["mimetype"] == "text/csv"][-1]
    assert csv["filename"] == "cdi-ranking-2024-pact.csv"
    got = pd.read_csv(io.BytesIO(csv["data"]))
    assert len(got) == len(shown)
    assert len(got.columns) == len(shown.columns)
    assert list(got["Rank"]) == list(shown["rank"])
    names = cities.set_index("city_id")["name"]
    assert list(got["City"]) == [names[c] for c in _city_ids(shown)]
    pact = set(cities.loc[cities["groups"].str.split(";").apply(lambda g: "pact_member" in g), "city_id"])
    idx = _index(scores, 2024)
    assert set(_city_ids(shown)) == pact & set(idx.index[idx["ranked"]])
    assert list(got["Index"]) == pytest.approx(list(shown["index"]))


def test_widgets_write_the_filters_back_to_the_url():
    at = open_page("pages/ranking.py")
    at.selectbox(key="ranking_group").set_value("c40").run()
    at.toggle(key="ranking_unranked").set_value(True).run()
    assert at.query_params["group"] == "c40"
    assert at.query_params["unranked"] == "1"
    at.selectbox(key="ranking_group").set_value("all").run()
    assert "group" not in at.query_params


@pytest.mark.parametrize("params", [
    {"group": "<script>alert(1)</script>", "region": "mars", "edition": "abc"},
    {"group": "x" * 10_000, "region": "'; drop table", "edition": "1899"},
])
def test_malformed_parameters_fall_back_with_a_notice(params, scores):
    at = open_page("pages/ranking.py", **params)
    notices = [i.value for i in at.info]
    latest = int(scores["edition"].max())
    assert f"Edition not available; showing {latest}." in notices
    assert any("Unknown option" in n for n in notices)
    assert all("script" not in n and "drop" not in n for n in notices)
    assert at.selectbox(key="ranking_group").value == "all"
    assert at.selectbox(key="ranking_region").value == "all"
    assert len(at.dataframe[0].value) == int(_index(scores, latest)["ranked"].sum())
