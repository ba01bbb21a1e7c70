"""The Pairs tab (S5.2, S5.3, S6.7, S6.8): proposals the tool writes, and what the committee decides.

    tab = PairsTab.read(rows, mentees={...}, mentors={...})
    tab.fixed_pairs()      # approved and confirmed pairs: never moved
    tab.never_pairs()      # rejected, ended, change requested: never proposed again
    rows = tab.render(result, today)   # committee rows as they are, then fresh proposals

The committee edits the status column ("ettepanek" -> "heaks kiidetud" or
"tagasi lükatud"; later "lõppenud" or "muutmise soov"), may swap a mentor by
editing the row, or add a row of its own. Only rows still "ettepanek" or
"paarita" are the tool's to replace. Every other row, and every column the
committee adds, is kept as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Mapping, Sequence

from automation.domain.matching import MatchingResult
from automation.domain.registrations import normalise_email, normalise_text
from automation.domain.tabs import merge_tab


class PairStatus(Enum):
    PROPOSED = "ettepanek"
    UNMATCHED = "paarita"
    APPROVED = "heaks kiidetud"
    REJECTED = "tagasi lükatud"
    CONFIRMED = "kinnitatud"
    ENDED = "lõppenud"
    CHANGE_REQUESTED = "muutmise soov"
    NO_PAIR = "jääb paarita"  # the committee's decision on a mentee the proposal left without a mentor: the mentee is told

    @classmethod
    def from_label(cls, label: str) -> PairStatus | None:
        wanted = normalise_text(label).casefold()
        return next((status for status in cls if wanted in (status.value, ENGLISH[status])), None)


ENGLISH = {
    PairStatus.PROPOSED: "proposed",
    PairStatus.UNMATCHED: "unmatched",
    PairStatus.APPROVED: "approved",
    PairStatus.REJECTED: "rejected",
    PairStatus.CONFIRMED: "confirmed",
    PairStatus.ENDED: "ended",
    PairStatus.CHANGE_REQUESTED: "change requested",
    PairStatus.NO_PAIR: "no pair",
}
TOOL_OWNED = {PairStatus.PROPOSED, PairStatus.UNMATCHED}
HOLDS_THE_PAIR = {PairStatus.APPROVED, PairStatus.CONFIRMED}
SEPARATED = {PairStatus.REJECTED, PairStatus.ENDED, PairStatus.CHANGE_REQUESTED}

PAIRS_TAB = "Paarid"
MENTEE, MENTEE_EMAIL, MENTOR, MENTOR_EMAIL = "Mentee", "Mentee e-post", "Mentor", "Mentori e-post"
POINTS, REASONS, ALTERNATIVES, STATUS = "Punktid", "Põhjendus", "Teised sobivad mentorid", "Staatus"
NOTE, FREES_MENTOR, CONFIRMED_ON, AGREEMENT = "Kolleegiumi märkus", "Mentori koht vabaneb", "Kinnitatud", "Koostöökokkulepe"
RENAMED = {"Alternatiivid": ALTERNATIVES, "Leping": AGREEMENT}  # earlier titles of these columns: a tab written by an earlier version reads the same
TRAINING = "Mentori koolitus"  # S3.4, from the Attendance tabs; rewritten on every run
PAIRS_COLUMNS = [MENTEE, MENTEE_EMAIL, MENTOR, MENTOR_EMAIL, POINTS, REASONS, ALTERNATIVES, STATUS, TRAINING, NOTE, FREES_MENTOR, CONFIRMED_ON, AGREEMENT]


@dataclass
class PairRow:
    number: int  # the row a spreadsheet shows; the header is row 1
    cells: dict[str, str]
    status: PairStatus | None
    mentee_email: str
    mentor_email: str
    problem: str = ""  # why the tool does not act on this row

    @property
    def key(self) -> tuple[str, str]:
        return self.mentee_email, self.mentor_email

    def start(self, relationships_start: date) -> date:
        """When the pair's relationship began: the day it was confirmed, or the relationships' first day if later."""
        try:
            return max(relationships_start, date.fromisoformat(self.cells.get(CONFIRMED_ON, "")))
        except ValueError:
            return relationships_start

    @property
    def keeps_mentor_place(self) -> bool:
        """An ended pair frees the mentor's place unless the coordinators wrote "ei"."""
        return normalise_text(self.cells.get(FREES_MENTOR, "")).casefold() in ("ei", "no")


