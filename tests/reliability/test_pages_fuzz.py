"""Bad links never break the app: every page, run from the entry point (app.py) as tests/app do, with hostile values
for every query parameter the explorer reads. Each page runs once per hostile value, the values rotated over the
parameters so every parameter gets every value; some runs repeat a parameter (a list), some add ?present=1.
Asserts: no exception, a sensible default (the page still draws its title), and no text element - markdown,
caption, alert, heading - contains a distinctive raw input; the code elements (links, citations, the embed
snippet) hold only plain slugs and numbers of the input (the embed snippet's own markup is its iframe, p, a and br
tags)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["pages/home.py", "pages/ranking.py", "pages/compare.py", "pages/city.py", "pages/changes.py", "pages/map.py",
         "pages/pact.py", "pages/methodology.py"]
PARAMS = ["edition", "city", "cities", "peers", "region", "group", "unranked", "metric", "weights"]


def _random_unicode(seed: int, n: int) -> str:
    rng = random.Random(seed)
    ranges = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x6FF), (0x900, 0x97F), (0x3040, 0x30FF), (0x4E00, 0x9FFF),
              (0x1F300, 0x1FAFF), (0x200B, 0x202E)]
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(n))


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "<style>body{display:none}</style>",
    _random_unicode(1, 40),
    _random_unicode(2, 10_000),
    "x" * 10_000,
    "atlantis,el-dorado,shangri-la",
    "-1",
    "999999",
    "２０１９²",  # unicode digits: '²'.isdigit() is True but int('²') raises (found by hypothesis)
]
# a value is "distinctive" if finding it in the page could only mean it was echoed
ECHO_CHECK = [v for v in HOSTILE if len(v) >= 12]


def _texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "text", "title", "header", "subheader", "info", "warning", "error",
                 "success", "latex"):
        for el in getattr(at, kind, []):
            out.append(str(getattr(el, "value", "") or getattr(el, "body", "")))
    return out


def _run(page: str, params: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    return at


CASES = []
for page in PAGES:
    for i in range(len(HOSTILE)):
        params: dict[str, object] = {p: HOSTILE[(i + j) % len(HOSTILE)] for j, p in enumerate(PARAMS)}
        if i % 3 == 1:  # repeated parameters: ?city=a&city=b
            params = {k: [v, "budapest", v] for k, v in params.items()}
        if i % 4 == 2:
            params["present"] = "1"
        elif i % 4 == 3:
            params["present"] = HOSTILE[i]
        CASES.append(pytest.param(page, params, id=f"{page.split('/')[1][:-3]}-{i}"))


@pytest.mark.parametrize("page,params", CASES)
def test_hostile_query_parameters_never_raise_or_echo(page, params):
    at = _run(page, params)
    assert not at.exception, [e.value for e in at.exception][:1]
    assert at.title or at.header or at.markdown, "the page drew nothing"
    texts = _texts(at)
    values = {v for raw in params.values() for v in (raw if isinstance(raw, list) else [raw])}
    for value in values & set(ECHO_CHECK):
        for t in texts:
            assert value not in t, f"{value[:40]!r} echoed in {t[:80]!r}"
    # st.code shows links and citations as plain text; of the inputs only plain slugs and numbers may pass into it
    for code in at.code:
        if code.value.startswith("<iframe"):  # the embed snippet is HTML by design: only its own few tags
            tags = re.findall(r"<\s*([a-zA-Z/]+)", code.value)
            assert set(tags) <= {"iframe", "/iframe", "p", "/p", "a", "/a", "br"}, tags
            assert "javascript:" not in code.value and "onerror" not in code.value, code.value
        else:
            assert "<" not in code.value and "javascript:" not in code.value, code.value
        for value in values & set(ECHO_CHECK):
            assert not re.search(r"[^A-Za-z0-9,._-]", value) or value not in code.value, code.value
