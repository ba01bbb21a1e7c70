"""The programme as it stands, read once per run: every job takes it as its input and none reads another job.

    snapshot = Snapshot(config, backends, today)
    snapshot.registrations.eligible(Role.MENTOR)     # assessed, the coordinators' decisions applied
    snapshot.pairs.rows                              # the Pairs tab as the committee left it
    snapshot.meetings.days                           # each pair's meeting days, from the meeting log

Each part is read the first time a job asks for it and kept for the rest of
the run. A job that writes a tab writes through the snapshot (`wrote`), so
the jobs after it in the same run see what it wrote without reading it again.
A job declares the parts it reads; `for_job` gives it a view that refuses
any other, so the declaration stays true.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, Sequence, TypeVar

from automation.config import Config, EventConfig, Form
from automation.domain.attendance import attendance_tab, training_status
from automation.domain.matching import Person, person_from
from automation.domain.meetings import Meeting, count_per_pair, parse_meetings
from automation.domain.members import parse_members
from automation.domain.pairs import PAIRS_TAB, PairStatus, PairsTab
from automation.domain.registrations import (
    Assessment,
    EligibilityRules,
    FormMapping,
    Member,
    Registration,
    ResponseTable,
    Role,
    Status,
    assess,
    assess_all,
    missing_questions,
    parse_response,
)
from automation.domain.registrations_tab import REGISTRATIONS_TAB, RegistrationsTab, computed_row
from automation.domain.surveys import Survey, SurveySummary, load_surveys, summarise
from automation.errors import InputError, MentorlusError
from automation.memo import Memo
from automation.ports import Backends

PARTS = ("members", "registrations", "pairs", "attendance", "training", "meetings", "surveys")
# What each part is worked out from, besides itself.
FROM = {"registrations": {"members"}, "training": {"registrations", "attendance"}, "meetings": {"pairs"}, "surveys": {"registrations", "pairs"}}


def depends_on(parts: tuple[str, ...]) -> set[str]:
    """The parts these are worked out from, all the way down, and themselves."""
    found, todo = set(), list(parts)
    while todo:
        part = todo.pop()
        if part not in found:
            found.add(part)
            todo += FROM.get(part, ())
    return found


T = TypeVar("T")
HELD = (PairStatus.CONFIRMED, PairStatus.ENDED, PairStatus.CHANGE_REQUESTED)  # pairs that met, or may have


@dataclass
class Members:
    by_email: dict[str, Member]
    problems: list[str]
    error: str = ""  # the register could not be read at all
    error_et: str = ""


@dataclass
class FormReading:
    registrations: list[Registration] = field(default_factory=list)
    unreadable: dict[Role, str] = field(default_factory=dict)  # role -> why
    unreadable_et: dict[Role, str] = field(default_factory=dict)  # the same, in Estonian
    empty: list[Role] = field(default_factory=list)


@dataclass
class Registrations:
    """Every registration as it stands today, the coordinators' decisions applied."""

    assessments: list[Assessment]
    reading: FormReading
    tab: RegistrationsTab
    member_problems: list[str]
    # What is worked out from these registrations (the tab, who is who): shared by every run of the process that
    # finds the same registrations and decisions, as every day's jobs ask again. Read it, never change it.
    derived: dict[tuple, Any] = field(default_factory=dict)

    def kept(self, key: tuple, make: Callable[[], T]) -> T:
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]

    def tab_rows(self, form_titles: Mapping[str, str], unread_roles: frozenset[str]) -> list[list[str]]:
        """The Registrations tab as these registrations make it (`RegistrationsTab.render`)."""
        titles = tuple(sorted(form_titles.items()))
        return self.kept(("tab", titles, unread_roles),
                         lambda: self.tab.render(self.assessments, form_titles, unread_roles=unread_roles, computed=_computed_row))

    def eligible(self, role: Role) -> list[Assessment]:
        return [
            a for a in self.assessments
            if a.registration.role is role and a.registration.identified and a.final_status is Status.ELIGIBLE
        ]

    def people(self) -> dict[tuple[Role, str], Registration]:
        """Everyone with a usable address, by role and address."""
        return self.kept(("people",), lambda: {(a.registration.role, a.registration.email): a.registration
                                               for a in self.assessments if a.registration.identified})

    def eligible_people(self) -> tuple[dict[str, Person], dict[str, Person]]:
        """Mentees and mentors who may be paired; raises while a registration form cannot be read."""
        if self.reading.unreadable:
            raise InputError(
                "cannot form pairs while a registration form cannot be read: " + "; ".join(self.reading.unreadable.values()),
                hint="fix the form as the intake job's message says, then run `mentorlus match` again",
                message_et="paare ei saa moodustada, kui registreerimisvormi ei õnnestu lugeda: " + "; ".join(self.reading.unreadable_et.values()),
                hint_et="paranda vorm, nagu registreerimiste läbivaatuse teade ütleb, ja käivita siis uuesti `mentorlus match`",
            )
        mentees = {a.registration.email: person_from(a) for a in self.eligible(Role.MENTEE)}
        mentors = {a.registration.email: person_from(a) for a in self.eligible(Role.MENTOR)}
        return mentees, mentors


