"""Documents as files under `drive/`; who a document is shared with, in `drive/sharing.csv`.

    drive = FolderDrive(workspace / "drive")
    document = drive.find_document(["2026", "koostöökokkulepped"], "Koostöökokkulepe – Mari Tamm ja Jüri Õunapuu")
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping, Sequence

from automation.backends.local.files import append_csv, identity, parse_csv, read_csv, write_atomically, write_csv
from automation.backends.scrub import scrub_rows
from automation.ports import Document, Erased

SHARING_HEADER = ["Dokument", "E-post"]


class FolderDrive:
    def __init__(self, root: Path, reports: Path | None = None) -> None:
        self.root = root
        self.reports = reports or root  # where the board's report is written (the workspace)
        self._sharing: tuple[tuple[int, int, int], set[tuple[str, str]], bool] | None = None  # sharing.csv as last read

    def _path(self, folder: Sequence[str], name: str) -> Path:
        return self.root.joinpath(*(_safe(part) for part in folder)) / f"{_safe(name)}.html"

    def _document(self, path: Path, name: str, content: bytes | None = None) -> Document:
        return Document(id=str(path.relative_to(self.root)), name=name, link=str(path), content=path.read_bytes() if content is None else content)

    def find_document(self, folder: Sequence[str], name: str) -> Document | None:
        path = self._path(folder, name)
        return self._document(path, name) if path.exists() else None

    def create_document(self, folder: Sequence[str], name: str, html: str) -> Document:
        path = self._path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        content = html.encode("utf-8")
        write_atomically(path, content)
        return self._document(path, name, content)  # what was just written, not read back

    def fill(self, document: Document, fields: Mapping[str, str]) -> None:
        """The HTML is written whole, in one step: nothing is ever half made."""

    def share(self, document: Document, emails: Sequence[str]) -> None:
        path = self.root / "sharing.csv"
        present, whole = self._shared(path)
        added = [[document.id, email] for email in emails if (document.id, email) not in present]
        if not added:
            return
        # A list that only grows: the new rows are added at its end, unless its last line is not whole
        # (a write cut short), which writing the whole list again mends.
        if whole:
            append_csv(path, added)
        else:
            write_csv(path, ((read_csv(path) if path.exists() else []) or [SHARING_HEADER]) + added)
        present.update((document.id, email) for _, email in added)
        self._sharing = (identity(path), present, True)

    def _shared(self, path: Path) -> tuple[set[tuple[str, str]], bool]:
        """Who each document is shared with, and whether the list's last line is whole: read again only when the
        file is not as this process left it (a year shares hundreds of agreements, one at a time)."""
        if not path.exists():
            return set(), False  # written whole, with its header
        if self._sharing is not None and self._sharing[0] == identity(path):
            return self._sharing[1], self._sharing[2]
        data = path.read_bytes()
        present = {(row[0], row[1]) for row in parse_csv(data, path)[1:] if len(row) >= 2}
        self._sharing = (identity(path), present, data.endswith(b"\r\n"))
        return present, self._sharing[2]


    def publish_report(self, name: str, html: str) -> str:
        path = self.reports / f"{name}.html"
        write_atomically(path, html.encode("utf-8"))
        return str(path)

    def report_location(self, name: str) -> str:
        return str(self.reports / f"{name}.html")

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        erased, documents = [], 0
        needles = [needle.lower() for needle in (email, *names) if needle]
        for path in sorted(self.root.rglob("*.html")):
            text = (path.name + "\n" + path.read_text(encoding="utf-8", errors="replace")).lower()
            if any(needle in text for needle in needles):
                path.unlink()
                documents += 1
        if documents:
            erased.append(Erased("drive", "documents", documents))
        sharing = self.root / "sharing.csv"
        if sharing.exists():
            rows, removed, _ = scrub_rows(read_csv(sharing), email, names)
            if removed:
                write_csv(sharing, rows)
                erased.append(Erased("drive/sharing.csv", "rows", removed))
        return erased

    def delete_all(self) -> list[Erased]:
        # Counted, not listed: a document's name holds the names of its pair.
        files = [path for path in self.root.rglob("*") if path.is_file()]
        for path in files:
            path.unlink()
        return [Erased("drive", "files", len(files))] if files else []


def _safe(name: str) -> str:
    return re.sub(r'[/\\:\x00<>"|?*]', "_", name).strip() or "_"
