"""One exception type for bad input, carrying the file, row and rule so the CLI can print one clear line."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A raw or committed input breaks a rule; the message names file, row (if any) and rule."""

    def __init__(self, file: str | Path, rule: str, row: int | None = None, detail: str = "") -> None:
        self.file = str(file)
        self.row = row
        self.rule = rule
        self.detail = detail
        where = f"{self.file}" + (f", row {row}" if row is not None else "")
        super().__init__(f"{where}: {rule}" + (f" ({detail})" if detail else ""))
