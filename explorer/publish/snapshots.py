"""Static snapshots: light, pre-rendered HTML pages of the headline ranking, every city's profile and the Pact of
Free Cities, made from the published Parquet files (data/index) by the same reshaping code as the live pages.

Why: a QR code on a projector or a link in a news article is opened by hundreds of phones within seconds, and one
Streamlit process shares its CPU among all their script runs. A snapshot is a plain file: the Streamlit server
serves it from `static/` (server.enableStaticServing, at /app/static/snapshots/...) without a script run, and any
web server or CDN can host the folder as it is. Every page links into the live explorer for the full view.

Safety: every data-derived string goes through html.escape, links only through profile.safe_url, and each page
carries a Content-Security-Policy that allows no script at all.

Languages: every page and card exists in each of the explorer's languages (explorer.text.i18n: the same catalogue,
number and date formats and city names). English keeps the original addresses (`index.html`, `city/<city_id>.html`,
`pact.html`); every other language has the same layout in its own folder (`hu/index.html`, `de/city/vienna.html`,
...). Each page has `<html lang>`, og:locale (the others as og:locale:alternate), `<link rel="alternate" hreflang>`
to every language version and x-default (English), a row of plain links to the other languages, and links into the
live explorer with `lang=`. Source titles stay as their producers wrote them.

Link previews: every page carries Open Graph and Twitter-card tags and has its own 1200 x 630 PNG card
(explorer/publish/cards.py): `city/<city_id>.png`, `index.png` (the top 10) and `pact.png`, in each language's folder.
Open Graph wants absolute addresses, so the publish command's base URL (`--base-url` or CDI_PUBLIC_URL, e.g.
https://cdi.example.org) makes the tags, the citations and the links into the live explorer absolute (`public_base`
is then <base>/app/static/snapshots, `live_base` the base itself); without it they are root-relative
(/app/static/snapshots/..., /city?...), which is right for the app's own server but not for link-preview crawlers.

Rendered by the one publish command (explorer/publish/__main__.py), never committed:

    python -m explorer.publish --base-url https://cdi.example.org   # static/snapshots and static/reports
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from explorer.data.store import INDEX, IndexData
from explorer.publish import cards as card
from explorer.publish.forked import run_forked
from explorer.text.i18n import DEFAULT_LANG, LANG_CODES, LANGUAGES, city_names, fmt_date, fmt_number, translator
from explorer.text.markdown import strip_invisible
from explorer.text.urls import SNAPSHOT_PATH as SERVED_PATH
from explorer.text.urls import lang_dir, live_url, public_base_url, safe_url, with_lang
from explorer.views.bands import band_range, bands_for, load_robust
from explorer.views.city import tables as P
from explorer.views.framework import pillar_ids
from explorer.views.ranking import top_ranked

_RELATIVE = re.compile(r"(?!//)[A-Za-z0-9/_.?=&,%-]+")  # no scheme, not protocol-relative
SITE_NAME = "City Diplomacy Index"
CARD_SIZE = (card.WIDTH, card.HEIGHT)
# og:locale of each language (the English text is British English)
OG_LOCALES = {"en": "en_GB", "hu": "hu_HU", "cs": "cs_CZ", "sk": "sk_SK", "pl": "pl_PL", "de": "de_DE"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2430;background:#fff;
line-height:1.45}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:2rem;margin:.5rem 0 .25rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.sub,.note,footer{color:#5b6170;font-size:.9rem}
nav.langs{font-size:.9rem;margin:.25rem 0 .5rem}nav.langs b{font-weight:600}
.live{display:inline-block;margin:.75rem 0;padding:.6rem 1rem;border-radius:.5rem;background:#b22234;color:#fff;
text-decoration:none;font-weight:600}
.figs{display:flex;flex-wrap:wrap;gap:1.5rem;margin:1rem 0}.fig b{display:block;font-size:1.8rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e3e5ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
code{display:block;white-space:pre-wrap;background:#f4f5f7;padding:.5rem;border-radius:.25rem;font-size:.85rem}
a{color:#1a56b0}
h3{font-size:1rem;margin:1rem 0 .25rem}
ul.ind{padding-left:1.1rem;margin:0}ul.ind li{margin:.35rem 0}
"""


