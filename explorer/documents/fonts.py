"""The DejaVu Sans files the PDF reports and the preview images draw with (Debian's fonts-dejavu-core)."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def dejavu_paths(files: dict[str, str], font_dir: Path = FONT_DIR) -> dict[str, Path]:
    """style -> font file, or one clear error naming the Debian package that provides the missing files."""
    paths = {style: Path(font_dir) / name for style, name in files.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise RuntimeError(f"font missing: {', '.join(missing)}; install Debian's fonts-dejavu-core "
                           "(apt-get install -y fonts-dejavu-core)")
    return paths
