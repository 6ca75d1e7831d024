"""Static snapshots: light, pre-rendered HTML pages of the headline ranking, every city's profile and the Pact of
Free Cities, made from the published Parquet files (data/index) by the same reshaping code as the live pages.

Why: a QR code on a projector or a link in a news article is opened by hundreds of phones within seconds, and one
Streamlit process shares its CPU among all their script runs. A snapshot is a plain file: the Streamlit server
serves it from `static/` (server.enableStaticServing, at /app/static/snapshots/...) without a script run, and any
web server or CDN can host the folder as it is. Every page links into the live explorer for the full view.

Safety: every data-derived string goes through html.escape, links only through profile.safe_url, and each page
carries a Content-Security-Policy that allows no script at all.

Link previews: every page carries Open Graph and Twitter-card tags and has its own 1200 x 630 PNG card
(explorer/share_card.py): `city/<city_id>.png`, `index.png` (the top 10) and `pact.png`. Open Graph wants absolute
addresses, so `--public-base` gives the address the folder is served at (e.g.
https://cdi.example.org/app/static/snapshots); without it the tags are root-relative (/app/static/snapshots/...),
which is right for the app's own server but not for link-preview crawlers: a deployment regenerates with its base.

    python -m explorer.snapshots            # rewrite static/snapshots from data/index (atomically)
    python -m explorer.snapshots --check    # exit 1 if the committed snapshots differ from a fresh rendering
    python -m explorer.snapshots --public-base https://cdi.example.org/app/static/snapshots \
        --live-base https://cdi.example.org   # a deployment's own absolute addresses
"""

from __future__ import annotations

import argparse
import filecmp
import html
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd

from cdi_core.paths import INDEX_DIR, REPO_ROOT
from cdi_core.store import replace_dir_atomically
from explorer import profile as P
from explorer import share_card as card
from explorer.bands import band_range, bands_for, load_robust
from explorer.store import INDEX, IndexData, load_index

