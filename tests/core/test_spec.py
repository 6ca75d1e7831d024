"""The declarative spec: loaded, validated, and overridable in one place."""

from __future__ import annotations

import pytest

from cdi_core.spec import SpecError, load_spec


def test_official_spec_has_four_pillars_and_equal_weights():
    spec = load_spec()
    assert spec.pillar_ids == ["relations", "tourism", "business", "multiculturalism"]
    assert {p.weight for p in spec.pillars} == {1.0}
    assert spec.editions == list(range(2019, 2026))
    assert all(spec.indicators_of(p) for p in spec.pillar_ids)


def test_override_changes_only_what_is_named():
    spec = load_spec()
    o = spec.override(pillar_weights={"tourism": 2}, normalisation="zscore", drop_indicators=["gawc_connectivity"])
    assert [p.weight for p in o.pillars] == [1.0, 2.0, 1.0, 1.0]
    assert o.rules.normalisation == "zscore" and "gawc_connectivity" not in o.indicator_ids
    assert spec.rules.normalisation == "minmax" and "gawc_connectivity" in spec.indicator_ids


@pytest.mark.parametrize("kwargs,message", [
    ({"pillar_weights": {"nowhere": 1}}, "unknown"),
    ({"pillar_weights": {"tourism": -1}}, "weight"),
    ({"normalisation": "magic"}, "normalisation"),
    ({"coverage_min": 0}, "coverage_min"),
    ({"drop_indicators": ["foreign_born_share", "foreign_citizen_share"]}, "multiculturalism"),
    ({"colour": "red"}, "unknown rules"),
])
def test_bad_overrides_are_refused_with_the_field_named(kwargs, message):
    with pytest.raises(SpecError, match=message):
        load_spec().override(**kwargs)
