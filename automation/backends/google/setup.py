"""Provisioning a setup plan on Google: find what exists (by its tag), create what is missing, say which.

    provisioned = provision(api, config, plan)
    provisioned.ids      # {("forms", "mentor", "id"): "1FAIp...", ("google", "folder"): "1AbC...", ...}
    provisioned.lines    # "created: ...", "found: ..." for the person running it
"""

from __future__ import annotations

from automation.backends.google.api import GoogleApi
from automation.backends.google.drive import DOC, FOLDER, GoogleDrive
from automation.backends.google.forms import GoogleForms, question_item
from automation.config import Config
from automation.ports import Provisioned, SetupPlan


def provision(api: GoogleApi, config: Config, plan: SetupPlan) -> Provisioned:
    google, done = config.google, Provisioned()
    drive = GoogleDrive(api, root="", shared_drive=google.shared_drive, template="")

    def report(what: str, created: bool, link: str = "") -> None:
        done.lines.append(f"{'created' if created else 'found  '} {what}{' ' + link if link else ''}")

    # The programme's folder, at the top of the shared drive (or of the account's Drive).
    root = google.folder or (drive.find_tagged("root") or {}).get("id", "")
    report(f"the folder „{plan.folder}“", not root)
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
        report(f"the form „{form_plan.title}“", not (existing or found), form.get("responderUri", ""))
        done.ids[("forms", form_plan.key, "id")] = form["formId"]
        done.ids[("forms", form_plan.key, "url")] = form.get("responderUri", "")

    sheets = api.resource("sheets", "v4", "spreadsheets")
    for sheet in plan.sheets:
        spreadsheet_id = google.spreadsheets.get(sheet.name) or (drive.find_tagged(f"sheet:{sheet.name}") or {}).get("id", "")
        created = not spreadsheet_id
        if created:
            body = {"properties": {"title": sheet.title, "locale": "et_EE", "timeZone": config.programme.timezone},
                    "sheets": [{"properties": {"title": tab}} for tab, _ in sheet.tabs]}
            spreadsheet_id = api.once(sheets.create(body=body, fields="spreadsheetId"), what=f"creating the sheet „{sheet.title}“")["spreadsheetId"]
            drive.tag(spreadsheet_id, f"sheet:{sheet.name}")
            headers = [{"range": f"'{tab}'", "values": [list(header)]} for tab, header in sheet.tabs if header]
            if headers:
                api.idempotent(api.resource("sheets", "v4", "spreadsheets", "values").batchUpdate(spreadsheetId=spreadsheet_id, body={"valueInputOption": "RAW", "data": headers}),
                               what=f"the headers of „{sheet.title}“")
        for reader in sheet.readers:
            api.idempotent(permissions.create(fileId=spreadsheet_id, body={"type": "group", "role": "reader", "emailAddress": reader},
                                              sendNotificationEmail=False, supportsAllDrives=True, fields="id"),
                           what=f"sharing „{sheet.title}“ with {reader} (read only)")
        report(f"the sheet „{sheet.title}“", created, f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit")
        done.ids[("google", "spreadsheets", sheet.name)] = spreadsheet_id

    template = google.agreement_template or (drive.find_tagged("agreement-template") or {}).get("id", "")
    report(f"the agreement template „{plan.template_name}“", not template)
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


def _text_of(document: dict) -> str:
    return "".join(element.get("textRun", {}).get("content", "")
                   for block in document.get("body", {}).get("content", [])
                   for element in block.get("paragraph", {}).get("elements", []))
