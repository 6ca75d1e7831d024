"""Indicator coverage per edition, from the published `indicators` table: how many reference cities have a measured
value (and how many of those are a true zero), a below-threshold mark, or no data; and how many values are older
(carried forward) or newer (later vintage) than the edition. Pure pandas, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from cdi_core.completeness import FOCUS, focus_table
from explorer.text.i18n import translator

COUNT_COLUMNS = ["observed", "zero", "below_threshold", "missing", "current", "carried_forward", "later_vintage"]


def indicator_coverage(indicators: pd.DataFrame, edition: int | None = None,
                       framework: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (edition, indicator): counts of cities by status and vintage, plus the share with data.

    observed + below_threshold + missing = cities (every reference city has one row per indicator and edition);
    zero counts observed values equal to 0 (a true zero of a complete list); current + carried_forward +
    later_vintage = observed + below_threshold (the vintage of whatever value the edition uses).
    With `framework`, rows follow its indicator order and carry the indicator's name and pillar.
    """
    ind = indicators if edition is None else indicators[indicators["edition"] == edition]
    status = ind["status"]
    vintage = ind["vintage"].fillna("")
    flags = pd.DataFrame({
        "edition": ind["edition"], "indicator": ind["indicator"],
        "observed": status == "observed",
        "zero": (status == "observed") & (ind["value"] == 0),
        "below_threshold": status == "below_threshold",
        "missing": status == "missing",
        "current": vintage == "current",
        "carried_forward": vintage == "carried_forward",
        "later_vintage": vintage == "later_vintage",
    })
    out = flags.groupby(["edition", "indicator"]).agg(
        cities=("observed", "size"), **{c: (c, "sum") for c in COUNT_COLUMNS}).reset_index()
    out[COUNT_COLUMNS + ["cities"]] = out[COUNT_COLUMNS + ["cities"]].astype(int)
    out["with_data_pct"] = 100.0 * (out["observed"] + out["below_threshold"]) / out["cities"]
    if framework is not None:
        meta = framework[["indicator", "name", "pillar"]].reset_index(drop=True)
        meta["_order"] = range(len(meta))
        out = out.merge(meta, on="indicator", how="left").sort_values(["edition", "_order"]).drop(columns="_order")
    else:
        out = out.sort_values(["edition", "indicator"])
    return out.reset_index(drop=True)


def focus_recency(indicators: pd.DataFrame, sources: pd.DataFrame, absences: pd.DataFrame, framework: pd.DataFrame,
                  city_names: dict[str, str], edition: int, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """For the five focus cities in one edition: a grid (indicator rows, city columns) giving each value's data year,
    "below (year)" for a below-threshold mark or "no data", marked where no value from 2019 or later exists and the
    reason is documented; and the documented absences themselves (city, indicator, year used, reason, searched).
    The reasons are project-curated English text (data/curated/absences.csv) and are shown as written."""
    _ = translator(lang)
    f = focus_table(indicators, sources, absences, edition)

    def cell(r) -> str:
        text = (_("no data") if r.status == "missing"
                else _("below ({year})").format(year=r.year) if r.status == "below_threshold" else str(r.year))
        if r.recent:
            return text
        return _("{value} – see why below").format(value=text) if r.reason else _("{value} – undocumented").format(
            value=text)

    f["cell"] = [cell(r) for r in f.itertuples()]
    names = {i: _(n) for i, n in zip(framework["indicator"], framework["name"])}
    grid = (f.pivot(index="indicator", columns="city_id", values="cell")
            .reindex(index=list(framework["indicator"]), columns=FOCUS)
            .rename(columns=city_names).rename(index=names).rename_axis(index="indicator", columns=None)
            .reset_index())
    why = f[~f["recent"] & (f["reason"] != "")].assign(
        city=lambda d: d["city_id"].map(city_names), indicator_name=lambda d: d["indicator"].map(names))
    return grid, why[["city", "indicator_name", "year", "reason", "searched"]].reset_index(drop=True)
