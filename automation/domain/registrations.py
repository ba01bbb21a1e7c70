"""Registrations: from form rows to assessed registrations (S2.4, S3, S4, S5.1).

    table = ResponseTable(header, rows)
    registrations = parse_responses(Role.MENTOR, table, FormMapping(questions, answers), default_language="et",
                                    timezone="Europe/Tallinn", this_year=2026)
    assessments = assess_all(registrations, members, rules)

Answers are read the way people write them (`domain.answers`); a form's own
wording is mapped in the config, per question and answer, to field values.
Nothing here drops a row and nothing a cell holds can raise out of it: a row
that cannot be read becomes a registration with its problems listed. A status
comes only from the programme's rules (S3 for mentors, S4 for mentees, the
members register); each reason says the rule in words and quotes the answer.
"""

from __future__ import annotations

import fnmatch
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Mapping, Sequence

from email_validator import EmailNotValidError, validate_email

from automation.domain.answers import Years, quote, read_languages, read_timestamp, read_yes_no, read_years, tidy
from automation.domain.cells import blank

logger = logging.getLogger(__name__)


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
    YEARS = "years"  # a number of years, as people write it
    COUNT = "count"  # a small whole number (mentees, minutes)
    YEAR = "year"  # a calendar year ("Jah, 2020")
    YES_NO = "yes/no"
    CHOICES = "choices"
    LANGUAGE = "language"  # the language to write to the person in: et or en
    LANGUAGES = "languages"  # the languages the person can meet in


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    label: str
    required: bool = False  # the config must map a question (or an answer) to it
    meaning: str = ""  # what the field is for, for the example config and `check`


_COMMON_FIELDS = {
    "email": FieldSpec(Kind.EMAIL, "e-posti aadress", required=True, meaning="the address the person is written to"),
    "name": FieldSpec(Kind.TEXT, "nimi", required=True, meaning="first and last name"),
    "phone": FieldSpec(Kind.TEXT, "telefon"),
    "workplace": FieldSpec(Kind.TEXT, "töökoht", required=True, meaning="no pair is formed inside one workplace"),
    "region": FieldSpec(Kind.TEXT, "piirkond", meaning="matching: the same region when meeting in person"),
    "language": FieldSpec(Kind.LANGUAGE, "suhtluskeel", meaning="the language emails are written in (et or en; any other: the default)"),
    "sector": FieldSpec(Kind.TEXT, "sektor"),
    "meeting_mode": FieldSpec(Kind.CHOICES, "kohtumise viis", meaning="in person and/or by video"),
    "languages": FieldSpec(Kind.LANGUAGES, "keeled", meaning="languages the person can meet in (matching)"),
    "agrees_to_principles": FieldSpec(Kind.YES_NO, "nõusolek koostööpõhimõtetega", required=True, meaning="agrees to the programme's cooperation principles"),
    "facilitator_willing": FieldSpec(Kind.YES_NO, "valmisolek kovisiooni juhtida"),
    "comments": FieldSpec(Kind.TEXT, "lisainfo"),
}

