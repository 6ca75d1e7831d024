"""The release gate: a half input no longer publishes a gutted index. The build compares itself with the index it
replaces and stops (exit 2, one line, the published index untouched) when ranked cities or row counts fall beyond
the bounds of cdi_core/release_gate.py, unless told the shrink is intended (--allow-shrink); growth always passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cdi_core import release_gate
from cdi_core.__main__ import main
from cdi_core.build import build
from cdi_core.paths import INPUTS_DIR
from cdi_core.quality.reviews import read_review


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published") / "index"
    build(INPUTS_DIR, out)
    return out


def _half_observations(tmp_path: Path) -> Path:
    """observations.csv cut at a line boundary to half its lines; the few rows the reviewed jump decisions are about
    are kept, so that the quality gate's stale-review rule does not stop the build before the release gate does."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS_DIR, inputs)
    path = inputs / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    reviewed = {tuple(k.split("|")[:2]) for k in read_review("jumps")["key"]}
    keep = [ln for ln in lines[len(lines) // 2:] if tuple(ln.split(",")[:2]) in reviewed]
    path.write_text("".join(lines[: len(lines) // 2] + keep), encoding="utf-8")
    return inputs


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_half_input_is_refused_against_the_published_index(published, tmp_path, capsys):
    inputs, out = _half_observations(tmp_path), tmp_path / "index"
    shutil.copytree(published, out)
    before = _files(out)
    code = main(["build", "--inputs", str(inputs), "--out", str(out)])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(err) == 1, err
    assert str(out / "manifest.json") in err[0] and "release gate" in err[0], err[0]
    n = json.loads((published / "manifest.json").read_text(encoding="utf-8"))["ranked_cities"]["2025"]
    assert f"ranked cities in 2025 fall from {n} to" in err[0] and "--allow-shrink" in err[0], err[0]
    assert _files(out) == before


def test_an_intended_shrink_passes_with_the_flag(published, tmp_path, capsys):
    inputs, out = _half_observations(tmp_path), tmp_path / "index"
    shutil.copytree(published, out)
    assert main(["build", "--inputs", str(inputs), "--out", str(out), "--allow-shrink"]) == 0
    ranked = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["ranked_cities"]
    n = json.loads((published / "manifest.json").read_text(encoding="utf-8"))["ranked_cities"]["2025"]
    assert ranked["2025"] < n * (1 - release_gate.MAX_RANKED_DROP)


def test_the_same_inputs_and_a_fresh_folder_pass(published, tmp_path):
    build(INPUTS_DIR, published)  # the same index again: no shrink
    build(INPUTS_DIR, tmp_path / "new")  # nothing published there yet: nothing to compare


def _manifest(ranked: int, reference: int = 321, rows: int = 1000) -> dict:
    return {"ranked_cities": {"2024": ranked, "2025": ranked}, "reference_cities": reference,
            "row_counts": {"scores": rows, "framework": 14}}


def test_growth_passes_and_each_bound_is_enforced():
    prev = _manifest(157)
    assert release_gate.breaches(prev, _manifest(200, 330, 1400)) == []          # the integrator's growth
    assert release_gate.breaches(prev, _manifest(150)) == []                     # -4.5 %: within the bound
    assert release_gate.breaches(prev, _manifest(149)) == [
        "ranked cities in 2024 fall from 157 to 149 (bound: -5%)",
        "ranked cities in 2025 fall from 157 to 149 (bound: -5%)"]
    assert release_gate.breaches(prev, _manifest(157, reference=300)) == [
        "reference cities fall from 321 to 300 (bound: -5%)"]
    assert release_gate.breaches(prev, _manifest(157, rows=800)) == ["scores rows fall from 1000 to 800 (bound: -10%)"]
    gone = _manifest(157)
    del gone["ranked_cities"]["2025"]
    assert release_gate.breaches(prev, gone) == ["ranked cities in 2025 fall from 157 to 0 (bound: -5%)"]
    small = {**_manifest(157), "row_counts": {"scores": 1000, "framework": 3}}   # tiny tables are not held to it
    assert release_gate.breaches(prev, small) == []