@dataclass
class Meetings:
    """Each pair's meeting days by mentee (pairs ever confirmed), and the log's rows that could not be used."""

    days: dict[str, list[date]]
    problems: list[str]
    error: str = ""  # the log could not be read at all: the meetings job fails with it, the others go on without meetings

    def count(self, mentee: str) -> int:
        return len(self.days.get(mentee, []))


@dataclass
class Surveys:
    definitions: list[Survey]
    error: str = ""
    error_et: str = ""
    responses: dict[str, ResponseTable | None] = field(default_factory=dict)


def eligibility_rules(config: Config) -> EligibilityRules:
    """The rules as the config gives them; the same object for the same rules (a run's memos go by identity)."""
    rules = EligibilityRules(
        certificates=tuple(config.eligibility.mentor_certificates),
        min_experience_years=config.eligibility.mentor_min_experience_years,
        min_goal_characters=config.eligibility.mentee_min_goal_characters,
        fee_year=config.fee_year,
        programme_start_year=config.programme.start.year,
    )
    if len(_RULES) > 16:
        _RULES.clear()
    return _RULES.setdefault(rules, rules)


_RULES: dict[EligibilityRules, EligibilityRules] = {}
_PARSED: Memo[list[Registration]] = Memo(limit=16)
_MEMBERS: dict[tuple, "Members"] = {}
_ASSESSED: Memo[list[Assessment]] = Memo(limit=16)
_DECIDED: Memo[tuple] = Memo(limit=32)  # the same, with the Registrations tab's decisions applied
_PAIRS: Memo[PairsTab] = Memo(limit=16)
_PAIR_EMAILS: Memo[frozenset[str]] = Memo(limit=64)
_ATTENDANCE: Memo[list[dict[str, str]]] = Memo(limit=64)


_ROWS: dict[tuple, dict[tuple, Registration | None]] = {}


def _parsed(role: Role, table: ResponseTable, form: Form, config: Config) -> list[Registration]:
    """Parsed once per process for the same export and mapping: the same exports are read every day of the year,
    and while registration is open each day's export is the day before's with rows added, so each row is kept
    parsed by its place and content."""
    programme = config.programme
    reading = (role, tuple(table.header), repr(form.questions), repr(form.answers), programme.default_language, programme.timezone,
               programme.start.year)

    def parse() -> list[Registration]:
        if reading not in _ROWS and len(_ROWS) > 4:
            _ROWS.clear()
        rows = _ROWS.setdefault(reading, {})
        mapping = FormMapping(form.questions, form.answers)
        parsed = []
        for offset, row in enumerate(table.rows):
            row_key = (offset, tuple(row))
            if row_key not in rows:
                rows[row_key] = parse_response(role, table.header, row, offset + 2, mapping, default_language=programme.default_language,
                                               timezone=programme.timezone, this_year=programme.start.year)
            if rows[row_key] is not None:
                parsed.append(rows[row_key])
        return parsed

    return _PARSED.get((reading, hash(tuple(map(tuple, table.rows)))), parse)


