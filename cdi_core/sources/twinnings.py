"""Twin towns, sister cities and partner cities: number of distinct formal partners of each reference city.

Definition (indicator `twin_cities`): the number of distinct partner places of the city in the union of
- the English-Wikipedia twin-town lists (Hekman/twincities scrape, Feb 2026; both columns count), and
- the Wikidata P190 "twinned administrative body" links of cities in 25 EU countries (rogorido extract, 2017).
Each unordered pair counts once. A partner is identified by its reference-city id when it is a reference city,
else by its normalised name + country. Districts of a city ("Budapest XV", "Prague 6", "Vienna 1 – Innere Stadt",
"Berlin – Mitte", "Wieden") are places of their own: they are not the city and never count as its partners or as it.

Matching is stricter than elsewhere, because the lists are full of small homonyms: a place is a reference city
only by the city's own name or an alias-table entry (not by a GeoNames alternate name: "Turi" is not Turin, "Wieden"
is a district of Vienna), or by "<city> Municipality" (Wikidata's label for Nordic and Portuguese municipalities,
the bodies that sign twinnings). A Wikidata place is placed by its own coordinates: the namesake reference city
within 40 km, whatever the country label says (this tells Münster in Hesse from Münster in Westphalia, and undoes
the swapped country of denmark.tsv / sweden.tsv, which hold each other's cities). A few Wikipedia names proven to
be homonyms are never matched.

Year: both lists are undated snapshots, so there is one observation per city, at year 2026 (the newer snapshot).
List type: COMPLETE only for the countries the lists cover, PARTIAL elsewhere. Wikipedia lists the cities of the
countries that have a list page, Wikidata (this extract) the cities of the EU of 2017. A reference city of a covered
country with no partner is a true zero ("no formal twinning listed"); one of a country that no list covers
(Singapore, Hong Kong, Riyadh, Kampala) gets no value (missing), and its count, where other countries' pages list
links to it, says it is partial.

The five focus cities' own lists (`curated/twinnings_focus_cities.csv`) are used only to drop links that a source
says have ended (Prague–Beijing, ended 2019), and to date pairs in the side tables. Their extra partners are NOT
added to the count: that would score the five focus cities on a fuller list than every other city.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from cdi_core.countries import country_iso2
from cdi_core.errors import InputError
from cdi_core.registry import EARTH_RADIUS_KM, Registry, geonames_cities, read_aliases
from cdi_core.sources.base import (
    STATUS_OBSERVED,
    SourceMeta,
    SourceResult,
    check_columns,
    check_row_count,
    obs_frame,
    read_curated,
    read_source_csv,
    require_file,
    unmatched_frame,
    url_source_id,
)
from cdi_core.text import normalize_name

INDICATOR = "twin_cities"
YEAR = 2026
YEARS_WITH_ENDINGS = tuple(range(2019, 2026))   # the editions, for cities whose count changes with a dated ending
ENDED_FILE = "partnerships_ended.csv"
ENDED_COLUMNS = ["city_id", "partner", "partner_country_iso2", "action", "date", "source_title", "source_url",
                 "producer", "grade", "evidence"]
WIKI_PATH = Path("raw/twinnings_hekman_wikipedia/twin_cities_raw.csv")
WIKIDATA_DIR = Path("raw/twinnings_rogorido_wikidata_eu")
FOCUS_PATH = Path("curated/twinnings_focus_cities.csv")
WIKI_COLUMNS = ["city1", "country1", "city2", "country2"]
WIKIDATA_COLUMNS = ["origincityLabel", "origincountry", "originlat", "originlong", "sistercityLabel",
                    "destination_countryLabel", "destinationlat", "destinationlong"]
FOCUS_COLUMNS = ["city", "country_iso2", "partner_city", "partner_country_iso2", "relation_type", "start_year",
                 "source_url", "source_title", "note"]
WIKIDATA_FILES = ("austria", "belgium", "bulgaria", "croatia", "cyprus", "czech", "denmark", "estonia", "finland",
                  "france", "germany", "hungary", "ireland", "italy", "latvia", "lithuania", "netherlands", "poland",
                  "portugal", "romania", "slovakia", "slovenia", "spain", "sweden", "uk")
MAX_KM = 40.0  # a Wikidata place farther than this from the reference city of that name is a homonym
# Wikipedia names (as written, with country) that are homonyms of a reference city: Washington, Missouri (partner
# of Marbach am Neckar; Wikidata gives its coordinates) and Munster in Lower Saxony (partner of Éragny).
HOMONYMS = {("Washington", "US"), ("Munster", "DE")}
# The rogorido files for Denmark and Sweden hold each other's cities (Stockholm in denmark.tsv, Copenhagen in
# sweden.tsv): their origin country is corrected, and the sentinel city is checked so a fixed upstream is noticed.
SWAPPED_ORIGIN = {"denmark": ("Sweden", "Stockholm"), "sweden": ("Denmark", "Copenhagen")}
REPORT_POPULATION = 250_000  # unmatched places are reported only if GeoNames knows them as cities this big
_ENDED = re.compile(r"\bENDED\b\D{0,30}?((?:19|20)\d\d)")
_SUSPENDED = re.compile(r"suspend", re.IGNORECASE)

NOTE = "partners listed on English Wikipedia (Feb 2026) or Wikidata P190 (2017); no start dates"
NOTE_ZERO = NOTE + "; no formal twinning listed"
NOTE_UNCOVERED = ("; partial: no list covers the city's country, only links listed on other countries' pages are "
                  "counted")

WIKIPEDIA = SourceMeta(
    source_id="twin_wikipedia",
    title="Twin towns and sister cities, scraped from the English Wikipedia lists (twin_cities_raw.csv)",
    producer="Wikipedia contributors; scraped by Erik Hekman (Hekman/twincities)",
    url="https://github.com/Hekman/twincities",
    licence="CC BY-SA 4.0 (Wikipedia text); repository MIT",
    attribution="English Wikipedia 'List of twin towns and sister cities', via Hekman/twincities (MIT)",
    retrieved="commit 84ebdec (8 Feb 2026)",
    year="2026",
)
WIKIDATA = SourceMeta(
    source_id="twin_wikidata",
    title="Wikidata P190 'twinned administrative body' of cities in 25 EU countries (SPARQL extract)",
    producer="Wikidata contributors; extract by rogorido/sistercities",
    url="https://github.com/rogorido/sistercities",
    licence="CC0 (Wikidata); repository states no licence",
    attribution="Wikidata (CC0), via rogorido/sistercities",
    retrieved="data commits of May-Jul 2017 (repository HEAD 6bb5473)",
    year="2017",
)
UNION = SourceMeta(
    source_id="twin_wikipedia_wikidata",
    title="Twin and partner cities: union of the English Wikipedia lists (Feb 2026) and Wikidata P190 (2017)",
    producer="Wikipedia and Wikidata contributors; scraped by Hekman/twincities and rogorido/sistercities",
    url="https://github.com/Hekman/twincities",
    licence="CC BY-SA 4.0 (Wikipedia text) and CC0 (Wikidata)",
    attribution="English Wikipedia twin-town lists via Hekman/twincities; Wikidata P190 via rogorido/sistercities",
    retrieved="Hekman commit 84ebdec (Feb 2026); rogorido data of 2017",
    year="2017, 2026",
)


@cache
def _norm(name: str) -> str:
    return normalize_name(name)


@cache
def _country(name: str) -> str | None:
    """ISO2 for a country as the lists write it; 'Brandenburg, Germany' style labels fall back to the country."""
    iso = country_iso2(name)
    if iso is None and "," in str(name):
        iso = country_iso2(str(name).rsplit(",", 1)[1])
    return iso


def _split_place(name: str, country: str) -> tuple[str, str]:
    """A few Wikipedia rows put the country inside the name ('Varna, Bulgaria', country blank): split them."""
    if not country.strip() and "," in name:
        head, tail = name.rsplit(",", 1)
        if country_iso2(tail):
            return head.strip(), tail.strip()
    return name, country


def read_wikipedia(raw_dir: Path) -> pd.DataFrame:
    """Wikipedia pairs as (name_a, country_a, name_b, country_b, row), format-checked."""
    df, path = read_source_csv(raw_dir, WIKI_PATH, WIKI_COLUMNS, 20_000, 40_000)
    a = [_split_place(n, c) for n, c in zip(df["city1"], df["country1"])]
    b = [_split_place(n, c) for n, c in zip(df["city2"], df["country2"])]
    return pd.DataFrame({
        "name_a": [n for n, _ in a], "country_a": [c for _, c in a],
        "name_b": [n for n, _ in b], "country_b": [c for _, c in b],
        "lat_a": math.nan, "lon_a": math.nan, "lat_b": math.nan, "lon_b": math.nan,
        "source": "wikipedia", "source_file": str(WIKI_PATH), "row": df.index + 2,
    })


def read_wikidata(raw_dir: Path) -> pd.DataFrame:
    """Wikidata P190 pairs, one row per (origin, partner place); duplicate statements of a partner removed.

    The query returns a row per coordinate and per country statement of the partner; rows at the same point are the
    same partner, and a historic country label (Austria-Hungary, Prussia...) gives way to a current one.
    """
    frames = []
    for stem in WIKIDATA_FILES:
        path = require_file(raw_dir / WIKIDATA_DIR / f"{stem}.tsv")
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3)
        check_columns(df, WIKIDATA_COLUMNS, path)
        if stem in SWAPPED_ORIGIN:
            country, sentinel = SWAPPED_ORIGIN[stem]
            if sentinel not in set(df["origincityLabel"]):
                raise InputError(path, "upstream format changed: the Denmark/Sweden swap is gone",
                                 detail=f"{sentinel} is not an origin city")
            df["origincountry"] = country
        df["source_file"] = str(WIKIDATA_DIR / f"{stem}.tsv")
        df["row"] = df.index + 2
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    check_row_count(len(df), 20_000, 30_000, raw_dir / WIKIDATA_DIR)
    df["iso_b"] = [_country(c) for c in df["destination_countryLabel"]]
    df["point"] = (pd.to_numeric(df["destinationlat"], errors="coerce").round(2).astype(str) + ","
                   + pd.to_numeric(df["destinationlong"], errors="coerce").round(2).astype(str))
    df["resolved"] = df["iso_b"].notna()
    df = df.sort_values(["resolved", "row"], ascending=[False, True], kind="stable")
    df = df.drop_duplicates(["origincityLabel", "origincountry", "sistercityLabel", "point"])
    group = ["origincityLabel", "origincountry", "sistercityLabel"]
    any_resolved = df.groupby(group)["resolved"].transform("any")
    df = df[df["resolved"] | ~any_resolved].sort_index()
    num = {c: pd.to_numeric(df[c], errors="coerce").to_numpy()
           for c in ("originlat", "originlong", "destinationlat", "destinationlong")}
    return pd.DataFrame({
        "name_a": df["origincityLabel"].to_numpy(), "country_a": df["origincountry"].to_numpy(),
        "name_b": df["sistercityLabel"].to_numpy(), "country_b": df["destination_countryLabel"].to_numpy(),
        "lat_a": num["originlat"], "lon_a": num["originlong"],
        "lat_b": num["destinationlat"], "lon_b": num["destinationlong"],
        "source": "wikidata", "source_file": df["source_file"].to_numpy(), "row": df["row"].to_numpy(),
    })


def read_focus(raw_dir: Path) -> pd.DataFrame:
    """The focus cities' own lists, with the year a link ended where the note says so."""
    df, path = read_source_csv(raw_dir, FOCUS_PATH, FOCUS_COLUMNS, 80, 300)
    years = pd.to_numeric(df["start_year"].replace("", None), errors="coerce")
    bad = df.index[df["start_year"].ne("") & years.isna()]
    if len(bad):
        raise InputError(path, "start_year is not a year", row=int(bad[0]) + 2, detail=df.at[bad[0], "start_year"])
    df["start_year"] = years.astype("Int64")
    ended = [_ENDED.search(n) for n in df["note"]]
    df["ended_year"] = pd.array([int(m.group(1)) if m else None for m in ended], dtype="Int64")
    df["ended_note"] = [
        n if (m or _SUSPENDED.search(n + " " + r)) else ""
        for n, r, m in zip(df["note"], df["relation_type"], ended)
    ]
    df["row"] = df.index + 2
    return df


