"""Data-completeness report from the published index (cdi_core.completeness): per indicator and edition, how many
reference cities have an observed value, a "below the list's threshold" flag or no data, before and after the
project-curated facts; and for the five focus cities each value of the latest edition with its year and source, or
the documented reason why no value from 2019 or later exists.

Reads data/index (and, for "before", the indicators of an earlier commit via git); writes docs/completeness/.

    python scripts/completeness.py [--before REV]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cdi_core.completeness import FOCUS, RECENT_FROM, coverage, focus_table, undocumented  # noqa: E402
from cdi_core.paths import INDEX_DIR, REPO_ROOT  # noqa: E402

OUT = REPO_ROOT / "docs" / "completeness"
# The last commit before the project-curated facts (data/curated) entered the index.
BEFORE_REV = "a13cfb8"


def indicators_at(rev: str) -> pd.DataFrame:
    blob = subprocess.run(["git", "-C", str(REPO_ROOT), "show", f"{rev}:data/index/indicators.parquet"],
                          capture_output=True, check=True).stdout
    return pd.read_parquet(io.BytesIO(blob))


def _cell(r: pd.Series) -> str:
    if r.status == "missing":
        return "no data, documented" if r.reason else "no data (undocumented)"
    year = f"below ({r.year})" if r.status == "below_threshold" else str(r.year)
    return year if r.recent else f"{year}, documented" if r.reason else f"{year} (undocumented)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE_REV, help="git revision whose index is the 'before' state")
    args = parser.parse_args(argv)
    ind = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    sources = pd.read_parquet(INDEX_DIR / "sources.parquet")
    absences = pd.read_parquet(INDEX_DIR / "absences.parquet")
    latest = int(ind["edition"].max())
    before, after = coverage(indicators_at(args.before)), coverage(ind)
    # left: an indicator new since the "before" commit (diplomatic_countries) is listed, with no before counts
    both = after.merge(before, on=["indicator", "edition"], how="left", suffixes=("", "_before"))
    both = both.astype({c: "Int64" for c in both.columns if c.endswith("_before")})
    foc = focus_table(ind, sources, absences, latest)
    OUT.mkdir(parents=True, exist_ok=True)
    both.to_csv(OUT / "coverage.csv", index=False, lineterminator="\n")
    foc.to_csv(OUT / "focus_cities.csv", index=False, lineterminator="\n")
    n_cities = int(ind[ind["edition"] == latest]["city_id"].nunique())
    lb = both[both["edition"] == latest].set_index("indicator")
    lines = [f"# Data completeness, edition {latest}", "",
             "Made by `python scripts/completeness.py` from `data/index` (do not edit by hand). Full tables: "
             "`coverage.csv` (every indicator and edition, with the counts before the project-curated facts) and "
             "`focus_cities.csv` (the focus cities' values, years, sources and documented absences).", "",
             f"## All {n_cities} reference cities, before → after the project-curated facts (`data/curated`)", "",
             f"Before = the index at commit `{args.before}`. \"Recent\" = a value or a below-threshold mark from "
             f"{RECENT_FROM} or later.", "",
             "| indicator | observed | below threshold | no data | recent |", "|---|---|---|---|---|"]

    def pair(r: pd.Series, col: str) -> str:
        if pd.isna(r[f"{col}_before"]):
            return f"{int(r[col])} (new indicator)"
        a, b = int(r[col]), int(r[f"{col}_before"])
        return str(a) if a == b else f"{b} → {a}"

    lines += [f"| {i} | {pair(r, 'observed')} | {pair(r, 'below_threshold')} | {pair(r, 'missing')} | "
              f"{pair(r, 'recent')} |" for i, r in lb.iterrows()]
    lines += ["", "## The five focus cities: the data year of each value", "",
              "`no data` = missing; `below` = below the list's threshold (the list's year); `documented` = no value "
              f"from {RECENT_FROM} or later exists and the reason is recorded in `data/curated/absences.csv` "
              "(listed below); a year after the edition is a later snapshot.", "",
              "| indicator | " + " | ".join(FOCUS) + " |", "|---|" + "---|" * len(FOCUS)]
    cells = foc.set_index(["indicator", "city_id"])
    for i in sorted(foc["indicator"].unique()):
        lines.append(f"| {i} | " + " | ".join(_cell(cells.loc[(i, c)]) for c in FOCUS) + " |")
    old = foc[~foc["recent"]]
    lines += ["", f"{int(foc['recent'].sum())} of {len(foc)} focus-city values are from {RECENT_FROM} or later; "
              f"{len(old)} are not, and all of those have a documented reason; "
              f"{len(undocumented(foc))} have neither.", "", "## Documented absences", ""]
    for r in old.itertuples():
        lines += [f"- **{r.city_id}, {r.indicator}**: {r.reason} *Searched:* {r.searched}"]
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if len(undocumented(foc)) else 0


if __name__ == "__main__":
    sys.exit(main())