def _assess_one(registration: Registration, members: Mapping[str, Member], rules: EligibilityRules) -> Assessment:
    """`assess`, kept per registration while the register and the rules are the same objects: each day of the intake
    adds a few registrations to hundreds assessed the day before. The value keeps what the ids point at alive."""
    return _ONE_ASSESSED.for_objects((registration, members, rules), "assessed", lambda: assess(registration, members, rules))


_ONE_ASSESSED: Memo[Assessment] = Memo(limit=20_000)


def _computed_row(assessment: Assessment, form_titles: Mapping[str, str]) -> dict[str, str]:
    """`computed_row`, kept per registration while it is assessed the same way: the tab is made again on each day
    of the intake, for hundreds of registrations and a few new ones."""
    key = (assessment.status, assessment.reasons, assessment.notes, tuple(form_titles.items()))
    return _ROW_COMPUTED.for_objects((assessment.registration,), key, lambda: computed_row(assessment, form_titles))


_ROW_COMPUTED: Memo[dict[str, str]] = Memo(limit=20_000)


def _pairs_tab(rows: list[list[str]]) -> PairsTab:
    """The Pairs tab read once per process for the same rows: it changes a few times a year and is read on every run.
    The rows are looked up by what they hold only when they are not the very rows read before (a local tab unchanged)."""
    return _PAIRS.for_objects((rows,), "rows", lambda: _PAIRS.get(tuple(map(tuple, rows)), lambda: PairsTab.read(rows, mentees=None, mentors=None)))


def load_surveys_once(directory) -> list[Survey]:
    """The survey definitions, read again only when a file in their folder changed."""
    files = tuple((path.name, *_mtime_and_size(path)) for path in sorted(directory.glob("*.toml"))) if directory.is_dir() else ()
    key = (str(directory), files)
    if key not in _SURVEYS:
        _SURVEYS.clear()
        _SURVEYS[key] = load_surveys(directory)
    return _SURVEYS[key]


_SURVEYS: dict[tuple, list[Survey]] = {}


def _mtime_and_size(path) -> tuple[int, int]:
    found = path.stat()
    return found.st_mtime_ns, found.st_size


def _same_row(held: Sequence[str], row: Sequence[str]) -> bool:
    return tuple(held) == tuple(row)


def _reading(tables: list[tuple[Role, Form, ResponseTable | None | InputError]], config: Config) -> FormReading:
    reading = FormReading()
    for role, form, table in tables:
        if isinstance(table, InputError):
            reading.unreadable[role] = str(table)
            reading.unreadable_et[role] = table.message_et or f"{role.value}i vormi vastuseid ei õnnestunud lugeda: {table.message}"
            continue
        if table is None:
            reading.empty.append(role)
            continue
        missing = missing_questions(table.header, form.questions)
        if missing:
            names = ", ".join(f"„{question}“" for question in missing)
            reading.unreadable[role] = (
                f"the {role.value} form „{form.title}“ ({form.responses or form.id}) has no column for the question(s) {names}; "
                f"rename the question in forms.{role.value}.questions of the config to match the form, or restore the question"
            )
            reading.unreadable_et[role] = (
                f"vormis „{form.title}“ ({form.responses or form.id}) ei ole küsimust {names}; kas küsimust on vormis muudetud? "
                f"Kirjuta küsimus seadistusfaili jaotisesse forms.{role.value}.questions täpselt nii, nagu see vormis on, või taasta küsimus vormis"
            )
            continue
        reading.registrations += _parsed(role, table, form, config)
    return reading


