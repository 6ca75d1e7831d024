"""Pact of Free Cities page (/pact), run from the entry point: members, accession dates and scores as published."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import frame_with, open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"
PAGE = "pages/pact.py"




@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "pact_members.parquet")


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_page(PAGE)


def test_members_table_lists_every_member_with_its_source(page, members):
    table = frame_with(page, "mayor_at_signing")
    assert sorted(table["city_id"]) == sorted(members["city_id"])
    budapest = table[table["city_id"] == "budapest"].iloc[0]
    assert budapest["role"] == "founder" and budapest["accession"] == "16 Dec 2019"
    assert budapest["source_url"].startswith("https://")
    assert all(u is None or str(u).startswith(("https://", "http://")) for u in table["source_url"])


def test_undated_members_are_said_to_be_undated(page, members):
    undated = members.loc[members["joined_date_precision"] == "unknown", "name"]
    sentence = [m.value for m in page.markdown if "No accession date found" in str(m.value)]
    assert len(sentence) == 1
    assert all(name in sentence[0] for name in undated)
    events = frame_with(page, "members")
    assert events["n"].sum() == len(members) - len(undated)


def test_map_and_timeline_are_drawn(page, members):
    charts = page.get("deck_gl_json_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.json)
    assert len(spec["layers"][0]["data"]) == len(members)
    assert set(json.loads(charts[0].proto.tooltip)) == {"text", "style"}
    assert len(page.get("vega_lite_chart")) >= 3  # legend, timeline, medians


def test_medians_against_comparable_non_members(page):
    med = frame_with(page, "q25")
    scores = pd.read_parquet(INDEX_DIR / "scores.parquet")
    cities = pd.read_parquet(INDEX_DIR / "cities.parquet")
    edition = int(page.query_params["edition"])
    s = scores[scores["edition"] == edition]
    ranked = set(s.loc[(s["pillar"] == "index") & s["rank"].notna(), "city_id"])
    groups = cities.set_index("city_id")["groups"].fillna("").str.split(";")
    member_ids = {c for c, g in groups.items() if "pact_member" in g} & ranked
    row = med[(med["group"] == "Pact members") & (med["pillar"] == "index")].iloc[0]
    expected = s[(s["pillar"] == "index") & s["city_id"].isin(member_ids)]["score"]
    assert row["n"] == len(expected) and row["median"] == pytest.approx(expected.median())
    assert any("Comparable non-members:" in str(m.value) for m in page.markdown)


@pytest.mark.parametrize("edition", ["abc", "<script>", "2019.5", "1" * 5000])
def test_bad_edition_falls_back(edition):
    at = open_page(PAGE, edition=edition)
    assert [i.value for i in at.info] == [f"Edition not available; showing {at.query_params['edition']}."]
    assert at.query_params["edition"] == str(max(int(e) for e in json.loads(
        (INDEX_DIR / "manifest.json").read_text())["editions"]))


def test_older_edition_shows_its_own_scores():
    at = open_page(PAGE, edition="2020")
    scores = frame_with(at, "score_index")
    s = pd.read_parquet(INDEX_DIR / "scores.parquet")
    bud = s[(s["city_id"] == "budapest") & (s["edition"] == 2020) & (s["pillar"] == "index")].iloc[0]
    assert scores.set_index("city_id").at["budapest", "score_index"] == pytest.approx(bud["score"])
