"""Values worked out once per process for the same inputs: a year plays the same exports and tabs day after day.

    PAIRS = Memo(limit=16)
    tab = PAIRS.get(tuple(map(tuple, rows)), lambda: PairsTab.read(rows))

A value kept here is shared by every run that asks with the same key: read it, never change it. When the
memo is full it starts afresh, so a long-running scheduler keeps only what the latest runs asked for.
"""

from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        if key not in self._values:
            self.keep(key, make())
        return self._values[key]

    def kept(self, key: Hashable) -> V | None:
        return self._values.get(key)

    def keep(self, key: Hashable, value: V) -> None:
        """For a value worth keeping only sometimes (`get` keeps whatever `make` makes)."""
        if key not in self._values and len(self._values) >= self.limit:
            self._values.clear()
        self._values[key] = value
