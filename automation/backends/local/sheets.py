"""Sheets as folders of CSV files: `sheets/<sheet>/<tab>.csv`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from automation.backends.local.files import read_csv, write_csv


class CsvSheets:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sheet: str, tab: str) -> Path:
        return self.root / _safe(sheet) / f"{_safe(tab)}.csv"

    def read_tab(self, sheet: str, tab: str) -> list[list[str]]:
        path = self.path(sheet, tab)
        return read_csv(path) if path.exists() else []

    def write_tab(self, sheet: str, tab: str, rows: Sequence[Sequence[str]]) -> None:
        write_csv(self.path(sheet, tab), [[str(cell) for cell in row] for row in rows])

    def location(self, sheet: str, tab: str) -> str:
        return str(self.path(sheet, tab))


def _safe(name: str) -> str:
    return re.sub(r"[/\\:\x00]", "_", name).strip() or "_"
