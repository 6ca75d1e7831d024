"""What a one-process server still holds after a 300-session burst closed: Python objects alive, or freed memory the
allocator keeps. A benchmark-only tool; nothing here is imported by the app.

    python benchmarks/memory_diagnose.py [--n 300] [--tracemalloc 1] [--env KEY=VALUE ...] [--flag ...]

It starts the explorer (like memory_after_burst.py: warm-up on each page, then N sessions at once, half home, half
/city?city=budapest) through this same file in `serve` mode, which runs `streamlit run` in-process plus a daemon
thread that answers probe requests written to a directory. A probe reads, in the server: RSS; glibc's mallinfo2
(heap bytes in use / free); pymalloc's arenas (sys._debugmallocstats); gc-tracked objects by type before and after
one gc.collect(); Streamlit's session manager (active sessions, sessions kept for a reconnect), media files,
dataframe sources, st.cache_data / st.cache_resource sizes; and, with --tracemalloc N, the bytes traced by Python's
allocator and a snapshot. Probes: before the burst, 10 s and 130 s after it, after one more session + 2 s, and 35 s
later. The report (stdout and benchmarks/results/memory_diagnose.json) compares each probe with the first.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import ctypes
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import weakref
from pathlib import Path

HERE = Path(__file__).resolve().parent


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _mallinfo() -> dict | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        f = libc.mallinfo2
    except (OSError, AttributeError):
        return None
    f.restype = _Mallinfo2
    m = f()
    return {"heap_mb": round(m.arena / 2**20, 1), "mmapped_mb": round(m.hblkhd / 2**20, 1),
            "in_use_mb": round(m.uordblks / 2**20, 1), "free_in_heap_mb": round(m.fordblks / 2**20, 1),
            "releasable_top_mb": round(m.keepcost / 2**20, 1)}


def _jemalloc() -> dict | None:
    """jemalloc's own counters (bytes the program holds / pages resident / kept mapped) when it is preloaded."""
    try:
        mallctl = ctypes.CDLL(None).mallctl
    except AttributeError:
        return None
    epoch = ctypes.c_uint64(1)
    mallctl(b"epoch", None, None, ctypes.byref(epoch), ctypes.c_size_t(8))
    out = {}
    for key in ("allocated", "active", "resident", "retained", "metadata"):
        v, n = ctypes.c_size_t(0), ctypes.c_size_t(ctypes.sizeof(ctypes.c_size_t))
        if mallctl(f"stats.{key}".encode(), ctypes.byref(v), ctypes.byref(n), None, ctypes.c_size_t(0)) == 0:
            out[f"{key}_mb"] = round(v.value / 2**20, 1)
    return out


def _smaps() -> dict:
    """Resident MB by kind of mapping: [heap], anonymous mmaps, thread stacks, each file (the largest)."""
    rss: collections.Counter = collections.Counter()
    name = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if not parts[0].endswith(":") or parts[0] == "VmFlags:":
            if not parts[0].endswith(":"):
                name = parts[5] if len(parts) > 5 else "[anon]"
                if name.startswith("/"):
                    name = "file " + name.rsplit("/", 1)[-1]
            continue
        if parts[0] == "Rss:":
            rss[name] += int(parts[1])
    files = sum(v for k, v in rss.items() if k.startswith("file "))
    out = {k: round(v / 1024, 1) for k, v in rss.most_common() if not k.startswith("file ")}
    out["all files"] = round(files / 1024, 1)
    out.update({k: round(v / 1024, 1) for k, v in [kv for kv in rss.most_common() if kv[0].startswith("file ")][:6]})
    return out