class _Matcher:
    """Registry matching restricted to the city's own name and the alias table, checked by distance if possible."""

    def __init__(self, registry: Registry) -> None:
        self.by_name: dict[str, set[tuple[str, str]]] = {}
        for name, iso, city_id in registry.cities[["name", "country_iso2", "city_id"]].itertuples(index=False):
            self.by_name.setdefault(normalize_name(name), set()).add((iso, city_id))
        for alias, iso in read_aliases()[["alias", "country_iso2"]].itertuples(index=False):
            city_id = registry.match(alias, iso)
            if city_id:
                self.by_name.setdefault(normalize_name(alias), set()).add((iso, city_id))
        self.coords = registry.cities.set_index("city_id")[["lat", "lon"]]

    def city(self, name: str, iso: str | None, lat: float = math.nan, lon: float = math.nan) -> str:
        """The reference city a listed place is, or ''. With coordinates, the nearest namesake within MAX_KM."""
        if (name, iso) in HOMONYMS:
            return ""
        key = _norm(name)
        cands = self.by_name.get(key) or self.by_name.get(key.removesuffix(" municipality"), set())
        if math.isnan(lat) or math.isnan(lon):
            return next((cid for c_iso, cid in cands if c_iso == iso), "")
        near = sorted((_km(lat, lon, *self.coords.loc[cid]), cid) for _, cid in cands)
        return near[0][1] if near and near[0][0] <= MAX_KM else ""

    def key(self, name: str, iso: str | None, country: str, lat: float = math.nan,
            lon: float = math.nan) -> tuple[str, str]:
        """(partner key, city_id or ''): the city id for reference cities, else 'normalised name|country'."""
        city_id = self.city(name, iso, lat, lon)
        return (city_id, city_id) if city_id else (f"{_norm(name)}|{iso or _norm(country)}", "")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _big_geonames_places() -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for c in geonames_cities().values():
        if c["population"] >= REPORT_POPULATION:
            k = (normalize_name(c["name"]), c["countrycode"])
            out[k] = max(out.get(k, 0), c["population"])
    return out


