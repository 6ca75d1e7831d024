"""Fortune Global 500 headquarters in the city's metropolitan area, lists of 2019 and 2024 -> indicator `global500_hq`.

Definition: the number of companies on a year's Fortune Global 500 list whose headquarters town lies in the city's
metropolitan area. List years: 2019 (HQ towns as Fortune gave them, raw/global500_mslitao_2019 and
curated/global500_hq) and 2024 (all 500 names, raw/global500_fayez94_2024). The 2022 and 2023 lists are in the
inputs only as the 430 firms present in all of 2022-2024 (raw/global500_veinberga_2022_2024), so no city count can be
complete for them: they are read (country per firm), reported as unmatched and never published.

HQ of a firm on a later list, in this order: (1) data/curated/global500_new_hq.csv, a cited page for that list year
(new entrants, and firms whose HQ moved since 2019); (2) the 2019 HQ through data/curated/global500_aliases.csv
(renamed or merged firms: reason and source per row); (3) the 2019 HQ of the same name (lower case, punctuation
stripped). (2) and (3) assume the HQ did not move since 2019; every 2024 note says so.

Metro rule: an HQ town that is itself a reference city counts for that city. Any other HQ town counts for the
nearest reference city of the same country within 40 km of it (Courbevoie and Rueil-Malmaison -> Paris,
Deerfield -> Chicago, Harmondsworth and Brentford -> London, Docklands -> Melbourne), or for no reference city.
The town is placed with GeoNames coordinates: the most populous GeoNames place of that name in that country (for US
towns, in the state Fortune names). Towns GeoNames lacks are placed by `reference/hq_places.csv`.

Publication rule (a count is a true count or nothing): a city's count for a list year is published only if that
year's whole list is in the inputs (500 names) and every firm of that year whose country is the city's country is
placed (HQ town known). Fortune lists Hong Kong firms under China, so China, Hong Kong and Macao form one group. An
unplaced firm withholds its country's counts for that year (no row: missing, not zero); a firm known only at
province level withholds only the reference cities that province may hold (data/curated/global500_province_scope.csv);
a firm of unknown country withholds every count of that year. Unplaced firms and withheld countries are listed in
unmatched with the reason. A published city with no HQ is a true zero (complete list).

Licence (our reading of fortune.com's terms and the repositories' notes): the Global 500 is Fortune's proprietary
compilation (ranking, revenues, profits); the repositories state no licence over it (fayez94's MIT licence covers
only its author's code). We therefore publish only derived counts per city and year and, in the side table, the
company names with the town of their headquarters as facts of where firms are based - never Fortune's ranks,
revenues or the list itself. Credit "Fortune Global 500".

List type: COMPLETE for a published country and list year (every firm placed): a reference city of it with no
HQ in its metro area is a true zero; a withheld country's cities are missing.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REFERENCE_DIR, REPO_ROOT
from cdi_core.registry import Registry, geonames_cities
from cdi_core.sources.base import (
    GRADES,
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
LICENCE = ("Fortune Global 500 list (Fortune Media; terms of fortune.com): only counts per city and HQ facts "
           "republished, no ranks or revenues")
ATTRIBUTION = "Fortune Global 500, 2019"
LATER_PATH = Path("raw/global500_veinberga_2022_2024/fortune500_data.csv")
LATER_COLUMNS = ["Company", "Country", "Industry", "Year", "Rank", "Revenue", "Profits", "Assets", "Employees"]
LATER_YEARS = (2022, 2023, 2024)
LATER_PER_YEAR = 430
FULL_PATH = Path("raw/global500_fayez94_2024/World_best_Company_details.csv")
FULL_COLUMNS = ["Rank", "Name", "Revenue", "Revenue in percentage", "Profit", "Profit in percentage", "Assets",
                "employees", "Change in rank", "years on global 500 list"]
FULL_YEAR = 2024
CURATED_DIR = REPO_ROOT / "data" / "curated"
ALIASES_FILE = "global500_aliases.csv"
ALIAS_COLUMNS = ["name_later", "name_2019", "reason", "source_url", "source_title", "checked"]
NEW_HQ_FILE = "global500_new_hq.csv"
NEW_HQ_COLUMNS = ["company", "list_years", "hq_city", "state", "country_iso2", "source_title", "source_url",
                  "producer", "grade", "note"]
PROVINCE_FILE = "global500_province_scope.csv"
PROVINCE_COLUMNS = ["province", "country_iso2", "reference_cities", "reason"]
TABLE_COLUMNS = ["city_id", "year", "company", "hq_town", "source_id"]
# Fortune's "Country / Territory" -> ISO 3166-1 alpha-2 (every value of the 2022-2024 file; a new one stops the ingest)
FORTUNE_COUNTRIES = {
    "U.S.": "US", "China": "CN", "Japan": "JP", "Germany": "DE", "France": "FR", "Britain": "GB", "South Korea": "KR",
    "Canada": "CA", "Switzerland": "CH", "Netherlands": "NL", "India": "IN", "Spain": "ES", "Brazil": "BR",
    "Taiwan": "TW", "Italy": "IT", "Singapore": "SG", "Russia": "RU", "Mexico": "MX", "Ireland": "IE",
    "Australia": "AU", "Saudi Arabia": "SA", "Norway": "NO", "Thailand": "TH", "Poland": "PL", "Indonesia": "ID",
    "Malaysia": "MY", "Luxembourg": "LU", "Turkey": "TR", "Belgium": "BE", "Sweden": "SE", "Denmark": "DK",
    "Austria": "AT",
}
CHINA_GROUP = {"CN", "HK", "MO"}  # Fortune lists Hong Kong (and Macao) firms under China

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


def country_group(iso2: str) -> str:
    """The completeness group of a country: Fortune's 'China' covers CN, HK and MO."""
    return "CN" if iso2 in CHINA_GROUP else iso2


