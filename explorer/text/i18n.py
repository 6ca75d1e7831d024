"""Languages of the explorer: one gettext message catalogue (Babel), locale number and date formats, and the
language's own city names. No Streamlit: the pages, the static snapshots and the reports can all use it.

    _ = translator("hu"); _("Ranking") -> "Rangsor"
    fmt_number(1234.5, "hu", 1) -> "1 234,5" (no-break space); fmt_number(1234.5, "de", 1) -> "1.234,5"
    city_name("vienna", "Vienna", "hu") -> "Bécs" (CLDR exemplar city names, written by the build)

Catalogues: explorer/text/locale/messages.pot (template), explorer/text/locale/<lang>/LC_MESSAGES/messages.po (sources,
edited by translators) and messages.mo (compiled, committed: the app does not compile at run time).

    python -m explorer.text.i18n extract   # _("...") calls + framework names -> messages.pot, merged into each .po
    python -m explorer.text.i18n compile   # .po -> .mo
    python -m explorer.text.i18n check     # exit 1 if a translation (or plural form) is missing or a .mo is stale

Strings are marked with _("...") (translated where they are shown) or N_("...") (marked only, for module-level
tables that are translated later with _(value)). Placeholders use str.format names: _("Rank {rank}").format(...).
Counts use the translator's ngettext, so each language gets its own plural forms (Polish "2 miasta", "5 miast"):

    _.ngettext("{n} city", "{n} cities", n).format(n=n)
"""

from __future__ import annotations

import datetime as _dt
import gettext
import io
import math
import os
import re
import sys
from pathlib import Path

from explorer.perf.memo import memo

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LANG = "en"
# (code, the language's own name), in the order the selector shows them
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("hu", "Magyar"),
    ("cs", "Čeština"),
    ("sk", "Slovenčina"),
    ("pl", "Polski"),
    ("de", "Deutsch"),
)
LANG_CODES: tuple[str, ...] = tuple(code for code, _name in LANGUAGES)
LANG_NAMES: dict[str, str] = dict(LANGUAGES)
# where the translatable strings live (relative to the repository root)
SOURCE_PATHS = ("app.py", "pages", "explorer")
# gettext keywords: _() and N_() take one msgid; ngettext(singular, plural, n) is extracted with its msgid_plural
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
DASH = "–"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a string for the catalogue without translating it (module-level tables, translated where shown)."""
    return message


def _lang(lang: str | None) -> str:
    return lang if lang in LANG_CODES else DEFAULT_LANG


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


class Translator:
    """One language's messages: call it for a message (`_("Ranking")`), use `.ngettext(singular, plural, n)` for a
    count. Without a catalogue (English, or a missing .mo) both return the English text."""

    __slots__ = ("_catalogue", "lang")

    def __init__(self, lang: str = DEFAULT_LANG, catalogue: gettext.NullTranslations | None = None) -> None:
        self.lang = lang
        self._catalogue = catalogue

    def __call__(self, message: str) -> str:
        if not message or self._catalogue is None:
            return message
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of the message for the count n, by the language's Plural-Forms rule (English: n == 1 or not).
        A message the catalogue lacks falls back to the English singular or plural."""
        n = int(n)
        if self._catalogue is None:
            return singular if n == 1 else plural
        return self._catalogue.ngettext(singular, plural, n)


@memo
def translator(lang: str | None) -> Translator:
    """The language's Translator (a gettext callable with .ngettext), cached; English (and any unknown code)
    returns the msgid itself. A msgid the catalogue lacks also falls back to English, never to an error."""
    lang = _lang(lang)
    path = mo_path(lang)
    if lang == DEFAULT_LANG or not path.is_file():
        return Translator(DEFAULT_LANG)
    with path.open("rb") as fh:
        return Translator(lang, gettext.GNUTranslations(fh))


def ngettext(singular: str, plural: str, n: int, lang: str | None = DEFAULT_LANG) -> str:
    """The plural form of a message for n in the language (translator(lang).ngettext)."""
    return translator(lang).ngettext(singular, plural, n)


# ------------------------------------------------------------------------------------------------------ formatting
def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))  # NaN, inf, pd.NA (float(pd.NA) raises TypeError)
    except (TypeError, ValueError):
        return True


def fmt_number(x: object, lang: str | None = DEFAULT_LANG, decimals: int = 1, sign: bool = False) -> str:
    """A number in the locale's format with a fixed number of decimals (1 234,5 in hu and cs, 1.234,5 in de,
    1,234.5 in en); NaN/None -> an en dash. sign=True writes + before positive numbers (for changes)."""
    if _missing(x):
        return DASH
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    v = round(float(x), decimals) + 0.0  # no "-0,0"
    if v == 0:
        v = 0.0
    text = format_decimal(v, format=pattern, locale=_lang(lang))
    if sign and v > 0:
        text = "+" + text
    return text.replace("-", "−") if v < 0 else text


