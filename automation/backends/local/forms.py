"""Form responses from `forms/<form>.csv`, in the shape of a Google Forms CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from automation.backends.local.files import read_csv, scrub_rows, write_csv
from automation.config import Form
from automation.domain.registrations import ResponseTable


class CsvForms:
    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace

    def path(self, form: Form) -> Path:
        return self.workspace / form.responses

    def read_responses(self, form: Form) -> ResponseTable | None:
        path = self.path(form)
        if not path.exists():
            return None
        rows = read_csv(path)
        if not rows:
            return None
        return ResponseTable(header=rows[0], rows=rows[1:])

    def forget(self, email: str, names: Sequence[str]) -> list[str]:
        erased = []
        for path in sorted((self.workspace / "forms").glob("*.csv")):
            rows, removed, changed = scrub_rows(read_csv(path), email, names)
            if removed or changed:
                write_csv(path, rows)
                erased.append(f"{path.relative_to(self.workspace)}: {removed} row(s) removed, {changed} changed")
        return erased

    def delete_all(self) -> list[str]:
        exports = sorted((self.workspace / "forms").glob("*.csv"))
        for path in exports:
            path.unlink()
        return [f"forms: {len(exports)} export(s) removed"] if exports else []
