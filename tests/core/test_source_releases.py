"""data/curated/source_releases.csv: release years and next release for every indicator of the spec."""

from __future__ import annotations

import pandas as pd

from cdi_core.paths import REPO_ROOT
from cdi_core.spec import load_spec

PATH = REPO_ROOT / "data" / "curated" / "source_releases.csv"
COLUMNS = ["indicator", "source", "release_year", "published", "next_expected", "source_url", "note"]


def test_every_indicator_has_its_releases_and_next_release():
    df = pd.read_csv(PATH, dtype=str, keep_default_na=False)
    assert list(df.columns) == COLUMNS
    assert set(df["indicator"]) == set(load_spec().indicator_ids)
    for col in ("source", "release_year", "published", "next_expected"):
        assert (df[col].str.strip() != "").all(), col
    assert df["source_url"].str.startswith("http").all()
    assert df["release_year"].str.fullmatch(r"\d{4}([-;]\d{4})*(;\d{4}-\d{4})*").all()
