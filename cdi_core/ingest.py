"""Raw sources (../shared/data) -> committed, cited inputs (data/inputs). Needs the raw files; the build does not."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from cdi_core.errors import InputError
from cdi_core.registry import Registry
from cdi_core.registry_build import REGISTRY_SOURCES, build_cities
from cdi_core.reviews import apply_drops, apply_grades, check_no_other
from cdi_core.sources import (
    arrivals,
    creative_cities,
    eurostat_nuts3_nights,
    eurostat_tourism,
    foreign_residents,
    gawc,
    global500,
    icca,
    intl_orgs,
    lowy,
    networks,
    openflights,
    project_curated,
    twinnings,
    whc,
    world_residents,
)
from cdi_core.sources.base import OBS_COLUMNS, SOURCE_COLUMNS, STATUS_BELOW_THRESHOLD, UNMATCHED_COLUMNS
from cdi_core.store import replace_dir_atomically

SOURCE_MODULES = (lowy, twinnings, intl_orgs, networks, eurostat_tourism, eurostat_nuts3_nights, arrivals, whc,
                  creative_cities, icca, global500, openflights, gawc, foreign_residents, world_residents,
                  project_curated)
TABLES_DIR = "tables"


def _module_name(module) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def fill_below_threshold(shared: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """Project-curated facts join the shared sources' observations. A fact may replace a "below the list's
    threshold" mark for the same city, indicator and year (the city's own count is better information than the
    bound), never another source's measured value."""
    key = ["city_id", "indicator", "year"]
    clash = shared.reset_index().merge(curated[key].reset_index(names="fact_row"), on=key)
    measured = clash[clash["status"] != STATUS_BELOW_THRESHOLD]
    if len(measured):
        r = measured.iloc[0]
        raise InputError(f"data/curated/{project_curated.FACTS_FILE}",
                         "a project-curated fact may not replace another source's measured value",
                         row=int(r.fact_row) + 2, detail=f"{r.city_id} {r.indicator} {r.year}")
    return pd.concat([shared.drop(index=clash["index"]), curated], ignore_index=True)


def replace_series(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the modules' observations; a module that replaces whole series (world_residents: the project's
    reviewed selection of one series per city) drops the other modules' rows of the same city and indicator."""
    prefix = f"{world_residents.PREFIX}-"
    allobs = pd.concat(frames, ignore_index=True)
    mine = allobs["source_id"].str.startswith(prefix)
    covered = set(zip(allobs.loc[mine, "city_id"], allobs.loc[mine, "indicator"]))
    other = ~mine & pd.Series([k in covered for k in zip(allobs["city_id"], allobs["indicator"])],
                              index=allobs.index)
    return allobs[~other].reset_index(drop=True)


def collect(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Run the registry build and every source module; return the input tables to commit."""
    if not (raw_dir / "raw").is_dir() or not (raw_dir / "curated").is_dir():
        raise InputError(raw_dir, "raw data folder not found", detail="pass --raw pointing at shared/data")
    cities, unresolved = build_cities(raw_dir)
    registry = Registry(cities)
    obs, unmatched, sources, tables = [], [], {s.source_id: s for s in REGISTRY_SOURCES}, {}
    for module in SOURCE_MODULES:
        result = module.read(raw_dir, registry)
        if module is project_curated:
            curated = result.observations
        else:
            obs.append(result.observations)
        unmatched.append(result.unmatched.assign(module=_module_name(module)))
        for s in result.sources:
            if s.source_id in sources and sources[s.source_id] != s:
                raise InputError(_module_name(module), "two different sources share one source_id",
                                 detail=s.source_id)
            sources[s.source_id] = s
        for name, table in result.tables.items():
            if name in tables:
                raise InputError(_module_name(module), "two modules return the same side table", detail=name)
            tables[name] = table
    sources = apply_grades(sources)
    # Reviewed drops first, so that a project-curated replacement may take the place of a dropped shared value.
    both, dropped = apply_drops(pd.concat([replace_series(obs).assign(fact_row=-1),
                                           curated.assign(fact_row=curated.index)], ignore_index=True))
    facts = both[both["fact_row"] >= 0].set_index("fact_row").rename_axis(None)  # rows as in the curated file
    observations = (fill_below_threshold(both[both["fact_row"] < 0].reset_index(drop=True), facts)[OBS_COLUMNS]
                    .sort_values(["indicator", "city_id", "year"]).reset_index(drop=True))
    check_no_other(observations, sources)
    tables["dropped_values"] = dropped[[*OBS_COLUMNS[:6], "reason"]].reset_index(drop=True)
    dup = observations.duplicated(["city_id", "indicator", "year"], keep=False)
    if dup.any():
        first = observations[dup].iloc[0]
        raise InputError("observations", "duplicate observation for one city, indicator and year",
                         detail=f"{first.city_id} {first.indicator} {first.year}")
    reg_unmatched = unresolved.rename(columns={"group": "reason_group"}).assign(
        source_file="registry", row=pd.NA, module="registry_build")
    reg_unmatched["reason"] = reg_unmatched["reason"] + " (rule: " + reg_unmatched.pop("reason_group") + ")"
    unmatched_all = pd.concat([*unmatched, reg_unmatched], ignore_index=True)[["module", *UNMATCHED_COLUMNS]]
    src = pd.DataFrame([s.as_row() for s in sources.values()], columns=SOURCE_COLUMNS).sort_values("source_id")
    out = {"cities": cities, "observations": observations, "sources": src.reset_index(drop=True),
           "unmatched": unmatched_all}
    out.update({f"{TABLES_DIR}/{k}": v for k, v in sorted(tables.items())})
    return out


def write_inputs(tables: dict[str, pd.DataFrame], inputs_dir: Path) -> None:
    def write(tmp: Path) -> None:
        (tmp / TABLES_DIR).mkdir()
        for name, df in tables.items():
            df.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")

    replace_dir_atomically(inputs_dir, write)


def ingest(raw_dir: Path, inputs_dir: Path) -> dict:
    """Rebuild data/inputs from the raw sources; returns a short report."""
    t0 = time.perf_counter()
    tables = collect(raw_dir)
    write_inputs(tables, inputs_dir)
    return {"seconds": round(time.perf_counter() - t0, 1), "cities": len(tables["cities"]),
            "observations": len(tables["observations"]), "sources": len(tables["sources"]),
            "unmatched": len(tables["unmatched"])}
