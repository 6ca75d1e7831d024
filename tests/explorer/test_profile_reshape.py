"""explorer.views.city.tables: pure reshaping for the city profile, checked against the published tables."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer.data.store import FOCUS
from explorer.text.urls import safe_url, share_url
from explorer.views.city import tables as P
from explorer.views.framework import pillar_ids


# ------------------------------------------------------------------------------------------------- formatting
@pytest.mark.parametrize(("value", "expected"), [
    (0, "0"), (0.0, "0"), (1234567.0, "1,234,567"), (12.35, "12.35"), (12.5, "12.5"), (float("nan"), ""),
    (None, ""), (pd.NA, ""),
])
def test_fmt_number(value, expected):
    assert P.fmt_number(value) == expected


def test_value_text_keeps_zero_missing_and_below_threshold_apart():
    assert P.value_text(0.0, "headquarters", "observed") == "0 headquarters"
    assert P.value_text(float("nan"), "arrivals", "missing") == "no data"
    assert P.value_text(float("nan"), "arrivals", "below_threshold") == "below the list's threshold"
    assert P.value_text(3822800.0, "arrivals", "observed") == "3,822,800 arrivals"


def test_status_text_flags_vintages():
    assert P.status_text("observed", "current", 2025) == "current"
    assert P.status_text("observed", "carried_forward", 2018) == "value from 2018 (carried forward)"
    assert P.status_text("observed", "later_vintage", 2026) == "value from 2026 (later than the edition)"
    assert P.status_text("below_threshold", "carried_forward", 2018) == "below the list's threshold (list of 2018)"
    assert P.status_text("missing", "", pd.NA) == "no data"


def test_places():
    assert [P.places(x) for x in (2, 1, 0, -1, -3)] == ["+2 places", "+1 place", "+0 places", "-1 place",
                                                       "-3 places"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example", "", None, "ftp://x",
                                 "https://a b"])
def test_safe_url_rejects_anything_but_plain_web_addresses(url):
    assert safe_url(url) is None


def test_safe_url_keeps_http_and_https():
    assert safe_url("https://example.org/x?y=1") == "https://example.org/x?y=1"
    assert safe_url("http://example.org") == "http://example.org"


def test_share_url():
    """The profile's link (explorer.text.urls.share_url with a root-relative fallback, as pages/city.py uses it)."""
    params = {"city": "budapest", "edition": 2025}
    assert share_url("https://cdi.example.org/city", "city", params, fallback=None) == \
        "https://cdi.example.org/city?city=budapest&edition=2025"
    assert share_url("https://cdi.example.org/", "city", params, fallback=None) == \
        "https://cdi.example.org/city?city=budapest&edition=2025"
    assert share_url(None, "city", params, fallback=None) == "/city?city=budapest&edition=2025"
    assert share_url("javascript:alert(1)", "city", params, fallback=None) == "/city?city=budapest&edition=2025"
    # a value that is not a plain slug, number or comma list is dropped, never echoed (it used to be encoded)
    assert share_url("https://x.org/city", "city", {"city": "a b&c"}, fallback=None) == "https://x.org/city"


def test_compare_preset():
    assert P.compare_preset("vienna") == FOCUS
    assert P.compare_preset("lisbon") == ["lisbon", "budapest", "prague", "warsaw", "bratislava"]


# ------------------------------------------------------------------------------------------------ reshaping
def test_headline_matches_the_scores_table(data, latest):
    h = P.headline(data, "budapest", latest)
    row = data.scores[(data.scores["city_id"] == "budapest") & (data.scores["edition"] == latest)
                      & (data.scores["pillar"] == "index")].iloc[0]
    assert h["rank"] == row["rank"] and h["score"] == pytest.approx(row["score"])
    assert h["n_ranked"] == row["n_ranked"] and h["ranked"]
    assert "V4 capital" in h["groups"]


def test_headline_of_the_first_edition_has_no_change(data):
    h = P.headline(data, "budapest", min(data.editions))
    assert h["first_edition"] and h["rank_change"] is None and h["score_change"] is None


def test_indicator_table_has_every_framework_indicator_with_sources(data, latest):
    t = P.indicator_table(data, "budapest", latest)
    assert list(t["indicator"]) == sorted(t["indicator"], key=lambda i: (
        pillar_ids(data).index(data.framework.set_index("indicator").at[i, "pillar"]), i))
    assert set(t["indicator"]) == set(data.framework["indicator"])
    observed = t[t["status"] != "missing"]
    assert (observed["source"] != "").all()
    assert observed["link"].map(lambda u: u is None or u.startswith(("http://", "https://"))).all()


def test_indicator_table_does_not_mutate_the_shared_frames(data, latest):
    before = data.indicators.copy()
    P.indicator_table(data, "vienna", latest)
    P.strengths_weaknesses(P.indicator_table(data, "vienna", latest))
    pd.testing.assert_frame_equal(before, data.indicators)


def test_strengths_and_weaknesses_are_the_extremes(data, latest):
    t = P.indicator_table(data, "vienna", latest)
    top, bottom = P.strengths_weaknesses(t, n=3)
    scored = t["score"].dropna()
    assert top["score"].iloc[0] == scored.max()
    assert bottom["score"].iloc[0] == scored.min()
    assert not set(top["indicator"]) & set(bottom["indicator"])


