"""Committed inputs (data/inputs) -> published index (data/index: Parquet + manifest.json). Needs no raw files."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from cdi_core import METHODOLOGY_VERSION, __version__, release_gate, uncertainty
from cdi_core.audit import audit
from cdi_core.changes import change_tables
from cdi_core.city_names import city_names_table
from cdi_core.city_names import source_row as city_names_source
from cdi_core.completeness import check_absences
from cdi_core.compute import INDEX, IndexResult, finish, finish_arrays, prepare
from cdi_core.events import events_table
from cdi_core.freshness import freshness_table
from cdi_core.paths import PREVIOUS_INDEX_DIR
from cdi_core.quality import fail_on_unreviewed, findings_frame, screen_inputs
from cdi_core.registry import CITY_COLUMNS
from cdi_core.release_diff import big_move_findings, release_diff
from cdi_core.spec import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS, Spec, load_spec
from cdi_core.store import replace_dir_atomically, sha256_file
from cdi_core.validate import read_inputs
from cdi_core.whatif import PublishedBase

SIDE_TABLES = ("pact_members", "twinnings", "network_memberships", "whc_sites", "global500_hq", "intl_org_seats",
               "twinning_events", "absences", "source_releases")
VOLATILE_MANIFEST_KEYS = ("built_at", "build_seconds", "uncertainty_seconds", "outputs")


def framework_table(spec: Spec, result: IndexResult) -> pd.DataFrame:
    """The spec as a table (one row per indicator, pillar weights beside), with the treatment and goalposts."""
    pillars = {p.id: p for p in spec.pillars}
    rows = [{**i.__dict__, "anomalous_years": ";".join(map(str, i.anomalous_years)),
             "pillar_name": pillars[i.pillar].name, "pillar_weight": pillars[i.pillar].weight}
            for i in spec.indicators]
    return pd.DataFrame(rows).rename(columns={"id": "indicator"}).merge(
        result.treatment.drop(columns=["transform"], errors="ignore"), on="indicator", how="left")


def build_tables(inputs: dict[str, pd.DataFrame], spec: Spec, timings: dict[str, float] | None = None,
                 inputs_dir: Path | None = None, previous_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every published table, computed from validated inputs: the index (compute_index = finish(prepare(...))),
    its audit, its rank bands, what changed between editions and the dated events behind it, all from the one
    prepared data set. `timings` receives each stage's seconds; the Monte Carlo runs in forked processes while
    finish, audit, changes and events run here, so `uncertainty_seconds` is the runs' wall time (start to last
    run), overlapping those stages, and `uncertainty_wait_seconds` the time spent here waiting for them and
    taking the bands. `inputs_dir` names files in errors and holds unmatched.csv; `previous_dir` is the previous
    published release the release diff compares with (default data/index_previous)."""
    timings = timings if timings is not None else {}
    clock = [time.perf_counter()]
    q = screen_inputs(inputs, spec, inputs_dir)
    fail_on_unreviewed(q.findings, inputs_dir)
    obs, city_table = q.observations, inputs["cities"]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = now - clock[0]
        clock[0] = now

    lap("quality_seconds")
    prep = prepare(obs, city_table, spec)
    lap("prepare_seconds")
    runs_started = clock[0]
    pending = uncertainty.start_rank_uncertainty(prep)     # the runs go on in forked processes meanwhile
    lap("uncertainty_start_seconds")
    result = finish(prep, spec)
    lap("finish_seconds")
    cities = inputs["cities"][CITY_COLUMNS].sort_values("city_id").reset_index(drop=True)
    out = {
        "cities": cities,
        "scores": result.scores,
        "indicators": result.indicators,
        "framework": framework_table(spec, result),
        "sources": pd.concat([inputs["sources"], pd.DataFrame([city_names_source()]).astype(
            inputs["sources"].dtypes.to_dict())], ignore_index=True).sort_values("source_id").reset_index(drop=True),
        "city_names": city_names_table(cities),
        "rank_uncertainty": None,  # below, once the runs are done
        "quality": q.findings,
    }
    out.update(audit(obs, city_table, prep, finish_arrays(prep, spec)))
    lap("audit_seconds")
    official = finish_arrays(prep, spec)
    base = PublishedBase(spec=spec, city_ids=prep.city_ids, editions=prep.editions, scores=official.scores,
                         ranked=prep.ranked)                    # = published_base(indicators, scores), no pivot
    out.update(change_tables(result.indicators, result.scores, spec, base))
    lap("changes_seconds")
    for name in SIDE_TABLES:
        out[name] = inputs[name].reset_index(drop=True)
    check_absences(out["absences"], result.indicators, spec,
                   Path(inputs_dir or "data/inputs") / "tables" / "absences.csv")
    out["events"] = events_table(out, result.indicators)
    lap("events_seconds")
    out["freshness"] = freshness_table(result.indicators, inputs.get("source_releases"))
    out["release_diff"] = release_diff(result.scores, result.indicators, previous_dir or PREVIOUS_INDEX_DIR)
    out["quality"] = findings_frame(out["quality"].to_dict("records") + big_move_findings(out["release_diff"]))
    out["rank_uncertainty"], runs_done = pending()
    lap("uncertainty_wait_seconds")
    timings["uncertainty_seconds"] = runs_done - runs_started  # the runs' wall time, overlapping the stages above
    return out