def _focus_sources(focus: pd.DataFrame) -> dict[str, SourceMeta]:
    """One SourceMeta per page the focus-city table cites; Wikipedia copies carry CC BY-SA."""
    out = {}
    for url, title in focus[["source_url", "source_title"]].drop_duplicates("source_url").itertuples(index=False):
        host = urlparse(url).netloc.removeprefix("www.")
        wiki = "wiki" in url.lower()
        out[url] = SourceMeta(
            source_id=url_source_id("twin_focus", url), title=title,
            producer=f"Wikipedia contributors ({host})" if wiki else f"as published on {host}", url=url,
            licence="CC BY-SA (Wikipedia text)" if wiki else "facts from a public page; no licence stated",
            attribution="Wikipedia contributors" if wiki else host,
        )
    return out


def read(raw_dir: Path, registry: Registry) -> SourceResult:
    pairs = pd.concat([read_wikipedia(raw_dir), read_wikidata(raw_dir)], ignore_index=True)
    focus = read_focus(raw_dir)
    focus_src = _focus_sources(focus)

    matcher = _Matcher(registry)
    for side in ("a", "b"):
        cols = [f"name_{side}", f"country_{side}", f"lat_{side}", f"lon_{side}"]
        keys = [matcher.key(n, _country(c), c, la, lo) for n, c, la, lo in pairs[cols].itertuples(index=False)]
        pairs[f"key_{side}"], pairs[f"id_{side}"] = [k for k, _ in keys], [i for _, i in keys]
    pairs = pairs[pairs["key_a"] != pairs["key_b"]]  # self-pairs (homonyms in one country) are not partnerships

    # Links a focus-city source says have ended: {city_id, partner key} -> the focus row saying so.
    focus["city_id"] = [registry.match(c, i) or "" for c, i in zip(focus["city"], focus["country_iso2"])]
    keys = [matcher.key(n, i, i) for n, i in zip(focus["partner_city"], focus["partner_country_iso2"])]
    focus["partner_key"], focus["partner_city_id"] = [k for k, _ in keys], [i for _, i in keys]
    ended = {frozenset((r.city_id, r.partner_key)): r for r in focus.itertuples()
             if pd.notna(r.ended_year) and r.city_id and r.ended_year <= YEAR}
    # Partnerships ended or suspended since 2014 (dated, cited; data/curated/partnerships_ended.csv): they count
    # until the year before they end, so the count moves in the edition of the ending.
    stops, stop_src, stop_unmatched = _dated_endings(registry, matcher)

    partners: dict[str, set[str]] = {cid: set() for cid in registry.city_ids()}
    dropped: dict[str, list[str]] = {}
    for r in pairs.itertuples():
        for cid, other, other_name in ((r.id_a, r.key_b, r.name_b), (r.id_b, r.key_a, r.name_a)):
            if not cid:
                continue
            gone = ended.get(frozenset((cid, other)))
            if gone is not None:
                dropped.setdefault(cid, []).append(f"{other_name} (link ended {gone.ended_year})")
                continue
            partners[cid].add(other)

    covered = {_country(c) for c in pairs["country_a"].drop_duplicates()} - {None}
    country_of = dict(zip(registry.cities["city_id"], registry.cities["country_iso2"]))
    rows, applied = [], []
    for cid in registry.city_ids():
        mine = {k: v for k, v in stops.items() if k[0] == cid and k[1] in partners[cid]}
        uncovered = country_of[cid] not in covered
        if uncovered and not partners[cid]:
            continue  # no list covers its country: absence is missing, not a zero
        years = YEARS_WITH_ENDINGS if mine else (YEAR,)
        for year in years:
            gone = sorted(f"{stop.partner} ({stop.action} {stop.date})" for (_, _), stop in mine.items()
                          if stop.year <= year)
            n = len(partners[cid]) - len(gone)
            note = NOTE + NOTE_UNCOVERED if uncovered else (NOTE if n else NOTE_ZERO)
            if cid in dropped:
                note += "; not counted: " + ", ".join(sorted(set(dropped[cid])))
            if mine:
                note += ("; count of the lists for this year: partnerships ended or suspended by then are not "
                         "counted" + (": " + ", ".join(gone) if gone else ""))
            rows.append({"city_id": cid, "indicator": INDICATOR, "year": year, "value": float(n),
                         "status": STATUS_OBSERVED, "source_id": UNION.source_id, "note": note})
        applied += [stop for stop in mine.values()]
    unmatched_rows = stop_unmatched      # an ending whose partner is not on the lists changes nothing

    tables = {"twinnings": _pair_table(pairs, focus, focus_src),
              "twinning_events": pd.concat([_events_table(focus, focus_src), _ending_events(applied, stop_src)],
                                           ignore_index=True)}
    return SourceResult(observations=obs_frame(rows),
                        sources=[UNION, WIKIPEDIA, WIKIDATA, *focus_src.values(), *stop_src.values()],
                        unmatched=pd.concat([_unmatched(pairs, matcher), unmatched_frame(unmatched_rows)],
                                            ignore_index=True), tables=tables)


