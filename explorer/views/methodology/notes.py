"""Text and tables for the Methodology & data page: each indicator's rule (written from the source modules of
cdi_core.sources and cdi_core.compute), the framework table with goalposts in the indicator's own unit, the data
version from the manifest, and the published files as download bytes. Pure (no Streamlit).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from explorer.perf.memo import memo
from explorer.text.i18n import N_, translator

# Per indicator: how a value is obtained, what zero / missing / below-threshold mean, and which years exist.
INDICATOR_RULES: dict[str, dict[str, str]] = {
    "twin_cities": {
        "rule": N_("Distinct partner places in the union of the English Wikipedia twin-town lists and Wikidata's "
                   "'twinned administrative body' links; each pair counts once. Districts of a city are places of "
                   "their own, never the city. Links a focus city's own list says have ended are dropped; the focus "
                   "cities' longer own lists are not added, so every city is counted on the same lists."),
        "zero": N_("No partner listed = 0 where a list covers the city's country (a Wikipedia list page, or "
                   "Wikidata's extract for the 2017 EU); a city of a country no list covers gets no value, not 0, "
                   "and a count there is partial."),
        "years": N_("One undated snapshot, dated 2026, so it is a later vintage in every edition."),
    },
    "diplomatic_countries": {
        "rule": N_("Sending countries with at least one embassy, high commission, consulate or other representative "
                   "office (not missions to international organisations) in the city, of the sender countries "
                   "present in every Lowy release from 2019: a constant panel, so growth of Lowy's panel does not "
                   "show up as growth of a city. Countries, not posts, because Lowy's 2023 release stopped listing "
                   "most consulates in the same city as the same country's embassy."),
        "zero": N_("0 is a true zero for that panel: Lowy lists every post of its senders."),
        "years": N_("Lowy releases 2019, 2021 and 2023; carried forward in between."),
    },
    "intl_org_seats": {
        "rule": N_("Intergovernmental organisations (EU institutions and agencies, UN system, other IGOs) seated in "
                   "the metro area: a seat in a municipality that is not a reference city counts for the nearest "
                   "reference city of the same country within 25 km. Counted from the year the seat opened, not in "
                   "the year it left; undated seats not before the organisation existed, else in every year."),
        "zero": N_("0 is a true zero of the complete SupraVerden list plus additions, but only while every "
                   "organisation of the city's country has a known seat city; otherwise the country's cities get "
                   "no value rather than a possibly false 0."),
        "years": N_("One value per year."),
    },
    "network_memberships": {
        "rule": N_("Memberships of the two networks whose member lists are complete here: C40 (97 members) and the "
                   "Pact of Free Cities (from the year of accession; members with no known date from 2025). C40 is "
                   "an undated current list applied to every edition. Partial lists (Eurocities, 100 Resilient "
                   "Cities, ...) are shown on city profiles but not scored."),
        "zero": N_("In neither network = 0 (both lists complete)."),
        "years": N_("One value per year."),
    },
    "tourist_nights": {
        "rule": N_("Nights spent by residents and non-residents in tourist accommodation (Eurostat city statistics, "
                   "urb_ctour). Where a city has both a city and a 'greater city' code, the city code wins; the note "
                   "names the area. Not a count of international visitors."),
        "zero": N_("An empty Eurostat value is missing, never 0."),
        "years": N_("Calendar years of the Eurostat extract; the latest one up to the edition is used."),
    },
    "international_arrivals": {
        "rule": N_("International arrivals (stays of 24 hours to 12 months; each arrival counts) from Euromonitor's "
                   "Top 100 City Destinations; one value per city and year, the latest Euromonitor edition winning. "
                   "Mastercard's index counts overnight visitors, a different definition, and is not mixed in."),
        "zero": N_("Not in the complete 2018 top 100 = below the list's threshold (scored at the lower goalpost, "
                   "flagged). The later top-10 lists bound nobody usefully and mark no one."),
        "years": N_("Years of the Euromonitor editions read."),
    },
    "whc_sites": {
        "rule": N_("UNESCO World Heritage properties whose representative point lies within 25 km of the city "
                   "centre, counted from the year of inscription; a property dropped from the List counts up to 2019 "
                   "only. One point per property, so a serial property whose point is far away is missed."),
        "zero": N_("No property within 25 km = 0 (the List is complete)."),
        "years": N_("2019 from the 2019 List; 2020–2024 from the 2024 List, by inscription year."),
    },
    "creative_city": {
        "rule": N_("Creative fields (crafts, design, film, gastronomy, literature, media arts, music) in which the "
                   "city is a UNESCO Creative City: counted from the designation year; members without a known year "
                   "from 2021 (they joined by then)."),
        "zero": N_("Not on the complete list of October 2024 = 0 for 2024 only; before a designation = 0. A city "
                   "that might be an unplaceable blank-country row gets no value rather than a possibly false 0."),
        "years": N_("Up to 2024, the date of the list."),
    },
    "icca_meetings": {
        "rule": N_("International association meetings counted by ICCA (regular, rotating between at least three "
                   "countries, 50+ participants; from 2022 in-person only). UIA's wider count is not used."),
        "zero": N_("Not in a year's complete ICCA top 10 or top 20 = below the list's threshold (the note names N "
                   "and the N-th city's count). Incomplete years mark no one; a rank without a count is missing."),
        "years": N_("Years with an ICCA list in the inputs."),
    },
    "global500_hq": {
        "rule": N_("Fortune Global 500 companies (lists of 2019 and 2024) headquartered in the metro area: an HQ town "
                   "that is not a reference city counts for the nearest reference city of the same country within "
                   "40 km. 2024 HQs: the 2019 town of the same (or a renamed) firm, unless a cited page gives a new "
                   "entrant's town or a move."),
        "zero": N_("No headquarters = 0, but only where the count is published: a list year's counts for a country "
                   "are withheld (missing) while any of that country's firms has no known HQ town."),
        "years": N_("2019 and 2024 lists; 2022 and 2023 are not published (only 430 of the 500 firms are in the "
                    "inputs)."),
    },
    "air_destinations": {
        "rule": N_("Distinct foreign airports reached by direct, non-codeshare scheduled routes from the airports "
                   "within 50 km of the centre (same country). An airport serves one reference city only, so of two "
                   "close cities one may get 0 (its note says which city took the airport)."),
        "zero": N_("No airport assigned = 0 in this route snapshot."),
        "years": N_("One OpenFlights route snapshot, dated 2017 (carried forward to every edition)."),
    },
    "gawc_connectivity": {
        "rule": N_("The city's global network connectivity in 2020 as a percentage of the most connected city "
                   "(London = 100), from GaWC's own Data Set 31 (office networks of advanced producer service "
                   "firms). One year and one definition: the GaWC tier levels are not used."),
        "zero": N_("A city outside GaWC's 707-city roster is missing (the roster is GaWC's choice of cities, not "
                   "every city above a bound); a listed city with no connectivity is 0."),
        "years": N_("2020 (carried forward to later editions)."),
    },
    "foreign_born_share": {
        "rule": N_("Share of residents born abroad (Eurostat, or a statistics office's page). A city-level area "
                   "beats a wider one (greater city, region, metro); a printed share beats one derived from two "
                   "counts; an exact figure beats an approximate one. Whole-country figures and lower bounds are "
                   "dropped."),
        "zero": N_("Missing stays missing; never converted from the foreign-citizen share."),
        "years": N_("The year of the figure, as published."),
    },
    "foreign_citizen_share": {
        "rule": N_("Share of residents without the country's citizenship, kept apart from foreign-born and never "
                   "converted into it. National 'migration background' or 'origin' measures are not used."),
        "zero": N_("Missing stays missing."),
        "years": N_("The year of the figure, as published."),
    },
}

TRANSFORMS = {"log1p": "log(1 + x)", "none": N_("none")}
DIRECTIONS = {1: N_("higher is more international"), -1: N_("lower is more international")}


def _raw(value: float, transform: str) -> float:
    """A goalpost on the treated scale, back in the indicator's own unit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    return math.expm1(value) if transform == "log1p" else float(value)


