"""Reshaping for the city profile (and the compare page): pure pandas over the published tables, no Streamlit.

Nothing here computes the index. It selects, joins and labels published values; the only summaries are peer
medians of published scores and the counts shown beside the side tables.
"""

from __future__ import annotations

import math

import pandas as pd

from explorer.data.store import FOCUS, INDEX, IndexData
from explorer.perf.memo import memo
from explorer.text.grades import grade_text
from explorer.text.i18n import N_, city_name, translator
from explorer.text.i18n import fmt_number as fmt_locale
from explorer.text.urls import is_missing, safe_url
from explorer.views import framework as F

# the one reason the build gives for a city it does not rank (translated where it is shown)
NOT_RANKED_REASONS = (N_("not ranked: no data for at least one pillar"), N_("not ranked: no scores for this edition"),
                      N_("not ranked"))
V4 = ["budapest", "prague", "warsaw", "bratislava"]

# Groups a reader recognises; the technical reference sets (eurostat_250k, lowy_20, focus) are not shown.
GROUP_LABELS = {
    "v4": N_("V4 capital"),
    "eu_capital": N_("EU capital"),
    "european_capital": N_("European capital"),
    "pact_member": N_("Pact of Free Cities member"),
    "c40": N_("C40 member"),
}

CERTAINTY_WORDS = {
    "confirmed": N_("confirmed by the sources"),
    "single_source": N_("from a single source"),
    "upper_bound_only": N_("only an upper bound is known (joined by then)"),
    "unknown": N_("date unknown"),
    "listed_only": N_("named in member lists only"),
}


# ---------------------------------------------------------------------------------------------------- formatting
def fmt_number(x: object) -> str:
    """1234567 -> '1,234,567'; 12.35 -> '12.35'; NaN -> ''."""
    if is_missing(x):
        return ""
    v = float(x)
    if math.isfinite(v) and v == round(v):
        return f"{int(round(v)):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def local_number(x: object, lang: str) -> str:
    """fmt_number in the language's format: whole numbers without decimals, others with up to two."""
    if lang == "en" or is_missing(x):
        return fmt_number(x)
    v = float(x)
    if math.isfinite(v) and v == round(v):
        return fmt_locale(v, lang, 0)
    text = fmt_locale(v, lang, 2)
    dec = fmt_locale(0.5, lang, 1)[1]  # the locale's decimal sign
    return text.rstrip("0").rstrip(dec)


def value_text(value: object, unit: str, status: str, lang: str = "en") -> str:
    """The raw value in its unit, in words a reader can quote; zero, missing and below-threshold differ."""
    _ = translator(lang)
    if status == "missing":
        return _("no data")
    if status == "below_threshold":
        return _("below the list's threshold")
    if is_missing(value):
        return _("no data")
    num = local_number(value, lang)
    unit = str(unit or "").strip()
    if not unit:
        return num
    if lang != "en":  # the catalogue's unit (a form that reads after any number); no English plural rules
        return f"{num} {_(unit)}"
    if float(value) == 1:
        unit = singular(unit)
    return f"{num} {unit}"


def singular(unit: str) -> str:
    """'properties' -> 'property', 'partner places' -> 'partner place'; units that are not plain plurals stay."""
    if unit.startswith("%") or "(" in unit or unit.endswith(("ss", "headquarters")):
        return unit
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    return unit[:-1] if unit.endswith("s") else unit


def places(change: int, lang: str = "en") -> str:
    """+2 -> '+2 places', -1 -> '-1 place', 0 -> '0 places' (for a rank change, + = moved up)."""
    return translator(lang).ngettext("{change} place", "{change} places", abs(change)).format(change=f"{change:+d}")


def status_text(status: str, vintage: str, year: object, lang: str = "en") -> str:
    """Status and vintage in words: 'current', 'value from 2018 (carried forward)', 'no data', ..."""
    _ = translator(lang)
    if status == "missing":
        return _("no data")
    yr = "" if is_missing(year) else str(int(year))
    if status == "below_threshold":
        return _("below the list's threshold (list of {year})").format(year=yr) if yr else _(
            "below the list's threshold")
    base = "" if status == "observed" else str(status)
    if vintage == "carried_forward":
        tail = _("value from {year} (carried forward)").format(year=yr) if yr else _("carried forward")
    elif vintage == "later_vintage":
        tail = _("value from {year} (later than the edition)").format(year=yr) if yr else _("later vintage")
    elif vintage == "current":
        tail = _("current")
    else:
        tail = ""
    return "; ".join(p for p in (base, tail) if p)


def groups_text(groups: object, lang: str = "en") -> list[str]:
    _ = translator(lang)
    keys = [] if is_missing(groups) else str(groups).split(";")
    return [_(GROUP_LABELS[k]) for k in GROUP_LABELS if k in keys]


