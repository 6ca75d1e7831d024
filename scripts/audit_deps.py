"""Dependency vulnerability check for CI, offline: pip-audit on a lock file against the vendored advisories.

pip-audit reads the lock (every package pinned with hashes, so no resolution and no download: --disable-pip) and
asks an OSV service about each package; the service here is scripts/advisories.py serving security/advisories/ on
127.0.0.1, so the audit needs no network. Exit 1 when any locked package has a known advisory, when a package could
not be audited, or when a locked package was never looked up in the vendored database (refresh it:
`python scripts/advisories.py refresh <advisory-database checkout>`). The result says which database commit it
used: advisories published after that date are not known to it.

    python scripts/audit_deps.py [lock file ...]      (default: requirements-dev.txt, which holds requirements.txt)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import advisories  # noqa: E402  (scripts/ is not a package)

REPO = Path(__file__).resolve().parents[1]


def audit(lock: Path, folder: Path = advisories.ADVISORIES) -> tuple[int, list[str]]:
    """Run pip-audit on one lock against the vendored advisories; returns (exit code, lines to print)."""
    source = json.loads((folder / "SOURCE.json").read_text(encoding="utf-8"))
    looked_up = set(source["packages"])
    pins = {}
    for name, version in advisories._PIN.findall(Path(lock).read_text(encoding="utf-8")):
        pins[advisories.canonicalize_name(name)] = version
    unknown = sorted(set(pins) - looked_up)
    if unknown:
        return 1, [f"pip-audit: {lock.name}: {', '.join(unknown)} never looked up in the vendored advisories "
                   f"(refresh: python scripts/advisories.py refresh <advisory-database checkout>)"]
    server, url = advisories.serve(folder)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "audit.json"
            proc = subprocess.run(
                [sys.executable, "-m", "pip_audit", "-r", str(lock), "--disable-pip", "--require-hashes",
                 "-s", "osv", "--osv-url", url, "--cache-dir", str(Path(tmp) / "cache"), "--progress-spinner",
                 "off", "--format", "json", "-o", str(out)], capture_output=True, text=True, timeout=600)
            if not out.is_file():
                tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
                return 1, [f"pip-audit: the audit did not run ({tail[0][:300]})"]
            report = json.loads(out.read_text(encoding="utf-8"))
    finally:
        server.shutdown()
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    db = f"PyPA advisory-database {source['commit'][:12]} of {source['commit_date'][:10]}"
    lines = []
    for d in vulnerable:
        for v in d["vulns"]:
            fix = ", ".join(v.get("fix_versions", [])) or "no fixed version"
            ids = " / ".join([v["id"], *v.get("aliases", [])])
            lines.append(f"pip-audit: {d['name']} {d['version']}: {ids} (fixed in {fix})")
    for d in skipped:
        lines.append(f"pip-audit: {d['name']} could not be audited: {d['skip_reason']}")
    if vulnerable or skipped or not deps:
        lines.append(f"pip-audit: {lock.name}: {len(vulnerable)} of {len(deps)} packages have known advisories, "
                     f"{len(skipped)} not audited ({db}, offline)")
        return 1, lines
    return 0, [f"pip-audit: {lock.name}: no known advisories in {len(deps)} locked packages ({db}, offline)"]


def main(argv: list[str]) -> int:
    locks = [Path(a) for a in argv] or [REPO / "requirements-dev.txt"]
    worst = 0
    for lock in locks:
        code, lines = audit(lock)
        for line in lines:
            print(line, file=sys.stderr if code else sys.stdout)
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
