"""Tourist nights: which areas are the city, and which one series each city's history uses.

Promises (shared by eurostat_tourism and eurostat_nuts3_nights, so both apply one rule):
- `read_areas()`: the reviewed table cdi_core/reference/tourist_nights_areas.csv (one row per Eurostat NUTS 3 code of
  curated/tourism_nights_capitals.csv and per Urban Audit "greater city" code whose area was reviewed): whether the
  area is the city, with the reason and source.
- `read_nuts3()`: the NUTS 3 nights of all guests (Eurostat tour_occ_nin2) whose area is the city, matched to
  reference cities; every other NUTS 3 row of that measure is returned as unmatched with why (a wider region, or an
  area nobody reviewed).
- `join_plan()`: one series per city. Where a city has Urban Audit values (urb_ctour) and NUTS 3 values, they are
  compared in every year both exist. Within AGREE_PCT in all of them (or no common year): the series are joined,
  Urban Audit before the first NUTS 3 year and NUTS 3 from then on. Further apart: they are not the same area, and the
  NUTS 3 city series is the city's only one (its Urban Audit values are not used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.paths import REFERENCE_DIR
from cdi_core.registry import Registry
from cdi_core.sources.base import GRADES, read_source_csv

AREAS_PATH = REFERENCE_DIR / "tourist_nights_areas.csv"
AREA_COLUMNS = ["code", "level", "city_id", "area_is_city", "reason", "source"]
LEVELS = ("nuts3", "urban_audit")
NIGHTS_PATH = Path("curated/tourism_nights_capitals.csv")
NIGHTS_COLUMNS = ["city", "country_iso2", "measure", "value", "year", "area", "accommodation_scope", "provisional",
                  "producer", "source_grade", "source_url", "source_title", "retrieved", "note"]
NIGHTS_ROWS = (300, 600)  # the .md: 425 rows
MEASURES = ("nights_all_guests", "nights_non_residents", "arrivals_all_guests")
MEASURE = "nights_all_guests"  # the indicator's definition: residents and non-residents
NUTS3 = re.compile(r"^NUTS 3 ([A-Z]{2}[0-9A-Z]{3})\b")
URBAN_AUDIT = "Urban Audit"
# Two Eurostat series of one city agree when they are at most this far apart in every common year. Measured: the
# cities whose NUTS 3 region is the city are 0.0-2.2 % from their Urban Audit city value in 2020 (Budapest -0.7 %,
# Cologne +2.2 %); WienTourismus' own figures run 4.0-5.5 % above Eurostat's Vienna in 2020-2024, a different count.
AGREE_PCT = 2.5


def read_areas(path: Path = AREAS_PATH) -> pd.DataFrame:
    """The reviewed area table, checked: known level, yes/no, a reason and a source on every row, one row a code."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, "reviewed area table is unreadable", detail=str(exc).splitlines()[0]) from exc
    missing = [c for c in AREA_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, "reviewed area table lacks columns", detail=", ".join(missing))
    for i, r in enumerate(df.itertuples(), start=2):
        if r.level not in LEVELS:
            raise InputError(path, "level must be nuts3 or urban_audit", row=i, detail=r.level)
        if r.area_is_city not in ("yes", "no"):
            raise InputError(path, "area_is_city must be yes or no", row=i, detail=r.area_is_city)
        if not (r.code and r.city_id and r.reason and r.source):
            raise InputError(path, "code, city_id, reason and source are required", row=i)
    dup = df["code"].duplicated()
    if dup.any():
        raise InputError(path, "one code reviewed twice", row=int(dup.idxmax()) + 2, detail=df["code"][dup].iloc[0])
    return df.set_index("code", drop=False)


def city_area_codes(areas: pd.DataFrame, level: str) -> set[str]:
    return set(areas[(areas["level"] == level) & (areas["area_is_city"] == "yes")]["code"])


