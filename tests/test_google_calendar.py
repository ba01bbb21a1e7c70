"""Calendar events on Google under ids derived from their UIDs: a repeated insert is an update, never a copy."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from automation.backends.google.api import GoogleApi, Transport
from automation.backends.google.calendar import GoogleCalendar, event_id
from automation.ports import Attendee, CalendarEvent
from automation.ports import Erased

TALLINN = ZoneInfo("Europe/Tallinn")


@pytest.fixture
def calendar(fake_google):
    api = GoogleApi(Transport(None, timeout=10), endpoint=fake_google.url, max_retries=3, sleep=lambda s: None)
    return GoogleCalendar(api, calendar_id="primary", timezone="Europe/Tallinn", notifications="none", meet_links=False)


def training(**changes) -> CalendarEvent:
    event = CalendarEvent(uid="mentor-training-2026@mentorlus", title="Mentorite koolitus", start=datetime(2026, 12, 9, 10, tzinfo=TALLINN),
                          end=datetime(2026, 12, 9, 16, tzinfo=TALLINN), location="Tartu, Rüütli 1", description="Koolitus mentoritele.",
                          attendees=(Attendee("mari.tamm@example.ee", "Mari Tamm"),))
    return CalendarEvent(**{**event.__dict__, **changes})


def test_event_ids_are_base32hex_as_calendar_requires():
    identifier = event_id("mentor-training-2026@mentorlus")
    assert set(identifier) <= set("0123456789abcdefghijklmnopqrstuv") and 5 <= len(identifier) <= 1024
    assert identifier == event_id("mentor-training-2026@mentorlus") != event_id("mentee-workshop-2026@mentorlus")


def test_an_insert_whose_answer_was_lost_is_not_made_twice(calendar, fake_google):
    fake_google.drop_after_write("calendar.events.insert")
    calendar.save_events([training()])
    assert list(fake_google.events) == [("primary", event_id(training().uid))]
    assert fake_google.request_counts()["calendar.events.patch"] == 1  # the second insert answered 409, so it was updated


def test_a_moved_event_is_updated_in_place_with_its_attendees(calendar, fake_google):
    calendar.save_events([training()])
    later = training(start=datetime(2026, 12, 9, 11, tzinfo=TALLINN), sequence=1,
                     attendees=(Attendee("mari.tamm@example.ee", "Mari Tamm"), Attendee("juri.ounapuu@example.ee", "Jüri Õunapuu", optional=True)))
    calendar.save_events([later])
    (event,) = fake_google.events.values()
    assert event["start"] == {"dateTime": "2026-12-09T11:00:00+02:00", "timeZone": "Europe/Tallinn"}
    assert [(a["email"], a["optional"]) for a in event["attendees"]] == [("mari.tamm@example.ee", False), ("juri.ounapuu@example.ee", True)]
    assert event["iCalUID"] == "mentor-training-2026@mentorlus" and event["sequence"] == 1


def test_forget_takes_the_person_off_every_event(calendar, fake_google):
    calendar.save_events([training()])
    assert calendar.forget("mari.tamm@example.ee", ["Mari Tamm"]) == [Erased("Google Calendar", "left_events", 1)]
    assert next(iter(fake_google.events.values()))["attendees"] == []
