"""The static snapshots (explorer.publish.snapshots): the same numbers as the published Parquet, nothing executable,
every language's set with translated labels, locale numbers and reciprocal hreflang links.

Most checks read a small set rendered here by the publish command's own code path (four cities in every language,
a few seconds); the checks over every page read static/snapshots as `python -m explorer.publish` wrote it, and are
skipped when it has not been run (scripts/test.sh runs it first and sets CDI_REQUIRE_PUBLISHED=1, so there they
fail instead)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from cdi_core.paths import INDEX_DIR
from explorer.publish import command
from explorer.publish import snapshots as S
from explorer.publish.snapshots import city_page, link, pact_page, ranking_page
from explorer.text.i18n import LANG_CODES, fmt_number, translator
from explorer.text.urls import SNAPSHOT_DIR, lang_dir, public_base_url
from explorer.text.urls import SNAPSHOT_PATH as SERVED_PATH

ROOT = Path(__file__).resolve().parents[2]


SUBSET = ["budapest", "vienna", "warsaw", "abidjan"]


@pytest.fixture(scope="module")
def subset(data, tmp_path_factory) -> Path:
    """The ranking, the Pact and four cities in every language, root-relative, as the publish command renders them."""
    out = tmp_path_factory.mktemp("published")
    command.render(data, out / "snapshots", out / "reports", langs=LANG_CODES, cities=SUBSET)
    return out / "snapshots"


@pytest.fixture(scope="module")
def published() -> Path:
    """static/snapshots as `python -m explorer.publish` wrote it (root-relative), or a skip (a fail under
    CDI_REQUIRE_PUBLISHED=1)."""
    if not (SNAPSHOT_DIR / "index.html").is_file():
        if os.environ.get("CDI_REQUIRE_PUBLISHED") == "1":
            pytest.fail("static/snapshots is missing: run python -m explorer.publish")
        pytest.skip("static/snapshots not rendered yet (python -m explorer.publish)")
    return SNAPSHOT_DIR


def text_of(html: str) -> str:
    """Roughly what a reader sees: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(b|a|span)\b[^>]*>", "", html)
    return unescape(re.sub(r"<[^>]+>", " ", inline))


def test_budapest_snapshot_shows_the_published_rank_score_and_pillars(data):
    edition = max(data.editions)
    s = data.scores[(data.scores["city_id"] == "budapest") & (data.scores["edition"] == edition)]
    idx = s[s["pillar"] == "index"].iloc[0]
    page = city_page(data, "budapest", edition)
    text = " ".join(text_of(page).split())
    assert f"Rank {int(idx['rank'])} of {int(idx['n_ranked'])}" in text
    assert f"Index score {idx['score']:.1f}" in text
    for r in s[s["pillar"] != "index"].itertuples():
        assert f"{data.pillar_names[r.pillar]} {r.score:.1f} {int(r.rank)} of {int(r.n_ranked)}" in text
    assert f"City Diplomacy Index {edition}, methodology v{data.manifest['methodology_version']}, " \
           f"/city?city=budapest&edition={edition}" in text
    assert 'href="/city?city=budapest&amp;edition=' in page  # into the live explorer


def test_every_indicator_value_has_its_year_and_source(data):
    from explorer.views.city import tables as P

    edition = max(data.editions)
    text = " ".join(text_of(city_page(data, "vienna", edition)).split())
    table = P.indicator_table(data, "vienna", edition)
    assert len(table) == len(data.framework)
    for r in table.itertuples():
        year = "" if P.is_missing(r.year) or r.status == "missing" else f" ({int(r.year)})"
        assert f"{r.name}: {r.value_text}{year} · {r.status_text}" in text
        if r.source:
            assert " ".join(r.source.split()) in text


def test_ranking_snapshot_lists_every_ranked_city_in_order(data):
    edition = max(data.editions)
    page = ranking_page(data, edition)
    s = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == "index") & data.scores["ranked"]]
    ids = re.findall(r'href="city/([a-z0-9-]+)\.html"', page)
    assert ids == list(s.sort_values(["rank", "city_id"])["city_id"])


