"""Benchmark: ingest and build time on the real data, and the index computation on synthetic data with 10x and
100x the cities (same indicators, editions and missing-data pattern). Prints figures and writes
benchmarks/results/build_time.json. Ratios are taken within one run, because these machines are shared and noisy.

    python benchmarks/build_time.py [--skip-ingest]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    spec = load_spec()
    res: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()},
                 "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if not args.skip_ingest and (DEFAULT_RAW_DIR / "raw").is_dir():
        res["ingest_seconds"] = round(timed(lambda: collect(DEFAULT_RAW_DIR), 1)[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        res["build_seconds_median_of_5"] = round(statistics.median(
            timed(lambda: build(INPUTS_DIR, Path(tmp) / "index"), 5)), 3)
    inputs = read_inputs(INPUTS_DIR, spec)
    obs, cities = inputs["observations"], inputs["cities"]
    scaling = {}
    for factor in (1, 10, 100):
        o, c = synthetic(obs, cities, factor)
        secs = statistics.median(timed(lambda o=o, c=c: compute_index(o, c, spec), 3 if factor < 100 else 1))
        scaling[str(factor)] = {"cities": len(c), "observations": len(o), "compute_seconds": round(secs, 3)}
    base = scaling["1"]["compute_seconds"]
    for v in scaling.values():
        v["ratio_to_real"] = round(v["compute_seconds"] / base, 1)
    res["compute_index_scaling"] = scaling
    print(json.dumps(res, indent=2))
    RESULTS.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
