"""When each job is due in the programme year, and the programme's few milestones several jobs count from.

    schedule = Schedule(dates=(date(2026, 10, 5),), ranges=((date(2026, 10, 5), date(2026, 12, 10)),))
    schedule.is_due(date(2026, 11, 1))  # True
    match_days(config)                  # when pairs are proposed: [date(2026, 11, 30)]

Each job's own default dates are worked out in its module; these are the
ones other jobs start from (pairs are formed once registrations are reviewed;
confirmations and covision follow the pairs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from automation.domain.text import Say

if TYPE_CHECKING:
    from automation.config import Config


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

    def describe(self, say: Say = Say("en")) -> str:
        parts = [day.isoformat() for day in sorted(self.dates)]
        parts += [f"{say('iga päev', 'daily')} {first.isoformat()} .. {last.isoformat()}" for first, last in self.ranges]
        return ", ".join(parts) or say("mitte kunagi", "never")


def intake_window(config: Config) -> tuple[date, date]:
    """Registrations are read from the day they open until two weeks after they close (late answers, clarifications)."""
    if config.schedule.intake is not None:
        return config.schedule.intake.first, config.schedule.intake.last
    return config.registration.opens, config.registration.closes + timedelta(days=14)


def match_days(config: Config) -> list[date]:
    """Pairs are proposed the day after intake ends, unless the config names the days."""
    if config.schedule.match:
        return sorted(config.schedule.match)
    return [intake_window(config)[1] + timedelta(days=1)]


def confirmation_window(config: Config) -> tuple[date, date]:
    """Approved pairs are confirmed from the first proposals until the relationships end."""
    if config.schedule.pair_confirmation is not None:
        return config.schedule.pair_confirmation.first, config.schedule.pair_confirmation.last
    return match_days(config)[0], config.programme.relationships_end


def monthly(start: date, end: date) -> list[date]:
    """The first day of each month after `start` up to `end`, then `end` itself."""
    days, year, month = [], start.year, start.month
    while True:
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
        first = date(year, month, 1)
        if first > end:
            break
        days.append(first)
    return days + [end]


def events_window(config: Config, kinds: tuple[str, ...], configured, first: date) -> Schedule:
    """Daily from `first` (or the last event's day, if earlier) to the last event of these kinds."""
    if configured is not None:
        return Schedule(ranges=((configured.first, configured.last),))
    days = [event.date for event in config.events if event.kind in kinds]
    return Schedule(ranges=((min(first, max(days)), max(days)),)) if days else Schedule()
