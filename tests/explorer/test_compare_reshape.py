"""explorer.views.compare and explorer.views.ranking: pure reshaping for the compare and ranking pages."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from explorer.data.store import FOCUS
from explorer.views import compare as C
from explorer.views import ranking as R
from explorer.views.ranking import ranking_table


def test_pillar_scores_keep_the_chosen_order(data, latest):
    ps = C.pillar_scores(data, ["vienna", "budapest"], latest)
    assert list(ps["city_id"][:2]) == ["vienna", "budapest"]
    assert list(dict.fromkeys(ps["pillar"])) == ["index", "relations", "tourism", "business", "multiculturalism"]
    s = data.scores
    row = s[(s["city_id"] == "vienna") & (s["edition"] == latest) & (s["pillar"] == "business")].iloc[0]
    got = ps[(ps["city_id"] == "vienna") & (ps["pillar"] == "business")].iloc[0]
    assert got["score"] == pytest.approx(row["score"]) and got["rank"] == row["rank"]


def test_indicator_comparison(data, latest):
    t = C.indicator_comparison(data, FOCUS, latest)
    assert len(t) == len(FOCUS) * len(data.framework)
    first = t[t["indicator"] == t["indicator"].iloc[0]]
    assert list(first["city_id"]) == FOCUS
    assert C.indicator_comparison(data, [], latest).empty


def test_rank_trend_and_not_ranked(data, latest):
    tr = C.rank_trend(data, ["budapest", "kyiv"])
    assert set(tr["edition"]) == set(data.editions)
    bud = tr[tr["city_id"] == "budapest"]
    assert bud["rank"].notna().all()
    s = data.scores
    unranked = s[(s["edition"] == latest) & (s["pillar"] == "index") & ~s["ranked"]]["city_id"].iloc[0]
    notes = C.not_ranked(data, ["budapest", unranked], latest)
    assert [n for n, _ in notes] == [data.city_name(unranked)]
    assert notes[0][1].startswith("not ranked")


# ---------------------------------------------------------------------------------------------------- ranking
def test_region_choices_are_slugs(data):
    choices = R.region_choices(data.cities)
    assert choices["all"] == "All regions" and choices["north-america"] == "North America"


def test_filter_ranking(data, latest):
    table = ranking_table(data, latest)
    v4 = R.filter_ranking(table, None, "v4", show_unranked=False)
    assert set(v4["city_id"]) == {"budapest", "prague", "warsaw", "bratislava"}
    europe = R.filter_ranking(table, "Europe", "all", show_unranked=True)
    assert (europe["region"] == "Europe").all()
    assert europe["ranked"].sum() < len(europe)
    ranked = R.filter_ranking(table, None, "all", show_unranked=False)
    assert ranked["ranked"].all() and len(ranked) == int(table["ranked"].sum())
    # an unknown group key falls back to all cities, never to an error
    assert len(R.filter_ranking(table, None, "nope", show_unranked=False)) == len(ranked)


def test_profile_link_is_relative_and_carries_the_name():
    assert R.profile_link("sao-paulo", "São Paulo", 2024) == "city?city=sao-paulo&edition=2024#S%C3%A3o%20Paulo"
    assert R.profile_link("x", "<script>", 2024).endswith("#%3Cscript%3E")


def test_display_and_export_frames(data, latest):
    table = ranking_table(data, latest)
    rows = R.filter_ranking(table, None, "pact", show_unranked=True)
    shown = R.display_frame(rows, latest, show_unranked=True)
    assert list(shown.columns) == ["rank", "profile", "country", "index", "rank_change", "relations", "tourism",
                                   "business", "multiculturalism", "score_change", "region", "status"]
    out = R.export_frame(shown, rows, data.pillar_names)
    assert list(out["City"]) == list(rows["name"])
    assert len(out.columns) == len(shown.columns)
    back = pd.read_csv(io.StringIO(out.to_csv(index=False)))
    assert len(back) == len(shown)
    assert not R.display_frame(rows, latest, show_unranked=False).columns.isin(["status"]).any()


def test_export_filename():
    assert R.export_filename(2025, "all", "all", False) == "cdi-ranking-2025.csv"
    assert R.export_filename(2024, "europe", "v4", True) == "cdi-ranking-2024-europe-v4-with-not-ranked.csv"


def _uncached_scores_table(data, bands, cities, edition, lang):
    """The compare page's "Scores and ranks" table as the page built it on every run before compare_view."""
    from explorer.text.i18n import translator
    from explorer.views.bands import band_range

    _ = translator(lang)
    ps = C.pillar_scores(data, cities, edition, lang)
    names = {c: C._name_of(data, lang)(c) for c in cities}
    city_order = [names[c] for c in cities]
    pillar_order = list(dict.fromkeys(ps["pillar_name"]))
    wide = ps.pivot(index="city", columns="pillar_name", values="score").reindex(index=city_order,
                                                                                 columns=pillar_order)
    ranks = ps.pivot(index="city", columns="pillar_name", values="rank").reindex(index=city_order,
                                                                                 columns=pillar_order)
    table = wide.round(1).astype(object).where(wide.notna(), None)
    pillar_of = dict(zip(ps["pillar_name"], ps["pillar"]))
    for col in pillar_order:
        b = bands[(bands["edition"] == edition) & (bands["pillar"] == pillar_of[col])].set_index("city_id")
        table[_("{pillar} rank").format(pillar=col)] = ranks[col].astype("Int64")
        table[_("{pillar} likely").format(pillar=col)] = [
            band_range(b.at[c, "rank_low"], b.at[c, "rank_high"]) if c in b.index else "" for c in cities]
    return table.reset_index().rename(columns={"city": _("City")})


