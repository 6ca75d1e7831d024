"""The project's own cited facts and documented absences (data/curated): what they add, and bad rows refused."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.ingest import fill_below_threshold
from cdi_core.sources import project_curated as pc
from cdi_core.sources.base import OBS_COLUMNS, obs_frame


@pytest.fixture(scope="module")
def result(registry):
    return pc.read(None, registry)


def test_facts_are_observed_cited_and_unique(result):
    o = result.observations
    assert list(o.columns) == OBS_COLUMNS and (o["status"] == "observed").all()
    assert not o.duplicated(["city_id", "indicator", "year"]).any()
    by_id = {s.source_id: s for s in result.sources}
    for sid in o["source_id"]:
        s = by_id[sid]
        assert s.url.startswith("https://") and s.title and s.producer and s.licence and s.retrieved


def test_the_values_a_reader_can_check_on_the_cited_pages(result):
    o = result.observations.set_index(["city_id", "indicator", "year"])["value"]
    assert "tourist_nights" not in set(o.index.get_level_values("indicator"))  # Eurostat NUTS 3 now (retired)
    flags = result.observations.set_index(["city_id", "indicator", "year"])["flags"]
    assert flags[("budapest", "foreign_citizen_share", 2022)] == "derived"  # divided from two printed counts
    assert flags[("warsaw", "icca_meetings", 2023)] == ""
    assert o[("warsaw", "icca_meetings", 2019)] == 71 and o[("warsaw", "icca_meetings", 2023)] == 53
    assert o[("budapest", "foreign_citizen_share", 2022)] == pytest.approx(98_319 / 1_685_342 * 100, abs=0.005)


def test_absences_name_a_reason_and_what_was_searched(result):
    a = result.tables["absences"]
    assert list(a.columns) == pc.ABSENCE_COLUMNS and len(a) >= 10
    assert (a["reason"].str.len() > 40).all() and (a["searched"].str.len() > 5).all()


def _copy(tmp_path):
    shutil.copytree(pc.CURATED_DIR, tmp_path / "curated")
    return tmp_path / "curated"


@pytest.mark.parametrize(("column", "value", "rule"), [
    ("city_id", "atlantis", "unknown city_id"),
    ("value", "about 3 million", "value is not a number"),
    ("value", "-1", "not negative"),
    ("source_url", "javascript:alert(1)", "not an http(s) URL"),
    ("confidence", "certain", "confidence must be one of"),
    ("year", "19", "not a year"),
    ("producer", " ", "producer is empty"),
])
def test_a_bad_fact_names_the_file_row_and_rule(registry, tmp_path, column, value, rule):
    d = _copy(tmp_path)
    df = pd.read_csv(d / pc.FACTS_FILE, dtype=str, keep_default_na=False)
    df.loc[2, column] = value
    df.to_csv(d / pc.FACTS_FILE, index=False)
    with pytest.raises(InputError) as exc:
        pc.read(None, registry, d)
    assert rule in str(exc.value) and exc.value.row == 4 and pc.FACTS_FILE in exc.value.file


def test_a_share_above_100_and_a_duplicate_fact_are_refused(registry, tmp_path):
    d = _copy(tmp_path)
    df = pd.read_csv(d / pc.FACTS_FILE, dtype=str, keep_default_na=False)
    share = df.index[df["indicator"].str.endswith("_share")][0]
    bad = df.copy()
    bad.loc[share, "value"] = "140"
    bad.to_csv(d / pc.FACTS_FILE, index=False)
    with pytest.raises(InputError, match="at most 100"):
        pc.read(None, registry, d)
    pd.concat([df, df.iloc[[0]]]).to_csv(d / pc.FACTS_FILE, index=False)
    with pytest.raises(InputError, match="two facts for one city"):
        pc.read(None, registry, d)


def test_a_missing_column_or_file_is_refused(registry, tmp_path):
    d = _copy(tmp_path)
    pd.read_csv(d / pc.ABSENCES_FILE, dtype=str).drop(columns="reason").to_csv(d / pc.ABSENCES_FILE, index=False)
    with pytest.raises(InputError, match="expected columns are missing"):
        pc.read(None, registry, d)
    (d / pc.ABSENCES_FILE).unlink()
    with pytest.raises(InputError, match="file is missing"):
        pc.read(None, registry, d)


def _obs(status, value, source="icca-x"):
    return obs_frame([{"city_id": "warsaw", "indicator": "icca_meetings", "year": 2019, "value": value,
                       "status": status, "source_id": source, "note": ""}])


def test_a_fact_replaces_a_below_threshold_mark_of_the_same_year():
    out = fill_below_threshold(_obs("below_threshold", float("nan")), _obs("observed", 71.0, "curated-x"))
    assert len(out) == 1 and out.iloc[0]["value"] == 71 and out.iloc[0]["source_id"] == "curated-x"


def test_a_fact_never_replaces_another_sources_measured_value():
    with pytest.raises(InputError, match="may not replace another source's measured value"):
        fill_below_threshold(_obs("observed", 70.0), _obs("observed", 71.0, "curated-x"))


def test_each_fact_is_graded_from_its_confidence(result, registry, tmp_path):
    """high: the producer's own page; medium: the producer's figure printed elsewhere (ICCA's figures on the
    Poland Convention Bureau's page are ICCA's, so medium)."""
    by_id = {s.source_id: s for s in result.sources}
    o = result.observations.set_index(["city_id", "indicator", "year"])["source_id"]
    assert by_id[o[("warsaw", "icca_meetings", 2019)]].grade == "reputable secondary"
    assert {s.grade for s in result.sources} <= set(pc.CONFIDENCE_GRADE.values())
    # no committed fact is high since Vienna's nights come from Eurostat NUTS 3: a high fact on its own page
    d = _copy(tmp_path)
    df = pd.read_csv(d / pc.FACTS_FILE, dtype=str, keep_default_na=False)
    df.loc[0, ["confidence", "source_url"]] = ["high", "https://www.icca.example/own-page"]
    df.to_csv(d / pc.FACTS_FILE, index=False)
    graded = pc.read(None, registry, d)
    by_id = {s.source_id: s for s in graded.sources}
    o = graded.observations.set_index(["city_id", "indicator", "year"])["source_id"]
    assert by_id[o[("warsaw", "icca_meetings", 2019)]].grade == "producer's own publication"
    assert by_id[o[("warsaw", "icca_meetings", 2023)]].grade == "reputable secondary"
