"""Methodology page content (explorer.views.methodology.notes): every indicator is described; downloads are faithful."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from explorer.data.store import TABLES
from explorer.views.methodology import notes as mn


def test_every_indicator_has_a_rule(data):
    for indicator in data.framework["indicator"]:
        notes = mn.INDICATOR_RULES[indicator]
        assert notes["rule"] and notes["zero"] and notes["years"], indicator


def test_goalposts_back_in_the_indicators_unit(data):
    f = mn.framework_table(data.framework).set_index("indicator")
    for ind, row in f.iterrows():
        if math.isnan(row["goalpost_high"]):  # an indicator with no usable value (gawc_tier: only 'other' sources)
            assert math.isnan(row["goalpost_high_raw"]), ind
            continue
        if row["transform"] == "log1p":
            assert row["goalpost_high_raw"] == pytest.approx(math.expm1(row["goalpost_high"]))
        else:
            assert row["goalpost_high_raw"] == pytest.approx(row["goalpost_high"])
        assert row["goalpost_low_raw"] <= row["goalpost_high_raw"], ind
        assert row["direction_text"] in {"higher is more international", "lower is more international"}


def test_value_years_and_sources(data):
    years = mn.value_years(data.indicators)
    assert years["global500_hq"] == "2019–2024"
    src = mn.indicator_sources(data.indicators, data.sources, "diplomatic_countries")
    assert list(src["source_id"]) == ["lowy_gdi"]
    ind = data.indicators
    used = ind[(ind["indicator"] == "diplomatic_countries") & (ind["source_id"] != "")]
    assert src["values"].sum() == len(used)


@pytest.mark.parametrize("table", TABLES)
def test_downloads_are_the_published_tables(data, table):
    path = data.index_dir / f"{table}.parquet"
    assert mn.parquet_bytes(data.index_dir, table) == path.read_bytes()
    csv = pd.read_csv(io.BytesIO(mn.csv_bytes(data.index_dir, table)), keep_default_na=False)
    frame = pd.read_parquet(path)
    assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame)


def test_data_version_shortens_hashes(data):
    v = mn.data_version(data.manifest, hash_chars=12)
    assert v["methodology_version"] == data.manifest["methodology_version"]
    assert (v["inputs"]["sha256"].str.len() == 12).all()
    assert len(v["inputs"]) == len(data.manifest["input_hashes"])
    assert set(v["outputs"]["file"]) == set(data.manifest["outputs"])
