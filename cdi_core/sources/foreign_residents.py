"""Foreign residents -> indicators `foreign_born_share` and `foreign_citizen_share` (both in % of residents).

Two measures, kept apart and never converted into each other:
- `foreign_born_share`: % of residents born abroad (Eurostat: foreign-born persons / population on 1 January,
  divided by the curators; pages: as printed, or two counts of one page divided).
- `foreign_citizen_share`: % of residents without the country's citizenship.
Foreign-origin measures (Vienna "ausländische Herkunft", Danish immigrants plus descendants, Brussels "origin")
are not used: each follows its own national definition, so they are not comparable across cities.

Inputs: `curated/foreign_born_share.csv` (Eurostat rows for 687 cities plus page rows) and
`curated/foreign_population_focus.csv` (capitals, long format). Rows are dropped when their area is a whole
country (Valletta = all of Malta, Podgorica = all of Montenegro: not city values), when the figure is only a lower
bound ("LOWER BOUND": a bound is not a value), or when the curated note says another row of the same figure
supersedes it ("prefer the ... row"). APPROXIMATE figures are kept, with the flag in the note. Rows repeated in
both files count once.

Precedence, one value per (city, indicator, year): a city-level area (city, city proper, municipality, Eurostat
city) beats a wider one (Eurostat greater city, region, county, prefecture, metro); among equals a share the
producer printed beats one derived from two counts; then an exact figure beats an approximate or year-inferred one.
The note gives area, definition, how the value was obtained, flags, and other figures left out for that year.
Flags (base.FLAGS): `estimated` where Eurostat flags the foreign-born count or the population `e` (the curated
notes carry urb_cpopcb's and urb_cpop1's OBS_FLAG: "foreign-born value flag: e", "population value flag: e"),
`approximate` for APPROXIMATE rows, `year_inferred` for YEAR INFERRED, `derived` for shares the curators divided
from two counts, `area_wider` for a wider area than the city (greater city, region, county, metro).
Missing stays missing: no row (Warsaw, for instance, has only a 2015 share of registered foreigners).

List type: PARTIAL (official figures read city by city): a reference city absent from it is missing (no row),
never 0.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import Registry, geonames_cities
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    join_flags,
    obs_frame,
    read_source_csv,
    unmatched_frame,
    url_source_id,
)
from cdi_core.text import normalize_name

SHARE_PATH = Path("curated/foreign_born_share.csv")
FOCUS_PATH = Path("curated/foreign_population_focus.csv")
SHARE_COLUMNS = ["city", "country_iso2", "year", "geo_level", "name_in_source", "eurostat_code", "foreign_born_pct",
                 "foreign_citizens_pct", "foreign_origin_pct", "pct_derived", "definition", "note", "source_url",
                 "source_title"]
FOCUS_COLUMNS = ["city", "country_iso2", "year", "measure", "value", "area", "producer", "source_url", "source_title",
                 "note"]
FOCUS_MEASURES = {"foreign_citizens_count", "foreign_citizens_pct", "foreign_born_count", "foreign_born_pct",
                  "foreign_origin_pct", "population"}
INDICATORS = {"foreign_born_pct": "foreign_born_share", "foreign_citizens_pct": "foreign_citizen_share"}
DEFINITIONS = {"foreign_born_pct": "residents born abroad (foreign-born)",
               "foreign_citizens_pct": "residents without the country's citizenship (foreign citizens)"}
EUROSTAT_LICENCE = "Eurostat reuse policy: free reuse with acknowledgement"
PAGE_LICENCE = "facts from a public page; no licence stated"
WIKI_LICENCE = ("the figures are the producer's named in each note (facts); read on a Wikipedia page whose text is "
                "CC BY-SA 4.0")
BIG_CITY = 250_000  # unmatched Eurostat cities are reported only from this GeoNames population up


def read_share(raw_dir: Path) -> pd.DataFrame:
    """foreign_born_share.csv as candidate rows (one per city, year and share measure), format-checked."""
    df, path = read_source_csv(raw_dir, SHARE_PATH, SHARE_COLUMNS, 3500, 5000)
    out = []
    for i, r in enumerate(df.itertuples(), start=2):
        if r.pct_derived not in ("yes", "no"):
            raise InputError(path, "pct_derived is not yes/no", row=i, detail=r.pct_derived)
        eurostat = bool(r.eurostat_code)
        for measure in INDICATORS:
            text = getattr(r, measure)
            if not text:
                continue
            out.append({
                "file": str(SHARE_PATH), "row": i, "city": r.city, "country_iso2": r.country_iso2,
                "year": _year(r.year, path, i), "measure": measure, "value": _pct(text, path, i),
                "area": _eurostat_area(r.geo_level) if eurostat else r.geo_level,
                "definition": "foreign-born / population on 1 Jan" if eurostat else r.definition,
                "derived": r.pct_derived == "yes", "eurostat": eurostat,
                "producer": "Eurostat" if eurostat else "", "flags_text": r.note,
                "source_url": r.source_url, "source_title": r.source_title,
            })
    return pd.DataFrame(out)


def read_focus(raw_dir: Path) -> pd.DataFrame:
    """foreign_population_focus.csv share rows as candidates, format-checked."""
    df, path = read_source_csv(raw_dir, FOCUS_PATH, FOCUS_COLUMNS, 60, 200)
    out = []
    for i, r in enumerate(df.itertuples(), start=2):
        if r.measure not in FOCUS_MEASURES:
            raise InputError(path, "unknown measure", row=i, detail=r.measure)
        if r.measure not in INDICATORS:
            continue
        out.append({
            "file": str(FOCUS_PATH), "row": i, "city": r.city, "country_iso2": r.country_iso2,
            "year": _year(r.year, path, i), "measure": r.measure, "value": _pct(r.value, path, i),
            "area": r.area, "definition": DEFINITIONS[r.measure],
            "derived": "DERIVED" in r.note or "computed by us" in r.producer, "eurostat": False,
            "producer": r.producer, "flags_text": r.note, "source_url": r.source_url, "source_title": r.source_title,
        })
    return pd.DataFrame(out)


def _eurostat_area(geo_level: str) -> str:
    """'greater city (Eurostat)' -> 'Eurostat greater city'; 'city (Eurostat LAU-based city)' -> 'Eurostat city'."""
    return "Eurostat greater city" if geo_level.startswith("greater city") else "Eurostat city"


def _year(text: str, path: Path, row: int) -> int:
    if not re.fullmatch(r"(19|20)\d\d", text):
        raise InputError(path, "year is not a four-digit year", row=row, detail=text)
    return int(text)


def _pct(text: str, path: Path, row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(path, "share is not a number", row=row, detail=text) from None
    if not 0 <= value <= 100:
        raise InputError(path, "share outside 0-100", row=row, detail=text)
    return value


def area_rank(area: str) -> int | None:
    """0 = the city itself, 1 = a wider area (greater city, region, metro...), None = a whole country (dropped)."""
    a = area.lower()
    if a.startswith("country"):
        return None
    if a.startswith(("city", "municipality", "eurostat city")):
        return 0
    return 1


def _flags(text: str) -> list[str]:
    return [f for f in ("APPROXIMATE", "YEAR INFERRED", "SECONDARY") if f in text]


def candidates(raw_dir: Path) -> tuple[pd.DataFrame, list[dict]]:
    """All usable share rows of both files with their precedence keys, and the rows dropped (with why)."""
    df = pd.concat([read_share(raw_dir), read_focus(raw_dir)], ignore_index=True)
    df["area_rank"] = df["area"].map(area_rank)
    dropped = []
    rules = [(df["area_rank"].isna(), "area is a whole country, not the city"),
             (df["flags_text"].str.contains("LOWER BOUND"), "LOWER BOUND: a bound is not a value"),
             (df["flags_text"].str.contains(r"prefer the .* row", regex=True), "superseded by another row (note)")]
    keep = pd.Series(True, index=df.index)
    for mask, why in rules:
        for r in df[mask & keep].itertuples():
            dropped.append({"file": r.file, "row": r.row, "city": r.city, "why": why})
        keep &= ~mask
    df = df[keep].copy()
    df["flag_list"] = df["flags_text"].map(_flags)
    df["inexact"] = df["flag_list"].map(len).gt(0)
    return df, dropped


_EUROSTAT_E = re.compile(r"(?:foreign-born|population) value flag: [a-z]*e")


def quality_flags(r: dict) -> str:
    """The observation's `flags` cell for one chosen candidate row."""
    flags = ["estimated"] * bool(r["eurostat"] and _EUROSTAT_E.search(r["flags_text"]))
    flags += ["approximate"] * ("APPROXIMATE" in r["flag_list"]) + ["year_inferred"] * ("YEAR INFERRED" in
                                                                                          r["flag_list"])
    flags += ["derived"] * bool(r["derived"]) + ["area_wider"] * (r["area_rank"] == 1)
    return join_flags(flags)


