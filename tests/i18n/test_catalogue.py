"""The message catalogue: every msgid the pages and explorer modules use is translated in every language, the
compiled .mo files match their .po sources, and ?lang= falls back to English on anything unknown."""

from __future__ import annotations

import pytest

from explorer.text import i18n
from explorer.text.params import parse_lang


@pytest.mark.parametrize("lang", i18n.LANG_CODES[1:])
def test_every_msgid_is_translated(lang):
    missing = [p for p in i18n.problems() if p.startswith(f"{lang}:")]
    assert not missing, f"{len(missing)} problems, first: {missing[:5]}"


def test_compiled_catalogues_are_fresh():
    stale = [p for p in i18n.problems() if ".mo" in p and not p.startswith(tuple(f"{c}:" for c in i18n.LANG_CODES))]
    assert not stale, stale


@pytest.mark.parametrize("raw", ["xx", "<script>alert(1)</script>", "x" * 10_000, "", None, ["hu", "de"], "HU "])
def test_parse_lang_falls_back_to_english(raw):
    expected = {"HU ": "hu"}.get(raw) if isinstance(raw, str) else ("hu" if raw == ["hu", "de"] else "en")
    assert parse_lang(raw) == (expected or "en")


def test_number_formats_follow_the_locale():
    assert i18n.fmt_number(1234.5, "hu", 1) == "1\xa0234,5"
    assert i18n.fmt_number(1234.5, "de", 1) == "1.234,5"
    assert i18n.fmt_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.fmt_number(float("nan"), "pl", 1) == i18n.DASH and i18n.fmt_number(None, "cs") == i18n.DASH


def test_city_names_come_from_cldr():
    assert [i18n.city_name("vienna", "Vienna", lang) for lang in ("en", "hu", "cs", "sk", "pl", "de")] == [
        "Vienna", "Bécs", "Vídeň", "Viedeň", "Wiedeń", "Wien"]
    assert i18n.city_name("vienna", "Vienna", "<script>") == "Vienna"
