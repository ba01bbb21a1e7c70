"""The ports every external effect goes through; backends implement them.

    class Mailer(Protocol):
        def send(self, message: OutgoingMessage) -> None: ...

Jobs receive a `Backends` bundle and never import a backend themselves.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Callable, Mapping, Protocol, Sequence

from automation.config import Form
from automation.domain.registrations import ResponseTable
from automation.emails import OutgoingMessage



@dataclass(frozen=True)
class Erased:
    """What a store erased: `count` things of a `kind` in a `place`; the erasure job tells it in the coordinators' language.

    kind: rows (with `changed` rewritten), messages, binned, left_events, attendees, documents, agreements, files,
    tabs (with the tab emptied in `detail`), exports, records, values, summaries, summaries_cleared, forms_by_hand (whose in `detail`).
    """

    place: str
    kind: str
    count: int = 0
    changed: int | None = None
    detail: str = ""

class Erasable(Protocol):
    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        """Erase every trace of the person (their address, their full names); say what was erased."""


class Forms(Protocol):
    def read_responses(self, form: Form) -> ResponseTable | None:
        """The form's responses; None when there is no export yet (raise InputError when unreadable).
        Responses are only ever read: the table may be the one an earlier call returned."""

    def location(self, form: Form) -> str:
        """Where its responses are read from (a file, or the form's link)."""

    def exports_nearby(self, form: Form) -> list[str]:
        """Other exports where the form's should be (a misnamed file); [] where that makes no sense."""

    makes_forms: bool  # whether it can make a survey's form itself (Google Forms); else each survey names its own link

    def create_survey(self, survey_id: str, title: str, questions: Sequence[str], definition: str) -> str:
        """Create (or find) the survey's form; its link for participants ("" where the backend makes no forms)."""

    def survey_responses(self, survey_id: str, responses: str = "") -> ResponseTable | None:
        """The survey's answers; `responses`: where its CSV export is, for a form the backend did not make."""

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]: ...

    def delete_all(self) -> list[Erased]:
        """Retention: every response of every form."""


class Mailer(Protocol):
    def send(self, message: OutgoingMessage) -> None:
        """Deliver one message to exactly its envelope's recipients; its Message-ID identifies it."""

    def was_sent(self, message_id: str) -> bool:
        """Whether a message with this Message-ID was delivered (after a crash, outcome unknown)."""

    defers_durability: bool  # whether `send` leaves its messages for `sync` to make durable (a local Maildir)

    def sync(self) -> None:
        """Make every message sent so far durable, all at once; nothing to do where each send is durable by itself."""

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]: ...

    def delete_all(self) -> list[Erased]:
        """Retention: every copy of every message sent."""


class Sheets(Protocol):
    def read_tab(self, sheet: str, tab: str) -> Sequence[Sequence[str]]:
        """All rows of a tab, header first; empty when the tab does not exist. The rows may be shared by every
        reader in the process (the local backend keeps them while the file is unchanged): read them, never change them."""

    def write_tab(self, sheet: str, tab: str, rows: Sequence[Sequence[str]]) -> None:
        """Replace the whole tab with these rows, as plain values."""

    def location(self, sheet: str, tab: str) -> str:
        """Where a person finds the tab (a path or a link)."""

    def chart(self, sheet: str, tab: str, title: str, first_row: int, last_row: int) -> None:
        """A column chart of rows first_row..last_row (0-based, end excluded): labels in column B, values in C."""

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]: ...

    def delete_tabs(self, sheet: str, keep: Sequence[str] = ()) -> list[str]: ...


@dataclass(frozen=True)
class Document:
    id: str
    name: str
    link: str  # where its people open it (a web link, or a path on the local backend)
    content: bytes | None = None  # the document itself, where a link is no use to participants (local backend)
    media_type: str = "text/html"


class Drive(Protocol):
    def find_document(self, folder: Sequence[str], name: str) -> Document | None:
        """The document of this name in this folder (a path of folder names), if it exists."""

    def create_document(self, folder: Sequence[str], name: str, html: str) -> Document:
        """Create it (folders too); the caller has checked it does not exist.

        `html` is the whole document, for a backend that writes it as it is; a backend that copies a template
        of its own leaves the template's placeholders for `fill`.
        """

    def fill(self, document: Document, fields: Mapping[str, str]) -> None:
        """Fill in the document's placeholders with its variables; harmless when done (a crash in between)."""

    def share(self, document: Document, emails: Sequence[str]) -> None:
        """Give these people access to the document; sharing twice is harmless."""

    def publish_report(self, name: str, html: str) -> str:
        """The board's report (a whole HTML page) where the board reads it, replacing the last one; where it is."""

    def report_location(self, name: str) -> str:
        """Where the board finds the report, before this run published it."""

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]: ...

    def delete_all(self) -> list[Erased]: ...


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    optional: bool = False


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    start: datetime
    end: datetime
    location: str
    description: str
    attendees: tuple[Attendee, ...]
    organizer: Attendee = Attendee("", "")
    updated: datetime | None = None  # when the tool last changed it: the DTSTAMP of the calendar file
    sequence: int = 0
    cancelled: bool = False
    video_link: str = ""


