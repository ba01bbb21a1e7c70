"""The Google Workspace backend: Forms, Gmail, Calendar, Sheets, Drive and Docs; the ledger stays a local SQLite file.

    backends = google_backends(config, environ=os.environ, sleep=time.sleep)

With `google.endpoint` (or MENTORLUS_GOOGLE_ENDPOINT) the same code talks to an
emulator with anonymous credentials: that is how the tests run it.
"""

from __future__ import annotations

import time
from typing import Callable, Mapping

from automation.backends.google.access import access_checks
from automation.backends.google.api import GoogleApi, Transport
from automation.backends.google.auth import credentials_for, endpoint_of
from automation.backends.google.calendar import GoogleCalendar
from automation.backends.google.drive import GoogleDrive
from automation.backends.google.forms import GoogleForms
from automation.backends.google.known import Known
from automation.backends.google.gmail import GmailMailer
from automation.backends.google.sheets import GoogleSheets
from automation.backends.local.ledger import SqliteLedger
from automation.config import Config
from automation.ports import Backends


def google_api(config: Config, environ: Mapping[str, str], sleep: Callable[[float], None] = time.sleep) -> GoogleApi:
    transport = Transport(credentials_for(config, environ), timeout=config.google.timeout_seconds)
    return GoogleApi(transport, endpoint=endpoint_of(config, environ), max_retries=config.google.max_retries, sleep=sleep)


def google_backends(config: Config, environ: Mapping[str, str], sleep: Callable[[float], None] = time.sleep) -> Backends:
    api = google_api(config, environ, sleep)
    google, year = config.google, str(config.programme.start.year)
    config.workspace.mkdir(parents=True, exist_ok=True)
    drive = GoogleDrive(api, root=google.folder, shared_drive=google.shared_drive, template=google.agreement_template,
                        board=google.board_group)
    known = Known(config.workspace / "google-known.json")
    forms = GoogleForms(api, drive, timezone=config.programme.timezone, folder=[year, "küsitlused"], known=known)
    sheets = GoogleSheets(api, google.spreadsheets, known=known)
    return Backends(
        forms=forms,
        mailer=GmailMailer(api, per_second=config.mail.per_second, sleep=sleep),
        sheets=sheets,
        ledger=SqliteLedger(config.workspace / "state.sqlite3"),
        drive=drive,
        calendar=GoogleCalendar(api, calendar_id=google.calendar, timezone=config.programme.timezone,
                                notifications=google.calendar_notifications, meet_links=google.meet_links),
        on_close=[api.transport.close],
        on_new_run=[forms.new_run, sheets.new_run],
        access=access_checks(api, config),
    )
