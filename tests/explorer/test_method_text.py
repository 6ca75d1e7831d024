"""The methodology page's rules text (explorer.views.methodology.text) states the coverage rule cdi_core applies
(cdi_core.compute.coverage_rule): the share of the measures the edition has, a coverage group counted once, and the
published spec's minimum of measures per pillar."""

from __future__ import annotations

from cdi_core.completeness import measure_of
from explorer.views.methodology import text as txt


def test_the_coverage_rule_is_stated_as_cdi_core_applies_it(data):
    rules = data.manifest["spec"]["rules"]
    text = " ".join(txt.rules(data.manifest, len(data.framework), "en").split())
    assert f"for at least {int(rules['coverage_min'] * 100)}% of the measures any city has data for" in text
    assert f"for at least {rules['pillar_min_measures']} measures in every pillar" in text
    assert "at least one indicator in every pillar" not in text
    # the one coverage group the text names is the framework's only one
    groups = measure_of(data.framework)
    shared = groups[groups.duplicated(keep=False)]
    assert sorted(shared.index) == ["foreign_born_share", "foreign_citizen_share"]


def test_the_rules_follow_a_changed_spec_in_every_language(data):
    manifest = {**data.manifest, "spec": {**data.manifest["spec"],
                                          "rules": {**data.manifest["spec"]["rules"], "pillar_min_measures": 3}}}
    for lang in ("en", "hu", "cs", "sk", "pl", "de"):
        assert "{" not in txt.rules(manifest, 14, lang)
        assert " 3 " in txt.rules(manifest, 14, lang)
