"""Burst benchmark: N simultaneous sessions on one and on two server processes, memory before/peak/after, GC off.

Every burst opens N websocket sessions at once (Streamlit's own protocol, see st_client.py), half of them on the
home page and half on /city?city=budapest (in pairs: home, home, city, city, ...), and times each until its script
run finished. Server RSS (/proc/PID/status, summed over the server processes and their children; not the load
balancer) is read just before the burst, sampled every 0.25 s during it (peak) and read again --settle seconds after
the sessions closed.

Set-ups, all run in one invocation so their ratios are comparable (the machine is shared; absolute seconds are not):
  one      one `streamlit run app.py`, N = 50, 100, 300
  nogc     one server with --runner.postScriptGC false, N = 50, 300 (against `one`)
  two      two servers behind a round-robin load balancer on loopback (Debian's nginx if installed, with websocket
           upgrade headers; else a small asyncio TCP proxy), N = 50, 100, 300
  idle     a fresh server, 100 sessions that run the home page (10 at a time) and then stay connected, idle:
           RSS delta / 100 = MB per idle session

    python benchmarks/burst.py            # about 10 minutes on a shared 2-core machine
    python benchmarks/burst.py --quick    # N = 10, 30; 20 idle sessions; a short check

Writes benchmarks/results/burst.json (--out) and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from st_client import (
    REPO,
    burst,
    cpu_seconds,
    free_port,
    machine,
    one_session,
    pctl,
    servers_rss_mb,
    start_server,
    stop_server,
    wait_healthy,
)

RESULTS = REPO / "benchmarks" / "results" / "burst.json"
SESSION_TTL = 120  # server.disconnectedSessionTTL's default: closed sessions are kept this long for a reconnect
VISITS = [("", ""), ("city", "city=budapest")]
# the order sessions are opened in: pairs, so a round-robin balancer alternating servers gives each server both pages
BURST_ORDER = [VISITS[0], VISITS[0], VISITS[1], VISITS[1]]
NGINX_CONF = """worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  upstream streamlit {{ {servers} }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://streamlit;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
      proxy_buffering off;
    }}
  }}
}}
"""


# --- the load balancer ------------------------------------------------------------------------------------------

async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.CancelledError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(OSError):
        writer.close()


async def tcp_proxy(port: int, upstreams: Sequence[int], seconds: float) -> None:
    """Round-robin TCP proxy on loopback (the fallback load balancer), serving for at most `seconds`."""
    turn = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal turn
        up = upstreams[turn % len(upstreams)]
        turn += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", up)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await asyncio.sleep(seconds)


def start_balancer(port: int, upstreams: Sequence[int], work: Path, log) -> tuple[subprocess.Popen, str]:
    """nginx (round-robin, websocket upgrade) if installed, else the asyncio proxy in a child process."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        work.mkdir(parents=True, exist_ok=True)
        servers = " ".join(f"server 127.0.0.1:{p};" for p in upstreams)
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(d=work, servers=servers, port=port), encoding="utf-8")
        proc = subprocess.Popen([nginx, "-e", str(work / "error.log"), "-p", str(work), "-c", str(conf)],
                                stdout=log, stderr=subprocess.STDOUT)
        kind = "nginx round-robin"
    else:
        proc = subprocess.Popen([sys.executable, __file__, "--proxy", str(port), *map(str, upstreams)],
                                stdout=log, stderr=subprocess.STDOUT)
        kind = "asyncio TCP proxy round-robin"
    wait_healthy(port, proc, timeout=30)
    return proc, kind


# --- measurements -----------------------------------------------------------------------------------------------

async def measured_burst(ports: Sequence[int], pids: Sequence[int], n: int, timeout: float, settle: float) -> dict:
    """One burst with RSS before, peak (0.25 s samples) and `settle` seconds after the sessions closed."""
    before = servers_rss_mb(pids)
    peak = before
    done = asyncio.Event()

    async def sampler() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, servers_rss_mb(pids))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 0.25)

    task = asyncio.create_task(sampler())
    res = await burst(ports, n, "", "", timeout, visits=BURST_ORDER)
    done.set()
    await task
    peak = max(peak, servers_rss_mb(pids))
    await asyncio.sleep(settle)
    after = servers_rss_mb(pids)
    return {"n": n, "wall_seconds": round(res["wall_seconds"], 2), "session_seconds": pctl(res["seconds"]),
            "by_page": {k: pctl(v) for k, v in res["by_visit"].items()},
            "errors": len(res["errors"]), "error_examples": res["errors"][:5],
            "client_cpu_seconds": round(res["client_cpu_seconds"], 2),
            "rss_mb": {"before": round(before, 1), "peak": round(peak, 1), "after": round(after, 1),
                       "after_vs_before_pct": round(100 * (after - before) / before, 1),
                       "settle_seconds": settle}}


