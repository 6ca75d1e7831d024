"""Data-derived text made inert for st.markdown / st.write / st.caption / labels and help tooltips, without
Streamlit, so the per-process helpers that build a page's markdown once (explorer.views.methodology.tables) escape it
exactly
as the pages do.

Streamlit's Markdown is more than CommonMark: besides block syntax (a line of `======` under text is a heading,
indentation a code block) it turns `:name:` into emoji, `:material/x:` into icons, `:red[...]` into coloured text,
`$...$` into math, and bare `www.`, `http://` and `e-mail@addresses` into links. Some of these are rewritten on the
parsed text, after backslash escapes are gone, so escaping alone cannot stop them. `plain` therefore:
- folds every line break, tab and run of spaces into one space (no block can start inside a data string);
- drops control, bidirectional-override and zero-width characters (they reorder or hide what a reader sees;
  the build refuses them in names, cdi_core/validate.py);
- backslash-escapes every Markdown punctuation character and `&` (entities);
- puts an invisible WORD JOINER (U+2060) where a shortcode, directive or bare link would start: after a `:` or an
  `@` that a word follows, and between `www` and its dot; the reader sees the same text.
"""

from __future__ import annotations

import re

MD_SPECIAL = "\\`*_{}[]<>()#+-.!|~$&"
JOINER = "\u2060"
# C0/C1 controls (line breaks and tabs are folded to spaces before this), bidi marks, overrides and isolates,
# zero-width characters and the BOM
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff\u180e]")
_WHITESPACE = re.compile(r"[\s\x85\u2028\u2029]+")
_LINK_STARTS = re.compile(r"(?<=[:@])(?=[^\s])|(?<=www)(?<![\w.]www)(?=\.)", re.IGNORECASE)


def strip_invisible(text: str) -> str:
    """Text without control (except line breaks and tabs), bidi or zero-width characters: for the snapshots' HTML and
    the PDFs, where markup is not the risk but a reordered or hidden name is."""
    return _INVISIBLE.sub("", text)


def plain(text: object) -> str:
    """A data-derived string as Markdown that renders as the literal text it is, on one line."""
    s = _WHITESPACE.sub(" ", _INVISIBLE.sub("", str(text))).strip()
    s = _LINK_STARTS.sub(JOINER, s)
    return "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in s)


def shown(text: object) -> str:
    """What a reader sees of `plain(text)` (without the invisible joiners): for tests and comparisons."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", str(text))).strip()
