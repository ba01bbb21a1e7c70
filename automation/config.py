"""Typed programme config, validated on load.

    config = load_config(find_config_path(cli_path, os.environ))
    config.programme.relationships_start  # datetime.date

Precedence for where the file is: `--config PATH`, else the environment
variable MENTORLUS_CONFIG, else `config/program.toml` in the current folder.
Relative paths inside the file (workspace, templates) are relative to the file.
Every problem is reported with the file and the dotted key, all at once.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Callable, Literal, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, ValidationError, field_validator

from automation.domain.text import Say
from automation.errors import ConfigError

CONFIG_ENV_VAR = "MENTORLUS_CONFIG"
DEFAULT_CONFIG_PATH = Path("config/program.toml")
REPO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# S3.2: the professions whose certificate qualifies a mentor, as a rule.
DEFAULT_MENTOR_CERTIFICATES = [
    "karjäärispetsialist",
    "karjäärinõustaja",
    "karjääriinfo spetsialist",
    "personalispetsialist",
    "personalijuht",
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Association(Model):
    name: str
    short_name: str
    sender_email: EmailStr
    sender_name: str
    mailing_list: EmailStr | None = None
    website: str = ""


class Coordinator(Model):
    name: str
    email: EmailStr
    phone: str = ""


class Programme(Model):
    name: str = "Mentorprogramm"
    start: date
    end: date
    relationships_start: date
    relationships_end: date
    timezone: str = "Europe/Tallinn"
    default_language: Literal["et", "en"] = "et"
    language: Literal["et", "en"] = "et"  # what mentorlus itself says to the coordinators: command line, check, plan
    run_time: time = time(7, 0)
    minimum_meetings: int = Field(default=6, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as 'Europe/Tallinn'") from None
        return value

    @property
    def year_label(self) -> str:
        return f"{self.start.year}/{self.end.year}"


class Registration(Model):
    opens: date
    closes: date
    announce_to: Literal["mailing_list", "members"] = "mailing_list"
    reminder_days_before_close: int = Field(default=0, ge=0)


class Members(Model):
    sheet: str = "liikmed"
    tab: str = "Liikmed"
    email_column: str = "E-post"
    name_column: str = "Nimi"
    paid_until_column: str = "Liikmemaks tasutud (aasta)"


class Eligibility(Model):
    mentor_certificates: list[str] = Field(default_factory=lambda: list(DEFAULT_MENTOR_CERTIFICATES))
    mentor_min_experience_years: int = Field(default=5, ge=0)
    mentee_min_goal_characters: int = Field(default=20, ge=0)
    fee_year: int | None = None


class Form(Model):
    title: str
    url: str = ""  # the link participants open; `mentorlus setup` fills it on Google
    responses: str = ""  # local backend: the CSV export, relative to the workspace
    id: str = ""  # Google backend: the form's id (`mentorlus setup` fills it)
    questions: dict[str, str]
    # For a question whose answers say more than one thing: answer (or pattern, * for any text) -> field values.
    answers: dict[str, dict[str, dict[str, str | bool | int | float | list[str]]]] = Field(default_factory=dict)


class Forms(Model):
    mentor: Form
    mentee: Form
    meeting_log: Form | None = None


class DateRange(Model):
    first: date
    last: date


class Schedule(Model):
    registration_open: date | None = None
    intake: DateRange | None = None
    match: list[date] | None = None
    pair_confirmation: DateRange | None = None
    trainings: DateRange | None = None
    covision: DateRange | None = None
    meetings: list[date] | None = None
    board_summary: list[date] | None = None
    recognition: date | None = None


class MatchingWeights(Model):
    topics: int = Field(default=40, ge=0)
    region: int = Field(default=20, ge=0)
    meeting_mode: int = Field(default=20, ge=0)
    language: int = Field(default=10, ge=0)
    sector: int = Field(default=10, ge=0)
    experience: int = Field(default=10, ge=0)
    experience_full_years: int = Field(default=10, ge=1)


class Matching(Model):
    weights: MatchingWeights = MatchingWeights()
    max_mentees_per_mentor: int = Field(default=2, ge=1)
    forbid_same_workplace: bool = True
    require_common_language: bool = True
    must_pairs: list[tuple[EmailStr, EmailStr]] = Field(default_factory=list)
    never_pairs: list[tuple[EmailStr, EmailStr]] = Field(default_factory=list)


class Pairs(Model):
    contact_within_days: int = Field(default=7, ge=1)


EVENT_KINDS = ("mentor_training", "mentee_workshop", "mentor_covision", "mentee_covision")


class EventConfig(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["mentor_training", "mentee_workshop", "mentor_covision", "mentee_covision"]
    title: str
    date: date
    start: time
    end: time | None = None  # required; checked with a message that names the event
    place: str = ""
    video_link: str = ""
    capacity: int = Field(default=30, ge=1)
    description: str = ""
    group_places: list[str] = Field(default_factory=list)
    group_video_links: list[str] = Field(default_factory=list)


class Meetings(Model):
    nudge_every_weeks: int = Field(default=4, ge=1)
    silent_weeks: int = Field(default=6, ge=1)


class Retention(Model):
    months_after_end: int = Field(default=6, ge=0)
    # The members register is the tool's copy locally, but on Google often the association's own sheet.
    erase_members_register: bool | None = None  # default: yes on the local backend, no on Google


class Events(Model):
    reminder_days_before: int = Field(default=3, ge=0)
    invite_trained_mentors: Literal["optional", "no"] = "optional"
    facilitators: list[EmailStr] = Field(default_factory=list)


class Backend(Model):
    kind: Literal["local", "google"] = "local"
    workspace: Path = Path("workspace")  # on Google too: the ledger and the lock stay here


# An empty string in the file means "not set", as it does for the text keys.
OptionalPath = Annotated[Path | None, BeforeValidator(lambda value: None if value == "" else value)]


class Google(Model):
    endpoint: str = ""  # another server speaking Google's APIs (an emulator); anonymous credentials
    auth: Literal["service_account", "oauth"] = "service_account"
    service_account_file: OptionalPath = None  # default: GOOGLE_APPLICATION_CREDENTIALS
    subject: str = ""  # the account the service account acts as; default: association.sender_email
    oauth_client_file: OptionalPath = None  # the OAuth client (Desktop app) JSON `mentorlus auth` uses
    token_file: Path = Path("~/.config/mentorlus/token.json")
    shared_drive: str = ""  # the shared drive's id; empty: the account's own Drive
    folder: str = ""  # the programme's folder id (`mentorlus setup` fills it)
    calendar: str = "primary"
    calendar_notifications: Literal["none", "all"] = "none"  # none: our own emails carry the invitations
    agreement_template: str = ""  # the agreement template Doc's id (`mentorlus setup` fills it)
    board_group: str = ""  # the board's group address: reader of the board's sheet
    meet_links: bool = False
    spreadsheets: dict[str, str] = Field(default_factory=dict)  # sheet name -> spreadsheet id
    timeout_seconds: float = Field(default=60, gt=0)
    max_retries: int = Field(default=5, ge=0)


class Smtp(Model):
    host: str
    port: int = Field(default=587, gt=0, lt=65536)
    security: Literal["starttls", "ssl"] = "starttls"
    username: str = ""
    password_env: str = "MENTORLUS_SMTP_PASSWORD"
    timeout_seconds: float = Field(default=60, gt=0)
    ca_file: OptionalPath = None  # a server whose certificate a private authority signed: that authority's PEM


class Mail(Model):
    transport: Literal["backend", "smtp"] = "backend"  # backend: Maildir locally, Gmail on Google
    daily_limit: int = Field(default=2000, ge=1)
    per_second: float = Field(default=2.0, gt=0)
    smtp: Smtp | None = None


class Sheets(Model):
    coordinators: str = "koordinaatorid"
    board: str = "juhatus"


class Templates(Model):
    directory: Path | None = None


class Surveys(Model):
    directory: Path | None = None  # default: surveys/ beside this file, else the shipped config/surveys


@functools.lru_cache(maxsize=64)
def resolved(path: Path) -> Path:
    # Asked for on every read and write of a run (and of the config, on every day of the scheduler); where a file or
    # folder is does not move while the program runs.
    return path.resolve()


class Config(Model):
    association: Association
    coordinators: list[Coordinator] = Field(min_length=1)
    programme: Programme
    registration: Registration
    members: Members = Members()
    eligibility: Eligibility = Eligibility()
    forms: Forms
    schedule: Schedule = Schedule()
    matching: Matching = Matching()
    pairs: Pairs = Pairs()
    events: list[EventConfig] = Field(default_factory=list)
    event_settings: Events = Events()
    meetings: Meetings = Meetings()
    retention: Retention = Retention()
    backend: Backend = Backend()
    google: Google = Google()
    mail: Mail = Mail()
    sheets: Sheets = Sheets()
    templates: Templates = Templates()
    surveys: Surveys = Surveys()
    # Where the file was read from; relative paths are resolved against its folder.
    source: Path = Path("program.toml")

    @property
    def workspace(self) -> Path:
        return resolved(self.source.parent / self.backend.workspace)

    @property
    def templates_dir(self) -> Path:
        if self.templates.directory is not None:
            return resolved(self.source.parent / self.templates.directory)
        return bundled_templates_dir()

    @property
    def surveys_dir(self) -> Path:
        if self.surveys.directory is not None:
            return resolved(self.source.parent / self.surveys.directory)
        here = self.source.parent / "surveys"
        return here if here.is_dir() else bundled_surveys_dir()

    @property
    def erases_members_register(self) -> bool:
        if self.retention.erase_members_register is not None:
            return self.retention.erase_members_register
        return self.backend.kind == "local"

    @property
    def fee_year(self) -> int:
        return self.eligibility.fee_year or self.programme.start.year

    def events_of(self, *kinds: str) -> list[EventConfig]:
        return [event for event in self.events if event.kind in kinds]


def bundled_surveys_dir() -> Path:
    """The repository's config/surveys, or the copy a wheel installs under share/mentorlus."""
    import sys

    repository = REPO_TEMPLATES.parent / "config" / "surveys"
    return repository if repository.is_dir() else Path(sys.prefix) / "share" / "mentorlus" / "surveys"