def fmt_percent(x: object, lang: str | None = DEFAULT_LANG, decimals: int = 0) -> str:
    """A share (0.65) as a percentage in the locale's format ('65%' in en, '65 %' in de and cs); NaN -> dash."""
    if _missing(x):
        return DASH
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return format_percent(float(x), format=None if decimals == 0 else pattern, locale=_lang(lang))


def fmt_date(x: object, lang: str | None = DEFAULT_LANG, format: str = "medium") -> str:  # noqa: A002
    """A date (date, datetime or 'YYYY-MM-DD...' text) in the locale's format; anything else -> dash."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return DASH
    from babel.dates import format_date

    if isinstance(x, _dt.datetime):
        d = x.date()
    elif isinstance(x, _dt.date):
        d = x
    else:
        try:
            d = _dt.date.fromisoformat(str(x)[:10])
        except ValueError:
            return DASH
    if _lang(lang) == DEFAULT_LANG:  # English keeps the unambiguous ISO date the explorer has always shown
        return d.isoformat()
    return format_date(d, format=format, locale=_lang(lang))


# ------------------------------------------------------------------------------------------------------ city names
def _index_dir() -> Path:
    from cdi_core.paths import INDEX_DIR

    return Path(os.environ.get("CDI_INDEX_DIR") or INDEX_DIR)


@memo
def city_names(index_dir: str | None = None) -> dict[tuple[str, str], str]:
    """(city_id, lang) -> the language's own name, from data/index/city_names.parquet (empty if absent)."""
    import pandas as pd

    path = Path(index_dir or _index_dir()) / "city_names.parquet"
    if not path.is_file():
        return {}
    from explorer.text.markdown import shown

    df = pd.read_parquet(path)  # an index from elsewhere: no bidi or zero-width character reaches a page
    return {(str(c), str(la)): shown(n) for c, la, n in zip(df["city_id"], df["lang"], df["name"])}


def city_name(city_id: str, english_name: str, lang: str | None = DEFAULT_LANG) -> str:
    """The city's name in the language (CLDR exemplar city), else the English name of the registry."""
    lang = _lang(lang)
    if lang == DEFAULT_LANG:
        return english_name
    return city_names().get((city_id, lang), english_name)


@memo
def city_names_of(data, lang: str) -> dict[str, str]:
    """city_id -> city_name(...) of every reference city of `data` (an IndexData), in the language. One dict per
    process and language, shared by every caller: read it, never change it."""
    return {c: city_name(c, n, lang) for c, n in zip(data.cities["city_id"], data.cities["name"])}


@memo
def city_ids_by_name(data, lang: str) -> tuple[str, ...]:
    """Every reference city's id sorted by its name in the language (the city pickers' order), once per process."""
    names = city_names_of(data, lang)
    return tuple(sorted(names, key=lambda c: (names[c].casefold(), c)))


# ------------------------------------------------------------------------------------------- catalogue maintenance
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]*)(?:[:!][^{}]*)?\}")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text or ""))


def plural_messages() -> dict[str, str]:
    """msgid -> msgid_plural of every ngettext(...) call in the sources."""
    return _extract()[1]


def extracted_messages() -> dict[str, list[tuple[str, int]]]:
    """msgid -> [(file, line)] of every _("...") / N_("...") / ngettext(...) in the sources (a plural message by its
    singular), plus the framework's pillar names, indicator names and units (data-derived, translated through the
    catalogue by their English text)."""
    return _extract()[0]


def _extract() -> tuple[dict[str, list[tuple[str, int]]], dict[str, str]]:
    from babel.messages.extract import extract_from_file

    found: dict[str, list[tuple[str, int]]] = {}
    plurals: dict[str, str] = {}
    files: list[Path] = []
    for rel in SOURCE_PATHS:
        p = ROOT / rel
        files.extend([p] if p.is_file() else sorted(p.rglob("*.py")))
    for path in files:
        for lineno, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
            if isinstance(message, tuple):
                if len(message) > 1 and message[1]:
                    plurals[message[0]] = message[1]
                message = message[0]
            if message:
                found.setdefault(message, []).append((str(path.relative_to(ROOT)), lineno))
    for message in framework_messages():
        found.setdefault(message, []).append(("data/index/framework.parquet", 0))
    return found, plurals


