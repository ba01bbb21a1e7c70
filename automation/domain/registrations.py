"""Registrations: from form rows to assessed registrations (S2.4, S3, S4, S5.1).

    table = ResponseTable(header, rows)
    registrations = parse_responses(Role.MENTOR, table, questions, yes_answers, "et")
    assessments = assess_all(registrations, members, rules)

Nothing here drops a row: a row that cannot be read becomes a registration
with its problems listed, and its status is "needs clarification".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from email_validator import EmailNotValidError, validate_email


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"

    @property
    def label_et(self) -> str:
        return {"mentor": "mentor", "mentee": "mentee"}[self.value]


class Status(Enum):
    ELIGIBLE = "sobib"
    NEEDS_CLARIFICATION = "vajab täpsustamist"
    NOT_ELIGIBLE = "ei sobi"

    @classmethod
    def from_label(cls, label: str) -> Status | None:
        wanted = normalise_text(label).casefold()
        return next((status for status in cls if status.value == wanted), None)


class Kind(Enum):
    TEXT = "text"
    EMAIL = "email"
    INTEGER = "integer"
    YEAR = "year"
    YES_NO = "yes/no"
    CHOICES = "choices"
    LANGUAGE = "language"


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    label: str
    required: bool = False  # the config must map a question to it
    must_answer: bool | None = None  # defaults to `required`

    @property
    def answer_required(self) -> bool:
        return self.required if self.must_answer is None else self.must_answer


_COMMON_FIELDS = {
    "email": FieldSpec(Kind.EMAIL, "e-posti aadress", required=True),
    "name": FieldSpec(Kind.TEXT, "nimi", required=True),
    "phone": FieldSpec(Kind.TEXT, "telefon"),
    "workplace": FieldSpec(Kind.TEXT, "töökoht", required=True),
    "region": FieldSpec(Kind.TEXT, "piirkond"),
    "language": FieldSpec(Kind.LANGUAGE, "suhtluskeel"),
    "sector": FieldSpec(Kind.TEXT, "sektor"),
    "meeting_mode": FieldSpec(Kind.CHOICES, "kohtumise viis"),
    "languages": FieldSpec(Kind.CHOICES, "keeled"),
    "agrees_to_principles": FieldSpec(Kind.YES_NO, "nõusolek koostööpõhimõtetega", required=True),
    "facilitator_willing": FieldSpec(Kind.YES_NO, "valmisolek kovisiooni juhtida"),
    "comments": FieldSpec(Kind.TEXT, "lisainfo"),
}

FORM_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "mentor": {
        **_COMMON_FIELDS,
        "certificates": FieldSpec(Kind.CHOICES, "kutsetunnistus", required=True),
        "experience_years": FieldSpec(Kind.INTEGER, "töökogemus aastates", required=True),
        "training_year": FieldSpec(Kind.YEAR, "varasema mentorikoolituse aasta"),
        "attends_training": FieldSpec(Kind.YES_NO, "osalemine mentorite koolitusel", required=True, must_answer=False),
        "strengths": FieldSpec(Kind.CHOICES, "tugevad teemad"),
        "capacity": FieldSpec(Kind.INTEGER, "mentiide arv"),
        "motivation": FieldSpec(Kind.TEXT, "motivatsioon"),
    },
    "mentee": {
        **_COMMON_FIELDS,
        "goals": FieldSpec(Kind.TEXT, "arengueesmärgid", required=True),
        "experience_years": FieldSpec(Kind.INTEGER, "töökogemus aastates"),
        "agrees_to_fee": FieldSpec(Kind.YES_NO, "valmisolek tasuda osalustasu", required=True),
        "development_areas": FieldSpec(Kind.CHOICES, "arenguteemad"),
    },
    # Filled in by the mentee after each meeting (S2.3); read by the meetings job.
    "meeting_log": {
        "email": FieldSpec(Kind.EMAIL, "mentee e-posti aadress", required=True),
        "meeting_date": FieldSpec(Kind.TEXT, "kohtumise kuupäev", required=True),
        "meeting_mode": FieldSpec(Kind.CHOICES, "kohtumise viis"),
        "length_minutes": FieldSpec(Kind.INTEGER, "kestus minutites"),
        "topics": FieldSpec(Kind.TEXT, "teemad"),
    },
}

TIMESTAMP_HEADERS = ("timestamp", "ajatempel")
TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
)
NO_ANSWERS = ("ei", "no", "false", "ei nõustu", "i do not agree")
LANGUAGE_WORDS = {"et": ("et", "eesti", "estonian"), "en": ("en", "inglise", "english")}


@dataclass(frozen=True)
class ResponseTable:
    """A form's responses: the header row and the data rows, as the export has them."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Registration:
    role: Role
    email: str  # normalised; "" when the row has no usable address
    name: str
    language: str
    submitted_at: datetime | None
    answers: Mapping[str, object]
    row: int  # the row number a spreadsheet shows; the header is row 1
    problems: tuple[str, ...] = ()
    raw_email: str = ""

    @property
    def identified(self) -> bool:
        return bool(self.email)

    @property
    def key(self) -> str:
        """Stable per person and role; rows without an address are keyed by their row."""
        return f"{self.role}:{self.email}" if self.identified else f"{self.role}:row{self.row}"

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else ""


