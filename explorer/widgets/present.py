"""Presentation mode for panels (?present=1): large type, minimal chrome, one chart, and a QR code of the view.

The QR code and the printed link point at the same view WITHOUT present=1, so phones open the normal, navigable
page. The link is rebuilt from the page URL (st.context.url) and the current query parameters, keeping only short,
plain parameters (slugs, numbers, comma lists): a hostile or oversized parameter is dropped, never echoed.

Pure helpers (clean_params, share_url, qr_png) are testable without a running app; the Streamlit part is
`presenting`, `present_share`, `exit_button` and `present_view`, whose default chart is the edition's top 10 from
explorer.views.ranking (top_ranked, the selection the home page and the snapshots use too).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from explorer.perf.memo import memo
from explorer.publish.snapshots import SERVED_PATH, lang_dir
from explorer.text.i18n import DEFAULT_LANG, LANG_CODES, Translator, translator
from explorer.text.params import notice_text, parse_edition, parse_flag, parse_lang
from explorer.views.ranking import top_chart
from explorer.widgets import charts

PRESENT_PARAM = "present"
MAX_URL_LEN = 600
_SAFE_KEY = re.compile(r"^[a-z][a-z_]{0,19}$")
_SAFE_NETLOC = re.compile(r"^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:[0-9]{1,5})?$")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9,._-]{0,199}$")
FALLBACK_BASE = "http://localhost:8501"
DEFAULT_PAGE = "home"  # url_path of the default page, which Streamlit serves at "/" ("/home" is "page not found")


# --- pure helpers ---------------------------------------------------------------------------------------------------

def clean_params(params: Mapping[str, object]) -> dict[str, str]:
    """The view's query parameters minus present=1: first value of each, only short plain keys and values."""
    out: dict[str, str] = {}
    for key, raw in params.items():
        if key == PRESENT_PARAM or not _SAFE_KEY.match(str(key)):
            continue
        value = raw[0] if isinstance(raw, list | tuple) and raw else raw
        if isinstance(value, list | tuple):
            continue
        value = str(value)
        if _SAFE_VALUE.match(value):
            out[str(key)] = value
    return out


def share_url(base: str, params: Mapping[str, object]) -> str:
    """The page URL (query and fragment stripped) plus the cleaned parameters; at most MAX_URL_LEN characters
    (parameters are dropped from the end until it fits, so the QR code stays small and scannable)."""
    try:
        parts = urlsplit(base or FALLBACK_BASE)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:  # e.g. "http://[" (a malformed IPv6 host)
        parts = urlsplit(FALLBACK_BASE)
    if parts.scheme not in {"http", "https"} or not _SAFE_NETLOC.match(parts.netloc):
        parts = urlsplit(FALLBACK_BASE)
    page = urlunsplit((parts.scheme, parts.netloc, quote(parts.path or "/", safe="/-._~%"), "", ""))
    items = list(clean_params(params).items())
    while True:
        url = page + ("?" + urlencode(items, safe=",") if items else "")
        if len(url) <= MAX_URL_LEN or not items:
            return url[:MAX_URL_LEN]
        items.pop()


_SNAPSHOT_PAGES = {"": "index.html", DEFAULT_PAGE: "index.html", "ranking": "index.html", "pact": "pact.html"}
_CITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def snapshot_url(url: str, page: str, latest: int) -> str | None:
    """The pre-rendered snapshot that shows the same view as `url` (a share_url), or None if there is none.

    Snapshots exist for the latest edition only, for the headline ranking (home or ranking without filters), each
    city's profile and the Pact of Free Cities, in every language: a view in language X (lang=X) gets the X snapshot
    (static/snapshots/X/...; English at the top). A view with any other parameter, or an unknown language, keeps its
    live URL."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    if params.pop("edition", str(latest)) != str(latest):
        return None
    lang = params.pop("lang", DEFAULT_LANG)
    if lang not in LANG_CODES:
        return None
    if page == "city":
        city = params.pop("city", "")
        target = f"city/{city}.html" if _CITY_ID.match(city) else None
    else:
        target = _SNAPSHOT_PAGES.get(page)
    if target is None or params:
        return None
    path = parts.path.rstrip("/")
    if page and page != DEFAULT_PAGE and path.endswith("/" + page):
        path = path[: -len(page) - 1]
    return urlunsplit((parts.scheme, parts.netloc, f"{path}{SERVED_PATH}/{lang_dir(lang)}{target}", "", ""))


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
        base = os.environ.get("CDI_PUBLIC_URL", FALLBACK_BASE).rstrip("/") + path
    elif urlsplit(base).path.rstrip("/").endswith("/" + DEFAULT_PAGE):
        base = base.rstrip("/")[: -len(DEFAULT_PAGE)]  # the default page is served at the app's root, not /home
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return share_url(base, params)


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