def esc(value: object) -> str:
    """Text for HTML: '' for a missing value, every other value escaped (quotes included)."""
    return "" if P.is_missing(value) else html.escape(strip_invisible(str(value)), quote=True)


def link(url: object, text: object) -> str:
    """An <a> for a plain http(s) address (explorer.text.urls.safe_url) or a relative path made of safe characters
    (no scheme, so never javascript:); anything else gives the text alone."""
    u = "" if P.is_missing(url) else str(url)
    safe = safe_url(u) if u.startswith(("http://", "https://")) else (u if _RELATIVE.fullmatch(u) else None)
    if not safe:
        return esc(text)
    return f'<a href="{html.escape(safe, quote=True)}">{esc(text)}</a>'


def score_text(x: object, lang: str = DEFAULT_LANG) -> str:
    """A score with one decimal in the language's format ('46.7', '46,7'); '' when missing."""
    return "" if P.is_missing(x) else fmt_number(x, lang, 1)


def local_city_name(data: IndexData, city_id: str, english: str, lang: str) -> str:
    """The city's name in the language, from the rendered index's own city_names.parquet (else the English name)."""
    if lang == DEFAULT_LANG:
        return english
    return city_names(str(data.index_dir)).get((city_id, lang), english)


def date_text(value: object, lang: str) -> str:
    """A full YYYY-MM-DD date in the language's format; anything else (a year, 'date unknown') as it is."""
    text = "" if P.is_missing(value) else str(value)
    return fmt_date(text, lang) if len(text) == 10 and text[:4].isdigit() else text


def asset_url(public_base: str, rel: str) -> str:
    """A snapshot file's address: under `public_base` (the publish command's <base>/app/static/snapshots), else
    root-relative under the app's SERVED_PATH."""
    return f"{public_base or SERVED_PATH}/{quote(rel, safe='/')}"


@dataclass(frozen=True)
class Preview:
    """A page's link-preview card: its own path and its image's, relative to the snapshot folder (language folder
    included), and the words."""

    path: str
    image: str
    title: str
    description: str


def preview_tags(preview: Preview, public_base: str = "", lang: str = DEFAULT_LANG) -> str:
    """Open Graph and Twitter-card meta tags (og:locale and the other languages as og:locale:alternate), every
    value escaped."""
    url, image = asset_url(public_base, preview.path), asset_url(public_base, preview.image)
    props = [("og:type", "website"), ("og:site_name", translator(lang)(SITE_NAME)), ("og:locale", OG_LOCALES[lang]),
             *[("og:locale:alternate", OG_LOCALES[c]) for c in LANG_CODES if c != lang],
             ("og:title", preview.title), ("og:description", preview.description), ("og:url", url),
             ("og:image", image), ("og:image:type", "image/png"), ("og:image:width", CARD_SIZE[0]),
             ("og:image:height", CARD_SIZE[1]), ("og:image:alt", preview.description)]
    names = [("twitter:card", "summary_large_image"), ("twitter:title", preview.title),
             ("twitter:description", preview.description), ("twitter:image", image),
             ("twitter:image:alt", preview.description)]
    return ("".join(f'<meta property="{esc(k)}" content="{esc(v)}">' for k, v in props)
            + "".join(f'<meta name="{esc(k)}" content="{esc(v)}">' for k, v in names))


def relative(src: str, dst: str) -> str:
    """The relative link from the snapshot file `src` to `dst` (both relative to the snapshot folder)."""
    return posixpath.relpath(dst, posixpath.dirname(src) or ".")


def alternate_links(rel: str, public_base: str = "") -> str:
    """<link rel="alternate" hreflang=...> to the page in every language (itself included) and x-default (English);
    `rel` is the page's path inside a language set (e.g. city/budapest.html)."""
    links = [(c, asset_url(public_base, lang_dir(c) + rel)) for c in LANG_CODES]
    links.append(("x-default", asset_url(public_base, rel)))
    return "".join(f'<link rel="alternate" hreflang="{esc(c)}" href="{esc(u)}">' for c, u in links)


def language_switcher(rel: str, lang: str) -> str:
    """Plain links to this page in the other languages, each language in its own name; the current one unlinked."""
    here = lang_dir(lang) + rel
    items = [f'<b lang="{esc(c)}">{esc(name)}</b>' if c == lang else
             f'<a href="{esc(relative(here, lang_dir(c) + rel))}" hreflang="{esc(c)}" lang="{esc(c)}">{esc(name)}</a>'
             for c, name in LANGUAGES]
    return f'<nav class="langs" aria-label="{esc(translator(lang)("Language"))}">{" · ".join(items)}</nav>'


