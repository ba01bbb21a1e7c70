"""The programme's folders and documents in Google Drive (a shared drive, where configured).

    drive = GoogleDrive(api, root="1FoLdEr", shared_drive="0AbC", template="1DoC")
    document = drive.create_document(["2026", "agreements"], "Koostöökokkulepe – ...", html)   # a copy of the template
    drive.fill(document, {"mentee_name": "Mari"})
    drive.share(document, ["mari@example.ee"])       # Drive's own notification off: our email tells them

Files the tool makes carry an appProperty `mentorlus` (their kind), so a re-run finds them instead of making them again.
"""

from __future__ import annotations

from typing import Iterator, Mapping, Sequence

from automation.backends.google.api import GoogleApi
from automation.errors import ConfigError
from automation.ports import Document, Erased

FOLDER = "application/vnd.google-apps.folder"
DOC = "application/vnd.google-apps.document"
SHEET = "application/vnd.google-apps.spreadsheet"
FORM = "application/vnd.google-apps.form"
TAG = "mentorlus"  # the file's kind: "agreement", "folder", "survey:2026/küsitlused:midterm-mentors" ...
GROUP = "mentorlus-group"  # the part of the kind before ':', to find all of a group
REPORT_NAMES = {"report": "Kokkuvõte juhatusele"}


def quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def tagged(kind: str, key: str = TAG) -> str:
    return f"appProperties has {{ key='{key}' and value={quoted(kind)} }}"


def tags(kind: str) -> dict[str, str]:
    return {TAG: kind, GROUP: kind.split(":", 1)[0]}


