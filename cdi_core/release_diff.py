"""The release diff (OWID's data diff per release): every city and edition of the new index against the previous
published one (data/index_previous: its scores, indicators and cities, kept until the next release replaces
them), with each rank move traced to its causes: the city's own inputs that changed (value, year or status of an
indicator), indicators the methodology added or removed, or, failing both, the other cities' changes.

`python -m cdi_core build --new-release` first moves the current data/index into data/index_previous; a plain
build (and `build --check`) diffs against the release already there, so the diff is reproducible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cdi_core.compute import INDEX

DIFF_COLUMNS = ["city_id", "edition", "status", "rank_prev", "rank", "rank_move", "score_prev", "score",
                "n_ranked_prev", "n_ranked", "own_inputs_changed", "methodology_changed", "causes"]
PREVIOUS_FILES = ("scores.parquet", "indicators.parquet", "cities.parquet", "manifest.json")
BIG_MOVE = 5
MAX_CAUSES = 6


def _fmt(v: object, year: object, status: str) -> str:
    if status == "missing" or status is None or (isinstance(status, float) and np.isnan(status)):
        return "missing"
    if status == "below_threshold":
        return f"below threshold ({int(year)})" if pd.notna(year) else "below threshold"
    return f"{float(v):,.6g} ({int(year)})" if pd.notna(year) else f"{float(v):,.6g}"


def _input_causes(prev: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Per city and edition: the indicators whose value, year or status changed, in words; and the indicators
    present in only one of the two releases (a methodology change)."""
    key = ["city_id", "edition", "indicator"]
    cols = ["value", "year", "status"]
    m = prev[key + cols].merge(new[key + cols], on=key, how="outer", suffixes=("_prev", ""), indicator=True)
    both = m["_merge"] == "both"
    changed = both & ((m["status_prev"] != m["status"]) | (m["year_prev"].astype("Float64") != m["year"].astype(
        "Float64")).fillna(True) | ~np.isclose(m["value_prev"].astype(float).fillna(-1), m["value"].astype(
            float).fillna(-1), rtol=1e-9))
    changed &= ~((m["status_prev"] == "missing") & (m["status"] == "missing"))
    text = pd.Series("", index=m.index)
    text[changed] = [f"{i}: {_fmt(vp, yp, sp)} -> {_fmt(v, y, s)}" for i, vp, yp, sp, v, y, s in zip(
        m.loc[changed, "indicator"], m.loc[changed, "value_prev"], m.loc[changed, "year_prev"],
        m.loc[changed, "status_prev"], m.loc[changed, "value"], m.loc[changed, "year"], m.loc[changed, "status"])]
    meth = m["_merge"] != "both"
    text[meth] = np.where(m.loc[meth, "_merge"] == "left_only", m.loc[meth, "indicator"] + ": indicator removed",
                          m.loc[meth, "indicator"] + ": indicator added")
    m["text"], m["own"], m["meth"] = text, changed, meth
    g = m[changed | meth].groupby(["city_id", "edition"])
    out = g.agg(own_inputs_changed=("own", "any"), methodology_changed=("meth", "any"),
                causes=("text", lambda t: "; ".join(list(t)[:MAX_CAUSES]) + (f"; +{len(t) - MAX_CAUSES} more"
                                                                              if len(t) > MAX_CAUSES else "")))
    return out.reset_index()


def release_diff(scores: pd.DataFrame, indicators: pd.DataFrame, previous_dir: Path) -> pd.DataFrame:
    """The diff table (DIFF_COLUMNS), or an empty one if there is no previous release."""
    previous_dir = Path(previous_dir)
    if not (previous_dir / "scores.parquet").is_file():
        return pd.DataFrame(columns=DIFF_COLUMNS)
    ps = pd.read_parquet(previous_dir / "scores.parquet")
    pi = pd.read_parquet(previous_dir / "indicators.parquet")
    cols = ["city_id", "edition", "rank", "score", "n_ranked"]
    a = ps.loc[ps["pillar"] == INDEX, cols]
    b = scores.loc[scores["pillar"] == INDEX, cols]
    d = a.merge(b, on=["city_id", "edition"], how="outer", suffixes=("_prev", ""), indicator=True)
    d["status"] = np.select(
        [d["_merge"] == "left_only", d["_merge"] == "right_only",
         d["rank_prev"].isna() & d["rank"].isna(), d["rank_prev"].isna(), d["rank"].isna()],
        ["left the reference set", "new reference city", "not ranked in either", "newly ranked",
         "no longer ranked"], "ranked in both")
    d["rank_move"] = (d["rank_prev"] - d["rank"]).astype("Float64")
    c = _input_causes(pi, indicators)
    d = d.merge(c, on=["city_id", "edition"], how="left")
    d["own_inputs_changed"] = d["own_inputs_changed"].fillna(False).astype(bool)
    d["methodology_changed"] = d["methodology_changed"].fillna(False).astype(bool)
    d["causes"] = d["causes"].fillna("").where(
        d["own_inputs_changed"] | d["methodology_changed"] | ~(d["status"] == "ranked in both"),
        "no input of this city changed: the other cities' changes")
    d.loc[(d["causes"] == "") & (d["status"] == "ranked in both"), "causes"] = \
        "no input of this city changed: the other cities' changes"
    for col in ("rank_prev", "rank", "n_ranked_prev", "n_ranked"):
        d[col] = d[col].astype("Float64")
    return d[DIFF_COLUMNS].sort_values(["edition", "city_id"]).reset_index(drop=True)


def big_move_findings(diff: pd.DataFrame) -> list[dict]:
    """Informational quality rows: per edition, the rank moves beyond BIG_MOVE places and what they trace to."""
    rows = []
    big = diff[diff["rank_move"].abs() > BIG_MOVE]
    for edition, g in big.groupby("edition"):
        own = int(g["own_inputs_changed"].sum())
        meth = int((g["methodology_changed"] & ~g["own_inputs_changed"]).sum())
        rows.append({"check": "release_diff", "key": f"index|{edition}", "file": "release_diff.parquet",
                     "row": None, "rule": f"rank moves of more than {BIG_MOVE} places against the previous release",
                     "detail": f"{len(g)} cities: {own} with changed inputs of their own, {meth} with only a "
                               f"methodology change, {len(g) - own - meth} through other cities' changes",
                     "action": "info", "decision": "traced", "reason": "each row of release_diff.parquet names "
                                                                       "its causes"})
    return rows


def start_new_release(index_dir: Path, previous_dir: Path) -> None:
    """Make the published index the previous release (its PREVIOUS_FILES), atomically: the next build's diff is
    against it."""
    import shutil

    from cdi_core.store import replace_dir_atomically

    def write(tmp: Path) -> None:
        for name in PREVIOUS_FILES:
            shutil.copy2(Path(index_dir) / name, tmp / name)

    replace_dir_atomically(Path(previous_dir), write)
