"""Every name a source module could not match is reported with its country (the near-miss gate reads them): a
misspelt reference city ("Talinn") must never vanish silently, whatever its GeoNames population."""

from __future__ import annotations

import pandas as pd

from cdi_core.paths import INPUTS_DIR
from cdi_core.sources import creative_cities as cc


def test_a_misspelt_member_city_is_reported_with_its_country(raw_dir, registry, tmp_path):
    df = pd.read_csv(raw_dir / cc.RAW_PATH, dtype=str, keep_default_na=False)
    row = df.index[df["city"] == "Budapest"][0]
    df.loc[row, "city"] = "Budapestt"  # no GeoNames city of this name: the old 250,000+ filter dropped it
    path = tmp_path / cc.RAW_PATH
    path.parent.mkdir(parents=True)
    df.to_csv(path, index=False)
    um = cc.read(tmp_path, registry).unmatched
    hit = um[um["name"] == "Budapestt"]
    assert hit[["row", "country_iso2"]].values.tolist() == [[row + 2, "HU"]]


def test_the_committed_unmatched_table_names_a_country_wherever_the_source_gives_one():
    um = pd.read_csv(INPUTS_DIR / "unmatched.csv", dtype=str, keep_default_na=False)
    assert list(um.columns) == ["module", "source_file", "row", "name", "country_iso2", "reason"]
    blank = um[(um["country_iso2"] == "") & (um["module"] != "registry_build")]
    # a Global 500 list year the inputs hold only in part is withheld for every country: a line per year, no country
    whole_year = (blank["module"] == "global500") & blank["name"].str.fullmatch(r"list year \d{4}")
    assert blank.loc[whole_year, "reason"].str.contains("no city count published for this year").all()
    blank = blank[~whole_year]
    # otherwise only rows whose source gives no country at all, and they say so
    assert blank["module"].isin({"creative_cities", "networks", "lowy", "twinnings"}).all()
    assert blank[blank["module"] != "twinnings"]["reason"].str.contains("no country|not in the reference set").all()
    for module in ("lowy", "creative_cities", "eurostat_tourism", "foreign_residents", "twinnings", "intl_orgs",
                   "arrivals", "icca", "gawc", "global500", "networks"):
        assert (um["module"] == module).any(), module
