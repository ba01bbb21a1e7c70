"""iCalendar invitations that Outlook, Gmail and Apple Calendar take as real invitations.

    ics = invitation(event, attendee, method="REQUEST", stamp=now)   # bytes for the email
    ics = calendar_file(events, stamp=now)                          # the whole calendar, for calendar.ics

Built with the icalendar package: METHOD, ORGANIZER, ATTENDEE with RSVP, a
stable UID, SEQUENCE, DTSTART/DTEND with TZID and the VTIMEZONE that defines it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from automation.ports import Attendee, CalendarEvent

PRODID = "-//mentorlus//mentorprogramm//ET"


def _address(person: Attendee, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    for name, value in params.items():
        address.params[name] = vText(value)
    return address


def _vevent(event: CalendarEvent, attendees: Iterable[Attendee], stamp: datetime, *, cancelled: bool, reminder: bool) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("summary", event.title)
    if event.location:
        vevent.add("location", event.location)
    description = event.description
    if event.video_link:
        vevent.add("url", event.video_link)
        description = f"{description}\n\n{event.video_link}".strip()
    if description:
        vevent.add("description", description)
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if event.organizer.email:
        vevent.add("organizer", _address(event.organizer))
    for attendee in attendees:
        vevent.add(
            "attendee",
            _address(
                attendee,
                CUTYPE="INDIVIDUAL",
                ROLE="OPT-PARTICIPANT" if attendee.optional else "REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="TRUE",
            ),
        )
    if reminder and not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(days=-1))
        vevent.add_component(alarm)
    return vevent


def _calendar(method: str | None, events: list[Event], first: datetime, last: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for vevent in events:
        calendar.add_component(vevent)
    # Only the years the events need: the full history of the zone would bloat every invitation.
    calendar.add_missing_timezones(first_date=(first - timedelta(days=366)).date(), last_date=(last + timedelta(days=366)).date())
    return calendar.to_ical()


def invitation(event: CalendarEvent, attendee: Attendee, *, method: str, stamp: datetime) -> bytes:
    """One person's invitation (REQUEST) or cancellation (CANCEL); only they are listed, for privacy."""
    vevent = _vevent(event, [attendee], stamp, cancelled=method == "CANCEL", reminder=method == "REQUEST")
    return _calendar(method, [vevent], event.start, event.end)


def calendar_file(events: list[CalendarEvent]) -> bytes:
    """Every event with all its attendees: the coordinators' calendar to open or subscribe to."""
    if not events:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        return calendar.to_ical()
    vevents = [_vevent(event, event.attendees, event.updated or event.start, cancelled=event.cancelled, reminder=False) for event in events]
    return _calendar(None, vevents, min(e.start for e in events), max(e.end for e in events))