@dataclass(frozen=True)
class Member:
    email: str
    name: str
    paid_until: int | None


@dataclass(frozen=True)
class EligibilityRules:
    certificates: tuple[str, ...]
    min_experience_years: int
    min_goal_characters: int
    fee_year: int
    programme_start_year: int


@dataclass(frozen=True)
class Assessment:
    registration: Registration
    status: Status
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    responses_counted: int = 1
    coordinator_decision: Status | None = None
    coordinator_note: str = ""

    @property
    def final_status(self) -> Status:
        return self.coordinator_decision or self.status


def normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


@lru_cache(maxsize=65536)  # the same exports are read every day; validation dominates reading them
def normalise_email(value: str) -> str | None:
    candidate = normalise_text(value).lower()
    if not candidate:
        return None
    try:
        return validate_email(candidate, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


@lru_cache(maxsize=65536)
def parse_timestamp(value: str) -> datetime | None:
    text = normalise_text(value)
    # Google's export may end with a zone abbreviation ("EET"); the order of rows is what matters.
    text = re.sub(r"\s+(GMT[+-]\d+|[A-Z]{2,5})$", "", text)
    for pattern in TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def find_timestamp_column(header: Sequence[str]) -> int | None:
    for index, title in enumerate(header):
        if normalise_text(title).casefold() in TIMESTAMP_HEADERS:
            return index
    return None


def missing_questions(header: Sequence[str], questions: Mapping[str, str]) -> list[str]:
    present = {normalise_text(title).casefold() for title in header}
    return [question for question in questions if normalise_text(question).casefold() not in present]


def parse_responses(
    role: Role,
    table: ResponseTable,
    questions: Mapping[str, str],
    yes_answers: Iterable[str],
    default_language: str,
) -> list[Registration]:
    """One Registration per data row; the caller checks `missing_questions` first."""
    columns = {normalise_text(title).casefold(): index for index, title in enumerate(table.header)}
    field_columns = {field: columns[normalise_text(q).casefold()] for q, field in questions.items() if normalise_text(q).casefold() in columns}
    question_of = {field: question for question, field in questions.items()}
    timestamp_column = find_timestamp_column(table.header)
    yes = tuple(answer.casefold() for answer in yes_answers)
    specs = FORM_FIELDS[role.value]
    registrations = []
    for offset, row in enumerate(table.rows):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(table.header) - len(row))
        problems: list[str] = []
        answers: dict[str, object] = {}
        for field_name, column in field_columns.items():
            raw = cells[column]
            value, problem = _parse_answer(specs[field_name], raw, yes)
            if problem:
                problems.append(f"küsimus „{question_of[field_name]}“: {problem}")
            elif value in (None, "", []) and specs[field_name].answer_required:
                problems.append(f"küsimus „{question_of[field_name]}“ on vastamata")
            answers[field_name] = value
        submitted_at = None
        if timestamp_column is not None and cells[timestamp_column].strip():
            submitted_at = parse_timestamp(cells[timestamp_column])
            if submitted_at is None:
                problems.append(f"vastuse aeg on loetamatu: „{cells[timestamp_column].strip()}“")
        raw_email = normalise_text(cells[field_columns["email"]]) if "email" in field_columns else ""
        email = answers.get("email") or ""
        if raw_email and not email:
            problems = [p for p in problems if "e-posti" not in p]
        language = answers.get("language") or default_language
        registrations.append(
            Registration(
                role=role,
                email=str(email),
                name=str(answers.get("name") or ""),
                language=str(language),
                submitted_at=submitted_at,
                answers=answers,
                row=offset + 2,
                problems=tuple(problems),
                raw_email=raw_email,
            )
        )
    return registrations


