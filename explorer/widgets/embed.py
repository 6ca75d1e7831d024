"""Embedding a view in another site: the `<iframe>` snippet that the city, compare and ranking pages offer to copy.

The snippet is the view's URL with its current query parameters plus Streamlit's `embed=true` (which hides the
app's header, toolbar and padding), `width="100%"` and a fixed height suited to the page, followed by the citation
and credit line and the licence note. It is shown as code (st.code), never rendered as HTML.

Safety: the page URL must be a plain http(s) address (anything else falls back to FALLBACK_BASE); as for the
presentation link (explorer.widgets.present), only short, plain parameters are kept (slugs, numbers, comma lists: no
valid
view needs more) and a hostile or oversized one is dropped, never echoed; what is kept is URL-encoded all the same,
and every attribute value and text in the snippet is HTML-escaped. No Streamlit here: explorer.widgets.page's
`embed_control` draws it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from explorer.text import urls
from explorer.text.i18n import N_, fmt_date, translator

EMBED_PARAM = "embed"
DROPPED = {"embed", "embed_options", "present"}  # the snippet adds embed=true itself; never embed a presentation
FALLBACK_BASE = urls.FALLBACK_BASE
HEIGHTS = {"city": 1200, "compare": 1100, "ranking": 760}  # px: the headline and first chart (table) at 600 px wide
TITLES = {"city": N_("city profile"), "compare": N_("city comparison"), "ranking": N_("ranking")}
LICENCE = N_("Data licence: CC BY-SA 4.0; the air-destination counts contain information from OpenFlights (ODbL); "
             "every source and its licence is on the explorer's Methodology & data page.")


def credit_line(manifest: Mapping, editions: list[int], lang: str = "en") -> str:
    """The explorer's credit line in the language (the same as every page's footer)."""
    _ = translator(lang)
    return _("City Diplomacy Index, methodology v{version} · editions {first}–{last} · built {built}").format(
        version=manifest["methodology_version"], first=min(editions), last=max(editions),
        built=fmt_date(str(manifest["built_at"])[:10], lang))


def clean_params(params: Mapping[str, object]) -> list[tuple[str, str]]:
    """The view's parameters as (key, value) pairs: the first value of each, plain lower-case keys and plain short
    values only (others are dropped), without embed/present (explorer.text.urls.clean_params)."""
    return list(urls.clean_params(params, DROPPED).items())


def page_url(base: str | None) -> str:
    """The view's page address (scheme, host, path; query and fragment dropped), or FALLBACK_BASE if it is not a
    plain http(s) address."""
    return urls.page_root(base)


def view_url(url: str | None, params: Mapping[str, object] | None = None) -> str:
    """The view's shareable URL (explorer.text.urls.share_url): the page address plus its parameters (those in
    `url`'s query, then `params`)."""
    return urls.share_url(url, "", {**urls.query_params(url), **dict(params or {})}, drop=DROPPED)


def embed_url(url: str | None, params: Mapping[str, object] | None = None) -> str:
    """The view's URL with embed=true, for an iframe."""
    view = view_url(url, params)
    return view + ("&" if "?" in view else "?") + f"{EMBED_PARAM}=true"


def snippet(url: str | None, page: str, citation: str, credit: str, params: Mapping[str, object] | None = None,
            height: int | None = None, licence: str | None = None, lang: str = "en") -> str:
    """The HTML to paste: the iframe of the view, then a paragraph with the citation (linking to the view), the
    credit line and the licence note (default: LICENCE in `lang`). Every value is escaped; the result is meant to
    be shown as code."""
    _ = translator(lang)
    src = embed_url(url, params)
    link = view_url(url, params)
    h = int(height or HEIGHTS.get(page, 800))
    title = _("City Diplomacy Index: {view}").format(view=_(TITLES[page]) if page in TITLES else page)
    licence = _(LICENCE) if licence is None else licence
    open_live = _("open the live view")
    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    return (f'<iframe src="{e(src)}" title="{e(title)}" width="100%" height="{h}" style="border:0" '
            f'loading="lazy"></iframe>\n'
            f'<p style="font-size:0.8em">{e(citation)} (<a href="{e(link)}">{e(open_live)}</a>)<br>\n'
            f"{e(credit)}. {e(licence)}</p>")
