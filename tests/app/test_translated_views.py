"""What a Hungarian (or Polish) reader sees on the views whose texts used to stay English: the what-changed page's
event kinds and waterfall labels, the map's legend, tooltip and arcs, the Pact presentation view, the embed snippet's
credit line, and the methodology rule texts."""

from __future__ import annotations

import json

import pandas as pd

from explorer.data.cache import get_index
from explorer.text.i18n import translator
from explorer.views.methodology import notes as method_notes
from explorer.views.pact import members as pact
from tests.app.helpers import INDEX_DIR, frame_with, open_page


def _chart_bytes(at) -> bytes:
    """Every Vega-Lite chart of the page, serialised (its inline Arrow data keeps the labels as UTF-8 text)."""
    return b"".join(c.proto.SerializeToString() for c in at.get("vega_lite_chart"))


def _a_city_with_a_pact_accession() -> tuple[str, int]:
    """A city ranked in both editions around a dated Pact of Free Cities accession (from the published tables)."""
    ev = pd.read_parquet(INDEX_DIR / "events.parquet")
    s = pd.read_parquet(INDEX_DIR / "scores.parquet")
    ranked = set(zip(*s[(s["pillar"] == "index") & s["rank"].notna()][["city_id", "edition"]].T.to_numpy()))
    for city, year in zip(*ev[ev["kind"] == "Pact of Free Cities accession"][["city_id", "year"]].T.to_numpy()):
        if (city, int(year)) in ranked and (city, int(year) - 1) in ranked:
            return str(city), int(year)
    raise AssertionError("no Pact accession between two ranked editions")


def test_changes_in_hungarian_names_the_event_kind_and_the_waterfall_bars():
    city, year = _a_city_with_a_pact_accession()
    at = open_page("pages/changes.py", city=city, edition=str(year), lang="hu")
    events = frame_with(at, "description")
    assert "csatlakozás a Szabad Városok Paktumához" in set(events["kind_text"])
    chart = _chart_bytes(at)
    assert f"Pontszám ({year - 1})".encode() in chart and f"Pontszám ({year})".encode() in chart
    assert b" score" not in chart  # no English "2020 score" bar left
    hu = translator("hu")
    lines = frame_with(at, "contribution")
    assert set(lines["kind_text"]) <= {hu(t) for t in ("new data year", "carried forward", "revised (same year)",
                                                       "later-year value standing in", "value appeared",
                                                       "value lapsed")}
    assert any("saját pontszámváltozásából" in m.value for m in at.markdown)  # the rank sentence


def test_map_in_hungarian_has_a_translated_legend_tooltip_and_arcs():
    at = open_page("pages/map.py", city="budapest", lang="hu")
    deck = at.get("deck_gl_json_chart")[0].proto
    spec, tooltip = json.loads(deck.json), json.loads(deck.tooltip)
    assert "Helyezés: {rank_label}" in tooltip["text"]
    cities = next(layer for layer in spec["layers"] if layer["id"] == "cities")["data"]
    labels = {p["rank_label"] for p in cities}
    assert "nincs rangsorolva (túl kevés adat)" in labels and not any("of" in x.split() for x in labels)
    assert "Bécs" in {p["name"] for p in cities}
    assert b"nincs rangsorolva" in _chart_bytes(at)  # the legend's grey class
    assert any(m.value.startswith("Narancssárga ívek:") for m in at.markdown)


def test_pact_presentation_in_hungarian():
    at = open_page("pages/pact.py", present="1", lang="hu")
    assert [b.label for b in at.button] == ["Kilépés a bemutatóból"]
    assert len(at.get("image")) == 1  # the QR code
    assert not any("snapshot" in c.value for c in at.caption)


def test_pact_helpers_in_polish_and_hungarian():
    data = get_index()
    dates = pact.accession_dates(data.pact_members, "hu")
    bounded = dates[dates["precision"] == "upper bound"]
    assert bounded["date_label"].str.startswith("legkésőbb: ").all()
    assert not any("on or before" in label or "not known" in label for label in dates["date_label"])
    assert pact.group_label(pact.MEMBERS, "pl") == "Członkowie Paktu"
    assert pact.comparable_definition("de").startswith("Vergleichbare Nichtmitglieder:")
    assert pact.members_table(data, "hu")["accession"].notna().all()


def test_embed_snippet_credit_line_in_hungarian():
    at = open_page("pages/city.py", context={"url": "https://cdi.example.org/city"}, city="budapest", lang="hu",
                   open_sections=("city_embed",))
    code = next(c.value for c in at.code if c.value.startswith("<iframe"))
    assert "Városdiplomáciai Index, módszertan v" in code and "az élő nézet megnyitása" in code
    assert "City Diplomacy Index, methodology" not in code


def test_methodology_rule_texts_in_czech():
    fw = method_notes.framework_table(get_index().framework, "cs")
    row = fw[fw["indicator"] == "whc_sites"].iloc[0]
    assert row["rule"].startswith("Památky světového dědictví UNESCO")
    assert row["direction_text"] == "vyšší je mezinárodnější"
    assert method_notes.framework_table(get_index().framework)["rule"].str.len().gt(0).all()


def test_framework_summary_counts_in_polish():
    fw = get_index().framework
    text = method_notes.framework_summary(fw, "pl")
    assert text.startswith(f"4 filary, {len(fw)} wskaźników.")
    assert method_notes.framework_summary(fw).startswith(f"4 pillars, {len(fw)} indicators. ")


def test_pact_page_in_hungarian_names_members_groups_and_dates_in_hungarian():
    at = open_page("pages/pact.py", lang="hu")
    _ = translator("hu")
    text = " ".join(m.value for m in at.markdown)
    assert pact.comparable_definition("hu") in text  # the comparison groups defined in Hungarian
    members = frame_with(at, "mayor_at_signing")
    assert "Varsó" in set(members["name"]) and "Warsaw" not in set(members["name"])
    assert not {"confirmed", "single source"} & set(members["date_certainty"])
    chart = _chart_bytes(at)
    assert _("Pact members").encode() in chart and b"Pact members" not in chart  # the medians' groups
    # the timeline's precision legend (the spec travels as JSON, non-ASCII letters escaped)
    assert json.dumps("csak az év")[1:-1].encode() in chart


def test_methodology_page_in_german_shows_translated_rules_names_and_summary():
    data = get_index()
    at = open_page("pages/methodology.py", lang="de")
    fw = frame_with(at, "transform_text")
    rules = method_notes.framework_table(data.framework, "de")
    assert set(fw["transform_text"]) <= set(rules["transform_text"])
    _ = translator("de")
    assert set(fw["name"]) == {_(n) for n in data.framework["name"]}
    assert set(fw["name"]) != set(data.framework["name"])  # the indicator names are in German
    assert "Anteil der im Ausland geborenen Einwohner." in set(fw["definition"])  # and their definitions
    text = " ".join(m.value for m in at.markdown)
    assert method_notes.framework_summary(data.framework, "de").split(".")[0] in text