def warm(ports: Sequence[int]) -> None:
    """Run each visited page once per server, so bursts measure warm caches (cold start is pages.py's)."""
    for port in ports:
        for page, query in VISITS:
            asyncio.run(one_session(port, page, query))


def series(name: str, ports: Sequence[int], pids: Sequence[int], ns: Sequence[int], timeout: float,
           settle: float) -> dict:
    """Bursts of each size in turn against one set-up; the baseline is read after warm-up and a short rest."""
    warm(ports)
    time.sleep(3)
    baseline = servers_rss_mb(pids)
    cpu0 = [cpu_seconds(p) for p in pids]
    bursts = []
    for n in ns:
        b = asyncio.run(measured_burst(ports, pids, n, timeout, settle))
        s = b["session_seconds"]
        print(f"  {name:5s} N={n:4d} wall {b['wall_seconds']:7.2f} s  p50 {s['p50']} p95 {s['p95']} max {s['max']}  "
              f"errors {b['errors']}  RSS {b['rss_mb']['before']} -> peak {b['rss_mb']['peak']} -> "
              f"{b['rss_mb']['after']} MB", flush=True)
        bursts.append(b)
    end = servers_rss_mb(pids)
    return {"servers": len(pids), "server_cpu_seconds": [round(cpu_seconds(p) - c, 1) for p, c in zip(pids, cpu0)],
            "baseline_rss_mb": round(baseline, 1), "end_rss_mb": round(end, 1),
            "end_vs_baseline_pct": round(100 * (end - baseline) / baseline, 1), "bursts": bursts}


async def idle_sessions(port: int, pid: int, n: int, batch: int, timeout: float, settle: float) -> dict:
    """`n` sessions that ran the home page and stay connected: RSS delta per session."""
    base = statistics.median([servers_rss_mb([pid]) for _ in range(3)])
    hold = asyncio.Event()
    ran = 0

    def count() -> None:
        nonlocal ran
        ran += 1

    tasks = []
    for i in range(0, n, batch):  # open in batches, as users arrive, not as one burst
        tasks += [asyncio.create_task(one_session(port, "", "", timeout, hold=hold, on_run_finished=count))
                  for _ in range(min(batch, n - i))]
        deadline = time.perf_counter() + timeout
        while ran < len(tasks) and time.perf_counter() < deadline and not any(t.done() for t in tasks):
            await asyncio.sleep(0.1)
    await asyncio.sleep(settle)
    samples = []
    for _ in range(3):
        samples.append(servers_rss_mb([pid]))
        await asyncio.sleep(1)
    held = statistics.median(samples)
    connected = sum(not t.done() for t in tasks)
    hold.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException) or r["exceptions"] or not r["finished"]]
    await asyncio.sleep(settle)
    after = servers_rss_mb([pid])
    return {"sessions": n, "connected_while_measured": connected, "runs_finished": ran, "errors": len(errors),
            "rss_mb": {"before": round(base, 1), "with_idle_sessions": round(held, 1),
                       "after_close": round(after, 1)},
            "mb_per_idle_session": round((held - base) / n, 3)}


