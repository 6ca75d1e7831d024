"""GaWC world-city classification -> indicator `gawc_tier` (unit: GaWC level, 1-12).

Value: the tier GaWC ("The World According to GaWC <year>") gives the city, as an ordinal level: Sufficiency = 1,
High sufficiency = 2, Gamma- = 3, Gamma = 4, Gamma+ = 5, Beta- = 6, Beta = 7, Beta+ = 8, Alpha- = 9, Alpha = 10,
Alpha+ = 11, Alpha++ = 12. Observations are dated to the edition year (2008, 2018, 2020, 2024).

Zero, missing, below threshold: only the 2024 list is complete (all 335 classified cities), so a reference city
absent from it is below the list's threshold (below Sufficiency): value NaN, status below_threshold. The 2008,
2018 and 2020 lists were read only at the Alpha levels (plus a few Beta cities), so absence there is missing: no row.
The 2024 list is a third-party transcription that still has to be checked against GaWC's page: every 2024 note
says so. Rows the curated file flags `CHECK:` keep the flag in the note. Names are matched with their country, so
Birmingham (GB/US) and San Jose (CR/US) land on the right city or on none.

List type: TOP-N for 2024 (GaWC's complete classification of the cities it ranks): absent = below_threshold;
PARTIAL for 2018 and 2020 (only the Alpha levels were read): absent = missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    STATUS_BELOW_THRESHOLD,
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_source_csv,
    unmatched_frame,
    url_source_id,
)

PATH = Path("curated/gawc_classification_full.csv")
COLUMNS = ["city", "country_iso2", "edition_year", "tier", "city_as_stated", "source_url", "source_title", "note"]
LEVELS = {"Sufficiency": 1, "High sufficiency": 2, "Gamma-": 3, "Gamma": 4, "Gamma+": 5, "Beta-": 6, "Beta": 7,
          "Beta+": 8, "Alpha-": 9, "Alpha": 10, "Alpha+": 11, "Alpha++": 12}
COMPLETE_EDITION = 2024
# What was read of each partial edition (curated .md): absence from these is missing, not below threshold.
PARTIAL = {2008: "GaWC 2008 read at the Alpha levels only", 2018: "GaWC 2018 read at the Alpha levels (+3 Beta+) only",
           2020: "GaWC 2020 read at the Alpha levels (+ Chinese Beta cities) only"}
EDITIONS = {*PARTIAL, 2024}
ROWS_2024 = 335
INDICATOR = "gawc_tier"
TRANSCRIPTION_NOTE = "third-party transcription of GaWC 2024: to verify against gawc.lboro.ac.uk"
BELOW_NOTE = "not classified by GaWC 2024 (below Sufficiency)"


def read_table(raw_dir: Path) -> pd.DataFrame:
    """The curated classification, format-checked (columns, editions, tiers, the complete 2024 roster)."""
    df, path = read_source_csv(raw_dir, PATH, COLUMNS, 400, 700)  # keep_default_na: 'NA' is Namibia
    df["excel_row"] = df.index + 2
    for r in df.itertuples():
        if r.tier not in LEVELS:
            raise InputError(path, "unknown GaWC tier", row=r.excel_row, detail=r.tier)
        if not r.edition_year.isdigit() or int(r.edition_year) not in EDITIONS:
            raise InputError(path, "unknown edition_year", row=r.excel_row, detail=r.edition_year)
    df["edition_year"] = df["edition_year"].astype(int)
    n_2024 = int((df["edition_year"] == COMPLETE_EDITION).sum())
    if n_2024 != ROWS_2024:
        raise InputError(path, f"the complete {COMPLETE_EDITION} list should have {ROWS_2024} cities",
                         detail=f"{n_2024} rows")
    return df


def _sources(df: pd.DataFrame) -> dict[str, SourceMeta]:
    """One source per page read; the credit names the edition(s) that page transcribes."""
    out = {}
    for url, g in df.groupby("source_url", sort=False):
        years = ", ".join(str(y) for y in sorted(set(g["edition_year"])))
        out[url] = SourceMeta(
            source_id=url_source_id("gawc", url), title=g["source_title"].iloc[0],
            producer="GaWC, Loughborough University", url=url,
            licence="facts from a public page; no licence stated",
            attribution=f"GaWC, The World According to GaWC {years}", year=years,
        )
    return out


def _note(tier: str, year: int, source_note: str) -> str:
    parts = [f"GaWC {year}: {tier}"]
    if year == COMPLETE_EDITION:
        parts.append(TRANSCRIPTION_NOTE)
    else:
        parts.append(PARTIAL[year])
    if "CHECK:" in source_note:
        parts.append(source_note[source_note.index("CHECK:"):])
    return "; ".join(parts)


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    df = read_table(raw_dir)
    df["city_id"] = [registry.match(c, i) for c, i in zip(df["city"], df["country_iso2"])]
    sources = _sources(df)
    rows = []
    matched = df[df["city_id"].notna()]
    dup = matched[matched.duplicated(["city_id", "edition_year"], keep=False)]
    if len(dup):
        r = dup.iloc[0]
        raise InputError(raw_dir / PATH, "two rows of one edition match the same reference city",
                         row=int(r.excel_row), detail=f"{r.city_id} {r.edition_year}")
    for r in matched.itertuples():
        src = sources[r.source_url]
        rows.append({"city_id": r.city_id, "indicator": INDICATOR, "year": r.edition_year,
                     "value": float(LEVELS[r.tier]), "status": STATUS_OBSERVED, "source_id": src.source_id,
                     "note": _note(r.tier, r.edition_year, r.note)})
    listed = set(matched.loc[matched["edition_year"] == COMPLETE_EDITION, "city_id"])
    complete_src = df.loc[df["edition_year"] == COMPLETE_EDITION, "source_url"].iloc[0]
    for city_id in registry.city_ids():
        if city_id not in listed:
            rows.append({"city_id": city_id, "indicator": INDICATOR, "year": COMPLETE_EDITION, "value": float("nan"),
                         "status": STATUS_BELOW_THRESHOLD, "source_id": sources[complete_src].source_id,
                         "note": f"{BELOW_NOTE}; {TRANSCRIPTION_NOTE}"})
    um = df[df["city_id"].isna()].drop_duplicates(["city", "country_iso2"])
    unmatched = unmatched_frame([
        {"source_file": str(PATH), "row": int(r.excel_row), "name": r.city, "country_iso2": r.country_iso2,
         "reason": f"GaWC {r.edition_year} {r.tier}: not a reference city"} for r in um.itertuples()
    ])
    obs = obs_frame(rows).sort_values(["city_id", "year"]).reset_index(drop=True)
    return SourceResult(observations=obs, sources=list(sources.values()), unmatched=unmatched)