FORM_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "mentor": {
        **_COMMON_FIELDS,
        "certificates": FieldSpec(Kind.CHOICES, "kutsetunnistus", meaning="the certificates held; one in a profession of eligibility.mentor_certificates qualifies"),
        "has_certificate": FieldSpec(Kind.YES_NO, "kutsetunnistus olemas", meaning="holds such a certificate, as a yes/no answer"),
        "experience_years": FieldSpec(Kind.YEARS, "töökogemus aastates", required=True, meaning="years of work as a career specialist"),
        "training_year": FieldSpec(Kind.YEAR, "varasema mentorikoolituse aasta", meaning="the year of an earlier mentor training (this year's training is then optional)"),
        "trained_before": FieldSpec(Kind.YES_NO, "läbinud mentorite koolituse varem", meaning="completed the association's mentor training in an earlier year"),
        "attends_training": FieldSpec(Kind.YES_NO, "osalemine mentorite koolitusel", meaning="attends this year's mentor training"),
        "strengths": FieldSpec(Kind.CHOICES, "tugevad teemad"),
        "capacity": FieldSpec(Kind.COUNT, "mentiide arv"),
        "motivation": FieldSpec(Kind.TEXT, "motivatsioon"),
    },
    "mentee": {
        **_COMMON_FIELDS,
        "goals": FieldSpec(Kind.TEXT, "arengueesmärgid", required=True, meaning="professional development goals"),
        "experience_years": FieldSpec(Kind.YEARS, "töökogemus aastates", meaning="for matching only: never a reason to question a mentee"),
        "agrees_to_fee": FieldSpec(Kind.YES_NO, "valmisolek tasuda osalustasu", required=True, meaning="ready to pay the programme's participation fee"),
        "development_areas": FieldSpec(Kind.CHOICES, "arenguteemad"),
    },
    # Filled in by the mentee after each meeting (S2.3); read by the meetings job.
    "meeting_log": {
        "email": FieldSpec(Kind.EMAIL, "mentee e-posti aadress", required=True),
        "meeting_date": FieldSpec(Kind.TEXT, "kohtumise kuupäev", required=True),
        "meeting_mode": FieldSpec(Kind.CHOICES, "kohtumise viis"),
        "length_minutes": FieldSpec(Kind.COUNT, "kestus minutites"),
        "topics": FieldSpec(Kind.TEXT, "teemad"),
    },
}
# Fields of which the config must map at least one: S3.2 (a certificate) and S3.4 (the training) for mentors.
REQUIRED_ONE_OF = {"mentor": (("certificates", "has_certificate"), ("training_year", "trained_before", "attends_training"))}
TIMESTAMP_HEADERS = ("timestamp", "ajatempel", "aeg", "время")
FROM_ANSWER = "*"  # in an answer mapping: read this field from the answer itself ("Jah, 2020" -> 2020)