def _key(name: str) -> str:
    """Fortune names compared without case, accents or punctuation ('JPMorgan Chase & Co.' = 'jpmorganchaseco')."""
    return re.sub(r"[^a-z0-9]", "", normalize_name(name))


def place_town(town: str, iso2: str, registry: Registry, hq_places: dict,
               state: str | None = None) -> tuple[str | None, str]:
    """(reference city or None, how it was placed) for an HQ town of a country (US: state postal code)."""
    direct = registry.match(town, iso2)
    if direct:
        return direct, "HQ town is the reference city"
    known = hq_places.get((normalize_name(town), iso2))
    if known:
        lat, lon, where = known[0], known[1], "reference/hq_places.csv"
    else:
        g = geonames_place(town, iso2, state)
        if g is None:
            return None, "HQ town is neither in GeoNames nor in reference/hq_places.csv"
        lat, lon, where = g["latitude"], g["longitude"], f"GeoNames {g['geonameid']}"
    near = registry.nearest(lat, lon, METRO_KM, iso2)
    if near:
        return near, f"within {METRO_KM:.0f} km ({where})"
    return None, f"no reference city of the same country within {METRO_KM:.0f} km ({where})"


def place_hq(row, registry: Registry, hq_places: dict) -> tuple[str | None, str]:
    """(reference city or None, how it was placed / why not) for one row of the 2019 HQ table."""
    if "province" in row.note.lower():
        return None, "HQ given as a province, not a town: cannot be placed"
    state = us_state(row.hq_location_as_stated) if row.country_iso2 == "US" else None
    return place_town(row.city, row.country_iso2, registry, hq_places, state)


def read_later(raw_dir: Path) -> pd.DataFrame:
    """The 2022-2024 file (430 firms a year, with Fortune's country), format-checked."""
    df, path = read_source_csv(raw_dir, LATER_PATH, LATER_COLUMNS, 3 * LATER_PER_YEAR, 3 * LATER_PER_YEAR)
    for i, r in enumerate(df.itertuples()):
        if not r.Year.isdigit() or int(r.Year) not in LATER_YEARS:
            raise InputError(path, "upstream format changed: list year not 2022-2024", row=i + 2, detail=r.Year)
        if not r.Rank.isdigit() or not 1 <= int(r.Rank) <= N_COMPANIES:
            raise InputError(path, "upstream format changed: rank is not 1-500", row=i + 2, detail=r.Rank)
        if r.Country not in FORTUNE_COUNTRIES:
            raise InputError(path, "upstream format changed: country not in the documented list", row=i + 2,
                             detail=r.Country)
        if not r.Company.strip():
            raise InputError(path, "company name is empty", row=i + 2)
    df["year"] = df["Year"].astype(int)
    counts = df.groupby("year").size()
    if sorted(counts.index) != list(LATER_YEARS) or (counts != LATER_PER_YEAR).any():
        raise InputError(path, f"upstream format changed: not {LATER_PER_YEAR} firms in each of 2022-2024",
                         detail=str(counts.to_dict()))
    dup = df.duplicated(["year", "Company"])
    if dup.any():
        raise InputError(path, "a company is listed twice in one year", row=int(dup.idxmax()) + 2)
    df["country_iso2"] = df["Country"].map(FORTUNE_COUNTRIES)
    df["excel_row"] = df.index + 2
    return df


