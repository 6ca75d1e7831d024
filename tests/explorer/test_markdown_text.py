"""plain(): a data string drawn through Streamlit's Markdown stays the literal text it is (the browser test
tests/browser/test_hostile_data.py checks the rendering; this checks the Markdown source it gets)."""

from __future__ import annotations

import re

from explorer.text.markdown import JOINER, plain, shown, strip_invisible


def _unescape(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md).replace(JOINER, "")


def test_no_block_can_start_inside_a_data_string():
    md = plain("Note\n======\n    indented code\r\n\u2028# heading\t\tend")
    assert "\n" not in md and "\r" not in md and "\u2028" not in md and "  " not in md
    assert _unescape(md) == "Note ====== indented code # heading end"


def test_shortcodes_directives_and_bare_links_are_broken_invisibly():
    for text in (":material/home:", ":smile:", ":red[red]", "www.evil.example", "WWW.evil.example",
                 "https://evil.example/p", "a@evil.example", "mailto:a@b.example"):
        md = plain(text)
        assert JOINER in md, text
        assert _unescape(md) == text
    assert JOINER not in plain("Note: a value") and JOINER not in plain("St. Gallen")


def test_markdown_punctuation_entities_and_math_are_escaped():
    md = plain("**b** [l](javascript:alert(1)) <b>x</b> &amp; $x^2$ | ~s~ `c`")
    assert not re.search(r"(?<!\\)[*\[\]()<>&$|~`]", md), md


def test_bidi_and_zero_width_characters_are_dropped():
    assert plain("Buda\u202epest\u200b") == "Budapest"
    assert strip_invisible("a\u2066b\u200dc\nd") == "abc\nd"
    assert shown("Buda\u202epest \n x") == "Budapest x"
