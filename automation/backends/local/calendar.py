"""The calendar as one `calendar.ics` file any calendar program opens; events kept by UID.

    calendar = IcsCalendar(workspace / "calendar.ics")
    calendar.save_events([event])
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from automation.backends.local.files import identity, write_atomically
from automation.invitations import SOURCE, calendar_file
from automation.ports import Attendee, CalendarEvent, Erased


class IcsCalendar:
    """calendar.ics is written from `calendar.json` beside it, which keeps each event exactly as saved.

    calendar.ics is derived: whenever it differs from what calendar.json gives (a crash between the two
    writes), the next run writes it again.
    """

    def __init__(self, path: Path, timezone: str = "Europe/Tallinn") -> None:
        self.path = path
        self.store = path.with_suffix(".json")
        self.zone = ZoneInfo(timezone)
        # calendar.json as last read or written, while the file is still that one: a run saves events
        # hundreds of times, and the whole calendar of a large cohort is megabytes of attendees.
        self._known: tuple[tuple[int, int, int], dict[str, tuple[CalendarEvent, dict]]] | None = None
        # Each event's record as JSON text, by UID, with the record it was made from: a save encodes only what changed.
        self._encoded: dict[str, tuple[dict, str]] = {}
        self._in_step: tuple | None = None  # both files' identities when this process last found them in step

    def events(self) -> list[CalendarEvent]:
        return [event for event, _ in self._load().values()]

    def _load(self) -> dict[str, tuple[CalendarEvent, dict]]:
        """Each event by its UID, with its record in calendar.json, in the file's order (start, UID)."""
        if not self.store.exists():
            return {}
        if self._known is not None and self._known[0] == identity(self.store):
            return self._known[1]
        records = json.loads(self.store.read_text(encoding="utf-8"))
        loaded = {record["uid"]: (_event_from(record, self.zone), record) for record in records}
        self._known = (identity(self.store), loaded)
        return loaded

    def repair(self) -> None:
        """Write calendar.ics again if it was not written from calendar.json as it is (a run that ended in between)."""
        if not self.store.exists():
            return
        # Both files as this process last found them in step: nothing to read again (the scheduler asks every day).
        if self.path.exists() and (identity(self.store), identity(self.path)) == self._in_step:
            return
        source = hashlib.sha256(self.store.read_bytes()).hexdigest()
        # The line is longer than iCalendar's 75 octets, so the file holds it folded: unfold before looking.
        if not (self.path.exists() and f"{SOURCE}:{source}".encode("ascii") in self.path.read_bytes()[:4096].replace(b"\r\n ", b"")):
            write_atomically(self.path, calendar_file(sorted(self.events(), key=lambda e: (e.start, e.uid)), source=source))
        self._in_step = (identity(self.store), identity(self.path))

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        events = self.events()
        try:
            return self._forget(events, email)
        finally:
            self.repair()

    def _forget(self, events: list[CalendarEvent], email: str) -> list[Erased]:
        kept = [replace(e, attendees=tuple(a for a in e.attendees if a.email.lower() != email.lower())) for e in events]
        dropped = sum(len(e.attendees) for e in events) - sum(len(e.attendees) for e in kept)
        if not dropped:
            return []
        self._write(kept)
        return [Erased("calendar", "left_events", dropped)]

    def delete_attendees(self) -> list[Erased]:
        """Retention: the events stay, without anybody's address."""
        events = [e for e in self.events() if e.attendees]
        if not events:
            return []
        self._write([replace(e, attendees=()) for e in self.events()])
        self.repair()
        return [Erased("calendar", "attendees", len(events))]

    def video_link(self, event: CalendarEvent) -> str:
        """A calendar file makes no video meetings: the config's video_link is all there is."""
        return ""

    def save_events(self, changed: Sequence[CalendarEvent]) -> None:
        events = dict(self._load())
        for event in changed:
            record = _record(event)
            # As the next run will read it back: in the programme's zone, whatever zone it came in.
            events[event.uid] = (_event_from(record, self.zone), record)
        self._store(events)

    def _write(self, events: list[CalendarEvent]) -> None:
        self._store({event.uid: (event, _record(event)) for event in events})

    def _store(self, events: dict[str, tuple[CalendarEvent, dict]]) -> None:
        """calendar.json at once; calendar.ics, worked out from it, when the run ends (`repair`, which `close` calls)."""
        ordered = dict(sorted(events.items(), key=lambda item: (item[1][0].start, item[0])))
        texts = []
        for uid, (_, record) in ordered.items():
            encoded = self._encoded.get(uid)
            if encoded is None or encoded[0] is not record:
                encoded = self._encoded[uid] = (record, json.dumps(record, ensure_ascii=False))
            texts.append(encoded[1])
        for uid in set(self._encoded) - set(ordered):
            del self._encoded[uid]
        # The same text json.dumps gives for the whole list.
        write_atomically(self.store, ("[" + ", ".join(texts) + "]").encode("utf-8"))
        self._known = (identity(self.store), ordered)


def _record(event: CalendarEvent) -> dict:
    """The event as calendar.json keeps it: the fields in order, times as ISO text."""
    record = {field.name: getattr(event, field.name) for field in fields(event)}
    record.update(
        start=event.start.isoformat(), end=event.end.isoformat(), updated=event.updated.isoformat() if event.updated else None,
        attendees=[{field.name: getattr(a, field.name) for field in fields(a)} for a in event.attendees],
        organizer={field.name: getattr(event.organizer, field.name) for field in fields(event.organizer)},
    )
    return record


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
