"""Memory after a 300-session burst closes, one server process, under allocator and session-TTL settings.

Why: burst.py found the one-process server 32 % above its pre-burst RSS 10 s after a 300-burst closed. This script
separates the candidates: closed sessions Streamlit keeps for a reconnect (`server.disconnectedSessionTTL`, 120 s)
and memory glibc's allocator keeps after Python frees it (many arenas from the script threads, no trim). Each
variant: a fresh server (the explorer's .streamlit/config.toml, so runner.postScriptGC = false), one warm-up session
on each page, RSS read; N sessions at once (half home, half /city?city=budapest, like burst.py); RSS sampled during
(peak), read 10 s after the last session closed and again after the TTL has passed (130 s), then once more after
one new session (Streamlit reaps expired sessions lazily) and 35 s after that (past one periodic collection).
Variants run one after the other on a shared machine; a name given twice runs twice ("name run 2").

    python benchmarks/memory_after_burst.py [--n 300] [--variants default,glibc_pymalloc,default,glibc_pymalloc]

"default" is the benchmark servers' default allocator environment, which is production's (st_client.PRODUCTION_ENV:
jemalloc, PYTHONMALLOC=malloc, pyarrow on malloc); "glibc_pymalloc" is the set-up before it.

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

from st_client import (
    JEMALLOC_LIB,
    PRODUCTION_ENV,
    REPO,
    burst,
    free_port,
    machine,
    one_session,
    pctl,
    server_env,
    servers_rss_mb,
    start_server,
    stop_server,
)

RESULTS = REPO / "benchmarks" / "results" / "memory_after_burst.json"
VISITS = [("", ""), ("", ""), ("city", "city=budapest"), ("city", "city=budapest")]
MALLOC = {"MALLOC_ARENA_MAX": "2", "MALLOC_TRIM_THRESHOLD_": "131072", "MALLOC_MMAP_THRESHOLD_": "131072"}
# the variants before jemalloc was the default name glibc malloc and pymalloc explicitly (None: key removed)
GLIBC = {k: None for k in PRODUCTION_ENV}
JEMALLOC = {"LD_PRELOAD": JEMALLOC_LIB, "MALLOC_CONF": PRODUCTION_ENV["MALLOC_CONF"]}
VARIANTS: dict[str, tuple[dict[str, str | None], list[str]]] = {
    # the benchmark servers' default = production's (st_client.PRODUCTION_ENV: jemalloc, PYTHONMALLOC=malloc,
    # ARROW_DEFAULT_MEMORY_POOL=system) since 2026-12-02 06:xx; in the older results files "default" is glibc_pymalloc
    "default": ({}, []),
    # the default before: glibc malloc, pymalloc, pyarrow's bundled mimalloc pool; periodic GC on (CDI_GC_SECONDS)
    "glibc_pymalloc": (GLIBC, []),
    "malloc": ({**GLIBC, **MALLOC}, []),
    "ttl10": (GLIBC, ["--server.disconnectedSessionTTL", "10"]),
    "malloc_ttl": ({**GLIBC, **MALLOC}, ["--server.disconnectedSessionTTL", "10"]),
    "gc_ttl": (GLIBC, ["--runner.postScriptGC", "true", "--server.disconnectedSessionTTL", "10"]),
    # explorer.perf.housekeeping's periodic collection (on by default since it was added; "default" in the oldest
    # committed results predates it, CDI_GC_SECONDS=0 reproduces that)
    "periodic_gc": ({**GLIBC, "CDI_GC_SECONDS": "30"}, []),
    "periodic_gc_off": ({**GLIBC, "CDI_GC_SECONDS": "0"}, []),
    "periodic_gc_malloc": ({**GLIBC, "CDI_GC_SECONDS": "30", **MALLOC}, []),
    # glibc malloc for every object instead of pymalloc's arenas, so malloc_trim can hand freed memory back
    "periodic_gc_sysmalloc": ({**GLIBC, "CDI_GC_SECONDS": "30", "PYTHONMALLOC": "malloc"}, []),
    # jemalloc instead of glibc malloc (Debian libjemalloc2), freed pages purged by its background thread after
    # MALLOC_CONF's decay times; with pymalloc (Python's small objects in 1 MiB arenas on top) or without it
    "jemalloc": ({**GLIBC, **JEMALLOC}, []),
    "jemalloc_sysmalloc": ({**GLIBC, **JEMALLOC, "PYTHONMALLOC": "malloc"}, []),
    "jemalloc_sysmalloc_ttl": ({**GLIBC, **JEMALLOC, "PYTHONMALLOC": "malloc"},
                               ["--server.disconnectedSessionTTL", "10"]),
    # ... and pyarrow's buffers from malloc (so jemalloc) too instead of its bundled mimalloc pool, which keeps the
    # pages of the script threads' heaps after those threads end (= the default now)
    "jemalloc_sysmalloc_arrowsys": ({**GLIBC, **JEMALLOC, "PYTHONMALLOC": "malloc",
                                     "ARROW_DEFAULT_MEMORY_POOL": "system"}, []),
    "jemalloc_sysmalloc_arrowsys_narenas2": ({**GLIBC, **JEMALLOC, "PYTHONMALLOC": "malloc",
                                              "MALLOC_CONF": JEMALLOC["MALLOC_CONF"] + ",narenas:2",
                                              "ARROW_DEFAULT_MEMORY_POOL": "system"}, []),
    "glibc_sysmalloc_arrowsys": ({**GLIBC, "PYTHONMALLOC": "malloc", "ARROW_DEFAULT_MEMORY_POOL": "system"}, []),
}


def run_variant(name: str, n: int, late: float, log_dir: Path, settle: float = 35.0) -> dict:
    env, flags = VARIANTS[name]
    port = free_port()
    with open(log_dir / f"mem_{name}.log", "w") as log:    # only the server gets the allocator settings
        proc = start_server(port, log, REPO, "app.py", flags, env)
    server_allocator = {k: server_env(env).get(k) for k in PRODUCTION_ENV}
    jemalloc_loaded = "libjemalloc" in Path(f"/proc/{proc.pid}/maps").read_text()
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

    return {"env": env, "server_allocator_env": server_allocator, "flags": flags, "jemalloc_loaded": jemalloc_loaded,
            "n": n, "errors": len(res["errors"]),
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
        for name in args.variants.split(","):          # a name given twice is run twice: "name run 2"
            key, i = name, 1
            while key in res["variants"]:
                i += 1
                key = f"{name} run {i}"
            load = [round(x, 2) for x in os.getloadavg()]
            res["variants"][key] = run_variant(name, args.n, args.late, Path(tmp), args.settle)
            res["variants"][key]["load_average_at_start"] = load
            res["variants"][key]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            print(key, json.dumps(res["variants"][key]), flush=True)
    res["load_average_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
