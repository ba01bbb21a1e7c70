"""The Registrations tab: columns the tool computes anew, and columns the coordinators own.

    tab = RegistrationsTab.read(rows_from_the_sheet)
    assessments = tab.apply_decisions(assessments)
    rows = tab.render(assessments, form_titles, unread_roles={"mentor"})

The coordinators own "Koordinaatori otsus" (sobib / ei sobi: it overrides the
computed status), "Koordinaatori märkus", and any column they add. Those
survive every rewrite. No row is ever dropped: a row whose form could not be
read stays as it was, and a person no longer in the form's responses (a row
deleted from the export, or a row typed into the tab by hand) stays, noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Collection, Iterable, Mapping, Sequence

from automation.domain.registrations import Assessment, Status, normalise_email, normalise_text
from automation.domain.tabs import merge_tab, read_rows

REGISTRATIONS_TAB = "Registreerimised"
COMPUTED_COLUMNS = [
    "Roll",
    "Nimi",
    "E-post",
    "Töökoht",
    "Piirkond",
    "Keel",
    "Vastatud",
    "Staatus",
    "Põhjused",
    "Märkused",
    "Vormi rida",
]
DECISION_COLUMN = "Koordinaatori otsus"
NOTE_COLUMN = "Koordinaatori märkus"
OWNED_COLUMNS = [DECISION_COLUMN, NOTE_COLUMN]
NOT_IN_RESPONSES = "vormi vastustes seda inimest praegu ei ole; rida on alles jäetud"


def row_key(role: str, email: str, form_row: str) -> str:
    """The same key Registration.key gives: by address, or by the form's row when there is none."""
    role = normalise_text(role).casefold()
    address = normalise_email(email)
    if address:
        return f"{role}:{address}"
    found = re.search(r"(\d+)\s*$", form_row)
    return f"{role}:row{found.group(1) if found else form_row}"


@dataclass
class RegistrationsTab:
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> the row as the sheet has it
    existing: Sequence[Sequence[str]] = ()  # as read: never changed
    problems: list[str] = field(default_factory=list)
    read_as: tuple[list[str], list[tuple[int, dict[str, str]]]] = ([], [])  # what `read_rows` made of it

    @classmethod
    def read(cls, rows: Sequence[Sequence[str]]) -> RegistrationsTab:
        tab = cls(existing=rows, read_as=read_rows(rows))
        for number, row in tab.read_as[1]:
            tab.rows[_key(number, row)] = row
            raw = row.get(DECISION_COLUMN, "").strip()
            if raw and Status.from_label(raw) is None:
                choices = ", ".join(f"„{status.value}“" for status in Status)
                tab.problems.append(f"Registreerimised, rida {number}: koordinaatori otsus „{raw}“ on tundmatu; kasuta: {choices}")
        return tab

    def decision(self, key: str) -> Status | None:
        raw = self.rows.get(key, {}).get(DECISION_COLUMN, "").strip()
        return Status.from_label(raw) if raw else None

    def apply_decisions(self, assessments: Iterable[Assessment]) -> list[Assessment]:
        """Each assessment with the coordinators' decision and note; the very same object where they leave it as it is."""
        decided = []
        for assessment in assessments:
            key = assessment.registration.key
            decision, note = self.decision(key), self.rows.get(key, {}).get(NOTE_COLUMN, "")
            if (decision, note) != (assessment.coordinator_decision, assessment.coordinator_note):
                assessment = replace(assessment, coordinator_decision=decision, coordinator_note=note)
            decided.append(assessment)
        return decided

    def render(
        self, assessments: Iterable[Assessment], form_titles: Mapping[str, str], unread_roles: Collection[str] = (),
        computed: Callable[[Assessment, Mapping[str, str]], dict[str, str]] | None = None,
    ) -> list[list[str]]:
        """The whole tab, header first. Rows of `unread_roles` (forms that could not be read) stay as they were.

        `computed` stands for `computed_row` where the caller keeps what it gave for the same assessment before."""
        computed = computed or computed_row

        def leftover(key: str, row: dict[str, str]) -> dict[str, str] | None:
            if key.split(":", 1)[0] in unread_roles:
                return row
            if ":row" in key:
                return None  # a row without an address that the form no longer has: nobody to keep it for
            if NOT_IN_RESPONSES not in row.get("Märkused", ""):
                row = {**row, "Märkused": "; ".join(filter(None, [row.get("Märkused", ""), NOT_IN_RESPONSES]))}
            return row

        return merge_tab(
            self.existing,
            read=self.read_as,
            columns=COMPUTED_COLUMNS + OWNED_COLUMNS,
            key=_key,
            fresh=((a.registration.key, computed(a, form_titles)) for a in assessments),
            leftover=leftover,
        )


def computed_row(assessment: Assessment, form_titles: Mapping[str, str]) -> dict[str, str]:
    """The tool's columns of an assessment's row."""
    registration = assessment.registration
    values = [
        registration.role.label_et,
        registration.name,
        registration.email or registration.raw_email,
        str(registration.answers.get("workplace") or ""),
        str(registration.answers.get("region") or ""),
        registration.language,
        registration.submitted_at.strftime("%Y-%m-%d %H:%M") if registration.submitted_at else "",
        assessment.status.value,
        "; ".join(assessment.reasons),
        "; ".join(assessment.notes),
        f"{form_titles.get(registration.role.value, registration.role.value)}, rida {registration.row}",
    ]
    return dict(zip(COMPUTED_COLUMNS, values))


def _key(number: int, row: dict[str, str]) -> str:
    return row_key(row.get("Roll", ""), row.get("E-post", ""), row.get("Vormi rida", ""))
