"""Attendance tabs, one per event, and what they say of each mentor's training (S3.4).

    tab = attendance_tab(event)                  # "Osalemine 2026-12-11 mentor-training"
    training_status(mentors, [(event, rows)], programme_start_year=2026, today=day)
    # {"mari@x.ee": "osales 11. detsembril 2026", "juri@x.ee": "läbitud 2024", ...}
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Sequence

from automation.config import EventConfig
from automation.domain.registrations import Registration, Role, normalise_text, trained_earlier
from automation.domain.text import format_on_day

ATTENDANCE_HEADER = ["Nimi", "E-post", "Roll", "Rühm", "Kutse", "Kovisiooni juht", "Osales"]
ATTENDED = "Osales"
NOT_ATTENDED = "ei osalenud"


def attendance_tab(event: EventConfig) -> str:
    return f"Osalemine {event.date.isoformat()} {event.id}"


def ticked(value: str) -> bool:
    return normalise_text(value).casefold() not in ("", "ei", "no", "0", "-")


def training_status(
    mentors: Iterable[Registration], trainings: Sequence[tuple[EventConfig, list[dict[str, str]]]], *, programme_start_year: int, today: date
) -> dict[str, str]:
    """Each mentor's training, in Estonian: trained in an earlier year, attended, invited, or not attended."""
    status: dict[str, str] = {}
    for registration in mentors:
        earlier = trained_earlier(registration, programme_start_year)
        if registration.role is Role.MENTOR and earlier:
            status[registration.email] = f"läbitud {earlier}"
    for event, rows in sorted(trainings, key=lambda pair: pair[0].date):
        for cells in rows:
            email = normalise_text(cells.get("E-post", "")).lower()
            if not email or status.get(email, "").startswith(("läbitud", "osales")):
                continue
            if ticked(cells.get(ATTENDED, "")):
                status[email] = f"osales {format_on_day(event.date, 'et')}"
            elif normalise_text(cells.get("Kutse", "")) == "valikuline":
                status[email] = "läbitud varem"  # invited as optional: trained in an earlier year
            elif event.date >= today:
                status[email] = f"kutsutud koolitusele {format_on_day(event.date, 'et')}"
            else:
                status[email] = f"{NOT_ATTENDED} {format_on_day(event.date, 'et')} toimunud koolitusel"
    return status


def untrained_mentor_notices(mentors: list[tuple[str, str]], training: dict[str, str]) -> list[str]:
    """A mentor who has not attended the training (required before the relationship starts) is named, once per mentor."""
    notices = []
    for email, name in dict(mentors).items():
        if training.get(email, "").startswith(NOT_ATTENDED):
            notices.append(f"mentor {name} ({email}) {training[email]}; mentorite koolitus tuleb läbida enne mentorsuhte algust")
    return notices
