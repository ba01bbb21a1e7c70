"""iCalendar invitations that Outlook, Gmail and Apple Calendar take as real invitations.

    ics = invitation(event, attendee, method="REQUEST", stamp=now)   # bytes for the email
    ics = calendar_file(events)                                     # the whole calendar, for calendar.ics

METHOD, ORGANIZER, ATTENDEE with RSVP, a stable UID, SEQUENCE, DTSTART/DTEND
with TZID and the VTIMEZONE that defines it. The events are written here line
by line (RFC 5545: escaped text, lines folded at 75 octets); the VTIMEZONE,
the one intricate part, comes from the icalendar package, made once per zone
and span of years: a year of invitations otherwise spends most of its time
in that package's general machinery.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from automation.memo import Memo
from automation.ports import Attendee, CalendarEvent

PRODID = "-//mentorlus//mentorprogramm//ET"
SOURCE = "X-MENTORLUS-SOURCE"  # in calendar.ics: the digest of the calendar.json it was written from
UTC = ZoneInfo("UTC")


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _parameter(value: str) -> str:
    """A parameter value, always quoted: a double quote inside becomes ^' (RFC 6868), controls go."""
    cleaned = "".join(ch for ch in value if ch >= " " and ch != "\x7f").replace("^", "^^").replace('"', "^'")
    return f'"{cleaned}"'


def _fold(line: str) -> bytes:
    """One content line, folded at 75 octets without splitting a character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never inside a UTF-8 sequence
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # a continuation line starts with a space
    return b"\r\n ".join(parts) + b"\r\n"


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _address(name: str, person: Attendee, **parameters: str) -> str:
    listed = "".join(f";{key}={value}" for key, value in parameters.items())
    common_name = f";CN={_parameter(person.name)}" if person.name else ""
    return f"{name}{listed}{common_name}:mailto:{person.email}"


def _vevent(event: CalendarEvent, attendees: Iterable[Attendee], stamp: datetime, *, cancelled: bool, reminder: bool,
            attendees_at: str = "") -> list[str]:
    """`attendees_at`: a line to stand where the attendees go."""
    zone = getattr(event.start.tzinfo, "key", "UTC")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(event.uid)}",
        f"DTSTAMP:{_local(stamp.astimezone(UTC))}Z",
        f"DTSTART;TZID={zone}:{_local(event.start)}",
        f"DTEND;TZID={zone}:{_local(event.end)}",
        f"SUMMARY:{_text(event.title)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{_text(event.location)}")
    description = event.description
    if event.video_link:
        lines.append(f"URL:{event.video_link}")
        description = f"{description}\n\n{event.video_link}".strip()
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    lines += [f"SEQUENCE:{event.sequence}", f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", "TRANSP:OPAQUE"]
    if event.organizer.email:
        lines.append(_address("ORGANIZER", event.organizer))
    lines += [_attendee(attendee) for attendee in attendees]
    if attendees_at:
        lines.append(attendees_at)
    if reminder and not cancelled:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_text(event.title)}", "TRIGGER:-P1D", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def _attendee(attendee: Attendee) -> str:
    return _address("ATTENDEE", attendee, CUTYPE="INDIVIDUAL", ROLE="OPT-PARTICIPANT" if attendee.optional else "REQ-PARTICIPANT",
                    PARTSTAT="NEEDS-ACTION", RSVP="TRUE")


@lru_cache(maxsize=32)
def _vtimezone(zone: str, first: date, last: date) -> bytes:
    """The zone's VTIMEZONE for the years the events need (the full history would bloat every invitation)."""
    calendar = Calendar()
    probe = Event()
    probe.add("dtstart", datetime.combine(first, datetime.min.time(), tzinfo=ZoneInfo(zone)))
    calendar.add_component(probe)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return b"".join(component.to_ical() for component in calendar.walk("VTIMEZONE"))


def _calendar(method: str | None, vevents: list[bytes], events: list[CalendarEvent], source: str = "") -> bytes:
    """`vevents`: each event's lines, folded (`_folded`)."""
    head = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    if source:
        head.append(f"{SOURCE}:{source}")
    if method:
        head.append(f"METHOD:{method}")
    zones = sorted({getattr(e.start.tzinfo, "key", "") for e in events} - {"", "UTC"})
    first = (min(e.start for e in events) - timedelta(days=366)).date().replace(month=1, day=1)
    last = (max(e.end for e in events) + timedelta(days=366)).date().replace(month=12, day=31)
    body = _folded(head)
    body += b"".join(_vtimezone(zone, first, last) for zone in zones)
    body += b"".join(vevents)
    return body + b"END:VCALENDAR\r\n"


def invitation(event: CalendarEvent, attendee: Attendee, *, method: str, stamp: datetime) -> bytes:
    """One person's invitation (REQUEST) or cancellation (CANCEL); only they are listed, for privacy."""
    before, after = _invitation_around(event, method, stamp)
    return before + _fold(_attendee(attendee)) + after


_ATTENDEE_GOES_HERE = "X-MENTORLUS-ATTENDEE"


@lru_cache(maxsize=64)
def _invitation_around(event: CalendarEvent, method: str, stamp: datetime) -> tuple[bytes, bytes]:
    """An invitation but for its one ATTENDEE line, before and after it: the same for everyone invited to the event."""
    vevent = _vevent(event, [], stamp, cancelled=method == "CANCEL", reminder=method == "REQUEST", attendees_at=_ATTENDEE_GOES_HERE)
    # A line of its own: only the stand-in starts with its name (text that holds it is inside another property's line).
    before, after = _calendar(method, [_folded(vevent)], [event]).split(b"\r\n" + _fold(_ATTENDEE_GOES_HERE))
    return before + b"\r\n", after


def calendar_file(events: list[CalendarEvent], source: str = "") -> bytes:
    """Every event with all its attendees: the coordinators' calendar to open or subscribe to."""
    if not events:
        head = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0"] + ([f"{SOURCE}:{source}"] if source else []) + ["END:VCALENDAR"]
        return _folded(head)
    return _calendar(None, [_whole_vevent(event) for event in events], events, source)


def _whole_vevent(event: CalendarEvent) -> bytes:
    """An event's VEVENT with all its attendees, folded: kept while it is the same event object (the calendar file is
    written again after every run that saved an event, nearly all the others unchanged)."""
    return _WHOLE_VEVENTS.for_objects((event,), "vevent", lambda: _folded(
        _vevent(event, event.attendees, event.updated or event.start, cancelled=event.cancelled, reminder=False)))


def _folded(lines: list[str]) -> bytes:
    return b"".join(_fold(line) for line in lines)


_WHOLE_VEVENTS: Memo[bytes] = Memo(limit=20_000)
