"""The local backend: one workspace folder a coordinator can open with ordinary programs.

    backends = local_backends(Path("workspace"))

    workspace/forms/<form>.csv        form responses, as a Google Forms CSV export
    workspace/outbox/                 every sent message, a Maildir
    workspace/sheets/<sheet>/<tab>.csv
    workspace/calendar.ics            every event with its attendees (calendar.json beside it: the same, for the tool)
    workspace/drive/                  documents: each pair's agreement
    workspace/state.sqlite3           the ledger: what was sent, job runs
"""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from automation.backends.local.calendar import IcsCalendar
from automation.backends.local.drive import FolderDrive
from automation.backends.local.files import write_atomically
from automation.backends.local.forms import CsvForms
from automation.backends.local.ledger import SqliteLedger
from automation.backends.local.mail import MaildirMailer
from automation.backends.local.sheets import CsvSheets
from automation.ports import Backends


def _empty_calendar(path: Path) -> None:
    """A calendar app opens the file from day one; the event jobs add to it."""
    if path.exists():
        return
    calendar = Calendar()
    calendar.add("prodid", "-//mentorlus//mentorprogramm//ET")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Mentorprogramm")
    calendar.add("x-wr-timezone", "Europe/Tallinn")
    write_atomically(path, calendar.to_ical())


def local_backends(workspace: Path, timezone: str = "Europe/Tallinn") -> Backends:
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "forms").mkdir(exist_ok=True)
    (workspace / "drive").mkdir(exist_ok=True)
    _empty_calendar(workspace / "calendar.ics")
    calendar = IcsCalendar(workspace / "calendar.ics", timezone)
    return Backends(
        forms=CsvForms(workspace),
        mailer=MaildirMailer(workspace / "outbox"),
        sheets=CsvSheets(workspace / "sheets"),
        ledger=SqliteLedger(workspace / "state.sqlite3"),
        drive=FolderDrive(workspace / "drive", reports=workspace),
        calendar=calendar,
        on_new_run=[calendar.repair],
        on_close=[calendar.repair],
    )
