"""Form responses from `forms/<form>.csv`, in the shape of a Google Forms CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from automation.backends.local.files import read_csv, read_kept, write_csv
from automation.backends.scrub import scrub_rows
from automation.config import Form
from automation.domain.registrations import ResponseTable
from automation.ports import Erased


class CsvForms:
    makes_forms = False  # a survey names the link to a form of the association's own, and where its export is

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace

    def path(self, form: Form) -> Path:
        return self.workspace / form.responses

    def location(self, form: Form) -> str:
        return str(self.path(form))

    def exports_nearby(self, form: Form) -> list[str]:
        folder = self.path(form).parent
        return sorted(path.name for path in folder.glob("*.csv") if path != self.path(form)) if folder.is_dir() else []

    def read_responses(self, form: Form) -> ResponseTable | None:
        path = self.path(form)
        return _table(path) if path.exists() else None

    def create_survey(self, survey_id: str, title: str, questions: Sequence[str], definition: str) -> str:
        """No form is made here: the survey's own link is what participants get (a file on this disk would reach nobody)."""
        return ""

    def survey_responses(self, survey_id: str, responses: str = "") -> ResponseTable | None:
        path = self.workspace / (responses or f"forms/{survey_id}.csv")
        return _table(path) if path.exists() else None

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        erased = []
        for path in sorted((self.workspace / "forms").glob("*.csv")):
            rows, removed, changed = scrub_rows(read_csv(path), email, names)
            if removed or changed:
                write_csv(path, rows)
                erased.append(Erased(str(path.relative_to(self.workspace)), "rows", removed, changed))
        return erased

    def delete_all(self) -> list[Erased]:
        exports = sorted((self.workspace / "forms").glob("*.csv"))
        for path in exports:
            path.unlink()
        return [Erased("forms", "exports", len(exports))] if exports else []


def _table(path: Path) -> ResponseTable | None:
    """The export as a table, the same one while the file is unchanged: responses are only ever read."""
    return read_kept(path, _as_table)


def _as_table(rows: list[list[str]]) -> ResponseTable | None:
    return ResponseTable(header=rows[0], rows=rows[1:]) if rows else None