def page(title: str, description: str, body: str, data: IndexData, edition: int, url: str,
         live_base: str = "", preview: Preview | None = None, public_base: str = "", lang: str = DEFAULT_LANG,
         rel: str = "") -> str:
    """The shared frame: head with CSP, description, canonical address, link-preview tags and the other languages'
    addresses, the language switcher, the body, a footer with version and citation line. `rel`: the page's path
    inside a language set (index.html, pact.html, city/<id>.html)."""
    _ = translator(lang)
    m = data.manifest
    about = _("City Diplomacy Index, methodology v{version} · editions {first}–{last} · built {date}.").format(
        version=m["methodology_version"], first=min(data.editions), last=max(data.editions),
        date=fmt_date(str(m["built_at"])[:10], lang))
    # (no _() inside f-strings: Babel's extractor on Python 3.11 does not look into them)
    cite, static = _("Citation"), _("A static snapshot of the published data.")
    footer = (f"<footer><h2>{esc(cite)}</h2><code>{esc(P.citation(data, edition, url, lang))}</code>"
              f"<p>{esc(about)} {esc(static)} "
              + link(live_url(live_base, "methodology", with_lang({}, lang)),
                     _("Every source, licence and the method are in the live explorer."))
              + "</p></footer>")
    return (f"<!doctype html>\n<html lang=\"{esc(lang)}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<title>{esc(title)}</title><meta name=\"description\" content=\"{esc(description)}\">"
            + (f'<link rel="canonical" href="{esc(asset_url(public_base, preview.path))}">' if preview else "")
            + (alternate_links(rel, public_base) if rel else "")
            + (preview_tags(preview, public_base, lang) if preview else "") +
            f"<style>{STYLE}{numeric_css(body)}</style></head><body><main>"
            + (language_switcher(rel, lang) if rel else "")
            + f"{body}{footer}</main></body></html>\n")