# ------------------------------------------------------------------------------------------------------- sources
@memo
def _source_lookup(data: IndexData) -> dict[str, dict]:
    src = data.sources
    grades = src["grade"] if "grade" in src.columns else [""] * len(src)
    return {sid: {"title": t, "producer": p, "licence": li, "url": u, "grade": "" if is_missing(g) else str(g)}
            for sid, t, p, li, u, g in zip(src["source_id"], src["title"], src["producer"], src["licence"],
                                           src["url"], grades)}


def source_fields(data: IndexData, source_ids: object, lookup: dict[str, dict] | None = None) -> dict:
    """Title, producer, licence, grade (base.GRADES, ';'-joined) and first safe link for one source id or several
    joined by ';'."""
    lookup = lookup if lookup is not None else _source_lookup(data)
    ids = [] if is_missing(source_ids) else [s.strip() for s in str(source_ids).split(";") if s.strip()]
    rows = [lookup[s] for s in ids if s in lookup]
    if not rows:
        return {"source": "", "licence": "", "grade": "", "link": None}
    source = " + ".join(f"{r['title']} ({r['producer']})" if not is_missing(r["producer"]) and r["producer"]
                        else str(r["title"]) for r in rows)
    licences = []
    for r in rows:
        if not is_missing(r["licence"]) and r["licence"] not in licences:
            licences.append(str(r["licence"]))
    link = next((safe_url(r["url"]) for r in rows if safe_url(r["url"])), None)
    grades = ";".join(dict.fromkeys(r["grade"] for r in rows if r["grade"]))
    return {"source": source, "licence": "; ".join(licences), "grade": grades, "link": link}


def with_sources(data: IndexData, frame: pd.DataFrame, column: str = "source_id", lang: str = "en") -> pd.DataFrame:
    """Copy of frame with source, licence, grade (in words, in the language) and link columns for its source ids."""
    lookup = _source_lookup(data)
    fields = [source_fields(data, sid, lookup) for sid in frame[column]]
    out = frame.copy()
    out["source"] = [f["source"] for f in fields]
    out["licence"] = [f["licence"] for f in fields]
    out["grade"] = [grade_text(f["grade"], lang) for f in fields]
    out["link"] = [f["link"] for f in fields]
    return out


# ------------------------------------------------------------------------------------------------------ headline
@memo
def headline(data: IndexData, city_id: str, edition: int, lang: str = "en") -> dict:
    """Index rank, score and change for a city and edition, plus identity fields (names in the language)."""
    city = data.cities[data.cities["city_id"] == city_id].iloc[0]
    s = data.scores
    row = s[(s["city_id"] == city_id) & (s["edition"] == edition) & (s["pillar"] == INDEX)]
    out = {"city_id": city_id, "name": city_name(city_id, str(city["name"]), lang),
           "country_iso2": str(city["country_iso2"]),
           "region": str(city["region"]), "groups": groups_text(city["groups"], lang), "edition": edition,
           "ranked": False, "rank": None, "n_ranked": None, "score": None, "rank_change": None,
           "score_change": None, "reason": "not ranked: no scores for this edition", "coverage": None,
           "first_edition": edition == min(data.editions)}
    if row.empty:
        return out
    r = row.iloc[0]
    out.update({
        "ranked": bool(r["ranked"]),
        "rank": None if is_missing(r["rank"]) else int(r["rank"]),
        "n_ranked": int(r["n_ranked"]),
        "score": None if is_missing(r["score"]) else float(r["score"]),
        "rank_change": None if is_missing(r["rank_change"]) else int(r["rank_change"]),
        "score_change": None if is_missing(r["score_change"]) else float(r["score_change"]),
        "reason": str(r["not_ranked_reason"] or ""),
        "coverage": None if is_missing(r["coverage"]) else float(r["coverage"]),
    })
    return out


# --------------------------------------------------------------------------------------------------- peer medians
@memo
def peer_ids(data: IndexData, city_id: str, edition: int, peers: str, lang: str = "en") -> tuple[list[str], str]:
    """The peer set ('focus': V4 capitals and Vienna; 'region': ranked cities of the city's region), without the
    city itself, and a label that says which."""
    _ = translator(lang)
    if peers == "focus":
        ids = [c for c in FOCUS if c != city_id]
        return ids, (_("median of the V4 capitals and Vienna (the other four)") if city_id in FOCUS
                     else _("median of the V4 capitals and Vienna"))
    region = str(data.cities.loc[data.cities["city_id"] == city_id, "region"].iloc[0])
    s = data.scores
    ranked = s[(s["edition"] == edition) & (s["pillar"] == INDEX) & s["ranked"]]["city_id"]
    in_region = set(data.cities.loc[data.cities["region"] == region, "city_id"])
    ids = sorted(c for c in ranked if c in in_region and c != city_id)
    return ids, _.ngettext("median of the {n} other ranked city in {region}",
                           "median of the {n} other ranked cities in {region}", len(ids)).format(
        n=len(ids), region=_(region))


