"""The explorer's one URL module: which addresses are safe to link, how a view's share link is built, and where the
published static files (snapshots, PDF reports) live and are served. No Streamlit, no index math: the live pages,
the presentation mode, the embed snippet, the static snapshots and the PDF reports all build their links here.

Promises:
- `safe_url` is the one test of an address fit for a link: a plain http(s) address (no spaces), else None.
- `share_url` is the one share-link builder: the page address (scheme, host, path; its own query and fragment
  dropped) plus the view's parameters, keeping only short plain ones (slugs, numbers, comma lists: a hostile or
  oversized parameter is dropped, never echoed), at most MAX_URL_LEN characters.
- `snapshot_url` gives the pre-rendered light page of a view only when that file has been rendered
  (`python -m explorer.publish`); until then the caller keeps the live view's link, so a fresh checkout works.
- The public base URL of a deployment (its own address, e.g. https://cdi.example.org) is one setting:
  `--base-url` of the publish command or the CDI_PUBLIC_URL environment variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pandas as pd

from cdi_core.paths import REPO_ROOT
from explorer.text.i18n import DEFAULT_LANG, LANG_CODES

PUBLIC_URL_ENV = "CDI_PUBLIC_URL"
FALLBACK_BASE = "http://localhost:8501"
MAX_URL_LEN = 600
PRESENT_PARAM = "present"
DEFAULT_PAGE = "home"  # url_path of the default page, which Streamlit serves at "/" ("/home" is "page not found")

# The generated files (never committed): server.enableStaticServing serves ./static at /app/static.
STATIC_DIR = REPO_ROOT / "static"
STATIC_PATH = "/app/static"
SNAPSHOT_DIR = STATIC_DIR / "snapshots"
SNAPSHOT_PATH = f"{STATIC_PATH}/snapshots"
REPORT_DIR = STATIC_DIR / "reports"
REPORT_PATH = f"{STATIC_PATH}/reports"

_SAFE_KEY = re.compile(r"^[a-z][a-z_]{0,19}$")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9,._-]{0,199}$")
_SAFE_NETLOC = re.compile(r"^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:[0-9]{1,5})?$")
_HOST = re.compile(r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                   r"(:[0-9]{1,5})?")
_BASE_PATH = re.compile(r"(/[A-Za-z0-9._~%-]+)*/?")
_CITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_SNAPSHOT_PAGES = {"": "index.html", DEFAULT_PAGE: "index.html", "ranking": "index.html", "pact": "pact.html"}


def is_missing(x: object) -> bool:
    """None, pd.NA, NaN or NaT: a value that is not there (a link, a cell); anything pd.isna cannot judge is present."""
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def safe_url(url: object) -> str | None:
    """The address if it is a plain web address (http/https, no whitespace inside), stripped; else None."""
    if is_missing(url):
        return None
    text = str(url).strip()
    if text.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in text):
        return text
    return None


def with_lang(params: Mapping[str, object], lang: str) -> dict:
    """Query parameters for a link into the live explorer, with lang= unless the language is English."""
    return {**params, "lang": lang} if lang != DEFAULT_LANG else dict(params)


def clean_params(params: Mapping[str, object], drop: Iterable[str] = (PRESENT_PARAM,)) -> dict[str, str]:
    """The first value of each parameter, only short plain keys and values, without the keys in `drop`
    (compared in lower case)."""
    dropped = {d.lower() for d in drop}
    out: dict[str, str] = {}
    for key, raw in params.items():
        key = str(key)
        if key.lower() in dropped or not _SAFE_KEY.match(key):
            continue
        value = raw[0] if isinstance(raw, list | tuple) and raw else raw
        if value is None or isinstance(value, list | tuple):
            continue
        value = str(value)
        if _SAFE_VALUE.match(value):
            out[key] = value
    return out


def page_root(base: str | None, page: str = "", fallback: str | None = FALLBACK_BASE) -> str:
    """The page's address: `base`'s scheme, host and path (query and fragment dropped), with /`page` appended
    unless the path already ends with it. A `base` that is not a plain http(s) address gives `fallback` instead
    (None: a root-relative /`page`)."""
    try:
        parts = urlsplit(str(base or "").strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
        ok = parts.scheme in {"http", "https"} and bool(_SAFE_NETLOC.match(parts.netloc))
    except ValueError:  # e.g. "http://[" (a malformed IPv6 host)
        ok = False
    if not ok:
        if fallback is None:
            return f"/{page}"
        parts = urlsplit(fallback)
    path = parts.path or "/"
    if page:
        path = path.rstrip("/")
        path = path if path.endswith("/" + page) else f"{path}/{page}"
    return urlunsplit((parts.scheme, parts.netloc, quote(path, safe="/-._~%"), "", ""))


def share_url(base: str | None, page: str, params: Mapping[str, object], *, fallback: str | None = FALLBACK_BASE,
              drop: Iterable[str] = (PRESENT_PARAM,)) -> str:
    """The one share-link builder: page_root(base, page, fallback) plus the cleaned parameters (clean_params), at
    most MAX_URL_LEN characters (parameters are dropped from the end until it fits, so a QR code stays small)."""
    root = page_root(base, page, fallback)
    items = list(clean_params(params, drop).items())
    while True:
        url = root + ("?" + urlencode(items, quote_via=quote, safe=",") if items else "")
        if len(url) <= MAX_URL_LEN or not items:
            return url[:MAX_URL_LEN]
        items.pop()


def query_params(url: str | None) -> dict[str, str]:
    """The parameters in an address's own query ({} if it cannot be read)."""
    try:
        return dict(parse_qsl(urlsplit(str(url or "")).query))
    except ValueError:
        return {}


