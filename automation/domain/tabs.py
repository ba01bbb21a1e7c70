"""A tab the tool and people share: the tool's columns computed anew, everything people wrote kept.

    rows = merge_tab(existing_rows, columns=["Nimi", "E-post", "Osales"],
                     key=lambda number, row: row["E-post"].lower(),
                     fresh=[("mari@x.ee", {"Nimi": "Mari", "E-post": "mari@x.ee"})],
                     leftover=lambda key, row: row)          # keep rows not produced again

The Registrations, Pairs and Attendance tabs are all this one merge: a fresh
row's computed cells replace what the row held; its other cells (a
coordinator's decision, a tick, a note) and every column someone added are
kept; a row the tool no longer produces is kept or dropped as `leftover` says.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

from automation.domain.cells import blank
from automation.domain.registrations import normalise_text

Row = dict[str, str]


def read_rows(existing: Sequence[Sequence[str]]) -> tuple[list[str], list[tuple[int, Row]]]:
    """The header (titles tidied) and each non-empty row as a dict, with the row number a spreadsheet shows."""
    if not existing:
        return [], []
    header = [normalise_text(title) for title in existing[0]]
    rows = []
    if all(header):
        width = len(header)
        padding = [""] * width
        for number, cells in enumerate(existing[1:], start=2):
            if not blank(cells):
                # A later column of the same title wins, as it would in a dict built column by column.
                rows.append((number, dict(zip(header, cells if len(cells) >= width else [*cells, *padding[len(cells):]]))))
        return header, rows
    for number, cells in enumerate(existing[1:], start=2):
        if not blank(cells):
            rows.append((number, {title: (cells[i] if i < len(cells) else "") for i, title in enumerate(header) if title}))
    return header, rows


def merge_tab(
    existing: Sequence[Sequence[str]],
    *,
    columns: Sequence[str],
    key: Callable[[int, Row], str],
    fresh: Iterable[tuple[str, Mapping[str, str]]],
    leftover: Callable[[str, Row], Row | None],
    read: tuple[list[str], list[tuple[int, Row]]] | None = None,
) -> list[list[str]]:
    """The whole tab, header first: the tool's `columns`, then any column people added. `read`: what `read_rows` gave
    of `existing`, when the caller has it."""
    old_header, old_rows = read or read_rows(existing)
    header = list(columns) + [title for title in old_header if title and title not in columns]
    by_key: dict[str, Row] = {}
    for number, row in old_rows:
        by_key[key(number, row)] = row
    output = [header]
    produced = set()
    for row_key, computed in fresh:
        produced.add(row_key)
        previous = by_key.get(row_key, {})
        output.append([str(computed[column]) if column in computed else previous.get(column, "") for column in header])
    for row_key, row in by_key.items():
        if row_key not in produced and (kept := leftover(row_key, row)) is not None:
            output.append([kept.get(column, "") for column in header])
    return output
