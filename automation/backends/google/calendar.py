"""Events in a Google Calendar, each under an id derived from its UID, so that a repeated insert is harmless.

    calendar = GoogleCalendar(api, calendar_id="primary", timezone="Europe/Tallinn", notifications="none", meet_links=False)
    calendar.save_events([event])     # insert; 409 (already there) -> patch
"""

from __future__ import annotations

import base64
import hashlib
from typing import Sequence

from automation.backends.google.api import GoogleApi, GoogleError
from automation.ports import CalendarEvent, Erased

TOOL_PROPERTY = "mentorlus"


def event_id(uid: str) -> str:
    """Calendar ids are base32hex (0-9, a-v), 5 to 1024 characters: the UID's digest, written so."""
    digest = hashlib.sha256(uid.encode("utf-8")).digest()[:20]
    return base64.b32hexencode(digest).decode("ascii").lower().rstrip("=")


class GoogleCalendar:
    def __init__(self, api: GoogleApi, *, calendar_id: str, timezone: str, notifications: str, meet_links: bool) -> None:
        self.api, self.calendar_id, self.timezone = api, calendar_id, timezone
        self.notifications, self.meet_links = notifications, meet_links

    @property
    def _events(self):
        return self.api.resource("calendar", "v3", "events")

    def _body(self, event: CalendarEvent) -> dict:
        body = {
            "summary": event.title,
            "description": event.description,
            "location": event.location,
            "start": {"dateTime": event.start.isoformat(), "timeZone": self.timezone},
            "end": {"dateTime": event.end.isoformat(), "timeZone": self.timezone},
            "attendees": [{"email": a.email, "displayName": a.name, "optional": a.optional} for a in event.attendees],
            "status": "cancelled" if event.cancelled else "confirmed",
            "sequence": event.sequence,
            "guestsCanModify": False,
            "extendedProperties": {"private": {TOOL_PROPERTY: "1"}},
        }
        if self.meet_links and not event.video_link and not event.cancelled:
            # The request id comes from the UID: a repeated request asks for the same Meet, not a second one.
            body["conferenceData"] = {"createRequest": {"requestId": event_id(event.uid), "conferenceSolutionKey": {"type": "hangoutsMeet"}}}
        return body

    def _options(self) -> dict:
        return {"calendarId": self.calendar_id, "sendUpdates": self.notifications, "conferenceDataVersion": 1 if self.meet_links else 0}

    def _save(self, event: CalendarEvent) -> dict:
        identifier, body, what = event_id(event.uid), self._body(event), f"the calendar event „{event.title}“"
        try:
            # Safe to repeat: the id is fixed, so a second insert answers 409 instead of making a copy.
            return self.api.idempotent(self._events.insert(**self._options(), body={**body, "id": identifier, "iCalUID": event.uid}), what=what)
        except GoogleError as error:
            if error.status != 409:
                raise
            return self.api.idempotent(self._events.patch(**self._options(), eventId=identifier, body=body), what=what)

    def save_events(self, events: Sequence[CalendarEvent]) -> None:
        for event in events:
            self._save(event)

    def video_link(self, event: CalendarEvent) -> str:
        """The event saved with a Meet asked for (the same request id every time, so the same Meet); its link."""
        if not self.meet_links:
            return ""
        saved = self._save(event)
        return saved.get("hangoutLink", "")

    def _ours(self):
        token = None
        while True:
            page = self.api.idempotent(
                self._events.list(calendarId=self.calendar_id, privateExtendedProperty=f"{TOOL_PROPERTY}=1", showDeleted=False, pageToken=token, maxResults=250),
                what="listing the programme's calendar events",
            )
            yield from page.get("items", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def _set_attendees(self, item: dict, attendees: list[dict]) -> None:
        self.api.idempotent(
            self._events.patch(calendarId=self.calendar_id, eventId=item["id"], sendUpdates="none", body={"attendees": attendees}),
            what=f"the calendar event „{item.get('summary', '')}“",
        )

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        changed = 0
        for item in self._ours():
            attendees = item.get("attendees", [])
            kept = [a for a in attendees if a.get("email", "").lower() != email.lower()]
            if len(kept) != len(attendees):
                self._set_attendees(item, kept)
                changed += 1
        return [Erased("Google Calendar", "left_events", changed)] if changed else []

    def delete_attendees(self) -> list[Erased]:
        changed = 0
        for item in self._ours():
            if item.get("attendees"):
                self._set_attendees(item, [])
                changed += 1
        return [Erased("Google Calendar", "attendees", changed)] if changed else []
