"""The published index as its users and the CI see it: reproducible, complete for the focus cities, cited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cdi_core.__main__ import main
from cdi_core.build import build, check
from cdi_core.errors import InputError
from cdi_core.paths import INDEX_DIR, INPUTS_DIR

FOCUS = ["budapest", "prague", "warsaw", "bratislava", "vienna"]
PILLARS = ["relations", "tourism", "business", "multiculturalism"]


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_parquet(INDEX_DIR / "scores.parquet")


def test_committed_outputs_match_a_fresh_build():
    assert check(INPUTS_DIR, INDEX_DIR) == []


def test_focus_cities_are_ranked_in_every_edition_with_all_pillars(scores):
    manifest = json.loads((INDEX_DIR / "manifest.json").read_text())
    for edition in manifest["editions"]:
        s = scores[(scores.edition == edition) & scores.city_id.isin(FOCUS)]
        idx = s[s.pillar == "index"].set_index("city_id")
        assert idx.loc[FOCUS, "rank"].notna().all(), edition
        assert s[s.pillar.isin(PILLARS)]["score"].notna().sum() == len(FOCUS) * len(PILLARS), edition


def test_latest_edition_ranks_at_least_150_cities(scores):
    latest = scores.edition.max()
    assert latest == 2025
    assert scores[(scores.edition == latest) & (scores.pillar == "index")]["rank"].notna().sum() >= 150


def test_every_observation_cites_a_source_with_a_licence():
    ind = pd.read_parquet(INDEX_DIR / "indicators.parquet")
    src = pd.read_parquet(INDEX_DIR / "sources.parquet").set_index("source_id")
    used = set(ind.loc[ind.status != "missing", "source_id"])
    assert used <= set(src.index)
    assert src.loc[sorted(used), "licence"].str.strip().str.len().gt(0).all()


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    ma, mb = build(INPUTS_DIR, a), build(INPUTS_DIR, b)
    for path in sorted(a.glob("*.parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(b / path.name))
    for key in ("ranked_cities", "row_counts", "input_hashes", "spec"):
        assert ma[key] == mb[key]


def _corrupt_copy(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS_DIR, inputs)
    obs = inputs / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    lines[3] = "atlantis" + lines[3][lines[3].index(","):]
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return inputs


def test_bad_input_names_file_row_rule_and_leaves_outputs_untouched(tmp_path, capsys):
    out = tmp_path / "index"
    build(INPUTS_DIR, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    inputs = _corrupt_copy(tmp_path)
    with pytest.raises(InputError) as err:
        build(inputs, out)
    assert "observations.csv, row 3: unknown city_id" in str(err.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left
    assert main(["build", "--inputs", str(inputs), "--out", str(out)]) == 2
    assert "row 3: unknown city_id" in capsys.readouterr().err


def test_check_reports_stale_outputs(tmp_path):
    out = tmp_path / "index"
    build(INPUTS_DIR, out)
    s = pd.read_parquet(out / "scores.parquet")
    s.loc[0, "score"] = s.loc[0, "score"] + 1
    s.to_parquet(out / "scores.parquet", index=False)
    problems = check(INPUTS_DIR, out)
    assert len(problems) == 1 and "scores.parquet" in problems[0]
    assert main(["build", "--check", "--out", str(out)]) == 1
