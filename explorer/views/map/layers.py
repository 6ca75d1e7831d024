"""Map data: city points coloured by a published score, twin-city and Pact of Free Cities links as arcs.

Pure pandas (no Streamlit): only selects and joins published values; the colours and sizes are presentation.
Every function returns plain Python values in its records (no NaN, no pandas NA), so pydeck can serialise them.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from explorer.perf.memo import memo
from explorer.text.i18n import N_, city_name, fmt_number, translator

INDEX = "index"
METRICS = ["index", "relations", "tourism", "business", "multiculturalism"]

# Five equal score classes, light to dark (ColorBrewer YlGnBu, colour-blind safe). Every point gets a thin dark rim
# (OUTLINE), so even the lightest class reads on a plain white background when the map tiles do not load.
BINS = [0, 20, 40, 60, 80, 100]
PALETTE = ((127, 205, 187), (65, 182, 196), (29, 145, 192), (34, 94, 168), (12, 44, 132))
GREY = (160, 160, 160)
TWIN_COLOUR = [230, 120, 0]      # orange: twin / partner cities
PACT_COLOUR = [150, 40, 160]     # purple: other Pact of Free Cities members
SELECTED_COLOUR = [215, 25, 28]  # red ring round the selected city
OUTLINE = [50, 50, 50]
TWIN_SOURCES = {"wikipedia": N_("English Wikipedia"), "wikidata": "Wikidata"}


def score_class(score: float | None) -> int | None:
    """Index of the score class (0-4) for a 0-100 score; None for no score."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    for i, upper in enumerate(BINS[1:]):
        if score < upper:
            return i
    return len(BINS) - 2


def colour_for(score: float | None, ranked: bool) -> tuple[int, int, int]:
    """A point's RGB colour (a tuple: the shared points frame holds no mutable cells; JSON makes it an array)."""
    cls = score_class(score)
    return GREY if not ranked or cls is None else PALETTE[cls]


def radius_for(score: float | None, ranked: bool) -> float:
    """Point radius in pixels: 2.5 px for a city without a rank, 3-10 px by score otherwise."""
    if not ranked or score_class(score) is None:
        return 2.5
    return round(3.0 + 7.0 * max(0.0, min(100.0, float(score))) / 100.0, 2)


def legend_rows(lang: str = "en") -> pd.DataFrame:
    """The colour classes, as rows a chart or table can show (label in `lang`, colour hex, score range)."""
    _ = translator(lang)
    rows = [{"class": f"{lo}–{hi}", "lower": lo, "upper": hi, "hex": "#{:02x}{:02x}{:02x}".format(*c)}
            for lo, hi, c in zip(BINS[:-1], BINS[1:], PALETTE)]
    rows.append({"class": _("not ranked"), "lower": None, "upper": None, "hex": "#{:02x}{:02x}{:02x}".format(*GREY)})
    return pd.DataFrame(rows)


def legend_chart(labels: list[str], hexes: list[str]) -> alt.Chart:
    """A colour legend drawn as a chart (no HTML): one row per class, a dot and its label; narrow enough for a
    phone. (No chart title: Streamlit fits title and padding into the height; put the title in the page.)"""
    rows = pd.DataFrame({"label": labels, "hex": hexes, "order": range(len(labels))})
    y = alt.Y("order:Q", axis=None, scale=alt.Scale(domain=[-0.5, len(labels) - 0.5], reverse=True, nice=False,
                                                     zero=False))
    dots = alt.Chart(rows).mark_circle(size=160, stroke="#323232", strokeWidth=1, opacity=0.9).encode(
        y=y, x=alt.value(10), color=alt.Color("hex:N", scale=None))
    text = alt.Chart(rows).mark_text(align="left", baseline="middle", fontSize=14, color="#222222").encode(
        y=y, x=alt.value(26), text="label:N")
    return (dots + text).properties(height=28 * len(rows), width=220)