@memo
def framework_table(framework: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The framework for display: pillar, indicator, definition, unit, direction, weights, transform, winsorisation
    and goalposts (in the indicator's unit), and the indicator's rule, zero/threshold treatment and years; the
    texts written here in `lang` (the framework's own columns as they are: the page translates names and units)."""
    _ = translator(lang)
    f = framework.copy()
    f["direction_text"] = [_(DIRECTIONS[d]) if d in DIRECTIONS else None for d in f["direction"]]
    f["transform_text"] = [_(TRANSFORMS[t]) if t in TRANSFORMS else t for t in f["transform"]]
    f["goalpost_low_raw"] = [_raw(v, t) for v, t in zip(f["goalpost_low"], f["transform"])]
    f["goalpost_high_raw"] = [_raw(v, t) for v, t in zip(f["goalpost_high"], f["transform"])]
    f["winsorisation"] = [
        _("none needed") if not n
        else _.ngettext("{n} extreme value capped", "{n} extreme values capped", n).format(n=n)
        for n in f["n_winsorised"].fillna(0).astype(int)]
    for key in ("rule", "zero", "years"):
        f[key] = [_(INDICATOR_RULES.get(i, {}).get(key, "")) for i in f["indicator"]]
    return f


@memo
def data_version(manifest: dict, hash_chars: int = 12) -> dict:
    """The data version for display: methodology and package version, build time, editions, counts, and the
    input hashes shortened to `hash_chars` characters."""
    return {
        "methodology_version": str(manifest.get("methodology_version", "")),
        "package_version": str(manifest.get("package_version", "")),
        "built_at": str(manifest.get("built_at", "")),
        "editions": [int(e) for e in manifest.get("editions", [])],
        "reference_cities": manifest.get("reference_cities"),
        "inputs": pd.DataFrame(
            [{"input": k, "sha256": str(v)[:hash_chars]} for k, v in sorted(manifest.get("input_hashes", {}).items())],
            columns=["input", "sha256"]),
        "outputs": pd.DataFrame(
            [{"file": k, "rows": v.get("rows"), "sha256": str(v.get("sha256", ""))[:hash_chars]}
             for k, v in manifest.get("outputs", {}).items()], columns=["file", "rows", "sha256"]),
    }


@memo
def value_years(indicators: pd.DataFrame) -> dict[str, str]:
    """Per indicator, the range of the years of the values the editions use ("2019–2023", or "2017")."""
    have = indicators[indicators["status"] != "missing"].dropna(subset=["year"])
    out = {}
    for ind, years in have.groupby("indicator")["year"]:
        lo, hi = int(years.min()), int(years.max())
        out[ind] = str(lo) if lo == hi else f"{lo}–{hi}"
    return out


@memo
def indicator_sources(indicators: pd.DataFrame, sources: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The sources of every value the editions use for one indicator: title, producer, grade, licence,
    attribution, link (http(s) only) and how many city-edition values cite it."""
    ind = indicators[(indicators["indicator"] == indicator) & (indicators["source_id"] != "")]
    counts = ind.groupby("source_id").size().rename("values").reset_index()
    out = counts.merge(sources, on="source_id", how="left")
    out["link"] = [u if str(u or "").lower().startswith(("https://", "http://")) else None for u in out["url"]]
    return out.sort_values(["values", "title"], ascending=[False, True]).reset_index(drop=True)[
        ["source_id", "title", "producer", "grade", "licence", "attribution", "link", "values"]]


def parquet_bytes(index_dir: Path, table: str) -> bytes:
    """The published Parquet file, byte for byte."""
    return (Path(index_dir) / f"{table}.parquet").read_bytes()


def csv_bytes(index_dir: Path, table: str) -> bytes:
    """The published Parquet file as UTF-8 CSV (missing values as empty cells)."""
    frame = pd.read_parquet(Path(index_dir) / f"{table}.parquet")
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def manifest_bytes(index_dir: Path) -> bytes:
    return (Path(index_dir) / "manifest.json").read_bytes()


def framework_summary(framework: pd.DataFrame, lang: str = "en") -> str:
    """The framework in one sentence, in the language: '4 pillars, 14 indicators. City relations: 4 indicators,
    weight 25; ...' (pillar names through the catalogue; plain text, escape it for markdown)."""
    _ = translator(lang)
    pillars = framework.drop_duplicates("pillar")[["pillar", "pillar_name", "pillar_weight"]]
    n_per = framework.groupby("pillar", sort=False).size()
    n_p, n_i = len(pillars), len(framework)
    head = (_.ngettext("{n} pillar", "{n} pillars", n_p).format(n=n_p) + ", "
            + _.ngettext("{n} indicator", "{n} indicators", n_i).format(n=n_i))
    parts = [_.ngettext("{name}: {n} indicator, weight {weight}", "{name}: {n} indicators, weight {weight}",
                        int(n_per[p])).format(name=_(str(name)), n=int(n_per[p]), weight=f"{w:g}")
             for p, name, w in pillars.itertuples(index=False)]
    return head + ". " + "; ".join(parts) + "."
