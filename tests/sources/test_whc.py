"""UNESCO World Heritage properties within 25 km: real-data facts and upstream-format failures."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import whc
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return whc.read(raw_dir, registry)


@pytest.fixture(scope="module")
def values(result) -> pd.DataFrame:
    return result.observations.pivot(index="city_id", columns="year", values="value")


def _copy(raw_dir, tmp_path, skip: str | None = None):
    for rel in (whc.PATH_2024, whc.PATH_2019):
        if rel != skip:
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(raw_dir / rel, tmp_path / rel)
    return tmp_path


def test_shape_sources_uniqueness(result, registry):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert len(o) == 6 * len(registry.city_ids())  # 2019-2024, every reference city: the List is complete
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    ids = {s.source_id for s in result.sources}
    assert set(o["source_id"]) <= ids
    assert set(result.tables["whc_sites"]["source_id"]) <= ids
    assert (o["status"] == "observed").all()


def test_focus_cities(values, result):
    assert values.loc["vienna", 2024] == 2  # Historic Centre, Schönbrunn
    assert values.loc["budapest", 2024] == 1 and values.loc["prague", 2024] == 1 and values.loc["warsaw", 2024] == 1
    sites = result.tables["whc_sites"]
    assert set(sites.loc[sites["city_id"] == "vienna", "id_no"]) == {1033, 786}


def test_inscription_year_counts(values):
    # Danube Limes (Western Segment), inscribed 2021, point 18.6 km from Bratislava
    assert values.loc["bratislava", 2019] == 0 and values.loc["bratislava", 2020] == 0
    assert values.loc["bratislava", 2021] == 1 and values.loc["bratislava", 2024] == 1


def test_removed_property_counted_to_2019_only(values, result):
    assert values.loc["liverpool", 2019] == 1 and values.loc["liverpool", 2020] == 0
    note = result.observations.query("city_id == 'liverpool' and year == 2024")["note"].iloc[0]
    assert "Liverpool – Maritime Mercantile City" in note and "counted to 2019 only" in note


def test_true_zero(values, result):
    assert values.loc["chicago", 2024] == 0
    note = result.observations.query("city_id == 'chicago' and year == 2024")["note"].iloc[0]
    assert "true zero" in note


def test_missing_column_fails(raw_dir, registry, tmp_path):
    root = _copy(raw_dir, tmp_path)
    path = root / whc.PATH_2019
    df = pd.read_csv(path, encoding="latin-1").rename(columns={"date_inscribed": "inscribed"})
    df.to_csv(path, index=False, encoding="latin-1")
    with pytest.raises(InputError, match=r"whc-sites-2019\.csv.*expected columns are missing.*date_inscribed"):
        whc.read(root, registry)


def test_bad_year_fails(raw_dir, registry, tmp_path):
    root = _copy(raw_dir, tmp_path)
    path = root / whc.PATH_2019
    df = pd.read_csv(path, encoding="latin-1")
    df["date_inscribed"] = df["date_inscribed"].astype(str)
    df.loc[10, "date_inscribed"] = "n/a"
    df.to_csv(path, index=False, encoding="latin-1")
    with pytest.raises(InputError, match=r"whc-sites-2019\.csv, row 12: date_inscribed is not a number"):
        whc.read(root, registry)


def test_unreadable_workbook_fails(raw_dir, registry, tmp_path):
    root = _copy(raw_dir, tmp_path)
    (root / whc.PATH_2024).write_bytes(b"not a workbook")
    with pytest.raises(InputError, match=r"whc-sites-2024\.xls: cannot read the workbook"):
        whc.read(root, registry)


def test_missing_file_fails(raw_dir, registry, tmp_path):
    with pytest.raises(InputError, match=r"whc-sites-2024\.xls: upstream file is missing"):
        whc.read(_copy(raw_dir, tmp_path, skip=whc.PATH_2024), registry)