def _table(header: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """header: (label, numeric); cells are already-escaped HTML. The numeric columns are right-aligned by one CSS
    rule per table layout (see numeric_css) rather than a class on each of their cells: the ranking's 1,570 cells
    were a third of its bytes, and the bytes are what 300 phones at once wait for."""
    numeric = "-".join(str(i + 1) for i, (_h, num) in enumerate(header) if num)
    head = "".join(f"<th>{esc(h)}</th>" for h, _num in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    cls = f' class="nc{numeric}"' if numeric else ""
    return f'<div class="scroll"><table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


_NUMERIC_LAYOUT = re.compile(r'<table class="nc([0-9]+(?:-[0-9]+)*)">')


def numeric_css(body: str) -> str:
    """The right-alignment rules for the numeric columns of every table layout in `body` (made by _table)."""
    rules = []
    for layout in dict.fromkeys(_NUMERIC_LAYOUT.findall(body)):
        cols = layout.split("-")
        rules.append(",".join(f".nc{layout} t{c}:nth-child({n})" for n in cols for c in "dh")
                     + "{text-align:right;white-space:nowrap}")
    return "".join(rules)


def _pillar_wide(data: IndexData, edition: int) -> pd.DataFrame:
    s = data.scores[data.scores["edition"] == edition]
    return s.pivot(index="city_id", columns="pillar", values="score")


def edition_bands(data: IndexData, edition: int) -> pd.DataFrame:
    """The edition's index rank bands by city_id (read once per rendering, not once per page)."""
    return bands_for(load_robust(data.index_dir).bands, edition)


def ranking_page(data: IndexData, edition: int, live_base: str = "", bands: pd.DataFrame | None = None,
                 public_base: str = "", lang: str = DEFAULT_LANG) -> str:
    """Every ranked city of the edition: rank, 5-95 % band, index and pillar scores, change since last edition."""
    _ = translator(lang)
    idx = top_ranked(data, edition)
    wide = _pillar_wide(data, edition)
    bands = edition_bands(data, edition) if bands is None else bands
    names = data.cities.set_index("city_id")
    rows = []
    for r in idx.itertuples():
        band = band_range(bands.at[r.city_id, "rank_low"], bands.at[r.city_id, "rank_high"]) \
            if r.city_id in bands.index else ""
        change = "" if P.is_missing(r.rank_change) else fmt_number(int(r.rank_change), lang, 0, sign=True)
        name = local_city_name(data, r.city_id, names.at[r.city_id, "name"], lang)
        rows.append([esc(int(r.rank)), esc(band), link(f"city/{r.city_id}.html", name),
                     esc(names.at[r.city_id, "country_iso2"]), esc(score_text(r.score, lang)),
                     *[esc(score_text(wide.at[r.city_id, p], lang)) for p in pillar_ids(data)], esc(change)])
    header = [(_("Rank"), True), (_("Likely rank"), True), (_("City"), False), (_("Country"), False),
              (_("Index"), True), *[(_(data.pillar_names[p]), True) for p in pillar_ids(data)], (_("Change"), True)]
    url = live_url(live_base, "ranking", with_lang({"edition": edition}, lang))
    n_ranked = len(idx)
    title, open_live = _("City Diplomacy Index {edition}").format(edition=edition), _("Open the live explorer")
    body = (f"<h1>{esc(title)}</h1>"
            "<p class=\"sub\">" + esc(_("How internationally engaged are cities? {n} cities ranked on four pillars: "
                                        "city relations, tourism and cultural relations, business relations and "
                                        "multiculturalism. Scores run from 0 to 100.").format(n=n_ranked)) + "</p>"
            f"<p><a class=\"live\" href=\"{esc(url)}\">{esc(open_live)}</a></p>"
            + _table(header, rows)
            + "<p class=\"note\">" + esc(_("Likely rank: the 5–95 % band of 1,000 Monte Carlo runs over weights, "
                                           "normalisation, aggregation and the missing-data rule. Change: places "
                                           "moved since the previous edition (+ = up). {n} further reference cities "
                                           "are not ranked (too little data); their pages are linked from the live "
                                           "explorer.").format(n=len(data.cities) - n_ranked)) + "</p>")
    preview = Preview(f"{lang_dir(lang)}index.html", f"{lang_dir(lang)}index.png",
                      _("City Diplomacy Index {edition}: ranking").format(edition=edition),
                      _("The top 10 of {n} cities ranked by their international engagement — City Diplomacy Index "
                        "{edition}").format(n=n_ranked, edition=edition))
    return page(preview.title,
                _("The City Diplomacy Index {edition}: {n} cities ranked by their international engagement.").format(
                    edition=edition, n=n_ranked),
                body, data, edition, url, live_base, preview, public_base, lang, "index.html")


def city_page(data: IndexData, city_id: str, edition: int, live_base: str = "",
              bands: pd.DataFrame | None = None, public_base: str = "", lang: str = DEFAULT_LANG) -> str:
    """One city's headline, pillar scores and every indicator value with its year and source."""
    _ = translator(lang)

    def pillar_name(p: str) -> str:
        return _(data.pillar_names[p])

    h = _headline(data, city_id, edition, lang)
    name = h["name"]
    url = live_url(live_base, "city", with_lang({"city": city_id, "edition": edition}, lang))
    s = data.scores
    mine = s[(s["city_id"] == city_id) & (s["edition"] == edition)].set_index("pillar")
    bands = edition_bands(data, edition) if bands is None else bands
    band = band_range(bands.at[city_id, "rank_low"], bands.at[city_id, "rank_high"]) if city_id in bands.index \
        else ""
    sub = " · ".join([h["country_iso2"], _(h["region"]), *h["groups"]])
    score = score_text(h["score"], lang)
    if h["ranked"] and h["rank"] is not None:
        change = _("first edition") if h["first_edition"] else (
            _("no previous rank") if h["rank_change"] is None else
            _("no change") if h["rank_change"] == 0 else
            _("{places} since last edition").format(places=P.places(h["rank_change"], lang)))
        of = _("{rank} of {n_ranked}").format(rank=h["rank"], n_ranked=h["n_ranked"])
        words = (_("Rank"), _("Index score"), _("Likely rank"), _("5–95 % band"))
        figs = (f"<div class=\"figs\"><div class=\"fig\">{esc(words[0])} <b>{esc(of)}</b> {esc(change)}</div>"
                f"<div class=\"fig\">{esc(words[1])} <b>{esc(score)}</b> 0–100</div>"
                f"<div class=\"fig\">{esc(words[2])} <b>{esc(band or h['rank'])}</b> {esc(words[3])}</div></div>")
        lede = _("{name} ranks {rank} of {n_ranked} in the City Diplomacy Index {edition}, with a score of {score} "
                 "out of 100.").format(name=name, rank=h["rank"], n_ranked=h["n_ranked"], edition=edition,
                                       score=score)
    else:
        reason = _not_ranked_reason(h, lang)
        figs = "<p><b>" + esc(_("Not ranked in {edition}").format(edition=edition)) + f"</b>: {esc(reason)}.</p>"
        lede = _("{name} in the City Diplomacy Index {edition}: not ranked ({reason}).").format(
            name=name, edition=edition, reason=reason)
    pillar_rows = []
    for p in pillar_ids(data):
        if p in mine.index:
            r = mine.loc[p]
            rank = "" if P.is_missing(r["rank"]) else _("{rank} of {n_ranked}").format(
                rank=int(r["rank"]), n_ranked=int(r["n_ranked"]))
            pillar_rows.append([esc(pillar_name(p)), esc(score_text(r["score"], lang)), esc(rank)])
    table = P.indicator_table(data, city_id, edition, lang)
    sections = []
    for p in pillar_ids(data):
        items = []
        for r in table[table["pillar"] == p].itertuples():
            year = "" if P.is_missing(r.year) or r.status == "missing" else f" ({int(r.year)})"
            source = (f"<br><span class=\"note\">{link(r.link, r.source)}"
                      + (f" · {esc(r.grade)}" if r.grade else "")
                      + (f" · {esc(r.licence)}" if r.licence else "") + "</span>") if r.source else ""
            items.append(f"<li><b>{esc(r.name)}</b>: {esc(r.value_text)}{esc(year)} · {esc(r.status_text)}"
                         f"{source}</li>")
        sections.append(f"<h3>{esc(pillar_name(p))}</h3><ul class=\"ind\">{''.join(items)}</ul>")
    open_live, full = _("Open {name} in the live explorer").format(name=name), _("Full ranking")
    heads = (_("Pillar scores"), _("Every indicator, with its year and source"))
    body = (f"<h1>{esc(name)}</h1><p class=\"sub\">{esc(sub)}</p>{figs}"
            f"<p><a class=\"live\" href=\"{esc(url)}\">{esc(open_live)}</a> {link('../index.html', full)}</p>"
            f"<h2>{esc(heads[0])}</h2>"
            + _table([(_("Pillar"), False), (_("Score"), True), (_("Rank"), True)], pillar_rows)
            + f"<h2>{esc(heads[1])}</h2>" + "".join(sections)
            + "<p class=\"note\">" + esc(_("No data, a value below a list's threshold and a true zero are different "
                                           "things: no data is left out of the pillar mean; below-threshold is "
                                           "scored at the lower goalpost.")) + "</p>")
    preview = Preview(f"{lang_dir(lang)}city/{city_id}.html", f"{lang_dir(lang)}city/{city_id}.png",
                      _("{name}: City Diplomacy Index {edition}").format(name=name, edition=edition),
                      city_summary(h, edition, lang))
    return page(preview.title, lede, body, data, edition, url, live_base, preview, public_base, lang,
                f"city/{city_id}.html")


def _headline(data: IndexData, city_id: str, edition: int, lang: str) -> dict:
    """profile.headline in the language, with the name from the rendered index's own city names."""
    h = P.headline(data, city_id, edition, lang)
    english = str(data.cities.loc[data.cities["city_id"] == city_id, "name"].iloc[0])
    return {**h, "name": local_city_name(data, city_id, english, lang)}


def _not_ranked_reason(h: dict, lang: str) -> str:
    """Why the city is not ranked, without the reason's own 'not ranked: ' (the sentence around it says so)."""
    _ = translator(lang)
    return (_(h["reason"]) if h["reason"] else _("too little data")).split(": ", 1)[-1]


def city_summary(h: dict, edition: int, lang: str = DEFAULT_LANG) -> str:
    """One line for link previews: 'Budapest: rank 21 of 157, score 48.2 — City Diplomacy Index 2025'."""
    _ = translator(lang)
    if h["ranked"] and h["rank"] is not None:
        return _("{name}: rank {rank} of {n_ranked}, score {score} — City Diplomacy Index {edition}").format(
            name=h["name"], rank=h["rank"], n_ranked=h["n_ranked"], score=score_text(h["score"], lang),
            edition=edition)
    reason = _not_ranked_reason(h, lang)
    return _("{name}: not ranked in {edition} ({reason}) — City Diplomacy Index {edition}").format(
        name=h["name"], edition=edition, reason=reason)


def pact_page(data: IndexData, edition: int, live_base: str = "", public_base: str = "",
              lang: str = DEFAULT_LANG) -> str:
    """The Pact of Free Cities members with their accession, its certainty and source, and their CDI result."""
    _ = translator(lang)
    pm = data.pact_members.sort_values(["joined_date", "name"], na_position="last")
    s = data.scores
    idx = s[(s["edition"] == edition) & (s["pillar"] == INDEX)].set_index("city_id")
    rows = []
    for r in pm.itertuples():
        m = P.pact_membership(data, r.city_id, lang) or {}
        rank = score = ""
        if r.city_id in idx.index and bool(idx.at[r.city_id, "ranked"]):
            rank = _("{rank} of {n_ranked}").format(rank=int(idx.at[r.city_id, "rank"]),
                                                    n_ranked=int(idx.at[r.city_id, "n_ranked"]))
            score = score_text(idx.at[r.city_id, "score"], lang)
        rows.append([link(f"city/{r.city_id}.html", local_city_name(data, r.city_id, r.name, lang)),
                     esc(r.country_iso2), esc(m.get("role", "")), esc(date_text(m.get("joined_date", ""), lang)),
                     esc(m.get("certainty", "")), esc(m.get("event", "")), esc(rank), esc(score),
                     link(m.get("link"), m.get("source", "")) if m.get("source") else ""])
    url = live_url(live_base, "pact", with_lang({"edition": edition}, lang))
    title, open_live, full = _("Pact of Free Cities"), _("Open the Pact view in the live explorer"), _("Full ranking")
    body = (f"<h1>{esc(title)}</h1>"
            "<p class=\"sub\">" + esc(_("Founded by the mayors of Budapest, Bratislava, Prague and Warsaw on 16 "
                                        "December 2019; {n} member cities in the published data, with their City "
                                        "Diplomacy Index {edition} result.").format(n=len(pm), edition=edition))
            + "</p>"
            f"<p><a class=\"live\" href=\"{esc(url)}\">{esc(open_live)}</a> {link('index.html', full)}</p>"
            + _table([(_("City"), False), (_("Country"), False), (_("Role"), False), (_("Joined"), False),
                      (_("Date certainty"), False), (_("Event"), False), (_("CDI rank"), True), (_("Score"), True),
                      (_("Source"), False)], rows))
    what = _("The {n} Pact of Free Cities members and their City Diplomacy Index {edition} result").format(
        n=len(pm), edition=edition)
    preview = Preview(f"{lang_dir(lang)}pact.html", f"{lang_dir(lang)}pact.png",
                      _("Pact of Free Cities: City Diplomacy Index {edition}").format(edition=edition), what)
    return page(preview.title, f"{what}.", body, data, edition, url, live_base, preview, public_base, lang,
                "pact.html")


# ------------------------------------------------------------------------------------------- link-preview cards
def credit_line(data: IndexData, lang: str = DEFAULT_LANG) -> str:
    _ = translator(lang)
    m = data.manifest
    return _("Source: City Diplomacy Index, methodology v{version}, built {date} · public data, every value cited in "
             "the explorer").format(version=m["methodology_version"], date=fmt_date(str(m["built_at"])[:10], lang))


def _share(score: object) -> float | None:
    return None if P.is_missing(score) else max(0.0, min(1.0, float(score) / 100))


def _edition_label(edition: int, lang: str) -> str:
    _ = translator(lang)
    return _("{edition} edition").format(edition=edition)


def city_card(data: IndexData, city_id: str, edition: int, lang: str = DEFAULT_LANG) -> bytes:
    """The city's preview image: name, rank, index score and the four pillar scores, in the language."""
    _ = translator(lang)

    def pillar_name(p: str) -> str:
        return _(data.pillar_names[p])

    h = _headline(data, city_id, edition, lang)
    s = data.scores
    mine = s[(s["city_id"] == city_id) & (s["edition"] == edition)].set_index("pillar")["score"]
    ranked = h["ranked"] and h["rank"] is not None
    bars = [card.Bar(_(data.pillar_names[p]), score_text(mine.get(p), lang) or _("no data"), _share(mine.get(p)))
            for p in pillar_ids(data)]
    labels = card.CityLabels(rank=_("Rank"), score=_("Index score"), pillars=_("Pillar scores (0–100)"))
    img = card.city_card(h["name"], f"{h['rank']} / {h['n_ranked']}" if ranked else _("not ranked"),
                         score_text(h["score"], lang) if ranked else "—", bars, edition=_edition_label(edition, lang),
                         brand=_(SITE_NAME), credit=credit_line(data, lang), labels=labels)
    return card.png_bytes(img)


def _ranked(data: IndexData, edition: int) -> pd.DataFrame:
    return top_ranked(data, edition)


def _rows(data: IndexData, frame: pd.DataFrame, lang: str) -> list[card.Row]:
    names = data.cities.set_index("city_id")["name"]
    return [card.Row(str(int(r.rank)), local_city_name(data, r.city_id, str(names[r.city_id]), lang),
                     score_text(r.score, lang), _share(r.score)) for r in frame.itertuples()]


def ranking_card(data: IndexData, edition: int, lang: str = DEFAULT_LANG) -> bytes:
    """The headline ranking's preview image: the edition's top 10."""
    _ = translator(lang)
    idx = _ranked(data, edition)
    img = card.list_card(_("City Diplomacy Index {edition}").format(edition=edition),
                         _("Top 10 of {n} ranked cities · index score 0–100").format(n=len(idx)),
                         _rows(data, idx.head(10), lang), edition=_edition_label(edition, lang), brand=_(SITE_NAME),
                         credit=credit_line(data, lang))
    return card.png_bytes(img)


def pact_card(data: IndexData, edition: int, lang: str = DEFAULT_LANG) -> bytes:
    """The Pact view's preview image: the members' best CDI ranks."""
    _ = translator(lang)
    idx = _ranked(data, edition)
    members = idx[idx["city_id"].isin(set(data.pact_members["city_id"]))]
    img = card.list_card(_("Pact of Free Cities"),
                         _("{n} member cities · the best-ranked, with their rank among {total} cities").format(
                             n=len(data.pact_members), total=len(idx)),
                         _rows(data, members.head(10), lang), edition=_edition_label(edition, lang),
                         brand=_(SITE_NAME), credit=credit_line(data, lang))
    return card.png_bytes(img)


def render(data: IndexData, out: Path, live_base: str = "", public_base: str = "",
           langs: tuple[str, ...] = LANG_CODES) -> int:
    """Write every snapshot of the latest edition, and its preview image, in every language into `out` (English at
    the top, each other language in its own folder with the same layout); returns the number of pages per
    language. Languages are rendered in parallel forked worker processes (explorer.publish.forked): each language's
    files depend only on the index, so the output is the same byte for byte."""
    card.font_paths()  # fail before writing anything if the fonts are missing
    public_base = public_base_url(public_base, "public_base")
    run_forked(data, [(render_language, (out, lang, live_base, public_base)) for lang in langs])
    return 2 + len(data.city_ids)


def render_language(data: IndexData, out: Path, lang: str, live_base: str = "", public_base: str = "",
                    cities: list[str] | None = None) -> None:
    """One language's pages and preview images (the ranking, the Pact, every city, or only `cities`) under
    out/<lang>."""
    edition = max(data.editions)
    bands = edition_bands(data, edition)
    root = out / lang_dir(lang)
    (root / "city").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(ranking_page(data, edition, live_base, bands, public_base, lang),
                                     encoding="utf-8")
    (root / "index.png").write_bytes(ranking_card(data, edition, lang))
    (root / "pact.html").write_text(pact_page(data, edition, live_base, public_base, lang), encoding="utf-8")
    (root / "pact.png").write_bytes(pact_card(data, edition, lang))
    for cid in sorted(data.city_ids) if cities is None else cities:
        (root / "city" / f"{cid}.html").write_text(
            city_page(data, cid, edition, live_base, bands, public_base, lang), encoding="utf-8")
        (root / "city" / f"{cid}.png").write_bytes(city_card(data, cid, edition, lang))
