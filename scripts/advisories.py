"""The vendored vulnerability advisories (security/advisories/) and a loopback OSV service over them, so the
dependency audit (scripts/audit_deps.py, pip-audit) runs with no network.

    python scripts/advisories.py refresh DB_CHECKOUT [--commit SHA]   # re-vendor from a PyPA advisory-database copy
    python scripts/advisories.py serve [--port N]                       # answer OSV queries on 127.0.0.1

`refresh` reads a checkout (or a bare mirror, with git) of https://github.com/pypa/advisory-database and keeps only
the advisories of the packages in the locks (requirements.txt, requirements-dev.txt), one JSON file per package,
in OSV format (the database's own YAML, as JSON), plus security/advisories/SOURCE.json: the database's commit, its
date and every locked package that was looked up (so a package added to a lock without a refresh is caught).
`serve` answers pip-audit's OSV query (POST /v1/query with a package name and version) from those files: an
advisory applies when the version is in its `versions` list or inside one of its ECOSYSTEM ranges.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parents[1]
ADVISORIES = REPO / "security" / "advisories"
LOCKS = ("requirements.txt", "requirements-dev.txt")
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.MULTILINE)


def locked(paths=LOCKS) -> dict[str, str]:
    """Every package pinned in the lock files: canonical name -> version."""
    out: dict[str, str] = {}
    for p in paths:
        for name, version in _PIN.findall((REPO / p).read_text(encoding="utf-8")):
            out[canonicalize_name(name)] = version
    return out


# ------------------------------------------------------------------------------------------------------- refresh
def _git(db: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(db), *args], capture_output=True, text=True, check=True).stdout


def refresh(db: Path, commit: str = "HEAD") -> dict:
    import yaml  # only the refresh needs it (PyYAML); the audit reads JSON

    sha = _git(db, "rev-parse", commit).strip()
    date = _git(db, "show", "-s", "--format=%cI", sha).strip()
    files = _git(db, "ls-tree", "-r", "--name-only", sha, "vulns/").split()
    by_pkg: dict[str, list[str]] = {}
    for f in files:
        parts = f.split("/")
        if len(parts) == 3 and f.endswith((".yaml", ".yml", ".json")):
            by_pkg.setdefault(canonicalize_name(parts[1]), []).append(f)
    packages = sorted(locked())
    for old in ADVISORIES.glob("*.json"):
        old.unlink()
    ADVISORIES.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in packages:
        records = []
        for f in sorted(by_pkg.get(name, [])):
            text = _git(db, "show", f"{sha}:{f}")
            rec = json.loads(text) if f.endswith(".json") else yaml.safe_load(text)
            for aff in rec.get("affected", []):  # pip-audit matches fixed versions by canonical name
                aff["package"]["name"] = canonicalize_name(aff["package"]["name"])
            records.append(json.loads(json.dumps(rec, default=str)))
        if records:
            (ADVISORIES / f"{name}.json").write_text(json.dumps(records, indent=1, sort_keys=True) + "\n",
                                                      encoding="utf-8")
        counts[name] = len(records)
    source = {"database": "https://github.com/pypa/advisory-database", "commit": sha, "commit_date": date,
              "packages": counts}
    (ADVISORIES / "SOURCE.json").write_text(json.dumps(source, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return source


# ------------------------------------------------------------------------------------------------------- matching
def _v(s: str) -> Version | None:
    try:
        return Version(s)
    except InvalidVersion:
        return None


def _in_ranges(version: Version, ranges: list[dict]) -> bool:
    for r in ranges:
        if r.get("type") != "ECOSYSTEM":
            continue
        start: Version | None = None
        open_ = False
        for ev in r.get("events", []):
            if "introduced" in ev:
                start, open_ = (Version("0") if ev["introduced"] == "0" else _v(ev["introduced"])), True
            elif open_ and start is not None and "fixed" in ev:
                end = _v(ev["fixed"])
                if end is not None and start <= version < end:
                    return True
                open_ = False
            elif open_ and start is not None and "last_affected" in ev:
                end = _v(ev["last_affected"])
                if end is not None and start <= version <= end:
                    return True
                open_ = False
        if open_ and start is not None and version >= start:
            return True
    return False


def matching(name: str, version: str, folder: Path = ADVISORIES) -> list[dict]:
    """The vendored advisories that apply to this package version."""
    name = canonicalize_name(name)
    path = folder / f"{name}.json"
    v = _v(version)
    if not path.is_file() or v is None:
        return []
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        for aff in rec.get("affected", []):
            pkg = aff.get("package", {})
            if canonicalize_name(pkg.get("name", "")) != name or pkg.get("ecosystem") != "PyPI":
                continue
            listed = {_v(x) for x in aff.get("versions", [])}
            if v in listed or _in_ranges(v, aff.get("ranges", [])):
                out.append(rec)
                break
    return out


# ------------------------------------------------------------------------------------------------------- serving
def serve(folder: Path = ADVISORIES, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the loopback OSV service in a daemon thread; returns the server and its query URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            try:
                q = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                body = {"vulns": matching(q["package"]["name"], q["version"], folder)}
                data, status = json.dumps(body).encode(), 200
            except (KeyError, TypeError, ValueError):
                data, status = b'{"error": "bad query"}', 400
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1/query"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("refresh")
    r.add_argument("db", type=Path)
    r.add_argument("--commit", default="HEAD")
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8799)
    args = ap.parse_args(argv)
    if args.cmd == "refresh":
        src = refresh(args.db, args.commit)
        print(f"advisories: {sum(src['packages'].values())} advisories for {len(src['packages'])} locked packages "
              f"from {src['database']} at {src['commit'][:12]} ({src['commit_date']}) -> {ADVISORIES}")
        return 0
    server, url = serve(port=args.port)
    print(f"OSV service on {url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
