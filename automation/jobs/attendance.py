"""Attendance tabs, one per event, and what they say of each mentor's training (S3.4).

    status = training_of_mentors(context, assessed)   # {"mari@x.ee": "osales 2026-12-11", ...}
"""

from __future__ import annotations

from automation.config import EventConfig
from automation.domain.registrations import Role, normalise_text
from automation.jobs.base import JobContext

ATTENDANCE_HEADER = ["Nimi", "E-post", "Roll", "Rühm", "Kutse", "Kovisiooni juht", "Osales"]
ATTENDED = "Osales"
NOT_ATTENDED = "ei osalenud"


def attendance_tab(event: EventConfig) -> str:
    return f"Osalemine {event.date.isoformat()} {event.id}"


def ticked(value: str) -> bool:
    return normalise_text(value).casefold() not in ("", "ei", "no", "0", "-")


def attendance_of(context: JobContext, event: EventConfig) -> list[dict[str, str]]:
    """The event's Attendance tab, a dict per invitee (keys: the tab's column titles); [] before anyone is invited."""
    rows = context.backends.sheets.read_tab(context.config.sheets.coordinators, attendance_tab(event))
    if not rows:
        return []
    header = [normalise_text(title) for title in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def training_of_mentors(context: JobContext, mentor_registrations=()) -> dict[str, str]:
    """Each mentor's training, in Estonian: trained in an earlier year, attended, invited, or not attended."""
    status: dict[str, str] = {}
    for registration in mentor_registrations:
        year = registration.answers.get("training_year")
        if registration.role is Role.MENTOR and isinstance(year, int) and year < context.config.programme.start.year:
            status[registration.email] = f"läbitud {year}"
    for event in sorted(context.config.events_of("mentor_training"), key=lambda e: e.date):
        for cells in attendance_of(context, event):
            email = normalise_text(cells.get("E-post", "")).lower()
            if not email or status.get(email, "").startswith(("läbitud", "osales")):
                continue
            if ticked(cells.get(ATTENDED, "")):
                status[email] = f"osales {event.date}"
            elif normalise_text(cells.get("Kutse", "")) == "valikuline":
                status[email] = "läbitud varem"  # invited as optional: trained in an earlier year
            elif event.date >= context.today:
                status[email] = f"kutsutud {event.date}"
            else:
                status[email] = f"{NOT_ATTENDED} {event.date}"
    return status
