"""Twin / partner cities: facts a reader would check on the real lists, and upstream-format failures."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.sources import twinnings
from cdi_core.sources.base import OBS_COLUMNS, STATUS_OBSERVED


@pytest.fixture(scope="module")
def result(raw_dir, registry):
    return twinnings.read(raw_dir, registry)


@pytest.fixture(scope="module")
def values(result) -> pd.Series:
    """The latest count of each city (2026, or 2025 for a city whose count moves with a dated ending)."""
    obs = result.observations.sort_values("year")
    return obs.drop_duplicates("city_id", keep="last").set_index("city_id")["value"]


def _by_year(obs: pd.DataFrame, city_id: str) -> dict[int, float]:
    rows = obs[obs["city_id"] == city_id]
    return dict(zip(rows["year"].astype(int), rows["value"]))


def _mirror(raw_dir: Path, tmp_path: Path, *copied: Path) -> Path:
    """A raw dir of symlinks to the real twinning inputs, with `copied` files as real, editable copies."""
    for rel in (twinnings.WIKI_PATH, twinnings.FOCUS_PATH,
                *(twinnings.WIKIDATA_DIR / f"{s}.tsv" for s in twinnings.WIKIDATA_FILES)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        if rel in copied:
            shutil.copy(raw_dir / rel, tmp_path / rel)
        else:
            (tmp_path / rel).symlink_to(raw_dir / rel)
    return tmp_path


def test_shape_sources_and_uniqueness(result, registry):
    obs = result.observations
    assert list(obs.columns) == OBS_COLUMNS
    assert obs["city_id"].nunique() == len(registry.city_ids()) - 4  # Singapore, Hong Kong, Riyadh, Kampala
    assert (obs["status"] == STATUS_OBSERVED).all()
    assert not obs.duplicated(["city_id", "indicator", "year"]).any()
    # one undated count (2026) per city, except where a dated ending (data/curated/partnerships_ended.csv) moves
    # the count: then one count per edition, 2019-2025
    years = obs.groupby("city_id")["year"].agg(lambda y: tuple(sorted(y)))
    assert set(years) == {(2026,), twinnings.YEARS_WITH_ENDINGS}
    assert years["prague"] == twinnings.YEARS_WITH_ENDINGS and years["budapest"] == (2026,)
    ids = {s.source_id for s in result.sources}
    assert set(obs["source_id"]) <= ids
    for name in ("twinnings", "twinning_events"):
        used = {i for v in result.tables[name]["source_id"] for i in v.split(";")}
        assert used <= ids, name


def test_focus_cities(result, values):
    # Union of Wikipedia (Feb 2026) and Wikidata P190 (2017), partners deduplicated.
    assert values["budapest"] == 40
    assert values["bratislava"] == 28
    # less the partnerships a cited source says were ended or suspended by that year: Prague suspended Moscow and
    # Saint Petersburg in September 2014 (41 listed partners), Warsaw ended its Russian partnerships in March 2022
    obs = result.observations
    assert set(_by_year(obs, "prague").values()) == {41 - 2}
    warsaw = _by_year(obs, "warsaw")
    assert warsaw[2021] == 35 and warsaw[2022] == warsaw[2025] == 32
    assert "Moscow (ended 2022-03-03)" in obs[(obs["city_id"] == "warsaw") & (obs["year"] == 2022)]["note"].iloc[0]


def test_vienna_is_not_zero_once_wikidata_counts(result, values):
    # Vienna has no city-level twins on Wikipedia (only district partnerships), but Wikidata lists 16 partners.
    assert values["vienna"] == 16
    pairs = result.tables["twinnings"]
    row = pairs[(pairs["city_id_a"] == "bratislava") & (pairs["city_id_b"] == "vienna")]
    assert row["source"].tolist() == ["wikidata"]


def test_known_zero(result):
    # complete where a list covers the country: Switzerland has a Wikipedia list page, Geneva no twin town
    geneva = result.observations.set_index("city_id").loc["geneva"]
    assert geneva["value"] == 0 and "no formal twinning listed" in geneva["note"]


def test_absent_city_of_an_uncovered_country_is_missing_not_zero(result, registry):
    # no Wikipedia list page for Singapore, Hong Kong, Saudi Arabia or Uganda and no Wikidata extract: partial list
    obs = result.observations.set_index("city_id")
    for cid in ("singapore", "hong-kong", "riyadh", "kampala"):
        assert cid not in obs.index
    assert (obs["value"] > 0).sum() + (obs["value"] == 0).sum() == len(obs)
    partial = obs[obs["note"].str.contains("partial: no list covers")]
    assert (partial["value"] > 0).all()


def test_districts_and_homonyms_do_not_match(registry):
    m = twinnings._Matcher(registry)
    assert m.city("Budapest XV (Budapest)", "HU") == ""
    assert m.city("Prague 6", "CZ") == ""
    assert m.city("Vienna 1 – Innere Stadt", "AT") == ""
    assert m.city("Wieden", "AT") == ""  # a GeoNames alternate name of Vienna, but a district
    assert m.city("Turi", "IT") == ""  # a GeoNames alternate name of Turin, but a town in Apulia
    assert m.city("Washington", "US") == ""  # Washington, Missouri in the twin lists
    assert m.city("Wien", "AT") == "vienna"  # alias table
    assert m.city("Münster", "DE", 49.9167, 8.8667) == ""  # Münster in Hesse, by its Wikidata coordinates
    assert m.city("Münster", "DE", 51.9667, 7.6333) == "munster"
    assert m.city("Malmö Municipality", "SE", 55.5833, 13.0333) == "malmo"


def test_wikidata_denmark_sweden_swap_is_undone(result):
    # denmark.tsv holds Stockholm's links, labelled Denmark: placed by coordinates they still count for Stockholm.
    pairs = result.tables["twinnings"]
    row = pairs[(pairs["city_id_a"] == "copenhagen") & (pairs["city_id_b"] == "stockholm")]
    assert len(row) == 1 and "wikidata" in row["source"].iloc[0]


def test_pair_years_from_focus_file(result):
    pairs = result.tables["twinnings"].set_index(["city_id_a", "city_id_b"])
    assert pairs.loc[("budapest", "vienna"), "start_year"] == 1990
    assert pairs.loc[("budapest", "warsaw"), "start_year"] == 2005
    assert pd.isna(pairs.loc[("budapest", "vienna"), "ended_year"])


def test_events_table(result):
    ev = result.tables["twinning_events"]
    # the focus cities' own lists (108 agreements) and every dated ending that removed a listed partner
    focus = ev[ev["source_id"].str.startswith("twin_focus")]
    endings = ev[ev["source_id"].str.startswith("ended")]
    assert len(focus) == 108 and len(endings) + len(focus) == len(ev)
    assert endings["ended_year"].notna().all() and endings["start_year"].isna().all()
    moscow = endings[(endings["city_id"] == "prague") & (endings["partner_name"] == "Moscow")].iloc[0]
    assert moscow["ended_year"] == 2014 and moscow["ended_note"] == "suspended 2014-09-02"
    beijing = ev[(ev["city_id"] == "prague") & (ev["partner_city_id"] == "beijing")].iloc[0]
    assert beijing["start_year"] == 2016 and beijing["ended_year"] == 2019
    shanghai = ev[(ev["city_id"] == "prague") & (ev["partner_city_id"] == "shanghai")].iloc[0]
    assert pd.isna(shanghai["ended_year"]) and "suspended" in shanghai["ended_note"]


def test_ended_link_is_not_counted(raw_dir, registry, values, tmp_path):
    # Prague-Beijing (ended 2019) is already gone from both lists; mark Prague-Taipei ended to test the rule.
    root = _mirror(raw_dir, tmp_path, twinnings.FOCUS_PATH)
    focus = pd.read_csv(root / twinnings.FOCUS_PATH, dtype=str, keep_default_na=False)
    focus.loc[(focus["city"] == "Prague") & (focus["partner_city"] == "Taipei"), "note"] = "ENDED in 2021 (test)"
    focus.to_csv(root / twinnings.FOCUS_PATH, index=False)
    res = twinnings.read(root, registry).observations
    latest = res[(res["city_id"] == "prague") & (res["year"] == 2025)].iloc[0]
    assert latest["value"] == values["prague"] - 1
    assert "Taipei (link ended 2021)" in latest["note"]
    assert _by_year(res, "taipei") == {2026: values["taipei"] - 1}


def test_renamed_column_fails(raw_dir, registry, tmp_path):
    root = _mirror(raw_dir, tmp_path, twinnings.WIKI_PATH)
    path = root / twinnings.WIKI_PATH
    path.write_text(path.read_text(encoding="utf-8").replace("city2", "partner", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"twin_cities_raw\.csv: upstream format changed: expected columns"):
        twinnings.read(root, registry)


def test_missing_wikidata_file_fails(raw_dir, registry, tmp_path):
    root = _mirror(raw_dir, tmp_path)
    (root / twinnings.WIKIDATA_DIR / "italy.tsv").unlink()
    with pytest.raises(InputError, match=r"italy\.tsv: upstream file is missing"):
        twinnings.read(root, registry)


def test_fixed_swap_is_noticed(raw_dir, registry, tmp_path):
    rel = twinnings.WIKIDATA_DIR / "sweden.tsv"
    root = _mirror(raw_dir, tmp_path, rel)
    df = pd.read_csv(root / rel, sep="\t", dtype=str, keep_default_na=False, quoting=3)
    df = df[df["origincityLabel"] != "Copenhagen"]
    df.to_csv(root / rel, sep="\t", index=False)
    with pytest.raises(InputError, match=r"sweden\.tsv: upstream format changed: the Denmark/Sweden swap is gone"):
        twinnings.read(root, registry)


def test_bad_start_year_names_row(raw_dir, registry, tmp_path):
    root = _mirror(raw_dir, tmp_path, twinnings.FOCUS_PATH)
    focus = pd.read_csv(root / twinnings.FOCUS_PATH, dtype=str, keep_default_na=False)
    focus.loc[3, "start_year"] = "c. 2009"
    focus.to_csv(root / twinnings.FOCUS_PATH, index=False)
    with pytest.raises(InputError, match=r"twinnings_focus_cities\.csv, row 5: start_year is not a year"):
        twinnings.read(root, registry)


def test_distance_helper():
    assert math.isclose(twinnings._km(48.2085, 16.3721, 47.4979, 19.0402), 214, abs_tol=2)  # Vienna-Budapest
