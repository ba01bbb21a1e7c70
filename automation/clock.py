"""Time is injected: jobs ask a clock, never `datetime.now()`.

    clock = FixedClock.on(date(2027, 1, 14), "Europe/Tallinn")
    clock.today()  # 2027-01-14
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


@dataclass(frozen=True)
class SystemClock:
    timezone: str = "Europe/Tallinn"

    def now(self) -> datetime:
        return datetime.now(ZoneInfo(self.timezone))

    def today(self) -> date:
        return self.now().date()


@dataclass(frozen=True)
class FixedClock:
    moment: datetime

    @classmethod
    def on(cls, day: date, timezone: str = "Europe/Tallinn", at: time = time(7, 0)) -> FixedClock:
        return cls(datetime.combine(day, at, tzinfo=ZoneInfo(timezone)))

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.date()