def read_full(raw_dir: Path) -> pd.DataFrame:
    """The complete 2024 list (500 names, no country), format-checked."""
    df, path = read_source_csv(raw_dir, FULL_PATH, FULL_COLUMNS, N_COMPANIES, N_COMPANIES)
    bad = ~df["Rank"].str.fullmatch(r"\d+")
    if bad.any():
        raise InputError(path, "upstream format changed: rank is not an integer", row=int(bad.idxmax()) + 2)
    if sorted(df["Rank"].astype(int)) != list(range(1, N_COMPANIES + 1)):
        raise InputError(path, "upstream format changed: ranks are not 1-500")
    dup = df["Name"].duplicated() | (df["Name"].str.strip() == "")
    if dup.any():
        raise InputError(path, "company name empty or listed twice", row=int(dup.idxmax()) + 2)
    df["excel_row"] = df.index + 2
    return df


def read_aliases(curated_dir: Path, names_2019: set[str]) -> dict[str, dict]:
    """Reviewed renames: later name key -> alias row (the 2019 name must be on the 2019 list)."""
    df, path = read_source_csv(curated_dir, Path(ALIASES_FILE), ALIAS_COLUMNS, 1, 500)
    out = {}
    for i, r in enumerate(df.itertuples(index=False)):
        if r.name_2019 not in names_2019:
            raise InputError(path, "name_2019 is not a company of the 2019 list", row=i + 2, detail=r.name_2019)
        if not r.reason.strip() or not r.source_url.startswith("http"):
            raise InputError(path, "every alias needs a reason and a source_url", row=i + 2)
        if _key(r.name_later) in out:
            raise InputError(path, "later name listed twice", row=i + 2, detail=r.name_later)
        out[_key(r.name_later)] = {**r._asdict(), "excel_row": i + 2}
    return out


def read_new_hq(curated_dir: Path) -> dict[tuple[str, int], dict]:
    """Cited HQs of new entrants and moved firms: (company key, list year) -> row."""
    df, path = read_source_csv(curated_dir, Path(NEW_HQ_FILE), NEW_HQ_COLUMNS, 1, 1000)
    out = {}
    for i, r in enumerate(df.itertuples(index=False)):
        countries = r.country_iso2.split(";")
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in countries) or (len(countries) > 1 and r.hq_city.strip()):
            raise InputError(path, "country_iso2 invalid (several countries only for a row without hq_city)",
                             row=i + 2, detail=r.country_iso2)
        if not r.source_url.startswith("http") or not r.source_title.strip() or r.grade not in GRADES:
            raise InputError(path, "every HQ needs a source_title, a source_url and a known grade", row=i + 2)
        years = r.list_years.split(";")
        if not all(y.isdigit() and int(y) in (YEAR, *LATER_YEARS) for y in years):
            raise InputError(path, "list_years must be ;-joined list years (2019, 2022-2024)", row=i + 2,
                             detail=r.list_years)
        for y in years:
            if (_key(r.company), int(y)) in out:
                raise InputError(path, "company listed twice for one list year", row=i + 2, detail=r.company)
            out[(_key(r.company), int(y))] = {**r._asdict(), "excel_row": i + 2}
    return out


