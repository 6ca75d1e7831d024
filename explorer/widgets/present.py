"""Presentation mode for panels (?present=1): large type, minimal chrome, one chart, and a QR code of the view.

The QR code and the printed link point at the same view WITHOUT present=1, so phones open the normal, navigable
page. The link is rebuilt from the page URL (st.context.url) and the current query parameters, keeping only short,
plain parameters (slugs, numbers, comma lists): a hostile or oversized parameter is dropped, never echoed.

The link and the snapshot address come from explorer.text.urls (share_url, snapshot_url: the light page only once
`python -m explorer.publish` has rendered it, else the live view). The Streamlit part is `presenting`,
`present_share`, `exit_button` and `present_view`, whose default chart is the edition's top 10 from
explorer.views.ranking (top_ranked, the selection the home page and the snapshots use too); qr_png is pure.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from urllib.parse import urlsplit

import segno
import streamlit as st

from explorer.perf.memo import memo
from explorer.text.i18n import Translator, translator
from explorer.text.params import notice_text, parse_edition, parse_flag, parse_lang
from explorer.text.urls import DEFAULT_PAGE, FALLBACK_BASE, PRESENT_PARAM, PUBLIC_URL_ENV, share_url, snapshot_url
from explorer.views.ranking import top_chart
from explorer.widgets import charts

# --- pure helpers ---------------------------------------------------------------------------------------------------

def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG QR code of the URL (error correction M, 4-module quiet zone)."""
    qr = segno.make(url, error="m", micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


# --- Streamlit ------------------------------------------------------------------------------------------------------

def page_translator() -> Translator:
    """The translator of the page's language (?lang=, which explorer.widgets.page.page_setup keeps in the URL)."""
    return translator(parse_lang(st.query_params.get_all("lang") or None))


def presenting() -> bool:
    """True when the URL carries present=1 (or true/yes/on)."""
    return parse_flag(st.query_params.get_all(PRESENT_PARAM) or None)


def current_url(page: str = "") -> str:
    """This view's shareable URL, without present=1. st.context.url is the browser's page URL; without a browser
    (tests) the CDI_PUBLIC_URL environment variable, else localhost, plus the page's url path."""
    base = st.context.url
    if not base:
        path = "" if page in ("", DEFAULT_PAGE) else f"/{page}"
        base = os.environ.get(PUBLIC_URL_ENV, FALLBACK_BASE).rstrip("/") + path
    elif urlsplit(base).path.rstrip("/").endswith("/" + DEFAULT_PAGE):
        base = base.rstrip("/")[: -len(DEFAULT_PAGE)]  # the default page is served at the app's root, not /home
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return share_url(base, "", params)


@memo
def _qr(url: str) -> bytes:
    return qr_png(url)


def present_share(page: str = "", latest: int | None = None) -> str:
    """The QR code for phones in the audience and the link itself, as plain text with a copy button.

    Where the view has a pre-rendered snapshot (latest edition: headline ranking, a city, the Pact), the QR code
    opens the snapshot, a plain file that a whole room can load at once without a Streamlit script run each; the
    snapshot links into the live view."""
    _ = page_translator()
    live = current_url(page)
    url = (snapshot_url(live, page, latest) if latest is not None else None) or live
    try:
        st.image(_qr(url), width="stretch", caption=_("Scan to open this view on your phone"),
                 alt=_("QR code of the link to this view"), output_format="PNG")
    except (ValueError, segno.DataOverflowError):
        st.caption(_("No QR code for this link."))
    st.code(url, language=None, wrap_lines=True)
    if url != live:
        st.caption(_("A light snapshot of this view that opens fast even when the whole room scans at once; it "
                     "links to the live explorer."))
    return url


def exit_button() -> None:
    _ = page_translator()
    if st.button(_("Exit presentation"), key="exit_present", type="tertiary"):
        if PRESENT_PARAM in st.query_params:
            del st.query_params[PRESENT_PARAM]
        st.rerun()


def present_view(data, page: str = "home", title: str | None = None,
                 render: Callable[[int], None] | None = None) -> None:
    """If ?present=1: draw the presentation view (title, one chart, QR code) and stop the page script.

    `render(edition)` draws the page's one chart; by default the edition's top-10 index bar chart.
    Call it at the top of a page, after reading the data; without present=1 it does nothing.
    """
    if not presenting():
        return
    _ = page_translator()
    parsed = parse_edition(st.query_params.get_all("edition") or None, data.editions)
    if parsed.notice:
        st.info(notice_text(parsed.notice, _))
    edition = int(parsed.value)
    st.title(title or _("City Diplomacy Index {edition}").format(edition=edition))
    chart_col, qr_col = st.columns([2, 1], vertical_alignment="center")
    with chart_col:
        if render is None:
            n_ranked = int(data.manifest["ranked_cities"][str(edition)])
            st.subheader(_.ngettext("Top 10 of {n} ranked city", "Top 10 of {n} ranked cities", n_ranked).format(
                n=n_ranked))
            charts.draw(charts.spec(top_chart, data, edition, 10, _.lang), width="stretch")
        else:
            render(edition)
    with qr_col:
        present_share(page, max(data.editions))
    st.caption(_("City Diplomacy Index, methodology v{version}, edition {edition}. Sources for every value: see "
                 "the Methodology & data page.").format(version=data.manifest["methodology_version"], edition=edition))
    exit_button()
    st.stop()
