"""What every job gets (JobContext), what it returns (JobResult), and exactly-once sending (Outbox).

    def run(context: JobContext) -> JobResult:
        context.outbox.send(key=..., job="intake", purpose="acknowledgement",
                            template="registration_received", language="et",
                            to=[Recipient(email, name)], variables={...})
        return JobResult(["3 acknowledgements sent"])
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Callable, Mapping, Sequence, TextIO, TypeVar

from automation.clock import Clock
from automation.config import Config
from automation.domain.programme import Schedule
from automation.domain.text import format_day
from automation.emails import Attachment, Recipient, TemplateLibrary, compose, message_id_for
from automation.errors import SendingPaused
from automation.ports import Backends, EffectState

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Sent(Enum):
    SENT = "sent"
    ALREADY_DONE = "already done"
    RECOVERED = "recovered"  # a previous run delivered it but crashed before recording it
    WOULD_SEND = "would send"

    @property
    def is_new(self) -> bool:
        """Sent by this run (or would be, in a dry run)."""
        return self in (Sent.SENT, Sent.WOULD_SEND)


@dataclass
class Report:
    """What a run did, counted per purpose, and the dry run's listing."""

    out: TextIO
    verbose: bool = False
    counts: Counter = field(default_factory=Counter)

    def line(self, text: str) -> None:
        print(text, file=self.out)


class Outbox:
    """Sends each message at most once and never loses one, whatever crashes.

    The ledger records the intent before the send and completion after it. A
    key found pending means a crash between the two: the mailer is asked
    whether the message (found by its Message-ID, derived from the key) got
    out, and it is sent only if it did not.
    """

    def __init__(self, config: Config, clock: Clock, backends: Backends, templates: TemplateLibrary, report: Report, dry_run: bool):
        self.config, self.clock, self.backends, self.templates = config, clock, backends, templates
        self.report, self.dry_run = report, dry_run

    def send(
        self,
        *,
        key: str,
        job: str,
        purpose: str,
        template: str,
        language: str,
        to: Sequence[Recipient],
        variables: Mapping[str, Any],
        attachments: Sequence[Attachment] = (),
        calendar: tuple[str, bytes] | None = None,
    ) -> Sent:
        ledger, mailer = self.backends.ledger, self.backends.mailer
        state = ledger.state(key)
        if state is EffectState.DONE:
            return Sent.ALREADY_DONE
        context = {**common_variables(self.config, language), **variables}
        rendered = self.templates.render(template, language, context)
        message_id = message_id_for(key, self.config.association.sender_email)
        message = compose(
            rendered,
            sender=Recipient(self.config.association.sender_email, self.config.association.sender_name),
            to=to,
            reply_to=[Recipient(c.email, c.name) for c in self.config.coordinators],
            message_id=message_id,
            sent_at=self.clock.now(),
            language=language,
            attachments=attachments,
            calendar=calendar,
        )
        recipients = ", ".join(f"{r.name} <{r.email}>" if r.name else r.email for r in to)
        if self.dry_run:
            self.report.line(f"  would send [{purpose}] to {recipients}: {rendered.subject}")
            if self.report.verbose:
                self.report.line("    " + rendered.text.replace("\n", "\n    "))
            self.report.counts[f"{purpose} (dry run)"] += 1
            return Sent.WOULD_SEND
        now = self.clock.now()
        if state is EffectState.PENDING and mailer.was_sent(message_id):
            ledger.record_done(key, now=now)
            logger.info("recovered %s: it was delivered before a crash", key)
            self.report.counts[purpose] += 1
            return Sent.RECOVERED
        budget_key = f"mail/sent/{self.clock.today().isoformat()}"
        sent_today = int(ledger.read_state(budget_key) or 0)
        if sent_today >= self.config.mail.daily_limit:
            raise SendingPaused(
                f"the daily sending limit is reached ({sent_today} of mail.daily_limit = {self.config.mail.daily_limit} today); "
                "the rest waits for the next run",
                hint="nothing to do: tomorrow's run continues; raise mail.daily_limit only if the account allows more",
            )
        ledger.record_intent(key, job=job, recipient=",".join(r.email for r in to), purpose=purpose, now=now)
        mailer.send(message)
        ledger.record_done(key, now=self.clock.now())
        ledger.write_state(budget_key, str(sent_today + 1))
        logger.info("sent %s to %s", purpose, recipients)
        self.report.counts[purpose] += 1
        return Sent.SENT

    def remember(self, key: str, *, job: str, purpose: str) -> None:
        """Record a fact with no external effect (e.g. 'this row was reported to the coordinators')."""
        if self.dry_run or self.backends.ledger.state(key) is EffectState.DONE:
            return
        now = self.clock.now()
        self.backends.ledger.record_intent(key, job=job, recipient="", purpose=purpose, now=now)
        self.backends.ledger.record_done(key, now=now)


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def tell_coordinators_once(
    context: JobContext,
    *,
    job: str,
    topic: str,
    template: str,
    items: Sequence[tuple[str, T]],
    variables: Callable[[list[T]], Mapping[str, Any]],
    purpose: str | None = None,
) -> bool:
    """One email to the coordinators about the items they have not been told of yet; none when nothing is new.

    Each item comes with a stable id. The email's key derives from the ids it
    tells of, so after a crash the same email is recovered, not sent again;
    then each id is remembered as told.
    """
    prefix = f"{job}/{context.year_key}/told/{topic}/"
    told = context.backends.ledger.keys_with_prefix(prefix)
    fresh = [(prefix + item_id, item) for item_id, item in items if prefix + item_id not in told]
    if not fresh:
        return False
    context.outbox.send(
        key=f"{job}/{context.year_key}/{topic}/{fingerprint(*sorted(key for key, _ in fresh))}",
        job=job,
        purpose=purpose or f"coordinators: {topic}",
        template=template,
        language="et",
        to=[Recipient(c.email, c.name) for c in context.config.coordinators],
        variables=variables([item for _, item in fresh]),
    )
    for key, _ in fresh:
        context.outbox.remember(key, job=job, purpose=f"told the coordinators: {topic}")
    return True