def _parse_answer(spec: FieldSpec, raw: str, yes: tuple[str, ...]) -> tuple[object, str]:
    text = normalise_text(raw)
    if not text:
        return (None if spec.kind in (Kind.INTEGER, Kind.YEAR, Kind.YES_NO, Kind.LANGUAGE) else ""), ""
    match spec.kind:
        case Kind.TEXT:
            return text, ""
        case Kind.EMAIL:
            email = normalise_email(text)
            return (email, "") if email else ("", f"vigane e-posti aadress „{text}“")
        case Kind.INTEGER:
            found = re.match(r"\s*(\d+)", text)
            return (int(found.group(1)), "") if found else (None, f"ei ole arv: „{text}“")
        case Kind.YEAR:
            found = re.search(r"\b(19|20)\d\d\b", text)
            return (int(found.group(0)), "") if found else (None, f"ei ole aastaarv: „{text}“")
        case Kind.YES_NO:
            folded = text.casefold()
            if folded.startswith(yes):
                return True, ""
            if folded.startswith(NO_ANSWERS):
                return False, ""
            return None, f"vastus on ebaselge: „{text}“"
        case Kind.CHOICES:
            return [normalise_text(item) for item in text.split(", ") if normalise_text(item)], ""
        case Kind.LANGUAGE:
            folded = text.casefold()
            for code, words in LANGUAGE_WORDS.items():
                if folded.startswith(words):
                    return code, ""
            return None, f"tundmatu keel „{text}“, kasutan vaikekeelt"
    raise AssertionError(spec.kind)


def latest_per_person(registrations: Iterable[Registration]) -> list[tuple[Registration, int]]:
    """Keep the latest response of each person and role, with how many responses they sent.

    Latest is by the response time, then by row; a row whose time is unreadable
    counts as older than any readable one. Rows without an address are all kept.
    """
    groups: dict[str, list[Registration]] = defaultdict(list)
    for registration in registrations:
        groups[registration.key].append(registration)
    kept = []
    for group in groups.values():
        latest = max(group, key=lambda r: (r.submitted_at or datetime.min, r.row))
        kept.append((latest, len(group)))
    role_order = list(Role)
    return sorted(kept, key=lambda pair: (role_order.index(pair[0].role), pair[0].row))


