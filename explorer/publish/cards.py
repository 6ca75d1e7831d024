"""Link-preview images (Open Graph / Twitter cards, 1200 x 630 PNG) for the static snapshots, drawn with Pillow.

The functions take already-formatted strings: the caller chooses the words (in the snapshot's language) and the number
formats; nothing here reads the index. `city_card` draws one city (name, rank, score, four labelled pillar bars),
`list_card` a short ranked list (the headline ranking's top 10, the Pact's best-ranked members). Every label is a
parameter with an English default, so a translated card only passes translated labels and a translated name.

Reproducible and small: no text chunks or timestamps in the PNG, colours mapped onto a fixed 15-colour palette
(white, the bar track, the bar blue, and each text colour blended with the white background in 4 steps, no
dithering), optimised deflate: about 15 KB a card (8 steps per colour, 34 colours, made them 8 % larger with no
difference visible at 1200 x 630). The same inputs, Pillow and
fonts give the same bytes, so the publish command is deterministic (tests/golden keeps one card's hash).

Fonts: DejaVu Sans from Debian's fonts-dejavu-core (/usr/share/fonts/truetype/dejavu); a clear error if missing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from explorer.documents.fonts import FONT_DIR, dejavu_paths
from explorer.perf.memo import memo

WIDTH, HEIGHT = 1200, 630
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}

WHITE = (255, 255, 255)
INK = (31, 36, 48)        # text
GREY = (91, 97, 112)      # labels, credit line
RED = (178, 34, 52)       # the CDI accent (the snapshots' "live" button)
BLUE = (34, 94, 168)      # bars (the presentation chart's colour)
TRACK = (227, 229, 234)   # the empty part of a bar
MARGIN = 60


@dataclass(frozen=True)
class Bar:
    """One labelled bar: label and value as display text, and the bar's length as a share of the full scale (None:
    no bar, e.g. no data)."""

    label: str
    value: str
    share: float | None


@dataclass(frozen=True)
class Row:
    """One line of a ranked list: rank and value as display text, the name, and the bar's share of the scale."""

    rank: str
    name: str
    value: str
    share: float | None


@dataclass(frozen=True)
class CityLabels:
    """The fixed words on a city card (English by default; a translation passes its own)."""

    rank: str = "Rank"
    score: str = "Index score"
    pillars: str = "Pillar scores (0–100)"


def font_paths(font_dir: Path = FONT_DIR) -> dict[str, Path]:
    """The DejaVu Sans files, or a clear error naming the Debian package that provides them."""
    return dejavu_paths(FONT_FILES, font_dir)


@memo
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_paths()[style]), size)


def _width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(text)


