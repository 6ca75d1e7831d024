"""A/B of pages between two revisions: old and new explorer servers and the bare page, bursts alternating in one run.

Why: pages.py's ratios move from run to run by more than a change is worth (benchmarks/README.md), so a change is
judged here against the revision before it, in the same run, on the same machine, under the same load. The old
revision is exported with `git archive` into a temporary directory (its committed data/index included); the new one
is the working tree. Each round runs bare, old, bare, new, bare for every page; a page's ratio to bare is its burst
wall time over the mean of the bare bursts around it; medians over rounds. Server CPU a session from /proc.

    python benchmarks/ab_pages.py --old HEAD~3                          # every page, 3 rounds of 50-bursts
    python benchmarks/ab_pages.py --old c2486c9 --pages city methodology --rounds 5

Writes benchmarks/results/ab_pages.json (--out) and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from st_client import (
    REPO,
    bare_neighbours,
    burst_with_cpu,
    free_port,
    machine,
    one_session,
    start_server,
    stop_server,
    write_results,
)

from pages import BARE_APP, PAGES, TARGET_RATIO, bare_dir

RESULTS = REPO / "benchmarks" / "results" / "ab_pages.json"


def export(rev: str, into: Path) -> str:
    """The tree of `rev` in `into`; returns the commit it resolved to."""
    commit = subprocess.run(["git", "rev-parse", rev], cwd=REPO, check=True, capture_output=True, text=True)
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit.stdout.strip()], cwd=REPO, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return commit.stdout.strip()


async def rounds(servers: dict[str, tuple[int, int]], n: int, n_rounds: int, pages: list) -> list[dict]:
    """bare, old, bare, new, bare for each page and round; one record per burst."""
    runs = []

    async def one(kind: str, label: str, page: str, query: str, r: int) -> None:
        port, _ = servers[kind]
        res = await burst_with_cpu(port, n, page, query, (pid for _, pid in servers.values()))
        cpu = res["server_cpu_ms_per_session"]
        runs.append({"round": r, "kind": kind, "page": label, "wall_seconds": res["wall_seconds"],
                     "errors": res["errors"], "server_cpu_ms_per_session": cpu})
        print(f"  round {r} {kind:4s} {label:20s} wall {res['wall_seconds']:6.2f} s  cpu/session "
              f"{cpu:5.1f} ms  errors {len(res['errors'])}", flush=True)
        await asyncio.sleep(0.5)

    for r in range(n_rounds):
        for label, page, query in pages:
            await one("bare", "bare", "", "", r)
            await one("old", label, page, query, r)
            await one("bare", "bare", "", "", r)
            await one("new", label, page, query, r)
        await one("bare", "bare", "", "", r)
    return runs


def summarise(runs: list[dict]) -> dict:
    """Per page and side: median ratio to bare, median CPU a session, errors; and new / old."""
    out: dict = {}
    for rec, bare in bare_neighbours(runs):
        side = out.setdefault(rec["page"], {}).setdefault(rec["kind"], {"ratio": [], "cpu": [], "errors": 0})
        side["ratio"].append(round(rec["wall_seconds"] / bare, 2))
        side["cpu"].append(round(rec["server_cpu_ms_per_session"], 2))
        side["errors"] += len(rec["errors"])
    pages = {}
    for label, sides in out.items():
        p = {kind: {"ratio_by_round": s["ratio"], "ratio_median": round(statistics.median(s["ratio"]), 2),
                    "server_cpu_ms_per_session_median": round(statistics.median(s["cpu"]), 2), "errors": s["errors"]}
             for kind, s in sides.items()}
        p["new_over_old"] = round(p["new"]["ratio_median"] / p["old"]["ratio_median"], 2)
        pages[label] = p
    bare_cpu = [r["server_cpu_ms_per_session"] for r in runs if r["kind"] == "bare"]
    return {"pages": pages, "bare": {"server_cpu_ms_per_session_median": round(statistics.median(bare_cpu), 2),
                                     "errors": sum(len(r["errors"]) for r in runs if r["kind"] == "bare")}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="the revision to compare the working tree with")
    ap.add_argument("--n", type=int, default=50, help="sessions per burst")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pages", nargs="+", choices=[label.split("?")[0] for label, *_ in PAGES], metavar="PAGE")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args()
    pages = [p for p in PAGES if not args.pages or p[0].split("?")[0] in args.pages]
    t_run = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_commit = export(args.old, tmp / "old")
        new_commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True,
                                    text=True).stdout.strip()
        res: dict = {"machine": machine(), "settings": {"n": args.n, "rounds": args.rounds, "old": old_commit,
                                                        "new": f"working tree at {new_commit}", "bare_app": BARE_APP,
                                                        "pages": [label for label, *_ in pages]}}
        repos = {"bare": (bare_dir(tmp / "bare"), "bare_app.py"), "old": (tmp / "old", "app.py"),
                 "new": (REPO, "app.py")}
        servers, procs = {}, []
        try:
            for kind, (repo, script) in repos.items():
                port = free_port()
                with open(tmp / f"{kind}.log", "w") as log:  # the child keeps its own descriptor
                    proc = start_server(port, log, repo, script)
                procs.append(proc)
                servers[kind] = (port, proc.pid)
            for kind in ("old", "new"):  # warm every page on both
                for _, page, query in pages:
                    asyncio.run(one_session(servers[kind][0], page, query))
            asyncio.run(one_session(servers["bare"][0], "", ""))
            runs = asyncio.run(rounds(servers, args.n, args.rounds, pages))
        finally:
            for p in procs:
                stop_server(p)
    res.update(summarise(runs))
    res["run_seconds"] = round(time.perf_counter() - t_run, 1)
    res["note"] = ("ratio = burst wall / mean of the bare bursts around it, median over rounds; new_over_old = the "
                   f"ratio of the two medians. Page target <= {TARGET_RATIO}.")
    write_results(args.out, res)
    print(f"{args.n}-session bursts, {args.rounds} round(s); old {old_commit[:9]}, new {new_commit}; bare CPU a "
          f"session {res['bare']['server_cpu_ms_per_session_median']} ms")
    for label, p in res["pages"].items():
        print(f"{label:20s} old {p['old']['ratio_median']:5.2f} ({p['old']['server_cpu_ms_per_session_median']:5.1f} "
              f"ms)  new {p['new']['ratio_median']:5.2f} ({p['new']['server_cpu_ms_per_session_median']:5.1f} ms)  "
              f"new/old {p['new_over_old']}  errors {p['old']['errors']}/{p['new']['errors']}")
    print(f"-> {args.out} ({res['run_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
