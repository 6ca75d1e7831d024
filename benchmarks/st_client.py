"""A minimal Streamlit protocol client and server helpers shared by the benchmark scripts (soak, pages, burst).

The client speaks Streamlit's own websocket protocol (`/_stcore/stream`, subprotocol "streamlit", protobuf
BackMsg/ForwardMsg), so a benchmark measures what a browser session costs the server without a browser's cost.
Loopback only: every address here is 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import socket
import ssl
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parents[1]
RUN_TIMEOUT = 120.0
# the flags every benchmark server gets; the rest comes from the .streamlit/config.toml in the server's cwd
SERVER_FLAGS = ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
# the allocator environment production sets (deploy/Dockerfile, systemd unit, k8s manifest; tests/deploy checks they
# agree): jemalloc for every allocation, so the memory a burst's sessions freed goes back to the OS (see
# benchmarks/README.md, "Memory after a 300-burst"). Benchmark servers get it too unless the caller's environment
# or the `env` argument says otherwise; jemalloc is preloaded only if the library is installed.
JEMALLOC_LIB = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
PRODUCTION_ENV = {"LD_PRELOAD": JEMALLOC_LIB,
                  "MALLOC_CONF": "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0",
                  "PYTHONMALLOC": "malloc", "ARROW_DEFAULT_MEMORY_POOL": "system"}


def free_port() -> int:
    """A free loopback TCP port, so benchmark servers never collide with anything already running."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB, read from /proc (no psutil dependency)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, so a server that forks helpers is measured whole."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used, from /proc/PID/stat (to see how work was shared)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def servers_rss_mb(pids: Iterable[int]) -> float:
    """RSS summed over the given server processes and their descendants (processes that vanished count 0)."""
    total = 0.0
    for root in pids:
        for p in process_tree(root):
            with contextlib.suppress(OSError, RuntimeError):
                total += rss_mb(p)
    return total


def wait_healthy(port: int, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll /_stcore/health until it answers 200; fail fast if the server process died."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    if proc is not None:
        proc.kill()
    raise SystemExit(f"the server on port {port} did not become healthy within {timeout:.0f} s")


def server_env(env: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a benchmark server: this process's, PRODUCTION_ENV for the keys it does not set, then
    `env` (a None value removes the key: {"LD_PRELOAD": None, ...} is glibc malloc and pymalloc)."""
    out = dict(os.environ)
    for k, v in PRODUCTION_ENV.items():
        if k == "LD_PRELOAD" and not Path(v).is_file():
            continue
        out.setdefault(k, v)
    for k, v in (env or {}).items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def launch_server(port: int, log: IO, repo: Path = REPO, script: str = "app.py",
                  extra_flags: Sequence[str] = (), env: Mapping[str, str | None] | None = None) -> subprocess.Popen:
    """Start `streamlit run script` in `repo` (its .streamlit/config.toml applies) without waiting for it."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), *SERVER_FLAGS, *extra_flags],
        cwd=repo, stdout=log, stderr=subprocess.STDOUT, env=server_env(env))


def start_server(port: int, log: IO, repo: Path = REPO, script: str = "app.py",
                 extra_flags: Sequence[str] = (), env: Mapping[str, str | None] | None = None) -> subprocess.Popen:
    """Start a server and return once it is healthy."""
    proc = launch_server(port, log, repo, script, extra_flags, env)
    wait_healthy(port, proc)
    return proc


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate one server we started (by its own handle), killing it if it does not stop in 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


async def one_session(port: int, page: str, query: str, timeout: float = RUN_TIMEOUT, t0: float | None = None,
                      hold: asyncio.Event | None = None, on_run_finished: Callable[[], None] | None = None,
                      keep: list[ForwardMsg] | None = None, tls: bool = False) -> dict:
    """Connect, run one page, close. Returns timings and what went wrong, if anything.

    `t0` (a perf_counter time) lets a burst measure every session from the same start; `hold`, if given, keeps the
    session connected and idle after its run until the event is set; `on_run_finished` is called when the run ends;
    `keep`, if given, receives every ForwardMsg of the run (for tests that look at what a session was sent); `tls`
    connects with wss:// (loopback, certificate not verified).
    """
    t0 = time.perf_counter() if t0 is None else t0
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    exceptions, finished, n = 0, False, 0
    # like a browser, send no keepalive pings of our own (the server's pings are still answered): with the
    # library's default 20 s ping timeout, a server whose event loop stalls in a big burst had its sessions dropped
    # by this client, which no browser would do
    tls_ctx = None
    if tls:  # loopback TLS with a throw-away certificate (tests/deploy): encrypted, not verified
        tls_ctx = ssl.create_default_context()
        tls_ctx.check_hostname, tls_ctx.verify_mode = False, ssl.CERT_NONE
    async with websockets.connect(f"{'wss' if tls else 'ws'}://127.0.0.1:{port}/_stcore/stream",
                                  subprotocols=["streamlit"], ssl=tls_ctx,
                                  max_size=2 ** 26, open_timeout=timeout, ping_interval=None) as ws:
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout):
            async for raw in ws:
                n += 1
                fm = ForwardMsg()
                fm.ParseFromString(raw)
                if keep is not None:
                    keep.append(fm)
                kind = fm.WhichOneof("type")
                if kind == "delta" and fm.delta.WhichOneof("type") == "new_element" \
                        and fm.delta.new_element.WhichOneof("type") == "exception":
                    exceptions += 1
                if kind == "page_not_found":
                    exceptions += 1
                if kind == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    finished = True
                    break
        seconds = time.perf_counter() - t0
        if on_run_finished is not None:
            on_run_finished()
        if hold is not None:
            await hold.wait()
    return {"seconds": seconds, "messages": n, "exceptions": exceptions, "finished": finished}