def read_province_scope(curated_dir: Path, registry: Registry) -> dict[tuple[str, str], set[str]]:
    """(province, country) -> the reference cities an HQ known only by that province may belong to."""
    df, path = read_source_csv(curated_dir, Path(PROVINCE_FILE), PROVINCE_COLUMNS, 1, 100)
    known = set(registry.city_ids())
    out = {}
    for i, r in enumerate(df.itertuples(index=False)):
        cities = {c for c in r.reference_cities.split(";") if c}
        if cities - known or not r.reason.strip():
            raise InputError(path, "unknown reference city or missing reason", row=i + 2)
        out[(normalize_name(r.province), r.country_iso2)] = cities
    return out


# A machine copy of Fortune's own list pages (names, countries, HQs as Fortune prints them) carries the producer's
# grade, as the Eurostat and UNESCO exports saved in third-party repositories do (data/curated/source_grades.csv).
SCRAPE_GRADE = "producer's own publication"


def _meta(url: str, title: str, producer: str, grade: str, year: str, licence: str, attribution: str) -> SourceMeta:
    return SourceMeta(source_id=url_source_id("global500", url), title=title, producer=producer, url=url,
                      licence=licence, attribution=attribution, year=year, grade=grade)


class _Firms:
    """Every firm of every list year with its country and HQ placement, or why it is unplaced and what it withholds."""

    def __init__(self, registry: Registry, hq_places: dict, provinces: dict):
        self.registry, self.hq_places, self.provinces = registry, hq_places, provinces
        self.rows: list[dict] = []

    def add(self, year: int, company: str, iso2: str | None, town: str | None, state: str | None,
            source_id: str, how_known: str, source_file: str, excel_row: int, province: str | None = None) -> None:
        city_id, withhold = None, None
        groups = {country_group(c) for c in iso2.split(";")} if iso2 else set()
        if town:
            city_id, how = place_town(town, iso2, self.registry, self.hq_places, state)
            placed = city_id is not None or how.startswith("no reference city")
            if not placed:
                withhold = {"groups": groups}
        elif province:
            scope = self.provinces.get((normalize_name(province), iso2))
            how, placed = f"HQ known only as the province {province}", False
            withhold = {"cities": scope} if scope is not None else {"groups": groups}
        else:
            how, placed = how_known, False
            withhold = {"groups": groups} if groups else {"all": True}
        self.rows.append({"year": year, "company": company, "iso2": iso2, "town": town, "city_id": city_id,
                          "placed": placed, "how": how, "how_known": how_known, "withhold": withhold,
                          "source_id": source_id, "source_file": source_file, "row": excel_row})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


