"""Fortune Global 500 (2019 list): headquarters in the city's metropolitan area -> indicator `global500_hq`.

Definition: the number of Fortune Global 500 companies (list published July 2019) whose headquarters town, as
Fortune gives it, lies in the city's metropolitan area.

Metro rule: an HQ town that is itself a reference city counts for that city. Any other HQ town counts for the
nearest reference city of the same country within 40 km of it (Courbevoie and Rueil-Malmaison -> Paris,
Deerfield -> Chicago, Harmondsworth and Brentford -> London, Docklands -> Melbourne), or for no reference city.
The town is placed with GeoNames coordinates: the most populous GeoNames place of that name in that country (for US
towns, in the state Fortune names). Towns GeoNames lacks are placed by the explicit table
`reference/hq_places.csv`, each row naming where its coordinates come from. Three rows give a province (Shandong,
Gyeonggi, Jeollanam-do): they cannot be placed and are reported as unmatched.

The list is complete, so a reference city with no HQ in its metro area is a true zero. One year only (2019).

List type: COMPLETE (all 500 companies of Fortune's 2019 list, every HQ placed or reported): a reference city
with no HQ in its metro area is a true zero.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REFERENCE_DIR
from cdi_core.registry import Registry, geonames_cities
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    check_columns,
    check_row_count,
    obs_frame,
    read_source_csv,
    require_file,
    unmatched_frame,
    url_source_id,
)
from cdi_core.text import normalize_name

RAW_PATH = Path("raw/global500_mslitao_2019/Fortune-Global-2019.tsv")
CURATED_PATH = Path("curated/global500_hq.csv")
HQ_PLACES_PATH = REFERENCE_DIR / "hq_places.csv"
RAW_COLUMNS = ["Rank", "Company", "Country", "HQ Location", "Fortune Url"]
CURATED_COLUMNS = ["company", "city", "country_iso2", "year", "rank", "hq_location_as_stated", "note",
                   "source_url", "source_title"]
HQ_PLACES_COLUMNS = ["place", "country_iso2", "lat", "lon", "source"]
N_COMPANIES = 500
YEAR = 2019
METRO_KM = 40.0
INDICATOR = "global500_hq"
LICENCE = "Fortune Global 500 list (Fortune Media; facts, terms of fortune.com)"
ATTRIBUTION = "Fortune Global 500, 2019"

# Fortune writes US states in AP style; GeoNames uses the postal code as admin1code.
_US_STATES = {
    "ala": "AL", "alaska": "AK", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "dc": "DC", "fla": "FL", "ga": "GA", "hawaii": "HI", "idaho": "ID", "ill": "IL", "ind": "IN", "iowa": "IA",
    "kan": "KS", "ky": "KY", "la": "LA", "maine": "ME", "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN",
    "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM",
    "ny": "NY", "nc": "NC", "nd": "ND", "ohio": "OH", "okla": "OK", "ore": "OR", "pa": "PA", "ri": "RI",
    "sc": "SC", "sd": "SD", "tenn": "TN", "tennessee": "TN", "texas": "TX", "utah": "UT", "vt": "VT", "va": "VA",
    "wash": "WA", "wva": "WV", "wis": "WI", "wyo": "WY",
}


def read_raw(raw_dir: Path) -> pd.DataFrame:
    """The scraped Fortune file: 500 company rows plus one junk end-of-file row, format-checked."""
    path = require_file(raw_dir / RAW_PATH)
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    check_columns(df, RAW_COLUMNS, path)
    is_company = df["Rank"].str.strip().str.fullmatch(r"\d+")
    if (~is_company).sum() > 1:
        raise InputError(path, "upstream format changed: more than the one documented junk row",
                         row=int((~is_company).idxmax()) + 2)
    df = df[is_company].copy()
    check_row_count(len(df), N_COMPANIES, N_COMPANIES, path)
    df["rank"] = df["Rank"].astype(int)
    if sorted(df["rank"]) != list(range(1, N_COMPANIES + 1)):
        raise InputError(path, "upstream format changed: ranks are not 1-500")
    return df


def read_curated(raw_dir: Path, raw: pd.DataFrame) -> pd.DataFrame:
    """The normalised HQ table (city, country per company), checked against the raw file row by row."""
    df, path = read_source_csv(raw_dir, CURATED_PATH, CURATED_COLUMNS, N_COMPANIES, N_COMPANIES)
    if not df["rank"].str.fullmatch(r"\d+").all():
        bad = int((~df["rank"].str.fullmatch(r"\d+")).idxmax())
        raise InputError(path, "rank is not an integer", row=bad + 2)
    df["rank"] = df["rank"].astype(int)
    if set(df["year"]) != {str(YEAR)}:
        raise InputError(path, f"upstream format changed: year is not {YEAR} on every row")
    stated = dict(zip(raw["rank"], raw["Company"]))
    for i, r in enumerate(df.itertuples()):
        if stated.get(r.rank) != r.company:
            raise InputError(path, "company does not match the raw Fortune file at this rank", row=i + 2,
                             detail=f"rank {r.rank}: {r.company!r} vs {stated.get(r.rank)!r}")
        if not r.city.strip() or not re.fullmatch(r"[A-Z]{2}", r.country_iso2):
            raise InputError(path, "HQ city or country_iso2 missing/invalid", row=i + 2)
    df["excel_row"] = df.index + 2
    return df


def read_hq_places(path: Path = HQ_PLACES_PATH) -> dict[tuple[str, str], tuple[float, float, str]]:
    """The explicit table of HQ towns GeoNames lacks: (name, country) -> (lat, lon, where the coordinates are from)."""
    df = pd.read_csv(require_file(path), dtype=str, keep_default_na=False)
    check_columns(df, HQ_PLACES_COLUMNS, path)
    out = {}
    for i, r in enumerate(df.itertuples()):
        if not r.source.strip():
            raise InputError(path, "every place needs the source of its coordinates", row=i + 2)
        out[(normalize_name(r.place), r.country_iso2)] = (float(r.lat), float(r.lon), r.source)
    return out


@lru_cache(maxsize=1)
def _geonames_index() -> tuple[dict, dict]:
    """(main-name index, alternate-name index): (normalised name, country) -> GeoNames records."""
    by_name: dict[tuple[str, str], list[dict]] = {}
    by_alt: dict[tuple[str, str], list[dict]] = {}
    for c in geonames_cities().values():
        by_name.setdefault((normalize_name(c["name"]), c["countrycode"]), []).append(c)
        for alt in c["alternatenames"]:
            by_alt.setdefault((normalize_name(alt), c["countrycode"]), []).append(c)
    return by_name, by_alt


def us_state(hq_as_stated: str) -> str | None:
    """'Bloomfield, Conn.' -> 'CT'; None when Fortune names no state (or one we do not know)."""
    parts = hq_as_stated.split(",", 1)
    return _US_STATES.get(re.sub(r"[^a-z]", "", parts[1].lower())) if len(parts) == 2 else None


def geonames_place(name: str, iso2: str, state: str | None = None) -> dict | None:
    """The most populous GeoNames place of that name (main name first, then alternate names) in that country/state."""
    by_name, by_alt = _geonames_index()
    keys = [normalize_name(name)]
    if re.match(r"(?i)st\.? ", name):  # 'St. Denis' is 'Saint-Denis' in GeoNames
        keys.append(normalize_name("Saint " + name.split(" ", 1)[1]))
    for index in (by_name, by_alt):
        cands = [c for k in keys for c in index.get((k, iso2), [])
                 if state is None or c.get("admin1code") == state]
        if cands:
            return max(cands, key=lambda c: c["population"])
    return None


def place_hq(row, registry: Registry, hq_places: dict) -> tuple[str | None, str]:
    """(reference city or None, how it was placed / why not) for one company row."""
    city, iso2 = row.city, row.country_iso2
    if "province" in row.note.lower():
        return None, "HQ given as a province, not a town: cannot be placed"
    direct = registry.match(city, iso2)
    if direct:
        return direct, "HQ town is the reference city"
    known = hq_places.get((normalize_name(city), iso2))
    if known:
        lat, lon, where = known[0], known[1], "reference/hq_places.csv"
    else:
        g = geonames_place(city, iso2, us_state(row.hq_location_as_stated) if iso2 == "US" else None)
        if g is None:
            return None, "HQ town is neither in GeoNames nor in reference/hq_places.csv"
        lat, lon, where = g["latitude"], g["longitude"], f"GeoNames {g['geonameid']}"
    near = registry.nearest(lat, lon, METRO_KM, iso2)
    if near:
        return near, f"within {METRO_KM:.0f} km ({where})"
    return None, f"no reference city of the same country within {METRO_KM:.0f} km ({where})"


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    raw = read_raw(raw_dir)
    hq = read_curated(raw_dir, raw)
    hq_places = read_hq_places()
    urls = hq[["source_url", "source_title"]].drop_duplicates("source_url")
    sources = {u.source_url: SourceMeta(
        source_id=url_source_id("global500", u.source_url), title=u.source_title,
        producer="Fortune Media (Global 500 list), scraped from fortune.com by GitHub user mslitao",
        url=u.source_url, licence=LICENCE, attribution=ATTRIBUTION, retrieved="scraped Oct 2019", year=str(YEAR),
    ) for u in urls.itertuples()}

    placed, unmatched = [], []
    for r in hq.itertuples():
        city_id, how = place_hq(r, registry, hq_places)
        if city_id:
            placed.append({"city_id": city_id, "company": r.company, "rank": r.rank, "hq_as_stated":
                           r.hq_location_as_stated, "source_id": sources[r.source_url].source_id, "town": r.city,
                           "direct": how.startswith("HQ town is the reference city")})
        else:
            unmatched.append({"source_file": str(CURATED_PATH), "row": r.excel_row, "name": r.city,
                              "country_iso2": r.country_iso2, "reason": f"{r.company}: {how}"})
    table = pd.DataFrame(placed, columns=["city_id", "company", "rank", "hq_as_stated", "source_id", "town",
                                          "direct"])
    source_id = next(iter(sources.values())).source_id
    base = (f"Fortune Global 500 ({YEAR} list) HQs in the city or in a town within {METRO_KM:.0f} km "
            "(metro rule)")
    rows = []
    for city_id in registry.city_ids():
        mine = table[table["city_id"] == city_id]
        suburbs = Counter(mine.loc[~mine["direct"], "town"])
        note = base if len(mine) else base + "; none: a true zero (complete list)"
        if suburbs:
            note += "; incl. " + ", ".join(f"{t} {n}" for t, n in sorted(suburbs.items()))
        rows.append({"city_id": city_id, "indicator": INDICATOR, "year": YEAR, "value": float(len(mine)),
                     "status": STATUS_OBSERVED, "source_id": source_id, "note": note})
    return SourceResult(
        observations=obs_frame(rows),
        sources=list(sources.values()),
        unmatched=unmatched_frame(unmatched),
        tables={"global500_hq": table[["city_id", "company", "rank", "hq_as_stated", "source_id"]]
                .sort_values(["city_id", "rank"]).reset_index(drop=True)},
    )
