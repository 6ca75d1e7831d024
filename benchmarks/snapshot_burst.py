"""Snapshot burst: N simultaneous loads of a pre-rendered snapshot (the page a presentation's QR code opens), served
by the explorer's own Streamlit server through its static serving, with no script run, and by nginx with the shipped
configuration (deploy/nginx/cdi-explorer.conf, snapshots from disk), the way the deploy guide serves them.

Each load is one HTTP/1.1 GET on its own connection, all started at once; time to the last byte, errors (status,
short body, timeouts). Loopback only; bounded by --n and a timeout per load.

    python benchmarks/snapshot_burst.py             # N = 300, city snapshot and headline ranking
    python benchmarks/snapshot_burst.py --n 50      # a short check
    python benchmarks/snapshot_burst.py --no-nginx  # the explorer's own server only
    python benchmarks/snapshot_burst.py --no-live   # without the runs during a live 300-session burst

Each server is measured twice: on its own, and while a burst of --live sessions of the live explorer (the home page,
the Streamlit protocol) runs on the explorer's server, which is the moment a panel's QR code is opened in.

Writes benchmarks/results/snapshot_burst.json and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from st_client import (
    REPO,
    free_port,
    machine,
    pctl,
    servers_rss_mb,
    shipped_nginx_conf,
    start_server,
    stop_server,
)
from st_client import (
    burst as live_burst,
)

RESULTS = REPO / "benchmarks" / "results" / "snapshot_burst.json"
PATHS = ["/app/static/snapshots/city/budapest.html", "/app/static/snapshots/index.html"]
TIMEOUT = 30.0


async def load(port: int, path: str, t0: float) -> tuple[float, int, int]:
    """One GET on a fresh connection: (seconds from the burst's start to the last byte, status, body bytes)."""
    async with asyncio.timeout(TIMEOUT):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        raw = await reader.read()
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return time.perf_counter() - t0, status, len(body)


async def burst(port: int, n: int, path: str, expected: int) -> dict:
    t0 = time.perf_counter()
    results = await asyncio.gather(*(load(port, path, t0) for _ in range(n)), return_exceptions=True)
    seconds, errors = [], []
    for r in results:
        if isinstance(r, BaseException):
            errors.append(f"{type(r).__name__}: {r}"[:120])
        elif r[1] != 200 or r[2] < expected:
            errors.append(f"status {r[1]}, {r[2]} bytes")
        else:
            seconds.append(r[0])
    return {"n": n, "path": path, "wall_seconds": round(time.perf_counter() - t0, 3), "seconds": pctl(seconds),
            "errors": len(errors), "error_examples": errors[:5]}


def bursts(port: int, n: int, server: str, live_port: int | None = None, live_n: int = 0) -> list[dict]:
    """Each snapshot path: 5 loads to warm the file cache, then the burst of `n`; with `live_port`, the burst starts
    1 s into a burst of `live_n` live sessions on that explorer server and the live burst's figures are kept too."""
    runs = []
    for path in PATHS:
        size = len((REPO / "static" / path.removeprefix("/app/static/")).read_bytes())
        asyncio.run(burst(port, 5, path, size))
        if live_port is None:
            runs.append({"server": server, "bytes": size, **asyncio.run(burst(port, n, path, size))})
            continue
        snap, live = asyncio.run(during_live(port, n, path, size, live_port, live_n))
        runs.append({"server": server, "bytes": size, "during_live_burst": {
            "n": live_n, "wall_seconds": round(live["wall_seconds"], 2), "seconds": pctl(live["seconds"]),
            "errors": len(live["errors"])}, **snap})
    return runs


async def during_live(port: int, n: int, path: str, size: int, live_port: int, live_n: int) -> tuple[dict, dict]:
    live = asyncio.create_task(live_burst(live_port, live_n, "", ""))
    await asyncio.sleep(1.0)
    snap = await burst(port, n, path, size)
    return snap, await live


def nginx_bursts(n: int, live_port: int, live_n: int) -> list[dict]:
    """The same bursts from nginx running the shipped site configuration, in front of the explorer's server (the
    snapshots' location never reaches it)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        print("nginx is not installed (apt-get install -y nginx-light): the nginx rows are skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        conf = shipped_nginx_conf(Path(tmp), port, [live_port, free_port()])
        proc = subprocess.Popen([nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_serving(port, proc)
            runs = bursts(port, n, "nginx, shipped configuration")
            if live_n:
                runs += bursts(port, n, "nginx, shipped configuration", live_port, live_n)
            return runs
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def wait_until_serving(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Until nginx answers a snapshot (its health route would need the upstreams)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}")
        try:
            asyncio.run(load(port, PATHS[0], time.perf_counter()))
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nginx did not answer within 20 s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--live", type=int, default=300, help="live sessions during the second runs (default 300)")
    ap.add_argument("--no-live", action="store_true", help="no runs during a live burst")
    ap.add_argument("--no-nginx", action="store_true", help="the explorer's own server only")
    args = ap.parse_args()
    missing = [p for p in PATHS if not (REPO / p.removeprefix("/app/")).is_file()]
    if missing:  # generated files, not committed
        raise SystemExit(f"not rendered: {', '.join(missing)}; run python -m explorer.publish first")
    live_n = 0 if args.no_live else args.live
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        proc = start_server(port, log)
        try:
            rss_before = servers_rss_mb([proc.pid])
            own = "explorer (Streamlit static serving)"
            runs = bursts(port, args.n, own)
            rss_after = servers_rss_mb([proc.pid])
            if live_n:
                asyncio.run(live_burst(port, 10, "", ""))  # warm the page's caches, as a running server has them
                runs += bursts(port, args.n, own, port, live_n)
            if not args.no_nginx:
                runs += nginx_bursts(args.n, port, live_n)
        finally:
            stop_server(proc)
    out = {"machine": machine(), "n": args.n, "runs": runs,
           "server_rss_mb": {"before": round(rss_before, 1), "after": round(rss_after, 1)},
           "target": "300 simultaneous loads, 0 errors, max <= 1 s"}
    RESULTS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for r in runs:
        s = r["seconds"]
        live = r.get("during_live_burst")
        during = (f", during a {live['n']}-session live burst ({live['errors']} errors, its wall "
                  f"{live['wall_seconds']} s)") if live else ""
        print(f"{r['server']}{during}: {r['path']} ({r['bytes']:,} bytes): {r['n']} loads at once, "
              f"{r['errors']} errors; p50 {s['p50']} s, p95 {s['p95']} s, max {s['max']} s")
    print(f"-> {RESULTS}")


if __name__ == "__main__":
    main()
