"""The build's quality report and the data's freshness for the Methodology & data page: counts of findings per check
and action, the held-out values and reviewed decisions, and per edition which indicators got new data and when the
next release is due. Pure pandas (no Streamlit); reads data/index/quality.parquet and freshness.parquet and only
selects, counts and labels. Every data-derived string stays plain text in a table cell: nothing here is markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.perf.memo import memo
from explorer.text.i18n import N_, translator

QUALITY_TABLES = ("quality", "freshness")
QUALITY_COLUMNS = ["check", "key", "file", "row", "rule", "detail", "action", "decision", "reason"]
FRESHNESS_COLUMNS = ["edition", "indicator", "values", "newest_year", "recent_values", "new_data", "releases",
                     "next_release"]
COUNT_COLUMNS = ["check", "action", "findings"]
DECISION_COLUMNS = ["check", "key", "rule", "decision", "reason"]
FRESH_COLUMNS = ("name", "new_data", "newest_year", "values", "recent_values", "releases", "next_release")
NOT_ANNOUNCED = N_("not announced")  # the release calendar's word for no announcement

# the checks of cdi_core.quality and cdi_core.release_diff, in words (a check not listed shows its key)
CHECK_TEXT = {
    "series": N_("estimates and approximations in a measured series"),
    "jumps": N_("implausible jumps between two years"),
    "zeros": N_("zeros from lists that are not complete"),
    "near_misses": N_("unmatched names close to a reference city"),
    "urban_areas": N_("municipalities near a larger city"),
    "events": N_("memberships without a date"),
    "stale": N_("values too old to carry forward"),
    "grades": N_("values on a source grade the index does not use"),
    "reviews": N_("reviewed decisions without a finding"),
    "release_diff": N_("rank moves against the previous release"),
}
ACTION_TEXT = {"held": N_("held out of the index"), "used": N_("used"), "matched": N_("matched"),
               "rejected": N_("rejected"), "info": N_("for information"), "unreviewed": N_("not yet reviewed")}
# the decision words of cdi_core.quality.reviews.DECISIONS and the build's own ("rule", "traced")
DECISION_TEXT = {"rule": N_("the methodology's rule"), "traced": N_("traced to its causes"), "use": N_("use"),
                 "hold": N_("hold out"), "real": N_("a real change"), "true_zero": N_("a true zero"),
                 "match": N_("the same city"), "reject": N_("a different place"),
                 "member": N_("part of the larger city"), "distinct": N_("a city in its own right")}


@dataclass(frozen=True)
class QualityData:
    """quality.parquet and freshness.parquet (empty frames with their columns when a release lacks them)."""

    quality: pd.DataFrame
    freshness: pd.DataFrame


def load_quality(index_dir: Path) -> QualityData:
    """The two tables from `index_dir`; a missing file reads as an empty table, so an older release still opens."""
    def read(name: str, columns: list[str]) -> pd.DataFrame:
        path = Path(index_dir) / f"{name}.parquet"
        return pd.read_parquet(path) if path.is_file() else pd.DataFrame(columns=columns)

    return QualityData(read("quality", QUALITY_COLUMNS), read("freshness", FRESHNESS_COLUMNS))


def _label(texts: dict[str, str], key: object, lang: str) -> str:
    key = "" if key is None or (isinstance(key, float) and pd.isna(key)) else str(key)
    return translator(lang)(texts[key]) if key in texts else key


@memo
def check_counts(q: QualityData, lang: str = "en") -> pd.DataFrame:
    """One row per check and action: the check and action in words (in `lang`) and the number of findings."""
    f = q.quality
    if f.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    n = f.groupby(["check", "action"]).size().rename("findings").reset_index()
    n["check"] = [_label(CHECK_TEXT, c, lang) for c in n["check"]]
    n["action"] = [_label(ACTION_TEXT, a, lang) for a in n["action"]]
    return n[COUNT_COLUMNS].reset_index(drop=True)


def is_decision(quality: pd.DataFrame) -> pd.Series:
    """The findings the decisions table lists: every value held out of the index, and every finding a reviewer
    decided (a decision other than the methodology's automatic rule)."""
    decision = quality["decision"].fillna("").astype(str)
    return (quality["action"] == "held") | ~decision.isin(["", "rule"])


@memo
def decisions(q: QualityData, lang: str = "en") -> pd.DataFrame:
    """The held-out values and reviewed decisions: check and decision in words (in `lang`); key, rule and reason as
    the build and the reviewers wrote them (English, plain text)."""
    f = q.quality
    if f.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    out = f[is_decision(f)].sort_values(["check", "key"], kind="stable")
    return pd.DataFrame({
        "check": [_label(CHECK_TEXT, c, lang) for c in out["check"]],
        "key": out["key"].astype(str).to_numpy(),
        "rule": out["rule"].astype(str).to_numpy(),
        "decision": [_label(DECISION_TEXT, d, lang) for d in out["decision"]],
        "reason": out["reason"].astype(str).to_numpy(),
    })


def held_count(q: QualityData) -> int:
    """How many findings the build held out of the index."""
    return int((q.quality["action"] == "held").sum()) if len(q.quality) else 0


@memo
def freshness(q: QualityData, framework: pd.DataFrame, edition: int, lang: str = "en") -> pd.DataFrame:
    """The edition's freshness rows in framework order: the indicator's name (in `lang`), whether the edition brought
    newer data than the previous one, the newest data year, the values used and how many are recent, the source
    releases up to the edition and the next one announced ("not announced" in `lang`, the producers' notes as
    written)."""
    _ = translator(lang)
    f = q.freshness
    f = f[f["edition"] == edition]
    if f.empty:
        return pd.DataFrame(columns=["indicator", *FRESH_COLUMNS])
    order = {ind: i for i, ind in enumerate(framework["indicator"])}
    names = dict(zip(framework["indicator"], framework["name"]))
    out = f.assign(order=f["indicator"].map(order)).sort_values(["order", "indicator"], na_position="last")
    return pd.DataFrame({
        "indicator": out["indicator"].to_numpy(),
        "name": [_(str(names[i])) if i in names else str(i) for i in out["indicator"]],
        "new_data": out["new_data"].astype(bool).to_numpy(),
        "newest_year": pd.array(out["newest_year"], dtype="Int64"),
        "values": out["values"].astype(int).to_numpy(),
        "recent_values": out["recent_values"].astype(int).to_numpy(),
        "releases": out["releases"].fillna("").astype(str).to_numpy(),
        "next_release": [_(NOT_ANNOUNCED) if str(r) == NOT_ANNOUNCED else str(r if r is not None else "")
                         for r in out["next_release"].fillna("")],
    })


def new_data_sentence(fresh: pd.DataFrame, edition: int, first_edition: int, lang: str = "en") -> str:
    """Which indicators brought newer data in the edition, in one plain sentence (names from the catalogue; escape
    it for markdown)."""
    _ = translator(lang)
    if edition <= first_edition:
        return _("{edition} is the first edition: there is no earlier edition to compare with.").format(
            edition=edition)
    names = list(fresh.loc[fresh["new_data"].astype(bool), "name"]) if len(fresh) else []
    if not names:
        return _("No indicator has newer data in the {edition} edition than in the previous one.").format(
            edition=edition)
    return _("Indicators with newer data in the {edition} edition than in the previous one: {names}.").format(
        edition=edition, names=", ".join(names))
