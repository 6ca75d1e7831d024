"""Name normalisation shared by every matcher: one rule, so sources never disagree on spelling."""

from __future__ import annotations

import re
import unicodedata

_EXTRA_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "đ": "d", "Đ": "d",
                                "ı": "i", "œ": "oe", "þ": "th", "ð": "d", "ħ": "h"})
_NOISE = re.compile(r"\((greater city|city|municipality|capital)\)", re.IGNORECASE)


def normalize_name(name: str) -> str:
    """Fold a place name to a comparison key: no accents, case, punctuation or '(greater city)' suffix.

    'Bruxelles/Brussel (greater city)' -> 'bruxelles brussel'; 'Kraków' -> 'krakow'; 'St. Gallen' -> 'st gallen'.
    """
    if not isinstance(name, str):
        return ""
    s = _NOISE.sub(" ", name).translate(_EXTRA_LETTERS)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().replace("&", " and ")
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return " ".join(s.split())


def slugify(name: str) -> str:
    """URL-safe id from a name: 'Kraków' -> 'krakow', 'Washington, D.C.' -> 'washington-d-c'."""
    return normalize_name(name).replace(" ", "-")
