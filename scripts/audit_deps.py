"""Dependency vulnerability check for CI: pip-audit on requirements.txt (and its transitive dependencies).

Fails (exit 1) when any pinned package has a known vulnerability. pip-audit asks the PyPI JSON API for each
package's advisories; where that service cannot be reached (an offline or mirrored package index, as in the
development sandbox), pip-audit skips the package and would still say "No known vulnerabilities found". This script
counts those skips and says loudly that the audit is INCOMPLETE; it then exits 0 (so an offline machine can still
run the test suite) unless CDI_AUDIT_STRICT=1, which CI with network access should set.

    python scripts/audit_deps.py [requirements file]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    req = Path(argv[0]) if argv else REPO / "requirements.txt"
    strict = os.environ.get("CDI_AUDIT_STRICT") == "1"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        proc = subprocess.run([sys.executable, "-m", "pip_audit", "-r", str(req), "--progress-spinner", "off",
                               "--format", "json", "-o", str(out)], capture_output=True, text=True, timeout=600)
        if not out.is_file():  # pip-audit itself failed (e.g. no network at all for the vulnerability service)
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            print(f"pip-audit: WARNING: the audit did not run ({tail[0][:300]}); "
                  "dependency vulnerabilities were NOT checked", file=sys.stderr)
            return 1 if strict else 0
        report = json.loads(out.read_text(encoding="utf-8"))
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    for d in vulnerable:
        for v in d["vulns"]:
            fix = ", ".join(v.get("fix_versions", [])) or "no fixed version"
            print(f"pip-audit: {d['name']} {d['version']}: {v['id']} (fixed in {fix})", file=sys.stderr)
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} of {len(deps)} packages have known vulnerabilities", file=sys.stderr)
        return 1
    if skipped:
        print(f"pip-audit: WARNING: INCOMPLETE audit - {len(skipped)} of {len(deps)} packages could not be audited "
              f"(the vulnerability service did not know them, e.g. '{skipped[0]['skip_reason']}'); "
              f"no known vulnerabilities among the {audited} audited. "
              + ("Failing: CDI_AUDIT_STRICT=1." if strict else "Not failing the run (set CDI_AUDIT_STRICT=1 to)."),
              file=sys.stderr)
        return 1 if strict else 0
    print(f"pip-audit: no known vulnerabilities in {len(deps)} packages ({req.name} and its dependencies)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