def read_firms(raw_dir: Path, registry: Registry, curated_dir: Path = CURATED_DIR
               ) -> tuple[pd.DataFrame, list[SourceMeta], dict[int, bool], str, str]:
    """(firms of every list year with placement, sources, which years are complete, 2019 and 2024 source ids)."""
    raw = read_raw(raw_dir)
    hq = read_curated(raw_dir, raw)
    later = read_later(raw_dir)
    full = read_full(raw_dir)
    hq_places = read_hq_places()
    aliases = read_aliases(curated_dir, set(hq["company"]))
    new_hq = read_new_hq(curated_dir)
    provinces = read_province_scope(curated_dir, registry)
    sources: dict[str, SourceMeta] = {}

    def src(meta: SourceMeta) -> str:
        sources.setdefault(meta.url, meta)
        return sources[meta.url].source_id

    for u in hq[["source_url", "source_title"]].drop_duplicates("source_url").itertuples():
        src(SourceMeta(source_id=url_source_id("global500", u.source_url), title=u.source_title,
                       producer="Fortune Media (Global 500 list), scraped from fortune.com by GitHub user mslitao",
                       url=u.source_url, licence=LICENCE, attribution=ATTRIBUTION, retrieved="scraped Oct 2019",
                       year=str(YEAR), grade=SCRAPE_GRADE))
    src_2019 = url_source_id("global500", hq["source_url"].iloc[0])
    src_full = src(_meta("https://github.com/fayez94/Fortune-Global-500-Data-Visualization-Project/blob/"
                         "35a466c12ba495e3c8e0b4df258700e08d6fc043/Data/World_best_Company_details.csv",
                         "Fortune Global 500 2024, all 500 names (fayez94/Fortune-Global-500-Data-Visualization-"
                         "Project, Data/World_best_Company_details.csv)",
                         "Fortune Media (Global 500 list), scraped from fortune.com by GitHub user fayez94",
                         SCRAPE_GRADE, str(FULL_YEAR), LICENCE, "Fortune Global 500, 2024"))
    src_later = src(_meta("https://github.com/MartaVeinberga/fortune-global-500-scraper/blob/"
                          "2d05bad0943b3d2dd0f136d3d918da77eff26f62/fortune500_data.csv",
                          "Fortune Global 500 2022-2024, the 430 firms on all three lists, with country "
                          "(MartaVeinberga/fortune-global-500-scraper, fortune500_data.csv)",
                          "Fortune Media (Global 500 list), scraped from fortune.com by GitHub user MartaVeinberga",
                          SCRAPE_GRADE, "2022, 2023, 2024", LICENCE, "Fortune Global 500, 2022-2024"))
    alias_src = {k: src(_meta(a["source_url"], a["source_title"], "Fortune Media (company page); alias reviewed "
                              "by CDI Explorer (data/curated/global500_aliases.csv)", "other", "",
                              "facts from a public page", "Fortune Global 500"))
                 for k, a in aliases.items()}
    new_src = {k: src(_meta(n["source_url"], n["source_title"], n["producer"], n["grade"],
                            n["list_years"].replace(";", ", "), "facts from a public page", n["producer"]))
               for k, n in new_hq.items()}

    by_2019 = {_key(r.company): r for r in hq.itertuples()}
    firms = _Firms(registry, hq_places, provinces)
    for r in hq.itertuples():  # 2019: Fortune's own towns, unless a cited page names the town of a province row
        k = (_key(r.company), YEAR)
        if k in new_hq:
            n = new_hq[k]
            firms.add(YEAR, r.company, n["country_iso2"], n["hq_city"], n["state"] or None, new_src[k],
                      "global500_new_hq.csv", str(CURATED_PATH), r.excel_row)
        elif "province" in r.note.lower():
            firms.add(YEAR, r.company, r.country_iso2, None, None, src_2019, "", str(CURATED_PATH), r.excel_row,
                      province=r.city)
        else:
            state = us_state(r.hq_location_as_stated) if r.country_iso2 == "US" else None
            firms.add(YEAR, r.company, r.country_iso2, r.city, state, src_2019, "2019 HQ table",
                      str(CURATED_PATH), r.excel_row)

    later_country = {(_key(r.Company), r.year): r.country_iso2 for r in later.itertuples()}
    rosters = {y: [(r.Company, str(LATER_PATH), r.excel_row) for r in later[later["year"] == y].itertuples()]
               for y in LATER_YEARS if y != FULL_YEAR}
    rosters[FULL_YEAR] = [(r.Name, str(FULL_PATH), r.excel_row) for r in full.itertuples()]
    for year, roster in rosters.items():
        for name, source_file, excel_row in roster:
            k = _key(name)
            base = by_2019.get(_key(aliases[k]["name_2019"])) if k in aliases else by_2019.get(k)
            if (k, year) in new_hq:
                n = new_hq[(k, year)]
                firms.add(year, name, n["country_iso2"], n["hq_city"] or None, n["state"] or None,
                          new_src[(k, year)], "HQ town not found in a cited page; country from "
                          f"global500_new_hq.csv ({n['note']})", source_file, excel_row)
            elif base is not None and "province" in base.note.lower():
                firms.add(year, name, base.country_iso2, None, None, src_2019, "", source_file, excel_row,
                          province=base.city)
            elif base is not None:
                state = us_state(base.hq_location_as_stated) if base.country_iso2 == "US" else None
                how = f"2019 HQ via alias ({aliases[k]['name_2019']})" if k in aliases else "2019 HQ (same name)"
                firms.add(year, name, base.country_iso2, base.city, state,
                          alias_src[k] if k in aliases else src_2019, how, source_file, excel_row)
            else:
                iso2 = later_country.get((k, year)) or later_country.get((k, FULL_YEAR))
                firms.add(year, name, iso2, None, None, src_later,
                          "not on the 2019 list (nor aliased) and no cited HQ in data/curated/global500_new_hq.csv"
                          + ("" if iso2 else "; country unknown (not in the 2022-2024 file)"),
                          source_file, excel_row)
    complete = {YEAR: len(hq) == N_COMPANIES, FULL_YEAR: len(full) == N_COMPANIES}
    return firms.frame(), list(sources.values()), complete, src_2019, src_full


