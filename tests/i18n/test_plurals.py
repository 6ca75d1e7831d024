"""Plural forms: the translators' ngettext picks each language's form for a count (Polish and Czech have three),
extraction keeps msgid_plural, `check` fails on a plural message with a form missing, and no Hungarian
translation glues a case suffix to a placeholder (the right suffix depends on the number)."""

from __future__ import annotations

import re
import shutil

import pytest
from babel.messages.plurals import get_plural

from explorer.text import i18n
from explorer.views.city.tables import places

ARCS = ("Orange arcs: {n} twin or partner city among the reference cities.",
        "Orange arcs: {n} twin or partner cities among the reference cities.")


def test_polish_has_the_2_and_5_forms():
    _ = i18n.translator("pl")
    two, five = (_.ngettext(*ARCS, n).format(n=n) for n in (2, 5))
    assert "2 miasta bliźniacze" in two and "5 miast bliźniaczych" in five
    assert [places(n, "pl") for n in (1, 2, 5, 12, 22)] == [
        "+1 miejsce", "+2 miejsca", "+5 miejsc", "+12 miejsc", "+22 miejsca"]


def test_czech_slovak_and_german_forms():
    assert [places(n, "cs") for n in (1, 3, 5)] == ["+1 místo", "+3 místa", "+5 míst"]
    assert [places(n, "sk") for n in (1, 3, 5)] == ["+1 miesto", "+3 miesta", "+5 miest"]
    assert [places(n, "de") for n in (1, 2)] == ["+1 Platz", "+2 Plätze"]
    assert i18n.ngettext(*ARCS, 3, lang="cs").startswith("Oranžové oblouky: {n} družební nebo partnerská města")


def test_english_and_unknown_languages_fall_back_to_the_msgids():
    for lang in ("en", "xx", None):
        assert i18n.ngettext(*ARCS, 1, lang=lang) == ARCS[0]
        assert i18n.ngettext(*ARCS, 7, lang=lang) == ARCS[1]
    assert i18n.translator("pl").ngettext("not in the catalogue", "not in the catalogues", 2) == "not in the catalogues"


def test_extraction_keeps_the_plural_msgid():
    assert i18n.plural_messages()["{change} place"] == "{change} places"
    assert 'msgid_plural "{change} places"' in (i18n.LOCALE_DIR / "messages.pot").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", i18n.LANG_CODES[1:])
def test_catalogue_headers_carry_the_languages_plural_rule(lang):
    cat = i18n._read_po(lang)
    assert cat.num_plurals == get_plural(lang).num_plurals


def test_check_fails_on_a_missing_plural_form(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    assert not [p for p in i18n.problems() if p.startswith("pl:")]
    cat = i18n._read_po("pl")
    msg = cat.get("{change} place")
    msg.string = (msg.string[0], msg.string[1], "")  # the "5 miejsc" form left empty
    i18n._write_po(i18n.po_path("pl"), cat)
    found = i18n.problems()
    assert any(p.startswith("pl: plural forms missing for '{change} place': 2 of 3") for p in found), found
    assert i18n.main(["check"]) == 1


def test_check_fails_on_a_wrong_placeholder_in_a_plural_form(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    cat = i18n._read_po("cs")
    msg = cat.get("{change} place")
    msg.string = (msg.string[0], "{chnage} místa", msg.string[2])
    i18n._write_po(i18n.po_path("cs"), cat)
    assert any(p.startswith("cs: placeholders differ in plural form 1") for p in i18n.problems())


def test_no_hungarian_suffix_is_glued_to_a_placeholder():
    glued = re.compile(r"\{[a-z_0-9]+(?:[:!][^{}]*)?\}(?:-|[a-záéíóöőúüű])")
    bad = []
    for msg in i18n._read_po("hu"):
        forms = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        bad += [f for f in forms if f and glued.search(f)]
    assert not bad, bad
