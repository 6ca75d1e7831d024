"""Reshaping for the compare page: a few cities side by side. Pure pandas over published values, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from explorer.data.store import INDEX, IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import city_name, translator
from explorer.views import framework as F
from explorer.views.bands import band_column, band_text, bands_for, overlap_notes
from explorer.views.city.tables import indicator_table


def _name_of(data: IndexData, lang: str):
    return lambda c: city_name(c, data.city_name(c), lang)


def pillar_scores(data: IndexData, cities: list[str], edition: int, lang: str = "en") -> pd.DataFrame:
    """Long frame (city_id, city, pillar, pillar_name, label, score, rank, ranked) for the index and each pillar,
    cities in the order given; label is the short name for charts."""
    s = data.scores
    s = s[(s["edition"] == edition) & s["city_id"].isin(cities)]
    out = s[["city_id", "pillar", "score", "rank", "ranked"]].copy()
    out["city"] = out["city_id"].map(_name_of(data, lang))
    out["pillar_name"] = out["pillar"].map(F.score_names(data, lang))
    out["label"] = out["pillar"].map(F.chart_labels(data, lang))
    p_order = {p: i for i, p in enumerate(F.score_order(data))}
    c_order = {c: i for i, c in enumerate(cities)}
    out = out.assign(_p=out["pillar"].map(p_order), _c=out["city_id"].map(c_order))
    out = out.sort_values(["_p", "_c"]).drop(columns=["_p", "_c"])
    return out[["city_id", "city", "pillar", "pillar_name", "label", "score", "rank", "ranked"]].reset_index(drop=True)


def indicator_comparison(data: IndexData, cities: list[str], edition: int, lang: str = "en") -> pd.DataFrame:
    """Long frame, one row per indicator and city (indicators in framework order, cities in the order given):
    raw value in its unit, year, status in words, normalised score and source."""
    parts = []
    for cid in cities:
        t = indicator_table(data, cid, edition, lang)          # shared, read-only: derive a new frame
        parts.append(pd.concat([pd.DataFrame({"city_id": cid, "city": _name_of(data, lang)(cid)}, index=t.index), t],
                               axis=1))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    i_order = {ind: i for i, ind in enumerate(parts[0]["indicator"])}
    c_order = {c: i for i, c in enumerate(cities)}
    out = out.assign(_i=out["indicator"].map(i_order), _c=out["city_id"].map(c_order))
    return out.sort_values(["_i", "_c"]).drop(columns=["_i", "_c"]).reset_index(drop=True)


def rank_trend(data: IndexData, cities: list[str], lang: str = "en") -> pd.DataFrame:
    """Index rank and score per edition for each city (editions where a city is not ranked have no rank)."""
    s = data.scores
    s = s[(s["pillar"] == INDEX) & s["city_id"].isin(cities)]
    out = s[["city_id", "edition", "rank", "score", "ranked"]].copy()
    out["city"] = out["city_id"].map(_name_of(data, lang))
    return out.sort_values(["city_id", "edition"]).reset_index(drop=True)


def not_ranked(data: IndexData, cities: list[str], edition: int, lang: str = "en") -> list[tuple[str, str]]:
    """(city name, reason) for the chosen cities that are not ranked in the edition."""
    s = data.scores
    s = s[(s["edition"] == edition) & (s["pillar"] == INDEX) & s["city_id"].isin(cities) & ~s["ranked"]]
    order = {c: i for i, c in enumerate(cities)}
    rows = sorted(zip(s["city_id"], s["not_ranked_reason"]), key=lambda r: order[r[0]])
    _ = translator(lang)
    return [(_name_of(data, lang)(c), _(str(reason or "not ranked"))) for c, reason in rows]


# --- the page's per-process view ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareView:
    """Everything the compare page derives from the published tables for one (cities, edition, language): shared by
    every session of the process, so read-only (the frames are never changed by the page; charts and tables are
    built from them only on a cache miss)."""

    names: dict[str, str]                  # city_id -> name in the language, for the chosen cities
    not_ranked: tuple[tuple[str, str], ...]
    not_ranked_notes: tuple[str, ...]      # a sentence per city not ranked in the edition
    pillars: pd.DataFrame                  # pillar_scores
    city_order: tuple[str, ...]
    pillar_order: tuple[str, ...]
    label_order: tuple[str, ...]
    scores_table: pd.DataFrame             # the "Scores and ranks" table as shown (columns in the language)
    score_decimals: dict[str, int]
    band_lines: tuple[str, ...]            # "name: rank 3, likely 2–5" per chosen city with a band
    overlap_notes: tuple[str, ...]
    indicators: pd.DataFrame               # indicator_comparison
    pillar_choices: tuple[str, ...]        # "All pillars" and the pillar names of the indicator table
    trend: pd.DataFrame                    # rank_trend
    ranked_trend: pd.DataFrame             # trend rows with a rank (float)
    trend_gaps: tuple[str, ...]            # names of cities missing a rank in some edition

    def indicator_rows(self, which: str) -> pd.DataFrame:
        """The indicator table for one choice of the pillar filter (the first choice is every pillar)."""
        return self.indicators if which == self.pillar_choices[0] else pillar_rows(self.indicators, which)


@memo
def pillar_rows(indicators: pd.DataFrame, pillar_name: str) -> pd.DataFrame:
    """The rows of one pillar (by its name) of an indicator comparison: one shared frame per process and choice, so
    its table is converted once (explorer.widgets.tables.table)."""
    return indicators[indicators["pillar_name"] == pillar_name]


def _scores_table(ps: pd.DataFrame, bands: pd.DataFrame, cities: list[str], city_order: list[str],
                  pillar_order: list[str], edition: int, lang: str) -> pd.DataFrame:
    """Scores (1 decimal), ranks and likely rank ranges per pillar, one row per city (the page's expander table)."""
    _ = translator(lang)
    wide = ps.pivot(index="city", columns="pillar_name", values="score").reindex(index=city_order,
                                                                                 columns=pillar_order)
    ranks = ps.pivot(index="city", columns="pillar_name", values="rank").reindex(index=city_order,
                                                                                 columns=pillar_order)
    table = wide.round(1).astype(object).where(wide.notna(), None)
    pillar_of = dict(zip(ps["pillar_name"], ps["pillar"]))
    for col in pillar_order:
        table[_("{pillar} rank").format(pillar=col)] = ranks[col].astype("Int64")
        table[_("{pillar} likely").format(pillar=col)] = band_column(bands, cities, edition, pillar_of[col])
    return table.reset_index().rename(columns={"city": _("City")})


@memo
def compare_view(data: IndexData, bands: pd.DataFrame, cities: tuple[str, ...], edition: int,
                 lang: str = "en") -> CompareView:
    """The page's view of (cities, edition, language), built once per process (explorer.perf.memo.memo: the
    shared IndexData and the published rank bands by identity, both read-only for the life of the process)."""
    cities = list(cities)
    _ = translator(lang)
    name = _name_of(data, lang)
    names = {c: name(c) for c in cities}
    ps = pillar_scores(data, cities, edition, lang)
    city_order = [names[c] for c in cities]
    pillar_order = list(dict.fromkeys(ps["pillar_name"]))
    b = bands_for(bands, edition)
    band_lines = tuple(f"{names[c]}: {band_text(b.at[c, 'rank'], b.at[c, 'rank_low'], b.at[c, 'rank_high'], lang)}"
                       for c in cities if c in b.index)
    ind = indicator_comparison(data, cities, edition, lang)
    tr = rank_trend(data, cities, lang)
    unranked = tuple(not_ranked(data, cities, edition, lang))
    view = CompareView(
        names=names, not_ranked=unranked, pillars=ps,
        not_ranked_notes=tuple(_("{name} is not ranked in {edition} ({x}); its pillar scores and values are shown "
                                 "where they exist.").format(name=name, edition=edition, x=reason.split(": ", 1)[-1])
                               for name, reason in unranked),
        city_order=tuple(city_order), pillar_order=tuple(pillar_order),
        label_order=tuple(dict.fromkeys(ps["label"])),
        scores_table=_scores_table(ps, bands, cities, city_order, pillar_order, edition, lang),
        score_decimals={c: 1 for c in pillar_order}, band_lines=band_lines,
        overlap_notes=tuple(overlap_notes(bands, cities, names, edition, lang)), indicators=ind,
        pillar_choices=(_("All pillars"), *dict.fromkeys(ind["pillar_name"])) if len(ind) else (_("All pillars"),),
        trend=tr, ranked_trend=tr.dropna(subset=["rank"]).astype({"rank": "float64"}),
        trend_gaps=tuple(sorted(set(tr.loc[~tr["ranked"], "city"]))))
    return view


# --- charts (Altair builders for explorer.widgets.charts.spec) ------------------------------------------------------

def pillars_chart(ps: pd.DataFrame, city_order: tuple[str, ...], label_order: tuple[str, ...],
                  lang: str) -> alt.LayerChart:
    """The chosen cities' index and pillar scores side by side, a group of bars per score (CompareView.pillars)."""
    _ = translator(lang)
    bars = alt.Chart(ps.dropna(subset=["score"])).encode(
        y=alt.Y("label:N", sort=list(label_order), title=None, axis=alt.Axis(labelLimit=140)),
        yOffset=alt.YOffset("city:N", sort=list(city_order)),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=_("Score (0-100)")),
        color=alt.Color("city:N", sort=list(city_order), title=None,
                        legend=alt.Legend(orient="top", columns=2, labelLimit=150)),
        tooltip=[alt.Tooltip("city:N", title=_("City")), alt.Tooltip("pillar_name:N", title=_("Pillar")),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f"),
                 alt.Tooltip("rank:Q", title=_("Rank"), format="d")],
    )
    return (bars.mark_bar() + bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("score:Q", format=".0f"), color=alt.value("#555"))).properties(
        height=90 + 20 * len(city_order) * len(label_order))


def rank_trend_chart(ranked: pd.DataFrame, city_order: tuple[str, ...], lang: str) -> alt.Chart:
    """The chosen cities' index rank over the editions, 1 at the top (CompareView.ranked_trend)."""
    _ = translator(lang)
    return alt.Chart(ranked).mark_line(point=True).encode(
        x=alt.X("edition:O", title=_("Edition")),
        y=alt.Y("rank:Q", title=_("Rank (1 = top)"), scale=alt.Scale(reverse=True, zero=False)),
        color=alt.Color("city:N", sort=list(city_order), title=None,
                        legend=alt.Legend(orient="top", columns=2, labelLimit=150)),
        tooltip=[alt.Tooltip("city:N", title=_("City")), alt.Tooltip("edition:O", title=_("Edition")),
                 alt.Tooltip("rank:Q", title=_("Rank"), format="d"),
                 alt.Tooltip("score:Q", title=_("Score"), format=".1f")],
    ).properties(height=300)
