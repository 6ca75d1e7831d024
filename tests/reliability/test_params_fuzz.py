"""Property tests (hypothesis) for every URL parser in explorer/text/params.py and for the presentation link cleaner:
whatever a link carries (arbitrary text, lists from repeated parameters, unicode, 10 kB strings, HTML and script
fragments, huge or negative numbers), the result is a valid value and the notice is one of a fixed set of texts,
so the input is never echoed."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.text import params as P
from explorer.text.urls import MAX_URL_LEN, clean_params, share_url

INDEX_DIR = Path(__file__).resolve().parents[2] / "data" / "index"
CITY_IDS = set(pd.read_parquet(INDEX_DIR / "cities.parquet", columns=["city_id"])["city_id"])
EDITIONS = [int(e) for e in json.loads((INDEX_DIR / "manifest.json").read_text(encoding="utf-8"))["editions"]]
CHOICES = ["all", "europe", "asia", "focus"]
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
           "[x](javascript:alert(1))", "<style>body{display:none}</style>", "-1", "999999", "2019.0", " 2019 ",
           "0x7e3", "1e3", "NaN", "inf", "budapest,<b>x</b>", "BUDAPEST", " budapest ", "budapest\x00", "🏙️",
           "ب" * 50, "\u202e2019", "²", "٢٠١٩", "２０１９", "%3Cscript%3E", "a" * 10_000,
           ",".join(sorted(CITY_IDS)[:20]), ",,,,", "40,20,20,20", "40,20,20,20," * 1000, "-40,20,20,20",
           "0,0,0,0", "101,1,1,1"]

text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(HOSTILE),
    st.sampled_from(sorted(CITY_IDS)).map(lambda s: s.upper()),
    st.sampled_from([str(e) for e in EDITIONS]),
    st.integers(-10**12, 10**12).map(str),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=10), st.integers(1, 2_000)),  # up to 20 kB
    st.lists(st.sampled_from(sorted(CITY_IDS) + HOSTILE[:5]), max_size=12).map(",".join),
)
raw_values = st.one_of(st.none(), text, st.lists(text, max_size=4))  # a list = a repeated parameter
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(raw_values)
def test_first_is_none_or_a_short_string(raw):
    out = P.first(raw)
    assert out is None or (isinstance(out, str) and len(out) <= P.MAX_PARAM_LEN)


@FUZZ
@given(raw_values)
def test_edition_is_always_an_edition(raw):
    p = P.parse_edition(raw, EDITIONS)
    assert isinstance(p.value, int) and p.value in EDITIONS
    assert p.notice in {"", f"Edition not available; showing {max(EDITIONS)}."}


@FUZZ
@given(raw_values, st.sampled_from([None, "budapest"]))
def test_city_is_a_known_id_or_the_default(raw, default):
    p = P.parse_city(raw, CITY_IDS, default=default)
    assert p.value == default or p.value in CITY_IDS
    assert p.notice in {"", "Unknown city in the link; showing the default.", "Unknown city in the link."}


@FUZZ
@given(raw_values)
def test_cities_are_known_unique_and_at_most_five(raw):
    default = ["budapest", "prague", "warsaw", "bratislava", "vienna"]
    p = P.parse_cities(raw, CITY_IDS, default)
    assert 1 <= len(p.value) <= P.MAX_COMPARE
    assert set(p.value) <= CITY_IDS and len(set(p.value)) == len(p.value)
    assert p.notice in {"", f"At most {P.MAX_COMPARE} cities can be compared.",
                        "No known city in the link; showing the default comparison.",
                        "Some cities in the link were not recognised and were left out."}


@FUZZ
@given(raw_values)
def test_flag_is_a_bool(raw):
    assert isinstance(P.parse_flag(raw), bool)


@FUZZ
@given(raw_values)
def test_choice_is_one_of_the_choices(raw):
    p = P.parse_choice(raw, CHOICES, "all")
    assert p.value in CHOICES
    assert p.notice in {"", "Unknown option in the link; showing the default."}


@FUZZ
@given(raw_values)
def test_weights_are_four_whole_numbers_0_to_100_not_all_zero(raw):
    default = (25, 25, 25, 25)
    p = P.parse_weights(raw, default)
    assert isinstance(p.value, tuple) and len(p.value) == 4
    assert all(isinstance(w, int) and 0 <= w <= 100 for w in p.value) and sum(p.value) > 0
    assert p.notice in {"", P.WEIGHTS_NOTICE}


@FUZZ
@given(st.dictionaries(text, raw_values, max_size=6),
       st.one_of(text, st.sampled_from(["https://cdi.example.org/city", "http://[", "http://a:99999999/",
                                        "http://a<b>/x", "http://x.org/<script>", "javascript:alert(1)"]),
                 text.map(lambda t: "http://" + t)))
def test_share_url_is_short_plain_and_http(params, base):
    url = share_url(base, "", params)
    assert len(url) <= MAX_URL_LEN
    assert urlsplit(url).scheme in {"http", "https"}
    assert not set(url) & set("<>\"' \n\r\t\\`{}|^")
    assert all(len(v) <= 200 for v in clean_params(params).values())
    for value in HOSTILE[:5]:
        assert value not in url
