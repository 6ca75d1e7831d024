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
    # 15 rows, the two CTBTO rows count once; + UNCITRAL (building only in the source) and IACA (Laxenburg, 15 km)
    # placed by data/curated/intl_org_places.csv
    assert values.loc["vienna"].tolist() == [16] * 7


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
    # 21 building-only rows in the source; 20 placed from cited pages, the Arab Women Organization (no page gives
    # its city) stays unplaced and says what that costs.
    assert blank["name"].tolist() == ["Arab Women Organization"]
    assert "cities of EG get no zero" in blank["reason"].iloc[0]
    # a small seat town is found in GeoNames' 500+ set: located (no zero is blocked), but 26 km from Geneva
    assert um.loc[um["name"] == "Gland", "reason"].tolist() == ["no reference city within 25 km of Gland in CH"]


def test_building_only_seats_are_placed_from_cited_pages(result, values):
    seats = result.tables["intl_org_seats"]
    where = dict(zip(seats["organisation"], seats["city_id"]))
    assert where["Council of the European Union"] == "brussels"
    assert where["International Court of Justice"] == "the-hague"
    assert where["Court of Justice of the European Union"] == "luxembourg"
    assert where["World Bank"] == where["Organization of American States"] == "washington-d-c"
    assert where["Commonwealth Secretariat"] == "london"
    sources = {s.source_id: s for s in result.sources}
    icj = sources[seats.loc[seats["organisation"] == "International Court of Justice", "source_id"].iloc[0]]
    assert icj.grade and icj.url.startswith("https://")
    # The OIV moved from Paris to Dijon (inaugurated 2024): Paris counts it up to 2023 only.
    assert values.loc["paris", 2023] - values.loc["paris", 2024] == 1


def test_an_unplaced_organisation_blocks_the_zeros_of_its_country(raw_dir, registry, tmp_path):
    places = pd.read_csv(intl_orgs.PLACES_PATH, dtype=str, keep_default_na=False)
    path = tmp_path / "places.csv"
    places[places["acronym"] != "ICJ"].to_csv(path, index=False)
    res = intl_orgs.read(raw_dir, registry, places_path=path)
    nl = set(registry.cities.loc[registry.cities["country_iso2"] == "NL", "city_id"])
    obs = res.observations[res.observations["city_id"].isin(nl)]
    assert (obs["value"] > 0).all()  # no NL city has a (possibly false) zero: Rotterdam etc. are missing
    assert {"rotterdam", "utrecht", "eindhoven"}.isdisjoint(set(obs["city_id"]))
    hague = obs[(obs["city_id"] == "the-hague") & (obs["year"] == 2025)].iloc[0]
    assert "may be incomplete: 1 organisation(s)" in hague["note"]
    assert "International Court of Justice: cities of NL get no zero" in " ".join(res.unmatched["reason"])
    # ...while other countries keep their true zeros
    assert res.observations.query("city_id == 'berlin' and year == 2025")["value"].iloc[0] == 0


def test_a_seat_without_city_or_country_stops_the_ingest(raw_dir, registry, tmp_path):
    df, path = _copy(raw_dir, tmp_path)
    row = df.index[df["organisation"] == "Arab Women Organization"][0]
    df.loc[row, "country_iso2"] = ""
    df.to_csv(path, index=False)
    rule = rf"intl_orgs_seats\.csv, row {row + 2}: seat has neither a city nor a country"
    with pytest.raises(InputError, match=rule):
        intl_orgs.read(tmp_path, registry)


def test_a_stale_place_decision_stops_the_ingest(raw_dir, registry, tmp_path):
    places = pd.read_csv(intl_orgs.PLACES_PATH, dtype=str, keep_default_na=False)
    extra = places.iloc[[0]].assign(organisation="Council of Europe", seat_city="Strasbourg", country_iso2="FR")
    path = tmp_path / "places.csv"
    pd.concat([places, extra]).to_csv(path, index=False)
    with pytest.raises(InputError, match=rf"places\.csv, row {len(places) + 2}: the source already places"):
        intl_orgs.read(raw_dir, registry, places_path=path)
    bad = places.copy()
    bad.loc[3, "grade"] = "trust me"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"places\.csv, row 5: unknown grade"):
        intl_orgs.read(raw_dir, registry, places_path=path)


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