def assess(registration: Registration, members: Mapping[str, Member], rules: EligibilityRules) -> Assessment:
    """Eligibility of one registration against S3 (mentor) or S4 (mentee)."""
    clarify: list[str] = list(registration.problems)
    refuse: list[str] = []
    notes: list[str] = []
    answers = registration.answers

    if not registration.identified:
        shown = f" („{registration.raw_email}“)" if registration.raw_email else ""
        clarify.insert(0, f"e-posti aadress puudub või on vigane{shown}; kinnitust ei saadetud")
    else:
        _check_membership(registration, members, rules, clarify)

    if answers.get("agrees_to_principles") is False:
        refuse.append("ei nõustu koostööpõhimõtetega (" + ("S3.1" if registration.role is Role.MENTOR else "S4.6") + ")")

    if registration.role is Role.MENTOR:
        _check_mentor(answers, rules, clarify, refuse, notes)
    else:
        _check_mentee(answers, rules, clarify, refuse)

    if refuse:
        status = Status.NOT_ELIGIBLE
    elif clarify:
        status = Status.NEEDS_CLARIFICATION
    else:
        status = Status.ELIGIBLE
    return Assessment(registration, status, tuple(refuse + clarify), tuple(notes))


def _check_membership(registration: Registration, members: Mapping[str, Member], rules: EligibilityRules, clarify: list[str]) -> None:
    rule = "S3.5" if registration.role is Role.MENTOR else "S4.4"
    member = members.get(registration.email)
    if member is None:
        clarify.append(f"ei leitud liikmeregistrist ({rule})")
    elif member.paid_until is None or member.paid_until < rules.fee_year:
        clarify.append(f"liikmemaks {rules.fee_year}. aasta eest tasumata ({rule})")


def _check_mentor(answers: Mapping[str, object], rules: EligibilityRules, clarify: list[str], refuse: list[str], notes: list[str]) -> None:
    certificates = {str(item).casefold() for item in answers.get("certificates") or []}
    listed = {item.casefold() for item in rules.certificates}
    if not certificates & listed:
        clarify.append("kutsetunnistus loetletud kutsealadel puudub (S3.2: üldjuhul nõutav)")
    years = answers.get("experience_years")
    if isinstance(years, int) and years < rules.min_experience_years:
        refuse.append(f"töökogemus karjäärispetsialistina {years} a, nõutav vähemalt {rules.min_experience_years} a (S3.3)")
    training_year = answers.get("training_year")
    attends = answers.get("attends_training")
    if isinstance(training_year, int) and training_year < rules.programme_start_year:
        notes.append(f"mentorite koolitus läbitud {training_year}, tänavune koolitus valikuline (S3.4)")
    elif attends is True:
        notes.append("osaleb tänavusel mentorite koolitusel (S3.4)")
    elif attends is False:
        refuse.append("ei osale mentorite koolitusel ega ole seda varem läbinud (S3.4)")
    else:
        clarify.append("pole selge, kas osaleb mentorite koolitusel (S3.4)")


def _check_mentee(answers: Mapping[str, object], rules: EligibilityRules, clarify: list[str], refuse: list[str]) -> None:
    goals = str(answers.get("goals") or "")
    if goals and len(goals) < rules.min_goal_characters:
        clarify.append("arengueesmärgid on kirjeldatud liiga lühidalt (S4.3)")
    fee = answers.get("agrees_to_fee")
    if fee is False:
        refuse.append("ei ole valmis tasuma osalustasu (S4.5)")


def assess_all(
    registrations: Iterable[Registration], members: Mapping[str, Member], rules: EligibilityRules
) -> list[Assessment]:
    """Latest response per person and role, each assessed; people in both roles are noted."""
    kept = latest_per_person(registrations)
    roles_of: dict[str, set[Role]] = defaultdict(set)
    for registration, _ in kept:
        if registration.identified:
            roles_of[registration.email].add(registration.role)
    assessments = []
    for registration, count in kept:
        assessment = assess(registration, members, rules)
        notes = list(assessment.notes)
        if count > 1:
            notes.append(f"{count} vastust, arvestatud viimast (rida {registration.row})")
        if len(roles_of.get(registration.email, ())) > 1:
            other = Role.MENTEE if registration.role is Role.MENTOR else Role.MENTOR
            notes.append(f"registreerus ka {other.label_et}ks")
        assessments.append(
            Assessment(registration, assessment.status, assessment.reasons, tuple(notes), responses_counted=count)
        )
    return assessments