def bundled_templates_dir() -> Path:
    """The repository's templates/, or the copy a wheel installs under share/mentorlus."""
    import sys

    if REPO_TEMPLATES.is_dir():
        return REPO_TEMPLATES
    return Path(sys.prefix) / "share" / "mentorlus" / "templates"


def find_config_path(cli_path: str | None, environ: Mapping[str, str]) -> Path:
    if cli_path:
        return Path(cli_path)
    if environ.get(CONFIG_ENV_VAR):
        return Path(environ[CONFIG_ENV_VAR])
    return DEFAULT_CONFIG_PATH


def language_of(path: Path) -> str:
    """The coordinators' language a config asks for, read even when the config is broken: the messages about it use it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "et"
    try:
        language = tomllib.loads(text).get("programme", {}).get("language", "et")
    except (tomllib.TOMLDecodeError, AttributeError):
        # A file TOML cannot read (a date written 01.10.2026) still says its language in its [programme] section.
        section = re.search(r"^\[programme\][ \t]*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
        found = re.search(r"^\s*language\s*=\s*\"(et|en)\"", section.group(1), re.M) if section else None
        language = found.group(1) if found else "et"
    return language if language in ("et", "en") else "et"


def load_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: config file not found",
            hint=f"copy config/program.example.toml to {path}, pass --config PATH, or set {CONFIG_ENV_VAR}",
            message_et=f"{path}: seadistusfaili ei ole",
            hint_et=f"loo see käsuga `mentorlus init KAUST`, anna tee võtmega --config või keskkonnamuutujas {CONFIG_ENV_VAR}",
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{path}: not valid TOML: {error}{_date_hint(text, Say('en'))}", hint="fix the syntax at that line",
            message_et=f"{path}: ei ole korrektne TOML ({error}){_date_hint(text, Say('et'))}", hint_et="paranda selle rea kirjapilt",
        ) from None
    return parse_config(raw, path)


def _date_hint(text: str, say: Say) -> str:
    """A date written the Estonian way (01.10.2026) is the usual cause: say so, with the line."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = re.match(r"\s*([\w.-]+)\s*=\s*\"?(\d{1,2})\.(\d{1,2})\.(\d{4})\"?", line)
        if found:
            key, day, month, year = found.groups()
            iso = f"{year}-{int(month):02d}-{int(day):02d}"
            return say(f"; rida {number}: kirjuta kuupäev kujul {iso} (aasta-kuu-päev, jutumärkideta): {key} = {iso}",
                       f"; line {number}: write dates as {iso} (year-month-day, without quotes): {key} = {iso}")
    return ""