_READINGS: Memo[FormReading] = Memo(limit=16)


class Snapshot:
    def __init__(self, config: Config, backends: Backends, today: date) -> None:
        self.config, self.backends, self.today = config, backends, today
        self._tabs: dict[tuple[str, str], Sequence[Sequence[str]]] = {}
        self._forms: dict[str, ResponseTable | None | InputError] = {}
        self._parts: dict[str, Any] = {}

    # ---- what is read, once

    def tab(self, sheet: str, tab: str) -> Sequence[Sequence[str]]:
        """The tab's rows, shared by every reader of the run: read them, never change them."""
        if (sheet, tab) not in self._tabs:
            self._tabs[(sheet, tab)] = self.backends.sheets.read_tab(sheet, tab)
        return self._tabs[(sheet, tab)]

    def form(self, form: Form) -> ResponseTable | None:
        """A form's responses (None: none yet); raises InputError when the export cannot be read."""
        key = form.id or form.responses or form.title
        if key not in self._forms:
            try:
                self._forms[key] = self.backends.forms.read_responses(form)
            except InputError as error:
                self._forms[key] = error
        found = self._forms[key]
        if isinstance(found, InputError):
            raise found
        return found

    def holds(self, sheet: str, tab: str, rows: list[list[str]]) -> bool:
        """Whether the run read (or wrote) this tab and it holds exactly these rows."""
        held = self._tabs.get((sheet, tab))
        # Rows as the backend read them (tuples, lists) and as a job made them (lists of str) compare cell by cell.
        return held is not None and len(held) == len(rows) and all(map(_same_row, held, rows))

    def wrote(self, sheet: str, tab: str, rows: list[list[str]]) -> None:
        """A job wrote a tab: later jobs of the run see it, and what was worked out from it is worked out again.
        The rows are text, made for this write and handed over: nobody changes them after."""
        self._tabs[(sheet, tab)] = rows
        self._parts.clear()

    def _part(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self._parts:
            self._parts[name] = compute()
        return self._parts[name]

    def for_job(self, job: str, reads: tuple[str, ...]) -> SnapshotView:
        return SnapshotView(self, job, reads)

    # ---- the parts

    @property
    def members(self) -> Members:
        return self._part("members", self._read_members)

    def _read_members(self) -> Members:
        members = self.config.members
        rows = self.tab(members.sheet, members.tab)
        key = (hash(tuple(map(tuple, rows))), members)
        if key in _MEMBERS:
            return _MEMBERS[key]
        try:
            by_email, problems = parse_members(
                rows,
                email_column=members.email_column,
                name_column=members.name_column,
                paid_until_column=members.paid_until_column,
                where=self.backends.sheets.location(members.sheet, members.tab),
            )
        except MentorlusError as error:
            return Members({}, [], str(error), error.message_et)
        if len(_MEMBERS) > 16:
            _MEMBERS.clear()
        _MEMBERS[key] = Members(by_email, problems)
        return _MEMBERS[key]

    @property
    def registrations(self) -> Registrations:
        return self._part("registrations", self._assess)

    def _assess(self) -> Registrations:
        members = self.members
        if members.error:
            raise InputError(members.error.split("\n  How to fix: ")[0], hint="fix the members register; nothing was assessed meanwhile",
                             message_et=members.error_et, hint_et="paranda liikmeregister; seni ei hinnatud ühtki registreerumist")
        reading = self._read_forms()
        rows = self.tab(self.config.sheets.coordinators, REGISTRATIONS_TAB)
        rules = eligibility_rules(self.config)
        # The same registrations, register and rules give the same assessments: worked out once per process;
        # and with the same Registrations tab, the same decisions applied.
        assessed = _ASSESSED.for_objects((reading, members.by_email), rules,
                                         lambda: assess_all(reading.registrations, members.by_email, rules, _assess_one))

        def decide() -> tuple:
            tab = RegistrationsTab.read(rows)
            return tab, tab.apply_decisions(assessed), {}

        def decided_by_content() -> tuple:
            return _DECIDED.for_objects((assessed,), tuple(map(tuple, rows)), decide)

        # The very rows read before (a local tab unchanged) are not hashed cell by cell again: every job asks, every run.
        tab, assessments, derived = _DECIDED.for_objects((assessed, rows), "decided", decided_by_content)
        return Registrations(list(assessments), reading, tab, members.problems, derived)

    def _read_forms(self) -> FormReading:
        config = self.config
        tables: list[tuple[Role, Form, ResponseTable | None | InputError]] = []
        for role in Role:
            form = getattr(config.forms, role.value)
            try:
                tables.append((role, form, self.form(form)))
            except InputError as error:
                tables.append((role, form, error))
        programme = config.programme
        # The same exports (the same objects while their files are unchanged) read the same way give the same reading:
        # worked out once per process, so that what is worked out from it is kept too.
        how = (tuple((role, repr(form), str(found) if isinstance(found, InputError) else None) for role, form, found in tables),
               programme.default_language, programme.timezone, programme.start.year)
        read = [found for _, _, found in tables if isinstance(found, ResponseTable)]
        return _READINGS.for_objects(tuple(read), how, lambda: _reading(tables, config))

    @property
    def pairs(self) -> PairsTab:
        """The Pairs tab as it is, the same object on every run with the same rows: read it, never `mark` it
        (`checked_pairs` gives one of the run's own, with its approved rows checked against the eligible people)."""
        return self._part("pairs", lambda: _pairs_tab(self.tab(self.config.sheets.coordinators, PAIRS_TAB)))

    def checked_pairs(self, mentees: Mapping[str, Person], mentors: Mapping[str, Person]) -> PairsTab:
        return PairsTab.read(
            self.tab(self.config.sheets.coordinators, PAIRS_TAB),
            mentees={email: person.name for email, person in mentees.items()},
            mentors={email: person.name for email, person in mentors.items()},
        )

    def pair_emails(self, role: str, statuses: tuple[PairStatus, ...] = HELD) -> frozenset[str]:
        """The mentors' or the mentees' addresses of pairs in these statuses."""
        pairs = self.pairs  # kept per process while the tab is unchanged: so are these
        return _PAIR_EMAILS.for_objects((pairs,), (role, statuses), lambda: frozenset(
            row.mentor_email if role == "mentor" else row.mentee_email for row in pairs.rows if row.status in statuses))

    @property
    def attendance(self) -> dict[str, list[dict[str, str]]]:
        """Each event's Attendance tab by event id: a dict per invitee, by the tab's column titles; [] before anyone is invited."""
        return self._part("attendance", lambda: {event.id: self.attendance_of(event) for event in self.config.events})

    def attendance_of(self, event: EventConfig) -> list[dict[str, str]]:
        from automation.domain.registrations import normalise_text

        rows = self.tab(self.config.sheets.coordinators, attendance_tab(event))
        if not rows:
            return []

        def by_title() -> list[dict[str, str]]:
            header = [normalise_text(title) for title in rows[0]]
            return [dict(zip(header, row)) for row in rows[1:]]

        # The same rows (a local tab unchanged since the run before) as the same dicts: every run asks for every event's.
        return _ATTENDANCE.for_objects((rows,), "by title", by_title)

    @property
    def training(self) -> dict[str, str]:
        """Each eligible mentor's training (S3.4), in Estonian: trained in an earlier year, attended, invited, or not attended."""
        return self._part("training", lambda: training_status(
            [a.registration for a in self.registrations.eligible(Role.MENTOR)],
            [(event, self.attendance.get(event.id, [])) for event in self.config.events_of("mentor_training")],
            programme_start_year=self.config.programme.start.year,
            today=self.today,
        ))

    @property
    def meetings(self) -> Meetings:
        return self._part("meetings", self._count_meetings)

    def _count_meetings(self) -> Meetings:
        config = self.config
        form = config.forms.meeting_log
        if form is None:
            return Meetings({}, [], "forms.meeting_log is not set; add the meeting log form to the config, as config/program.example.toml shows")
        try:
            table = self.form(form)
        except InputError as error:
            return Meetings({}, [], str(error))
        meetings: list[Meeting] = []
        problems: list[str] = []
        if table is not None:
            missing = missing_questions(table.header, form.questions)
            if missing:
                return Meetings({}, [], f"the meeting log „{form.title}“ ({form.responses or form.id}) has no column for the question(s) "
                                + ", ".join(f"„{question}“" for question in missing)
                                + "; rename the question in forms.meeting_log.questions to match the form")
            meetings, problems = parse_meetings(table, form.questions, relationships=(config.programme.relationships_start, config.programme.relationships_end))
        counts = count_per_pair(meetings, {row.mentee_email for row in self.pairs.rows if row.status in HELD})
        for meeting in meetings:
            if meeting.mentee not in counts:
                problems.append(f"kohtumiste vorm, rida {meeting.row}: {meeting.mentee} ei ole üheski kinnitatud paaris")
        return Meetings(counts, problems)

    @property
    def surveys(self) -> Surveys:
        def load() -> Surveys:
            try:
                return Surveys(load_surveys_once(self.config.surveys_dir))
            except MentorlusError as error:
                return Surveys([], str(error), error.message_et)

        return self._part("surveys", load)

    def survey_audience(self, survey: Survey) -> list[Registration]:
        """The mentors and/or mentees of pairs that were confirmed (ended ones too: their feedback counts)."""
        registrations = self.registrations
        roles = {"mentors": (Role.MENTOR,), "mentees": (Role.MENTEE,), "participants": (Role.MENTOR, Role.MENTEE)}[survey.audience]
        emails = tuple(self.pair_emails(role.value) for role in roles)

        def audience() -> list[Registration]:
            people = registrations.people()
            found = [people[(role, email)] for role, held in zip(roles, emails) for email in held if (role, email) in people]
            return sorted(found, key=lambda person: (person.role.value, person.email))

        return registrations.kept(("survey audience", roles, emails), audience)

    def survey_summaries(self) -> list[SurveySummary]:
        """Each survey that has opened, aggregated: for the board."""
        start, end = self.config.programme.start, self.config.programme.end
        return [summarise(survey, self.survey_responses(survey), invited=len(self.survey_audience(survey)))
                for survey in self.surveys.definitions if self.today >= survey.send_date(start, end)]

    def survey_responses(self, survey: Survey) -> ResponseTable | None:
        responses = self.surveys.responses
        if survey.id not in responses:
            responses[survey.id] = self.backends.forms.survey_responses(survey.id, survey.responses)
        return responses[survey.id]


class SnapshotView:
    """The snapshot as one job may see it: only the parts it declared."""

    def __init__(self, snapshot: Snapshot, job: str, reads: tuple[str, ...]) -> None:
        self._snapshot, self._job, self._reads = snapshot, job, set(reads)

    def __getattr__(self, name: str) -> Any:
        part = PART_OF.get(name)
        if part is not None and part not in self._reads:
            raise AssertionError(f"the job {self._job} reads the snapshot's {part} but does not declare it in its reads")
        return getattr(self._snapshot, name)


# Which declared part each of the snapshot's accessors belongs to.
PART_OF = {
    "members": "members",
    "registrations": "registrations",
    "pairs": "pairs", "checked_pairs": "pairs", "pair_emails": "pairs",
    "attendance": "attendance", "attendance_of": "attendance",
    "training": "training",
    "meetings": "meetings",
    "surveys": "surveys", "survey_responses": "surveys", "survey_audience": "surveys", "survey_summaries": "surveys",
}
