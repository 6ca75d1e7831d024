"""Reshaping for the compare page: a few cities side by side. Pure pandas over published values, no Streamlit."""

from __future__ import annotations

import pandas as pd

from explorer.data import INDEX, IndexData
from explorer.i18n import city_name, translator
from explorer.profile import CHART_LABELS, PILLAR_ORDER, indicator_table


def _name_of(data: IndexData, lang: str):
    return lambda c: city_name(c, data.city_name(c), lang)


def pillar_scores(data: IndexData, cities: list[str], edition: int, lang: str = "en") -> pd.DataFrame:
    """Long frame (city_id, city, pillar, pillar_name, label, score, rank, ranked) for the index and each pillar,
    cities in the order given; label is the short name for charts."""
    s = data.scores
    s = s[(s["edition"] == edition) & s["city_id"].isin(cities)]
    _ = translator(lang)
    names = {INDEX: _("Index"), **{p: _(n) for p, n in data.pillar_names.items()}}
    out = s[["city_id", "pillar", "score", "rank", "ranked"]].copy()
    out["city"] = out["city_id"].map(_name_of(data, lang))
    out["pillar_name"] = out["pillar"].map(names)
    out["label"] = out["pillar"].map({k: _(v) for k, v in CHART_LABELS.items()})
    p_order = {p: i for i, p in enumerate([INDEX, *PILLAR_ORDER])}
    c_order = {c: i for i, c in enumerate(cities)}
    out = out.assign(_p=out["pillar"].map(p_order), _c=out["city_id"].map(c_order))
    out = out.sort_values(["_p", "_c"]).drop(columns=["_p", "_c"])
    return out[["city_id", "city", "pillar", "pillar_name", "label", "score", "rank", "ranked"]].reset_index(drop=True)


def indicator_comparison(data: IndexData, cities: list[str], edition: int, lang: str = "en") -> pd.DataFrame:
    """Long frame, one row per indicator and city (indicators in framework order, cities in the order given):
    raw value in its unit, year, status in words, normalised score and source."""
    parts = []
    for cid in cities:
        t = indicator_table(data, cid, edition, lang)
        t.insert(0, "city", _name_of(data, lang)(cid))
        t.insert(0, "city_id", cid)
        parts.append(t)
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