def test_pact_snapshot_has_every_member(data):
    page = pact_page(data, max(data.editions))
    assert set(re.findall(r'href="city/([a-z0-9-]+)\.html"', page)) == set(data.pact_members["city_id"])


def test_no_page_can_run_script(published):
    pages = list(published.rglob("*.html"))
    assert len(pages) > 300
    for path in pages[:: max(1, len(pages) // 40)] + [published / "index.html", published / "pact.html"]:
        html = path.read_text(encoding="utf-8")
        lower = html.lower()
        assert "<script" not in lower and "javascript:" not in lower and not re.search(r"<[^>]*\son[a-z]+\s*=", lower)
        assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_links_accept_only_web_addresses_and_safe_relative_paths():
    assert link("https://example.org/a?b=1", "x") == '<a href="https://example.org/a?b=1">x</a>'
    assert link("city/budapest.html", "<b>") == '<a href="city/budapest.html">&lt;b&gt;</a>'
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.example", "a b",
                'x" onmouseover="alert(1)', None):
        out = link(bad, "<i>t</i>")
        assert out == "&lt;i&gt;t&lt;/i&gt;", (bad, out)


def test_snapshot_module_needs_no_streamlit():
    code = "import sys, explorer.publish.snapshots; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_live_base_makes_every_link_into_the_explorer_absolute(data):
    edition = max(data.editions)
    for html in (city_page(data, "budapest", edition, "https://cdi.example.org"),
                 ranking_page(data, edition, "https://cdi.example.org"),
                 pact_page(data, edition, "https://cdi.example.org")):
        assert 'href="https://cdi.example.org/methodology"' in html
        assert '<a href="/' not in html and 'class="live" href="/' not in html
    html = city_page(data, "budapest", edition, "https://cdi.example.org", lang="hu")
    assert 'href="https://cdi.example.org/methodology?lang=hu"' in html
    assert f'href="https://cdi.example.org/city?city=budapest&amp;edition={edition}&amp;lang=hu"' in html


# --------------------------------------------------------------------------------------------- link previews
class _Meta(HTMLParser):
    """The <meta property|name=... content=...> tags of a page, unescaped the way a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        key = a.get("property") or a.get("name")
        if tag == "meta" and key and "content" in a:
            self.tags[key] = a["content"]


def meta_tags(html: str) -> dict[str, str]:
    p = _Meta()
    p.feed(html)
    return p.tags


PREVIEW_KEYS = ["og:title", "og:description", "og:image", "og:image:width", "og:image:height", "og:image:alt",
                "og:url", "og:type", "og:site_name", "twitter:card", "twitter:title", "twitter:description",
                "twitter:image"]


def test_every_snapshot_page_has_preview_tags_and_a_1200x630_image(published):
    pages = sorted(published.rglob("*.html"))
    n_cities = len(pd.read_parquet(INDEX_DIR / "cities.parquet"))
    assert len(pages) == (n_cities + 2) * len(LANG_CODES)   # every city, the headline ranking and the Pact page
    for i, path in enumerate(pages):
        rel = path.relative_to(published).as_posix()
        tags = meta_tags(path.read_text(encoding="utf-8"))
        assert all(tags.get(k) for k in PREVIEW_KEYS), (rel, set(PREVIEW_KEYS) - set(tags))
        assert tags["twitter:card"] == "summary_large_image"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:url"] == f"{SERVED_PATH}/{rel}"  # rendered without a base URL: root-relative
        image = tags["og:image"].removeprefix(SERVED_PATH + "/")
        assert tags["twitter:image"] == tags["og:image"] and image == rel.removesuffix(".html") + ".png"
        if path.parent.name == "city" and path.stem not in ("budapest", "vienna") and i % 20:
            continue  # open a sample of the images (all of them exist: test_images_match_pages)
        with Image.open(published / image) as img:
            assert img.format == "PNG" and img.size == (1200, 630), rel
            assert not img.info, (rel, img.info)  # no text chunks or timestamps


def test_images_match_pages(published):
    pngs = {p.relative_to(published).as_posix() for p in published.rglob("*.png")}
    pages = {p.relative_to(published).as_posix() for p in published.rglob("*.html")}
    assert pngs == {p.removesuffix(".html") + ".png" for p in pages}


def test_budapest_preview_text(data):
    edition = max(data.editions)
    idx = data.scores[(data.scores["city_id"] == "budapest") & (data.scores["edition"] == edition)
                      & (data.scores["pillar"] == "index")].iloc[0]
    tags = meta_tags(city_page(data, "budapest", edition))
    assert tags["og:description"] == (f"Budapest: rank {int(idx['rank'])} of {int(idx['n_ranked'])}, score "
                                      f"{idx['score']:.1f} — City Diplomacy Index {edition}")
    assert tags["og:title"] == f"Budapest: City Diplomacy Index {edition}"


def test_public_base_makes_preview_addresses_absolute(data):
    edition = max(data.editions)
    base = "https://cdi.example.org/app/static/snapshots"
    tags = meta_tags(city_page(data, "budapest", edition, public_base=base))
    assert tags["og:url"] == f"{base}/city/budapest.html"
    assert tags["og:image"] == tags["twitter:image"] == f"{base}/city/budapest.png"
    for page in (ranking_page(data, edition, public_base=base), pact_page(data, edition, public_base=base)):
        assert meta_tags(page)["og:image"].startswith(base + "/")


@pytest.mark.parametrize("base", ["cdi.example.org", "ftp://cdi.example.org", "https://", "javascript:alert(1)",
                                  "https://cdi.example.org/a b", "https://cdi.example.org/?x=1",
                                  "https://cdi.example.org/#top", "https://user@cdi.example.org",
                                  'https://cdi.example.org/"><script>', "https://exa mple.org"])
def test_malformed_base_url_is_a_clear_error(base, tmp_path, capsys, monkeypatch):
    with pytest.raises(ValueError, match="--base-url"):
        public_base_url(base)
    with pytest.raises(SystemExit) as e:
        command.main(["--base-url", base, "--out", str(tmp_path / "out")])
    assert e.value.code == 2 and "--base-url" in capsys.readouterr().err
    monkeypatch.setenv("CDI_PUBLIC_URL", base)  # the same setting from the environment
    with pytest.raises(SystemExit) as e:
        command.main(["--out", str(tmp_path / "out")])
    assert e.value.code == 2 and "CDI_PUBLIC_URL" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_good_base_urls():
    assert public_base_url("https://cdi.example.org/app/static/snapshots/") == \
        "https://cdi.example.org/app/static/snapshots"
    assert public_base_url("http://localhost:8501") == "http://localhost:8501"
    assert public_base_url("") == ""


def test_hostile_names_are_escaped_in_the_preview_tags(data):
    """A city name carrying markup ends up as the literal text in every tag, never as markup in the head."""
    hostile = '"><script>alert(1)</script><meta property="og:title" content="x'
    cities = data.cities.copy()
    cities.loc[cities["city_id"] == "budapest", "name"] = hostile
    bad = replace(data, tables={**data.tables, "cities": cities})
    edition = max(data.editions)
    html = city_page(bad, "budapest", edition)
    head = html.split("</head>", 1)[0]
    assert "<script" not in head.lower() and head.count('property="og:title"') == 1
    tags = meta_tags(html)
    assert tags["og:title"].startswith(hostile) and tags["twitter:title"].startswith(hostile)
    assert tags["og:description"].startswith(hostile + ": rank ")
    assert tags["og:image:alt"] == tags["og:description"]


def test_share_card_fits_long_names():
    from explorer.publish.cards import WIDTH, _font, fit_text

    font, lines = fit_text("Las Palmas de Gran Canaria", "bold", WIDTH - 120, (84, 76, 68, 60, 54, 48), lines=2)
    assert lines == ["Las Palmas de Gran Canaria"] and font.getlength(lines[0]) <= WIDTH - 120
    long = "Santa Cruz de Tenerife and a Name Far Too Long for One Line of the Card " * 3
    font, lines = fit_text(long, "bold", WIDTH - 120, (84, 76, 68, 60, 54, 48), lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…") and font.size == 48
    assert all(_font("bold", 48).getlength(line) <= WIDTH - 120 for line in lines)


def test_share_card_is_byte_reproducible_and_small():
    from explorer.publish.cards import Bar, city_card, png_bytes

    bars = [Bar("City relations", "71.5", 0.715), Bar("Multiculturalism", "no data", None)]
    a = png_bytes(city_card("Kraków", "21 / 157", "48.2", bars, edition="2025 edition", credit="Source: test"))
    b = png_bytes(city_card("Kraków", "21 / 157", "48.2", bars, edition="2025 edition", credit="Source: test"))
    assert a == b and len(a) < 40_000
    with Image.open(io.BytesIO(a)) as img:
        assert img.size == (1200, 630) and img.mode == "P" and not img.info


def test_missing_fonts_fail_clearly(tmp_path):
    from explorer.publish.cards import font_paths

    with pytest.raises(RuntimeError, match="fonts-dejavu-core"):
        font_paths(tmp_path)


# ------------------------------------------------------------------------------------------------- languages
class _Head(HTMLParser):
    """<html lang>, the <link rel="alternate" hreflang> addresses, the language switcher's links and the meta tags."""

    def __init__(self):
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.meta: dict[str, list[str]] = {}
        self._nav = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "nav" and a.get("class") == "langs":
            self._nav = True
        elif tag == "a" and self._nav:
            self.switcher[a["hreflang"]] = a["href"]
        elif tag == "meta" and (a.get("property") or a.get("name")):
            self.meta.setdefault(a.get("property") or a.get("name"), []).append(a.get("content", ""))

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav = False


def head_of(html: str) -> _Head:
    h = _Head()
    h.feed(html)
    return h


def snapshot_file(root: Path, lang: str, rel: str) -> Path:
    return root / (lang_dir(lang) + rel)


@pytest.mark.parametrize("lang", LANG_CODES)
@pytest.mark.parametrize("city", ["budapest", "vienna", "warsaw"])
def test_each_language_has_the_city_page_with_its_labels_score_preview_and_image(data, subset, lang, city):
    _ = translator(lang)
    edition = max(data.editions)
    path = snapshot_file(subset, lang, f"city/{city}.html")
    html = path.read_text(encoding="utf-8")
    head = head_of(html)
    assert head.lang == lang
    text = " ".join(text_of(html).split())
    idx = data.scores[(data.scores["city_id"] == city) & (data.scores["edition"] == edition)
                      & (data.scores["pillar"] == "index")].iloc[0]
    score = fmt_number(idx["score"], lang, 1)
    if lang in ("hu", "cs", "sk", "pl", "de"):
        assert "," in score and "." not in score  # 46,7
    assert f"{_('Index score')} {score} 0–100" in text  # the locale-formatted published score
    rank = _("{rank} of {n_ranked}").format(rank=int(idx["rank"]), n_ranked=int(idx["n_ranked"]))
    assert f"{_('Rank')} {rank}" in text
    for label in ("Pillar scores", "Every indicator, with its year and source", "Full ranking", "Citation"):
        assert _(label) in text
        assert lang == "en" or _(label) != label, (lang, label)  # translated, not English
    for pillar in data.pillar_names.values():
        assert _(pillar) in text
    name = S.local_city_name(data, city, data.city_name(city), lang)
    assert f"<h1>{S.esc(name)}</h1>" in html
    # the live explorer opens in the same language
    live = f'href="/city?city={city}&amp;edition={edition}' + ("" if lang == "en" else f"&amp;lang={lang}") + '"'
    assert live in html
    # preview tags point to this language's page and image, which is a 1200 x 630 PNG
    rel = f"{lang_dir(lang)}city/{city}"
    assert head.meta["og:url"] == [f"{SERVED_PATH}/{rel}.html"]
    assert head.meta["og:image"] == head.meta["twitter:image"] == [f"{SERVED_PATH}/{rel}.png"]
    assert head.meta["og:locale"] == [S.OG_LOCALES[lang]]
    assert sorted(head.meta["og:locale:alternate"]) == sorted(S.OG_LOCALES[c] for c in LANG_CODES if c != lang)
    assert head.meta["og:title"] == [_("{name}: City Diplomacy Index {edition}").format(name=name, edition=edition)]
    assert score in head.meta["og:description"][0]
    with Image.open(subset / f"{rel}.png") as img:
        assert img.format == "PNG" and img.size == (1200, 630) and img.mode == "P" and not img.info


@pytest.mark.parametrize("rel", ["index.html", "pact.html", "city/budapest.html", "city/abidjan.html"])
def test_hreflang_links_are_reciprocal_and_the_switcher_reaches_every_language(subset, rel):
    """Every language version lists all six (itself included) and x-default = English, at the same addresses, so
    each page's alternates point back to it; the switcher's relative links open those same files."""
    expected = {c: f"{SERVED_PATH}/{lang_dir(c)}{rel}" for c in LANG_CODES} | {"x-default": f"{SERVED_PATH}/{rel}"}
    for lang in LANG_CODES:
        path = snapshot_file(subset, lang, rel)
        head = head_of(path.read_text(encoding="utf-8"))
        assert head.alternates == expected, (lang, rel)
        assert head.alternates[lang] == head.meta["og:url"][0]  # it names itself where it is
        assert set(head.switcher) == set(LANG_CODES) - {lang}
        for other, href in head.switcher.items():
            assert not href.startswith(("/", "http")), href  # relative: works from any host and from disk
            assert (path.parent / href).resolve() == snapshot_file(subset, other, rel).resolve(), (lang, other, href)
            back = head_of(snapshot_file(subset, other, rel).read_text(encoding="utf-8"))
            assert back.alternates[lang] == expected[lang]


@pytest.mark.parametrize("lang", ["hu", "pl", "de"])
def test_ranking_and_pact_pages_are_translated(data, subset, lang):
    _ = translator(lang)
    edition = max(data.editions)
    ranking = snapshot_file(subset, lang, "index.html").read_text(encoding="utf-8")
    text = " ".join(text_of(ranking).split())
    assert _("City Diplomacy Index {edition}").format(edition=edition) in text
    for label in ("Rank", "Likely rank", "City", "Country", "Change", "Open the live explorer"):
        assert _(label) in text and _(label) != label
    top = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == "index")
                      & data.scores["ranked"]].sort_values(["rank", "city_id"]).iloc[0]
    assert f">{fmt_number(top['score'], lang, 1)}<" in ranking
    assert f'href="/ranking?edition={edition}&amp;lang={lang}"' in ranking
    pact = snapshot_file(subset, lang, "pact.html").read_text(encoding="utf-8")
    assert f"<h1>{S.esc(_('Pact of Free Cities'))}</h1>" in pact and _("CDI rank") in pact
    assert head_of(pact).meta["og:image"] == [f"{SERVED_PATH}/{lang}/pact.png"]