def test_peer_medians(data, latest):
    vs, label = P.pillar_vs_peers(data, "budapest", latest, "focus")
    assert "other four" in label
    s = data.scores[(data.scores["edition"] == latest)]
    others = [c for c in FOCUS if c != "budapest"]
    expected = s[(s["pillar"] == "tourism") & s["city_id"].isin(others)]["score"].median()
    got = vs[(vs["pillar"] == "tourism") & (vs["series"] == "Peer median")]["score"].iloc[0]
    assert got == pytest.approx(expected)
    own = vs[(vs["pillar"] == "index") & (vs["series"] == "Budapest")]["score"].iloc[0]
    assert own == pytest.approx(s[(s["pillar"] == "index") & (s["city_id"] == "budapest")]["score"].iloc[0])

    ids, label = P.peer_ids(data, "lisbon", latest, "region")
    assert "lisbon" not in ids and label.endswith("in Europe")
    regions = data.cities.set_index("city_id")["region"]
    assert {regions[c] for c in ids} == {"Europe"}


def test_trend_covers_every_edition(data):
    tr = P.trend(data, "warsaw")
    assert sorted(tr["edition"].unique()) == data.editions
    assert set(tr["pillar"]) == {"index", *pillar_ids(data)}


def test_twin_cities_are_symmetric(data):
    tw = P.twin_cities(data, "vienna")
    assert "budapest" in set(tw["partner_id"])
    back = P.twin_cities(data, "budapest")
    assert "vienna" in set(back["partner_id"])
    assert (tw["partner"] != "").all()


def test_pact_membership(data):
    bud = P.pact_membership(data, "budapest")
    assert bud["role"] == "founder" and bud["joined_date"].startswith("2019")
    assert P.pact_membership(data, "tokyo") is None


def test_side_tables(data):
    assert len(P.heritage_sites(data, "budapest")) >= 1
    g = P.global500(data, "paris")
    assert len(g) > 0 and set(g["year"]) == {2024} and "rank" not in g.columns  # latest published list, no ranks
    assert "TotalEnergies" in set(g["company"]) and g["company"].is_monotonic_increasing
    assert len(P.global500(data, "beijing")) and set(P.global500(data, "beijing")["year"]) == {2019}  # 2024 withheld
    assert len(P.org_seats(data, "vienna")) > 0
    nets = P.networks(data, "budapest")
    assert "Pact of Free Cities" in set(nets["network"])


def test_source_fields_join_several_ids(data):
    f = P.source_fields(data, "twin_wikipedia;twin_wikidata")
    assert " + " in f["source"] and f["link"].startswith("https://")
    assert P.source_fields(data, "")["source"] == ""
    assert P.source_fields(data, float("nan"))["link"] is None
    assert P.source_fields(data, "no-such-id")["source"] == ""


# ------------------------------------------------------------------------------------ the page's per-process view
@pytest.mark.parametrize(("city_id", "lang"), [("budapest", "en"), ("warsaw", "de"), ("abidjan", "hu")])
def test_city_view_equals_the_uncached_helpers(data, latest, city_id, lang):
    from explorer.text.i18n import translator
    from explorer.views.bands import bands_for, load_robust
    from explorer.views.city.page import city_view

    _ = translator(lang)
    bands = load_robust(data.index_dir).bands
    view = city_view(data, bands, city_id, latest, lang)
    assert city_view(data, bands, city_id, latest, lang) is view
    table = P.indicator_table(data, city_id, latest, lang)
    top, bottom = P.strengths_weaknesses(table)
    pd.testing.assert_frame_equal(view.table, table)
    pd.testing.assert_frame_equal(view.top, top[["name", "value_year", "score"]])
    pd.testing.assert_frame_equal(view.bottom, bottom[["name", "value_year", "score"]])
    assert view.head == P.headline(data, city_id, latest, lang)
    assert view.n_missing == int((table["status"] == "missing").sum())
    tr = P.trend(data, city_id, lang)
    wide = tr.pivot(index="edition", columns="pillar_name", values="score")
    expected = wide[[c for c in dict.fromkeys(tr["pillar_name"]) if c in wide.columns]].reset_index()
    expected.columns.name = None
    pd.testing.assert_frame_equal(view.trend_wide, expected)   # edition a column: the table the page shows
    pd.testing.assert_frame_equal(view.trend_ranks, tr.dropna(subset=["rank"]).astype({"rank": "float64"}))
    ab = data.absences
    documented = ab[(ab["city_id"] == city_id) & (ab["edition"].astype(int) == latest)]
    names_by_id = dict(zip(data.framework["indicator"], data.framework["name"]))
    pd.testing.assert_frame_equal(view.documented, documented.assign(
        indicator=documented["indicator"].map(lambda i: _(names_by_id.get(i, i)))))
    pd.testing.assert_frame_equal(view.side["twins"], P.twin_cities(data, city_id, lang))
    assert view.side["pact"] == P.pact_membership(data, city_id, lang)
    band = bands_for(bands, latest)
    if view.head["ranked"] and city_id in band.index:
        b = band.loc[city_id]
        assert view.band_caption.startswith(_("rank {rank}, likely {range}").format(
            rank=view.head["rank"], range=f"{int(b['rank_low'])}–{int(b['rank_high'])}")[:4].capitalize())
    else:
        assert view.band_caption is None


def test_city_view_keeps_languages_and_editions_apart(data, latest):
    from explorer.views.bands import load_robust
    from explorer.views.city.page import city_view

    bands = load_robust(data.index_dir).bands
    en, de = (city_view(data, bands, "vienna", latest, lang) for lang in ("en", "de"))
    assert en.head["name"] == "Vienna" and de.head["name"] == "Wien"
    assert list(en.table["name"]) != list(de.table["name"])
    assert not city_view(data, bands, "vienna", min(data.editions), "en").table.equals(en.table)
