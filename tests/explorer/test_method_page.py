"""The methodology page's tables (explorer.method_page): one sources table with exactly the per-indicator rows, and
the list of downloadable files."""

from __future__ import annotations

import pandas as pd
import pytest

from explorer import method_notes as mn
from explorer import method_page as mp
from explorer.data import TABLES, load_index


@pytest.fixture(scope="module")
def data():
    return load_index()


def test_one_sources_table_has_every_indicators_rows(data):
    table = mp.sources_by_indicator(data.indicators, data.sources, data.framework)
    for ind in data.framework["indicator"]:
        per = mn.indicator_sources(data.indicators, data.sources, ind)
        mine = table[table["indicator"] == ind].drop(columns=["indicator", "name"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, per)
    assert list(mp.shown(table, mp.SOURCES_BY_INDICATOR_COLUMNS).columns) == mp.SOURCES_BY_INDICATOR_COLUMNS


def test_framework_view_carries_the_value_years(data):
    fw = mp.framework_view(data.framework, data.indicators)
    years = mn.value_years(data.indicators)
    assert fw.set_index("indicator").at["global500_hq", "value_years"] == years["global500_hq"]
    assert set(mp.FRAMEWORK_COLUMNS) <= set(fw.columns)


def test_downloads_list_every_file_once():
    rows = {"cities": 3, "scores": 9, "rank_uncertainty": 5}
    files = mp.downloads(["cities", "scores", "absences"], ["rank_uncertainty", "audit_pillars"], rows,
                         {"absences": 2})
    assert [f.label for f in files] == ["cities.parquet", "cities.csv", "scores.parquet", "scores.csv",
                                        "absences.parquet", "absences.csv", "rank_uncertainty.parquet",
                                        "manifest.json"]
    assert [f.rows for f in files] == [3, 3, 9, 9, 2, 2, 5, None]
    assert len({f.file_name for f in files}) == len(files)
    assert len(mp.downloads(TABLES, [], {})) == 2 * len(TABLES) + 1
