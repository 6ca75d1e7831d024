"""Memory after a 300-session burst closes, one server process, under allocator and session-TTL settings.

Why: burst.py found the one-process server 32 % above its pre-burst RSS 10 s after a 300-burst closed. This script
separates the candidates: closed sessions Streamlit keeps for a reconnect (`server.disconnectedSessionTTL`, 120 s)
and memory glibc's allocator keeps after Python frees it (many arenas from the script threads, no trim). Each
variant: a fresh server (the explorer's .streamlit/config.toml, so runner.postScriptGC = false), one warm-up session
on each page, RSS read; N sessions at once (half home, half /city?city=budapest, like burst.py); RSS sampled during
(peak), read 10 s after the last session closed and again after the TTL has passed (130 s), then once more after
one new session (Streamlit reaps expired sessions lazily). Variants run one after the other on a shared machine.

    python benchmarks/memory_after_burst.py [--n 300] [--variants default,malloc,malloc_ttl,gc_ttl]

Writes benchmarks/results/memory_after_burst.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from st_client import REPO, burst, free_port, machine, one_session, pctl, servers_rss_mb, start_server, stop_server

RESULTS = REPO / "benchmarks" / "results" / "memory_after_burst.json"
VISITS = [("", ""), ("", ""), ("city", "city=budapest"), ("city", "city=budapest")]
MALLOC = {"MALLOC_ARENA_MAX": "2", "MALLOC_TRIM_THRESHOLD_": "131072", "MALLOC_MMAP_THRESHOLD_": "131072"}
VARIANTS = {
    "default": ({}, []),
    "malloc": (MALLOC, []),
    "ttl10": ({}, ["--server.disconnectedSessionTTL", "10"]),
    "malloc_ttl": (MALLOC, ["--server.disconnectedSessionTTL", "10"]),
    "gc_ttl": ({}, ["--runner.postScriptGC", "true", "--server.disconnectedSessionTTL", "10"]),
    # explorer.housekeeping's periodic collection (on by default since it was added; "default" above predates it
    # in the committed results, set CDI_GC_SECONDS=0 to reproduce that)
    "periodic_gc": ({"CDI_GC_SECONDS": "30"}, []),
    "periodic_gc_off": ({"CDI_GC_SECONDS": "0"}, []),
    "periodic_gc_malloc": ({"CDI_GC_SECONDS": "30", **MALLOC}, []),
    # glibc malloc for every object instead of pymalloc's arenas, so malloc_trim can hand freed memory back
    "periodic_gc_sysmalloc": ({"CDI_GC_SECONDS": "30", "PYTHONMALLOC": "malloc"}, []),
}


def run_variant(name: str, n: int, late: float, log_dir: Path, settle: float = 35.0) -> dict:
    env, flags = VARIANTS[name]
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    port = free_port()
    with open(log_dir / f"mem_{name}.log", "w") as log:
        proc = start_server(port, log, REPO, "app.py", flags)
    for k, v in saved.items():                          # only the server gets the allocator settings
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        for page, query in VISITS[1:3]:
            asyncio.run(one_session(port, page, query))
        time.sleep(2)
        before = servers_rss_mb([proc.pid])
        peak, stop = [before], threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak.append(servers_rss_mb([proc.pid]))
                time.sleep(0.25)

        t = threading.Thread(target=sample, daemon=True)
        t.start()
        res = asyncio.run(burst(port, n, "", "", visits=VISITS))
        stop.set()
        t.join()
        time.sleep(10)
        after10 = servers_rss_mb([proc.pid])
        time.sleep(max(0.0, late - 10))
        after_late = servers_rss_mb([proc.pid])
        asyncio.run(one_session(port, "", ""))
        time.sleep(2)
        after_new = servers_rss_mb([proc.pid])
        time.sleep(settle)  # past one periodic collection (CDI_GC_SECONDS, 30) after the reaped sessions
        after_settle = servers_rss_mb([proc.pid])
    finally:
        stop_server(proc)

    def rel(x: float) -> float:
        return round(100 * (x - before) / before, 1)

    return {"env": env, "flags": flags, "n": n, "errors": len(res["errors"]),
            "wall_seconds": round(res["wall_seconds"], 1),
            "sessions": pctl(res["seconds"]), "rss_mb": {
                "before": round(before, 1), "peak": round(max(peak), 1), "after_10s": round(after10, 1),
                f"after_{int(late)}s": round(after_late, 1), "after_one_more_session": round(after_new, 1),
                f"after_one_more_session_{int(settle)}s": round(after_settle, 1)},
            "vs_before_pct": {"after_10s": rel(after10), f"after_{int(late)}s": rel(after_late),
                              "after_one_more_session": rel(after_new),
                              f"after_one_more_session_{int(settle)}s": rel(after_settle)}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--late", type=float, default=130.0, help="seconds after the burst for the late reading")
    ap.add_argument("--variants", default="default,malloc,malloc_ttl")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--merge", action="store_true", help="add the variants to an existing results file")
    ap.add_argument("--settle", type=float, default=35.0,
                    help="seconds after the one more session for the last reading (one periodic collection)")
    args = ap.parse_args()
    if args.out.is_file() and args.merge:
        res = json.loads(args.out.read_text())
        res["variants_added"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    else:
        res = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "load_average_at_start": os.getloadavg(), "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.variants.split(","):
            res["variants"][name] = run_variant(name, args.n, args.late, Path(tmp), args.settle)
            print(name, json.dumps(res["variants"][name]), flush=True)
    res["load_average_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
