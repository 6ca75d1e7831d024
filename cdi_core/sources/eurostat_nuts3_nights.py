"""Eurostat NUTS 3 tourist nights (tour_occ_nin2, 2020-2024) where the NUTS 3 region is the city -> `tourist_nights`.

Input: curated/tourism_nights_capitals.csv (read it with its .md). Same definition as eurostat_tourism (urb_ctour
CR2001V): nights spent by residents and non-residents (c_resid=TOTAL) in tourist accommodation establishments
(NACE I55.1-I55.3), as each country's survey covers them. The note keeps the curators' caveats, e.g. that Hungary's
figures appear to cover commercial accommodation only.

Rules:
- Only measure nights_all_guests, only NUTS 3 codes reviewed as the city in cdi_core/reference/tourist_nights_areas.csv
  (HU110 Budapest, PL911 Miasto Warszawa, AT130 Wien, CZ010 Praha, ...). A wider region (SK010 Bratislavský kraj,
  Harju, Uusimaa, Comunidad de Madrid, ...) is not the city: not emitted, reported in unmatched with the reason.
- One series per city (cdi_core.sources.tourism_series): a city's Urban Audit values (eurostat_tourism) are used
  before 2020 and these NUTS 3 values from 2020, when the two agree within tourism_series.AGREE_PCT (2.5 %) in every
  common year. Measured in 2020: Budapest Urban Audit HU001C 0.7 % below NUTS 3 HU110; Warsaw, Brussels, Kraków,
  Wrocław, Łódź, Poznań, Riga, Zagreb equal; Düsseldorf +0.1 %, Munich +0.1 %, Frankfurt +0.5 %, Hamburg -0.6 %,
  Berlin +1.4 %, Sofia -1.5 %, Stuttgart +1.8 %, Cologne +2.2 %; Bucharest has no common year. Those values carry
  the flag `series_joined` and the measured difference in the note. Paris' Urban Audit values (greater city, -45 % to
  +70 % against the commune FR101) are another area: Paris uses only this NUTS 3 series.
- Producers' own figures (WienTourismus, ČSÚ via CzechTourism, Bratislava Tourist Board) are used only with grade
  official statistics or producer's own publication and when they agree within AGREE_PCT with the city's NUTS 3
  series in every common year (same definition and area), and only for years after it (a provisional first release
  says so in the note; a rounded figure is flagged `approximate`). None qualifies today: WienTourismus runs 4.0-5.5 %
  above Eurostat AT130, and the Prague 2025 figure is a reprint (reputable secondary). Each is reported in unmatched.
- Flags (base.FLAGS): `estimated` where the curated note gives Eurostat flag 'e' (Paris 2020-2021).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cdi_core.registry import Registry
from cdi_core.sources import eurostat_tourism, tourism_series
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    join_flags,
    obs_frame,
    unmatched_frame,
    url_source_id,
)

INDICATOR = eurostat_tourism.INDICATOR
USABLE_GRADES = ("official statistics", "producer's own publication")
EUROSTAT_FLAG = re.compile(r"flag '([a-z]+)'")
ROUNDED = re.compile(r"\brounded\b|\brund\b|\babout\b", re.IGNORECASE)

SOURCE = SourceMeta(
    source_id="eurostat_tour_occ_nin2",
    title="Nights spent at tourist accommodation establishments by NUTS 3 region (tour_occ_nin2), residents and "
          "non-residents, NACE I55.1-I55.3",
    producer="Eurostat (national data from the national statistical offices)",
    url="https://ec.europa.eu/eurostat/databrowser/view/tour_occ_nin2/default/table",
    licence="Eurostat reuse policy: free reuse with acknowledgement",
    attribution="Source: Eurostat",
    retrieved="TSV download in github.com/lahackmoreno/tourism-pressure-europe @35261f30 (2026-04-09), "
              "via shared/data curated/tourism_nights_capitals.csv",
    year="2020-2024",
    grade="official statistics",
)


def _eurostat_flags(note: str) -> str:
    return "".join(EUROSTAT_FLAG.findall(note))


def _nuts3_rows(nuts3: pd.DataFrame, plan: dict[str, tourism_series.Join]) -> list[dict]:
    rows = []
    for r in nuts3.itertuples():
        join = plan[r.city_id]
        note = (f"total nights (residents + non-residents), Eurostat NUTS 3 {r.code}; area: {r.area}; "
                f"establishments: {r.accommodation_scope}")
        if join.joined:
            note += (f"; series joined: Eurostat Urban Audit city values before {join.first_nuts3_year}, NUTS 3 from "
                     f"then ({join.overlap_text()})")
        elif join.has_ua:
            note += f"; the city's Urban Audit values are another area and are not used ({join.overlap_text()})"
        note += f"; curators' note: {r.note}"
        rows.append({"city_id": r.city_id, "indicator": INDICATOR, "year": int(r.year), "value": float(r.value),
                     "status": STATUS_OBSERVED, "source_id": SOURCE.source_id, "note": note,
                     "flags": join_flags(["series_joined"] * join.joined
                                         + ["estimated"] * ("e" in _eurostat_flags(r.note)))})
    return rows


def _producer_rows(df: pd.DataFrame, nuts3: pd.DataFrame, registry: Registry
                   ) -> tuple[list[dict], list[dict], list[SourceMeta]]:
    """Producers' own nights of all guests: used only under the module's rules; else reported with why."""
    own = df[(df["measure"] == tourism_series.MEASURE) & (df["code"] == "")
             & ~df["area"].str.startswith(tourism_series.URBAN_AUDIT)]
    rows, report, sources = [], [], {}
    for (city, iso2, _producer), g in own.groupby(["city", "country_iso2", "producer"]):
        city_id = registry.match(city, iso2)
        ref = nuts3[nuts3["city_id"] == city_id].set_index("year")["value"] if city_id else pd.Series(dtype=float)
        common = [(y, (v / ref[y] - 1) * 100) for y, v in zip(g["year"], g["value"]) if y in ref.index]
        same = bool(common) and all(abs(d) <= tourism_series.AGREE_PCT for _, d in common)
        for r in g.itertuples():
            why = []
            if r.source_grade not in USABLE_GRADES:
                why.append(f"producer's figure with grade '{r.source_grade}' (needs official statistics or the "
                           "producer's own publication)")
            if not same:
                why.append("not shown to be the same definition and area as the city's Eurostat series: "
                           + (", ".join(f"{y} {d:+.1f} %" for y, d in common) + " against Eurostat NUTS 3, more "
                              f"than {tourism_series.AGREE_PCT} % apart" if common else "no common year with it"))
            if same and r.year <= ref.index.max():
                why.append("a year the city's Eurostat series covers: one series per city")
            if why:
                report.append({"source_file": str(tourism_series.NIGHTS_PATH), "row": r.csv_row,
                               "name": f"{r.city} {r.year} ({r.producer})", "country_iso2": r.country_iso2,
                               "reason": "; ".join(why)})
                continue
            src = sources.setdefault(r.source_url, SourceMeta(
                url_source_id("nights_producer", r.source_url), r.source_title, r.producer, r.source_url,
                "facts from a public page; no licence stated", r.producer, grade=r.source_grade))
            note = (f"total nights (residents + non-residents); area: {r.area}; establishments: "
                    f"{r.accommodation_scope}; continues the Eurostat NUTS 3 series (common years: "
                    + ", ".join(f"{y} {d:+.1f} %" for y, d in common) + ")")
            if r.provisional == "yes":
                note += "; provisional: the producer's first release, before its final annual data"
            rows.append({"city_id": city_id, "indicator": INDICATOR, "year": int(r.year), "value": r.value,
                         "status": STATUS_OBSERVED, "source_id": src.source_id,
                         "note": note + f"; curators' note: {r.note}",
                         "flags": join_flags(["series_joined"] + ["approximate"] * bool(ROUNDED.search(r.note)))})
    return rows, report, list(sources.values())


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    areas = tourism_series.read_areas()
    nuts3, report = tourism_series.read_nuts3(raw_dir, registry, areas)
    ua, _ = eurostat_tourism.city_observations(raw_dir, registry, areas)
    plan = tourism_series.join_plan(ua, nuts3)
    df, _ = tourism_series.read_nights(raw_dir)
    own_rows, own_report, own_sources = _producer_rows(df, nuts3, registry)
    return SourceResult(observations=obs_frame(_nuts3_rows(nuts3, plan) + own_rows),
                        sources=[SOURCE, *own_sources], unmatched=unmatched_frame(report + own_report))