async def burst(ports: Sequence[int] | int, n: int, page: str, query: str, timeout: float = RUN_TIMEOUT,
                hold: asyncio.Event | None = None, visits: Sequence[tuple[str, str]] | None = None,
                tls: bool = False) -> dict:
    """Open `n` sessions at once (round-robin over `ports`) and time each until its script run finished.

    `visits`, if given, replaces (page, query): session i opens visits[i % len(visits)], and the result also holds
    each visit's seconds under `by_visit`.

    Returns the per-session seconds (from the common start), the burst's wall time, the errors (exceptions, runs
    that did not finish, failed connections, timeouts) and the client's own CPU seconds, which show whether the
    client rather than the server was the bottleneck.
    """
    ports = [ports] if isinstance(ports, int) else list(ports)
    visits = list(visits) if visits else [(page, query)]
    cpu0, t0 = time.process_time(), time.perf_counter()
    results = await asyncio.gather(
        *(one_session(ports[i % len(ports)], *visits[i % len(visits)], timeout, t0, hold, tls=tls)
          for i in range(n)),
        return_exceptions=True)
    wall = time.perf_counter() - t0
    seconds, errors = [], []
    by_visit: dict[str, list[float]] = {}
    for i, r in enumerate(results):
        if isinstance(r, BaseException):
            errors.append(f"{type(r).__name__}: {r}"[:200])
        elif r["exceptions"] or not r["finished"]:
            errors.append(f"exceptions={r['exceptions']} finished={r['finished']}")
        else:
            seconds.append(r["seconds"])
            page_i, query_i = visits[i % len(visits)]
            by_visit.setdefault(f"{page_i or 'home'}{'?' + query_i if query_i else ''}", []).append(r["seconds"])
    return {"n": n, "wall_seconds": wall, "seconds": seconds, "errors": errors, "by_visit": by_visit,
            "client_cpu_seconds": time.process_time() - cpu0}


async def burst_with_cpu(port: int, n: int, page: str, query: str, pids: Iterable[int]) -> dict:
    """`burst` plus the server CPU it cost a session: the /proc CPU of the server processes `pids` over the burst,
    in ms, divided by the sessions (every server is counted, so two servers sharing the cores are both seen)."""
    pids = list(pids)
    cpu0 = sum(cpu_seconds(pid) for pid in pids)
    res = await burst(port, n, page, query)
    res["server_cpu_ms_per_session"] = 1000 * (sum(cpu_seconds(pid) for pid in pids) - cpu0) / n
    return res


