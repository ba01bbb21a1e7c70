"""Values worked out once per process for the same inputs: a year plays the same exports and tabs day after day.

    PAIRS, EMAILS = Memo(limit=16), Memo(limit=64)
    tab = PAIRS.get(tuple(map(tuple, rows)), lambda: PairsTab.read(rows))        # by what the rows hold
    emails = EMAILS.for_objects((tab,), "mentor", lambda: {row.mentor_email for row in tab.rows})   # by the object itself

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
        try:
            return self._values[key]  # one lookup, not two: a key is a tuple, hashed again on every lookup
        except KeyError:
            value = make()
            self.keep(key, value)
            return value

    def for_objects(self, objects: tuple, key: Hashable, make: Callable[[], V]) -> V:
        """Keyed by these very objects (their identity) and `key`: for inputs the process hands out again while they are
        unchanged (a tab's rows, a registration). The objects are kept with the value, so their ids stay theirs."""
        return self.get((tuple(map(id, objects)), key), lambda: (make(), objects))[0]  # type: ignore[index]

    def kept(self, key: Hashable) -> V | None:
        return self._values.get(key)

    def keep(self, key: Hashable, value: V) -> None:
        """For a value worth keeping only sometimes (`get` keeps whatever `make` makes)."""
        if key not in self._values and len(self._values) >= self.limit:
            self._values.clear()
        self._values[key] = value
