"""Provisioning a setup plan on Google: find what exists (by its tag), create what is missing, say which.

    provisioned = provision(api, config, plan)
    provisioned.ids      # {("forms", "mentor", "id"): "1FAIp...", ("google", "folder"): "1AbC...", ...}
    provisioned.lines    # "created: ...", "found: ..." for the person running it
"""

from __future__ import annotations

from automation.backends.google.api import GoogleApi
from automation.backends.google.drive import DOC, FOLDER, SHEET, GoogleDrive
from automation.backends.google.forms import GoogleForms, question_item
from automation.config import Config
from automation.domain.text import Say
from automation.ports import Provisioned, SetupPlan, SheetPlan


def provision(api: GoogleApi, config: Config, plan: SetupPlan) -> Provisioned:
    google, done = config.google, Provisioned()
    say = Say(config.programme.language)
    drive = GoogleDrive(api, root="", shared_drive=google.shared_drive, template="")

    def report(what: tuple[str, str], created: bool, link: str = "") -> None:
        state = say("loodud", "created") if created else say("olemas", "found  ")
        done.lines.append(f"{state} {say(*what)}{' ' + link if link else ''}")

    # The programme's folder, at the top of the shared drive (or of the account's Drive).
    root = google.folder or (drive.find_tagged("root") or {}).get("id", "")
    report((f"kaust „{plan.folder}“", f"the folder „{plan.folder}“"), not root)
    if not root:
        root = drive.create(plan.folder, FOLDER, google.shared_drive or "root", "root")["id"]
    drive.root = root
    done.ids[("google", "folder")] = root
    permissions = api.resource("drive", "v3", "permissions")
    for editor in plan.editors:
        api.idempotent(permissions.create(fileId=root, body={"type": "user", "role": "writer", "emailAddress": editor},
                                          sendNotificationEmail=False, supportsAllDrives=True, fields="id"),
                       what=f"sharing the programme's folder with {editor}")

    forms = GoogleForms(api, drive, timezone=config.programme.timezone, folder=[])
    for form_plan in plan.forms:
        existing = getattr(config.forms, form_plan.key).id
        items = [question_item(q.title, q.kind, q.choices, q.required) for q in form_plan.questions]
        found = drive.find_tagged(f"form:{form_plan.key}")
        if existing and not found:
            form = api.idempotent(api.resource("forms", "v1", "forms").get(formId=existing), what=f"the form „{form_plan.title}“ (forms.{form_plan.key}.id)")
        else:
            form = forms.create(form_plan.title, form_plan.description, items, f"form:{form_plan.key}", [], email_collection="DO_NOT_COLLECT")
        report((f"vorm „{form_plan.title}“", f"the form „{form_plan.title}“"), not (existing or found), form.get("responderUri", ""))
        done.ids[("forms", form_plan.key, "id")] = form["formId"]
        done.ids[("forms", form_plan.key, "url")] = form.get("responderUri", "")

    for sheet in plan.sheets:
        spreadsheet_id = google.spreadsheets.get(sheet.name) or (drive.find_tagged(f"sheet:{sheet.name}") or {}).get("id", "")
        created = not spreadsheet_id
        if created:
            spreadsheet_id = drive.create(sheet.title, SHEET, root, f"sheet:{sheet.name}")["id"]
        _complete_sheet(api, config, spreadsheet_id, sheet)
        for reader in sheet.readers:
            api.idempotent(permissions.create(fileId=spreadsheet_id, body={"type": "group", "role": "reader", "emailAddress": reader},
                                              sendNotificationEmail=False, supportsAllDrives=True, fields="id"),
                           what=f"sharing „{sheet.title}“ with {reader} (read only)")
        report((f"tabel „{sheet.title}“", f"the sheet „{sheet.title}“"), created, f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit")
        done.ids[("google", "spreadsheets", sheet.name)] = spreadsheet_id

    template = google.agreement_template or (drive.find_tagged("agreement-template") or {}).get("id", "")
    report((f"koostöökokkuleppe mall „{plan.template_name}“", f"the agreement template „{plan.template_name}“"), not template)
    if not template:
        template = drive.create(plan.template_name, DOC, root, "agreement-template")["id"]
    document = api.idempotent(api.resource("docs", "v1", "documents").get(documentId=template), what="the agreement template Doc")
    if not _text_of(document).strip():
        # Filled only while empty: a coordinator's later edits to the template are theirs.
        api.idempotent(api.resource("docs", "v1", "documents").batchUpdate(
            documentId=template, body={"requests": [{"insertText": {"location": {"index": 1}, "text": plan.template_text}}]}),
            what="writing the agreement template's text")
    done.ids[("google", "agreement_template")] = template
    return done


DEFAULT_TABS = {"Sheet1", "Leht1"}  # what a new spreadsheet starts with, in English and in Estonian


def _complete_sheet(api: GoogleApi, config: Config, spreadsheet_id: str, sheet: SheetPlan) -> None:
    """The sheet's tabs and headers, where missing: a sheet made by a run that died halfway is completed, nothing doubled."""
    spreadsheets = api.resource("sheets", "v4", "spreadsheets")
    found = api.idempotent(spreadsheets.get(spreadsheetId=spreadsheet_id, fields="properties,sheets.properties"), what=f"the sheet „{sheet.title}“")
    present = {tab["properties"]["title"]: tab["properties"]["sheetId"] for tab in found.get("sheets", [])}
    wanted = [tab for tab, _ in sheet.tabs]
    requests: list[dict] = [{"addSheet": {"properties": {"title": tab}}} for tab in wanted if tab not in present]
    if not any(tab in present for tab in wanted):
        # Nothing of ours yet: a new sheet, in the programme's language and zone, without the tab it started with.
        requests.insert(0, {"updateSpreadsheetProperties": {"properties": {"title": sheet.title, "locale": "et_EE", "timeZone": config.programme.timezone},
                                                            "fields": "title,locale,timeZone"}})
        requests += [{"deleteSheet": {"sheetId": sheet_id}} for title, sheet_id in present.items() if title in DEFAULT_TABS]
    if requests:
        api.idempotent(spreadsheets.batchUpdate(spreadsheetId=spreadsheet_id, body={"requests": requests}), what=f"the tabs of „{sheet.title}“")
    headed = [(tab, header) for tab, header in sheet.tabs if header]
    if not headed:
        return
    values = api.resource("sheets", "v4", "spreadsheets", "values")
    current = api.idempotent(values.batchGet(spreadsheetId=spreadsheet_id, ranges=[f"'{tab}'!1:1" for tab, _ in headed]), what=f"the headers of „{sheet.title}“")
    empty = [(tab, header) for (tab, header), got in zip(headed, current.get("valueRanges", [])) if not got.get("values")]
    if empty:
        api.idempotent(values.batchUpdate(spreadsheetId=spreadsheet_id, body={"valueInputOption": "RAW",
                                                                              "data": [{"range": f"'{tab}'", "values": [list(header)]} for tab, header in empty]}),
                       what=f"the headers of „{sheet.title}“")


def _text_of(document: dict) -> str:
    return "".join(element.get("textRun", {}).get("content", "")
                   for block in document.get("body", {}).get("content", [])
                   for element in block.get("paragraph", {}).get("elements", []))
