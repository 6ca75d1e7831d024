"""Map page (/map), run from the entry point: the deck shows the published scores, a city's links, no token."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"
PAGE = "pages/map.py"



def deck(at: AppTest) -> tuple[dict, dict]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    proto = charts[0].proto
    return json.loads(proto.json), json.loads(proto.tooltip)


def layers(spec: dict) -> dict[str, dict]:
    return {layer["id"]: layer for layer in spec["layers"]}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(INDEX_DIR / f"{t}.parquet") for t in ("cities", "scores", "twinnings",
                                                                        "network_memberships")}


def test_default_map_has_every_city_and_no_token(tables):
    at = open_page(PAGE)
    spec, tooltip = deck(at)
    proto = at.get("deck_gl_json_chart")[0].proto
    assert not proto.mapbox_token
    assert spec["mapStyle"].startswith("https://basemaps.cartocdn.com/")
    assert set(tooltip) == {"text", "style"}  # plain-text tooltip: city names cannot inject markup
    cities = layers(spec)["cities"]["data"]
    assert len(cities) == len(tables["cities"])
    assert set(layers(spec)) == {"cities"}  # no city selected: no arcs
    assert at.query_params["metric"] == "index"
    assert [s.value for s in at.selectbox][2:] == ["index", ""]  # after the language and edition pickers


def test_points_carry_the_published_rank_and_score(tables):
    at = open_page(PAGE, edition="2021", metric="tourism")
    spec, _ = deck(at)
    points = {p["name"]: p for p in layers(spec)["cities"]["data"]}
    s = tables["scores"]
    row = s[(s["city_id"] == "budapest") & (s["edition"] == 2021) & (s["pillar"] == "tourism")].iloc[0]
    assert points["Budapest"]["score_label"] == f"{row['score']:.1f}"
    assert points["Budapest"]["rank_label"] == f"{row['rank']} of {row['n_ranked']}"
    ranked = s[(s["edition"] == 2021) & (s["pillar"] == "tourism") & s["rank"].notna()]
    assert sum(p["rank_label"][0].isdigit() for p in points.values()) == len(ranked)
    grey = [p for p in points.values() if p["rank_label"].startswith("not ranked")]
    assert grey and all(p["colour"] == [160, 160, 160] for p in grey)


def test_city_links_are_twins_and_pact_members(tables):
    at = open_page(PAGE, city="budapest")
    spec, _ = deck(at)
    ids = set(tables["cities"]["city_id"])
    t = tables["twinnings"]
    pairs = t[(t["city_id_a"] == "budapest") | (t["city_id_b"] == "budapest")]
    partners = (set(pairs["city_id_a"]) | set(pairs["city_id_b"])) - {"budapest"}
    assert len(layers(spec)["twins"]["data"]) == len(partners & ids)
    n = tables["network_memberships"]
    members = set(n.loc[n["network"] == "Pact of Free Cities", "city_id"])
    assert len(layers(spec)["pact"]["data"]) == len(members) - 1
    assert "selected" in layers(spec)
    assert at.selectbox[3].value == "budapest" and at.query_params["city"] == "budapest"
    twin_table = at.dataframe[0].value
    assert set(twin_table["partner_id"]) == partners & ids


def test_pact_arcs_depend_on_the_edition():
    spec, _ = deck(open_page(PAGE, city="vienna", edition="2019"))  # Vienna joined in 2021
    assert "pact" not in layers(spec)
    spec, _ = deck(open_page(PAGE, city="vienna", edition="2021"))
    assert "pact" in layers(spec)


@pytest.mark.parametrize("params", [
    {"city": "<script>alert(1)</script>", "metric": "abc", "edition": "abc"},
    {"city": "x" * 10_000, "metric": "<b>", "edition": "99999"},
    {"city": "atlantis", "edition": "2019;DROP"},
])
def test_malformed_parameters_fall_back_with_a_notice(params):
    at = open_page(PAGE, **params)
    notices = [i.value for i in at.info]
    assert len(notices) == len(params)
    assert all("<" not in n and "atlantis" not in n and "abc" not in n for n in notices)
    spec, _ = deck(at)
    assert set(layers(spec)) == {"cities"}
    assert at.query_params["metric"] == "index" and "city" not in at.query_params
    texts = " ".join(str(m.value) for m in at.markdown)
    assert "<script>" not in texts and "atlantis" not in texts


def test_changing_controls_updates_the_link():
    at = open_page(PAGE)
    at.selectbox[2].set_value("business").run()
    at.selectbox[3].set_value("prague").run()
    assert not at.exception
    assert at.query_params["metric"] == "business" and at.query_params["city"] == "prague"
    spec, _ = deck(at)
    assert "twins" in layers(spec)
    at.selectbox[3].set_value("").run()
    assert "city" not in at.query_params
