"""Benchmark: ingest and build time on the real data, and on synthetic data with 10x and 100x the cities (same
indicators, editions and missing-data pattern): compute_index alone, and the FULL build (`cdi_core.build.build`, the
same call as `python -m cdi_core build`: read and validate the CSV inputs, index, 1,000 Monte Carlo runs, audit with
its drop-one runs, what-changed tables, events, Parquet written) with each stage's seconds. Prints figures and
writes benchmarks/results/build_time.json. Ratios are taken within one run, because these machines are shared and
noisy.

    python benchmarks/build_time.py [--skip-ingest] [--factors 1,10,100] [--full-factors 10,100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cdi_core.build import build  # noqa: E402
from cdi_core.compute import compute_index  # noqa: E402
from cdi_core.ingest import collect  # noqa: E402
from cdi_core.paths import DEFAULT_RAW_DIR, INPUTS_DIR  # noqa: E402
from cdi_core.quality import usable_observations
from cdi_core.spec import load_spec  # noqa: E402
from cdi_core.validate import read_inputs  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "build_time.json"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def synthetic(obs: pd.DataFrame, cities: pd.DataFrame, factor: int, seed: int = 7):
    """`factor` copies of every city, values jittered by up to +-20 % (same years, statuses, gaps)."""
    rng = np.random.default_rng(seed)
    obs_parts, city_parts = [], []
    for k in range(factor):
        suffix = f"-x{k}" if k else ""
        o = obs.assign(city_id=obs["city_id"] + suffix)
        o["value"] = o["value"] * rng.uniform(0.8, 1.2, len(o)) if k else o["value"]
        obs_parts.append(o)
        city_parts.append(cities.assign(city_id=cities["city_id"] + suffix))
    return pd.concat(obs_parts, ignore_index=True), pd.concat(city_parts, ignore_index=True)


def write_inputs(obs: pd.DataFrame, cities: pd.DataFrame, factor: int, out: Path) -> None:
    """A synthetic inputs folder: `factor` copies of every city (cities.csv, observations.csv) beside the real
    sources and side tables (which refer to the real cities, all still present)."""
    o, c = synthetic(obs, cities, factor)
    shutil.copytree(INPUTS_DIR, out, ignore=shutil.ignore_patterns("observations.csv", "cities.csv", "unmatched.csv"))
    raw_cities = pd.read_csv(INPUTS_DIR / "cities.csv", dtype=str, keep_default_na=False)
    parts = [raw_cities.assign(city_id=raw_cities["city_id"] + (f"-x{k}" if k else "")) for k in range(factor)]
    pd.concat(parts, ignore_index=True).to_csv(out / "cities.csv", index=False)
    assert len(c) == len(parts) * len(raw_cities)
    o.to_csv(out / "observations.csv", index=False)


def full_build(obs: pd.DataFrame, cities: pd.DataFrame, factor: int) -> dict:
    """One full build of synthetic inputs at `factor` x the cities, with its stage times and peak memory."""
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        write_inputs(obs, cities, factor, Path(tmp) / "inputs")
        load = os.getloadavg()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        manifest = build(Path(tmp) / "inputs", Path(tmp) / "index", timings=timings)
        secs = time.perf_counter() - t0
    return {"load_average_at_start": load, "cities": manifest["reference_cities"],
            "observations": int(len(obs) * factor),
            "ranked_per_edition": manifest["ranked_cities"],
            "build_seconds": round(secs, 2), "stages_seconds": {k.removesuffix("_seconds"): round(v, 2)
                                                                for k, v in timings.items()},
            "peak_rss_mb_of_the_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            # the Monte Carlo's forked workers (the largest of them, over every build of this run)
            "peak_rss_mb_of_a_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            "load_average_at_end": os.getloadavg()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--factors", default="1,10,100", help="compute_index scaling factors")
    ap.add_argument("--full-factors", default="10,100", help="full-build scaling factors ('' to skip)")
    ap.add_argument("--repeat", type=int, default=5, help="real-data builds (median)")
    args = ap.parse_args()
    spec = load_spec()
    res: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()},
                 "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if not args.skip_ingest and (DEFAULT_RAW_DIR / "raw").is_dir():
        res["ingest_seconds"] = round(timed(lambda: collect(DEFAULT_RAW_DIR), 1)[0], 2)
    res["load_average_at_start"] = os.getloadavg()
    real_stages = []
    with tempfile.TemporaryDirectory() as tmp:
        def one() -> None:
            t: dict[str, float] = {}
            build(INPUTS_DIR, Path(tmp) / "index", timings=t)
            real_stages.append(t)
        times = timed(one, args.repeat)
    res[f"build_seconds_median_of_{args.repeat}"] = round(statistics.median(times), 3)
    res["build_seconds_all"] = [round(t, 2) for t in times]
    res["build_stages_seconds_median"] = {
        k.removesuffix("_seconds"): round(statistics.median(t[k] for t in real_stages), 2) for k in real_stages[0]}
    inputs = read_inputs(INPUTS_DIR, spec)
    obs, cities = usable_observations(inputs, spec, INPUTS_DIR), inputs["cities"]
    scaling = {}
    for factor in (int(f) for f in args.factors.split(",") if f):
        o, c = synthetic(obs, cities, factor)
        secs = statistics.median(timed(lambda o=o, c=c: compute_index(o, c, spec), 3 if factor < 100 else 1))
        scaling[str(factor)] = {"cities": len(c), "observations": len(o), "compute_seconds": round(secs, 3)}
    if "1" in scaling:
        base = scaling["1"]["compute_seconds"]
        for v in scaling.values():
            v["ratio_to_real"] = round(v["compute_seconds"] / base, 1)
    res["compute_index_scaling"] = scaling
    full = {}
    for factor in (int(f) for f in args.full_factors.split(",") if f):
        full[str(factor)] = full_build(obs, cities, factor)
        full[str(factor)]["ratio_to_real_build_median"] = round(
            full[str(factor)]["build_seconds"] / res[f"build_seconds_median_of_{args.repeat}"], 1)
        print(factor, json.dumps(full[str(factor)]), flush=True)
    res["full_build_scaling"] = full
    res["load_average_at_end"] = os.getloadavg()
    print(json.dumps(res, indent=2))
    RESULTS.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