@dataclass(frozen=True)
class _Ending:
    row: int
    city_id: str
    partner: str
    partner_country_iso2: str
    partner_city_id: str
    action: str
    date: str
    year: int
    source_id: str


def _dated_endings(registry: Registry, matcher: _Matcher) -> tuple[dict, dict[str, SourceMeta], list[dict]]:
    """{(city_id, partner key): _Ending} from data/curated/partnerships_ended.csv, their sources, and rows naming
    no reference city."""
    from cdi_core.sources.project_curated import CURATED_DIR

    path = CURATED_DIR / ENDED_FILE
    df = read_curated(path, ENDED_COLUMNS)
    stops, sources, unmatched = {}, {}, []
    for i, r in enumerate(df.itertuples(), start=2):
        if r.action not in ("ended", "suspended") or not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", r.date):
            raise InputError(path, "action must be ended or suspended, and date YYYY[-MM[-DD]]", row=i,
                             detail=f"{r.action} {r.date}")
        if r.city_id not in registry:
            unmatched.append({"source_file": f"data/curated/{ENDED_FILE}", "row": i, "name": r.city_id,
                              "country_iso2": "", "reason": "city_id is not a reference city"})
            continue
        key, pid = matcher.key(r.partner, r.partner_country_iso2, r.partner_country_iso2)
        sid = url_source_id("ended", r.source_url)
        sources.setdefault(sid, SourceMeta(source_id=sid, title=r.source_title, producer=r.producer,
                                           url=r.source_url, licence="facts from a public page; no licence stated",
                                           attribution=r.producer, year=r.date[:4], grade=r.grade))
        stop = _Ending(i, r.city_id, r.partner, r.partner_country_iso2, pid or "", r.action, r.date, int(r.date[:4]),
                       sid)
        old = stops.get((r.city_id, key))
        if old is None or stop.date < old.date:
            stops[(r.city_id, key)] = stop
    return stops, sources, unmatched


