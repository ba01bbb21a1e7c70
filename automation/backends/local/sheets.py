"""Sheets as folders of CSV files: `sheets/<sheet>/<tab>.csv`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from automation.backends.local.files import read_csv, read_kept, write_csv, write_kept
from automation.backends.scrub import scrub_rows
from automation.domain.cells import neutralise_row, restore
from automation.ports import Erased


class CsvSheets:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._paths: dict[tuple[str, str], Path] = {}  # every run asks for the same few tabs, many times

    def path(self, sheet: str, tab: str) -> Path:
        found = self._paths.get((sheet, tab))
        if found is None:
            found = self._paths[(sheet, tab)] = self.root / _safe(sheet) / f"{_safe(tab)}.csv"
        return found

    def read_tab(self, sheet: str, tab: str) -> Sequence[Sequence[str]]:
        """The rows as tuples, the same ones while the file is unchanged: a year's runs read the same tabs every day."""
        path = self.path(sheet, tab)
        return read_kept(path, _restored) if path.exists() else ()

    def write_tab(self, sheet: str, tab: str, rows: Sequence[Sequence[str]]) -> None:
        write_kept(self.path(sheet, tab), [_neutralised(row) for row in rows], _restored)

    def location(self, sheet: str, tab: str) -> str:
        return str(self.path(sheet, tab))

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        erased = []
        for path in sorted(self.root.glob("*/*.csv")):
            rows, removed, changed = scrub_rows(read_csv(path), email, names)
            if removed or changed:
                write_csv(path, rows)
                erased.append(Erased(f"sheets/{path.parent.name}/{path.name}", "rows", removed, changed))
        return erased

    def chart(self, sheet: str, tab: str, title: str, first_row: int, last_row: int) -> None:
        """A CSV file has no charts: the board's report.html draws it."""

    def delete_tabs(self, sheet: str, keep: Sequence[str] = ()) -> list[Erased]:
        """Retention: every tab of a sheet goes, but those in `keep`."""
        tabs = [path for path in sorted((self.root / _safe(sheet)).glob("*.csv")) if path.stem not in keep]
        for path in tabs:
            path.unlink()
        return [Erased(f"sheets/{_safe(sheet)}", "tabs", len(tabs))] if tabs else []


def _restored(rows: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    # Only a cell starting with an apostrophe may need restoring: a row without one anywhere is taken as it is.
    return tuple(tuple(map(restore, row)) if "'" in "".join(row) else tuple(row) for row in rows)


def _safe(name: str) -> str:
    return re.sub(r"[/\\:\x00]", "_", name).strip() or "_"


def _neutralised(row: Sequence[object]) -> list[str]:
    """The row as the file holds it: text, nothing a spreadsheet would run. Rows are nearly always text already."""
    try:
        return neutralise_row(row)  # type: ignore[arg-type]
    except TypeError:  # a cell that is not text (a number given by a caller)
        return neutralise_row(list(map(str, row)))