@memo
def pillar_vs_peers(data: IndexData, city_id: str, edition: int, peers: str,
                    lang: str = "en") -> tuple[pd.DataFrame, str]:
    """Long frame (pillar, pillar_name, label, series, score): the city's published scores and the peer median."""
    _ = translator(lang)
    ids, label = peer_ids(data, city_id, edition, peers, lang)
    s = data.scores[data.scores["edition"] == edition]
    names, labels = F.score_names(data, lang), F.chart_labels(data, lang)
    own_name = city_name(city_id, data.city_name(city_id), lang)
    rows = []
    for p in F.score_order(data):
        sp = s[s["pillar"] == p]
        own = sp.loc[sp["city_id"] == city_id, "score"]
        peer = sp.loc[sp["city_id"].isin(ids), "score"].dropna()
        base = {"pillar": p, "pillar_name": names.get(p, p), "label": labels[p]}
        rows.append({**base, "series": own_name,
                     "score": float(own.iloc[0]) if len(own) and not is_missing(own.iloc[0]) else float("nan")})
        rows.append({**base, "series": _("Peer median"), "score": float(peer.median()) if len(peer) else float("nan")})
    return pd.DataFrame(rows), label


# ------------------------------------------------------------------------------------------------ indicator table
@memo
def indicator_table(data: IndexData, city_id: str, edition: int, lang: str = "en") -> pd.DataFrame:
    """One row per framework indicator for a city and edition: raw value in words, year, status, score, source
    (indicator and pillar names, values and status in the language)."""
    _ = translator(lang)
    fw = data.framework[["indicator", "pillar", "name", "unit", "pillar_name"]]
    if lang != "en":
        fw = fw.assign(name=fw["name"].map(_), pillar_name=fw["pillar_name"].map(_))
    ind = data.indicators
    rows = ind[(ind["city_id"] == city_id) & (ind["edition"] == edition)]
    out = fw.merge(rows.drop(columns=["pillar"]), on="indicator", how="left")
    out["status"] = out["status"].fillna("missing")
    out["vintage"] = out["vintage"].fillna("")
    out["value_text"] = [value_text(v, u, st, lang) for v, u, st in zip(out["value"], out["unit"], out["status"])]
    out["status_text"] = [status_text(st, vi, y, lang)
                          for st, vi, y in zip(out["status"], out["vintage"], out["year"])]
    out["value_year"] = [v if is_missing(y) or st == "missing" else f"{v} ({int(y)})"
                         for v, y, st in zip(out["value_text"], out["year"], out["status"])]
    out["note"] = out["note"].fillna("")
    out = with_sources(data, out.assign(source_id=out["source_id"].fillna("")), lang=lang)
    order = {p: i for i, p in enumerate(F.pillar_ids(data))}
    out["_p"] = out["pillar"].map(order)
    out = out.sort_values(["_p", "indicator"]).drop(columns="_p").reset_index(drop=True)
    return out[["pillar", "pillar_name", "indicator", "name", "unit", "value", "value_text", "value_year", "year",
                "status", "vintage", "status_text", "score", "source_id", "source", "licence", "grade", "link", "note"]]


