"""`mentorlus check` on Google: can the account reach every configured form, sheet, folder, Doc and calendar?

    for what, problem in access_checks(api, config)():   # problem "" when it is in order
        ...
"""

from __future__ import annotations

from typing import Callable

from automation.backends.google.api import GoogleApi
from automation.config import Config
from automation.domain.text import Say
from automation.errors import MentorlusError


def access_checks(api: GoogleApi, config: Config) -> Callable[[], list[tuple[str, str]]]:
    google = config.google
    say = Say(config.programme.language)

    def checks() -> list[tuple[str, str]]:
        results: list[tuple[str, str]] = []

        def probe(what: str, request: Callable[[], object], missing_id: str = "") -> None:
            if missing_id:
                results.append((what, say(f"seadistuses pole id-d ({missing_id}): käivita `mentorlus setup` või kopeeri id selle lingist",
                                          f"no id in the config ({missing_id}): run `mentorlus setup`, or paste the id from its link")))
                return
            try:
                request()
                results.append((what, ""))
            except MentorlusError as error:
                results.append((what, error.text(say.language)))

        gmail, drive = api.service("gmail", "v1"), api.service("drive", "v3")
        account = config.google.subject or config.association.sender_email

        def profile() -> None:
            found = api.idempotent(gmail.users().getProfile(userId="me"), what="the Gmail mailbox")
            if found.get("emailAddress", account).lower() != account.lower():
                raise MentorlusError(f"the credentials send as {found.get('emailAddress')}, not as association.sender_email {account}",
                                     hint="set google.subject to the sending account (service account), or log in as it (`mentorlus auth`)",
                                     message_et=f"volitused saadavad kirju kontolt {found.get('emailAddress')}, mitte association.sender_email kontolt {account}",
                                     hint_et="kirjuta google.subject väärtuseks saatev konto (teenusekonto) või logi selle kontoga sisse (`mentorlus auth`)")

        probe(say(f"Gmail: saatja {account}", f"Gmail: sending as {account}"), profile)
        probe(say(f"kalender {google.calendar}", f"Calendar {google.calendar}"), lambda: api.idempotent(
            api.service("calendar", "v3").events().list(calendarId=google.calendar, maxResults=1), what=f"the calendar {google.calendar} (google.calendar)"))
        probe(say("Drive: programmi kaust (google.folder)", "Drive: the programme's folder (google.folder)"), lambda: _writable_folder(api, drive, google.folder), "" if google.folder else "google.folder")
        probe(say("Docs: koostöökokkuleppe mall (google.agreement_template)", "Docs: the agreement template (google.agreement_template)"), lambda: api.idempotent(
            api.service("docs", "v1").documents().get(documentId=google.agreement_template), what="the agreement template Doc (google.agreement_template)"),
            "" if google.agreement_template else "google.agreement_template")
        for name in dict.fromkeys([config.sheets.coordinators, config.sheets.board, config.members.sheet]):
            identifier = google.spreadsheets.get(name, "")
            probe(say(f"tabel '{name}'", f"Sheets: '{name}'"), lambda identifier=identifier, name=name: api.idempotent(
                api.service("sheets", "v4").spreadsheets().get(spreadsheetId=identifier, fields="spreadsheetId"),
                what=f"the sheet '{name}' (google.spreadsheets.{name})"), "" if identifier else f"google.spreadsheets.{name}")
        for key in ("mentor", "mentee", "meeting_log"):
            form = getattr(config.forms, key)
            if form is not None:
                probe(say(f"vorm „{form.title}“ ja selle vastused", f"Forms: „{form.title}“ and its responses"), lambda form=form, key=key: _form_and_responses(api, form.id, f"forms.{key}.id"),
                      "" if form.id else f"forms.{key}.id")
        return results

    return checks


def _writable_folder(api: GoogleApi, drive, folder: str) -> None:
    found = api.idempotent(drive.files().get(fileId=folder, fields="id,name,capabilities(canAddChildren)", supportsAllDrives=True),
                           what="the programme's folder (google.folder)")
    if not found.get("capabilities", {}).get("canAddChildren", True):
        raise MentorlusError(f"the account may see the folder „{found.get('name')}“ but not add files to it",
                             hint="make the programme's account a Content manager of the shared drive, or an Editor of the folder",
                             message_et=f"konto näeb kausta „{found.get('name')}“, aga ei saa sinna faile lisada",
                             hint_et="tee programmi kontost ühisketta sisuhaldur (Content manager) või kausta toimetaja (Editor)")


def _form_and_responses(api: GoogleApi, form_id: str, key: str) -> None:
    forms = api.service("forms", "v1").forms()
    api.idempotent(forms.get(formId=form_id), what=f"the form ({key})")
    api.idempotent(forms.responses().list(formId=form_id, pageSize=1), what=f"the form's responses ({key})")