def bare_neighbours(runs: Sequence[dict]) -> Iterator[tuple[dict, float]]:
    """Each burst record that is not the bare page's, with the mean wall time of the bare bursts just before and
    after it (the benchmarks alternate bare, other, bare, ...): a ratio taken within one stretch of machine load."""
    for i, rec in enumerate(runs):
        if rec["kind"] != "bare":
            yield rec, (runs[i - 1]["wall_seconds"] + runs[i + 1]["wall_seconds"]) / 2


def pctl(values: Sequence[float]) -> dict:
    """p50 / p95 / max of a list of seconds, rounded (None when empty, e.g. every session failed)."""
    if not values:
        return {"p50": None, "p95": None, "max": None}
    v = sorted(values)
    return {"p50": round(statistics.median(v), 3), "p95": round(v[round(0.95 * (len(v) - 1))], 3),
            "max": round(v[-1], 3)}


def write_results(out: Path, res: dict) -> None:
    """Write a benchmark's results file through a temporary file and a rename, so an interrupted run leaves the
    committed figures as they were."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)


def machine() -> dict:
    """What the figures were measured on; results are only comparable within one run on one machine."""
    import streamlit

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "streamlit": streamlit.__version__, "websockets": websockets.__version__,
            "server_allocator_env": {k: server_env().get(k) for k in PRODUCTION_ENV},
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


NGINX_SITE = REPO / "deploy" / "nginx" / "cdi-explorer.conf"


def self_signed_cert(tmp: Path) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1 / localhost (openssl), for loopback TLS."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def shipped_nginx_conf(tmp: Path, listen: int, replicas: Sequence[int], tls_listen: int | None = None) -> Path:
    """The shipped nginx configuration (deploy/nginx/cdi-explorer.conf) on loopback ports, with this checkout's static
    folder and a self-signed certificate, in a minimal nginx.conf under `tmp`; so the benchmarks and the deploy tests
    run the configuration that ships, not a copy of it.

    With `tls_listen`, the HTTPS server listens there (TLS, as shipped) and the plain-HTTP redirect on `listen`.
    Without it (the benchmarks' plain loopback client), the HTTPS server block is served without TLS on `listen`
    and the redirect block goes to a spare port: every location, header and limit stays as shipped."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    for shipped in ("server 127.0.0.1:8501", "server 127.0.0.1:8502", "listen 80;", "listen 443 ssl;",
                    "/srv/cdi-explorer/static/", "/etc/ssl/cdi-explorer/fullchain.pem",
                    "/etc/ssl/cdi-explorer/privkey.pem"):
        if shipped not in site:
            raise ValueError(f"{NGINX_SITE}: expected {shipped!r} in the shipped configuration")
    cert, key = self_signed_cert(tmp)
    if tls_listen is None:
        https, http = f"listen 127.0.0.1:{listen};", f"listen 127.0.0.1:{free_port()};"
    else:
        https, http = f"listen 127.0.0.1:{tls_listen} ssl;", f"listen 127.0.0.1:{listen};"
    site = (site.replace("127.0.0.1:8501", f"127.0.0.1:{replicas[0]}")
                .replace("127.0.0.1:8502", f"127.0.0.1:{replicas[1]}")
                .replace("listen 80;", http).replace("listen 443 ssl;", https)
                .replace("/etc/ssl/cdi-explorer/fullchain.pem", str(cert))
                .replace("/etc/ssl/cdi-explorer/privkey.pem", str(key))
                .replace("/srv/cdi-explorer/static/", f"{REPO / 'static'}/"))
    (tmp / "cdi-explorer.conf").write_text(site, encoding="utf-8")
    temp_paths = "".join(f"{k}_temp_path {tmp / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = (("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\ndaemon off;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp_paths}"
            f"include {tmp / 'cdi-explorer.conf'};\n}}\n")
    (tmp / "nginx.conf").write_text(main, encoding="utf-8")
    return tmp / "nginx.conf"