@dataclass(frozen=True)
class ResponseTable:
    """A form's responses: the header row and the data rows, as the export has them."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class FormMapping:
    """How a form's questions and answers fill the fields: `questions` title -> field; `answers` title -> pattern -> values."""

    questions: Mapping[str, str]
    answers: Mapping[str, Mapping[str, Mapping[str, object]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unread:
    question: str
    answer: str


@dataclass(frozen=True)
class Registration:
    role: Role
    email: str  # normalised; "" when the row has no usable address
    name: str
    language: str
    submitted_at: datetime | None
    answers: Mapping[str, object]
    row: int  # the row number a spreadsheet shows; the header is row 1
    problems: tuple[str, ...] = ()  # what makes the row need clarifying whatever the rules say (no usable address)
    raw_email: str = ""
    unread: Mapping[str, Unread] = field(default_factory=dict)  # field -> the answer that could not be read
    notes: tuple[str, ...] = ()  # worth knowing, never a reason (an unreadable response time)

    @property
    def identified(self) -> bool:
        return bool(self.email)

    @cached_property  # asked of every registration by every job on every run
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


_EMAIL_CHARACTERS = re.compile(r"[A-Za-z0-9.!#$%&'*+/^_`{|}~@-]+")


@lru_cache(maxsize=65536)  # the same exports are read every day; validation dominates reading them
def check_email(value: str) -> tuple[str | None, str]:
    """A plain address to write to, or None and why not (in Estonian, the answer quoted).

    Only an address alone: no display name, no quoted local part, no encoded word, no comment;
    a domain in another script is written the way mail servers take it (punycode); a local part
    with letters beyond ASCII is refused, since few servers deliver it.
    """
    candidate = tidy(value)[:320].lower()
    if not candidate:
        return None, ""
    shown = quote(candidate)
    if "=?" in candidate or any(ch in candidate for ch in ' "<>(),;:[]\\'):
        return None, f"e-posti aadress on vigane ({shown})"
    local = candidate.rsplit("@", 1)[0]
    if not local.isascii():
        return None, f"aadressis on täpitähed ({shown}): palun kontrolli, kas see on õige"
    try:
        checked = validate_email(candidate, check_deliverability=False, allow_quoted_local=False, allow_display_name=False)
    except EmailNotValidError:
        return None, f"e-posti aadress on vigane ({shown})"
    address = (checked.ascii_email or checked.normalized).lower()
    if not _EMAIL_CHARACTERS.fullmatch(address):
        return None, f"e-posti aadress on vigane ({shown})"
    return address, ""


def normalise_email(value: str) -> str | None:
    return check_email(value)[0]


def find_timestamp_column(header: Sequence[str]) -> int | None:
    for index, title in enumerate(header):
        if normalise_text(title).casefold() in TIMESTAMP_HEADERS:
            return index
    return None


def missing_questions(header: Sequence[str], questions: Mapping[str, str]) -> list[str]:
    present = {normalise_text(title).casefold() for title in header}
    return [question for question in questions if normalise_text(question).casefold() not in present]


def _matches(pattern: str, answer: str) -> bool:
    folded, wanted = answer.casefold(), normalise_text(pattern).casefold()
    return fnmatch.fnmatchcase(folded, wanted) if "*" in wanted or "?" in wanted else folded == wanted


def mapped_values(mapping: Mapping[str, Mapping[str, object]], answer: str) -> Mapping[str, object] | None:
    """The values the config gives this answer (the first pattern it matches), or None."""
    return next((values for pattern, values in mapping.items() if _matches(pattern, answer)), None)


def read_value(kind: Kind, text: str, *, this_year: int) -> tuple[object, bool]:
    """An answer as the field's kind; (value, read). Empty is (None, True): unanswered, not unreadable."""
    if not text:
        return ([] if kind in (Kind.CHOICES, Kind.LANGUAGES) else None), True
    match kind:
        case Kind.TEXT:
            return text, True
        case Kind.EMAIL:
            email = normalise_email(text)
            return email, email is not None
        case Kind.YEARS:
            years = read_years(text, this_year=this_year)
            return years, years is not None
        case Kind.COUNT:
            found = re.fullmatch(r"\D{0,20}?(\d{1,3})\b.{0,40}", text, flags=re.ASCII)
            return (int(found.group(1)), True) if found else (None, False)
        case Kind.YEAR:
            found = re.search(r"\b(19|20)\d\d\b", text[:200], flags=re.ASCII)
            return (int(found.group(0)), True) if found else (None, False)
        case Kind.YES_NO:
            value = read_yes_no(text)
            return value, value is not None
        case Kind.CHOICES:
            return [item for item in (normalise_text(part) for part in re.split(r",\s+|;\s*", text[:2000])) if item], True
        case Kind.LANGUAGE | Kind.LANGUAGES:
            codes = read_languages(text)
            return codes, bool(codes)
    raise AssertionError(kind)


def _given(kind: Kind, value: object, text: str, *, this_year: int) -> tuple[object, bool]:
    """A value an answer mapping gives a field: as the config wrote it, or read from the answer ("*")."""
    if value == FROM_ANSWER:
        return read_value(kind, text, this_year=this_year)
    if kind is Kind.YEARS and isinstance(value, int | float):
        return Years(float(value), float(value)), True
    if kind in (Kind.CHOICES, Kind.LANGUAGES):
        return (list(value) if isinstance(value, list | tuple) else [str(value)]), True
    if kind is Kind.LANGUAGE:
        return read_languages(str(value)), True
    return value, True


def parse_responses(role: Role, table: ResponseTable, mapping: FormMapping, *, default_language: str, timezone: str,
                    this_year: int) -> list[Registration]:
    """One Registration per non-empty row; the caller checks `missing_questions` first. Never raises on what a cell holds."""
    parsed = (parse_response(role, table.header, row, offset + 2, mapping, default_language=default_language, timezone=timezone,
                             this_year=this_year) for offset, row in enumerate(table.rows))
    return [registration for registration in parsed if registration is not None]


def parse_response(role: Role, header: Sequence[str], row: Sequence[str], number: int, mapping: FormMapping, *, default_language: str,
                   timezone: str, this_year: int) -> Registration | None:
    """The export's row `number` (the header is row 1); None for an empty row. Each row stands alone: the same row
    under the same header and mapping always reads the same."""
    if blank(row):
        return None
    try:
        return _parse_row(role, header, row, number, mapping, default_language, timezone, this_year)
    except Exception as error:  # noqa: BLE001 - one row, whatever it holds, never stops the others
        logger.warning("row %s of the %s form could not be read: %s", number, role.value, type(error).__name__)
        return Registration(role, "", "", default_language, None, {}, number, problems=("rida ei õnnestunud lugeda; palun vaata see vormis üle",))


def _parse_row(role: Role, header: Sequence[str], row: Sequence[str], number: int, mapping: FormMapping,
               default_language: str, timezone: str, this_year: int) -> Registration:
    columns = {normalise_text(title).casefold(): index for index, title in enumerate(header)}
    specs = FORM_FIELDS[role.value]
    answers: dict[str, object] = {}
    unread: dict[str, Unread] = {}
    raw: dict[str, str] = {}
    for question, field_name in mapping.questions.items():
        index = columns.get(normalise_text(question).casefold())
        text = tidy(str(row[index])) if index is not None and index < len(row) else ""
        by_answer = mapping.answers.get(question)
        given = mapped_values(by_answer, text) if by_answer and text else None
        targets = dict(given) if given is not None else {field_name: FROM_ANSWER}
        # An answer the mapping already gave a meaning to is understood, even if a "*" in it finds nothing more ("Jah" without a year).
        settled = given is not None and any(value != FROM_ANSWER for value in targets.values())
        for target, value in targets.items():
            spec = specs.get(target)
            if spec is None:
                continue
            parsed, read = _given(spec.kind, value, text, this_year=this_year)
            if not read and not settled and spec.kind is not Kind.EMAIL:  # an address that cannot be used is the row's problem
                unread[target] = Unread(question, text)
            if target not in answers or answers[target] in (None, [], ""):
                answers[target] = parsed
                raw[target] = text
    problems: list[str] = []
    notes: list[str] = []
    raw_email = raw.get("email", "")
    email = answers.get("email") or ""
    if raw_email and not email:
        problems.append(check_email(raw_email)[1] or f"e-posti aadress on vigane ({quote(raw_email)})")
    timestamp_column = find_timestamp_column(header)
    submitted_at = None
    if timestamp_column is not None and timestamp_column < len(row) and str(row[timestamp_column]).strip():
        submitted_at = read_timestamp(str(row[timestamp_column]), timezone)
        if submitted_at is None:
            notes.append(f"vastuse aega ei õnnestunud lugeda ({quote(str(row[timestamp_column]))})")
    languages = answers.get("language") or ()
    language = next((code for code in languages if code in ("et", "en")), default_language)
    if answers.get("experience_years") is not None:
        answers["experience_answer"] = raw.get("experience_years", "")
    return Registration(
        role=role,
        email=str(email),
        name=str(answers.get("name") or "")[:200],
        language=language,
        submitted_at=submitted_at,
        answers=answers,
        row=number,
        problems=tuple(problems),
        raw_email=raw_email[:320],
        unread=unread,
        notes=tuple(notes),
    )


def _when(registration: Registration) -> tuple:
    moment = registration.submitted_at
    return (moment is not None, moment.timestamp() if moment is not None else 0.0, registration.row)


def latest_per_person(registrations: Iterable[Registration]) -> list[tuple[Registration, int]]:
    """Keep the latest response of each person and role, with how many responses they sent.

    Latest is by the response time, then by row; a row whose time is unreadable
    counts as older than any readable one. Rows without an address are all kept.
    """
    groups: dict[str, list[Registration]] = defaultdict(list)
    for registration in registrations:
        groups[registration.key].append(registration)
    kept = [(max(group, key=_when), len(group)) for group in groups.values()]
    role_order = list(Role)
    return sorted(kept, key=lambda pair: (role_order.index(pair[0].role), pair[0].row))


def _agreement(registration: Registration, field: str, refuse: list[str], clarify: list[str], *, no: str, unclear: str) -> None:
    """A yes/no the programme requires: "no" refuses, an answer not read as either asks the coordinators, quoting it."""
    agreed = registration.answers.get(field)
    if agreed is False:
        refuse.append(no)
    elif agreed is None:
        clarify.append(f"{unclear} ({_answer(registration, field) or 'vastamata'})")


def _answer(registration: Registration, field_name: str) -> str:
    unread = registration.unread.get(field_name)
    return quote(unread.answer) if unread else ""


def assess(registration: Registration, members: Mapping[str, Member], rules: EligibilityRules) -> Assessment:
    """Eligibility of one registration against S3 (mentor) or S4 (mentee) and the members register."""
    clarify: list[str] = list(registration.problems)
    refuse: list[str] = []
    notes: list[str] = list(registration.notes)

    if not registration.identified:
        if not registration.problems:
            clarify.insert(0, "e-posti aadress puudub; kinnitust ei saadetud")
        else:
            clarify[0] += "; kinnitust ei saadetud"
    else:
        _check_membership(registration, members, rules, clarify)

    _agreement(registration, "agrees_to_principles", refuse, clarify,
               no="ei nõustu programmi koostööpõhimõtetega", unclear="pole selge, kas nõustub programmi koostööpõhimõtetega")

    if registration.role is Role.MENTOR:
        _check_mentor(registration, rules, clarify, refuse, notes)
    else:
        _check_mentee(registration, rules, clarify, refuse, notes)
    if not registration.name:
        notes.append("nimi puudub")

    if refuse:
        status = Status.NOT_ELIGIBLE
    elif clarify:
        status = Status.NEEDS_CLARIFICATION
    else:
        status = Status.ELIGIBLE
    return Assessment(registration, status, tuple(refuse + clarify), tuple(notes))


def _check_membership(registration: Registration, members: Mapping[str, Member], rules: EligibilityRules, clarify: list[str]) -> None:
    member = members.get(registration.email)
    if member is None:
        clarify.append("ei leitud liikmeregistrist (osaleda saavad ühingu liikmed)")
    elif member.paid_until is None or member.paid_until < rules.fee_year:
        clarify.append(f"liikmemaks {rules.fee_year}. aasta eest on tasumata")


def trained_earlier(registration: Registration, programme_start_year: int) -> str:
    """How the mentor says they completed the training in an earlier year: "2024", "varem", or "" when they did not."""
    year = registration.answers.get("training_year")
    if isinstance(year, int) and year < programme_start_year:
        return str(year)
    return "varem" if registration.answers.get("trained_before") is True else ""


def has_listed_certificate(answers: Sequence[object], listed: Sequence[str]) -> bool:
    """A certificate in one of the listed professions: the profession's name within the answer ("Karjäärinõustaja, tase 7")."""
    folded = [normalise_text(str(item)).casefold() for item in answers]
    wanted = [normalise_text(name).casefold() for name in listed]
    return any(name and name in item for item in folded for name in wanted)


def _check_mentor(registration: Registration, rules: EligibilityRules, clarify: list[str], refuse: list[str], notes: list[str]) -> None:
    answers = registration.answers
    certificates = answers.get("certificates") or []
    if answers.get("has_certificate") is not True and not has_listed_certificate(certificates, rules.certificates):
        shown = f" („{', '.join(str(c) for c in certificates)[:100]}“)" if certificates else ""
        clarify.append(f"kutsetunnistust mentorile sobival kutsealal ei ole märgitud{shown}; see on üldjuhul nõutav")
    minimum = rules.min_experience_years
    years = answers.get("experience_years")
    shown = quote(str(answers.get("experience_answer", "")))
    if isinstance(years, Years):
        enough = years.at_least(minimum)
        if enough is False:
            refuse.append(f"töökogemus karjäärispetsialistina {shown} on alla nõutava {minimum} aasta")
        elif enough is None:
            clarify.append(f"vastusest {shown} ei selgu, kas töökogemust karjäärispetsialistina on vähemalt {minimum} aastat")
    elif "experience_years" in registration.unread:
        clarify.append(f"töökogemust ei õnnestunud vastusest {_answer(registration, 'experience_years')} välja lugeda; "
                       f"nõutav on vähemalt {minimum} aastat")
    else:
        clarify.append(f"töökogemus on märkimata; nõutav on vähemalt {minimum} aastat karjäärispetsialistina")
    training_year = answers.get("training_year")
    attends = answers.get("attends_training")
    if isinstance(training_year, int) and training_year < rules.programme_start_year:
        notes.append(f"mentorite koolitus läbitud {training_year}, tänavune koolitus on valikuline")
    elif answers.get("trained_before") is True:
        notes.append("mentorite koolitus läbitud varem, tänavune koolitus on valikuline")
    elif attends is True:
        notes.append("osaleb tänavusel mentorite koolitusel")
    elif attends is False:
        refuse.append("ei osale tänavusel mentorite koolitusel ega ole seda varem läbinud; koolitus on mentorile kohustuslik")
    else:
        shown = _answer(registration, "attends_training") or _answer(registration, "training_year")
        clarify.append("pole selge, kas osaleb tänavusel mentorite koolitusel" + (f" ({shown})" if shown else ""))


def _check_mentee(registration: Registration, rules: EligibilityRules, clarify: list[str], refuse: list[str], notes: list[str]) -> None:
    answers = registration.answers
    goals = str(answers.get("goals") or "")
    if not goals:
        clarify.append("arengueesmärgid on kirjeldamata")
    elif len(goals) < rules.min_goal_characters:
        clarify.append(f"arengueesmärgid on kirjeldatud liiga lühidalt ({quote(goals)})")
    _agreement(registration, "agrees_to_fee", refuse, clarify,
               no="ei ole valmis tasuma programmi osalustasu", unclear="pole selge, kas on valmis tasuma osalustasu")
    if "experience_years" in registration.unread:
        notes.append(f"töökogemust ei õnnestunud lugeda ({_answer(registration, 'experience_years')})")


def assess_all(
    registrations: Iterable[Registration], members: Mapping[str, Member], rules: EligibilityRules,
    assess_one: Callable[[Registration, Mapping[str, Member], EligibilityRules], Assessment] | None = None,
) -> list[Assessment]:
    """Latest response per person and role, each assessed; people in both roles are noted.

    `assess_one` stands for `assess` where the caller keeps what it gave for the same registration before."""
    assess_one = assess_one or assess
    kept = latest_per_person(registrations)
    roles_of: dict[str, set[Role]] = defaultdict(set)
    for registration, _ in kept:
        if registration.identified:
            roles_of[registration.email].add(registration.role)
    assessments = []
    for registration, count in kept:
        assessment = assess_one(registration, members, rules)
        in_both_roles = len(roles_of.get(registration.email, ())) > 1
        if count == 1 and not in_both_roles:
            assessments.append(assessment)  # nothing to add: the very assessment, as the caller may keep it
            continue
        notes = list(assessment.notes)
        if count > 1:
            notes.append(f"{count} vastust, arvestati viimast (rida {registration.row})")
        if in_both_roles:
            other = Role.MENTEE if registration.role is Role.MENTOR else Role.MENTOR
            notes.append(f"registreerus ka {other.label_et}ks")
        assessments.append(
            Assessment(registration, assessment.status, assessment.reasons, tuple(notes), responses_counted=count)
        )
    return assessments
