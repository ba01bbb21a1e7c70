"""Erasing personal data (GDPR): one person at any time (`mentorlus forget EMAIL`), everyone after the programme.

    erased = forget(context, "mari.tamm@example.ee")   # ["forms/mentee.csv: 1 row(s) removed, 0 changed", ...]

The job `retention` runs `retention.months_after_end` months after the
programme ends: form exports, the coordinators' sheet, the members register
copy, the outbox, the documents and who got what are erased; the board's
figures (no personal data) and the record of which job ran when stay.
Both are safe to run again: what is gone stays gone, and nobody else is touched.
"""

from __future__ import annotations

import calendar
from datetime import date

from automation.config import Config
from automation.domain.programme import Schedule
from automation.domain.registrations import normalise_email, normalise_text
from automation.errors import ConfigError
from automation.jobs.base import Job, JobContext, JobResult, Milestone

NAME = "retention"


def names_of(context: JobContext, email: str) -> tuple[list[str], list[str]]:
    """The full names the person appears under (the name column of their rows in the exports and the register),
    and the names also borne by someone else, which are left alone so that a namesake keeps their data."""
    config = context.config
    names: set[str] = set()
    others: set[str] = set()
    sources = []
    for form in (config.forms.mentor, config.forms.mentee):
        table = context.backends.forms.read_responses(form)
        name_question = next((question for question, field in form.questions.items() if field == "name"), None)
        email_question = next((question for question, field in form.questions.items() if field == "email"), None)
        if table is not None and name_question and email_question:
            sources.append(([table.header] + table.rows, email_question, name_question))
    register = context.backends.sheets.read_tab(config.members.sheet, config.members.tab)
    if register:
        sources.append((register, config.members.email_column, config.members.name_column))
    for rows, email_column, name_column in sources:
        header = [normalise_text(title).casefold() for title in rows[0]]
        if normalise_text(email_column).casefold() not in header or normalise_text(name_column).casefold() not in header:
            continue
        at, named = header.index(normalise_text(email_column).casefold()), header.index(normalise_text(name_column).casefold())
        for row in rows[1:]:
            if at < len(row) and named < len(row):
                name = normalise_text(row[named])
                if " " not in name:  # only a full name: a first name alone would erase other people's words
                    continue
                (names if normalise_email(row[at]) == email else others).add(name)
    shared = sorted(names & others)
    return sorted(names - others, key=len, reverse=True), shared


def forget(context: JobContext, email: str) -> list[str]:
    address = normalise_email(email)
    if address is None:
        raise ConfigError(f"„{email}“ is not an email address", hint="give the address the person registered with")
    names, shared = names_of(context, address)
    backends = context.backends
    erased: list[str] = []
    for store in (backends.forms, backends.sheets, backends.mailer, backends.drive, backends.calendar, backends.ledger):
        erased += store.forget(address, names)
    erased += [
        f"note: someone else is also called {name}; texts naming {name} without the address were kept, check them by hand"
        for name in shared
    ]
    return erased


def run(context: JobContext) -> JobResult:
    config, backends = context.config, context.backends
    steps = [
        ("the form exports", backends.forms.delete_all),
        ("the coordinators' sheet", lambda: backends.sheets.delete_tabs(config.sheets.coordinators)),
        *([("the members register", lambda: backends.sheets.delete_tabs(config.members.sheet))] if config.erases_members_register else []),
        ("the sent mail", backends.mailer.delete_all),
        ("the documents", backends.drive.delete_all),
        ("the calendar's attendees", backends.calendar.delete_attendees),
        ("who got what", backends.ledger.forget_everyone),  # last: it forgets the records of the steps before it too
    ]
    erased: list[str] = []
    for what, erase in steps:
        # Each erasure is safe to repeat: what is gone stays gone.
        context.effects.once(f"{NAME}/{context.year_key}/{what}", job=NAME, purpose="erased", kind="erasure",
                             do=lambda erase=erase: erased.extend(erase()), describe=f"erase {what}")
    if context.dry_run:
        return JobResult(["dry run: nothing erased"])
    return JobResult([f"personal data erased ({len(erased)} item(s)); the board's figures kept"] + erased)


def retention_day(config: Config) -> date:
    """`retention.months_after_end` months after the programme's last day."""
    end = config.programme.end
    month = end.month - 1 + config.retention.months_after_end
    year, month = end.year + month // 12, month % 12 + 1
    return date(year, month, min(end.day, calendar.monthrange(year, month)[1]))


def schedule(config: Config) -> Schedule:
    return Schedule(dates=(retention_day(config),))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(retention_day(config), "personal data erased; the board's figures kept")]


JOB = Job(
    name=NAME,
    title="isikuandmete kustutamine",
    rules="GDPR",
    order=110,
    description="erases the personal data a set time after the programme; keeps the board's figures",
    reads=(),
    schedule=schedule,
    milestones=milestones,
    run=run,
)
