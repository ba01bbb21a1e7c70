"""The calendar as one `calendar.ics` file any calendar program opens; events kept by UID.

    calendar = IcsCalendar(workspace / "calendar.ics")
    calendar.save_events([event])
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from automation.backends.local.files import write_atomically
from automation.invitations import SOURCE, calendar_file
from automation.ports import Attendee, CalendarEvent


class IcsCalendar:
    """calendar.ics is written from `calendar.json` beside it, which keeps each event exactly as saved.

    calendar.ics is derived: whenever it differs from what calendar.json gives (a crash between the two
    writes), the next run writes it again.
    """

    def __init__(self, path: Path, timezone: str = "Europe/Tallinn") -> None:
        self.path = path
        self.store = path.with_suffix(".json")
        self.zone = ZoneInfo(timezone)

    def events(self) -> list[CalendarEvent]:
        if not self.store.exists():
            return []
        return [_event_from(record, self.zone) for record in json.loads(self.store.read_text(encoding="utf-8"))]

    def repair(self) -> None:
        """Write calendar.ics again if it was not written from calendar.json as it is (a run that ended in between)."""
        if not self.store.exists():
            return
        source = hashlib.sha256(self.store.read_bytes()).hexdigest()
        # The line is longer than iCalendar's 75 octets, so the file holds it folded: unfold before looking.
        if self.path.exists() and f"{SOURCE}:{source}".encode("ascii") in self.path.read_bytes()[:4096].replace(b"\r\n ", b""):
            return
        write_atomically(self.path, calendar_file(sorted(self.events(), key=lambda e: (e.start, e.uid)), source=source))

    def forget(self, email: str, names: Sequence[str]) -> list[str]:
        events = self.events()
        try:
            return self._forget(events, email)
        finally:
            self.repair()

    def _forget(self, events: list[CalendarEvent], email: str) -> list[str]:
        kept = [replace(e, attendees=tuple(a for a in e.attendees if a.email.lower() != email.lower())) for e in events]
        dropped = sum(len(e.attendees) for e in events) - sum(len(e.attendees) for e in kept)
        if not dropped:
            return []
        self._write(kept)
        return [f"calendar: removed from {dropped} event(s)"]

    def delete_attendees(self) -> list[str]:
        """Retention: the events stay, without anybody's address."""
        events = [e for e in self.events() if e.attendees]
        if not events:
            return []
        self._write([replace(e, attendees=()) for e in self.events()])
        self.repair()
        return [f"calendar: attendees removed from {len(events)} event(s)"]

    def video_link(self, event: CalendarEvent) -> str:
        """A calendar file makes no video meetings: the config's video_link is all there is."""
        return ""

    def save_events(self, changed: Sequence[CalendarEvent]) -> None:
        events = {existing.uid: existing for existing in self.events()}
        events.update((event.uid, event) for event in changed)
        self._write(list(events.values()))

    def _write(self, events: list[CalendarEvent]) -> None:
        """calendar.json at once; calendar.ics, worked out from it, when the run ends (`repair`, which `close` calls)."""
        ordered = sorted(events, key=lambda e: (e.start, e.uid))
        records = [
            {**asdict(e), "start": e.start.isoformat(), "end": e.end.isoformat(), "updated": e.updated.isoformat() if e.updated else None}
            for e in ordered
        ]
        write_atomically(self.store, json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"))


def _event_from(record: dict, zone: ZoneInfo) -> CalendarEvent:
    # In the programme's zone, not the fixed offset the text keeps: a calendar must know summer time.
    return CalendarEvent(
        **{
            **record,
            "start": datetime.fromisoformat(record["start"]).astimezone(zone),
            "end": datetime.fromisoformat(record["end"]).astimezone(zone),
            "updated": datetime.fromisoformat(record["updated"]) if record.get("updated") else None,
            "attendees": tuple(Attendee(**attendee) for attendee in record["attendees"]),
            "organizer": Attendee(**record["organizer"]),
        }
    )
