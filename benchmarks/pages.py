"""Page benchmark: a burst of 50 simultaneous sessions on each explorer page, as a ratio to a bare Streamlit page.

Two servers run side by side with identical flags and the same .streamlit/config.toml: the explorer (app.py) and a
bare one-line page (written to a temp dir together with a copy of the config). For every page the script opens a
burst of --n websocket sessions at once (Streamlit's own protocol, see st_client.py) and times each until its script
run finished. Bursts alternate bare, page, bare, page, ..., bare; a page's ratio is its burst wall time over the
mean of the bare bursts just before and after it, and the reported ratio is the median over --rounds rounds. The
machine is shared, so only these in-run ratios mean anything; absolute seconds are for orientation.

Also the server's cold start: from process start to the home page's first script run finished (and the same for
the bare page).

    python benchmarks/pages.py            # 3 rounds of 50-bursts, 10-15 minutes on a shared 2-core machine
    python benchmarks/pages.py --quick    # 1 round of 10-bursts, a short check
    python benchmarks/pages.py --pages home pact methodology   # a subset (labels as in PAGES), still vs bare
    python benchmarks/pages.py --lang hu --out benchmarks/results/pages_hu.json   # every page in Hungarian

Writes benchmarks/results/pages.json (--out) and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from st_client import (
    REPO,
    bare_neighbours,
    burst,
    free_port,
    launch_server,
    machine,
    one_session,
    pctl,
    stop_server,
    wait_healthy,
    write_results,
)

RESULTS = REPO / "benchmarks" / "results" / "pages.json"
# (label, page url_path, query string); "" is the default page (home), see app.py
PAGES = [("home", "", ""), ("ranking", "ranking", ""), ("compare", "compare", ""),
         ("city?city=budapest", "city", "city=budapest"), ("changes", "changes", ""), ("map", "map", ""),
         ("pact", "pact", ""), ("methodology", "methodology", "")]
BARE_APP = 'import streamlit as st\n\nst.write("Hello")\n'
TARGET_RATIO = 1.5


def bare_dir(tmp: Path) -> Path:
    """A directory holding the one-line page and a copy of the explorer's config, so both servers share settings."""
    (tmp / ".streamlit").mkdir(parents=True)
    shutil.copy(REPO / ".streamlit" / "config.toml", tmp / ".streamlit" / "config.toml")
    (tmp / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
    return tmp


def cold_start(port: int, log, repo: Path, script: str) -> tuple:
    """Start a server; seconds to healthy and to the default page's first script run finished."""
    t0 = time.perf_counter()
    proc = launch_server(port, log, repo, script)
    wait_healthy(port, proc)
    healthy = time.perf_counter() - t0
    first = asyncio.run(one_session(port, "", "", t0=t0))
    if first["exceptions"] or not first["finished"]:
        raise SystemExit(f"{script}: the first run failed: {first}")
    return proc, {"to_healthy_seconds": round(healthy, 2), "to_first_run_finished_seconds": round(first["seconds"], 2)}


async def rounds(app_port: int, bare_port: int, n: int, n_rounds: int, timeout: float, pause: float,
                 pages: list[tuple[str, str, str]] = PAGES) -> list[dict]:
    """Alternate bare and page bursts; returns one record per burst in the order run."""
    runs = []

    async def one(kind: str, label: str, page: str, query: str, r: int) -> None:
        res = await burst(bare_port if kind == "bare" else app_port, n, page, query, timeout)
        runs.append({"round": r, "kind": kind, "page": label, **res})
        print(f"  round {r} {label:20s} wall {res['wall_seconds']:6.2f} s  errors {len(res['errors'])}", flush=True)
        await asyncio.sleep(pause)

    for r in range(n_rounds):
        for label, page, query in pages:
            await one("bare", "bare", "", "", r)
            await one("page", label, page, query, r)
        await one("bare", "bare", "", "", r)
    return runs


def summarise(runs: list[dict], n: int) -> dict:
    """Per page: pooled session percentiles, errors, wall times and the median over rounds of the bare ratio."""
    out: dict = {}
    for rec, bare in bare_neighbours(runs):
        p = out.setdefault(rec["page"], {"seconds": [], "errors": [], "wall": [], "bare_wall": [], "ratio": [],
                                         "client_cpu": []})
        p["seconds"] += rec["seconds"]
        p["errors"] += rec["errors"]
        p["wall"].append(round(rec["wall_seconds"], 2))
        p["bare_wall"].append(round(bare, 2))
        p["ratio"].append(round(rec["wall_seconds"] / bare, 2))
        p["client_cpu"].append(round(rec["client_cpu_seconds"], 2))
    bare_runs = [r for r in runs if r["kind"] == "bare"]
    pages = {}
    for label, p in out.items():
        ratio = statistics.median(p["ratio"])
        pages[label] = {"sessions": len(p["seconds"]) + len(p["errors"]), "errors": len(p["errors"]),
                        "error_examples": p["errors"][:5], "session_seconds": pctl(p["seconds"]),
                        "burst_wall_seconds_by_round": p["wall"], "bare_burst_wall_seconds_by_round": p["bare_wall"],
                        "ratio_by_round": p["ratio"], "ratio_median": round(ratio, 2),
                        "client_cpu_seconds_by_round": p["client_cpu"],
                        "target_ratio_met": ratio <= TARGET_RATIO and not p["errors"]}
    bare_seconds = [s for r in bare_runs for s in r["seconds"]]
    return {"burst_size": n, "pages": pages,
            "bare": {"bursts": len(bare_runs), "errors": sum(len(r["errors"]) for r in bare_runs),
                     "session_seconds": pctl(bare_seconds),
                     "burst_wall_seconds": [round(r["wall_seconds"], 2) for r in bare_runs]}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 round of 10-session bursts")
    ap.add_argument("--n", type=int, default=50, help="sessions per burst")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a session may take before it is an error")
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between bursts")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--log-dir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--lang", choices=["hu", "cs", "sk", "pl", "de"], help="open every page in this language")
    ap.add_argument("--pages", nargs="+", choices=[label for label, *_ in PAGES], metavar="PAGE",
                    help="run only these pages (labels: " + ", ".join(label for label, *_ in PAGES) + ")")
    args = ap.parse_args()
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages]
    if args.lang:  # the same pages in another language: ?lang= added to each query (labels too)
        pages = [(f"{label}{'&' if '?' in label else '?'}lang={args.lang}", page, f"{q}&lang={args.lang}" if q
                  else f"lang={args.lang}") for label, page, q in pages]
    if args.quick:
        args.n, args.rounds = 10, 1
    t_run = time.perf_counter()
    res: dict = {"machine": machine(), "settings": {"n": args.n, "rounds": args.rounds, "timeout": args.timeout,
                                                    "quick": args.quick, "lang": args.lang or "en",
                                                    "bare_app": BARE_APP, "pages": [label for label, *_ in pages]}}
    with tempfile.TemporaryDirectory() as tmp, open(args.log_dir / "cdi-pages-bare.log", "w") as bare_log, \
            open(args.log_dir / "cdi-pages-app.log", "w") as app_log:
        bare_repo = bare_dir(Path(tmp))
        bare_port, app_port = free_port(), free_port()
        procs = []
        try:
            # cold starts one after the other, so neither competes with the other for the CPU
            bare_proc, res["cold_start_bare"] = cold_start(bare_port, bare_log, bare_repo, "bare_app.py")
            procs.append(bare_proc)
            app_proc, res["cold_start_home"] = cold_start(app_port, app_log, REPO, "app.py")
            procs.append(app_proc)
            print(f"cold start: home {res['cold_start_home']}, bare {res['cold_start_bare']}", flush=True)
            for _, page, query in pages:  # warm the caches: the bursts measure a warm server
                asyncio.run(one_session(app_port, page, query))
            runs = asyncio.run(rounds(app_port, bare_port, args.n, args.rounds, args.timeout, args.pause,
                                      pages))
        finally:
            for p in procs:
                stop_server(p)
    res.update(summarise(runs, args.n))
    res["run_seconds"] = round(time.perf_counter() - t_run, 1)
    res["note"] = ("ratio = page burst wall time / mean of the bare bursts just before and after, median over rounds; "
                   f"target <= {TARGET_RATIO}. The machine is shared, so only in-run ratios are meaningful.")
    write_results(args.out, res)
    print(f"{args.n}-session bursts, {args.rounds} round(s); cold start to first home run "
          f"{res['cold_start_home']['to_first_run_finished_seconds']} s (bare "
          f"{res['cold_start_bare']['to_first_run_finished_seconds']} s)")
    print(f"bare page: sessions p50/p95/max {res['bare']['session_seconds']}, errors {res['bare']['errors']}")
    for label, p in res["pages"].items():
        s = p["session_seconds"]
        print(f"{label:20s} p50 {s['p50']} s  p95 {s['p95']} s  max {s['max']} s  errors {p['errors']}  "
              f"ratio to bare {p['ratio_median']} ({'met' if p['target_ratio_met'] else 'NOT met'})")
    print(f"-> {args.out} ({res['run_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
