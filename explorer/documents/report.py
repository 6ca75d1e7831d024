"""The annual feedback report: a printable A4 PDF per city and edition, made from the published tables.

Why: a city's international-relations office needs one document to circulate - its result with the uncertainty,
its pillars against its peers, what moved the score and which dated events lie behind it, the data caveats and
every source with its licence. Everything is read from data/index through the same Streamlit-free helpers as the
pages (explorer.views.city.tables, explorer.views.changes.tables, explorer.views.bands); nothing here computes the
index.

The text is set in DejaVu Sans (Debian's fonts-dejavu-core) for accented names (Kraków, Wrocław, Zdeněk);
characters the font lacks (e.g. CJK in some twinning labels) are left out. The PDF's creation date is the
manifest's `built_at`, so the same index (and base URL) always gives the same bytes.

The published set (the focus cities and every Pact member, latest edition, static/reports/<edition>/<city_id>.pdf)
is rendered by the one publish command, never committed; the live /changes page makes any city's PDF on demand
(explorer.data.cache.report_bytes):

    python -m explorer.publish --base-url https://cdi.example.org   # static/snapshots and static/reports
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from explorer.data.store import FOCUS, INDEX, IndexData
from explorer.documents.fonts import FONT_DIR, dejavu_paths
from explorer.text.markdown import strip_invisible
from explorer.text.urls import live_url, safe_url
from explorer.views.bands import RobustData, band_text, bands_for, load_robust
from explorer.views.changes import tables as W
from explorer.views.city import tables as P
from explorer.views.framework import score_order

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT = "DejaVu"
ACCENT = (178, 34, 52)
GREY = (91, 97, 112)
CITY_BAR, PEER_BAR = (46, 134, 222), (160, 166, 176)
EPS = 5e-4


def font_paths(font_dir: Path = FONT_DIR) -> dict[str, Path]:
    """The DejaVu Sans files, or a clear error naming the Debian package that provides them."""
    return dejavu_paths(FONT_FILES, font_dir)


def report_cities(data: IndexData) -> list[str]:
    """The five focus cities, then every Pact of Free Cities member, each once."""
    pact = sorted(c for c in data.pact_members["city_id"] if c in data.city_ids)
    return list(dict.fromkeys([*FOCUS, *pact]))


class _Doc(FPDF):
    """A4 portrait with a running footer."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.footer_text, align="L")
        self.cell(0, 5, f"page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


class Report:
    """One city's report for one edition, laid out section by section."""

    def __init__(self, data: IndexData, ch: W.ChangesData, robust: RobustData, city_id: str, edition: int,
                 url: str) -> None:
        self.data, self.ch, self.robust = data, ch, robust
        self.city_id, self.edition, self.url = city_id, edition, url
        self.name = data.city_name(city_id)
        self.pdf = _Doc(orientation="P", unit="mm", format="A4")
        for style, path in font_paths().items():
            self.pdf.add_font(FONT, style, str(path))
        built = str(data.manifest.get("built_at") or "2000-01-01T00:00:00+00:00")
        self.pdf.set_creation_date(datetime.fromisoformat(built))
        self.pdf.set_title(f"City Diplomacy Index {edition}: {self.name}")
        self.pdf.set_author("City Diplomacy Index")
        self.pdf.set_auto_page_break(True, margin=16)
        self.pdf.set_margins(15, 15, 15)
        self.pdf.footer_text = self.clean(f"City Diplomacy Index {edition} · {self.name} · annual feedback report")
        self.pdf.add_page()
        self.pdf.set_font(FONT, "", 9)
        self._cmap = set(self.pdf.current_font.cmap)
        self.sources: list[str] = []

    # ---------------------------------------------------------------------------------------------- text helpers
    def clean(self, text: object) -> str:
        """Plain text the font can draw: missing -> '', glyphs the font lacks dropped, empty brackets removed."""
        s = "" if P.is_missing(text) else strip_invisible(str(text))
        cmap = getattr(self, "_cmap", None)
        if cmap:
            s = "".join(c for c in s if ord(c) in cmap or c in "\n\t")
        return re.sub(r"\s*\(\s*[;,]?\s*\)", "", s).strip()

    def h1(self, text: str) -> None:
        self.pdf.set_font(FONT, "B", 17)
        self.pdf.multi_cell(0, 8, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def h2(self, text: str) -> None:
        if self.pdf.get_y() > 250:
            self.pdf.add_page()
        self.pdf.ln(3)
        self.pdf.set_font(FONT, "B", 12)
        self.pdf.set_text_color(*ACCENT)
        self.pdf.multi_cell(0, 6.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.ln(1)

    def para(self, text: str, size: float = 9, grey: bool = False, bold: bool = False) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        if grey:
            self.pdf.set_text_color(*GREY)
        self.pdf.multi_cell(0, size * 0.48, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.ln(1)

    def table(self, header: list[str], rows: list[list[str]], widths: tuple[float, ...],
              align: tuple[str, ...] | None = None, size: float = 8) -> None:
        self.pdf.set_font(FONT, "", size)
        self.pdf.set_fill_color(255, 255, 255)
        head = FontFace(emphasis="BOLD", fill_color=(235, 237, 241))
        with self.pdf.table(col_widths=widths, width=180, line_height=size * 0.5, headings_style=head,
                            text_align=align or "LEFT", borders_layout="HORIZONTAL_LINES", padding=0.8,
                            first_row_as_headings=True, cell_fill_color=(247, 248, 250),
                            cell_fill_mode="ROWS") as t:
            for r in [header, *rows]:
                row = t.row()
                for cell in r:
                    row.cell(self.clean(cell))
        self.pdf.ln(2)

    def use(self, source_ids: object) -> None:
        """Remember the sources behind a value shown, for the sources section."""
        for s in ("" if P.is_missing(source_ids) else str(source_ids)).split(";"):
            s = s.strip()
            if s and s not in self.sources:
                self.sources.append(s)

    # ---------------------------------------------------------------------------------------------- sections
    def headline(self) -> dict:
        d, e = self.data, self.edition
        h = P.headline(d, self.city_id, e)
        self.para(f"City Diplomacy Index {e} · annual feedback report", 10, grey=True)
        self.h1(self.name)
        groups = ", ".join(h["groups"])
        self.para(f"{h['country_iso2']} · {h['region']}" + (f" · {groups}" if groups else ""), 9, grey=True)
        self.h2("Headline result")
        if not h["ranked"] or h["rank"] is None:
            self.para(f"Not ranked in {e}: {h['reason'] or 'too few indicators with data'}.")
            return h
        band = bands_for(self.robust.bands, e)
        btxt = ""
        if self.city_id in band.index:
            b = band.loc[self.city_id]
            btxt = band_text(h["rank"], b["rank_low"], b["rank_high"])
            runs = int(b["n_runs"]) if not P.is_missing(b["n_runs"]) else 0
            btxt = f"{btxt} (5–95 % of {runs} runs with other weights and methods)"
        figs = [("Rank", f"{h['rank']} of {h['n_ranked']}"), ("Index score", f"{h['score']:.1f} / 100")]
        if h["score_change"] is not None:
            figs.append((f"Change since {e - 1}", f"{h['score_change']:+.2f} points"))
        if h["rank_change"] is not None:
            figs.append(("Rank change", P.places(h["rank_change"])))
        x0, y0 = self.pdf.get_x(), self.pdf.get_y()
        w = 180 / len(figs)
        for n, (label, value) in enumerate(figs):
            self.pdf.set_xy(x0 + n * w, y0)
            self.pdf.set_font(FONT, "", 8)
            self.pdf.set_text_color(*GREY)
            self.pdf.cell(w, 4, label, new_x="LEFT", new_y="NEXT")
            self.pdf.set_text_color(0, 0, 0)
            self.pdf.set_font(FONT, "B", 15)
            self.pdf.cell(w, 8, value)
        self.pdf.set_xy(x0, y0 + 14)
        if btxt:
            self.para(f"Rank band: {btxt}.")
        split = W.rank_split(self.ch, self.city_id, e)
        if split:
            inside = W.within_band(self.robust.bands, self.city_id, e, int(split["rank_prev"]))
            self.para(W.rank_sentence(self.name, split, inside))
        if h["coverage"] is not None:
            self.para(f"Indicator coverage: {h['coverage']:.0%} of the weight has data.", 8, grey=True)
        return h

    def pillars(self) -> None:
        d, e = self.data, self.edition
        frame, label = P.pillar_vs_peers(d, self.city_id, e, "focus")
        self.h2("Pillar profile against peers")
        self.para(f"Scores 0–100. Peer value: {label}. Rank among the ranked cities of {e}.", 8, grey=True)
        s = d.scores[(d.scores["edition"] == e) & (d.scores["city_id"] == self.city_id)].set_index("pillar")
        pdf = self.pdf
        name_w, bar_w, row_h = 45, 95, 8
        pdf.set_font(FONT, "B", 8)
        pdf.cell(name_w, 5, "Pillar")
        pdf.cell(bar_w, 5, f"{self.name} (blue) and peer value (grey)")
        pdf.cell(20, 5, "Score", align="R")
        pdf.cell(20, 5, "Rank", align="R", new_x="LMARGIN", new_y="NEXT")
        for p in score_order(d):
            rows = frame[frame["pillar"] == p]
            if rows.empty:
                continue
            own = float(rows.iloc[0]["score"])
            peer = float(rows.iloc[1]["score"])
            x, y = pdf.get_x(), pdf.get_y()
            pdf.set_font(FONT, "B" if p == INDEX else "", 8)
            pdf.cell(name_w, row_h, self.clean(rows.iloc[0]["pillar_name"]))
            bx = x + name_w
            pdf.set_draw_color(220, 222, 228)
            pdf.rect(bx, y + 1.2, bar_w - 4, 2.6)
            if own == own:
                pdf.set_fill_color(*CITY_BAR)
                pdf.rect(bx, y + 1.2, (bar_w - 4) * max(0.0, min(own, 100.0)) / 100, 2.6, style="F")
            if peer == peer:
                pdf.set_fill_color(*PEER_BAR)
                pdf.rect(bx, y + 4.4, (bar_w - 4) * max(0.0, min(peer, 100.0)) / 100, 2.0, style="F")
            pdf.set_xy(bx + bar_w, y)
            rank = s.at[p, "rank"] if p in s.index else None
            pdf.cell(20, row_h, "" if own != own else f"{own:.1f}", align="R")
            pdf.cell(20, row_h, "" if P.is_missing(rank) else f"{int(rank)}", align="R")
            pdf.set_xy(x, y + row_h)
        pdf.ln(1)
        peers_line = "; ".join(f"{r.pillar_name} {r.score:.1f}" for r in frame[frame["series"] == "Peer median"]
                               .itertuples() if r.score == r.score)
        if peers_line:
            self.para(f"Peer values: {peers_line}.", 8, grey=True)

    def changes(self, h: dict) -> None:
        d, e = self.data, self.edition
        self.h2(f"What changed since {e - 1}, and why")
        if e == min(d.editions):
            self.para(f"{e} is the first edition: there is no earlier score to compare with.")
            return
        head = W.index_change(d, self.city_id, e)
        if head is None:
            self.para(f"Not ranked in both {e - 1} and {e}, so the index change cannot be split.")
            return
        self.para(f"Index score {head['score_prev']:.2f} in {e - 1} → {head['score']:.2f} in {e} "
                  f"({head['score_change']:+.2f}). Each line is an indicator's published contribution; the lines "
                  "sum to the change.")
        lines = W.contributions(d, self.ch, self.city_id, e)
        rows = []
        for r in lines.itertuples():
            self.use(r.source_id)
            before = f"{r.value_prev_text} ({int(r.year_prev)})" if r.value_prev_text and not P.is_missing(
                r.year_prev) else r.value_prev_text
            now = f"{r.value_text} ({int(r.year)})" if r.value_text and not P.is_missing(r.year) else r.value_text
            rows.append([r.name, r.kind_text, before, now, f"{r.contribution:+.3f}"])
        self.table(["Indicator", "Change", f"Value {e - 1} (year)", f"Value {e} (year)", "Points"], rows,
                   (48, 40, 34, 34, 24), ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"))
        moved = int((lines["contribution"].abs() > EPS).sum())
        self.para(f"{moved} of {len(lines)} indicators moved the score by more than 0.0005 points; 'carried "
                  "forward' means the same value and year as last edition.", 8, grey=True)

    def events(self) -> None:
        d, e = self.data, self.edition
        self.h2(f"Dated events behind the changes ({e - 1} < year ≤ {e})")
        ev = W.city_events(d, self.ch, self.city_id, e) if e > min(d.editions) else pd.DataFrame()
        if ev.empty:
            self.para(f"No dated event is known for {self.name} between {e - 1} and {e} in the inputs (twinnings "
                      "of the focus cities, Pact of Free Cities accessions, UNESCO Creative Cities designations, "
                      "seats of international organisations, Lowy counts of sending countries with a diplomatic post).")
            return
        rows = []
        for r in ev.itertuples():
            self.use(r.source_id)
            rows.append([r.when, r.name, r.kind, r.change_text, r.description])
        self.table(["When", "Indicator", "Event", "Count", "What (from the data)"], rows, (18, 34, 32, 12, 84),
                   ("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"))
        self.para("Twin towns are scored from one 2026 snapshot, so a dated partnership shows here but does not "
                  "move the twin-town score between editions.", 8, grey=True)

    def data_notes(self) -> None:
        d, e = self.data, self.edition
        self.h2(f"Every indicator in {e}, with data notes")
        t = P.indicator_table(d, self.city_id, e)
        rows = []
        for r in t.itertuples():
            self.use(r.source_id)
            score = "" if P.is_missing(r.score) else f"{r.score:.1f}"
            rows.append([r.name, r.value_text, "" if P.is_missing(r.year) else str(int(r.year)), r.status_text,
                         score])
        self.table(["Indicator", "Value", "Year", "Data status", "Score"], rows, (52, 46, 14, 52, 16),
                   ("LEFT", "LEFT", "RIGHT", "LEFT", "RIGHT"))
        n_zero = int(((t["status"] == "observed") & (t["value"] == 0)).sum())
        n_missing = int((t["status"] == "missing").sum())
        n_below = int((t["status"] == "below_threshold").sum())
        n_old = int(t["vintage"].isin(["carried_forward", "later_vintage"]).sum())
        self.para(f"Zero ({n_zero}): a complete list counts nothing for the city - a true zero, scored. Below the "
                  f"threshold ({n_below}): the city is not on a top-N list, so its value is only known to be "
                  f"smaller than the list's last entry. No data ({n_missing}): not scored; the pillar is the mean "
                  f"of the indicators that have data. Older or later year ({n_old}): the value's own year differs "
                  "from the edition (carried forward, or a later value standing in); its year is shown.", 8)
        prev = P.indicator_table(d, self.city_id, e - 1) if e > min(d.editions) else t.iloc[:0]
        for sid in prev["source_id"]:
            self.use(sid)

    def sources_section(self) -> None:
        self.h2("Sources of every value used")
        src = self.data.sources.set_index("source_id")
        rows = []
        for sid in self.sources:
            if sid not in src.index:
                continue
            r = src.loc[sid]
            url = safe_url(r["url"]) or ""
            rows.append([r["title"], r["producer"], url, r.get("grade", ""), r["licence"]])
        self.table(["Title", "Producer", "URL", "Grade", "Licence"], rows, (50, 32, 44, 24, 30), size=7)

    def closing(self) -> None:
        m = self.data.manifest
        self.h2("Cite this report")
        self.para(P.citation(self.data, self.edition, self.url))
        self.para(f"Methodology v{m['methodology_version']} · editions {min(self.data.editions)}–"
                  f"{max(self.data.editions)} · index built {str(m['built_at'])[:10]}. The method and every "
                  "indicator's definition are on the explorer's methodology page.", 8, grey=True)
        self.h2("Licence")
        self.para("The index's data are shared under CC BY-SA 4.0 (they derive from share-alike lists: "
                  "Wikipedia-derived twin-town lists, SupraVerden). The air-destination counts contain information "
                  "from OpenFlights, which is made available here under the Open Database License (ODbL). Each "
                  "source's grade and terms are listed above, each published file's terms in data/LICENSE.md; "
                  "credit the producers as listed when you reuse a value.", 8)

    def render(self) -> bytes:
        h = self.headline()
        self.pillars()
        self.changes(h)
        self.events()
        self.data_notes()
        self.sources_section()
        self.closing()
        return bytes(self.pdf.output())


def report_pdf(data: IndexData, ch: W.ChangesData, robust: RobustData, city_id: str, edition: int,
               url: str = "") -> bytes:
    """The PDF bytes of one city's report for one edition (same index and url -> same bytes); `url` is the view
    the citation names (default: the city's live profile, root-relative)."""
    if city_id not in data.city_ids:
        raise KeyError(f"unknown city_id: {city_id}")
    if edition not in data.editions:
        raise KeyError(f"unknown edition: {edition}")
    link = url or city_link(city_id, edition)
    return Report(data, ch, robust, city_id, edition, link).render()


def city_link(city_id: str, edition: int, base_url: str = "") -> str:
    """The city's live profile for the edition: the address a report's citation names."""
    return live_url(base_url, "city", {"city": city_id, "edition": edition})


def render(data: IndexData, out: Path, base_url: str = "", cities: list[str] | None = None) -> int:
    """Write the latest edition's reports (of `cities`, default report_cities) into out/<edition>/<city_id>.pdf,
    citing the live explorer under `base_url` (root-relative when ''); returns their number."""
    ch, robust = W.load_changes(data.index_dir), load_robust(data.index_dir)
    edition = max(data.editions)
    folder = Path(out) / str(edition)
    folder.mkdir(parents=True, exist_ok=True)
    ids = report_cities(data) if cities is None else cities
    for cid in ids:
        pdf = report_pdf(data, ch, robust, cid, edition, city_link(cid, edition, base_url))
        (folder / f"{cid}.pdf").write_bytes(pdf)
    return len(ids)
