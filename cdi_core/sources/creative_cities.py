"""UNESCO Creative Cities Network (UCCN) membership.

Definition: the number of creative fields (Crafts and Folk Art, Design, Film, Gastronomy, Literature, Media Arts,
Music) in which the city is a UNESCO Creative City; 0 or 1, rarely more.

Rules (the member list is UNESCO's complete list as of 2024-10-01; designation years were read for 105 members):
- A member with a designation year counts from that year; for the years 2019-2024 before it the value is 0
  ("not yet designated"), since UNESCO designates cities only in the announced rounds.
- A member without a designation year joined in 2021 or before (the whole 2023 round is dated in the file): it is
  counted from 2021, with the note "designation year not found; member by 2021 at the latest"; no value for 2019-2020.
- A reference city that is not on the list gets 0 in every year 2019-2024: no departure is recorded, so a city
  not a member in 2024 is taken not to have been one before (note "no departures recorded").
- Observations stop at 2024, the date of the list.
- A name is matched only together with its country, never by name alone. 32 rows have no country in the file;
  the reviewed table `data/curated/creative_city_countries.csv` gives the country of 21 of them from UNESCO's own city
  description (e.g. "the city of London, in Canada": London, Music is London, Ontario, not London, GB). A row still
  without a country is reported in `unmatched`, and every reference city it might be (its name in any country)
  gets no value at all rather than a possibly false zero. A decision for a row that has a country, or for no row
  at all, stops the ingest (a stale decision).

List type: COMPLETE (UNESCO's whole member list): a reference city absent from it is a true zero in every year of
the list (2019-2024); not for a namesake of a member row that has no country.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REPO_ROOT
from cdi_core.registry import Registry
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
from cdi_core.sources.eurostat_tourism import REPORT_MIN_POPULATION, geonames_population

RAW_PATH = Path("curated/network_unesco_creative_cities.csv")
INDICATOR = "creative_city"
PREFIX = "uccn"
COLUMNS = ["city", "country_iso2", "country_method", "creative_field", "designation_year", "member_as_of",
           "source_url", "source_title", "year_source_url", "year_source_title", "notes"]
ROWS_DOCUMENTED = (330, 380)  # .md: 350 members
FIELDS = {"Crafts and Folk Art", "Design", "Film", "Gastronomy", "Literature", "Media Arts", "Music"}
UNDATED_FROM = 2021
LIST_YEAR = 2024
FIRST_YEAR = 2019
NO_LICENCE = "facts from a public page; no licence stated"
COUNTRIES_PATH = REPO_ROOT / "data" / "curated" / "creative_city_countries.csv"
COUNTRY_COLUMNS = ["city", "creative_field", "country_iso2", "source_title", "source_url", "producer", "grade",
                   "evidence", "note"]

LIST_SOURCE = SourceMeta(
    source_id="uccn_list_2024",
    title="UNESCO Creative Cities Network member list (scraped 2024-10-01)",
    producer="UNESCO; list scraped by the GitHub repository DorobantuDiana/Creative-Cities_UNESCO-Network",
    url="https://github.com/DorobantuDiana/Creative-Cities_UNESCO-Network",
    licence="Apache License 2.0 (repository); facts from UNESCO's Creative Cities pages",
    attribution="UNESCO Creative Cities Network; scrape by DorobantuDiana/Creative-Cities_UNESCO-Network",
    retrieved="2024-10-01 (scrape date)",
    year="2024",
)


def read_countries(path: Path = COUNTRIES_PATH) -> pd.DataFrame:
    """The reviewed country of member rows the file gives without one, checked row by row."""
    df = read_curated(path, COUNTRY_COLUMNS, "reviewed country table")
    df["review_row"] = df.index + 2
    for r in df.itertuples():
        if not re.fullmatch(r"[A-Z]{2}", r.country_iso2):
            raise InputError(path, "country_iso2 is not an ISO 3166 code", row=r.review_row, detail=r.country_iso2)
        if r.grade not in GRADES:
            raise InputError(path, "unknown grade", row=r.review_row, detail=r.grade)
        if not (r.source_url.startswith("http") and r.evidence.strip()):
            raise InputError(path, "a decision needs its source_url and evidence", row=r.review_row)
    dup = df.duplicated(["city", "creative_field"])
    if dup.any():
        raise InputError(path, "one member row decided twice", row=int(df[dup].iloc[0].review_row))
    return df


def apply_countries(df: pd.DataFrame, countries: pd.DataFrame, path: Path = COUNTRIES_PATH) -> pd.DataFrame:
    """Fill the country of blank-country member rows from the reviewed table (a stale decision stops the ingest)."""
    out = df.copy()
    for r in countries.itertuples():
        rows = out.index[(out["city"] == r.city) & (out["creative_field"] == r.creative_field)]
        if len(rows) == 0:
            raise InputError(path, "no member row has this city and field (stale decision)", row=r.review_row,
                             detail=f"{r.city}, {r.creative_field}")
        if (out.loc[rows, "country_iso2"] != "").any():
            raise InputError(path, "the member row already has a country (stale decision)", row=r.review_row,
                             detail=f"{r.city}, {r.creative_field}")
        out.loc[rows, "country_iso2"] = r.country_iso2
        out.loc[rows, "country_method"] = "reviewed: data/curated/creative_city_countries.csv"
    return out


def _year_source(row: pd.Series) -> SourceMeta:
    site = urlparse(row.year_source_url).netloc.removeprefix("www.")
    return SourceMeta(source_id=url_source_id(PREFIX, row.year_source_url), title=row.year_source_title,
                      producer=f"UNESCO (designation announcement), as reported by {site}",
                      url=row.year_source_url, licence=NO_LICENCE, attribution=f"UNESCO, via {site}")


def _city_page(row: pd.Series) -> SourceMeta:
    return SourceMeta(source_id=url_source_id(PREFIX, row.source_url), title=row.source_title, producer="UNESCO",
                      url=row.source_url, licence=NO_LICENCE, attribution="UNESCO Creative Cities Network")


def read_table(raw_dir: Path) -> pd.DataFrame:
    df, path = read_source_csv(raw_dir, RAW_PATH, COLUMNS, *ROWS_DOCUMENTED)
    df["csv_row"] = df.index + 2
    for r in df.itertuples():
        if r.creative_field not in FIELDS:
            raise InputError(path, "unknown creative_field", row=r.csv_row, detail=r.creative_field)
        if r.designation_year and not r.designation_year.isdigit():
            raise InputError(path, "designation_year is not a year", row=r.csv_row, detail=r.designation_year)
    df["year"] = pd.to_numeric(df["designation_year"].replace("", None)).astype("Int64")
    return df


def place_rows(df: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, list[dict], set[str]]:
    """city_id per row (by name AND country only); rows to report; reference cities that a member row without a
    country might be (they get no value)."""
    ids, report, uncertain = [], [], set()
    for r in df.itertuples():
        city_id = None
        if r.country_iso2:
            city_id = registry.match(r.city, r.country_iso2)
            if not city_id:  # every miss is reported (a misspelt reference city must not vanish silently)
                big = geonames_population(r.city, r.country_iso2) >= REPORT_MIN_POPULATION
                report.append({"source_file": str(RAW_PATH), "row": r.csv_row, "name": r.city,
                               "country_iso2": r.country_iso2,
                               "reason": "GeoNames city of 250,000+ that is not a reference city" if big else
                               "not a reference city (no GeoNames city of 250,000+ so named in that country)"})
        else:
            namesakes = registry.candidates(r.city)
            uncertain |= namesakes
            report.append({"source_file": str(RAW_PATH), "row": r.csv_row, "name": r.city, "country_iso2": "",
                           "reason": "no country in the file and no reviewed decision: not matched by name alone"
                           + (f"; no value for {', '.join(sorted(namesakes))}" if namesakes else "")})
        ids.append(city_id)
    return df.assign(city_id=ids), report, uncertain


def _member_rows(city_id: str, rows: pd.DataFrame, sources: dict[str, SourceMeta]) -> list[dict]:
    """One observation per year 2019-2024 in which the city's number of fields is known from the dates."""
    dated, undated = rows[rows["year"].notna()], rows[rows["year"].isna()]
    fields = "; ".join(r.creative_field + (f" (designated {r.year})" if pd.notna(r.year) else "")
                       + (f" [{r.notes}]" if r.notes else "") for r in rows.itertuples())
    out = []
    for year in range(FIRST_YEAR, LIST_YEAR + 1):
        if len(undated) and year < UNDATED_FROM:
            continue  # an undated member may or may not have joined yet
        current = dated[dated["year"] <= year]
        n = len(current) + len(undated)
        if len(current):  # cite the page that dates the latest designation in force
            src = _year_source(current.sort_values("year").iloc[-1])
        elif len(undated):
            src = _city_page(undated.iloc[0])
        else:  # not yet designated: cite the page that dates the first designation
            src = _year_source(dated.sort_values("year").iloc[0])
        sources[src.source_id] = src
        note = fields if n else f"not yet designated; {fields}"
        if len(undated):
            note += "; designation year not found; member by 2021 at the latest"
        out.append({"city_id": city_id, "indicator": INDICATOR, "year": year, "value": float(n),
                    "status": STATUS_OBSERVED, "source_id": src.source_id, "note": note})
    return out