def label_records(data, city_ids: list[str], zoom: float, max_labels: int = 25, lang: str = "en") -> list[dict]:
    """Name labels for the listed cities (their names in `lang`), in priority order (the first is always labelled),
    leaving out any label that would overlap one already placed at the initial zoom: the map then reads without
    basemap tiles."""
    c = data.cities.set_index("city_id")
    px_per_degree = 512 * 2 ** zoom / 360  # web-mercator, near the equator; latitude is stretched further north
    placed: list[tuple[float, float, float]] = []
    out = []
    for i in dict.fromkeys(city_ids):
        if i not in c.index or pd.isna(c.at[i, "lat"]) or len(out) >= max_labels:
            continue
        name, lon, lat = city_name(i, str(c.at[i, "name"]), lang), float(c.at[i, "lon"]), float(c.at[i, "lat"])
        stretch = 1 / max(0.2, math.cos(math.radians(lat)))
        x, y = lon * px_per_degree, lat * px_per_degree * stretch
        width = 7.5 * len(name) + 8
        if any(abs(x - px) < (width + pw) / 2 + 4 and abs(y - py) < 20 for px, py, pw in placed):
            continue
        placed.append((x, y, width))
        out.append({"label": name, "lon": lon, "lat": lat})
    return out


@memo
def city_points(data, edition: int, metric: str, lang: str = "en") -> pd.DataFrame:
    """One row per reference city with coordinates: score and rank for `metric` in `edition`, colour and radius;
    the name, score and rank labels in `lang`.

    A city is drawn in colour only if it is ranked in that edition (index coverage rule); its pillar score is shown
    in the tooltip either way, since the pillar scores are published for every city.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    _ = translator(lang)
    s = data.scores
    s = s[(s["edition"] == edition) & (s["pillar"] == metric)].set_index("city_id")
    cities = data.cities[["city_id", "name", "country_iso2", "lat", "lon"]]
    cities = cities[cities["lat"].notna() & cities["lon"].notna()]
    rows = []
    for cid, name, country, lat, lon in cities.itertuples(index=False):
        score = rank = n_ranked = None
        ranked = False
        if cid in s.index:
            r = s.loc[cid]
            score = None if pd.isna(r["score"]) else float(r["score"])
            ranked = bool(r["ranked"]) and not pd.isna(r["rank"])
            rank = int(r["rank"]) if ranked else None
            n_ranked = int(r["n_ranked"])
        rows.append({
            "city_id": cid, "name": city_name(cid, str(name), lang), "country": str(country), "lat": float(lat),
            "lon": float(lon),
            "score": score, "rank": rank, "n_ranked": n_ranked, "ranked": ranked,
            "score_label": _("no score") if score is None else fmt_number(score, lang, 1),
            "rank_label": (_("{rank} of {n_ranked}").format(rank=rank, n_ranked=n_ranked) if ranked
                           else _("not ranked (too little data)")),
            "colour": colour_for(score, ranked), "radius": radius_for(score, ranked),
        })
    out = pd.DataFrame(rows)
    out["rank"] = out["rank"].astype("Int64")
    out["n_ranked"] = out["n_ranked"].astype("Int64")
    # draw ranked cities last, so they sit on top of the grey ones; larger scores on top
    return out.sort_values(["ranked", "score"], na_position="first").reset_index(drop=True)


def layer_records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows for a pydeck layer: only the named columns, missing values as None (JSON null, never NaN)."""
    out = []
    for rec in frame[columns].to_dict(orient="records"):
        out.append({k: (None if not isinstance(v, list | tuple) and pd.isna(v) else v) for k, v in rec.items()})
    return out


def _coords(data) -> dict[str, tuple[float, float]]:
    c = data.cities
    return {cid: (float(lon), float(lat)) for cid, lon, lat in zip(c["city_id"], c["lon"], c["lat"])
            if pd.notna(lon) and pd.notna(lat)}