def framework_messages(index_dir: Path | None = None) -> list[str]:
    import pandas as pd

    fw = pd.read_parquet(Path(index_dir or ROOT / "data" / "index") / "framework.parquet")
    out: list[str] = []
    for col in ("pillar_name", "name", "unit", "definition"):
        for v in fw[col].dropna().astype(str):
            if v and v not in out:
                out.append(v)
    return out


def template():
    from babel.messages.catalog import Catalog

    cat = Catalog(project="CDI Explorer", domain=DOMAIN, charset="utf-8", fuzzy=False,
                  msgid_bugs_address="the project's issue tracker")
    found, plurals = _extract()
    for message, locations in sorted(found.items()):
        cat.add((message, plurals[message]) if message in plurals else message, locations=locations)
    return cat


def _read_po(lang: str):
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def _write_po(path: Path, catalogue) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalogue, width=116, sort_output=True, omit_header=False, include_previous=False)
    path.write_bytes(buf.getvalue())


def _mo_bytes(catalogue) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalogue, use_fuzzy=False)
    return buf.getvalue()


def extract() -> None:
    """Write messages.pot and merge it into every language's .po (new msgids arrive untranslated)."""
    from babel.messages.catalog import Catalog

    tpl = template()
    _write_po(LOCALE_DIR / f"{DOMAIN}.pot", tpl)
    for lang in LANG_CODES[1:]:
        if po_path(lang).is_file():
            cat = _read_po(lang)
        else:
            cat = Catalog(locale=lang, domain=DOMAIN, project="CDI Explorer", charset="utf-8", fuzzy=False)
        cat.update(tpl, no_fuzzy_matching=True)
        cat.obsolete.clear()
        _write_po(po_path(lang), cat)


def compile_all() -> None:
    for lang in LANG_CODES[1:]:
        mo_path(lang).write_bytes(_mo_bytes(_read_po(lang)))
    translator.cache_clear()


def plural_problems(lang: str, msgid: str, msgid_plural: str, msg, where: str, nplurals: int) -> list[str]:
    """What is wrong with one plural message: not a plural entry, a missing or empty form, a form whose placeholders
    differ from the English plural's."""
    forms = msg.string if isinstance(msg.string, tuple | list) else ()
    if not isinstance(msg.id, tuple | list):
        return [f"{lang}: {msgid!r} is not a plural entry (run python -m explorer.text.i18n extract) ({where})"]
    out = []
    if len(forms) < nplurals or not all(forms[:nplurals]):
        filled = sum(1 for f in forms[:nplurals] if f)
        out.append(f"{lang}: plural forms missing for {msgid!r}: {filled} of {nplurals} filled ({where})")
    for i, form in enumerate(forms[:nplurals]):
        if form and placeholders(form) != placeholders(msgid_plural):
            out.append(f"{lang}: placeholders differ in plural form {i} of {msgid!r}: {sorted(placeholders(form))}")
    return out


def problems() -> list[str]:
    """What `check` reports: untranslated or fuzzy msgids, plural messages without all the language's plural forms,
    placeholder mismatches, stale or missing .mo files."""
    out: list[str] = []
    wanted, plurals = _extract()
    for lang in LANG_CODES[1:]:
        if not po_path(lang).is_file():
            out.append(f"{po_path(lang)}: missing")
            continue
        cat = _read_po(lang)
        for msgid, locations in wanted.items():
            msg = cat.get(msgid)
            where = f"{locations[0][0]}:{locations[0][1]}"
            if msg is None or not msg.string or (isinstance(msg.string, tuple | list) and not any(msg.string)):
                out.append(f"{lang}: no translation for {msgid!r} ({where})")
            elif msg.fuzzy:
                out.append(f"{lang}: fuzzy translation for {msgid!r} ({where})")
            elif msgid in plurals:
                out.extend(plural_problems(lang, msgid, plurals[msgid], msg, where, cat.num_plurals))
            elif isinstance(msg.string, tuple | list):
                out.append(f"{lang}: {msgid!r} is a plural entry but the sources use it as a plain message ({where})")
            elif placeholders(msg.string) != placeholders(msgid):
                out.append(f"{lang}: placeholders differ for {msgid!r}: {sorted(placeholders(msg.string))}")
        mo = mo_path(lang)
        if not mo.is_file():
            out.append(f"{mo}: missing (run python -m explorer.text.i18n compile)")
        elif mo.read_bytes() != _mo_bytes(cat):
            out.append(f"{mo}: stale against {po_path(lang).name} (run python -m explorer.text.i18n compile)")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    if command == "extract":
        extract()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print("usage: python -m explorer.text.i18n extract|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
