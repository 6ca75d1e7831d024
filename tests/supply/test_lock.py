"""The dependency lock: every package the explorer and the tests install, direct or transitive, is pinned to one
version with its hashes, and CI and the Docker image install from that lock (so starlette, uvicorn or
python-multipart cannot move under a release)."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)")


def _lock(name: str) -> dict[str, str]:
    text = (REPO / name).read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", text):
        first = block.splitlines()[0]
        if not first.strip() or first.startswith("#"):
            continue
        m = PIN.match(first)
        assert m, f"{name}: {first!r} is not an exact pin"
        assert "--hash=sha256:" in block, f"{name}: {first!r} has no hash"
        pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def _closure(roots: list[str]) -> set[str]:
    """The installed distributions the roots need (on Python 3.11 / Linux), as the resolver sees them."""
    seen: set[str] = set()
    todo = [canonicalize_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in reqs:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def _direct(name: str) -> list[str]:
    lines = (REPO / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("==")[0] for ln in lines if "==" in ln and not ln.startswith(("#", "-"))]


def test_the_runtime_lock_pins_every_transitive_package_with_hashes():
    pins = _lock("requirements.txt")
    missing = _closure(_direct("requirements.in")) - set(pins)
    assert not missing, f"requirements.txt does not lock {sorted(missing)}"
    for name in ("starlette", "uvicorn", "python-multipart"):
        assert name in pins, name


def test_the_dev_lock_holds_the_runtime_versions_and_every_tool():
    dev, run = _lock("requirements-dev.txt"), _lock("requirements.txt")
    assert {k: dev.get(k) for k in run} == run
    missing = _closure(_direct("requirements.in") + _direct("requirements-dev.in")) - set(dev)
    assert not missing, f"requirements-dev.txt does not lock {sorted(missing)}"


def test_pypdf_is_past_its_published_advisories():
    assert Version(_lock("requirements-dev.txt")["pypdf"]) >= Version("6.15")


def test_ci_and_docker_install_from_the_lock_with_hashes():
    docker = (REPO / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --require-hashes -r requirements.txt" in docker
    test_sh = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert re.search(r"pip install .*--require-hashes -r requirements-dev\.txt", test_sh)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install --require-hashes -r requirements.txt && streamlit run app.py" in readme
