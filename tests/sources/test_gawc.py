"""GaWC Data Set 31 connectivity 2020: real-data facts, absence = missing, and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import gawc
from cdi_core.sources.base import OBS_COLUMNS, STATUS_OBSERVED


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return gawc.read(raw_dir, registry)


@pytest.fixture(scope="module")
def value(result) -> pd.Series:
    return result.observations.set_index("city_id")["value"]


def test_one_year_one_definition_in_range(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS
    assert set(o["indicator"]) == {"gawc_connectivity"} and set(o["year"]) == {2020}
    assert set(o["status"]) == {STATUS_OBSERVED} and not o["city_id"].duplicated().any()
    assert o["value"].between(0, 100).all()
    assert [s.source_id for s in result.sources] == ["gawc_ds31"] == list(o["source_id"].unique())
    assert result.sources[0].producer.startswith("GaWC")


def test_focus_and_anchor_cities(value):
    assert value["london"] == 100
    assert value["warsaw"] == pytest.approx(46.311, abs=1e-3) and value["vienna"] == pytest.approx(43.559, abs=1e-3)
    assert value["prague"] == pytest.approx(39.534, abs=1e-3)  # 'Czeck Republic' [sic] in the data set
    assert value["budapest"] == pytest.approx(35.105, abs=1e-3)
    assert value["bratislava"] == pytest.approx(27.748, abs=1e-3)


def test_qualified_names_and_china_rows_match(value):
    assert value["new-york-city"] == pytest.approx(86.066, abs=1e-3)  # 'New York (New York)'
    assert "los-angeles" in value.index  # 'Los Angeles(California)'
    assert value["hong-kong"] == pytest.approx(70.321, abs=1e-3) and "taipei" in value.index  # filed under China


def test_city_outside_the_roster_is_missing_not_below_threshold(result, registry, value):
    assert 230 <= len(value) <= 260
    absent = set(registry.city_ids()) - set(value.index)
    assert "valletta" in absent or "vaduz" in absent  # documented as not in the 707
    assert "below" not in " ".join(result.observations["note"])


def _copy(raw_dir, tmp_path) -> pd.DataFrame:
    (tmp_path / gawc.PATH).parent.mkdir(parents=True)
    return pd.read_excel(raw_dir / gawc.PATH, sheet_name=gawc.SHEET)


def _write(df, tmp_path):
    df.to_excel(tmp_path / gawc.PATH, sheet_name=gawc.SHEET, index=False)


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df = _copy(raw_dir, tmp_path).rename(columns={"GNC_rel(%)": "GNC_rel"})
    _write(df, tmp_path)
    with pytest.raises(InputError, match=r"da31_gnc2020.xlsx.*expected columns are missing.*GNC_rel\(%\)"):
        gawc.read(tmp_path, registry)


def test_value_out_of_range_fails(raw_dir, registry, tmp_path):
    df = _copy(raw_dir, tmp_path)
    df.loc[10, "GNC_rel(%)"] = 140.0
    _write(df, tmp_path)
    with pytest.raises(InputError, match=r"da31_gnc2020.xlsx, row 12: GNC_rel\(%\) outside 0-100"):
        gawc.read(tmp_path, registry)


def test_relative_score_out_of_step_with_absolute_fails(raw_dir, registry, tmp_path):
    df = _copy(raw_dir, tmp_path)
    df.loc[20, "GNC_rel(%)"] = df.loc[20, "GNC_rel(%)"] + 1
    _write(df, tmp_path)
    with pytest.raises(InputError, match=r"row 22: GNC_rel\(%\) is not GNC_abs over the maximum"):
        gawc.read(tmp_path, registry)


def test_truncated_roster_fails(raw_dir, registry, tmp_path):
    _write(_copy(raw_dir, tmp_path).iloc[:-5], tmp_path)
    with pytest.raises(InputError, match="da31_gnc2020.xlsx.*row count outside the documented range"):
        gawc.read(tmp_path, registry)


def test_renamed_sheet_fails(raw_dir, registry, tmp_path):
    df = _copy(raw_dir, tmp_path)
    df.to_excel(tmp_path / gawc.PATH, sheet_name="Sheet1", index=False)
    with pytest.raises(InputError, match="da31_gnc2020.xlsx.*no readable sheet 'Results'"):
        gawc.read(tmp_path, registry)