def strengths_weaknesses(table: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators with the highest and the lowest normalised scores (scored ones only; ties by name)."""
    scored = table[table["score"].notna()]
    top = scored.sort_values(["score", "name"], ascending=[False, True]).head(n)
    rest = scored.drop(top.index)
    bottom = rest.sort_values(["score", "name"], ascending=[True, True]).head(n)
    return top.reset_index(drop=True), bottom.reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------- trend
@memo
def trend(data: IndexData, city_id: str, lang: str = "en") -> pd.DataFrame:
    """Index and pillar scores and ranks over every edition (long: edition, pillar, pillar_name, label, score,
    rank)."""
    s = data.scores[data.scores["city_id"] == city_id]
    out = s[["edition", "pillar", "score", "rank", "ranked"]].copy()
    out["pillar_name"] = out["pillar"].map(F.score_names(data, lang))
    out["label"] = out["pillar"].map(F.chart_labels(data, lang))
    order = {p: i for i, p in enumerate(F.score_order(data))}
    out = out.assign(_p=out["pillar"].map(order)).sort_values(["_p", "edition"]).drop(columns="_p")
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------------------------------- side tables
@memo
def twin_cities(data: IndexData, city_id: str, lang: str = "en") -> pd.DataFrame:
    """Partner cities among the reference cities (either side of a pair), with start year where known."""
    t = data.twinnings
    mine = t[(t["city_id_a"] == city_id) | (t["city_id_b"] == city_id)]
    partner = mine["city_id_a"].where(mine["city_id_a"] != city_id, mine["city_id_b"])
    cities = data.cities.set_index("city_id")
    out = pd.DataFrame({
        "partner_id": partner.to_numpy(),
        "partner": [city_name(p, str(cities.at[p, "name"]), lang) if p in cities.index else p for p in partner],
        "country_iso2": [str(cities.at[p, "country_iso2"]) if p in cities.index else "" for p in partner],
        "start_year": mine["start_year"].fillna("").to_numpy(),
        "ended_year": mine["ended_year"].fillna("").to_numpy(),
        "listed_in": mine["source"].str.replace(";", ", ").to_numpy(),
        "source_id": [";".join(x for x in (a, b) if x)
                      for a, b in zip(mine["source_id"].fillna(""), mine["year_source_id"].fillna(""))],
    })
    out = with_sources(data, out, lang=lang)
    return out.sort_values("partner").reset_index(drop=True)


@memo
def networks(data: IndexData, city_id: str, lang: str = "en") -> pd.DataFrame:
    n = data.network_memberships
    out = n[n["city_id"] == city_id][["network", "role", "year", "date", "source_id"]].copy()
    out["since"] = [d if d else y for d, y in zip(out["date"].fillna(""), out["year"].fillna(""))]
    return with_sources(data, out, lang=lang).sort_values("network").reset_index(drop=True)


@memo
def pact_membership(data: IndexData, city_id: str, lang: str = "en") -> dict | None:
    p = data.pact_members
    row = p[p["city_id"] == city_id]
    if row.empty:
        return None
    r = row.iloc[0]
    date = str(r["joined_date"] or "")
    fields = source_fields(data, r["source_id"])
    fields["grade"] = grade_text(fields["grade"], lang)
    _ = translator(lang)
    return {"role": str(r["role"] or ""), "joined_date": date or _("date unknown"),
            "precision": str(r["joined_date_precision"] or ""), "event": str(r["event"] or ""),
            "mayor": str(r["mayor_at_signing"] or ""),
            "certainty": _(CERTAINTY_WORDS.get(str(r["joined_date_certainty"]), str(r["joined_date_certainty"]))),
            "membership": _(CERTAINTY_WORDS.get(str(r["certainty"]), str(r["certainty"]))),
            "notes": str(r["notes"] or ""), **fields}


@memo
def heritage_sites(data: IndexData, city_id: str, lang: str = "en") -> pd.DataFrame:
    w = data.whc_sites
    out = w[w["city_id"] == city_id][["name_en", "date_inscribed", "distance_km", "source_id"]]
    return with_sources(data, out, lang=lang).reset_index(drop=True)


@memo
def global500(data: IndexData, city_id: str, lang: str = "en") -> pd.DataFrame:
    """The companies behind the city's latest published Global 500 count (list year, HQ town; no Fortune ranks)."""
    ind = data.indicators
    rec = ind[(ind["city_id"] == city_id) & (ind["indicator"] == "global500_hq") & (ind["status"] == "observed")]
    g = data.global500_hq
    year = pd.to_numeric(rec["year"], errors="coerce").max() if len(rec) else None
    mine = g[(g["city_id"] == city_id) & (pd.to_numeric(g["year"], errors="coerce") == year)]
    out = mine[["company", "year", "hq_town", "source_id"]].copy()
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    return with_sources(data, out, lang=lang).sort_values("company").reset_index(drop=True)


@memo
def org_seats(data: IndexData, city_id: str, lang: str = "en") -> pd.DataFrame:
    io = data.intl_org_seats
    out = io[io["city_id"] == city_id][["organisation", "acronym", "type", "seat_municipality", "counted_from",
                                         "counted_until", "source_id"]]
    return with_sources(data, out, lang=lang).sort_values("organisation").reset_index(drop=True)


# ------------------------------------------------------------------------------------------- links and citation
def citation(data: IndexData, edition: int, url: str, lang: str = "en") -> str:
    _ = translator(lang)
    return _("City Diplomacy Index {edition}, methodology v{version}, {url}").format(
        edition=edition, version=data.manifest["methodology_version"], url=url)


def compare_preset(city_id: str) -> list[str]:
    """The city with the V4 capitals (the five focus cities if it is one of them), at most five."""
    if city_id in FOCUS:
        return list(FOCUS)
    return [city_id, *V4]
