"""Snapshot burst: N simultaneous loads of a pre-rendered snapshot (the page a presentation's QR code opens), served
by the explorer's own Streamlit server through its static serving, with no script run.

Each load is one HTTP/1.1 GET on its own connection, all started at once; time to the last byte, errors (status,
short body, timeouts). Loopback only; bounded by --n and a timeout per load.

    python benchmarks/snapshot_burst.py             # N = 300, city snapshot and headline ranking
    python benchmarks/snapshot_burst.py --n 50      # a short check

Writes benchmarks/results/snapshot_burst.json and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time

from st_client import REPO, free_port, machine, pctl, servers_rss_mb, start_server, stop_server

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        proc = start_server(port, log)
        try:
            rss_before = servers_rss_mb([proc.pid])
            runs = []
            for path in PATHS:
                size = len((REPO / "static" / path.removeprefix("/app/static/")).read_bytes())
                asyncio.run(burst(port, 5, path, size))  # warm the file cache
                runs.append(asyncio.run(burst(port, args.n, path, size)))
            rss_after = servers_rss_mb([proc.pid])
        finally:
            stop_server(proc)
    out = {"machine": machine(), "n": args.n, "runs": runs,
           "server_rss_mb": {"before": round(rss_before, 1), "after": round(rss_after, 1)},
           "target": "300 simultaneous loads, 0 errors, max <= 1 s"}
    RESULTS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for r in runs:
        s = r["seconds"]
        print(f"{r['path']}: {r['n']} loads at once, {r['errors']} errors; p50 {s['p50']} s, p95 {s['p95']} s, "
              f"max {s['max']} s")
    print(f"-> {RESULTS}")


if __name__ == "__main__":
    main()