@dataclass
class PairsTab:
    rows: list[PairRow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [row.problem for row in self.rows if row.problem]

    @classmethod
    def read(
        cls, rows: Sequence[Sequence[str]], *, mentees: Mapping[str, str] | None, mentors: Mapping[str, str] | None
    ) -> PairsTab:
        """`mentees` and `mentors`: the eligible people, email -> name, to check approved pairs against (None: unchecked)."""
        tab = cls()
        if not rows:
            return tab
        header = [RENAMED.get(normalise_text(title), normalise_text(title)) for title in rows[0]]
        tab.extra_columns = [title for title in header if title and title not in PAIRS_COLUMNS]
        for number, values in enumerate(rows[1:], start=2):
            if not any(value.strip() for value in values):
                continue
            cells = {title: (values[i] if i < len(values) else "") for i, title in enumerate(header) if title}
            raw_status = cells.get(STATUS, "").strip()
            status = PairStatus.from_label(raw_status) if raw_status else PairStatus.PROPOSED
            mentee = normalise_email(cells.get(MENTEE_EMAIL, "")) or normalise_text(cells.get(MENTEE_EMAIL, "")).lower()
            mentor = normalise_email(cells.get(MENTOR_EMAIL, "")) or normalise_text(cells.get(MENTOR_EMAIL, "")).lower()
            row = PairRow(number, cells, status, mentee, mentor)
            where = f"Paarid, rida {number}"
            if status is None:
                choices = ", ".join(f"„{s.value}“" for s in PairStatus if s not in TOOL_OWNED or s is PairStatus.PROPOSED)
                row.problem = f"{where}: staatus „{raw_status}“ on tundmatu; kasuta: {choices}. Rida jäeti alles ja selle paari kohta ei tehtud midagi"
            elif status in HOLDS_THE_PAIR and mentees is not None and mentors is not None:
                if mentee not in mentees:
                    row.problem = f"{where}: mentee „{cells.get(MENTEE_EMAIL, '')}“ pole sobivate menteede seas; paari ei kinnitata, kuni see on parandatud"
                elif mentor not in mentors:
                    row.problem = f"{where}: mentor „{cells.get(MENTOR_EMAIL, '')}“ pole sobivate mentorite seas; paari ei kinnitata, kuni see on parandatud"
            tab.rows.append(row)
        return tab

    def committee_rows(self) -> list[PairRow]:
        return [row for row in self.rows if row.status not in TOOL_OWNED]

    def fixed_pairs(self) -> list[tuple[str, str]]:
        """Pairs that stay as they are; an unreadable status holds both people until it is fixed."""
        fixed = [row.key for row in self.rows if row.status in HOLDS_THE_PAIR or row.status is None]
        # A place an ended pair keeps blocked counts against the mentor, with nobody in it.
        fixed += [("", row.mentor_email) for row in self.rows if row.status in SEPARATED - {PairStatus.REJECTED} and row.keeps_mentor_place]
        return fixed

    def never_pairs(self) -> set[tuple[str, str]]:
        return {row.key for row in self.rows if row.status in SEPARATED}

    def without_pair(self) -> list[PairRow]:
        """Mentees the committee decided stay without a pair this year."""
        return [row for row in self.rows if row.status is PairStatus.NO_PAIR and row.mentee_email]

    def awaiting_confirmation(self) -> bool:
        return any(row.status is PairStatus.APPROVED for row in self.rows)

    def to_confirm(self) -> list[PairRow]:
        return [row for row in self.rows if row.status is PairStatus.APPROVED and not row.problem]

    def render(self, result: MatchingResult | None = None, training: Mapping[str, str] | None = None) -> list[list[str]]:
        """The whole tab: the committee's rows as they are, then the new proposals and the unmatched.

        Without `result` every row stays. `training`: each mentor's training (S3.4), written into its column on every row.
        """
        keep = self.committee_rows() if result is not None else self.rows
        by_row = {row.number: row for row in self.rows}

        def kept(row: PairRow) -> dict[str, str]:
            cells = {column: row.cells[column] for column in row.cells if column in PAIRS_COLUMNS}
            if training is not None and row.mentor_email:
                cells[TRAINING] = training.get(row.mentor_email, "")
            return cells

        fresh: list[tuple[str, dict[str, str]]] = [(f"row{row.number}", kept(row)) for row in keep]
        for proposal in sorted(result.proposals if result else [], key=lambda p: p.mentee.name):
            alternatives = "; ".join(f"{mentor.name} <{mentor.email}> ({points} p)" for mentor, points in proposal.alternatives)
            fresh.append((f"proposal/{proposal.mentee.email}", {
                MENTEE: proposal.mentee.name,
                MENTEE_EMAIL: proposal.mentee.email,
                MENTOR: proposal.mentor.name,
                MENTOR_EMAIL: proposal.mentor.email,
                POINTS: str(proposal.points),
                REASONS: "; ".join(proposal.reasons),
                ALTERNATIVES: alternatives,
                STATUS: PairStatus.PROPOSED.value,
                TRAINING: (training or {}).get(proposal.mentor.email, ""),
            }))
        for unmatched in sorted(result.unmatched if result else [], key=lambda u: u.mentee.name):
            fresh.append((f"unmatched/{unmatched.mentee.email}", {
                MENTEE: unmatched.mentee.name, MENTEE_EMAIL: unmatched.mentee.email, REASONS: unmatched.reason, STATUS: PairStatus.UNMATCHED.value,
            }))
        # A row's cells the tool does not compute (a committee's note, a column they added) come from the row itself.
        existing = [PAIRS_COLUMNS + self.extra_columns] + [
            [by_row[number].cells.get(column, "") for column in PAIRS_COLUMNS + self.extra_columns] for number in sorted(by_row)
        ]
        numbered = {index + 2: number for index, number in enumerate(sorted(by_row))}
        return merge_tab(existing, columns=PAIRS_COLUMNS, key=lambda index, row: f"row{numbered[index]}", fresh=fresh, leftover=lambda key, row: None)

    def mark(self, row: PairRow, cells: Mapping[str, str]) -> None:
        row.cells.update(cells)
        if STATUS in cells:
            row.status = PairStatus.from_label(cells[STATUS])
