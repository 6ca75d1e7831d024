"""Benchmark: the Monte Carlo uncertainty analysis on the real data, the audit's drop-one runs, and one what-if
re-rank (median of many calls, as the ranking page's sliders do it). Prints figures and writes
benchmarks/results/uncertainty.json.

    python benchmarks/uncertainty.py [--runs 1000] [--calls 500]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cdi_core.audit import drop_one  # noqa: E402
from cdi_core.compute import finish_arrays, prepare  # noqa: E402
from cdi_core.paths import INDEX_DIR, INPUTS_DIR  # noqa: E402
from cdi_core.quality import usable_observations
from cdi_core.spec import load_spec  # noqa: E402
from cdi_core.uncertainty import SEED, rank_uncertainty  # noqa: E402
from cdi_core.validate import read_inputs  # noqa: E402
from cdi_core.whatif import published_base, rerank_base  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "uncertainty.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--calls", type=int, default=500)
    args = ap.parse_args()

    spec = load_spec()
    inputs = read_inputs(INPUTS_DIR, spec)
    t0 = time.perf_counter()
    obs = usable_observations(inputs, spec, INPUTS_DIR)
    prep = prepare(obs, inputs["cities"], spec)
    prepare_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    rank_uncertainty(prep, args.runs, SEED)
    mc_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    drop_one(obs, inputs["cities"], spec, finish_arrays(prep, spec), prep)
    drop_s = time.perf_counter() - t0

    indicators = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    scores = pd.read_parquet(INDEX_DIR / "scores.parquet")
    t0 = time.perf_counter()
    base = published_base(indicators, scores, spec)
    base_s = time.perf_counter() - t0
    weights = [{"relations": 40, "tourism": 20, "business": 20, "multiculturalism": 20},
               {"relations": 10, "tourism": 60, "business": 25, "multiculturalism": 5}]
    calls = []
    for k in range(args.calls):
        t0 = time.perf_counter()
        rerank_base(base, weights[k % 2])
        calls.append(time.perf_counter() - t0)

    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cities": len(prep.city_ids), "editions": len(prep.editions), "indicators": len(spec.indicators),
        "prepare_seconds": round(prepare_s, 3),
        "monte_carlo": {"runs": args.runs, "seed": SEED, "seconds": round(mc_s, 3),
                        "ms_per_run": round(1000 * mc_s / args.runs, 2)},
        "drop_one_seconds": round(drop_s, 3),
        "whatif": {"base_seconds": round(base_s, 4), "calls": args.calls,
                   "rerank_ms_median": round(1000 * statistics.median(calls), 3),
                   "rerank_ms_p95": round(1000 * sorted(calls)[int(0.95 * len(calls))], 3)},
    }
    print(f"Monte Carlo, {args.runs} runs on {len(prep.city_ids)} cities x {len(prep.editions)} editions: "
          f"{mc_s:.2f} s ({result['monte_carlo']['ms_per_run']} ms per run; prepare {prepare_s:.2f} s once)")
    print(f"audit drop-one ({len(spec.indicators)} compute_index runs): {drop_s:.2f} s")
    print(f"what-if re-rank: median {result['whatif']['rerank_ms_median']} ms, "
          f"p95 {result['whatif']['rerank_ms_p95']} ms over {args.calls} calls "
          f"(one-off reshape of the published tables {1000 * base_s:.1f} ms)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"-> {RESULTS}")


if __name__ == "__main__":
    main()
