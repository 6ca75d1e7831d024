"""Filters and export for the ranking page. Pure pandas over the published ranking table, no Streamlit."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pandas as pd

from explorer.profile import PILLAR_ORDER

# URL value -> (label, group key in cities.groups); "all" keeps every city.
GROUPS: dict[str, tuple[str, str | None]] = {
    "all": ("All cities", None),
    "v4": ("V4 capitals", "v4"),
    "eu-capitals": ("EU capitals", "eu_capital"),
    "pact": ("Pact of Free Cities members", "pact_member"),
    "c40": ("C40 members", "c40"),
    "european-capitals": ("European capitals", "european_capital"),
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def region_choices(cities: pd.DataFrame) -> dict[str, str]:
    """URL value -> label: 'all' and one slug per region of the registry."""
    regions = sorted(set(cities["region"].dropna()))
    return {"all": "All regions", **{slug(r): r for r in regions}}


def filter_ranking(table: pd.DataFrame, region: str | None, group: str, show_unranked: bool) -> pd.DataFrame:
    """Rows of the ranking table for a region label (None = all), a GROUPS key and the not-ranked toggle."""
    out = table
    if region is not None:
        out = out[out["region"] == region]
    key = GROUPS.get(group, GROUPS["all"])[1]
    if key is not None:
        out = out[out["groups"].fillna("").str.split(";").apply(lambda g: key in g)]
    if not show_unranked:
        out = out[out["ranked"].fillna(False).astype(bool)]
    return out.reset_index(drop=True)


def profile_link(city_id: str, name: str, edition: int) -> str:
    """Relative link to the city profile; the name rides in the fragment so the table can show it as link text."""
    return f"city?{urlencode({'city': city_id, 'edition': edition})}#{quote(str(name), safe='')}"


LINK_TEXT_PATTERN = r"#(.*)$"


def display_frame(rows: pd.DataFrame, edition: int, show_unranked: bool) -> pd.DataFrame:
    """The columns the page shows, in order. 'profile' holds the link; its text is the city name."""
    out = pd.DataFrame({
        "rank": rows["rank"].astype("Int64"),
        "profile": [profile_link(c, n, edition) for c, n in zip(rows["city_id"], rows["name"])],
        "country": rows["country_iso2"],
        "index": rows["score_index"],
        "rank_change": rows["rank_change"].astype("Int64"),
        **{p: rows[f"score_{p}"] for p in PILLAR_ORDER},
        "score_change": rows["score_change"],
        "region": rows["region"],
    })
    if show_unranked:
        out["status"] = ["ranked" if r else (reason or "not ranked")
                         for r, reason in zip(rows["ranked"].fillna(False), rows["not_ranked_reason"].fillna(""))]
    return out


def export_frame(shown: pd.DataFrame, rows: pd.DataFrame, pillar_names: dict[str, str]) -> pd.DataFrame:
    """Exactly the shown rows and columns, with readable headers; the link column becomes the city name."""
    out = shown.copy()
    out["profile"] = rows["name"].to_numpy()
    headers = {"rank": "Rank", "band": "Likely rank (5-95 %)",
               "profile": "City", "country": "Country", "index": "Index", "rank_change": "Rank change",
               **{p: pillar_names.get(p, p) for p in PILLAR_ORDER}, "score_change": "Score change",
               "region": "Region", "status": "Status"}
    return out.rename(columns=headers)


def export_filename(edition: int, region: str, group: str, show_unranked: bool) -> str:
    parts = ["cdi-ranking", str(edition)]
    if region != "all":
        parts.append(region)
    if group != "all":
        parts.append(group)
    if show_unranked:
        parts.append("with-not-ranked")
    return "-".join(parts) + ".csv"