def _note(r: dict, others: list[str]) -> str:
    how = "derived: count / population" if r["derived"] else "as printed by the producer"
    parts = [r["area"], r["definition"], how]
    if r["eurostat"]:
        parts += [f for f in r["flags_text"].split("; ") if "flag" in f]
    elif r["flags_text"]:  # the curated note: reference date, caveats and the APPROXIMATE/... flags
        parts.append(f"source note: {r['flags_text']}")
    if others:
        parts.append("also for this year: " + ", ".join(others))
    return "; ".join(p for p in parts if p)


def _source(url: str, title: str, eurostat: bool, producer: str) -> SourceMeta:
    domain = urlparse(url).netloc.removeprefix("www.")
    if eurostat:
        return SourceMeta(url_source_id("foreign_residents", url), title, "Eurostat", url, EUROSTAT_LICENCE,
                          "Source: Eurostat (urb_cpopcb, urb_cpop1)", year="2015-2024")
    wiki = "wikipedia.org" in domain or "/wiki/" in url
    who = f"{producer}, as reported by {domain}" if producer else f"{domain} (the producer is named in each note)"
    return SourceMeta(url_source_id("foreign_residents", url), title, who, url, WIKI_LICENCE if wiki else PAGE_LICENCE,
                      f"{producer or domain}, via {domain}")


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    df, dropped = candidates(raw_dir)
    df["city_id"] = [registry.match(c, i) for c, i in zip(df["city"], df["country_iso2"])]
    df["indicator"] = df["measure"].map(INDICATORS)
    matched = df[df["city_id"].notna()].sort_values(
        ["city_id", "indicator", "year", "area_rank", "derived", "inexact", "file", "row"])
    # The .md: some figures repeat between the two files; the same (city, year, measure, value) counts once.
    matched = matched.drop_duplicates(["city_id", "indicator", "year", "value"])
    sources: dict[str, SourceMeta] = {}
    rows = []
    for (city_id, indicator, year), g in matched.groupby(["city_id", "indicator", "year"], sort=False):
        best = g.iloc[0].to_dict()
        others = [f"{o.value:g}% ({'derived' if o.derived else 'printed'}, {'wider area' if o.area_rank else 'city'})"
                  for o in g.iloc[1:3].itertuples()]
        src = sources.setdefault(best["source_url"], _source(best["source_url"], best["source_title"],
                                                             best["eurostat"], best["producer"]))
        rows.append({"city_id": city_id, "indicator": indicator, "year": int(year), "value": float(best["value"]),
                     "status": STATUS_OBSERVED, "source_id": src.source_id, "note": _note(best, others),
                     "flags": quality_flags(best)})
    return SourceResult(observations=obs_frame(rows), sources=list(sources.values()),
                        unmatched=_unmatched(df[df["city_id"].isna()]),
                        tables={"foreign_residents_dropped": pd.DataFrame(dropped, columns=["file", "row", "city",
                                                                                             "why"])})


def _unmatched(df: pd.DataFrame) -> pd.DataFrame:
    """Every unplaced (name, country), once: page rows and Eurostat cities alike (a misspelt reference city must
    not vanish silently); the reason says whether GeoNames knows a city of 250,000+ so named."""
    big = {(normalize_name(c["name"]), c["countrycode"]) for c in geonames_cities().values()
           if c["population"] >= BIG_CITY}
    rows = []
    for r in df.drop_duplicates(["city", "country_iso2"]).itertuples():
        size = (" (Eurostat city, GeoNames >= 250,000 people)" if (normalize_name(r.city), r.country_iso2) in big
                else " (Eurostat city)") if r.eurostat else ""
        rows.append({"source_file": r.file, "row": r.row, "name": r.city, "country_iso2": r.country_iso2,
                     "reason": "not a reference city" + size})
    return unmatched_frame(rows)
