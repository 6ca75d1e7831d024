"""Rank bands on the ranking, city and compare pages, the audit on the methodology page, and a shared what-if link
(/ranking?weights=40,20,20,20), run from the entry point and checked against the Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cdi_core.whatif import rerank
from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"
OWN = "Your own weighting - not the official CDI"



@pytest.fixture(scope="module")
def bands() -> pd.DataFrame:
    b = pd.read_parquet(INDEX_DIR / "rank_uncertainty.parquet")
    return b[b["pillar"] == "index"].set_index(["edition", "city_id"])


def _ids(table: pd.DataFrame) -> list[str]:
    return [u.split("city=", 1)[1].split("&", 1)[0] for u in table["profile"]]


def _rng(b: pd.Series) -> str:
    lo, hi = int(b["rank_low"]), int(b["rank_high"])
    return str(lo) if lo == hi else f"{lo}–{hi}"


def test_ranking_shows_each_rank_with_its_band(bands):
    at = open_page("pages/ranking.py", edition="2024")
    df = at.dataframe[0].value
    assert list(df.columns[:2]) == ["rank", "band"]
    for cid, band in zip(_ids(df), df["band"]):
        assert band == _rng(bands.loc[(2024, cid)])
    assert not any(h.value == OWN for h in at.subheader)
    assert "weights" not in at.query_params


def test_city_profile_shows_the_band(bands):
    at = open_page("pages/city.py", city="budapest", edition="2025")
    b = bands.loc[(2025, "budapest")]
    want = f"Rank {int(b['rank'])}, likely {_rng(b)}"
    assert any(c.value == want for c in at.caption), [c.value for c in at.caption]


def test_compare_shows_bands_and_says_where_they_overlap(bands):
    at = open_page("pages/compare.py", cities="budapest,prague", edition="2025")
    texts = [m.value for m in at.markdown]
    paragraphs = [p for t in texts for p in t.split("\n\n")]  # the cities' lines are one element, a paragraph each
    bud, pra = bands.loc[(2025, "budapest")], bands.loc[(2025, "prague")]
    assert f"Budapest: rank {int(bud['rank'])}, likely {_rng(bud)}" in paragraphs
    overlap = bud["rank_low"] <= pra["rank_high"] and pra["rank_low"] <= bud["rank_high"]
    note = "Budapest and Prague: their rank bands overlap, so the order between them is not certain\\."
    assert any(note in t for t in texts) == bool(overlap)


def test_shared_whatif_link_reranks_and_is_labelled():
    at = open_page("pages/ranking.py", weights="40,20,20,20", edition="2025")
    assert any(h.value == OWN for h in at.subheader)
    assert [at.slider(key=f"whatif_{p}").value for p in ("relations", "tourism", "business", "multiculturalism")] \
        == [40, 20, 20, 20]
    own = next(d.value for d in at.dataframe if "own_rank" in d.value.columns)
    s = pd.read_parquet(INDEX_DIR / "scores.parquet")
    i = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    want = rerank(i, s, {"relations": 40, "tourism": 20, "business": 20, "multiculturalism": 20})
    want = want[want["edition"] == 2025]
    assert list(own["own_rank"]) == list(want["rank"])
    assert list(own["own_score"]) == pytest.approx(list(want["score"]))
    assert at.query_params["weights"] == "40,20,20,20"
    # the official table is still there, unchanged, under its own heading
    official = next(d.value for d in at.dataframe if "profile" in d.value.columns)
    idx = s[(s["edition"] == 2025) & (s["pillar"] == "index") & s["ranked"]]
    assert official["rank"].tolist() == sorted(idx["rank"].astype(int).tolist())
    assert any(h.value == "The official CDI ranking" for h in at.subheader)


def test_reset_returns_to_the_official_weights():
    at = open_page("pages/ranking.py", weights="40,20,20,20")
    at.button(key="whatif_reset").click().run()
    assert [at.slider(key=f"whatif_{p}").value for p in ("relations", "tourism", "business", "multiculturalism")] \
        == [25, 25, 25, 25]
    assert "weights" not in at.query_params
    assert not any(h.value == OWN for h in at.subheader)


def test_moving_a_slider_writes_the_weights_to_the_url():
    at = open_page("pages/ranking.py")
    assert not at.slider  # the section is closed, and drawn only once opened
    at.session_state["whatif_open"] = True
    at.run()
    at.slider(key="whatif_tourism").set_value(50).run()
    assert at.query_params["weights"] == "25,50,25,25"
    assert any(h.value == OWN for h in at.subheader)


def test_closing_the_weights_section_returns_to_the_official_ranking():
    at = open_page("pages/ranking.py", weights="40,20,20,20")
    at.session_state["whatif_open"] = False
    at.run()
    assert not at.slider and "weights" not in at.query_params
    assert not any(h.value == OWN for h in at.subheader)
    assert not any("own_rank" in d.value.columns for d in at.dataframe)


@pytest.mark.parametrize("raw", ["40,20,20", "-5,20,20,20", "0,0,0,0", "abc", "9" * 5000])
def test_malformed_weights_fall_back_with_a_notice(raw):
    at = open_page("pages/ranking.py", weights=raw)
    assert any("weights in the link were not understood" in i.value for i in at.info)
    assert not any(h.value == OWN for h in at.subheader)


def test_methodology_shows_the_audit():
    at = open_page("pages/methodology.py", edition="2025")
    frames = [d.value for d in at.dataframe]
    alpha = next(f for f in frames if "cronbach_alpha" in f.columns)
    ap = pd.read_parquet(INDEX_DIR / "audit_pillars.parquet")
    assert list(alpha["cronbach_alpha"]) == pytest.approx(list(ap[ap["edition"] == 2025]["cronbach_alpha"]),
                                                          nan_ok=True)  # undefined for a pillar with one indicator left
    drop = next(f for f in frames if "drop_one_mean_abs_rank_change" in f.columns)
    assert len(drop) == 14
    assert len(at.get("vega_lite_chart")) >= 1