class Calendar(Protocol):
    def save_events(self, events: Sequence[CalendarEvent]) -> None:
        """Create or update each event by its UID, attendees included (a cancelled one stays, marked)."""

    def video_link(self, event: CalendarEvent) -> str:
        """A video link the calendar makes for the event (a Google Meet), saving it as needed; "" where it makes none."""

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]: ...

    def delete_attendees(self) -> list[Erased]: ...


class EffectState(Enum):
    PENDING = "pending"  # intent recorded; the effect may or may not have happened
    DONE = "done"


@dataclass(frozen=True)
class JobRun:
    job: str
    day: date
    ok: bool
    summary: str
    finished_at: datetime


@dataclass(frozen=True)
class Completion:
    """What an effect's completion also records, in the same transaction: remembered values, items told."""

    remember: Mapping[str, str] = field(default_factory=dict)  # state key -> value (JSON text)
    also_done: tuple[str, ...] = ()  # further keys recorded done (e.g. the items a digest tells of)

    def as_json(self) -> dict:
        return {"remember": dict(self.remember), "also_done": list(self.also_done)}

    @classmethod
    def from_json(cls, data: dict) -> Completion:
        return cls(dict(data.get("remember", {})), tuple(data.get("also_done", ())))


@dataclass(frozen=True)
class Intent:
    """An effect about to happen, as `record_intents` records it."""

    key: str
    job: str
    recipient: str
    purpose: str
    kind: str
    completes: Completion


class Ledger(Protocol):
    def state(self, key: str) -> EffectState | None: ...

    def record_intent(self, key: str, *, job: str, recipient: str, purpose: str, now: datetime, kind: str = "",
                      completes: Completion | None = None) -> None: ...

    def record_done(self, key: str, *, now: datetime, completes: Completion | None = None) -> None:
        """Record the effect done and apply what its intent completes (or `completes`), in one transaction."""

    def record_intents(self, intents: Sequence[Intent], *, now: datetime) -> None:
        """`record_intent` for several effects in their order, in one transaction."""

    def record_all_done(self, done: Sequence[tuple[str, Completion | None]], *, now: datetime) -> None:
        """`record_done` for several effects in their order, in one transaction."""

    def record_decision(self, key: str, *, job: str, purpose: str, now: datetime, completes: Completion) -> None:
        """`record_intent` and `record_done` of an effect with nothing outside the ledger, in one transaction."""

    def pending(self, kind: str) -> list[str]: ...

    def abandon(self, key: str) -> None: ...

    def keys_with_prefix(self, prefix: str) -> set[str]: ...

    def read_state(self, key: str) -> str | None:
        """What the tool remembers between runs (an event's sequence, a covision group), as JSON text."""

    def states_with_prefix(self, prefix: str) -> dict[str, str]: ...

    def record_job_run(self, run: JobRun) -> None: ...

    def job_runs(self, job: str) -> list[JobRun]: ...

    def last_day(self, job: str | None = None, *, ok: bool = False) -> date | None:
        """The latest day the job (any job, when None) ran on; with `ok`, ran without failing."""

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]: ...

    def forget_everyone(self) -> list[Erased]: ...

    def close(self) -> None: ...

    def lock(self) -> AbstractContextManager[None]:
        """Held for the whole run; raises LockHeld when another run holds it."""


# What `mentorlus setup` asks a backend to provision (jobs.setup builds it).
@dataclass(frozen=True)
class QuestionPlan:
    title: str
    kind: str  # "short", "text" (a paragraph), "choice", "scale"
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class FormPlan:
    key: str  # forms.<key> in the config
    title: str
    description: str
    questions: tuple[QuestionPlan, ...]


@dataclass(frozen=True)
class SheetPlan:
    name: str  # the sheet's name in the config (google.spreadsheets.<name>)
    title: str
    tabs: tuple[tuple[str, tuple[str, ...]], ...]  # (tab, header)
    readers: tuple[str, ...] = ()  # groups or people who may only read it


@dataclass(frozen=True)
class SetupPlan:
    folder: str
    forms: tuple[FormPlan, ...]
    sheets: tuple[SheetPlan, ...]
    template_name: str
    template_text: str
    editors: tuple[str, ...] = ()  # the coordinators: editors of the programme's folder



@dataclass
class Provisioned:
    """What provisioning found or made: config keys (as a path) -> ids, and a line per thing for the person."""

    ids: dict[tuple[str, ...], str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


@dataclass
class Backends:
    forms: Forms
    mailer: Mailer
    sheets: Sheets
    ledger: Ledger
    drive: Drive
    calendar: Calendar
    on_close: list[Callable[[], None]] = field(default_factory=list)
    on_new_run: list[Callable[[], None]] = field(default_factory=list)  # drop what a backend remembers of the last run
    # Where a backend can be asked whether every configured place is reachable: (what, problem or "").
    access: Callable[[], list[tuple[str, str]]] | None = None

    def new_run(self) -> None:
        """A run starts: what was read before may have changed since (people edit sheets, answer forms)."""
        for forget_reads in self.on_new_run:
            forget_reads()

    def close(self) -> None:
        """Let go of what the backends hold open (the ledger's database, connections)."""
        self.ledger.close()
        for close in self.on_close:
            close()