def parse_config(raw: dict, path: Path) -> Config:
    try:
        config = Config.model_validate({**raw, "source": path})
    except ValidationError as error:
        raise _invalid(path, lambda say: [_describe(item, say) for item in error.errors()]) from None
    problems = _problems(config, Say("en"))
    if problems:
        raise _invalid(path, lambda say: _problems(config, say))
    return config


def _problems(config: Config, say: Say) -> list[str]:
    return _date_problems(config, say) + _question_problems(config, say)


def _invalid(path: Path, problems_in: Callable[[Say], list[str]]) -> ConfigError:
    return ConfigError(
        "\n".join(f"{path}: {problem}" for problem in problems_in(Say("en"))),
        hint="see config/program.example.toml, where every key is documented",
        message_et="\n".join(f"{path}: {problem}" for problem in problems_in(Say("et"))),
        hint_et="vaata config/program.example.toml, kus iga võti on kirjeldatud",
    )


def _dotted(location: tuple) -> str:
    return ".".join(str(part) for part in location)


def _describe(item: dict, say: Say) -> str:
    location = item["loc"]
    key = _dotted(location)
    kind = item["type"]
    if kind == "extra_forbidden" and location[-1] == "yes_answers":
        section = f"[{_dotted(location[:-1])}.answers.\"<question>\"]"
        return say(f"võtit '{key}' enam ei loeta: kirjuta iga küsimuse vastuste tähendus jaotisesse {section} (näide on config/program.example.toml-is)",
                   f"key '{key}' is no longer read: say what each answer means per question, in {section} (config/program.example.toml shows how)")
    if kind == "extra_forbidden":
        parent_model = _model_at(location[:-1])
        known = list(parent_model.model_fields) if parent_model else []
        close = difflib.get_close_matches(str(location[-1]), known, n=1)
        closest = _dotted(location[:-1] + (close[0],)) if close else ""
        return say(f"tundmatu võti '{key}'" + (f" (kas mõtlesid '{closest}'?)" if close else ""),
                   f"unknown key '{key}'" + (f" (did you mean '{closest}'?)" if close else ""))
    if kind == "missing":
        return say(f"võti '{key}' puudub", f"missing key '{key}'")
    value = item.get("input")
    shown = say(f" (on {value!r})", f" (got {value!r})") if not isinstance(value, dict | list) else ""
    if kind.startswith("date") or (isinstance(value, str) and re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", value)):
        return say(f"võti '{key}': ei ole kuupäev{shown}; kirjuta kuupäev kujul 2026-10-01 (aasta-kuu-päev, jutumärkideta)",
                   f"key '{key}': not a date{shown}; write dates as 2026-10-01 (year-month-day, without quotes)")
    return say(f"võti '{key}': sobimatu väärtus ({item['msg']}){shown}", f"key '{key}': {item['msg']}{shown}")


def _model_at(location: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Config
    for part in location:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        candidates = getattr(annotation, "__args__", None) or (annotation,)
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return model


def _date_problems(config: Config, say: Say) -> list[str]:
    problems = []
    programme, registration = config.programme, config.registration

    def require(ok: bool, et: str, en: str) -> None:
        if not ok:
            problems.append(say(et, en))

    require(programme.start < programme.end,
            f"programme.end ({programme.end}) peab olema hiljem kui programme.start ({programme.start})",
            f"programme.end ({programme.end}) must be after programme.start ({programme.start})")
    require(
        programme.relationships_start < programme.relationships_end,
        f"programme.relationships_end ({programme.relationships_end}) peab olema hiljem kui programme.relationships_start ({programme.relationships_start})",
        f"programme.relationships_end ({programme.relationships_end}) must be after programme.relationships_start ({programme.relationships_start})",
    )
    relationships = f"programme.relationships_start..relationships_end ({programme.relationships_start}..{programme.relationships_end})"
    require(
        programme.start <= programme.relationships_start and programme.relationships_end <= programme.end,
        f"{relationships} peab jääma programmi sisse ({programme.start}..{programme.end})",
        f"{relationships} must lie within the programme ({programme.start}..{programme.end})",
    )
    require(
        registration.opens < registration.closes,
        f"registration.closes ({registration.closes}) on varasem kui registration.opens ({registration.opens}); registreerimine peab sulguma pärast avanemist",
        f"registration.closes ({registration.closes}) is before registration.opens ({registration.opens}); registration must close after it opens",
    )
    require(
        registration.closes < programme.relationships_start,
        f"registration.closes ({registration.closes}) peab olema varasem kui programme.relationships_start ({programme.relationships_start}), et paarid jõutaks moodustada",
        f"registration.closes ({registration.closes}) must be before programme.relationships_start ({programme.relationships_start}), so pairs can be formed",
    )
    from automation.domain.programme import confirmation_window, intake_window, match_days

    days_before = registration.reminder_days_before_close
    reminder = registration.closes - timedelta(days=days_before) if days_before else None
    if reminder is not None:
        require(
            registration.opens < reminder,
            f"registration.reminder_days_before_close ({days_before}) paneb meeldetuletuse päevale {reminder}, mis ei ole hiljem kui registration.opens ({registration.opens})",
            f"registration.reminder_days_before_close ({days_before}) puts the reminder on {reminder}, not after registration.opens ({registration.opens})",
        )
    intake_first, intake_last = intake_window(config)
    require(intake_first <= intake_last,
            f"schedule.intake.last ({intake_last}) on varasem kui schedule.intake.first ({intake_first})",
            f"schedule.intake.last ({intake_last}) is before schedule.intake.first ({intake_first})")
    for day in match_days(config):
        require(
            registration.opens < day <= programme.relationships_end,
            f"schedule.match: {day} ei jää vahemikku registration.opens ({registration.opens}) .. programme.relationships_end ({programme.relationships_end})",
            f"schedule.match: {day} is outside registration.opens ({registration.opens}) .. programme.relationships_end ({programme.relationships_end})",
        )
    confirmation_first, confirmation_last = confirmation_window(config)
    require(
        confirmation_first <= confirmation_last,
        f"schedule.pair_confirmation.last ({confirmation_last}) on varasem kui schedule.pair_confirmation.first ({confirmation_first})",
        f"schedule.pair_confirmation.last ({confirmation_last}) is before schedule.pair_confirmation.first ({confirmation_first})",
    )
    return problems + _event_problems(config, say) + _backend_problems(config, say)


def _backend_problems(config: Config, say: Say) -> list[str]:
    problems = []
    forms = {"mentor": config.forms.mentor, "mentee": config.forms.mentee, "meeting_log": config.forms.meeting_log}
    for key, form in forms.items():
        if form is not None and config.backend.kind == "local" and not form.responses:
            problems.append(say(f"forms.{key}.responses puudub: kohalik taustasüsteem loeb sealt vormi CSV-ekspordi (nt \"forms/{key}.csv\")",
                                f"forms.{key}.responses is missing: the local backend reads the form's CSV export from it (e.g. \"forms/{key}.csv\")"))
    if config.mail.transport == "smtp" and config.mail.smtp is None:
        problems.append(say("mail.transport on \"smtp\", aga jaotist [mail.smtp] ei ole: kirjuta sinna vähemalt host",
                            "mail.transport is \"smtp\" but there is no [mail.smtp] section: give at least its host"))
    return problems


AUDIENCE = {"mentor_training": "mentor", "mentor_covision": "mentor", "mentee_workshop": "mentee", "mentee_covision": "mentee"}


def _event_problems(config: Config, say: Say) -> list[str]:
    problems = []
    seen: set[str] = set()
    for index, event in enumerate(config.events):
        where = say(f"events[{index}] (id '{event.id}')", f"events[{index}] (id '{event.id}')")
        if event.id in seen:
            problems.append(say(f"{where}: id '{event.id}' on kasutusel kaks korda; igal sündmusel peab olema oma id",
                                f"{where}: the id '{event.id}' is used twice; each event needs its own id"))
        seen.add(event.id)
        if event.end is None:
            problems.append(say(f"{where}: lõpuaeg puudub; lisa end = HH:MM:SS", f"{where}: no end time; add end = HH:MM:SS"))
        elif event.end <= event.start:
            problems.append(say(f"{where}: lõpp ({event.end}) ei ole pärast algust ({event.start})",
                                f"{where}: end ({event.end}) is not after start ({event.start})"))
        if not event.place and not event.video_link:
            problems.append(say(f"{where}: ei place ega video_link ole määratud; osalejad peavad teadma, kuhu tulla",
                                f"{where}: neither place nor video_link is set; participants need to know where to come"))
        if not config.programme.start <= event.date <= config.programme.end:
            problems.append(say(f"{where}: kuupäev {event.date} jääb programmist välja ({config.programme.start} .. {config.programme.end})",
                                f"{where}: date {event.date} is outside the programme ({config.programme.start} .. {config.programme.end})"))
    timed = [event for event in config.events if event.end is not None and event.end > event.start]
    for position, first in enumerate(timed):
        for second in timed[position + 1:]:
            if AUDIENCE[first.kind] == AUDIENCE[second.kind] and first.date == second.date and first.start < second.end and second.start < first.end:
                both = (f"'{first.id}' ({first.date} {first.start:%H:%M}-{first.end:%H:%M}) "
                        f"{say('ja', 'and')} '{second.id}' ({second.start:%H:%M}-{second.end:%H:%M})")
                audience = say({"mentor": "mentor", "mentee": "mentee"}[AUDIENCE[first.kind]], AUDIENCE[first.kind])
                problems.append(say(f"sündmused {both} kattuvad ja iga {audience} on kutsutud mõlemale; tõsta üks neist",
                                    f"events {both} overlap, and every {audience} is invited to both; move one of them"))
    for kind in ("mentor_covision", "mentee_covision"):
        count = len(config.events_of(kind))
        if 0 < count < 2:
            problems.append(say(f"events: {kind} toimub ainult {count} korra; programm näeb ette vähemalt kaks mentorite ja kaks mentiide kovisioonigruppi",
                                f"events: only {count} {kind} session; the programme asks for at least two mentor and two mentee covision groups"))
    return problems


def _question_problems(config: Config, say: Say) -> list[str]:
    # Imported here: the domain defines which fields a form may map, the config only names them.
    from automation.domain.registrations import FORM_FIELDS, FROM_ANSWER, REQUIRED_ONE_OF, Kind

    problems = []
    forms = {"mentor": config.forms.mentor, "mentee": config.forms.mentee, "meeting_log": config.forms.meeting_log}
    for role, form in forms.items():
        if form is None:
            continue
        fields = FORM_FIELDS[role]

        def unknown(field: str, where: str) -> str:
            close = difflib.get_close_matches(field, list(fields), n=1)
            if close:
                return say(f"võti '{where}': tundmatu väli '{field}' (kas mõtlesid '{close[0]}'?)",
                           f"key '{where}': unknown field '{field}' (did you mean '{close[0]}'?)")
            return say(f"võti '{where}': tundmatu väli '{field}' (tuntud väljad: {', '.join(fields)})",
                       f"key '{where}': unknown field '{field}' (known fields: {', '.join(fields)})")

        mapped = list(form.questions.values())
        for question, field in form.questions.items():
            if field not in fields:
                problems.append(unknown(field, f'forms.{role}.questions."{question}"'))
        given: set[str] = set()
        for question, by_answer in form.answers.items():
            if question not in form.questions:
                problems.append(say(f"võti 'forms.{role}.answers.\"{question}\"': sellist küsimust ei ole jaotises forms.{role}.questions; "
                                    "kirjuta küsimus ka sinna (koos väljaga, mille selle muud vastused täidavad)",
                                    f"key 'forms.{role}.answers.\"{question}\"': no such question in forms.{role}.questions; "
                                    "list the question there too (with the field its other answers fill)"))
            for pattern, values in by_answer.items():
                for field, value in values.items():
                    where = f'forms.{role}.answers."{question}"."{pattern}".{field}'
                    if field not in fields:
                        problems.append(unknown(field, where))
                        continue
                    given.add(field)
                    kind = fields[field].kind
                    if value != FROM_ANSWER and kind is Kind.YES_NO and not isinstance(value, bool):
                        problems.append(say(f"võti '{where}': kirjuta true või false (jutumärkideta) või \"{FROM_ANSWER}\", et see loetaks vastusest",
                                            f"key '{where}': write true or false (without quotes), or \"{FROM_ANSWER}\" to read it from the answer"))
        present = set(mapped) | given
        for field, spec in fields.items():
            if spec.required and field not in present:
                problems.append(say(f"võti 'forms.{role}.questions': ükski küsimus ei täida kohustuslikku välja '{field}' ({spec.label})",
                                    f"key 'forms.{role}.questions': no question is mapped to the required field '{field}' ({spec.meaning or spec.label})"))
        for group in REQUIRED_ONE_OF.get(role, ()):
            if not present & set(group):
                names = ', '.join(repr(f) for f in group)
                problems.append(say(f"võti 'forms.{role}.questions': seo küsimus (või vastus) ühega neist: {names} ({fields[group[0]].label})",
                                    f"key 'forms.{role}.questions': map a question (or an answer) to one of {names} ({fields[group[0]].meaning})"))
        duplicates = {field for field in mapped if mapped.count(field) > 1}
        for field in sorted(duplicates):
            problems.append(say(f"võti 'forms.{role}.questions': väljaga '{field}' on seotud rohkem kui üks küsimus",
                                f"key 'forms.{role}.questions': more than one question is mapped to '{field}'"))
    return problems
