"""Seats of international organisations: real-data facts and upstream-format failures."""

from __future__ import annotations

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import intl_orgs
from cdi_core.sources.base import OBS_COLUMNS


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return intl_orgs.read(raw_dir, registry)


@pytest.fixture(scope="module")
def values(result) -> pd.DataFrame:
    return result.observations.pivot(index="city_id", columns="year", values="value")


def _copy(raw_dir, tmp_path) -> tuple:
    df = pd.read_csv(raw_dir / intl_orgs.PATH, dtype=str, keep_default_na=False)
    (tmp_path / intl_orgs.PATH).parent.mkdir(parents=True)
    return df, tmp_path / intl_orgs.PATH


def test_shape_sources_and_uniqueness(result, registry):
    obs = result.observations
    assert list(obs.columns) == OBS_COLUMNS
    assert len(obs) == 7 * len(registry.city_ids())
    assert not obs.duplicated(["city_id", "indicator", "year"]).any()
    ids = {s.source_id for s in result.sources}
    assert set(obs["source_id"]) <= ids
    assert set(result.tables["intl_org_seats"]["source_id"]) <= ids
    supra = [s for s in result.sources if "supraverden" in s.url and s.source_id != intl_orgs.TABLE.source_id]
    assert len(supra) == 1 and supra[0].licence == "CC BY-SA 4.0"


def test_budapest_loses_the_iib_in_2023(values):
    # seat_until 2023 = the year the IIB left: counted 2019-2022 only.
    assert values.loc["budapest", 2019:2022].tolist() == [7, 7, 7, 7]
    assert values.loc["budapest", 2023:2025].tolist() == [6, 6, 6]
    # ...and Moscow, its undated other seat, counts it only from 2023.
    assert values.loc["moscow", 2022] == 4 and values.loc["moscow", 2023] == 5


def test_v4_and_vienna(values):
    assert values.loc["prague"].tolist() == [1] * 7  # EUSPA
    assert values.loc["warsaw"].tolist() == [2] * 7  # Frontex, ODIHR
    assert values.loc["bratislava", 2020] == 1 and values.loc["bratislava", 2021] == 2  # ELA from 2021
    assert values.loc["vienna"].tolist() == [14] * 7  # 15 rows, the two CTBTO rows count once


def test_ctbto_counts_once(result):
    seats = result.tables["intl_org_seats"]
    assert (seats["acronym"] == "CTBTO").sum() == 1


def test_metro_rule(result, values):
    seats = result.tables["intl_org_seats"].set_index("seat_municipality")
    for municipality in ("Saint-Gilles", "Etterbeek", "Ixelles", "Brussels-Capital Region"):
        assert set(seats.loc[[municipality], "city_id"]) == {"brussels"}
    assert seats.loc["Solna", "city_id"] == "stockholm"
    assert seats.loc["Lancy", "city_id"] == "geneva"
    assert "includes seats in Etterbeek, Ixelles, Saint-Gilles" in \
        result.observations.query("city_id == 'brussels' and year == 2025")["note"].iloc[0]


def test_seat_cannot_predate_its_organisation(result):
    seats = result.tables["intl_org_seats"]
    board = seats[seats["organisation"] == "Board of Peace"]
    assert board["counted_from"].tolist() == [2026]  # founded 2026: in no edition 2019-2025
    amla = seats[seats["acronym"] == "AMLA"]
    assert amla["counted_from"].tolist() == [2024]


def test_known_zero(result):
    berlin = result.observations.query("city_id == 'berlin' and year == 2025").iloc[0]
    assert berlin["value"] == 0 and "true zero" in berlin["note"]


def test_unplaced_rows_are_reported(result):
    um = result.unmatched
    blank = um[um["reason"].str.startswith("seat city blank")]
    assert len(blank) == 21
    assert "International Court of Justice" in set(blank["name"])
    assert "Gland" in set(um["name"])


def test_missing_column_fails(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    df.drop(columns=["seat_until"]).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"intl_orgs_seats\.csv: upstream format changed: expected columns.*seat_until",
    ):
        intl_orgs.read(tmp_path, registry)


def test_bad_year_names_row(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    df.loc[10, "seat_since"] = "2006?"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"intl_orgs_seats\.csv, row 12: seat_since is not a year"):
        intl_orgs.read(tmp_path, registry)


def test_row_count_out_of_range_fails(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    df.head(50).to_csv(path, index=False)
    with pytest.raises(InputError, match="row count outside the documented range"):
        intl_orgs.read(tmp_path, registry)