def _pymalloc() -> dict:
    """pymalloc's arenas (256 KiB each) from sys._debugmallocstats, which prints to the C stderr."""
    with tempfile.TemporaryFile("w+") as tmp:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(tmp.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read()
    out = {}
    for key, pat in {"arenas_now": r"# arenas allocated current\s*=\s*([\d,]+)",
                     "arenas_highwater": r"# arenas highwater mark\s*=\s*([\d,]+)",
                     "allocated_blocks_mb": r"# bytes in allocated blocks\s*=\s*([\d,]+)",
                     "free_blocks_mb": r"# bytes in available blocks\s*=\s*([\d,]+)",
                     "unused_pools_mb": r"\d+ unused pools \* \d+ bytes\s*=\s*([\d,]+)",
                     "arena_total_mb": r"Total\s*=\s*([\d,]+)"}.items():
        m = re.search(pat, text)
        if m:
            v = int(m.group(1).replace(",", ""))
            out[key] = v if key.startswith("arenas") else round(v / 2**20, 1)
    return out


def _streamlit_state() -> dict:
    out: dict = {}
    with contextlib.suppress(Exception):
        from streamlit.runtime import Runtime

        rt = Runtime.instance()
        sm = rt._session_mgr
        out["active_sessions"] = len(sm._active_session_info_by_id)
        out["stored_sessions"] = len(sm._session_storage._cache)
        out["session_connect_times"] = len(sm._session_connect_times)
        mm = rt._media_file_mgr
        out["media_files"] = len(mm._file_metadata)
        out["media_sessions"] = len(mm._files_by_session_and_coord)
        out["media_deferred"] = len(mm._deferred_callables)
        with contextlib.suppress(Exception):
            out["media_mb"] = round(sum(len(f.content) for f in mm._storage._files_by_id.values()) / 2**20, 2)
        ds = rt._dataframe_source_mgr
        out["dataframe_sources"] = len(ds._sources)
        out["dataframe_source_sessions"] = len(ds._sources_by_session_and_coord)
        caches = collections.Counter()
        for family in rt.stats_mgr.get_stats().values():
            for s in family:
                with contextlib.suppress(Exception):
                    caches[s.category_name] += s.byte_length
        out["cache_mb"] = {k: round(v / 2**20, 2) for k, v in caches.items()}
    from streamlit.runtime.app_session import AppSession

    out["app_session_objects"] = sum(1 for o in gc.get_objects() if isinstance(o, AppSession))
    out["threads"] = threading.active_count()
    return out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def probe(label: str, out_dir: Path) -> dict:
    if label.endswith("_pruned"):
        # experiment only (not thread-safe against pandas adding a reference meanwhile): drop the dead weakrefs
        # pandas' copy-on-write lists keep (BlockValuesRefs prunes them itself only past its clear_counter)
        from pandas._libs.internals import BlockValuesRefs

        for o in gc.get_objects():
            if type(o) is BlockValuesRefs:
                o.referenced_blocks = [r for r in o.referenced_blocks if r() is not None]
        gc.collect()
        time.sleep(5)                            # jemalloc's background purge (dirty_decay_ms 1000)
    res: dict = {"label": label, "rss_mb_before_gc": _rss_mb(), "gc_count": gc.get_count()}
    res["gc_objects_before_collect"] = len(gc.get_objects())
    if tracemalloc.is_tracing():
        res["traced_mb_before_collect"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
    res["collected"] = gc.collect()
    res["rss_mb"] = _rss_mb()
    res["gc_objects"] = len(gc.get_objects())
    res["types"] = dict(collections.Counter(type(o).__qualname__ for o in gc.get_objects()).most_common(60))
    refs = [o for o in gc.get_objects() if type(o) is weakref.ReferenceType]
    res["weakrefs_to"] = dict(collections.Counter(
        "dead" if r() is None else type(r()).__qualname__ for r in refs).most_common(12))
    dead = {id(r) for r in refs if r() is None}
    holders = collections.Counter()
    for o in gc.get_objects():                  # one pass: which containers hold the dead weakrefs
        if o is not refs and not isinstance(o, set):
            n = sum(1 for x in gc.get_referents(o) if id(x) in dead)
            if n:
                holders[type(o).__qualname__] += n
    res["dead_weakref_holders"] = dict(holders.most_common(8))
    del refs, dead
    res["mallinfo"] = _mallinfo()
    res["smaps_rss_mb"] = _smaps()
    res["jemalloc"] = _jemalloc()
    with contextlib.suppress(Exception):
        import pyarrow as pa

        pool = pa.default_memory_pool()
        res["arrow_pool"] = {"backend": pool.backend_name, "allocated_mb": round(pool.bytes_allocated() / 2**20, 1),
                             "max_mb": round(pool.max_memory() / 2**20, 1)}
    res["pymalloc"] = _pymalloc()
    res["streamlit"] = _streamlit_state()
    if tracemalloc.is_tracing():
        res["traced_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        tracemalloc.take_snapshot().dump(str(out_dir / f"{label}.snap"))
    return res


def _watch(out_dir: Path) -> None:
    while True:
        for req in sorted(out_dir.glob("*.req")):
            label = req.stem
            try:
                res = probe(label, out_dir)
            except Exception as exc:  # noqa: BLE001 - a failed probe is reported, never fatal
                res = {"label": label, "error": repr(exc)}
            (out_dir / f"{label}.json.tmp").write_text(json.dumps(res))
            (out_dir / f"{label}.json.tmp").rename(out_dir / f"{label}.json")
            req.unlink()
        time.sleep(0.2)


def serve(argv: list[str]) -> int:
    frames = int(os.environ.get("CDI_DIAG_TRACEMALLOC", "0"))
    if frames > 0:
        tracemalloc.start(frames)
    threading.Thread(target=_watch, args=(Path(os.environ["CDI_DIAG_DIR"]),), daemon=True, name="diag").start()
    from streamlit.web.cli import main as st_main

    sys.argv = ["streamlit", *argv]
    return st_main()


def ask(out_dir: Path, label: str, timeout: float = 300) -> dict:
    (out_dir / f"{label}.req").write_text("")
    deadline = time.time() + timeout
    while time.time() < deadline:
        f = out_dir / f"{label}.json"
        if f.exists():
            return json.loads(f.read_text())
        time.sleep(0.2)
    raise SystemExit(f"probe {label} timed out")


def _run(args: argparse.Namespace, out_dir: Path, env: dict, log) -> tuple[list[dict], dict]:
    from st_client import REPO, SERVER_FLAGS, burst, free_port, one_session, pctl, stop_server, wait_healthy

    visits = [("", ""), ("city", "city=budapest")]
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "serve", "run", "app.py", "--server.port", str(port),
                             *SERVER_FLAGS, *args.flag], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    probes: list[dict] = []
    try:
        wait_healthy(port, proc, timeout=120)
        for page, query in visits:
            asyncio.run(one_session(port, page, query))
        time.sleep(2)
        probes.append(ask(out_dir, "0_before"))
        res = asyncio.run(burst(port, args.n, "", "", timeout=args.timeout, visits=visits))
        print(f"burst: {args.n} sessions, {len(res['errors'])} errors, wall {res['wall_seconds']:.1f} s,"
              f" sessions {pctl(res['seconds'])}", flush=True)
        time.sleep(10)
        probes.append(ask(out_dir, "1_after10s"))
        time.sleep(max(0.0, args.late - 10))
        probes.append(ask(out_dir, f"2_after{int(args.late)}s"))
        asyncio.run(one_session(port, "", ""))
        time.sleep(2)
        probes.append(ask(out_dir, "3_one_more_session"))
        time.sleep(35)
        probes.append(ask(out_dir, "4_settle35s"))
        if args.prune:
            probes.append(ask(out_dir, "5_pruned"))
    finally:
        stop_server(proc)
    return probes, res


def drive(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from st_client import PRODUCTION_ENV, machine, server_env

    out_dir = Path(tempfile.mkdtemp(prefix="cdi-diag-"))
    given = {k: v or None for k, v in (kv.split("=", 1) for kv in args.env)}   # KEY= removes KEY
    env = server_env({**given, "CDI_DIAG_DIR": str(out_dir), "CDI_DIAG_TRACEMALLOC": str(args.tracemalloc)})
    with open(out_dir / "server.log", "w") as log:
        probes, res = _run(args, out_dir, env, log)
    report = {"machine": machine(), "env": args.env, "server_env": {k: env.get(k) for k in PRODUCTION_ENV},
              "flags": args.flag, "tracemalloc_frames": args.tracemalloc,
              "n": args.n, "errors": len(res["errors"]), "wall_seconds": round(res["wall_seconds"], 1),
              "probes": probes}
    base = probes[0]
    for p in probes:
        line = {k: p.get(k) for k in ("label", "rss_mb_before_gc", "rss_mb", "traced_mb_before_collect", "traced_mb",
                                      "gc_objects_before_collect", "gc_objects", "collected")}
        print(json.dumps(line))
        print("   mallinfo", p.get("mallinfo"), "pymalloc", p.get("pymalloc"), "arrow", p.get("arrow_pool"))
        print("   smaps rss", p.get("smaps_rss_mb"), "jemalloc", p.get("jemalloc"))
        print("   streamlit", p.get("streamlit"))
        print("   weakrefs to", p.get("weakrefs_to"), "dead ones held by", p.get("dead_weakref_holders"))
        grown = {t: c - base["types"].get(t, 0) for t, c in p.get("types", {}).items()
                 if c - base["types"].get(t, 0) > 200}
        print("   types grown > 200 vs before:", dict(sorted(grown.items(), key=lambda kv: -kv[1])[:15]))
    if args.tracemalloc:
        first = tracemalloc.Snapshot.load(str(out_dir / f"{base['label']}.snap"))
        for p in probes[1:]:
            snap = tracemalloc.Snapshot.load(str(out_dir / f"{p['label']}.snap"))
            stats = snap.compare_to(first, "traceback")
            report.setdefault("tracemalloc_top", {})[p["label"]] = [
                {"size_diff_kb": round(s.size_diff / 1024, 1), "count_diff": s.count_diff,
                 "where": [f"{f.filename.split('site-packages/')[-1]}:{f.lineno}" for f in s.traceback][:6]}
                for s in stats[:15]]
            print(f"tracemalloc top growth at {p['label']}:")
            for s in report["tracemalloc_top"][p["label"]][:8]:
                print("  ", s["size_diff_kb"], "KB", s["count_diff"], "blocks", " <- ".join(s["where"][:4]))
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print("written", args.out, "probe files in", out_dir)
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        return serve(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--late", type=float, default=130.0)
    ap.add_argument("--prune", action="store_true",
                    help="a last probe after dropping the dead weakrefs in pandas' BlockValuesRefs (experiment)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a burst session may take")
    ap.add_argument("--tracemalloc", type=int, default=0, help="frames per traceback (0: no tracemalloc)")
    ap.add_argument("--env", action="append", default=[],
                    help="KEY=VALUE for the server (repeatable; KEY= removes it); the rest: st_client.server_env")
    ap.add_argument("--flag", action="append", default=[], help="a server flag (repeatable, e.g. --flag=--x)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "memory_diagnose.json")
    return drive(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
