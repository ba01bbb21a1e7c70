"""Erasing a person from rows of cells, the same way in CSV files and in Google Sheets.

    rows, removed, changed = scrub_rows(rows, "mari@example.ee", ["Mari Maasikas"])
"""

from __future__ import annotations

from typing import Sequence

ERASED = "(kustutatud)"


def scrub_rows(rows: list[list[str]], email: str, names: Sequence[str], *, keep_header: bool = True) -> tuple[list[list[str]], int, int]:
    """Rows without the person: a row about them alone goes; on a row about others too, their cells are blanked.

    Returns the rows, how many were removed and how many changed.
    """
    wanted = email.lower()
    out, removed, changed = [], 0, 0
    for index, row in enumerate(rows):
        if keep_header and index == 0:
            out.append(row)
            continue
        mentions = [wanted in cell.lower() for cell in row]
        others = any("@" in cell and wanted not in cell.lower() for cell in row)
        if any(mentions) and not others:
            removed += 1
            continue
        new = [ERASED if mentioned else _without_names(cell, names) for cell, mentioned in zip(row, mentions)]
        changed += new != row
        out.append(new)
    return out, removed, changed


def _without_names(cell: str, names: Sequence[str]) -> str:
    for name in names:
        if name and name in cell:
            cell = cell.replace(name, ERASED)
    return cell