def common_variables(config: Config, language: str) -> dict[str, Any]:
    """Variables every template may use."""
    programme = config.programme
    return {
        "association": config.association.name,
        "association_short": config.association.short_name,
        "website": config.association.website,
        "programme_name": programme.name,
        "programme_year": programme.year_label,
        "programme_start": format_day(programme.start, language),
        "programme_end": format_day(programme.end, language),
        "relationships_start": format_day(programme.relationships_start, language),
        "relationships_end": format_day(programme.relationships_end, language),
        "minimum_meetings": programme.minimum_meetings,
        "coordinators": [
            {"name": c.name, "email": c.email, "phone": c.phone, "contact": ", ".join(filter(None, (c.name, c.email, c.phone)))}
            for c in config.coordinators
        ],
        "signature": config.association.sender_name,
    }


@dataclass
class JobContext:
    config: Config
    clock: Clock
    backends: Backends
    templates: TemplateLibrary
    report: Report
    dry_run: bool = False

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.config, self.clock, self.backends, self.templates, self.report, self.dry_run)

    @property
    def today(self) -> date:
        return self.clock.today()

    @property
    def year_key(self) -> str:
        """The programme year in ledger keys: each year's effects are apart."""
        return str(self.config.programme.start.year)

    def write_tab(self, sheet: str, tab: str, rows: Sequence[Sequence[str]]) -> None:
        if self.dry_run:
            self.report.line(f"  would write {len(rows) - 1} rows to {self.backends.sheets.location(sheet, tab)}")
            return
        self.backends.sheets.write_tab(sheet, tab, rows)


@dataclass
class JobResult:
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Milestone:
    day: date
    label: str


@dataclass(frozen=True)
class Job:
    name: str
    rules: str
    description: str
    schedule: Callable[[Config], Schedule]
    milestones: Callable[[Config], list[Milestone]]
    run: Callable[[JobContext], JobResult]
    template_samples: Callable[[Config, str], dict[str, dict]]  # for `check` and `preview`, per language
    document_samples: Callable[[Config, str], dict[str, dict]] = lambda config, language: {}