def run_all(res: dict, args: argparse.Namespace, logs: dict, procs: list[subprocess.Popen], ns: Sequence[int],
            nogc_ns: Sequence[int], idle_n: int) -> None:
    """The four set-ups in turn; every server started stays in `procs` until stopped (the caller stops leftovers)."""

    def server(key: str, extra: Sequence[str] = ()) -> tuple[int, subprocess.Popen]:
        port = free_port()
        proc = start_server(port, logs[key], REPO, "app.py", extra)
        procs.append(proc)
        return port, proc

    def stop(proc: subprocess.Popen) -> None:
        stop_server(proc)
        procs.remove(proc)

    port, one = server("one")
    res["one"] = series("one", [port], [one.pid], ns, args.timeout, args.settle)
    t_one_done = time.perf_counter()
    # the one-process server stays up, idle, while nogc runs: its RSS again once disconnected sessions'
    # reconnect window (server.disconnectedSessionTTL, 120 s by default) has passed
    port_ng, nogc = server("nogc", ["--runner.postScriptGC", "false"])
    res["nogc"] = series("nogc", [port_ng], [nogc.pid], nogc_ns, args.timeout, args.settle)
    stop(nogc)
    # wait out the reconnect window if nogc was quicker (not in --quick): until ttl + 10 s after the last burst
    since = time.perf_counter() - t_one_done + args.settle
    if not args.quick:
        time.sleep(max(0.0, SESSION_TTL + 10 - since))
    res["one"]["later_rss_mb"] = round(servers_rss_mb([one.pid]), 1)
    res["one"]["later_seconds_after_last_burst"] = round(time.perf_counter() - t_one_done + args.settle, 1)
    stop(one)
    pa, a = server("two-a")
    pb, b = server("two-b")
    lb_port = free_port()
    lb, lb_kind = start_balancer(lb_port, [pa, pb], Path(tempfile.mkdtemp(prefix="cdi-lb-")), logs["lb"])
    procs.append(lb)
    res["two"] = series("two", [lb_port], [a.pid, b.pid], ns, args.timeout, args.settle)
    res["two"]["load_balancer"] = lb_kind  # server_cpu_seconds shows how the work was shared
    for p in (lb, a, b):
        stop(p)
    port_i, idle = server("idle")
    warm([port_i])
    time.sleep(3)
    res["idle"] = asyncio.run(idle_sessions(port_i, idle.pid, idle_n, 10, args.timeout, args.settle))
    stop(idle)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 10, 30; 20 idle sessions; 5 s settle")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a session may take before it is an error")
    ap.add_argument("--settle", type=float, default=10.0, help="seconds after a burst before memory is read again")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--log-dir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--proxy", type=int, nargs="+", help=argparse.SUPPRESS)  # internal: run the fallback proxy
    args = ap.parse_args()
    if args.proxy:
        asyncio.run(tcp_proxy(args.proxy[0], args.proxy[1:], seconds=1800))
        return 0
    ns, nogc_ns, idle_n = ([10, 30], [10, 30], 20) if args.quick else ([50, 100, 300], [50, 300], 100)
    if args.quick:
        args.settle = min(args.settle, 5.0)
    t_run = time.perf_counter()
    res: dict = {"machine": machine(), "settings": {"ns": ns, "nogc_ns": nogc_ns, "idle_sessions": idle_n,
                                                    "visits": ["home", "city?city=budapest"], "quick": args.quick,
                                                    "timeout": args.timeout, "settle_seconds": args.settle}}
    procs: list[subprocess.Popen] = []
    with contextlib.ExitStack() as stack:
        logs = {k: stack.enter_context(open(args.log_dir / f"cdi-burst-{k}.log", "w"))
                for k in ("one", "nogc", "two-a", "two-b", "lb", "idle")}
        stack.callback(lambda: [stop_server(p) for p in list(procs)])
        run_all(res, args, logs, procs, ns, nogc_ns, idle_n)
    res["run_seconds"] = round(time.perf_counter() - t_run, 1)
    res["targets"] = targets(res, ns, nogc_ns)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    for k, v in res["targets"].items():
        print(f"{k}: {v}")
    print(f"-> {args.out} ({res['run_seconds']} s)")
    return 0


def targets(res: dict, ns: Sequence[int], nogc_ns: Sequence[int]) -> dict:
    """The README's targets, computed from this run's figures (largest N stands in for 300 in --quick)."""
    big = ns[-1]
    one = {b["n"]: b for b in res["one"]["bursts"]}
    two = {b["n"]: b for b in res["two"]["bursts"]}
    nogc = {b["n"]: b for b in res["nogc"]["bursts"]}
    ratio = two[big]["wall_seconds"] / one[big]["wall_seconds"]
    worst_mem = max(b["rss_mb"]["after_vs_before_pct"] for s in ("one", "two") for b in res[s]["bursts"])
    return {
        f"{big}-burst errors on one process (target 0)": {"value": one[big]["errors"], "met": one[big]["errors"] == 0},
        f"{big}-burst wall, two processes / one (target <= 0.6)": {"value": round(ratio, 2), "met": ratio <= 0.6},
        "MB per idle session (target <= 2)": {"value": res["idle"]["mb_per_idle_session"],
                                              "met": res["idle"]["mb_per_idle_session"] <= 2},
        f"RSS {res['settings']['settle_seconds']:.0f} s after sessions close vs before, worst burst, % "
        "(target within 10)": {"value": worst_mem, "met": worst_mem <= 10},
        "postScriptGC false / default, burst wall": {
            str(n): round(nogc[n]["wall_seconds"] / one[n]["wall_seconds"], 2) for n in nogc_ns if n in one},
        "postScriptGC false / default, peak RSS": {
            str(n): round(nogc[n]["rss_mb"]["peak"] / one[n]["rss_mb"]["peak"], 2) for n in nogc_ns if n in one},
    }


if __name__ == "__main__":
    sys.exit(main())
