"""Meetings of the pairs (S2.3, S6.7, S6.8): the meeting log counted, the pace judged.

    meetings, problems = parse_meetings(table, questions, relationships=(start, end))
    counts = count_per_pair(meetings, {"mentee@x.ee"})          # each (mentee, day) once
    behind_pace(count=1, today=date(2027, 3, 1), start=..., end=..., minimum=6)  # True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Mapping

from automation.domain.cells import blank
from automation.domain.registrations import ResponseTable, normalise_email, normalise_text
from automation.domain.text import format_day

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d")


@dataclass(frozen=True)
class Meeting:
    mentee: str
    day: date
    mode: str = ""
    minutes: int | None = None
    row: int = 0


# The two ways a form's date answer comes, read without strptime (a year of logs spends long in it): the first
# of DATE_FORMATS each can match gives the same day; anything else, or no such day, goes through the formats.
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)


def parse_day(value: str) -> date | None:
    text = normalise_text(value)
    found = _ISO_DAY.fullmatch(text)
    year_month_day = found.groups() if found else None
    if not found and (found := _DOTTED_DAY.fullmatch(text)):
        year_month_day = found.group(3), found.group(2), found.group(1)
    if year_month_day:
        try:
            return date(*map(int, year_month_day))
        except ValueError:
            pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_meetings(table: ResponseTable, questions: Mapping[str, str], *, relationships: tuple[date, date]) -> tuple[list[Meeting], list[str]]:
    """Meetings from the log's rows; a row that cannot be used gets a message naming it, the rest go on."""
    columns = {normalise_text(title).casefold(): index for index, title in enumerate(table.header)}
    column_of = {field: columns.get(normalise_text(question).casefold()) for question, field in questions.items()}
    question_of = {field: question for question, field in questions.items()}
    first, last = relationships
    meetings, problems = [], []
    for offset, cells in enumerate(table.rows):
        number = offset + 2
        if blank(cells):
            continue

        def cell(field: str) -> str:
            index = column_of.get(field)
            return cells[index] if index is not None and index < len(cells) else ""

        where = f"kohtumiste vorm, rida {number}"
        mentee = normalise_email(cell("email"))
        if mentee is None:
            problems.append(f"{where}: vigane või puuduv e-posti aadress „{cell('email').strip()}“")
            continue
        day = parse_day(cell("meeting_date"))
        if day is None:
            problems.append(f"{where}: küsimuse „{question_of.get('meeting_date', 'meeting_date')}“ vastus „{cell('meeting_date').strip()}“ ei ole kuupäev")
            continue
        if not first <= day <= last:
            problems.append(f"{where}: kohtumise kuupäev {format_day(day, 'et')} on väljaspool mentorsuhte aega "
                            f"({format_day(first, 'et')} – {format_day(last, 'et')})")
            continue
        minutes = re.match(r"\s*(\d+)", cell("length_minutes"))
        meetings.append(Meeting(mentee, day, normalise_text(cell("meeting_mode")), int(minutes.group(1)) if minutes else None, number))
    return meetings, problems


def count_per_pair(meetings: Iterable[Meeting], mentees: Iterable[str]) -> dict[str, list[date]]:
    """The days each mentee met their mentor; the same day logged twice counts once."""
    days: dict[str, set[date]] = {mentee: set() for mentee in mentees}
    for meeting in meetings:
        if meeting.mentee in days:
            days[meeting.mentee].add(meeting.day)
    return {mentee: sorted(found) for mentee, found in days.items()}


def expected_by(today: date, start: date, end: date, minimum: int) -> int:
    """Meetings a pair on pace has had by today, for `minimum` by the end (whole meetings, rounded down)."""
    if today <= start:
        return 0
    if today >= end:
        return minimum
    return int(minimum * (today - start).days / (end - start).days)


def behind_pace(count: int, today: date, start: date, end: date, minimum: int) -> bool:
    return count < expected_by(today, start, end, minimum)
