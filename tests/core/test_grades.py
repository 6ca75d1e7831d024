"""Source grades: every source graded, the reviewed tables applied at ingest, and the methodology's grade rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cdi_core.errors import InputError
from cdi_core.grades import apply_grade_rule, check_grades
from cdi_core.paths import INDEX_DIR, INPUTS_DIR
from cdi_core.reviews import apply_drops, apply_grades, check_no_other
from cdi_core.sources.base import GRADES, SourceMeta
from cdi_core.spec import SpecError, load_spec
from tests.core.synthetic import obs, small_spec

GRADE_HEADER = "source_id,grade,reason\n"
DROP_HEADER = "source_file,row,source_id,city_id,indicator,year,reason\n"


def _src(sid: str, grade: str = "") -> SourceMeta:
    return SourceMeta(sid, "title", "producer", "https://example.org", "licence", "attribution", grade=grade)


def _curated(tmp_path: Path, grades: str = "", drops: str = "") -> Path:
    (tmp_path / "source_grades.csv").write_text(GRADE_HEADER + grades, encoding="utf-8")
    (tmp_path / "dropped_values.csv").write_text(DROP_HEADER + drops, encoding="utf-8")
    return tmp_path


def test_the_spec_names_the_allowed_grades():
    spec = load_spec()
    assert spec.rules.allowed_grades == ("official statistics", "producer's own publication", "reputable secondary")
    with pytest.raises(SpecError, match="allowed_grades"):
        spec.override(allowed_grades=("hearsay",))


def test_values_on_a_grade_the_methodology_does_not_allow_are_excluded_and_reported():
    observations = obs([("c00", "a", 2020, 1), ("c01", "a", 2020, 2)]).assign(source_id=["good", "bad"])
    sources = pd.DataFrame({"source_id": ["good", "bad"], "grade": ["official statistics", "other"]})
    kept, excluded = apply_grade_rule(observations, sources, small_spec())
    assert kept["city_id"].tolist() == ["c00"]
    assert excluded["city_id"].tolist() == ["c01"] and excluded["grade"].tolist() == ["other"]
    assert "other" in excluded["reason"].iloc[0]


def test_a_source_without_a_valid_grade_stops_with_its_id():
    with pytest.raises(InputError, match="no grade.*lonely"):
        check_grades(pd.DataFrame({"source_id": ["lonely"], "grade": [""]}))
    with pytest.raises(InputError, match="not one of.*odd"):
        check_grades(pd.DataFrame({"source_id": ["odd"], "grade": ["excellent"]}))


def test_the_reviewed_grade_table_grades_sources_and_rejects_bad_rows(tmp_path):
    graded = apply_grades({"a": _src("a"), "b": _src("b", "other")},
                          _curated(tmp_path, "a,official statistics,Eurostat\n"))
    assert graded["a"].grade == "official statistics" and graded["b"].grade == "other"
    with pytest.raises(InputError, match="no grade.*a"):
        apply_grades({"a": _src("a")}, _curated(tmp_path))
    with pytest.raises(InputError, match="already grades"):
        apply_grades({"b": _src("b", "other")}, _curated(tmp_path, "b,other,twice\n"))
    with pytest.raises(InputError, match="no source module"):
        apply_grades({}, _curated(tmp_path, "ghost,other,gone\n"))


def test_dropped_values_leave_the_observations_and_a_stale_drop_stops_the_ingest(tmp_path):
    observations = obs([("c00", "a", 2020, 1), ("c01", "a", 2020, 2)]).assign(source_id=["s", "t"])
    kept, dropped = apply_drops(observations, _curated(tmp_path, drops="f.csv,,t,,,,a blog\n"))
    assert kept["city_id"].tolist() == ["c00"] and dropped["reason"].tolist() == ["a blog"]
    with pytest.raises(InputError, match="drops no observation"):
        apply_drops(observations, _curated(tmp_path, drops="f.csv,,t,c00,,,stale\n"))


def test_no_value_may_rest_on_a_source_graded_other():
    observations = obs([("c00", "a", 2020, 1)]).assign(source_id=["t"])
    with pytest.raises(InputError, match="graded 'other'"):
        check_no_other(observations, {"t": _src("t", "other")})


def test_the_committed_inputs_and_index_grade_every_source_and_use_no_other():
    sources = pd.read_csv(INPUTS_DIR / "sources.csv", keep_default_na=False)
    check_grades(sources)
    observations = pd.read_csv(INPUTS_DIR / "observations.csv", keep_default_na=False)
    other = set(sources.loc[sources["grade"] == GRADES[-1], "source_id"])
    assert not observations["source_id"].isin(other).any()
    published = pd.read_parquet(INDEX_DIR / "sources.parquet")
    assert published["grade"].isin(GRADES).all() and "cldr-babel" in set(published["source_id"])