def _ending_events(applied: list[_Ending], sources: dict[str, SourceMeta]) -> pd.DataFrame:
    """The applied endings as twinning_events rows (partnership ended, with the date in the note)."""
    return pd.DataFrame([{"city_id": e.city_id, "partner_name": e.partner, "partner_country_iso2":
                          e.partner_country_iso2, "partner_city_id": e.partner_city_id, "relation_type": "",
                          "start_year": pd.NA, "ended_year": e.year, "ended_note": f"{e.action} {e.date}",
                          "source_id": e.source_id} for e in applied if e.source_id in sources])


def _pair_table(pairs: pd.DataFrame, focus: pd.DataFrame, focus_src: dict[str, SourceMeta]) -> pd.DataFrame:
    """Pairs of two reference cities, with the start / end year the focus cities' sources give."""
    both = pairs[(pairs["id_a"] != "") & (pairs["id_b"] != "")]
    ids = {"wikipedia": WIKIPEDIA.source_id, "wikidata": WIKIDATA.source_id}
    out: dict[tuple[str, str], set[str]] = {}
    for a, b, s in zip(both["id_a"], both["id_b"], both["source"]):
        out.setdefault(tuple(sorted((a, b))), set()).add(s)
    dated = focus[(focus["city_id"] != "") & (focus["partner_city_id"] != "")]
    facts_by_pair = {k: g for k, g in dated.groupby(
        [min(a, b) + "|" + max(a, b) for a, b in zip(dated["city_id"], dated["partner_city_id"])])}
    rows = []
    for (a, b), srcs in sorted(out.items()):
        facts = facts_by_pair.get(f"{a}|{b}", dated.iloc[:0])
        start = facts["start_year"].dropna()
        end = facts["ended_year"].dropna()
        cited = facts[facts["start_year"].notna() | facts["ended_year"].notna()]["source_url"].drop_duplicates()
        order = [s for s in ("wikipedia", "wikidata") if s in srcs]
        rows.append({"city_id_a": a, "city_id_b": b, "source": ";".join(order),
                     "start_year": int(start.min()) if len(start) else pd.NA,
                     "ended_year": int(end.max()) if len(end) else pd.NA,
                     "source_id": ";".join(ids[s] for s in order),
                     "year_source_id": ";".join(focus_src[u].source_id for u in cited)})
    df = pd.DataFrame(rows, columns=["city_id_a", "city_id_b", "source", "start_year", "ended_year", "source_id",
                                     "year_source_id"])
    for c in ("start_year", "ended_year"):
        df[c] = df[c].astype("Int64")
    return df