class GoogleDrive:
    def __init__(self, api: GoogleApi, *, root: str, shared_drive: str, template: str, board: str = "") -> None:
        self.api, self.root, self.shared_drive, self.template, self.board = api, root, shared_drive, template, board
        self._folders: dict[tuple[str, ...], str] = {}
        self._reports: dict[str, dict] = {}

    @property
    def files(self):
        return self.api.resource("drive", "v3", "files")

    def search(self, query: str, fields: str = "id,name,webViewLink,mimeType") -> Iterator[dict]:
        where = {"corpora": "drive", "driveId": self.shared_drive} if self.shared_drive else {"corpora": "user"}
        token = None
        while True:
            page = self.api.idempotent(
                self.files.list(q=f"{query} and trashed = false", fields=f"nextPageToken,files({fields})", pageSize=1000, pageToken=token,
                                supportsAllDrives=True, includeItemsFromAllDrives=True, **where),
                what="searching the programme's Drive",
            )
            yield from page.get("files", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def find_tagged(self, kind: str) -> dict | None:
        return next(self.search(tagged(kind)), None)

    def create(self, name: str, mime_type: str, parent: str, kind: str) -> dict:
        """A folder, an empty form, sheet or Doc, tagged with its kind in the request that makes it, so a re-run finds it."""
        return self.api.once(
            self.files.create(body={"name": name, "mimeType": mime_type, "parents": [parent], "appProperties": tags(kind)},
                              supportsAllDrives=True, fields="id,name,webViewLink"),
            what=f"creating „{name}“ in Drive",
        )

    def folder(self, path: Sequence[str]) -> str:
        """The folder's id (a path of names under the programme's folder), made where missing."""
        if not self.root:
            raise ConfigError("google.folder is empty: the tool has no Drive folder to work in", hint="run `mentorlus setup`, which creates it",
                              message_et="google.folder on tühi: tööriistal pole Drive'is kausta, kus töötada", hint_et="käivita `mentorlus setup`, mis selle loob")
        parent = self.root
        for depth in range(1, len(path) + 1):
            key = tuple(path[:depth])
            if key not in self._folders:
                name = path[depth - 1]
                found = next(self.search(f"name = {quoted(name)} and {quoted(parent)} in parents and mimeType = '{FOLDER}'"), None)
                self._folders[key] = found["id"] if found else self.create(name, FOLDER, parent, "folder")["id"]
            parent = self._folders[key]
        return parent

    def find_document(self, folder: Sequence[str], name: str) -> Document | None:
        parent = self.folder(folder)
        found = next(self.search(f"name = {quoted(name)} and {quoted(parent)} in parents and mimeType = '{DOC}'"), None)
        return Document(id=found["id"], name=found["name"], link=found.get("webViewLink", ""), media_type=DOC) if found else None

    def create_document(self, folder: Sequence[str], name: str, html: str) -> Document:
        """A copy of the template Doc, its {{placeholders}} left for `fill` (the HTML is the local backend's)."""
        if not self.template:
            raise ConfigError("google.agreement_template is empty: there is no Doc to copy the agreement from",
                              hint="run `mentorlus setup`, which creates the template Doc, or put the id of your own template Doc there",
                              message_et="google.agreement_template on tühi: pole dokumenti, millest koostöökokkulepe kopeerida",
                              hint_et="käivita `mentorlus setup`, mis loob malldokumendi, või kirjuta sinna oma malldokumendi id")
        copy = self.api.once(
            self.files.copy(fileId=self.template, body={"name": name, "parents": [self.folder(folder)], "appProperties": tags("agreement")},
                            supportsAllDrives=True, fields="id,name,webViewLink"),
            what=f"copying the agreement template for „{name}“",
        )
        return Document(id=copy["id"], name=copy["name"], link=copy.get("webViewLink", ""), media_type=DOC)

    def fill(self, document: Document, fields: Mapping[str, str]) -> None:
        replacements = [{"replaceAllText": {"containsText": {"text": "{{" + key + "}}", "matchCase": True}, "replaceText": value}}
                        for key, value in sorted(fields.items())]
        if replacements:
            # Safe to repeat: once replaced, a placeholder is not found again.
            self.api.idempotent(self.api.resource("docs", "v1", "documents").batchUpdate(documentId=document.id, body={"requests": replacements}),
                                what=f"filling in „{document.name}“")

    def share(self, document: Document, emails: Sequence[str]) -> None:
        permissions = self.api.resource("drive", "v3", "permissions")
        # Drive answers the existing permission when shared again, so a repeat is harmless; one batch for the pair.
        requests = [permissions.create(fileId=document.id, body={"type": "user", "role": "writer", "emailAddress": email},
                                       sendNotificationEmail=False, supportsAllDrives=True, fields="id") for email in emails]
        if len(requests) == 1:
            self.api.idempotent(requests[0], what=f"sharing „{document.name}“ with {emails[0]}")
        elif requests:
            self.api.idempotent_batch("drive", "v3", requests, what=f"sharing „{document.name}“ with {', '.join(emails)}")

    def publish_report(self, name: str, html: str) -> str:
        """The board's report as an HTML file in the programme's folder, shared with the board; replaced in place."""
        from googleapiclient.http import MediaInMemoryUpload

        media = MediaInMemoryUpload(html.encode("utf-8"), mimetype="text/html", resumable=False)
        found = self._reports.get(name) or self.find_tagged(f"report:{name}")
        if found is None:
            # Tagged in the request that makes it: after a dropped connection the next run finds it instead of making another.
            found = self.api.once(
                self.files.create(body={"name": REPORT_NAMES.get(name, name) + ".html", "mimeType": "text/html", "parents": [self.folder([])],
                                        "appProperties": tags(f"report:{name}")},
                                  media_body=media, supportsAllDrives=True, fields="id,name,webViewLink"),
                what="publishing the board's report",
            )
            if self.board:
                self.api.idempotent(self.api.resource("drive", "v3", "permissions").create(
                    fileId=found["id"], body={"type": "group", "role": "reader", "emailAddress": self.board},
                    sendNotificationEmail=False, supportsAllDrives=True, fields="id"), what=f"sharing the board's report with {self.board}")
        else:
            self.api.idempotent(self.files.update(fileId=found["id"], media_body=media, supportsAllDrives=True, fields="id"),
                                what="replacing the board's report")
        self._reports[name] = found
        return found.get("webViewLink", "")

    def report_location(self, name: str) -> str:
        found = self._reports.get(name)
        return found.get("webViewLink", "") if found else f"the programme's Drive folder ({REPORT_NAMES.get(name, name)}.html)"

    def _delete(self, files: list[dict]) -> None:
        for item in files:
            self.api.idempotent(self.files.delete(fileId=item["id"], supportsAllDrives=True), what=f"deleting „{item['name']}“")

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        agreements = {item["id"]: item for item in self.search(f"{tagged('agreement')} and {quoted(email)} in writers")}
        for name in names:
            if name:
                agreements.update((item["id"], item) for item in self.search(f"{tagged('agreement')} and name contains {quoted(name)}"))
        self._delete(list(agreements.values()))
        return [Erased("Google Drive", "agreements", len(agreements))] if agreements else []

    def delete_all(self) -> list[Erased]:
        agreements = list(self.search(tagged("agreement")))
        self._delete(agreements)
        return [Erased("Google Drive", "agreements", len(agreements))] if agreements else []
