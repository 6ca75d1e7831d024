"""Query-parameter parsing: every URL value is validated here and falls back to a default with a notice.

Pure functions (no Streamlit), so they can be property-tested: whatever a link carries, they return a valid value.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from explorer.text.i18n import LANG_CODES, N_

MAX_PARAM_LEN = 200
MAX_COMPARE = 5
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


class Notice(str):
    """A notice in English (it is a str) that keeps its msgid template and arguments, so a page can show it in the
    reader's language: notice_text(notice, _) in explorer.widgets.page."""

    template: str
    args: dict

    def __new__(cls, template: str, **args: object) -> Notice:
        obj = super().__new__(cls, template.format(**args))
        obj.template, obj.args = template, args
        return obj


def notice_text(notice: str, _) -> str:
    """The notice in the language of the translator `_` (plain strings are looked up as they are)."""
    if isinstance(notice, Notice):
        return _(notice.template).format(**notice.args)
    return _(notice) if notice else notice


@dataclass(frozen=True)
class Parsed:
    """A parsed value and, if the URL's value was rejected, a short plain-text notice for the reader."""

    value: object
    notice: str = ""


def first(raw: str | list[str] | None) -> str | None:
    """Streamlit gives a str, or a list for repeated parameters: take the first, truncated."""
    if raw is None:
        return None
    if isinstance(raw, list):
        raw = raw[0] if raw else None
        if raw is None:
            return None
    return str(raw)[:MAX_PARAM_LEN]


def parse_edition(raw: str | list[str] | None, editions: list[int]) -> Parsed:
    latest = max(editions)
    text = first(raw)
    if text is None or text == "":
        return Parsed(latest)
    if text.strip().isascii() and text.strip().isdigit() and int(text.strip()) in editions:  # '²'.isdigit()
        return Parsed(int(text.strip()))
    return Parsed(latest, Notice(N_("Edition not available; showing {edition}."), edition=latest))


def parse_city(raw: str | list[str] | None, city_ids: AbstractSet[str], default: str | None = None) -> Parsed:
    text = first(raw)
    if text is None or text == "":
        return Parsed(default)
    slug = text.strip().lower()
    if _SLUG.match(slug) and slug in city_ids:
        return Parsed(slug)
    return Parsed(default, Notice(N_("Unknown city in the link; showing the default.")) if default
                  else Notice(N_("Unknown city in the link.")))


def parse_cities(raw: str | list[str] | None, city_ids: AbstractSet[str], default: list[str]) -> Parsed:
    text = first(raw)
    if text is None or text == "":
        return Parsed(list(default))
    picked: list[str] = []
    for part in text.split(","):
        slug = part.strip().lower()
        if _SLUG.match(slug) and slug in city_ids and slug not in picked:
            picked.append(slug)
    notice = ""
    if len(picked) > MAX_COMPARE:
        picked, notice = picked[:MAX_COMPARE], Notice(N_("At most {n} cities can be compared."), n=MAX_COMPARE)
    if not picked:
        return Parsed(list(default), Notice(N_("No known city in the link; showing the default comparison.")))
    if len(picked) < len([p for p in text.split(",") if p.strip()]) and not notice:
        notice = Notice(N_("Some cities in the link were not recognised and were left out."))
    return Parsed(picked, notice)


def parse_flag(raw: str | list[str] | None) -> bool:
    return (first(raw) or "").strip().lower() in {"1", "true", "yes", "on"}


def parse_choice(raw: str | list[str] | None, choices: list[str], default: str) -> Parsed:
    text = first(raw)
    if text is None or text == "":
        return Parsed(default)
    key = text.strip().lower()
    if key in choices:
        return Parsed(key)
    return Parsed(default, Notice(N_("Unknown option in the link; showing the default.")))


MAX_WEIGHTS_LEN = 40
_WEIGHT = re.compile(r"^\d{1,3}$")
WEIGHTS_NOTICE = N_("The weights in the link were not understood (four whole numbers from 0 to 100, not all 0, e.g. "
                  "40,20,20,20); showing the official weights.")


def parse_weights(raw: str | list[str] | None, default: tuple[int, ...]) -> Parsed:
    """?weights=40,20,20,20 -> (40, 20, 20, 20): one whole number 0-100 per pillar, not all zero. Anything else
    (wrong count, negatives, decimals, words, huge strings) falls back to `default` with a notice."""
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if raw is None or str(raw) == "":
        return Parsed(tuple(default))
    text = str(raw)
    if len(text) > MAX_WEIGHTS_LEN:
        return Parsed(tuple(default), WEIGHTS_NOTICE)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != len(default) or not all(_WEIGHT.match(p) for p in parts):
        return Parsed(tuple(default), WEIGHTS_NOTICE)
    values = tuple(int(p) for p in parts)
    if any(v > 100 for v in values) or sum(values) == 0:
        return Parsed(tuple(default), WEIGHTS_NOTICE)
    return Parsed(values)


def format_weights(weights: tuple[int, ...]) -> str:
    return ",".join(str(int(w)) for w in weights)


def parse_lang(raw: str | list[str] | None) -> str:
    """?lang=hu -> 'hu'. Unknown, malformed or oversized values fall back to English without a notice: a language
    code is never worth an error message, and the page is readable in English."""
    text = first(raw)
    if not text or len(text) > 8:
        return "en"
    code = text.strip().lower()
    return code if code in LANG_CODES else "en"
