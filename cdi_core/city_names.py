"""City names in the explorer's languages, from the CLDR exemplar city names that ship with Babel.

A reference city gets a CLDR name only where it IS the exemplar city of a time zone: the zone's territory is the
city's country and the zone's English exemplar name equals the city's registry name (compared after
normalize_name: no accents, case or punctuation). No fuzzy matching: a city that is not a time zone's exemplar keeps
its English name in every language. GeoNames alternate names (for the search) are already in cities.alt_names.
"""

from __future__ import annotations

import pandas as pd

from cdi_core.text import normalize_name
from cdi_core.validate import NAME_FORBIDDEN

LANGS = ("hu", "cs", "sk", "pl", "de")  # English is the registry's own name
SOURCE_ID = "cldr-babel"
COLUMNS = ["city_id", "lang", "name", "source"]


def _babel_version() -> str:
    import babel

    return str(babel.__version__)


def source_row() -> dict:
    """The sources-table row for the CLDR names (same columns as data/inputs/sources.csv)."""
    v = _babel_version()
    return {"source_id": SOURCE_ID,
            "title": f"Unicode CLDR exemplar city names, as shipped with Babel {v} (city names in the explorer's "
                     "languages)",
            "producer": "Unicode Consortium (CLDR), via the Babel project",
            "url": "https://cldr.unicode.org/", "licence": "Unicode License v3",
            "attribution": "Unicode CLDR, Unicode License v3; Babel (BSD-3-Clause)",
            "retrieved": f"PyPI babel {v}", "year": None, "grade": "producer's own publication"}


def _english_exemplar(tz: str, en_zones) -> str:
    city = (en_zones.get(tz) or {}).get("city")
    return str(city) if city else tz.rsplit("/", 1)[-1].replace("_", " ")


def city_names_table(cities: pd.DataFrame) -> pd.DataFrame:
    """(city_id, lang, name, source) for every reference city that is a time zone's exemplar city."""
    from babel import Locale
    from babel.core import get_global

    territories = get_global("zone_territories")
    en_zones = Locale.parse("en").time_zones
    by_key: dict[tuple[str, str], list[str]] = {}
    for tz, country in territories.items():
        by_key.setdefault((normalize_name(_english_exemplar(tz, en_zones)), str(country)), []).append(tz)
    locales = {lang: Locale.parse(lang).time_zones for lang in LANGS}
    rows = []
    for cid, name, cc in zip(cities["city_id"], cities["name"], cities["country_iso2"]):
        zones = by_key.get((normalize_name(str(name)), str(cc)), [])
        if len(zones) != 1:  # none, or ambiguous: keep the English name
            continue
        tz = zones[0]
        for lang in LANGS:
            local = (locales[lang].get(tz) or {}).get("city")
            if local and not NAME_FORBIDDEN.search(str(local)):  # a control, bidi or zero-width character: skip
                rows.append({"city_id": cid, "lang": lang, "name": str(local), "source": SOURCE_ID})
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["city_id", "lang"]).reset_index(drop=True)
