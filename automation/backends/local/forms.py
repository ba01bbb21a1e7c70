"""Form responses from `forms/<form>.csv`, in the shape of a Google Forms CSV export."""

from __future__ import annotations

from pathlib import Path

from automation.backends.local.files import read_csv
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
