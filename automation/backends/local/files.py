"""CSV files as spreadsheets write and read them: UTF-8 with a BOM, atomic replace.

    rows = read_csv(path)          # [] when the file is missing or empty
    write_csv(path, rows)
    rows = read_kept(path, lambda rows: [[restore(cell) for cell in row] for row in rows])   # parsed again only when the bytes differ
"""

from __future__ import annotations

import csv
import io
import logging
import os
from pathlib import Path
from typing import Callable, Sequence, TypeVar



logger = logging.getLogger(__name__)
T = TypeVar("T")

# Per path: the bytes last read and what was made of them. The same exports and tabs are read on every run of a
# year (and by the scheduler's long-lived process every day); comparing the bytes is what makes keeping them safe.
_KEPT: dict[tuple[Path, Callable], tuple[bytes, object]] = {}


def read_kept(path: Path, make: Callable[[list[list[str]]], T]) -> T:
    """What `make` makes of the file's rows, made again only when the file's bytes changed. Do not change what it returns."""
    data = path.read_bytes()
    key = (path, make)
    kept = _KEPT.get(key)
    if kept is not None and kept[0] == data:
        return kept[1]  # type: ignore[return-value]
    made = make(parse_csv(data, path))
    _KEPT[key] = (data, made)
    return made


def write_kept(path: Path, rows: list[list[str]], make: Callable[[list[list[str]]], T]) -> None:
    """`write_csv`, and what `make` makes of the rows kept for `read_kept(path, make)` while the file stays as written:
    a tab one run writes is read by the next, and need not be parsed again."""
    data = write_csv(path, rows)
    # Read back, the file gives the rows written when it holds more than whitespace and its header shows the
    # comma as the delimiter (a header with none of ; tab quote or line break in it).
    if rows and not any(mark in cell for cell in rows[0] for mark in ';\t"\r\n') and data.decode("utf-8-sig").strip():
        _KEPT[(path, make)] = (data, make(rows))


def read_csv(path: Path) -> list[list[str]]:
    return parse_csv(path.read_bytes(), path)


def parse_csv(data: bytes, path: Path) -> list[list[str]]:
    """The file's bytes as rows; `path` only names it in a warning."""
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


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> bytes:
    """The rows written, durable when this returns; the bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    # The BOM makes Excel open the file as UTF-8, so õ ä ö ü š ž show correctly.
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    write_atomically(path, data)
    return data


def append_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """Rows added at the end of a CSV file `write_csv` wrote, durable when this returns."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    with open(path, "ab") as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def identity(path: Path) -> tuple[int, int, int]:
    """What changes when anything writes the file again (an atomic replace is a new inode, an append a new size)."""
    found = path.stat()
    return found.st_ino, found.st_mtime_ns, found.st_size


def write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


