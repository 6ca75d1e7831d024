"""International city networks: memberships of networks whose member lists are complete in our inputs.

Definition (indicator `network_memberships`): per year 2019-2025, the number of memberships the city holds in
- C40 Cities Climate Leadership Group (`curated/network_c40.csv`: 97 of the 97 members the C40 page states), and
- the Pact of Free Cities (`curated/pact_of_free_cities.csv`: all 40 members named by Feb 2025).
Pact membership counts from the year of the member's date: its accession date where known, else (Milan, Rome,
Athens, Lisbon, Lviv) the date of the earliest dated source naming it a member (`date_kind` earliest_confirmation:
the events call that "newly recorded", never "joined").
Membership is personal to the mayor and no source lists departures, so none are assumed.
The C40 list is an undated current copy (c. 2024-25) with no joining years: it is applied to every edition, and
the note says so.
Both lists are complete, so a city in neither is a true zero.

Not scored: partial lists would reward the cities someone happened to read about, not membership. 100 Resilient
Cities (88 of ~100 members read, and the successor network's membership is unknown), Cities Coalition for Digital
Rights (27 of 50-60+), Eurocities (28 of 200+), Global Parliament of Mayors and Strong Cities Network (governance
roles only), OGP Local (21 of 160+) and the city halls' own lists (network_other) are kept as facts in
`tables["network_memberships"]` for the city profiles, with `list_complete` False. UNESCO Creative Cities (complete)
is listed there too; it is scored in the culture pillar, not here.

List type: COMPLETE for C40 and the Pact of Free Cities (the scored lists): a city in neither is a true zero. The
other network files are PARTIAL and not scored (facts for the profiles only, `list_complete` False).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    obs_frame,
    read_curated,
    read_source_csv,
    unmatched_frame,
    url_source_id,
)

INDICATOR = "network_memberships"
YEARS = range(2019, 2026)
PACT_PATH = Path("curated/pact_of_free_cities.csv")
C40_PATH = Path("curated/network_c40.csv")
PACT_COLUMNS = ["city", "country_iso2", "role", "joined_date", "joined_date_precision", "event", "mayor_at_signing",
                "certainty", "joined_date_certainty", "source_url", "source_title", "source_date", "other_source_urls",
                "notes"]
C40_COLUMNS = ["city", "country_iso2", "network", "name_as_listed", "source_url", "source_title"]
# A member's date is of one of two kinds: `accession` (the date the city joined, exact to day, month or year) or
# `earliest_confirmation` (the accession date is unknown, or known only as an upper bound: the member counts from
# the date of the earliest dated source that names it a member, and the explorer says "newly recorded", not
# "joined"). The project's own curated dates (data/curated/pact_dates.csv) replace the shared table's where given.
ACCESSION, EARLIEST = "accession", "earliest_confirmation"
PACT_DATES_FILE = "pact_dates.csv"
PACT_DATES_COLUMNS = ["city", "country_iso2", "date", "date_kind", "source_title", "source_url", "producer", "grade",
                      "evidence"]
PACT_NETWORK = "Pact of Free Cities"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_YEAR = re.compile(r"^(\d{4})")

# The other network files: (file, role column or fixed role, year column, date column, complete list?).
OTHER_FILES = {
    "network_cities_coalition_digital_rights.csv": ("membership_type", "", "joined_date", False),
    "network_eurocities.csv": ("membership_type", "joined_year", "", False),
    "network_global_parliament_of_mayors.csv": ("role_or_evidence", "year", "", False),
    "network_ogp_local.csv": ("entity_type", "joined_year", "", False),
    "network_other.csv": ("", "joined_year", "", False),
    "network_resilient_cities.csv": ("cohort", "", "joined_date", False),
    "network_strong_cities_network.csv": ("membership_type", "year", "", False),
    "network_unesco_creative_cities.csv": ("creative_field", "designation_year", "", True),
}
TABLE_COLUMNS = ["city_id", "network", "role", "year", "date", "list_complete", "source_id"]

COMBINED = SourceMeta(
    source_id="networks_c40_pact",
    title="Memberships of C40 and the Pact of Free Cities (curated complete member lists)",
    producer="C40 Cities (member list); Pact of Free Cities members as reported by the pages cited per member",
    url="https://www.c40.org/",
    licence="facts from public pages; no licence stated (Wikipedia rows: CC BY-SA 4.0)",
    attribution="C40 Cities; Pact of Free Cities member sources as cited per member",
    year="2019-2025",
)


def page_source(prefix: str, url: str, title: str) -> SourceMeta:
    """SourceMeta for a page cited by a curated row; Wikipedia (and its copies) carry CC BY-SA."""
    host = urlparse(url).netloc.removeprefix("www.").rstrip(".")
    sid = url_source_id(prefix, url)
    if "wikipedia" in url.lower():
        return SourceMeta(source_id=sid, title=title, producer=f"Wikipedia contributors ({host})", url=url,
                          licence="CC BY-SA 4.0 (Wikipedia text)", attribution="Wikipedia contributors")
    producer = {"c40.org": "C40 Cities Climate Leadership Group", "unesco.org": "UNESCO"}.get(host)
    return SourceMeta(source_id=sid, title=title, producer=producer or f"as published on {host}", url=url,
                      licence="facts from a public page; no licence stated", attribution=producer or host)


def _read(raw_dir: Path, rel: Path, columns: list[str], low: int, high: int) -> pd.DataFrame:
    df, path = read_source_csv(raw_dir, rel, columns, low, high)
    df["row"] = df.index + 2
    return df


def _match_all(df: pd.DataFrame, registry: Registry) -> pd.Series:
    return pd.Series([registry.match(c, i) or "" for c, i in zip(df["city"], df["country_iso2"])], index=df.index)


def read_pact(raw_dir: Path, registry: Registry) -> pd.DataFrame:
    """Pact members, every one placed in the registry (a miss is an alias-table error, so it fails)."""
    df = _read(raw_dir, PACT_PATH, PACT_COLUMNS, 30, 80)
    path = raw_dir / PACT_PATH
    for r in df.itertuples():
        if r.role not in {"founder", "member"}:
            raise InputError(path, "role must be founder or member", row=r.row, detail=r.role)
        if r.joined_date and not _DATE.match(r.joined_date):
            raise InputError(path, "joined_date must be YYYY, YYYY-MM or YYYY-MM-DD", row=r.row, detail=r.joined_date)
    df["city_id"] = _match_all(df, registry)
    missing = df[df["city_id"] == ""]
    if len(missing):
        r = missing.iloc[0]
        raise InputError(path, "Pact member is not a reference city (add an alias)", row=int(r["row"]),
                         detail=f"{r['city']}, {r['country_iso2']}")
    dup = df[df["city_id"].duplicated()]
    if len(dup):
        raise InputError(path, "a city is listed twice", row=int(dup.iloc[0]["row"]), detail=dup.iloc[0]["city"])
    df["date_kind"] = [EARLIEST if (not d or c in ("upper_bound_only", "unknown")) else ACCESSION
                       for d, c in zip(df["joined_date"], df["joined_date_certainty"])]
    # undated members: the dated page that names them (source_date) is the earliest confirmation
    df["joined_date"] = [d or sd for d, sd in zip(df["joined_date"], df["source_date"])]
    df = _apply_project_dates(df, registry)
    undated = df[df["joined_date"] == ""]
    if len(undated):
        r = undated.iloc[0]
        raise InputError(path, "a Pact member has neither an accession date nor a dated source confirming it "
                               f"(add it to data/curated/{PACT_DATES_FILE})", row=int(r["row"]), detail=r["city"])
    df["from_year"] = [int(d[:4]) for d in df["joined_date"]]
    return df


def _apply_project_dates(df: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """The project's cited dates for members (data/curated/pact_dates.csv) replace the shared table's date, kind
    and citation for that member."""
    from cdi_core.sources.project_curated import CURATED_DIR

    path = CURATED_DIR / PACT_DATES_FILE
    if not path.is_file():
        return df
    dates = read_curated(path, PACT_DATES_COLUMNS)
    df = df.copy()
    for i, r in enumerate(dates.itertuples(), start=2):
        if r.date_kind not in (ACCESSION, EARLIEST) or not _DATE.match(r.date):
            raise InputError(path, f"date must be YYYY[-MM[-DD]] and date_kind {ACCESSION} or {EARLIEST}", row=i,
                             detail=f"{r.date} {r.date_kind}")
        cid = registry.match(r.city, r.country_iso2)
        hit = df.index[df["city_id"] == cid]
        if cid is None or not len(hit):
            raise InputError(path, "not a Pact member of the shared table", row=i, detail=r.city)
        j = hit[0]
        df.loc[j, ["joined_date", "date_kind", "source_url", "source_title"]] = [
            r.date, r.date_kind, r.source_url, r.source_title]
        df.loc[j, "joined_date_precision"] = {4: "year", 7: "month", 10: "day"}[len(r.date)]
    return df


def read_c40(raw_dir: Path, registry: Registry) -> pd.DataFrame:
    df = _read(raw_dir, C40_PATH, C40_COLUMNS, 80, 130)
    df["city_id"] = _match_all(df, registry)
    return df


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    pact = read_pact(raw_dir, registry)
    c40 = read_c40(raw_dir, registry)
    sources: dict[str, SourceMeta] = {}

    def cite(prefix: str, url: str, title: str) -> str:
        meta = sources.setdefault(url, page_source(prefix, url, title))
        return meta.source_id

    pact["source_id"] = [cite("pact", u, t) for u, t in zip(pact["source_url"], pact["source_title"])]
    c40["source_id"] = [cite("net", u, t) for u, t in zip(c40["source_url"], c40["source_title"])]
    in_c40 = set(c40.loc[c40["city_id"] != "", "city_id"])
    pact_by_city = pact.set_index("city_id")

    rows = []
    for cid in registry.city_ids():
        for year in YEARS:
            parts = []
            if cid in in_c40:
                parts.append("C40 (undated current list, c. 2024-25, applied to every edition)")
            if cid in pact_by_city.index and pact_by_city.at[cid, "from_year"] <= year:
                d = pact_by_city.at[cid, "joined_date"]
                parts.append(f"Pact of Free Cities (joined {d})" if pact_by_city.at[cid, "date_kind"] == ACCESSION
                             else f"Pact of Free Cities (joining date unknown; member according to a source of {d},"
                                  " counted from then)")
            note = " + ".join(parts) if parts else "member of neither C40 nor the Pact of Free Cities (complete lists)"
            rows.append({"city_id": cid, "indicator": INDICATOR, "year": year, "value": float(len(parts)),
                         "status": STATUS_OBSERVED, "source_id": COMBINED.source_id, "note": note})

    memberships, unmatched = _memberships(raw_dir, registry, pact, c40, cite)
    unmatched += [{"source_file": str(C40_PATH), "row": int(r.row), "name": r.city, "country_iso2": r.country_iso2,
                   "reason": "C40 member not in the reference set"} for r in c40[c40["city_id"] == ""].itertuples()]
    return SourceResult(observations=obs_frame(rows), sources=[COMBINED, *sources.values()],
                        unmatched=unmatched_frame(unmatched),
                        tables={"pact_members": _pact_table(pact), "network_memberships": memberships})


def _pact_table(pact: pd.DataFrame) -> pd.DataFrame:
    cols = ["city_id", "city", "country_iso2", "role", "joined_date", "joined_date_precision", "date_kind", "event",
            "mayor_at_signing", "certainty", "joined_date_certainty", "source_id", "other_source_urls", "notes"]
    return pact[cols].rename(columns={"city": "name"}).reset_index(drop=True)


def _year_of(value: str) -> int | None:
    m = _YEAR.match(value.strip())
    return int(m.group(1)) if m else None


def _memberships(raw_dir: Path, registry: Registry, pact: pd.DataFrame, c40: pd.DataFrame,
                 cite: Callable[[str, str, str], str]) -> tuple[pd.DataFrame, list[dict]]:
    """Every membership fact of every network file for reference cities, plus the unmatched rows of partial lists."""
    rows = [{"city_id": r.city_id, "network": PACT_NETWORK, "role": r.role, "year": _year_of(r.joined_date),
             "date": r.joined_date, "list_complete": True, "source_id": r.source_id} for r in pact.itertuples()]
    rows += [{"city_id": r.city_id, "network": r.network, "role": "member", "year": None, "date": "",
              "list_complete": True, "source_id": r.source_id} for r in c40[c40["city_id"] != ""].itertuples()]
    unmatched = []
    for name, (role_col, year_col, date_col, complete) in OTHER_FILES.items():
        rel = Path("curated") / name
        needed = ["city", "country_iso2", "network", "source_url", "source_title"]
        needed += [c for c in (role_col, year_col, date_col) if c]
        df = _read(raw_dir, rel, needed, 5, 500)
        df["city_id"] = _match_all(df, registry)
        for r in df.itertuples():
            rec = r._asdict()
            if not r.city_id:
                if not complete:  # small partial lists: report every place we could not put in the registry
                    unmatched.append({"source_file": str(rel), "row": int(r.row), "name": r.city,
                                      "country_iso2": r.country_iso2,
                                      "reason": "not in the reference set" if r.country_iso2 else
                                      "no country in the file: not matched by name alone"})
                continue
            date = rec[date_col] if date_col else ""
            year = _year_of(rec[year_col]) if year_col else _year_of(date)
            rows.append({"city_id": r.city_id, "network": r.network, "role": rec[role_col] if role_col else "member",
                         "year": year, "date": date, "list_complete": complete,
                         "source_id": cite("net", r.source_url, r.source_title)})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["year"] = table["year"].astype("Int64")
    table["list_complete"] = table["list_complete"].astype(bool)
    return table, unmatched