def read(raw_dir: Path, registry: Registry, countries_path: Path = COUNTRIES_PATH) -> SourceResult:
    df, report, uncertain = place_rows(
        apply_countries(read_table(raw_dir), read_countries(countries_path), countries_path), registry)
    members = df.dropna(subset=["city_id"])
    sources: dict[str, SourceMeta] = {LIST_SOURCE.source_id: LIST_SOURCE}
    rows: list[dict] = []
    for city_id, group in members.groupby("city_id", sort=True):
        rows += _member_rows(str(city_id), group, sources)
    placed = set(members["city_id"])
    for city_id in registry.city_ids():
        if city_id not in placed and city_id not in uncertain:
            # not on the complete current list: a zero in every year the list covers (as for the members' counts,
            # no departure is recorded, so a city not a member in 2024 was not one before)
            rows += [{"city_id": city_id, "indicator": INDICATOR, "year": year, "value": 0.0,
                      "status": STATUS_OBSERVED, "source_id": LIST_SOURCE.source_id,
                      "note": "not on the complete list of Oct 2024 (no departures recorded)"}
                     for year in range(FIRST_YEAR, LIST_YEAR + 1)]
    return SourceResult(observations=obs_frame(rows), sources=list(sources.values()),
                        unmatched=unmatched_frame(report))
