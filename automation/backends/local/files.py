"""CSV files as spreadsheets write and read them: UTF-8 with a BOM, atomic replace.

    rows = read_csv(path)          # [] when the file is missing or empty
    write_csv(path, rows)
"""

from __future__ import annotations

import csv
import io
import logging
import os
from pathlib import Path
from typing import Sequence

logger = logging.getLogger(__name__)


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on an Estonian Windows saves "CSV" in Windows-1257.
        logger.warning("%s is not UTF-8; reading it as Windows-1257", path)
        text = data.decode("cp1257", errors="replace")
    if not text.strip():
        return []
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns: Excel in Estonian writes ';'."""
    first_line = text.split("\n", 1)[0]
    return max(",;\t", key=lambda candidate: len(next(csv.reader([first_line], delimiter=candidate))))


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    # The BOM makes Excel open the file as UTF-8, so õ ä ö ü š ž show correctly.
    write_atomically(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


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
