"""Lowy Institute Global Diplomacy Index: how many sending countries keep a diplomatic post in the city.

Definition (indicator `diplomatic_countries`): the number of distinct sending countries, of the constant panel of
senders present in *every* Lowy release used (2019, 2021, 2023), with at least one embassy / high commission,
consulate / consulate-general or other representative office in the city (permanent missions to international
organisations are not counted: the IO-seat indicator reflects them).

Why countries, not posts: Lowy's 2023 release stopped listing most consulates that sit in the same city as the same
country's embassy, so a post count fell where nothing happened (London 67 -> 59 posts, 2021 -> 2023). Whether a
sender is present in a city does not depend on how many rows Lowy writes for it. A constant panel keeps the growth
of Lowy's panel (61 -> 66 senders) from showing up as growth of a city.

List type: COMPLETE for that panel (Lowy lists every post of its senders): a reference city with no post of any
panel sender is a true zero. Matching: a post city is matched by name AND host country through the registry (alias
table first); every name that matches no reference city is reported in `unmatched` with its country, once per
(name, country), with the first row it appears on ("Talinn", EE: an alias decision for it is applied by the
registry, not here).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cdi_core.countries import country_iso2
from cdi_core.errors import InputError
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    check_columns,
    check_row_count,
    obs_frame,
    require_file,
    unmatched_frame,
)

RAW_PATH = Path("raw/missions_lowy_gdi/DataDownload.xlsx")
RELEASES = (2019, 2021, 2023)
ALL_SHEETS = ("2023", "2021", "2019", "2017", "2016")
COLUMNS = ["COUNTRY", "POST CITY", "POST COUNTRY", "TYPE OF POST", "POST TYPE TITLE"]
COUNTED_TYPES = {"Embassy / High Commission", "Consulate / Consulate-General", "Other"}
KNOWN_TYPES = COUNTED_TYPES | {"Permanent Mission"}
INDICATOR = "diplomatic_countries"

SOURCE = SourceMeta(
    source_id="lowy_gdi",
    title="Global Diplomacy Index, post-level data download (releases 2016-2023)",
    producer="Lowy Institute",
    url="https://globaldiplomacyindex.lowyinstitute.org/",
    licence="Free download; attribution to the Lowy Institute required (terms not confirmed)",
    attribution="Lowy Institute Global Diplomacy Index",
    retrieved="copy in github.com/ClaireLouiseR/COMP8880 @7ba3f78 (2024-05-26)",
    year="2019, 2021, 2023",
)


def read_posts(raw_dir: Path) -> pd.DataFrame:
    """All posts of all releases, with ISO2 codes for the sender and the host, format-checked."""
    path = require_file(raw_dir / RAW_PATH)
    try:
        sheets = pd.read_excel(path, sheet_name=None)
    except Exception as exc:  # a corrupt workbook is an upstream-format failure, not a crash
        raise InputError(path, "cannot read the workbook", detail=str(exc)) from exc
    missing = [s for s in ALL_SHEETS if s not in sheets]
    if missing:
        raise InputError(path, "upstream format changed: release sheets are missing", detail=", ".join(missing))
    frames = []
    for name in ALL_SHEETS:
        df = sheets[name]
        check_columns(df, COLUMNS, f"{path} [sheet {name}]")
        check_row_count(len(df), 5000, 9000, f"{path} [sheet {name}]")
        unknown = set(df["TYPE OF POST"].dropna()) - KNOWN_TYPES
        if unknown:
            raise InputError(f"{path} [sheet {name}]", "upstream format changed: unknown TYPE OF POST",
                             detail=", ".join(sorted(map(str, unknown))))
        df = df[COLUMNS].copy()
        df["release"] = int(name)
        df["excel_row"] = df.index + 2
        frames.append(df)
    posts = pd.concat(frames, ignore_index=True)
    posts["sender"] = posts["COUNTRY"].astype(str).str.strip()
    posts["sender_iso2"] = [
        "EU" if "European External Action" in s else country_iso2(s) for s in posts["sender"]
    ]
    posts["host_iso2"] = [country_iso2(c) for c in posts["POST COUNTRY"].astype(str)]
    posts["city"] = posts["POST CITY"].astype(str).str.strip()
    return posts


def constant_panel(posts: pd.DataFrame) -> list[str]:
    """Senders (ISO2) present in every release used by the editions."""
    sets = [set(posts.loc[posts["release"] == r, "sender_iso2"].dropna()) for r in RELEASES]
    return sorted(set.intersection(*sets))


def sending_countries(posts: pd.DataFrame) -> pd.Series:
    """(city_id, release) -> number of distinct senders with at least one post there (rows per sender do not
    matter: an embassy and two consulates of one country in one city count once)."""
    placed = posts.dropna(subset=["city_id"])
    return placed.groupby(["city_id", "release"])["sender_iso2"].nunique()


def read(raw_dir: Path, registry) -> SourceResult:
    posts = read_posts(raw_dir)
    panel = constant_panel(posts)
    use = posts[posts["release"].isin(RELEASES) & posts["sender_iso2"].isin(panel)
                & posts["TYPE OF POST"].isin(COUNTED_TYPES)].copy()
    use["city_id"] = [registry.match(c, h) for c, h in zip(use["city"], use["host_iso2"])]
    unmatched = use[use["city_id"].isna()].drop_duplicates(["city", "host_iso2"])
    counts = sending_countries(use)
    note = (f"sending countries, of the {len(panel)} present in every Lowy release 2019-2023, with an embassy, "
            "consulate or other post in the city (no permanent missions)")
    rows = []
    for city_id in registry.city_ids():
        for release in RELEASES:
            n = int(counts.get((city_id, release), 0))
            rows.append({"city_id": city_id, "indicator": INDICATOR, "year": release, "value": float(n),
                         "status": STATUS_OBSERVED, "source_id": SOURCE.source_id,
                         "note": note if n else note + "; none listed: a true zero for this panel"})
    um = unmatched_frame([
        {"source_file": str(RAW_PATH), "row": int(r.excel_row), "name": r.city, "country_iso2": r.host_iso2 or "",
         "reason": "host city not in the reference set"} for r in unmatched.itertuples()
    ])
    return SourceResult(observations=obs_frame(rows), sources=[SOURCE], unmatched=um)
