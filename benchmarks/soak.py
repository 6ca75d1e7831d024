"""Soak test: Streamlit sessions opening and closing against one server for a fixed time; errors and memory.

One `streamlit run app.py` server on a free loopback port. Client sessions speak Streamlit's own websocket protocol
(`/_stcore/stream`, subprotocol "streamlit", protobuf BackMsg/ForwardMsg): each session connects, asks for one page
(cycling home, ranking, compare, city, map, pact, methodology, with and without query parameters), reads messages
until the script run finishes, counts exception elements, and closes. A few sessions run at once. The server's RSS
(/proc/<pid>/status) is sampled every few seconds. Loopback only; the loop is bounded by --seconds.

    python benchmarks/soak.py                 # 10 minutes, 4 concurrent sessions
    python benchmarks/soak.py --seconds 60    # a short check

Writes benchmarks/results/soak.json and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from st_client import REPO, free_port, one_session, rss_mb, start_server, stop_server

RESULTS = REPO / "benchmarks" / "results" / "soak.json"
# (page url_path, query string): the pages and a few deep links, including a bad one
VISITS = [
    ("", ""), ("ranking", ""), ("ranking", "edition=2021&region=europe"), ("compare", ""),
    ("compare", "cities=budapest,vienna,prague"), ("city", "city=budapest"), ("city", "city=%3Cscript%3E"),
    ("map", ""), ("pact", ""), ("methodology", ""),
]


async def soak(port: int, pid: int, seconds: float, concurrency: int, sample_every: float) -> dict:
    t_start = time.perf_counter()
    end = t_start + seconds
    samples: list[tuple[float, float]] = [(0.0, rss_mb(pid))]
    sessions: list[dict] = []
    errors: list[str] = []
    counter = 0

    async def worker(w: int) -> None:
        nonlocal counter
        while time.perf_counter() < end:
            page, query = VISITS[counter % len(VISITS)]
            counter += 1
            try:
                r = await one_session(port, page, query)
                r["page"] = page or "home"
                sessions.append(r)
                if r["exceptions"] or not r["finished"]:
                    errors.append(f"{page or 'home'}?{query}: exceptions={r['exceptions']} finished={r['finished']}")
            except Exception as exc:  # noqa: BLE001 - every failure is a finding to record
                errors.append(f"{page or 'home'}?{query}: {type(exc).__name__}: {exc}")

    async def sampler() -> None:
        while time.perf_counter() < end:
            await asyncio.sleep(sample_every)
            samples.append((round(time.perf_counter() - t_start, 1), rss_mb(pid)))

    await asyncio.gather(sampler(), *(worker(w) for w in range(concurrency)))
    await asyncio.sleep(5)  # let the server drop closed sessions
    samples.append((round(time.perf_counter() - t_start, 1), rss_mb(pid)))
    return {"samples": samples, "sessions": sessions, "errors": errors}


def summarise(res: dict, seconds: float, concurrency: int) -> dict:
    rss = [m for _, m in res["samples"]]
    durations = [s["seconds"] for s in res["sessions"]]
    n = len(rss)
    # growth: mean RSS of the last fifth minus the mean of the first fifth after warm-up (skip the first sample)
    head = rss[1:max(2, n // 5 + 1)]
    tail = rss[-max(1, n // 5):]
    per_page: dict[str, list[float]] = {}
    for s in res["sessions"]:
        per_page.setdefault(s["page"], []).append(s["seconds"])
    return {
        "seconds": seconds,
        "concurrency": concurrency,
        "sessions": len(res["sessions"]),
        "sessions_per_minute": round(len(res["sessions"]) / (seconds / 60), 1),
        "errors": len(res["errors"]),
        "error_examples": res["errors"][:10],
        "session_seconds": {"median": round(statistics.median(durations), 2) if durations else None,
                            "p95": round(sorted(durations)[int(0.95 * (len(durations) - 1))], 2) if durations else None,
                            "max": round(max(durations), 2) if durations else None},
        "session_median_seconds_by_page": {k: round(statistics.median(v), 2) for k, v in sorted(per_page.items())},
        "rss_mb": {"start": round(rss[0], 1), "after_first_sample": round(rss[1], 1) if n > 1 else None,
                   "peak": round(max(rss), 1), "end": round(rss[-1], 1),
                   "growth_first_to_last_fifth": round(statistics.mean(tail) - statistics.mean(head), 1)},
        "rss_samples": [[t, round(m, 1)] for t, m in res["samples"]],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--sample-every", type=float, default=5.0)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--repo", type=Path, default=REPO,
                    help="the checkout to serve (e.g. a frozen copy while the working tree is being edited)")
    ap.add_argument("--log", type=Path, default=Path(tempfile.gettempdir()) / "cdi-soak-server.log")
    args = ap.parse_args()
    port = free_port()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.log, "w") as log:
        proc = start_server(port, log, args.repo)
        try:
            res = asyncio.run(soak(port, proc.pid, args.seconds, args.concurrency, args.sample_every))
        finally:
            stop_server(proc)
    summary = summarise(res, args.seconds, args.concurrency)
    summary["client"] = "Streamlit websocket protocol (websockets + BackMsg/ForwardMsg protobufs)"
    summary["server_log"] = str(args.log)
    summary["machine"] = {"python": platform.python_version(), "cpus": __import__("os").cpu_count()}
    # the server's runner settings (e.g. postScriptGC), from the config the server ran with
    summary["server_runner_config"] = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text()).get("runner", {})
    args.out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    r = summary["rss_mb"]
    print(f"soak: {summary['sessions']} sessions in {args.seconds:.0f} s ({summary['concurrency']} at a time), "
          f"{summary['errors']} errors; session median {summary['session_seconds']['median']} s, "
          f"p95 {summary['session_seconds']['p95']} s; server RSS start {r['start']} MB, peak {r['peak']} MB, "
          f"end {r['end']} MB, growth (last vs first fifth) {r['growth_first_to_last_fifth']} MB -> {args.out}")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
