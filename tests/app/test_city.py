"""City profile (/city?city=<id>&edition=YYYY), run from the entry point; what a journalist checks, against the
Parquet values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.views.city.tables import places
from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
INDEX_DIR = ROOT / "data" / "index"



@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "scores.parquet")


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "indicators.parquet")


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def _indicator_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "status_text" in d.value.columns and "note" in d.value.columns)


def test_budapest_rank_score_and_pillars_equal_the_published_values(scores):
    at = open_page("pages/city.py", city="budapest", edition="2024", open_sections=("city_trend_table",))
    s = scores[(scores["city_id"] == "budapest") & (scores["edition"] == 2024)].set_index("pillar")
    assert [t.value for t in at.title] == ["Budapest"]
    m = _metrics(at)
    idx = s.loc["index"]
    assert m["Rank"][0] == f"{idx['rank']} of {idx['n_ranked']}"
    assert m["Index score"][0] == f"{idx['score']:.1f}"
    change = int(idx["rank_change"])
    assert m["Rank"][1] == (places(change) if change else "no change")
    # the peer chart's data is the published pillar scores; the trend table too
    trend = next(d.value for d in at.dataframe if "edition" in d.value.columns)
    row = trend[trend["edition"] == 2024].iloc[0]
    names = pd.read_parquet(INDEX_DIR / "framework.parquet").drop_duplicates("pillar").set_index("pillar")
    for pillar in ("relations", "tourism", "business", "multiculturalism"):
        assert row[names.loc[pillar, "pillar_name"]] == pytest.approx(s.loc[pillar, "score"])
    assert at.query_params["city"] == "budapest" and at.query_params["edition"] == "2024"


def test_every_indicator_value_has_its_year_status_and_source(indicators):
    at = open_page("pages/city.py", city="vienna", edition="2025")
    table = _indicator_table(at)
    ind = indicators[(indicators["city_id"] == "vienna") & (indicators["edition"] == 2025)].set_index("indicator")
    fw = pd.read_parquet(INDEX_DIR / "framework.parquet").set_index("name")
    assert len(table) == len(fw)
    for _, row in table.iterrows():
        rec = ind.loc[fw.loc[row["name"], "indicator"]]
        if rec["status"] == "missing":
            assert row["value_text"] == "no data" and row["status_text"] == "no data"
            continue
        if rec["status"] == "below_threshold":
            assert row["value_text"] == "below the list's threshold"
        else:
            shown = row["value_text"].split(" ")[0].replace(",", "")
            assert shown in {str(int(rec["value"])), str(rec["value"])} or float(shown) == pytest.approx(
                rec["value"], abs=0.005)  # a percentage such as GaWC connectivity, shown to 2 decimals
        assert row["year"] == rec["year"]
        assert row["score"] == pytest.approx(rec["score"])
        assert row["source"], row["name"]
        if rec["vintage"] in ("carried_forward", "later_vintage"):
            assert f"value from {rec['year']}" in row["status_text"]
        assert row["link"] is None or str(row["link"]).startswith(("https://", "http://"))


def test_zero_is_shown_as_zero_not_as_no_data(indicators):
    at = open_page("pages/city.py", city="budapest")
    table = _indicator_table(at)
    g500 = table[table["name"] == "Fortune Global 500 headquarters"].iloc[0]
    latest = int(indicators["edition"].max())
    rec = indicators[(indicators["city_id"] == "budapest") & (indicators["edition"] == latest)
                     & (indicators["indicator"] == "global500_hq")].iloc[0]
    assert rec["value"] == 0
    assert g500["value_text"] == "0 headquarters"


def test_share_link_and_citation_reopen_the_same_view():
    at = open_page("pages/city.py", context={"url": "https://cdi.example.org/city"}, city="prague", edition="2021")
    codes = [c.value for c in at.code]
    assert codes[0] == "https://cdi.example.org/city?city=prague&edition=2021"
    assert codes[1].startswith("City Diplomacy Index 2021, methodology v")
    assert codes[1].endswith(codes[0])
    link = next(p for p in at.get("page_link") if p.proto.label == "Compare with the V4 capitals")
    assert link.proto.page == "compare"
    assert link.proto.query_string == "cities=budapest%2Cprague%2Cwarsaw%2Cbratislava%2Cvienna&edition=2021"


def test_a_non_focus_city_is_compared_with_the_v4_and_its_region():
    at = open_page("pages/city.py", city="lisbon")
    assert at.radio(key="city_peers").value == "region"
    assert any("other ranked cities in Europe" in c.value for c in at.caption)
    link = next(p for p in at.get("page_link") if p.proto.label == "Compare with the V4 capitals")
    assert link.proto.query_string.startswith("cities=lisbon%2Cbudapest%2Cprague%2Cwarsaw%2Cbratislava&")
    at.radio(key="city_peers").set_value("focus").run()
    assert at.query_params["peers"] == "focus"
    assert any("V4 capitals and Vienna" in c.value for c in at.caption)


def test_not_ranked_city_says_why(scores):
    s = scores[(scores["pillar"] == "index") & ~scores["ranked"]]
    cid, edition = s.iloc[0]["city_id"], int(s.iloc[0]["edition"])
    at = open_page("pages/city.py", city=cid, edition=str(edition))
    assert _metrics(at)["Rank"][0] == "not ranked"
    assert any(i.value.startswith(f"Not ranked in {edition}:") for i in at.info)


def test_side_tables_list_twins_and_pact_membership():
    at = open_page("pages/city.py", city="budapest", open_sections=("city_twins",))
    twins = next(d.value for d in at.dataframe if "partner" in d.value.columns)
    tw = pd.read_parquet(INDEX_DIR / "twinnings.parquet")
    expected = set(tw.loc[tw["city_id_a"] == "budapest", "city_id_b"]) | set(
        tw.loc[tw["city_id_b"] == "budapest", "city_id_a"])
    assert set(twins["partner_id"]) == expected
    assert any(m.value.startswith("Pact of Free Cities: founder, joined 2019") for m in at.markdown)


@pytest.mark.parametrize("params", [
    {"city": "<script>alert(1)</script>", "edition": "abc"},
    {"city": "x" * 10_000, "edition": "2019; drop", "peers": "<b>"},
    {"city": "atlantis"},
])
def test_malformed_parameters_fall_back_to_budapest_with_a_notice(params):
    at = open_page("pages/city.py", **params)
    assert [t.value for t in at.title] == ["Budapest"]
    notices = [i.value for i in at.info]
    assert "Unknown city in the link; showing the default." in notices
    assert all("script" not in n and "atlantis" not in n for n in notices)
    if "edition" in params:
        assert any(n.startswith("Edition not available") for n in notices)
    assert at.query_params["city"] == "budapest"


def test_closed_sections_are_listed_with_their_counts_and_drawn_when_opened():
    """The side lists, the trend table and the embed snippet are drawn lazily: closed, a section sends only its
    label (with the count); opened, its table; the rank trend is drawn once its tab is chosen."""
    closed = open_page("pages/city.py", city="budapest")
    labels = [e.label for e in closed.expander]
    for label in ("Scores by edition (table)", "City networks (", "World Heritage properties within 25 km (",
                  "Fortune Global 500 headquarters (", "International organisations seated (", "Embed this view"):
        assert any(x.startswith(label) for x in labels), (label, labels)
    assert not any("network" in d.value.columns for d in closed.dataframe)
    assert not any(c.value.startswith("<iframe") for c in closed.code)
    opened = open_page("pages/city.py", city="budapest", open_sections=("city_networks", "city_embed"))
    nets = next(d.value for d in opened.dataframe if "network" in d.value.columns)
    n = int(next(x for x in labels if x.startswith("City networks (")).split("(")[1].rstrip(")"))
    assert len(nets) == n and set(nets.columns) >= {"source", "licence", "link"}
    assert any(c.value.startswith("<iframe") for c in opened.code)
    def rank_axes(at) -> int:
        return sum('"rank:Q"' in c.proto.spec or '"field": "rank"' in c.proto.spec for c in at.get("vega_lite_chart"))

    closed.session_state["city_trend_tab"] = "Ranks"
    closed.run()
    assert (rank_axes(opened), rank_axes(closed)) == (0, 1)
    assert len(closed.get("vega_lite_chart")) == len(opened.get("vega_lite_chart"))  # instead of the scores' chart


def test_every_value_shows_its_source_grade_beside_the_source():
    """The grade a data journalist would give the source, as plain text, in the page's language."""
    sources = pd.read_parquet(INDEX_DIR / "sources.parquet").set_index("source_id")
    labels = {"official statistics", "producer's own publication", "reputable secondary"}
    at = open_page("pages/city.py", city="vienna", edition="2025")
    table = _indicator_table(at).set_index("indicator")
    cited = table[table["source_id"] != ""]
    assert len(cited) and cited["grade"].isin(labels).all()
    for ind, row in cited.iterrows():
        assert row["grade"] == sources.loc[row["source_id"], "grade"], ind
    assert table.loc["diplomatic_countries", "grade"] == "producer's own publication"  # the Lowy Institute's index
    de = _indicator_table(open_page("pages/city.py", city="vienna", edition="2025", lang="de")).set_index("indicator")
    assert de.loc["diplomatic_countries", "grade"] == "eigene Veröffentlichung des Urhebers"
