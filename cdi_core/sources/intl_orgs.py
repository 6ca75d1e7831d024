"""Seats of international organisations: how many intergovernmental organisations are seated in the city's metro.

Definition (indicator `intl_org_seats`): the number of international organisations (EU institutions, bodies and
agencies; UN system; other IGOs) seated in the city's metropolitan area, per year 2019-2025, from
`curated/intl_orgs_seats.csv` (the SupraVerden list, CC BY-SA 4.0, plus seats read on public pages).

Metro rule: a seat in a reference city counts for it. A seat municipality that is not a reference city counts for
the nearest reference city of the same country within 25 km of the municipality's GeoNames coordinates (so
Saint-Gilles, Etterbeek and Ixelles count for Brussels, Solna for Stockholm, Lancy for Geneva, Sèvres for Paris;
the label "Brussels-Capital Region" is an alias of Brussels). Farther seats, and labels that are a building or a
country rather than a place, are reported as unplaced.

Years: `seat_since` is the year the organisation began operating in the city, counted from that year; `seat_until`
is the year it left (only the IIB in Budapest, 2023, relocating from April), and the seat is NOT counted in that
year or later. Where `seat_since` is blank, a seat cannot predate its organisation: it counts from
the later of `year_established` and `seat_decided_year` when either is given (the Board of Peace, founded 2026,
is counted in no edition). Seats with no date at all are assumed present in every year, and the note says so.
An organisation that moved (a row named "<org> (... headquarters)" with dated years) is not also counted at its
undated other seat in those years (the IIB counts for Budapest 2019-2022 and for Moscow from 2023).
The two CTBTO rows (Treaty Organisation and its Preparatory Commission) describe one seat and count once.

Zero: the table is the complete SupraVerden set plus additions, so a city with no seat is a true zero of that list.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import Registry, geonames_cities
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_source_csv,
    unmatched_frame,
    url_source_id,
)
from cdi_core.text import normalize_name

INDICATOR = "intl_org_seats"
YEARS = range(2019, 2026)
PATH = Path("curated/intl_orgs_seats.csv")
COLUMNS = ["organisation", "acronym", "type", "city", "country_iso2", "seat_decided_year", "seat_since",
           "seat_until", "year_established", "source_url", "source_title", "notes"]
METRO_KM = 25.0
SUPRAVERDEN_HOST = "github.com/confirmordeny/supraverden"
_HQ_SUFFIX = re.compile(r"\s*\([^)]*headquarters[^)]*\)\s*$", re.IGNORECASE)

TABLE = SourceMeta(
    source_id="intl_orgs_seats",
    title="Seats of international organisations by city (curated table: SupraVerden list plus public pages)",
    producer="SupraVerden (confirmordeny), with seats and seat years read on the pages cited per seat",
    url="https://github.com/confirmordeny/supraverden",
    licence="CC BY-SA 4.0 (SupraVerden rows); facts from public pages, no licence stated (added rows)",
    attribution="SupraVerden (confirmordeny), CC BY-SA 4.0; plus the pages cited per seat",
    year="2026",
)


def _page_source(url: str, title: str) -> SourceMeta:
    if SUPRAVERDEN_HOST in url:
        return SourceMeta(source_id=url_source_id("io", url), title=title, producer="SupraVerden (confirmordeny)",
                          url=url, licence="CC BY-SA 4.0",
                          attribution="SupraVerden (confirmordeny), CC BY-SA 4.0", retrieved="2026-06-24")
    host = urlparse(url).netloc.removeprefix("www.")
    if "wiki" in url.lower():  # Wikipedia text, or a copy / mirror of it
        return SourceMeta(source_id=url_source_id("io", url), title=title, producer=f"Wikipedia contributors ({host})",
                          url=url, licence="CC BY-SA 4.0 (Wikipedia text)", attribution="Wikipedia contributors")
    return SourceMeta(source_id=url_source_id("io", url), title=title, producer=f"as published on {host}", url=url,
                      licence="facts from a public page; no licence stated", attribution=host)


def _year(value: str, path: Path, row: int, column: str) -> float:
    if not value:
        return np.nan
    if not re.fullmatch(r"\d{4}", value):
        raise InputError(path, f"{column} is not a year", row=row, detail=value)
    return float(value)


def read_seats(raw_dir: Path) -> pd.DataFrame:
    """The curated seat table, format-checked, with numeric seat years and the first / last year counted."""
    df, path = read_source_csv(raw_dir, PATH, COLUMNS, 300, 600)
    df["row"] = df.index + 2
    for col in ("seat_since", "seat_until", "seat_decided_year", "year_established"):
        df[col + "_n"] = [_year(v.strip(), path, r, col) for v, r in zip(df[col], df["row"])]
    # First year counted: when it began operating there; else it cannot predate the organisation or the decision.
    floor = df[["year_established_n", "seat_decided_year_n"]].max(axis=1)
    df["first"] = df["seat_since_n"].fillna(floor)
    df["last"] = df["seat_until_n"] - 1
    # Seat-dated: a page gives a year for this seat (not just the organisation's founding year).
    df["dated"] = df[["seat_since_n", "seat_until_n", "seat_decided_year_n"]].notna().any(axis=1)
    df["org_key"] = [normalize_name(_HQ_SUFFIX.sub("", o)) for o in df["organisation"]]
    return df


def _geonames_place(name: str, iso: str) -> dict | None:
    """The GeoNames city called so in that country (main name first, then alternate names; most populous)."""
    key = normalize_name(name)
    main = [c for c in geonames_cities().values() if c["countrycode"] == iso and normalize_name(c["name"]) == key]
    alt = main or [c for c in geonames_cities().values() if c["countrycode"] == iso
                   and key in {normalize_name(a) for a in c["alternatenames"]}]
    return max(alt, key=lambda c: c["population"]) if alt else None


def place(df: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """city_id (or '') and a placement note / unplaced reason for every seat row."""
    cache: dict[tuple[str, str], tuple[str, str]] = {}
    for city, iso in df[["city", "country_iso2"]].drop_duplicates().itertuples(index=False):
        if not city.strip():
            cache[(city, iso)] = ("", "seat city blank in the source (only a building is given)")
            continue
        cid = registry.match(city, iso)
        if cid:
            cache[(city, iso)] = (cid, "")
            continue
        gn = _geonames_place(city, iso)
        if gn is None:
            cache[(city, iso)] = ("", "seat label is not a GeoNames city (building, country or small place)")
            continue
        near = registry.nearest(gn["latitude"], gn["longitude"], METRO_KM, country_iso2=iso)
        cache[(city, iso)] = (near, f"{city} (within {METRO_KM:.0f} km)") if near else (
            "", f"no reference city within {METRO_KM:.0f} km of {city} in {iso}")
    out = df.copy()
    out["city_id"] = [cache[(c, i)][0] for c, i in zip(df["city"], df["country_iso2"])]
    out["placement"] = [cache[(c, i)][1] for c, i in zip(df["city"], df["country_iso2"])]
    return out


def _one_ctbto(df: pd.DataFrame) -> pd.DataFrame:
    """The CTBTO and its Preparatory Commission are listed apart but share one seat: keep the first row."""
    ctbto = df["acronym"].eq("CTBTO")
    dup = ctbto & df.duplicated(["acronym", "city_id"])
    return df[~dup]


def counted(df: pd.DataFrame, year: int) -> tuple[pd.Series, pd.Series]:
    """(counted, moved): which seat rows count in `year`, and which are left out because the organisation was
    seated elsewhere that year (see the module docstring for the rule)."""
    present = ((df["first"].isna() | (df["first"] <= year)) & (df["last"].isna() | (df["last"] >= year)))
    dated_here = df[df["dated"] & present]
    moved = present & ~df["dated"] & df["org_key"].isin(set(dated_here["org_key"]))
    return present & ~moved, moved


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    seats = _one_ctbto(place(read_seats(raw_dir), registry))
    pages = {u: _page_source(u, t) for u, t in seats[["source_url", "source_title"]].drop_duplicates("source_url")
             .itertuples(index=False)}
    seats["source_id"] = [pages[u].source_id for u in seats["source_url"]]
    placed = seats[seats["city_id"] != ""]

    rows = []
    for year in YEARS:
        keep, moved = counted(placed, year)
        now, away = placed[keep], placed[moved]
        for cid in registry.city_ids():
            rows.append(_obs(cid, year, now[now["city_id"] == cid], away[away["city_id"] == cid]))

    unplaced = seats[seats["city_id"] == ""]
    um = unmatched_frame([{"source_file": str(PATH), "row": int(r.row), "name": r.city or r.organisation,
                           "country_iso2": r.country_iso2, "reason": r.placement} for r in unplaced.itertuples()])
    table = placed[["city_id", "organisation", "acronym", "type", "city", "country_iso2", "first", "last", "dated",
                    "source_id"]].rename(columns={"city": "seat_municipality", "first": "counted_from",
                                                   "last": "counted_until",
                                                   "dated": "seat_dated"})
    for c in ("counted_from", "counted_until"):
        table[c] = table[c].astype("Int64")
    return SourceResult(observations=obs_frame(rows), sources=[TABLE, *pages.values()], unmatched=um,
                        tables={"intl_org_seats": table.reset_index(drop=True)})


def _obs(city_id: str, year: int, here: pd.DataFrame, away: pd.DataFrame) -> dict:
    n = len(here)
    note = "IGO seats (EU bodies, UN system, other IGOs) in the city or a municipality within 25 km"
    if n == 0:
        note += "; none listed: a true zero of the SupraVerden list plus additions"
    else:
        undated = int((~here["dated"]).sum())
        if undated:
            note += f"; {undated} of {n} with no seat date, assumed present since the organisation's founding"
        suburbs = sorted({p.split(" (")[0] for p in here["placement"] if p})
        if suburbs:
            note += "; includes seats in " + ", ".join(suburbs)
    if len(away):
        note += "; not counted (seated elsewhere that year): " + ", ".join(away["acronym"].where(
            away["acronym"] != "", away["organisation"]))
    return {"city_id": city_id, "indicator": INDICATOR, "year": year, "value": float(n), "status": STATUS_OBSERVED,
            "source_id": TABLE.source_id, "note": note}