def read(raw_dir: Path, registry: Registry, curated_dir: Path = CURATED_DIR) -> SourceResult:
    firms, sources, complete, src_2019, src_full = read_firms(raw_dir, registry, curated_dir)
    return publish(firms, registry, complete, sources, src_2019, src_full)


def publish(f: pd.DataFrame, registry: Registry, complete: dict[int, bool], sources: list[SourceMeta],
            src_2019: str, src_full: str) -> SourceResult:
    """Counts for the city-years the publication rule allows, the side table, and the unmatched report."""
    country = dict(zip(registry.cities["city_id"], registry.cities["country_iso2"]))
    rows, table, unmatched = [], [], []
    for year in sorted(f["year"].unique()):
        fy = f[f["year"] == year]
        unplaced = fy[~fy["placed"]]
        for r in unplaced.itertuples():
            unmatched.append({"source_file": r.source_file, "row": r.row, "name": r.company,
                              "country_iso2": r.iso2 or "", "reason": f"Global 500 {year}: {r.how}"})
        if not complete.get(int(year), False):
            unmatched.append({"source_file": str(LATER_PATH), "row": 0, "name": f"list year {year}",
                              "country_iso2": "", "reason": f"Global 500 {year}: only {len(fy)} of {N_COMPANIES} "
                              "firms in the inputs (the file keeps the firms present in all of 2022-2024): "
                              "no city count published for this year"})
            continue
        withheld = list(unplaced["withhold"])
        all_withheld = any(w.get("all") for w in withheld)
        groups = set().union(*[w["groups"] for w in withheld if "groups" in w])
        cities = set().union(*[w["cities"] for w in withheld if "cities" in w])
        if all_withheld:
            unmatched.append({"source_file": "", "row": 0, "name": f"all countries {year}", "country_iso2": "",
                              "reason": f"Global 500 {year}: no count published: firm(s) of unknown country"})
        for g in sorted(groups):
            n = sum(1 for w in withheld if g in w.get("groups", ()))
            unmatched.append({"source_file": "", "row": 0, "name": f"{g} {year}", "country_iso2": g,
                              "reason": f"Global 500 {year}: counts of the reference cities of {g} not published: "
                              f"{n} firm(s) of {g} not placed"})
        src = src_2019 if year == YEAR else src_full
        placed = fy[fy["city_id"].notna()]
        for city_id in registry.city_ids():
            if all_withheld or country_group(country[city_id]) in groups or city_id in cities:
                continue
            mine = placed[placed["city_id"] == city_id]
            suburbs = Counter(t for t, how in zip(mine["town"], mine["how"]) if not how.startswith("HQ town is"))
            note = (f"Fortune Global 500 ({year} list) HQs in the city or in a town within {METRO_KM:.0f} km "
                    "(metro rule)")
            if year != YEAR:
                note += ("; firms already on the 2019 list keep their 2019 HQ unless global500_new_hq.csv cites a "
                         "move (renamed firms via global500_aliases.csv)")
            if not len(mine):
                note += "; none: a true zero (complete list, every firm of the country placed)"
            if suburbs:
                note += "; incl. " + ", ".join(f"{t} {n}" for t, n in sorted(suburbs.items()))
            rows.append({"city_id": city_id, "indicator": INDICATOR, "year": int(year), "value": float(len(mine)),
                         "status": STATUS_OBSERVED, "source_id": src, "note": note})
            table += [{"city_id": city_id, "year": int(year), "company": r.company, "hq_town": r.town,
                       "source_id": r.source_id} for r in mine.itertuples()]
    side = pd.DataFrame(table, columns=TABLE_COLUMNS).sort_values(["city_id", "year", "company"])
    return SourceResult(observations=obs_frame(rows), sources=sources, unmatched=unmatched_frame(unmatched),
                        tables={"global500_hq": side.reset_index(drop=True)})