def _events_table(focus: pd.DataFrame, focus_src: dict[str, SourceMeta]) -> pd.DataFrame:
    """Every agreement on the focus cities' own lists (dated or not), with its citation."""
    df = focus[focus["city_id"] != ""]
    return pd.DataFrame({
        "city_id": df["city_id"], "partner_name": df["partner_city"],
        "partner_country_iso2": df["partner_country_iso2"], "partner_city_id": df["partner_city_id"],
        "relation_type": df["relation_type"], "start_year": df["start_year"], "ended_year": df["ended_year"],
        "ended_note": df["ended_note"], "source_id": [focus_src[u].source_id for u in df["source_url"]],
    }).reset_index(drop=True)


def _unmatched(pairs: pd.DataFrame, matcher: _Matcher) -> pd.DataFrame:
    """Every listed place that is not a reference city, once per (name, country), with its first row: the reason
    says whether it is a namesake of a reference city, a GeoNames city of 250,000+, or a smaller place (most are:
    the lists' long tail of towns). A misspelt reference city must not vanish silently."""
    big = _big_geonames_places()
    seen: set[tuple[str, str]] = set()
    rows = []
    for side in ("a", "b"):
        cols = ["source_file", "row", f"name_{side}", f"country_{side}", f"id_{side}"]
        for file, row, name, country, cid in pairs[cols].itertuples(index=False):
            if cid:
                continue
            iso = _country(country) or ""
            key = (_norm(name), iso)
            if not key[0] or key in seen:
                continue
            seen.add(key)
            if any(c == iso for c, _ in matcher.by_name.get(key[0], ())):
                reason = f"namesake of a reference city but another place (homonym rule or > {MAX_KM:.0f} km)"
            elif key in big:
                reason = f"GeoNames city of {big[key]:,} people, not a reference city"
            else:
                reason = "not a reference city (no GeoNames city of 250,000+ so named in that country)"
            rows.append({"source_file": file, "row": int(row), "name": name, "country_iso2": iso, "reason": reason})
    return unmatched_frame(rows)