@pytest.mark.parametrize("lang", ["en", "de"])
def test_compare_view_equals_the_uncached_helpers(data, latest, lang):
    from explorer.views.bands import load_robust, overlap_notes

    bands = load_robust(data.index_dir).bands
    cities = ("budapest", "vienna", "tokyo")
    view = C.compare_view(data, bands, cities, latest, lang)
    assert C.compare_view(data, bands, cities, latest, lang) is view          # one per process and key
    pd.testing.assert_frame_equal(view.pillars, C.pillar_scores(data, list(cities), latest, lang))
    pd.testing.assert_frame_equal(view.indicators, C.indicator_comparison(data, list(cities), latest, lang))
    pd.testing.assert_frame_equal(view.trend, C.rank_trend(data, list(cities), lang))
    pd.testing.assert_frame_equal(view.scores_table, _uncached_scores_table(data, bands, list(cities), latest, lang))
    assert list(view.not_ranked) == C.not_ranked(data, list(cities), latest, lang)
    names = {c: C._name_of(data, lang)(c) for c in cities}
    assert list(view.overlap_notes) == overlap_notes(bands, list(cities), names, latest, lang)
    which = view.pillar_choices[2]
    pd.testing.assert_frame_equal(view.indicator_rows(which), view.indicators[view.indicators["pillar_name"] == which])
    assert view.indicator_rows(view.pillar_choices[0]) is view.indicators


def test_compare_view_keeps_languages_and_editions_apart(data, latest):
    from explorer.views.bands import load_robust

    bands = load_robust(data.index_dir).bands
    en = C.compare_view(data, bands, ("vienna", "budapest"), latest, "en")
    de = C.compare_view(data, bands, ("vienna", "budapest"), latest, "de")
    older = C.compare_view(data, bands, ("vienna", "budapest"), min(data.editions), "en")
    assert en is not de and en.pillar_choices[0] == "All pillars" and de.pillar_choices[0] != "All pillars"
    assert en.names["vienna"] == "Vienna" and de.names["vienna"] == "Wien"
    assert not en.pillars.equals(older.pillars)


@pytest.mark.parametrize(("lang", "region", "group", "unranked"), [("en", None, "all", False),
                                                                  ("de", "Europe", "pact", True)])
def test_ranking_view_equals_the_uncached_helpers(data, latest, lang, region, group, unranked):
    from explorer.text.i18n import city_names_of
    from explorer.views.bands import band_column, load_robust
    from explorer.views.framework import pillar_names

    bands = load_robust(data.index_dir).bands
    view = R.ranking_view(data, bands, latest, region, group, unranked, lang)
    assert R.ranking_view(data, bands, latest, region, group, unranked, lang) is view
    t = ranking_table(data, latest)
    table = t.assign(name=t["city_id"].map(city_names_of(data, lang)))   # what the page's st.cache_data held
    rows = R.filter_ranking(table, region, group, unranked)
    shown = R.display_frame(rows, latest, unranked, lang)
    shown.insert(1, "band", band_column(bands, list(rows["city_id"]), latest))
    pd.testing.assert_frame_equal(view.rows, rows)
    pd.testing.assert_frame_equal(view.shown, shown)
    assert view.csv == R.export_frame(shown, rows, pillar_names(data, lang), lang).to_csv(index=False).encode()
    assert view.n_ranked == int(rows["ranked"].fillna(False).astype(bool).sum())
    assert view.total_ranked == int(table["ranked"].fillna(False).astype(bool).sum())


def test_ranking_view_keeps_languages_editions_and_filters_apart(data, latest):
    from explorer.views.bands import load_robust

    bands = load_robust(data.index_dir).bands
    en = R.ranking_view(data, bands, latest, None, "all", False, "en")
    de = R.ranking_view(data, bands, latest, None, "all", False, "de")
    assert en.csv != de.csv and en.csv.startswith(b"Rank,") and not de.csv.startswith(b"Rank,")
    assert len(R.ranking_view(data, bands, latest, None, "v4", False, "en").rows) < len(en.rows)
    assert not R.ranking_view(data, bands, min(data.editions), None, "all", False, "en").shown.equals(en.shown)


@pytest.mark.parametrize("lang", ["en", "cs"])
def test_headline_view_equals_the_uncached_table(data, latest, lang):
    from explorer.text.i18n import city_names_of

    view = R.headline_view(data, latest, lang)
    assert R.headline_view(data, latest, lang) is view
    table = ranking_table(data, latest)
    table["name"] = table["city_id"].map(city_names_of(data, lang))   # as the home page did on every run
    ranked = table[table["rank"].notna()].sort_values(["rank", "city_id"])
    pd.testing.assert_frame_equal(view.top.drop(columns="score"), ranked.head(20).reset_index(drop=True))
    assert list(view.top["score"]) == list(view.top["score_index"])
    assert (view.n_ranked, view.n_unranked) == (len(ranked), len(table) - len(ranked))
    assert R.headline_view(data, min(data.editions), lang) is not view
