"""Query-parameter parsing: every URL value is validated here and falls back to a default with a notice.

Pure functions (no Streamlit), so they can be property-tested: whatever a link carries, they return a valid value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PARAM_LEN = 200
MAX_COMPARE = 5
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


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
    if text.strip().isdigit() and int(text.strip()) in editions:
        return Parsed(int(text.strip()))
    return Parsed(latest, f"Edition not available; showing {latest}.")


def parse_city(raw: str | list[str] | None, city_ids: set[str], default: str | None = None) -> Parsed:
    text = first(raw)
    if text is None or text == "":
        return Parsed(default)
    slug = text.strip().lower()
    if _SLUG.match(slug) and slug in city_ids:
        return Parsed(slug)
    return Parsed(default, "Unknown city in the link; showing the default." if default
                  else "Unknown city in the link.")


def parse_cities(raw: str | list[str] | None, city_ids: set[str], default: list[str]) -> Parsed:
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
        picked, notice = picked[:MAX_COMPARE], f"At most {MAX_COMPARE} cities can be compared."
    if not picked:
        return Parsed(list(default), "No known city in the link; showing the default comparison.")
    if len(picked) < len([p for p in text.split(",") if p.strip()]) and not notice:
        notice = "Some cities in the link were not recognised and were left out."
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
    return Parsed(default, "Unknown option in the link; showing the default.")