# ------------------------------------------------------------------------------------------- the public base URL
def public_base_url(value: str | None, what: str = "--base-url") -> str:
    """A deployment's public address checked and without its trailing slash: http(s), a plain host name (optional
    port), a path of plain characters, no user, query or fragment; '' for none. Anything else raises ValueError
    saying why."""
    text = str(value or "").strip()
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
        raise ValueError(f"{what} {text!r} {problem} (e.g. https://cdi.example.org)")
    return text.rstrip("/")


def env_base_url() -> str:
    """CDI_PUBLIC_URL, checked (public_base_url), or '' if unset."""
    return public_base_url(os.environ.get(PUBLIC_URL_ENV, ""), PUBLIC_URL_ENV)


def live_url(base: str, page: str, params: Mapping[str, object]) -> str:
    """A view of the live explorer under `base` (root-relative when '', for the app's own server), every
    parameter kept (the publish command's own values, not a visitor's)."""
    qs = urlencode({k: str(v) for k, v in params.items() if v is not None})
    return f"{base.rstrip('/')}/{page}" + (f"?{qs}" if qs else "")


# ----------------------------------------------------------------------------------- published static files
def lang_dir(lang: str) -> str:
    """The language's folder inside the snapshot folder: '' for English (the original addresses), else 'hu/' etc."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def snapshot_target(page: str, params: Mapping[str, str], latest: int) -> str | None:
    """The snapshot file (relative to the snapshot folder, language folder included) that shows the view `page`
    with `params`, or None: snapshots exist for the latest edition only, for the headline ranking (home or
    ranking without filters), each city's profile and the Pact of Free Cities, in every language."""
    params = dict(params)
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
    return lang_dir(lang) + target


def rendered(rel: str, folder: Path | None = None) -> bool:
    """Whether the publish command has rendered this file: one stat per call (a whole snapshot_url call measured
    26-32 µs), so it is right as soon as the files are there, with no cache to go stale."""
    return os.path.isfile((SNAPSHOT_DIR if folder is None else folder) / rel)


def snapshot_url(url: str, page: str, latest: int, folder: Path | None = None) -> str | None:
    """The pre-rendered snapshot that shows the same view as `url` (a share_url), or None if there is none or it
    has not been rendered yet (then the caller keeps the live link: a fresh checkout works before publishing).

    A view in language X (lang=X) gets the X snapshot (static/snapshots/X/...; English at the top); a view with any
    other parameter, or an unknown language, keeps its live URL. `folder`: the rendered snapshots (default
    static/snapshots)."""
    parts = urlsplit(url)
    rel = snapshot_target(page, dict(parse_qsl(parts.query)), latest)
    if rel is None or not rendered(rel, folder):
        return None
    path = parts.path.rstrip("/")
    if page and page != DEFAULT_PAGE and path.endswith("/" + page):
        path = path[: -len(page) - 1]
    return urlunsplit((parts.scheme, parts.netloc, f"{path}{SNAPSHOT_PATH}/{rel}", "", ""))
