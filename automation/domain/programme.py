"""When each job is due in the programme year.

    schedule = Schedule(dates=(date(2026, 10, 5),), ranges=((date(2026, 10, 5), date(2026, 12, 10)),))
    schedule.is_due(date(2026, 11, 1))  # True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Schedule:
    dates: tuple[date, ...] = ()
    ranges: tuple[tuple[date, date], ...] = ()

    def is_due(self, day: date) -> bool:
        return day in self.dates or any(first <= day <= last for first, last in self.ranges)

    def days(self) -> list[date]:
        days = set(self.dates)
        for first, last in self.ranges:
            days.update(first + timedelta(days=offset) for offset in range((last - first).days + 1))
        return sorted(days)

    def describe(self) -> str:
        parts = [day.isoformat() for day in sorted(self.dates)]
        parts += [f"daily {first.isoformat()} .. {last.isoformat()}" for first, last in self.ranges]
        return ", ".join(parts) or "never"
