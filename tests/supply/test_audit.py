"""The dependency audit runs offline (pip-audit against the vendored advisories, served on loopback) and fails CI on
a known advisory: a lock with a deliberately vulnerable pin fails, naming the advisory and its fixed version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AUDIT = REPO / "scripts" / "audit_deps.py"
sys.path.insert(0, str(REPO / "scripts"))
import advisories  # noqa: E402


def _audit(*locks: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(AUDIT), *map(str, locks)], capture_output=True, text=True,
                          timeout=600, cwd=REPO)


def test_the_locks_have_no_known_advisory():
    proc = _audit(REPO / "requirements.txt", REPO / "requirements-dev.txt")
    assert proc.returncode == 0, proc.stderr
    assert "requirements-dev.txt: no known advisories in" in proc.stdout, proc.stdout
    assert "offline" in proc.stdout


def test_a_vulnerable_pin_fails_the_audit(tmp_path):
    lock = (REPO / "requirements.txt").read_text(encoding="utf-8")
    pinned = next(line for line in lock.splitlines() if line.startswith("requests=="))
    lock = lock.replace(pinned, "requests==2.30.0 \\")  # PYSEC-2023-74 (CVE-2023-32681), fixed in 2.31.0
    (tmp_path / "requirements.txt").write_text(lock, encoding="utf-8")
    proc = _audit(tmp_path / "requirements.txt")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "requests 2.30.0: PYSEC-2023-74" in proc.stderr and "fixed in 2.31.0" in proc.stderr, proc.stderr


def test_a_package_never_looked_up_fails_the_audit(tmp_path):
    lock = (REPO / "requirements.txt").read_text(encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(lock + "left-pad-py==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n",
                                               encoding="utf-8")
    proc = _audit(tmp_path / "requirements.txt")
    assert proc.returncode == 1 and "left-pad-py never looked up" in proc.stderr, proc.stderr


def test_the_vendored_advisories_cover_every_locked_package():
    source = json.loads((advisories.ADVISORIES / "SOURCE.json").read_text(encoding="utf-8"))
    assert set(advisories.locked()) <= set(source["packages"])
    assert source["database"] == "https://github.com/pypa/advisory-database" and len(source["commit"]) == 40


def test_the_osv_matching_follows_ranges_and_version_lists(tmp_path):
    rec = {"id": "X-1", "affected": [{"package": {"name": "demo", "ecosystem": "PyPI"}, "versions": ["0.5"],
                                      "ranges": [{"type": "ECOSYSTEM", "events": [
                                          {"introduced": "1.0"}, {"fixed": "1.4"}, {"introduced": "2.0"},
                                          {"last_affected": "2.1"}, {"introduced": "3.0"}]}]}]}
    (tmp_path / "demo.json").write_text(json.dumps([rec]), encoding="utf-8")
    hits = {v: bool(advisories.matching("Demo", v, tmp_path))
            for v in ("0.4", "0.5", "1.0", "1.3.9", "1.4", "2.1", "2.2", "3.0", "9")}
    assert hits == {"0.4": False, "0.5": True, "1.0": True, "1.3.9": True, "1.4": False, "2.1": True,
                    "2.2": False, "3.0": True, "9": True}