def _input_hashes(inputs_dir: Path) -> dict[str, str]:
    return {str(p.relative_to(inputs_dir)): sha256_file(p) for p in sorted(inputs_dir.rglob("*.csv"))}


def _uncertainty_settings() -> dict:
    """What a reader needs to reproduce the rank bands (the run time is recorded apart: it is volatile)."""
    return {"runs": uncertainty.N_RUNS, "seed": uncertainty.SEED, "weight_noise": uncertainty.WEIGHT_NOISE,
            "normalisations": list(NORMALISATIONS), "aggregations": list(AGGREGATIONS),
            "imputations": list(IMPUTATIONS), "band": list(uncertainty.BAND)}


def _manifest(inputs_dir: Path, spec: Spec, tables: dict[str, pd.DataFrame], seconds: float,
              mc_seconds: float = 0.0) -> dict:
    scores = tables["scores"]
    idx = scores[scores["pillar"] == INDEX]
    ranked = idx[idx["rank"].notna()].groupby("edition").size()
    return {
        "name": "City Diplomacy Index",
        "methodology_version": spec.version,
        "package_version": __version__,
        "editions": spec.editions,
        "ranked_cities": {str(k): int(v) for k, v in ranked.items()},
        "reference_cities": int(len(tables["cities"])),
        "row_counts": {name: int(len(df)) for name, df in sorted(tables.items())},
        "input_hashes": _input_hashes(inputs_dir),
        "spec": spec.to_dict(),
        "built_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "build_seconds": round(seconds, 2),
        "uncertainty": _uncertainty_settings(),
        "uncertainty_seconds": round(mc_seconds, 2),
    }


def build(inputs_dir: Path, out_dir: Path, spec: Spec | None = None, timings: dict[str, float] | None = None,
          allow_shrink: bool = False) -> dict:
    """Validate inputs, compute the index, write every output atomically; returns the manifest. `timings` receives
    each stage's seconds (read_inputs, the build_tables stages, write). The release gate (cdi_core.release_gate)
    refuses an index that shrinks beyond its bounds against the one in `out_dir`, unless `allow_shrink`."""
    t0 = time.perf_counter()
    spec = spec or load_spec()
    assert spec.version == METHODOLOGY_VERSION or spec.source == "", "spec and package disagree on the version"
    timings = timings if timings is not None else {}
    inputs = read_inputs(inputs_dir, spec)
    timings["read_inputs_seconds"] = time.perf_counter() - t0
    tables = build_tables(inputs, spec, timings, inputs_dir)
    t_write = time.perf_counter()
    manifest = _manifest(Path(inputs_dir), spec, tables, time.perf_counter() - t0,
                         timings.get("uncertainty_seconds", 0.0))
    release_gate.check(out_dir, manifest, allow_shrink)

    def write(tmp: Path) -> None:
        outputs = {}
        for name, df in tables.items():
            path = tmp / f"{name}.parquet"
            df.to_parquet(path, index=False)
            outputs[path.name] = {"rows": int(len(df)), "sha256": sha256_file(path)}
        manifest["outputs"] = outputs
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")

    replace_dir_atomically(out_dir, write)
    timings["write_seconds"] = time.perf_counter() - t_write
    return manifest


def check(inputs_dir: Path, out_dir: Path, spec: Spec | None = None) -> list[str]:
    """Differences between the committed outputs and a fresh build (empty list = they match)."""
    spec = spec or load_spec()
    fresh = build_tables(read_inputs(inputs_dir, spec), spec, inputs_dir=inputs_dir)
    problems = []
    for name, df in fresh.items():
        path = Path(out_dir) / f"{name}.parquet"
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        try:
            committed = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any reader failure means the file is damaged
            problems.append(f"{path}: not a readable Parquet file ({type(exc).__name__})")
            continue
        try:
            pd.testing.assert_frame_equal(committed, df, check_exact=False, rtol=1e-9, atol=1e-9)
        except AssertionError as exc:
            problems.append(f"{path}: differs from a fresh build ({str(exc).splitlines()[0]})")
    mpath = Path(out_dir) / "manifest.json"
    if not mpath.is_file():
        problems.append(f"{mpath}: missing")
    else:
        committed = json.loads(mpath.read_text(encoding="utf-8"))
        expected = _manifest(Path(inputs_dir), spec, fresh, 0.0)
        for key in expected:
            if key not in VOLATILE_MANIFEST_KEYS and committed.get(key) != expected[key]:
                problems.append(f"{mpath}: '{key}' differs from a fresh build")
    return problems