def _ellipsize(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """The text, cut with an ellipsis where it would be wider than `width`."""
    if _width(text, font) <= width:
        return text
    while text and _width(text + "…", font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, lines: int) -> list[str] | None:
    """The text broken at spaces into at most `lines` lines each no wider than `width`, or None if it cannot be."""
    words, out, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if _width(trial, font) <= width:
            line = trial
            continue
        if not line or _width(word, font) > width:
            return None
        out.append(line)
        line = word
    out.append(line)
    return out if len(out) <= lines else None


def fit_text(text: str, style: str, width: float, sizes: Sequence[int], lines: int = 1) \
        -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (from `sizes`, largest first) at which the text fits `width` on one line, else on up to
    `lines` lines; at the smallest size the last line is cut with an ellipsis."""
    text = " ".join(str(text).split()) or " "
    for size in sizes:
        font = _font(style, size)
        if _width(text, font) <= width:
            return font, [text]
    for size in sizes:
        font = _font(style, size)
        wrapped = _wrap(text, font, width, lines) if lines > 1 else None
        if wrapped:
            return font, wrapped
    font = _font(style, sizes[-1])
    out: list[str] = []
    rest = text
    for _ in range(lines - 1):  # fill all but the last line word by word, then cut the rest
        words, line = rest.split(), ""
        while words and _width(f"{line} {words[0]}".strip(), font) <= width:
            line = f"{line} {words.pop(0)}".strip()
        if not line:
            break
        out.append(line)
        rest = " ".join(words)
    if rest:
        out.append(_ellipsize(rest, font, width))
    return font, out


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, WIDTH, 11), fill=RED)
    return img, draw


def _header(draw: ImageDraw.ImageDraw, brand: str, edition: str) -> None:
    font = _font("bold", 28)
    head = _ellipsize(brand.upper(), font, WIDTH - 2 * MARGIN - 260)
    draw.text((MARGIN, 40), head, font=font, fill=RED)
    small = _font("regular", 28)
    draw.text((WIDTH - MARGIN, 40), _ellipsize(edition, small, 250), font=small, fill=GREY, anchor="ra")


def _footer(draw: ImageDraw.ImageDraw, credit: str) -> None:
    draw.line((MARGIN, 566, WIDTH - MARGIN, 566), fill=TRACK, width=2)
    font, lines = fit_text(credit, "regular", WIDTH - 2 * MARGIN, (22, 20, 18))
    draw.text((MARGIN, 582), lines[0], font=font, fill=GREY)


def _bar(draw: ImageDraw.ImageDraw, x0: float, y0: float, x1: float, height: int, share: float | None) -> None:
    draw.rectangle((x0, y0, x1, y0 + height), fill=TRACK)
    if share is not None and share > 0:
        draw.rectangle((x0, y0, x0 + (x1 - x0) * min(float(share), 1.0), y0 + height), fill=BLUE)


def city_card(name: str, rank: str, score: str, pillars: Sequence[Bar], *, edition: str,
              brand: str = "City Diplomacy Index", credit: str = "", labels: CityLabels = CityLabels()) \
        -> Image.Image:
    """One city: its name (shrunk, then wrapped onto two lines, to fit), rank and score as large figures on the
    left, the pillar scores as labelled bars on the right, the brand and edition on top, the credit line below."""
    img, draw = _canvas()
    _header(draw, brand, edition)
    font, lines = fit_text(name, "bold", WIDTH - 2 * MARGIN, (84, 76, 68, 60, 54, 48), lines=2)
    y = 88 if len(lines) == 1 else 84
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += int(font.size * 1.12)
    top = 238 if len(lines) == 1 else max(238, y + 18)
    left_w = 400
    label_font = _font("regular", 28)
    for i, (label, value) in enumerate(((labels.rank, rank), (labels.score, score))):
        yy = top + i * 160
        draw.text((MARGIN, yy), _ellipsize(label, label_font, left_w), font=label_font, fill=GREY)
        vfont, vlines = fit_text(value, "bold", left_w, (84, 72, 60, 48, 40))
        draw.text((MARGIN, yy + 36), vlines[0], font=vfont, fill=INK)
    x0, x1 = 520, WIDTH - MARGIN
    head_font = _font("regular", 26)
    draw.text((x0, top), _ellipsize(labels.pillars, head_font, x1 - x0), font=head_font, fill=GREY)
    rows = list(pillars)[:4]
    step = min(72, (550 - (top + 44)) // max(1, len(rows)))
    lab_font = _font("bold", 24)
    for i, bar in enumerate(rows):
        yy = top + 44 + i * step
        value_w = 90
        draw.text((x0, yy), _ellipsize(bar.label, lab_font, x1 - x0 - value_w), font=lab_font, fill=INK)
        vfont, vlines = fit_text(bar.value, "bold", value_w - 10, (26, 22, 18, 16))
        draw.text((x1, yy + 52), vlines[0], font=vfont, fill=INK, anchor="rs")  # on the bar's baseline
        _bar(draw, x0, yy + 34, x1 - value_w, 18, bar.share)
    _footer(draw, credit)
    return img


def list_card(title: str, subtitle: str, rows: Sequence[Row], *, edition: str,
              brand: str = "City Diplomacy Index", credit: str = "") -> Image.Image:
    """A ranked list (at most ten lines, two columns of five): rank, name, a bar and its value."""
    img, draw = _canvas()
    _header(draw, brand, edition)
    tfont, tlines = fit_text(title, "bold", WIDTH - 2 * MARGIN, (64, 56, 48, 40))
    draw.text((MARGIN, 84), tlines[0], font=tfont, fill=INK)
    sfont, slines = fit_text(subtitle, "regular", WIDTH - 2 * MARGIN, (28, 24, 22))
    draw.text((MARGIN, 164), slines[0], font=sfont, fill=GREY)
    rows = list(rows)[:10]
    col_w = (WIDTH - 2 * MARGIN - 60) // 2
    name_font, rank_font, val_font = _font("bold", 26), _font("regular", 26), _font("bold", 24)
    for i, row in enumerate(rows):
        col, line = divmod(i, 5)
        x = MARGIN + col * (col_w + 60)
        y = 222 + line * 66
        draw.text((x + 44, y), row.rank, font=rank_font, fill=GREY, anchor="ra")
        draw.text((x + 58, y), _ellipsize(row.name, name_font, col_w - 58), font=name_font, fill=INK)
        draw.text((x + col_w, y + 30), _ellipsize(row.value, val_font, 80), font=val_font, fill=INK, anchor="ra")
        _bar(draw, x + 58, y + 36, x + col_w - 80, 14, row.share)
    _footer(draw, credit)
    return img


# Blending steps per colour: the text colours get 4 (antialiased glyph edges); the bars are plain rectangles.
PALETTE_STEPS = ((INK, 4), (GREY, 4), (RED, 4), (BLUE, 1))


@memo
def _palette() -> Image.Image:
    """White, the bar track, and each text colour blended with white in 4 steps (antialiased edges), the bar blue
    as it is. Pillow maps onto a palette through a coarse colour cache, so no entry may lie close to white (or the
    background would come out off-white): the first step is a quarter of the way."""
    colours = [WHITE, TRACK]
    for ink, steps in PALETTE_STEPS:
        for step in range(1, steps + 1):
            t = step / steps
            colours.append(tuple(round(w + (c - w) * t) for w, c in zip(WHITE, ink)))
    colours = list(dict.fromkeys(colours))
    pal = Image.new("P", (1, 1))
    flat = [v for c in colours for v in c]
    pal.putpalette(flat + flat[:3] * (256 - len(colours)))
    return pal


def png_bytes(img: Image.Image) -> bytes:
    """The image as a small, byte-reproducible PNG: fixed palette, no dithering, no metadata, zlib level 8 (why not
    9: benchmarks/README.md, "Why the explorer caches what it caches")."""
    quantized = img.convert("RGB").quantize(palette=_palette(), dither=Image.Dither.NONE)
    buf = io.BytesIO()
    quantized.save(buf, format="PNG", compress_level=8)
    return buf.getvalue()
