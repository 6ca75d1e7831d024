"""The focus cities' data recency on the methodology page and the documented absences on the city profile: what a
policymaker comparing the V4 capitals and Vienna sees about old or missing values, in English and translated."""

from __future__ import annotations

import pandas as pd

from tests.app.helpers import INDEX_DIR, frame_with, open_page

ABSENCES = pd.read_parquet(INDEX_DIR / "absences.parquet")


def test_methodology_shows_each_focus_value_year_and_the_documented_reasons():
    at = open_page("pages/methodology.py")
    grid = frame_with(at, "Budapest")
    assert list(grid.columns) == ["indicator", "Budapest", "Prague", "Warsaw", "Bratislava", "Vienna"]
    row = grid.set_index("indicator").loc["Tourist nights"]
    assert row["Vienna"] == "2024" and row["Prague"] == "2024"  # Eurostat's regional nights
    assert row["Bratislava"] == "no data – see why below"  # the region only after 2020: a documented absence
    assert grid.set_index("indicator").loc["International association meetings", "Warsaw"] == "2023"  # curated fact
    assert grid.set_index("indicator").loc["Foreign-born residents", "Warsaw"] == "no data – see why below"
    why = frame_with(at, "searched")
    assert len(why) == len(ABSENCES[ABSENCES["edition"].astype(int) == 2025])
    assert why["reason"].str.len().min() > 40


def test_methodology_recency_in_polish():
    at = open_page("pages/methodology.py", lang="pl")
    grid = frame_with(at, "Wiedeń")
    assert "brak danych – powód poniżej" in set(grid["Warszawa"])


def test_city_profile_lists_its_documented_absences():
    at = open_page("pages/city.py", city="warsaw", open_sections=("city_absences",))
    labels = [e.label for e in at.expander]
    n = int(((ABSENCES["city_id"] == "warsaw") & (ABSENCES["edition"].astype(int) == 2025)).sum())
    assert f"Why some values are older than 2019 or missing ({n})" in labels
    table = frame_with(at, "reason")
    assert len(table) == n


def test_a_city_without_absences_shows_no_such_section():
    at = open_page("pages/city.py", city="prague")
    n = int((ABSENCES["city_id"] == "prague").sum())
    assert any("2019" in e.label for e in at.expander) == (n > 0)
