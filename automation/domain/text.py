"""Dates and times as a reader of each language expects them.

    format_day(date(2027, 1, 14), "et")  # '14. jaanuar 2027'
    format_day(date(2027, 1, 14), "en")  # '14 January 2027'
    format_on_day(date(2027, 1, 14), "et")  # '14. jaanuaril 2027' ("hiljemalt 14. jaanuaril")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

LOCALES = {"et": "et_EE", "en": "en_GB"}


@lru_cache(maxsize=4096)  # a year's messages name the same few dates thousands of times
def format_day(day: date, language: str) -> str:
    return format_date(day, "d. MMMM y" if language == "et" else "d MMMM y", locale=LOCALES[language])


# "On" a day in Estonian takes the adessive: "9. detsembril 2026". Babel knows only the nominative.
ADESSIVE_MONTHS = [
    "jaanuaril", "veebruaril", "märtsil", "aprillil", "mail", "juunil",
    "juulil", "augustil", "septembril", "oktoobril", "novembril", "detsembril",
]


def format_on_day(day: date, language: str) -> str:
    """A date after "on" or "by": '9. detsembril 2026' (et), '9 December 2026' (en)."""
    return _in_case(day, language, ADESSIVE_MONTHS)


def _in_case(day: date, language: str, estonian_months: list[str]) -> str:
    """The day with its month in the case Estonian needs there; other languages do not decline it."""
    if language == "et":
        return f"{day.day}. {estonian_months[day.month - 1]} {day.year}"
    return format_day(day, language)


ADESSIVE_WEEKDAYS = ["esmaspäeval", "teisipäeval", "kolmapäeval", "neljapäeval", "reedel", "laupäeval", "pühapäeval"]


def format_on_weekday_day(day: date, language: str) -> str:
    """'kolmapäeval, 14. aprillil 2027' (et), 'Wednesday 14 April 2027' (en): after "toimub", "takes place on"."""
    if language == "et":
        return f"{ADESSIVE_WEEKDAYS[day.weekday()]}, {format_on_day(day, language)}"
    return format_weekday_day(day, language)


@lru_cache(maxsize=4096)
def format_weekday_day(day: date, language: str) -> str:
    pattern = "EEEE, d. MMMM y" if language == "et" else "EEEE d MMMM y"
    return format_date(day, pattern, locale=LOCALES[language])


def format_clock(moment: datetime, timezone: str, language: str) -> str:
    return format_time(moment.astimezone(ZoneInfo(timezone)), "HH:mm", locale=LOCALES[language])


def join_names(names: list[str], language: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    conjunction = " ja " if language == "et" else " and "
    return ", ".join(names[:-1]) + conjunction + names[-1]


# "Until" a day takes the terminative: "kuni 5. aprillini 2027".
TERMINATIVE_MONTHS = [
    "jaanuarini", "veebruarini", "märtsini", "aprillini", "maini", "juunini",
    "juulini", "augustini", "septembrini", "oktoobrini", "novembrini", "detsembrini",
]


def format_until_day(day: date, language: str) -> str:
    """A date after "kuni" / "until": '5. aprillini 2027' (et), '5 April 2027' (en)."""
    return _in_case(day, language, TERMINATIVE_MONTHS)


def format_month(day: date, language: str) -> str:
    """'jaanuar 2027' (et), 'January 2027' (en)."""
    return format_date(day, "LLLL y", locale=LOCALES[language])


def plural_form(count: int | float, language: str) -> str:
    """Babel's plural category of a number in a language: 'one' or 'other' for Estonian and English."""
    return _plural_rule(language)(abs(count))


@lru_cache(maxsize=None)
def _plural_rule(language: str):
    """The language's plural rule, looked up once: every count in every email asks for it."""
    from babel import Locale

    return Locale.parse(LOCALES[language]).plural_form


def counted(count: int, one: str, other: str, language: str, zero: str = "") -> str:
    """A number with its noun in agreement: counted(1, "ühe korra", "{n} korda", "et") -> "ühe korra"; "{n}" is the number."""
    if count == 0 and zero:
        return zero
    return (one if plural_form(count, language) == "one" else other).format(n=count)


@dataclass(frozen=True)
class Say:
    """The tool's own words to the coordinators who run it, in their config's language (`programme.language`).

        say = Say("et")
        say("kõik on korras", "everything is in order")                                  # 'kõik on korras'
        say.count(3, ("{n} paar kinnitatud", "{n} paari kinnitatud"), ("{n} pair confirmed", "{n} pairs confirmed"))

    Both texts stand side by side where they are used, so neither is forgotten when the other changes.
    """

    language: str = "et"

    def __call__(self, et: str, en: str) -> str:
        return et if self.language == "et" else en

    def count(self, count: int, et: tuple[str, str], en: tuple[str, str]) -> str:
        one, other = et if self.language == "et" else en
        return counted(count, one, other, self.language)

    def counts(self, counts: dict[str, int], nouns: dict[str, tuple[tuple[str, str], tuple[str, str]]]) -> str:
        """'3 kutset, 1 meeldetuletus': each kind done at least once, with its noun (Estonian forms, English forms) in agreement."""
        return ", ".join(self.count(count, *nouns[kind]) for kind, count in counts.items() if count)

    def day(self, day: date) -> str:
        """A date in a line people read: '5. oktoober 2026' (et), '5 October 2026' (en)."""
        return format_day(day, self.language)
