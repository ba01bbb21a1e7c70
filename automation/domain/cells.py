"""Cells for spreadsheets: a value a spreadsheet would run as a formula is written as text.

    neutralise("=HYPERLINK(\\"http://x\\")")   # "'=HYPERLINK(...)": an apostrophe first, as spreadsheets read text
    neutralise("-5")                          # "-5": a plain number stays a number
    restore(neutralise(value)) == value       # reading the tab back gives what was typed

Form answers reach every sheet, so every writer on every backend uses this one function.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

FORMULA_STARTS = ("=", "+", "-", "@")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?", re.ASCII)


def _visible_start(value: str) -> str:
    """The value from its first character a spreadsheet does not skip: whitespace, controls, zero-width characters and BOMs go."""
    for index, character in enumerate(value):
        if not (character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zs", "Zl", "Zp")):
            return value[index:]
    return ""


def dangerous(value: str) -> bool:
    if not value or value[0].isalnum():
        return False  # most cells: a letter or a digit first is shown as it is, never run
    if value.startswith(("\t", "\r")):
        return True
    start = _visible_start(value)
    return start.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value.strip())


def neutralise(value: str) -> str:
    return "'" + value if dangerous(value) else value


# A cell, in a row joined by NUL, that starts with a character a spreadsheet may run or skip: only such a row needs
# `neutralise` cell by cell (a letter, a digit or "_" first, or an empty cell, is shown as it is).
_RISKY_START = re.compile(r"(?:^|\x00)[^\w\x00]")


def neutralise_row(row: Sequence[str]) -> list[str]:
    """`neutralise` for each cell, with one search in C for the rows (nearly all) where no cell needs it."""
    if _RISKY_START.search("\x00".join(row)) is None:
        return list(row)
    return list(map(neutralise, row))


def restore(value: str) -> str:
    """What `neutralise` was given: the apostrophe it added taken off, one typed by a person kept."""
    return value[1:] if value.startswith("'") and dangerous(value[1:]) else value


def blank(row: Sequence[object]) -> bool:
    """Whether a row holds nothing but whitespace: a form export's or a tab's empty line."""
    return not "".join(map(str, row)).strip()  # one pass in C: rows are checked by the thousand on every run
