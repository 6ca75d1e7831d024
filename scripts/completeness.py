"""Data-completeness report from the published index: per indicator and edition, how many reference cities have an
observed value, a "below the list's threshold" flag or no data; and for the five focus cities, each indicator's
value in the latest edition with its year, status and source, or the fact that there is none.

Why: a policymaker comparing the V4 capitals and Vienna indicator by indicator must see where a comparison rests on
old or missing data. Reads only data/index; writes docs/completeness/ (CSV files and a README) and prints a summary.

    python scripts/completeness.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cdi_core.paths import INDEX_DIR, REPO_ROOT  # noqa: E402
from explorer.store import FOCUS  # noqa: E402

OUT = REPO_ROOT / "docs" / "completeness"
STATUSES = ["observed", "below_threshold", "missing"]


def coverage(ind: pd.DataFrame) -> pd.DataFrame:
    """indicator x edition counts of each status over all reference cities."""
    t = ind.groupby(["indicator", "edition", "status"]).size().unstack(fill_value=0)
    return t.reindex(columns=STATUSES, fill_value=0).reset_index()


def focus_table(ind: pd.DataFrame, sources: pd.DataFrame, edition: int) -> pd.DataFrame:
    """The focus cities' values in one edition, with year, status, vintage, source title and producer."""
    f = ind[(ind["edition"] == edition) & ind["city_id"].isin(FOCUS)]
    f = f.merge(sources[["source_id", "title", "producer"]], on="source_id", how="left")
    f["year"] = f["year"].astype("Int64")
    f["meets_2019"] = (f["status"] != "missing") & (f["year"] >= 2019)
    cols = ["city_id", "indicator", "status", "value", "year", "vintage", "meets_2019", "title", "producer", "note"]
    return f[cols].sort_values(["indicator", "city_id"]).reset_index(drop=True)


def main() -> None:
    ind = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    sources = pd.read_parquet(INDEX_DIR / "sources.parquet")
    latest = int(ind["edition"].max())
    cov, foc = coverage(ind), focus_table(ind, sources, latest)
    OUT.mkdir(parents=True, exist_ok=True)
    cov.to_csv(OUT / "coverage.csv", index=False, lineterminator="\n")
    foc.to_csv(OUT / "focus_cities.csv", index=False, lineterminator="\n")
    n_cities = int(ind[ind["edition"] == latest]["city_id"].nunique())
    latest_cov = cov[cov["edition"] == latest].set_index("indicator")
    grid = foc.pivot(index="indicator", columns="city_id", values="year").reindex(columns=FOCUS)
    status = foc.pivot(index="indicator", columns="city_id", values="status").reindex(columns=FOCUS)
    lines = [f"# Data completeness, edition {latest}", "",
             "Made by `python scripts/completeness.py` from `data/index` (do not edit by hand). Full tables: "
             "`coverage.csv` (every indicator and edition) and `focus_cities.csv` (values, years and sources).", "",
             f"## All {n_cities} reference cities", "", "| indicator | observed | below threshold | no data |",
             "|---|---|---|---|"]
    lines += [f"| {i} | {r.observed} | {r.below_threshold} | {r.missing} |" for i, r in latest_cov.iterrows()]
    lines += ["", "## The five focus cities: the data year of each value", "",
              "`no data` = missing; `below` = below the list's threshold (the list's year); a year before 2019 is "
              "an old vintage carried forward; a year after the edition is a later snapshot.", "",
              "| indicator | " + " | ".join(FOCUS) + " |", "|---|" + "---|" * len(FOCUS)]
    for i in grid.index:
        cells = []
        for c in FOCUS:
            st, yr = status.at[i, c], grid.at[i, c]
            cells.append("no data" if st == "missing" else (f"below ({yr})" if st == "below_threshold" else str(yr)))
        lines.append(f"| {i} | " + " | ".join(cells) + " |")
    short = foc[~foc["meets_2019"]]
    lines += ["", f"{len(short)} of {len(foc)} focus-city values have no value from 2019 or later; the search for "
              "newer, cited values and the documented reasons where none exists are in `docs/research/`."]
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[len(lines) - len(grid) - 3:]))


if __name__ == "__main__":
    main()