@memo
def twin_links(data, city_id: str, lang: str = "en") -> pd.DataFrame:
    """The city's twin / partner cities that are reference cities (both ends in the registry), with sources (tuples of
    source ids: a shared result holds no mutable cells); names and the lists' names in `lang`."""
    _ = translator(lang)
    t = data.twinnings
    t = t[(t["city_id_a"] == city_id) | (t["city_id_b"] == city_id)]
    coords = _coords(data)
    names = dict(zip(data.cities["city_id"], data.cities["name"]))
    countries = dict(zip(data.cities["city_id"], data.cities["country_iso2"]))
    rows = []
    for a, b, source, start, ended, source_id, year_source_id in t[
            ["city_id_a", "city_id_b", "source", "start_year", "ended_year", "source_id", "year_source_id"]
    ].itertuples(index=False):
        partner = b if a == city_id else a
        if partner not in coords or city_id not in coords:
            continue
        listed = "; ".join(_(TWIN_SOURCES[s]) if s in TWIN_SOURCES else s for s in str(source or "").split(";") if s)
        rows.append({
            "partner_id": partner, "partner": city_name(partner, str(names[partner]), lang),
            "country": str(countries[partner]),
            "listed_in": listed, "since": str(start or ""), "ended": str(ended or ""),
            "source_ids": tuple(s for s in str(source_id or "").split(";") if s),
            "year_source_ids": tuple(s for s in str(year_source_id or "").split(";") if s),
            "from_lon": coords[city_id][0], "from_lat": coords[city_id][1],
            "to_lon": coords[partner][0], "to_lat": coords[partner][1],
        })
    cols = ["partner_id", "partner", "country", "listed_in", "since", "ended", "source_ids", "year_source_ids",
            "from_lon", "from_lat", "to_lon", "to_lat"]
    return pd.DataFrame(rows, columns=cols).sort_values("partner").reset_index(drop=True)


@memo
def pact_members_at(data, edition: int) -> list[str]:
    """Pact of Free Cities members counted in an edition, by the index's own rule (network_memberships): from the
    year of accession; members with no known date from 2025, the year the Feb 2025 member list names them."""
    n = data.network_memberships
    n = n[n["network"] == "Pact of Free Cities"]
    years = pd.to_numeric(n["year"], errors="coerce").fillna(2025)
    return sorted(n.loc[years <= edition, "city_id"])


@memo
def pact_links(data, city_id: str, edition: int, lang: str = "en") -> pd.DataFrame:
    """If the city is a Pact member in the edition: one link to every other member of that edition (names in
    `lang`)."""
    members = pact_members_at(data, edition)
    coords = _coords(data)
    names = dict(zip(data.cities["city_id"], data.cities["name"]))
    cols = ["partner_id", "partner", "from_lon", "from_lat", "to_lon", "to_lat"]
    if city_id not in members or city_id not in coords:
        return pd.DataFrame(columns=cols)
    rows = [{"partner_id": m, "partner": city_name(m, str(names[m]), lang), "from_lon": coords[city_id][0],
             "from_lat": coords[city_id][1], "to_lon": coords[m][0], "to_lat": coords[m][1]}
            for m in members if m != city_id and m in coords]
    return pd.DataFrame(rows, columns=cols).sort_values("partner").reset_index(drop=True)


def view_for(points: pd.DataFrame, city_id: str | None, links: pd.DataFrame | None = None) -> dict:
    """Initial view: the world (or Europe-centred) without a selection; the selected city and its links otherwise."""
    if city_id is None or city_id not in set(points["city_id"]):
        return {"latitude": 35.0, "longitude": 10.0, "zoom": 1.2}
    row = points[points["city_id"] == city_id].iloc[0]
    lats, lons = [row["lat"]], [row["lon"]]
    if links is not None and len(links):
        lats += list(links["to_lat"])
        lons += list(links["to_lon"])
    span = max(max(lats) - min(lats), (max(lons) - min(lons)) / 2, 1.0)
    zoom = max(0.8, min(5.0, math.log2(160.0 / span)))
    return {"latitude": float(row["lat"]), "longitude": float(row["lon"]), "zoom": round(zoom, 2)}