def test_english_pages_keep_their_addresses(subset):
    for rel in ("index.html", "pact.html", "city/budapest.html"):
        assert head_of((subset / rel).read_text(encoding="utf-8")).lang == "en"
    assert not (subset / "en").exists()


def test_hostile_translated_city_name_is_escaped(data, monkeypatch):
    """A language's city name (city_names.parquet) is data too: escaped in the page, the tags and the switcher."""
    hostile = '"><script>alert(1)</script>'
    monkeypatch.setattr(S, "city_names", lambda _dir=None: {("budapest", "hu"): hostile})
    html = city_page(data, "budapest", max(data.editions), lang="hu")
    assert "<script" not in html.lower()
    assert head_of(html).meta["og:title"][0].startswith(hostile)
    assert f"<h1>{S.esc(hostile)}</h1>" in html


def test_every_new_label_is_in_the_catalogue():
    """The snapshot's words come from the catalogue: a Hungarian page shows no English label of the frame."""
    from explorer.text.i18n import extracted_messages

    found = extracted_messages()
    src = [m for m, locs in found.items() if any(f == "explorer/publish/snapshots.py" for f, _line in locs)]
    assert len(src) >= 30
    _ = translator("hu")
    same = {"Index"}  # the same word in Hungarian
    assert [m for m in src if _(m) == m and m not in same] == []
