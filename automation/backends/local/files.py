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


