"""OpenFlights routes: direct international air connectivity -> indicator `air_destinations`.

Definition: the number of distinct foreign airports (airports in another country than the city's) reached by
direct (stops = 0), non-codeshare scheduled routes departing from the airports that serve the city.

Airport -> city rule: an airport with at least one such route (routes.dat names it by its IATA code) serves a
reference city when it lies within 50 km of the city centre in the same country. An airport within 50 km of
several reference cities is given to one of them only: the one OpenFlights names as the airport's city if that is
among them (MAN -> Manchester, not Stockport; TPE -> Taipei, not Taoyuan), else the nearest. So two close
reference cities never share an airport; the one left without an airport gets a zero, and its note says which
city took the airport. Airports beyond 50 km (Tokyo Narita, Stockholm Skavsta, Tenerife South) are not counted;
they are listed in `unmatched`. Two explicit corrections (`AIRPORT_FIXES`): OpenFlights files Pristina's airport
under Serbia, and the binational EuroAirport Basel-Mulhouse-Freiburg lies on French soil but is Basel's airport.

Year: routes.dat last changed in February 2017, so values are a route snapshot dated 2017 (the routes themselves
may be older). A reference city with no airport assigned is a true zero of this snapshot.
Data: OpenFlights (ODbL; attribution "OpenFlights"; derived databases that are published must be share-alike).

List type: COMPLETE (OpenFlights' whole route database of its snapshot): a reference city with no airport
assigned is a true zero of that snapshot.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from cdi_core.countries import country_iso2
from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    check_row_count,
    obs_frame,
    require_file,
    unmatched_frame,
)

RAW_DIR = Path("raw/openflights")
AIRPORTS, ROUTES, COUNTRIES = RAW_DIR / "airports.dat", RAW_DIR / "routes.dat", RAW_DIR / "countries.dat"
AIRPORT_FIELDS = ["airport_id", "name", "city", "country", "iata", "icao", "lat", "lon", "altitude", "utc_offset",
                  "dst", "tz", "type", "data_source"]
ROUTE_FIELDS = ["airline", "airline_id", "src", "src_id", "dst", "dst_id", "codeshare", "stops", "equipment"]
COUNTRY_FIELDS = ["name", "iso2", "dafif"]
ROW_RANGES = {AIRPORTS: (7000, 9000), ROUTES: (60000, 75000), COUNTRIES: (240, 280)}
MISSING = "\\N"
RADIUS_KM = 50.0
YEAR = 2017
INDICATOR = "air_destinations"

# Country names airports.dat uses that countries.dat and the shared country table cannot place unambiguously.
COUNTRY_EXTRA = {"Virgin Islands": "VI", "Congo (Brazzaville)": "CG", "Congo (Kinshasa)": "CD", "Svalbard": "SJ"}
# IATA code -> (country the airport is counted in, reference city it serves, why).
AIRPORT_FIXES = {
    "PRN": ("XK", "pristina", "OpenFlights files Pristina International Airport under Serbia"),
    "BSL": ("CH", "basel", "binational EuroAirport Basel-Mulhouse-Freiburg, on French soil, Basel's airport"),
}

SOURCE = SourceMeta(
    source_id="openflights",
    title="OpenFlights airports, routes and countries (data/airports.dat, routes.dat, countries.dat)",
    producer="OpenFlights (openflights.org, community-maintained)",
    url="https://github.com/jpatokal/openflights/tree/5a0360255a5a2ff2b9f1e9cb199716da68a8a33f/data",
    licence="ODbL 1.0 (Open Database License); derived databases must be shared alike",
    attribution="OpenFlights",
    retrieved="commit 5a03602 (2025-04-29); routes.dat last changed 2017-02-02",
    year=str(YEAR),
)


def _read_dat(raw_dir: Path, rel: Path, fields: list[str]) -> pd.DataFrame:
    """A headerless OpenFlights .dat file, checking the column count of every row and the row count."""
    path = raw_dir / rel
    rows = []
    with require_file(path).open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.reader(f), start=1):
            if len(row) != len(fields):
                raise InputError(path, f"upstream format changed: expected {len(fields)} columns", row=i,
                                 detail=f"found {len(row)}")
            rows.append(row)
    check_row_count(len(rows), *ROW_RANGES[rel], path)
    df = pd.DataFrame(rows, columns=fields)
    df["line"] = np.arange(1, len(df) + 1)
    return df


def _bad(df: pd.DataFrame, ok: pd.Series, path: Path, rule: str) -> None:
    if not ok.all():
        i = int(np.flatnonzero(~ok.to_numpy())[0])
        raise InputError(path, f"upstream format changed: {rule}", row=int(df["line"].iloc[i]))


def read_airports(raw_dir: Path) -> pd.DataFrame:
    """Airports with an IATA code, their coordinates and ISO2 country, format-checked."""
    countries = _read_dat(raw_dir, COUNTRIES, COUNTRY_FIELDS)
    iso = {n: c for n, c in zip(countries["name"], countries["iso2"]) if re.fullmatch(r"[A-Z]{2}", c)}
    path = raw_dir / AIRPORTS
    ap = _read_dat(raw_dir, AIRPORTS, AIRPORT_FIELDS)
    _bad(ap, ap["airport_id"].str.fullmatch(r"\d+"), path, "airport ID is not an integer")
    _bad(ap, ap["iata"].str.fullmatch(r"[A-Z0-9]{3}") | (ap["iata"] == MISSING), path, "IATA code is not 3 letters")
    coords = ap[["lat", "lon"]].apply(pd.to_numeric, errors="coerce")
    _bad(ap, coords["lat"].between(-90, 90) & coords["lon"].between(-180, 180), path, "coordinates out of range")
    ap[["lat", "lon"]] = coords
    ap["iso2"] = [iso.get(c) or COUNTRY_EXTRA.get(c) or country_iso2(c) for c in ap["country"]]
    for code, (iso2, _, _) in AIRPORT_FIXES.items():
        ap.loc[ap["iata"] == code, "iso2"] = iso2
    return ap


def read_routes(raw_dir: Path) -> pd.DataFrame:
    """Route rows, format-checked (codes, IDs, codeshare flag, stops)."""
    path = raw_dir / ROUTES
    rt = _read_dat(raw_dir, ROUTES, ROUTE_FIELDS)
    for col in ("src_id", "dst_id"):
        _bad(rt, rt[col].str.fullmatch(r"\d+") | (rt[col] == MISSING), path, f"{col} is not an integer or \\N")
    for col in ("src", "dst"):
        _bad(rt, rt[col].str.fullmatch(r"[A-Z0-9]{3,4}"), path, f"{col} is not an IATA/ICAO code")
    _bad(rt, rt["codeshare"].isin(["", "Y"]), path, "codeshare is not '' or 'Y'")
    _bad(rt, rt["stops"].str.fullmatch(r"\d+"), path, "stops is not an integer")
    return rt


def resolve_airports(routes: pd.DataFrame, airports: pd.DataFrame) -> pd.DataFrame:
    """Routes with origin and destination airport IDs (`src_key`, `dst_key`) and the destination's country.

    routes.dat (2017) refers to some airports by IDs that the 2019 airports.dat no longer has; those are found by
    their IATA code instead. A destination found neither way has no country (`dst_iso2` NaN) and is not counted.
    """
    ids = set(airports["airport_id"])
    by_code = dict(zip(airports.loc[airports["iata"] != MISSING, "iata"], airports.loc[airports["iata"] != MISSING,
                                                                                         "airport_id"]))
    out = routes.copy()
    for end in ("src", "dst"):
        known = out[f"{end}_id"].where(out[f"{end}_id"].isin(ids))
        out[f"{end}_key"] = known.fillna(out[end].map(by_code))
    out["dst_iso2"] = out["dst_key"].map(dict(zip(airports["airport_id"], airports["iso2"])))
    return out


def assign_airports(airports: pd.DataFrame, registry: Registry) -> dict[str, str]:
    """Airport ID -> reference city it serves (see the module docstring for the rule).

    Pass only airports with scheduled routes, so an airfield without routes never takes a city's place.
    """
    countries = registry.cities["country_iso2"].to_numpy()
    ids = registry.cities["city_id"].to_numpy()
    out = {}
    for a in airports.itertuples():
        if a.iata in AIRPORT_FIXES:
            out[a.airport_id] = AIRPORT_FIXES[a.iata][1]
            continue
        d = np.where(countries == a.iso2, registry.distances_km(a.lat, a.lon), np.inf)
        near = set(ids[d <= RADIUS_KM])
        if not near:
            continue
        named = registry.match(a.city, a.iso2)
        out[a.airport_id] = named if named in near else str(ids[int(np.argmin(d))])
    return out


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    airports = read_airports(raw_dir)
    routes = read_routes(raw_dir)
    direct = resolve_airports(routes[(routes["stops"] == "0") & (routes["codeshare"] == "")], airports)
    with_routes = airports[airports["airport_id"].isin(set(direct["src_key"].dropna()))]
    served = assign_airports(with_routes, registry)
    city_iso = dict(zip(registry.cities["city_id"], registry.cities["country_iso2"]))
    # The code routes.dat uses: the 2019 airports.dat dropped some codes (Islamabad's old airport lost 'ISB').
    ap_iata = direct.groupby("src_key")["src"].agg(lambda c: c.mode().iloc[0]).to_dict()
    direct = direct[direct["src_key"].isin(served.keys())].copy()
    direct["city_id"] = direct["src_key"].map(served)
    foreign = direct[direct["dst_iso2"].notna() & (direct["dst_iso2"] != direct["city_id"].map(city_iso))]
    counts = foreign.groupby("city_id")["dst_key"].nunique()
    unplaced = direct[direct["dst_iso2"].isna()].groupby("city_id")["dst"].nunique()

    by_city: dict[str, list[str]] = {}
    for airport_id, city_id in served.items():
        by_city.setdefault(city_id, []).append(ap_iata[airport_id])
    taken = _airports_taken_by_others(with_routes, served, registry)
    rows = []
    for city_id in registry.city_ids():
        codes = sorted(by_city.get(city_id, []))
        n = int(counts.get(city_id, 0))
        if codes:
            note = f"route snapshot, 2017 or earlier; airports {', '.join(codes)}"
            if not n:
                note += "; no direct non-codeshare route abroad"
            if unplaced.get(city_id, 0):
                note += f"; {unplaced[city_id]} destination(s) missing from airports.dat not counted"
        elif city_id in taken:
            note = (f"route snapshot, 2017 or earlier; airports within {RADIUS_KM:.0f} km "
                    f"are counted for {taken[city_id]}")
        else:
            note = ("route snapshot, 2017 or earlier; no airport with scheduled (direct, non-codeshare) routes "
                    f"within {RADIUS_KM:.0f} km")
        rows.append({"city_id": city_id, "indicator": INDICATOR, "year": YEAR, "value": float(n),
                     "status": STATUS_OBSERVED, "source_id": SOURCE.source_id, "note": note})
    return SourceResult(observations=obs_frame(rows), sources=[SOURCE],
                        unmatched=_named_but_too_far(with_routes, served, registry),
                        tables={"air_airports": _airport_table(airports, served, ap_iata, direct, foreign)})


def _named_but_too_far(airports: pd.DataFrame, served: dict[str, str], registry: Registry) -> pd.DataFrame:
    """Airports with routes that OpenFlights files under a reference city but that lie beyond the radius (Narita)."""
    rows = []
    for a in airports[~airports["airport_id"].isin(served.keys())].itertuples():
        city_id = registry.match(a.city, a.iso2)
        km = float(registry.distances_km(a.lat, a.lon)[registry.city_ids().index(city_id)]) if city_id else 1e9
        if km <= 3 * RADIUS_KM:  # farther away it is a namesake (Portland, Maine), not the city's airport
            rows.append({"source_file": str(AIRPORTS), "row": int(a.line), "name": f"{a.name} ({a.iata})",
                         "country_iso2": a.iso2 or "",
                         "reason": f"OpenFlights city '{a.city}' = {city_id}, but {km:.0f} km from its centre "
                                   f"(over {RADIUS_KM:.0f} km): not counted"})
    return unmatched_frame(rows)


def _airports_taken_by_others(airports: pd.DataFrame, served: dict[str, str], registry: Registry) -> dict[str, str]:
    """City -> the other reference city(ies) its nearby airports were given to (for the note on a zero)."""
    out: dict[str, set[str]] = {}
    countries = registry.cities["country_iso2"].to_numpy()
    ids = registry.cities["city_id"].to_numpy()
    for a in airports[airports["airport_id"].isin(served.keys())].itertuples():
        d = np.where(countries == a.iso2, registry.distances_km(a.lat, a.lon), np.inf)
        for other in ids[d <= RADIUS_KM]:
            if other != served[a.airport_id]:
                out.setdefault(str(other), set()).add(registry.name(served[a.airport_id]))
    return {k: ", ".join(sorted(v)) for k, v in out.items()}


def _airport_table(airports, served, codes, direct, foreign) -> pd.DataFrame:
    """Side table: each assigned airport, its city, and its direct routes (all / foreign destinations)."""
    ap = airports[airports["airport_id"].isin(served.keys())]
    return pd.DataFrame({
        "city_id": ap["airport_id"].map(served).to_numpy(),
        "iata": ap["airport_id"].map(codes).to_numpy(),
        "airport": ap["name"].to_numpy(),
        "destinations": ap["airport_id"].map(direct.groupby("src_key")["dst_key"].nunique()).fillna(0).astype(int)
        .to_numpy(),
        "foreign_destinations": ap["airport_id"].map(foreign.groupby("src_key")["dst_key"].nunique()).fillna(0)
        .astype(int).to_numpy(),
        "source_id": SOURCE.source_id,
    }).sort_values(["city_id", "iata"]).reset_index(drop=True)