SNAPSHOT_DIR = REPO_ROOT / "static" / "snapshots"
# Where the Streamlit server serves the folder (server.enableStaticServing serves ./static at /app/static).
SERVED_PATH = "/app/static/snapshots"
PILLARS = P.PILLAR_ORDER
_RELATIVE = re.compile(r"(?!//)[A-Za-z0-9/_.?=&,%-]+")  # no scheme, not protocol-relative
_HOST = re.compile(r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                   r"(:[0-9]{1,5})?")
_BASE_PATH = re.compile(r"(/[A-Za-z0-9._~%-]+)*/?")
SITE_NAME = "City Diplomacy Index"
CARD_SIZE = (card.WIDTH, card.HEIGHT)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2430;background:#fff;
line-height:1.45}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:2rem;margin:.5rem 0 .25rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.sub,.note,footer{color:#5b6170;font-size:.9rem}
.live{display:inline-block;margin:.75rem 0;padding:.6rem 1rem;border-radius:.5rem;background:#b22234;color:#fff;
text-decoration:none;font-weight:600}
.figs{display:flex;flex-wrap:wrap;gap:1.5rem;margin:1rem 0}.fig b{display:block;font-size:1.8rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e3e5ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
code{display:block;white-space:pre-wrap;background:#f4f5f7;padding:.5rem;border-radius:.25rem;font-size:.85rem}
a{color:#1a56b0}
h3{font-size:1rem;margin:1rem 0 .25rem}
ul.ind{padding-left:1.1rem;margin:0}ul.ind li{margin:.35rem 0}
"""


def esc(value: object) -> str:
    """Text for HTML: '' for a missing value, every other value escaped (quotes included)."""
    return "" if P.is_missing(value) else html.escape(str(value), quote=True)


def link(url: object, text: object) -> str:
    """An <a> for a plain http(s) address (profile.safe_url) or a relative path made of safe characters (no scheme,
    so never javascript:); anything else gives the text alone."""
    u = "" if P.is_missing(url) else str(url)
    safe = P.safe_url(u) if u.startswith(("http://", "https://")) else (u if _RELATIVE.fullmatch(u) else None)
    if not safe:
        return esc(text)
    return f'<a href="{html.escape(safe, quote=True)}">{esc(text)}</a>'


def score_text(x: object) -> str:
    return "" if P.is_missing(x) else f"{float(x):.1f}"


def live_url(live_base: str, page: str, params: dict[str, object]) -> str:
    """The live explorer's view: root-relative when the snapshots are served by the app's own server."""
    qs = urlencode({k: str(v) for k, v in params.items() if v is not None})
    return f"{live_base.rstrip('/')}/{page}" + (f"?{qs}" if qs else "")


def public_base_url(value: str) -> str:
    """A --public-base address checked and without its trailing slash: http(s), a plain host name (optional port),
    a path of plain characters, no user, query or fragment. Anything else raises ValueError saying why."""
    text = str(value).strip()
    if not text:
        return ""
    parts = urlsplit(text)
    problem = ("must start with http:// or https://" if parts.scheme not in {"http", "https"} else
               "has no host name" if not parts.netloc else
               "must not carry a user name or password" if "@" in parts.netloc else
               "has an invalid host name or port" if not _HOST.fullmatch(parts.netloc) else
               "must not have a query (?...) or fragment (#...)" if parts.query or parts.fragment
               or text.endswith(("?", "#")) else
               "has characters outside A-Z a-z 0-9 . _ ~ % - / in its path" if not _BASE_PATH.fullmatch(parts.path)
               else "")
    if problem:
        raise ValueError(f"--public-base {text!r} {problem} (e.g. https://cdi.example.org/app/static/snapshots)")
    return text.rstrip("/")


def asset_url(public_base: str, rel: str) -> str:
    """A snapshot file's address: under --public-base, else root-relative under the app's SERVED_PATH."""
    return f"{public_base or SERVED_PATH}/{quote(rel, safe='/')}"


@dataclass(frozen=True)
class Preview:
    """A page's link-preview card: its own path and its image's, relative to the snapshot folder, and the words."""

    path: str
    image: str
    title: str
    description: str


def preview_tags(preview: Preview, public_base: str = "") -> str:
    """Open Graph and Twitter-card meta tags, every value escaped."""
    url, image = asset_url(public_base, preview.path), asset_url(public_base, preview.image)
    props = [("og:type", "website"), ("og:site_name", SITE_NAME), ("og:title", preview.title),
             ("og:description", preview.description), ("og:url", url), ("og:image", image),
             ("og:image:type", "image/png"), ("og:image:width", CARD_SIZE[0]), ("og:image:height", CARD_SIZE[1]),
             ("og:image:alt", preview.description)]
    names = [("twitter:card", "summary_large_image"), ("twitter:title", preview.title),
             ("twitter:description", preview.description), ("twitter:image", image),
             ("twitter:image:alt", preview.description)]
    return ("".join(f'<meta property="{esc(k)}" content="{esc(v)}">' for k, v in props)
            + "".join(f'<meta name="{esc(k)}" content="{esc(v)}">' for k, v in names))


def page(title: str, description: str, body: str, data: IndexData, edition: int, url: str,
         live_base: str = "", preview: Preview | None = None, public_base: str = "") -> str:
    """The shared frame: head with CSP, description and link-preview tags, the body, a footer with version and
    citation line."""
    m = data.manifest
    footer = (f"<footer><h2>Cite</h2><code>{esc(P.citation(data, edition, url))}</code>"
              f"<p>City Diplomacy Index, methodology v{esc(m['methodology_version'])} · editions "
              f"{esc(min(data.editions))}–{esc(max(data.editions))} · built {esc(str(m['built_at'])[:10])}. "
              "A static snapshot of the published data; every source, licence and the method are in the "
              f"{link(live_url(live_base, 'methodology', {}), 'live explorer')}.</p></footer>")
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<title>{esc(title)}</title><meta name=\"description\" content=\"{esc(description)}\">"
            + (preview_tags(preview, public_base) if preview else "") +
            f"<style>{STYLE}</style></head><body><main>{body}{footer}</main></body></html>\n")


def _table(header: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """header: (label, numeric); cells are already-escaped HTML."""
    head = "".join(f'<th class="n">{esc(h)}</th>' if num else f"<th>{esc(h)}</th>" for h, num in header)
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if header[i][1] else f"<td>{c}</td>"
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _pillar_wide(data: IndexData, edition: int) -> pd.DataFrame:
    s = data.scores[data.scores["edition"] == edition]
    return s.pivot(index="city_id", columns="pillar", values="score")


def edition_bands(data: IndexData, edition: int) -> pd.DataFrame:
    """The edition's index rank bands by city_id (read once per rendering, not once per page)."""
    return bands_for(load_robust(data.index_dir).bands, edition)


def ranking_page(data: IndexData, edition: int, live_base: str = "", bands: pd.DataFrame | None = None,
                 public_base: str = "") -> str:
    """Every ranked city of the edition: rank, 5-95 % band, index and pillar scores, change since last edition."""
    s = data.scores
    idx = s[(s["edition"] == edition) & (s["pillar"] == INDEX) & s["ranked"]].sort_values(["rank", "city_id"])
    wide = _pillar_wide(data, edition)
    bands = edition_bands(data, edition) if bands is None else bands
    names = data.cities.set_index("city_id")
    rows = []
    for r in idx.itertuples():
        band = band_range(bands.at[r.city_id, "rank_low"], bands.at[r.city_id, "rank_high"]) \
            if r.city_id in bands.index else ""
        change = "" if P.is_missing(r.rank_change) else f"{int(r.rank_change):+d}"
        rows.append([esc(int(r.rank)), esc(band), link(f"city/{r.city_id}.html", names.at[r.city_id, "name"]),
                     esc(names.at[r.city_id, "country_iso2"]), esc(score_text(r.score)),
                     *[esc(score_text(wide.at[r.city_id, p])) for p in PILLARS], esc(change)])
    pillar_names = data.pillar_names
    header = [("Rank", True), ("Likely rank", True), ("City", False), ("Country", False), ("Index", True),
              *[(pillar_names[p], True) for p in PILLARS], ("Change", True)]
    url = live_url(live_base, "ranking", {"edition": edition})
    n_ranked = len(idx)
    body = (f"<h1>City Diplomacy Index {esc(edition)}</h1>"
            f"<p class=\"sub\">How internationally engaged are cities? {esc(n_ranked)} cities ranked on four pillars: "
            "city relations, tourism and cultural relations, business relations and multiculturalism. Scores run "
            "from 0 to 100.</p>"
            f"<p><a class=\"live\" href=\"{esc(url)}\">Open the live explorer</a></p>"
            + _table(header, rows)
            + "<p class=\"note\">Likely rank: the 5–95 % band of 1,000 Monte Carlo runs over weights, normalisation, "
            "aggregation and the missing-data rule. Change: places moved since the previous edition (+ = up). "
            f"{esc(len(data.cities) - n_ranked)} further reference cities are not ranked (too little data); "
            "their pages are linked from the live explorer.</p>")
    preview = Preview("index.html", "index.png", f"City Diplomacy Index {edition}: ranking",
                      f"The top 10 of {n_ranked} cities ranked by their international engagement — City Diplomacy "
                      f"Index {edition}")
    return page(f"City Diplomacy Index {edition}: ranking",
                f"The City Diplomacy Index {edition}: {n_ranked} cities ranked by their international engagement.",
                body, data, edition, url, live_base, preview, public_base)


def city_page(data: IndexData, city_id: str, edition: int, live_base: str = "",
              bands: pd.DataFrame | None = None, public_base: str = "") -> str:
    """One city's headline, pillar scores and every indicator value with its year and source."""
    h = P.headline(data, city_id, edition)
    url = live_url(live_base, "city", {"city": city_id, "edition": edition})
    s = data.scores
    mine = s[(s["city_id"] == city_id) & (s["edition"] == edition)].set_index("pillar")
    bands = edition_bands(data, edition) if bands is None else bands
    band = band_range(bands.at[city_id, "rank_low"], bands.at[city_id, "rank_high"]) if city_id in bands.index \
        else ""
    sub = " · ".join([h["country_iso2"], h["region"], *h["groups"]])
    if h["ranked"] and h["rank"] is not None:
        change = "first edition" if h["first_edition"] else (
            "no previous rank" if h["rank_change"] is None else
            "no change" if h["rank_change"] == 0 else P.places(h["rank_change"]) + " since last edition")
        figs = (f"<div class=\"figs\"><div class=\"fig\">Rank <b>{esc(h['rank'])} of {esc(h['n_ranked'])}</b> "
                f"{esc(change)}</div><div class=\"fig\">Index score <b>{esc(score_text(h['score']))}</b> 0–100</div>"
                f"<div class=\"fig\">Likely rank <b>{esc(band or h['rank'])}</b> 5–95 % band</div></div>")
        lede = (f"{h['name']} ranks {h['rank']} of {h['n_ranked']} in the City Diplomacy Index {edition}, "
                f"with a score of {score_text(h['score'])} out of 100.")
    else:
        figs = f"<p><b>Not ranked in {esc(edition)}</b>: {esc(h['reason'] or 'too little data')}.</p>"
        lede = f"{h['name']} in the City Diplomacy Index {edition}: not ranked ({h['reason'] or 'too little data'})."
    pillar_rows = []
    for p in PILLARS:
        if p in mine.index:
            r = mine.loc[p]
            rank = "" if P.is_missing(r["rank"]) else f"{int(r['rank'])} of {int(r['n_ranked'])}"
            pillar_rows.append([esc(data.pillar_names[p]), esc(score_text(r["score"])), esc(rank)])
    table = P.indicator_table(data, city_id, edition)
    sections = []
    for p in PILLARS:
        items = []
        for r in table[table["pillar"] == p].itertuples():
            year = "" if P.is_missing(r.year) or r.status == "missing" else f" ({int(r.year)})"
            source = (f"<br><span class=\"note\">{link(r.link, r.source)}"
                      + (f" · {esc(r.licence)}" if r.licence else "") + "</span>") if r.source else ""
            items.append(f"<li><b>{esc(r.name)}</b>: {esc(r.value_text)}{esc(year)} · {esc(r.status_text)}"
                         f"{source}</li>")
        sections.append(f"<h3>{esc(data.pillar_names[p])}</h3><ul class=\"ind\">{''.join(items)}</ul>")
    body = (f"<h1>{esc(h['name'])}</h1><p class=\"sub\">{esc(sub)}</p>{figs}"
            f"<p><a class=\"live\" href=\"{esc(url)}\">Open {esc(h['name'])} in the live explorer</a> "
            f"{link('../index.html', 'Full ranking')}</p>"
            "<h2>Pillar scores</h2>"
            + _table([("Pillar", False), ("Score", True), ("Rank", True)], pillar_rows)
            + "<h2>Every indicator, with its year and source</h2>" + "".join(sections)
            + "<p class=\"note\">No data, a value below a list's threshold and a true zero are different things: "
            "no data is left out of the pillar mean; below-threshold is scored at the lower goalpost.</p>")
    preview = Preview(f"city/{city_id}.html", f"city/{city_id}.png", f"{h['name']}: City Diplomacy Index {edition}",
                      city_summary(h, edition))
    return page(f"{h['name']}: City Diplomacy Index {edition}", lede, body, data, edition, url, live_base, preview,
                public_base)


def city_summary(h: dict, edition: int) -> str:
    """One line for link previews: 'Budapest: rank 21 of 157, score 48.2 — City Diplomacy Index 2025'."""
    if h["ranked"] and h["rank"] is not None:
        what = f"rank {h['rank']} of {h['n_ranked']}, score {score_text(h['score'])}"
    else:
        what = f"not ranked in {edition} ({str(h['reason'] or 'too little data').removeprefix('not ranked: ')})"
    return f"{h['name']}: {what} — City Diplomacy Index {edition}"


def pact_page(data: IndexData, edition: int, live_base: str = "", public_base: str = "") -> str:
    """The Pact of Free Cities members with their accession, its certainty and source, and their CDI result."""
    pm = data.pact_members.sort_values(["joined_date", "name"], na_position="last")
    s = data.scores
    idx = s[(s["edition"] == edition) & (s["pillar"] == INDEX)].set_index("city_id")
    rows = []
    for r in pm.itertuples():
        m = P.pact_membership(data, r.city_id) or {}
        rank = score = ""
        if r.city_id in idx.index and bool(idx.at[r.city_id, "ranked"]):
            rank = f"{int(idx.at[r.city_id, 'rank'])} of {int(idx.at[r.city_id, 'n_ranked'])}"
            score = score_text(idx.at[r.city_id, "score"])
        rows.append([link(f"city/{r.city_id}.html", r.name), esc(r.country_iso2), esc(m.get("role", "")),
                     esc(m.get("joined_date", "")), esc(m.get("certainty", "")), esc(m.get("event", "")),
                     esc(rank), esc(score), link(m.get("link"), m.get("source", "")) if m.get("source") else ""])
    url = live_url(live_base, "pact", {"edition": edition})
    body = ("<h1>Pact of Free Cities</h1>"
            f"<p class=\"sub\">Founded by the mayors of Budapest, Bratislava, Prague and Warsaw on 16 December 2019; "
            f"{esc(len(pm))} member cities in the published data, with their City Diplomacy Index {esc(edition)} "
            "result.</p>"
            f"<p><a class=\"live\" href=\"{esc(url)}\">Open the Pact view in the live explorer</a> "
            f"{link('index.html', 'Full ranking')}</p>"
            + _table([("City", False), ("Country", False), ("Role", False), ("Joined", False),
                      ("Date certainty", False), ("Event", False), ("CDI rank", True), ("Score", True),
                      ("Source", False)], rows))
    preview = Preview("pact.html", "pact.png", f"Pact of Free Cities: City Diplomacy Index {edition}",
                      f"The {len(pm)} Pact of Free Cities members and their City Diplomacy Index {edition} result")
    return page(f"Pact of Free Cities: City Diplomacy Index {edition}",
                f"The {len(pm)} Pact of Free Cities members and their City Diplomacy Index {edition} result.",
                body, data, edition, url, live_base, preview, public_base)


# ------------------------------------------------------------------------------------------- link-preview cards
def credit_line(data: IndexData) -> str:
    m = data.manifest
    return (f"Source: City Diplomacy Index, methodology v{m['methodology_version']}, built "
            f"{str(m['built_at'])[:10]} · public data, every value cited in the explorer")


def _share(score: object) -> float | None:
    return None if P.is_missing(score) else max(0.0, min(1.0, float(score) / 100))


def city_card(data: IndexData, city_id: str, edition: int) -> bytes:
    """The city's preview image: name, rank, index score and the four pillar scores (English labels)."""
    h = P.headline(data, city_id, edition)
    s = data.scores
    mine = s[(s["city_id"] == city_id) & (s["edition"] == edition)].set_index("pillar")["score"]
    ranked = h["ranked"] and h["rank"] is not None
    bars = [card.Bar(data.pillar_names[p], score_text(mine.get(p)) or "no data", _share(mine.get(p)))
            for p in PILLARS]
    img = card.city_card(h["name"], f"{h['rank']} / {h['n_ranked']}" if ranked else "not ranked",
                         score_text(h["score"]) if ranked else "—", bars, edition=f"{edition} edition",
                         credit=credit_line(data))
    return card.png_bytes(img)


def _ranked(data: IndexData, edition: int) -> pd.DataFrame:
    s = data.scores
    return s[(s["edition"] == edition) & (s["pillar"] == INDEX) & s["ranked"]].sort_values(["rank", "city_id"])


def _rows(data: IndexData, frame: pd.DataFrame) -> list[card.Row]:
    names = data.cities.set_index("city_id")["name"]
    return [card.Row(str(int(r.rank)), str(names[r.city_id]), score_text(r.score), _share(r.score))
            for r in frame.itertuples()]


def ranking_card(data: IndexData, edition: int) -> bytes:
    """The headline ranking's preview image: the edition's top 10."""
    idx = _ranked(data, edition)
    img = card.list_card(f"City Diplomacy Index {edition}", f"Top 10 of {len(idx)} ranked cities · index score "
                         "0–100", _rows(data, idx.head(10)), edition=f"{edition} edition", credit=credit_line(data))
    return card.png_bytes(img)


def pact_card(data: IndexData, edition: int) -> bytes:
    """The Pact view's preview image: the members' best CDI ranks."""
    idx = _ranked(data, edition)
    members = idx[idx["city_id"].isin(set(data.pact_members["city_id"]))]
    img = card.list_card("Pact of Free Cities", f"{len(data.pact_members)} member cities · the best-ranked, with their "
                         f"rank among {len(idx)} cities", _rows(data, members.head(10)),
                         edition=f"{edition} edition", credit=credit_line(data))
    return card.png_bytes(img)


def render(data: IndexData, out: Path, live_base: str = "", public_base: str = "") -> int:
    """Write every snapshot of the latest edition, and its preview image, into `out`; returns the number of pages."""
    card.font_paths()  # fail before writing anything if the fonts are missing
    public_base = public_base_url(public_base)
    edition = max(data.editions)
    (out / "city").mkdir(parents=True, exist_ok=True)
    bands = edition_bands(data, edition)
    (out / "index.html").write_text(ranking_page(data, edition, live_base, bands, public_base), encoding="utf-8")
    (out / "index.png").write_bytes(ranking_card(data, edition))
    (out / "pact.html").write_text(pact_page(data, edition, live_base, public_base), encoding="utf-8")
    (out / "pact.png").write_bytes(pact_card(data, edition))
    ids = sorted(data.city_ids)
    for cid in ids:
        (out / "city" / f"{cid}.html").write_text(city_page(data, cid, edition, live_base, bands, public_base),
                                                   encoding="utf-8")
        (out / "city" / f"{cid}.png").write_bytes(city_card(data, cid, edition))
    return 2 + len(ids)


def build(index_dir: Path = INDEX_DIR, out: Path = SNAPSHOT_DIR, live_base: str = "", public_base: str = "") -> int:
    """Render into a temporary folder and swap it in: a failure leaves the published snapshots untouched."""
    public_base = public_base_url(public_base)  # a malformed base fails before anything is read or written
    data = load_index(index_dir)
    count = {}
    replace_dir_atomically(out, lambda tmp: count.setdefault("n", render(data, tmp, live_base, public_base)))
    return count["n"]


SNAPSHOT_FILES = ("*.html", "*.png")


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for pattern in SNAPSHOT_FILES for p in root.rglob(pattern)}


def differences(index_dir: Path = INDEX_DIR, out: Path = SNAPSHOT_DIR, live_base: str = "",
                public_base: str = "") -> list[str]:
    """Files (pages and preview images) that a fresh rendering would add, remove or change in `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        render(load_index(index_dir), Path(tmp), live_base, public_base)
        fresh = _files(Path(tmp))
        have = _files(out) if out.is_dir() else set()
        changed = [f for f in sorted(fresh & have) if not filecmp.cmp(Path(tmp) / f, out / f, shallow=False)]
        return [f"missing: {f}" for f in sorted(fresh - have)] + [f"stale: {f}" for f in sorted(have - fresh)] + \
            [f"differs: {f}" for f in changed]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m explorer.snapshots", description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=INDEX_DIR, help="published index folder (default data/index)")
    ap.add_argument("--out", type=Path, default=SNAPSHOT_DIR, help="output folder (default static/snapshots)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the snapshots in --out are not up to date")
    ap.add_argument("--live-base", default="", help="the live explorer's address for links and citations, e.g. "
                    "https://cdi.example.org (default: root-relative, for the app's own server)")
    ap.add_argument("--public-base", default="", type=_public_base_arg,
                    help="the absolute address the snapshot folder is served at, for the link-preview tags "
                         "(og:url, og:image), e.g. https://cdi.example.org/app/static/snapshots (default: "
                         f"root-relative, {SERVED_PATH}/...; crawlers need absolute addresses, so a deployment "
                         "regenerates with its own)")
    args = ap.parse_args(argv)
    try:
        card.font_paths()
    except RuntimeError as e:
        print(f"snapshots: {e}", file=sys.stderr)
        return 2
    if args.check:
        diff = differences(args.index, args.out, args.live_base, args.public_base)
        if diff:
            print(f"snapshots are out of date ({len(diff)} files), run python -m explorer.snapshots: "
                  + "; ".join(diff[:5]), file=sys.stderr)
            return 1
        print("snapshots: up to date")
        return 0
    n = build(args.index, args.out, args.live_base, args.public_base)
    print(f"snapshots: {n} pages and {n} preview images in {args.out}")
    return 0


def _public_base_arg(value: str) -> str:
    try:
        return public_base_url(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


if __name__ == "__main__":
    raise SystemExit(main())
