"""City-network memberships (C40 + Pact of Free Cities): real-data facts and upstream-format failures."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import networks
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return networks.read(raw_dir, registry)


@pytest.fixture(scope="module")
def values(result) -> pd.DataFrame:
    return result.observations.pivot(index="city_id", columns="year", values="value")


def _curated_copy(raw_dir, tmp_path):
    shutil.copytree(raw_dir / "curated", tmp_path / "curated",
                    ignore=shutil.ignore_patterns("*.md", "foreign*", "tourism*", "gawc*", "global500*", "icca*"))
    return tmp_path


def test_shape_sources_and_uniqueness(result, registry):
    obs = result.observations
    assert list(obs.columns) == OBS_COLUMNS
    assert len(obs) == 7 * len(registry.city_ids())
    assert not obs.duplicated(["city_id", "indicator", "year"]).any()
    ids = {s.source_id for s in result.sources}
    assert set(obs["source_id"]) <= ids
    for name in ("pact_members", "network_memberships"):
        assert set(result.tables[name]["source_id"]) <= ids, name


def test_pact_members_all_matched(result, raw_dir):
    pact = result.tables["pact_members"]
    assert len(pact) == 40 and pact["city_id"].is_unique
    founders = set(pact.loc[pact["role"] == "founder", "city_id"])
    assert founders == {"budapest", "prague", "warsaw", "bratislava"}
    raw = pd.read_csv(raw_dir / networks.PACT_PATH, dtype=str, keep_default_na=False)
    pact_sources = {s.url for s in result.sources if s.source_id.startswith("pact-")}
    assert pact_sources == set(raw["source_url"])  # one SourceMeta per distinct URL


def test_v4_capitals_and_vienna(values):
    assert values.loc["budapest"].tolist() == [1] * 7  # Pact founder, not in C40
    assert values.loc["warsaw"].tolist() == [2] * 7  # Pact founder and C40 member
    assert values.loc["vienna", 2020] == 0 and values.loc["vienna", 2021] == 1  # joined 16 Sep 2021


def test_pact_dates(values, result):
    assert values.loc["milan", 2021] == 1 and values.loc["milan", 2022] == 2  # C40; Pact by Feb 2022
    assert values.loc["munich", 2022] == 0 and values.loc["munich", 2023] == 1
    obs = result.observations.set_index(["city_id", "year"])
    assert values.loc["lisbon", 2024] + 1 == values.loc["lisbon", 2025]  # date unknown: counted from 2025
    assert "joining date unknown" in obs.at[("lisbon", 2025), "note"]


def test_c40_undated_note_and_zero(result):
    obs = result.observations.set_index(["city_id", "year"])
    assert "undated" in obs.at[("london", 2019), "note"]
    geneva = obs.loc[("geneva", 2025)]
    assert geneva["value"] == 0 and "neither" in geneva["note"]


def test_membership_side_table(result):
    m = result.tables["network_memberships"]
    vienna_euro = m[(m["city_id"] == "vienna") & (m["network"] == "Eurocities")]
    assert vienna_euro["year"].tolist() == [1995] and not vienna_euro["list_complete"].any()
    assert m.loc[m["network"] == networks.PACT_NETWORK, "list_complete"].all()
    assert (m["network"] == "C40 Cities Climate Leadership Group").sum() >= 96
    assert "Ekurhuleni" in set(result.unmatched["name"])  # the one C40 member outside the reference set


def test_renamed_pact_column_fails(raw_dir, registry, tmp_path):
    root = _curated_copy(raw_dir, tmp_path)
    path = root / networks.PACT_PATH
    pd.read_csv(path, dtype=str).rename(columns={"joined_date": "date"}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"pact_of_free_cities\.csv: upstream format changed.*joined_date"):
        networks.read(root, registry)


def test_unmatched_pact_member_fails(raw_dir, registry, tmp_path):
    root = _curated_copy(raw_dir, tmp_path)
    path = root / networks.PACT_PATH
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[5, "city"] = "Barcelonna"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"pact_of_free_cities\.csv, row 7: Pact member is not a reference city"):
        networks.read(root, registry)


def test_bad_pact_date_fails(raw_dir, registry, tmp_path):
    root = _curated_copy(raw_dir, tmp_path)
    path = root / networks.PACT_PATH
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "joined_date"] = "16/12/2019"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"row 2: joined_date must be"):
        networks.read(root, registry)


def test_missing_network_file_fails(raw_dir, registry, tmp_path):
    root = _curated_copy(raw_dir, tmp_path)
    (root / "curated" / "network_eurocities.csv").unlink()
    with pytest.raises(InputError, match=r"network_eurocities\.csv: upstream file is missing"):
        networks.read(root, registry)