def read_nights(raw_dir: Path) -> tuple[pd.DataFrame, Path]:
    """tourism_nights_capitals.csv, format-checked (known measure and grade, yes/no, a year, a whole number)."""
    df, path = read_source_csv(raw_dir, NIGHTS_PATH, NIGHTS_COLUMNS, *NIGHTS_ROWS)
    df["csv_row"] = df.index + 2
    for r in df.itertuples():
        rules = [(r.measure in MEASURES, "unknown measure", r.measure),
                 (r.source_grade in GRADES, "unknown source_grade", r.source_grade),
                 (r.provisional in ("yes", "no"), "provisional must be yes or no", r.provisional),
                 (r.year.isdigit() and len(r.year) == 4, "year is not a year", r.year),
                 (r.value.isdigit(), "value is not a whole number", r.value)]
        for ok, rule, detail in rules:
            if not ok:
                raise InputError(path, rule, row=r.csv_row, detail=detail)
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    df["code"] = df["area"].str.extract(NUTS3, expand=False).fillna("")
    return df, path


def read_nuts3(raw_dir: Path, registry: Registry, areas: pd.DataFrame | None = None
               ) -> tuple[pd.DataFrame, list[dict]]:
    """NUTS 3 nights of all guests whose area is the city (with `city_id`), and the rows left out, with why."""
    areas = read_areas() if areas is None else areas
    df, path = read_nights(raw_dir)
    rows = df[(df["measure"] == MEASURE) & (df["code"] != "")].copy()
    keep, unmatched = [], []
    for r in rows.itertuples():
        city_id = registry.match(r.city, r.country_iso2)
        if r.code not in areas.index or areas.at[r.code, "level"] != "nuts3":
            why = f"NUTS 3 {r.code}: area not reviewed in {AREAS_PATH.name}, so not known to be the city"
        elif areas.at[r.code, "city_id"] != city_id:
            raise InputError(path, f"row's city is not the city {AREAS_PATH.name} gives for {r.code}", row=r.csv_row,
                             detail=f"{r.city} -> {city_id}, table: {areas.at[r.code, 'city_id']}")
        elif areas.at[r.code, "area_is_city"] != "yes":
            why = f"NUTS 3 {r.code} is wider than the city: {areas.at[r.code, 'reason']}"
        else:
            keep.append(r.Index)
            continue
        unmatched.append({"source_file": str(NIGHTS_PATH), "row": r.csv_row, "name": f"{r.city} {r.year}",
                          "country_iso2": r.country_iso2, "reason": why})
    out = rows.loc[keep].assign(city_id=lambda d: [registry.match(c, i) for c, i in zip(d["city"],
                                                                                        d["country_iso2"])])
    return out.reset_index(drop=True), unmatched


@dataclass(frozen=True)
class Join:
    """How one city's history is built from its Urban Audit (ua) and NUTS 3 values."""

    city_id: str
    first_nuts3_year: int
    joined: bool          # True: Urban Audit before first_nuts3_year, NUTS 3 from it; False: NUTS 3 only
    has_ua: bool          # the city has Urban Audit values at all
    overlap: tuple[tuple[int, float, float, float], ...]  # (year, nuts3 value, ua value, ua vs nuts3 in %)

    def overlap_text(self) -> str:
        if not self.has_ua:
            return ""
        if not self.overlap:
            return "no year with both series, so their agreement is not measured"
        return "; ".join(f"{y}: NUTS 3 {n:,.0f}, Urban Audit {u:,.0f} ({d:+.1f} %)" for y, n, u, d in self.overlap)

    def ua_kept(self, year: int) -> bool:
        return self.joined and year < self.first_nuts3_year


def join_plan(ua: pd.DataFrame, nuts3: pd.DataFrame) -> dict[str, Join]:
    """Per city with NUTS 3 values: joined or NUTS 3 only (see the module docstring). Frames: city_id, year, value."""
    plan = {}
    for city_id, n in nuts3.groupby("city_id"):
        u = ua[ua["city_id"] == city_id]
        both = n.merge(u, on="year", suffixes=("_n", "_u")).sort_values("year")
        overlap = tuple((int(r.year), float(r.value_n), float(r.value_u), (r.value_u / r.value_n - 1) * 100)
                        for r in both.itertuples())
        agree = all(abs(d) <= AGREE_PCT for *_, d in overlap)
        plan[city_id] = Join(city_id, int(n["year"].min()), joined=agree and len(u) > 0, has_ua=len(u) > 0,
                             overlap=overlap)
    return plan
