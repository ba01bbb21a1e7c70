"""`mentorlus demo`: a fresh workspace, a synthetic cohort, and the programme year played day by day.

    summary = run_demo(env, Path("/tmp/demo"), participants=120, seed=1)
    print(summary.text())

Each day it calls the same `run_jobs(due_jobs(...))` that cron's `mentorlus run` calls.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from automation.backends.local.files import write_csv
from automation.clock import FixedClock, SystemClock
from automation.config import Config, load_config
from automation.demo.cohort import (
    MEMBERS_HEADER,
    MENTEE_HEADER,
    MENTEE_QUESTIONS,
    MENTOR_HEADER,
    MENTOR_QUESTIONS,
    generate_cohort,
)
from automation.domain.registrations import Status
from automation.domain.registrations_tab import COMPUTED_COLUMNS
from automation.environment import Environment
from automation.errors import ConfigError
from automation.jobs.intake import REGISTRATIONS_TAB
from automation.jobs.runner import due_jobs, run_jobs


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _questions(questions: dict[str, str]) -> str:
    return "\n".join(f'"{title}" = "{field}"' for title, field in questions.items())


def demo_config_text(start_year: int) -> str:
    opens = _monday_on_or_after(date(start_year, 10, 2))
    closes = opens + timedelta(days=41)
    relationships_start = _monday_on_or_after(date(start_year + 1, 1, 3))
    return f'''# Written by `mentorlus demo`; every key is documented in config/program.example.toml.
[association]
name = "Eesti Karjäärinõustajate Ühing"
short_name = "KNÜ"
sender_email = "mentorlus@example.ee"
sender_name = "KNÜ mentorprogramm"
mailing_list = "liikmed@example.ee"
website = "https://example.ee/mentorlus"

[[coordinators]]
name = "Triin Pajo"
email = "triin.pajo@example.ee"
phone = "+372 5555 0001"

[[coordinators]]
name = "Merike Teelahk"
email = "merike.teelahk@example.ee"

[programme]
start = {start_year}-10-01
end = {start_year + 1}-06-30
relationships_start = {relationships_start.isoformat()}
relationships_end = {start_year + 1}-06-30

[registration]
opens = {opens.isoformat()}
closes = {closes.isoformat()}
announce_to = "mailing_list"
reminder_days_before_close = 5

[forms.mentor]
title = "Mentori registreerimisvorm"
url = "https://forms.gle/mentor-registreerimine"
responses = "forms/mentor.csv"

[forms.mentor.questions]
{_questions(MENTOR_QUESTIONS)}

[forms.mentee]
title = "Mentee registreerimisvorm"
url = "https://forms.gle/mentee-registreerimine"
responses = "forms/mentee.csv"

[forms.mentee.questions]
{_questions(MENTEE_QUESTIONS)}

[backend]
kind = "local"
workspace = "workspace"
'''


@dataclass
class DemoSummary:
    directory: Path
    config: Config
    participants: int
    mentors: int
    mentees: int
    days: int = 0
    job_runs: int = 0
    failed_runs: int = 0
    failures: list[str] = field(default_factory=list)
    sent: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    messages_in_outbox: int = 0

    def text(self) -> str:
        config, workspace = self.config, self.config.workspace
        lines = [
            f"mentorlus demo: {self.participants} people registering ({self.mentors} mentors, {self.mentees} mentees), "
            f"programme {config.programme.year_label}",
            f"Played {config.programme.start} .. {config.programme.end} ({self.days} days): {self.job_runs} job runs, {self.failed_runs} failed.",
        ]
        lines += [f"  failed: {failure}" for failure in self.failures[:5]]
        lines.append("Sent:")
        lines += [f"  {purpose:<28} {count:>6}" for purpose, count in sorted(self.sent.items())]
        lines.append(f"  {'messages in the outbox':<28} {self.messages_in_outbox:>6}")
        lines.append(
            "Registrations: "
            + ", ".join(f"{self.statuses.get(status.value, 0)} {status.value}" for status in Status)
        )
        lines += [
            "Where to look:",
            f"  config             {self.directory / 'program.toml'}",
            f"  emails (Maildir)   {workspace / 'outbox'}",
            f"  registrations      {workspace / 'sheets' / config.sheets.coordinators / (REGISTRATIONS_TAB + '.csv')}",
            f"  form exports       {workspace / 'forms'}",
            f"  ledger             {workspace / 'state.sqlite3'}",
            "How to go on:",
            f"  mentorlus --config {self.directory / 'program.toml'} plan",
            f"  mentorlus --config {self.directory / 'program.toml'} run --today {config.registration.opens} --dry-run",
            f"  mentorlus --config {self.directory / 'program.toml'} preview registration_received --lang et",
        ]
        return "\n".join(lines)


def _write_responses(path: Path, header: list[str], rows: list[tuple[datetime, list[str]]], upto: date) -> int:
    visible = [row for submitted, row in rows if submitted.date() <= upto]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header] + visible)
    return len(visible)


def run_demo(env: Environment, directory: Path | None, *, participants: int, seed: int) -> DemoSummary:
    directory = directory or Path(tempfile.mkdtemp(prefix="mentorlus-demo-"))
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "workspace" / "state.sqlite3").exists():
        raise ConfigError(f"{directory} already holds a demo workspace", hint="choose an empty --dir, or delete that folder")
    today = (env.clock or SystemClock()).today()
    start_year = today.year if today.month >= 7 else today.year - 1
    (directory / "program.toml").write_text(demo_config_text(start_year), encoding="utf-8")
    config = load_config(directory / "program.toml")
    cohort = generate_cohort(participants, seed, config.registration.opens, config.registration.closes, config.fee_year)
    backends = env.backends_factory(config)
    write_csv(config.workspace / "sheets" / config.members.sheet / f"{config.members.tab}.csv", [MEMBERS_HEADER] + cohort.members)

    summary = DemoSummary(directory, config, participants, len(cohort.mentors), len(cohort.mentees))
    first = min(config.programme.start, config.registration.opens)
    day, shown = first, (0, 0)
    progress = env.interactive
    while day <= config.programme.end:
        if day <= config.registration.closes:
            shown_now = (
                _write_responses(config.workspace / config.forms.mentor.responses, MENTOR_HEADER, cohort.mentor_rows, day),
                _write_responses(config.workspace / config.forms.mentee.responses, MENTEE_HEADER, cohort.mentee_rows, day),
            )
            shown = shown_now
        names = due_jobs(config, day)
        if names:
            context = env.job_context(config, clock=FixedClock.on(day, config.programme.timezone), backends=backends)
            for outcome in run_jobs(context, names):
                summary.job_runs += 1
                if not outcome.ok:
                    summary.failed_runs += 1
                    summary.failures.append(f"{day} {outcome.name}: {outcome.error}")
            summary.sent.update(context.report.counts)
        if progress and day.day == 1:
            print(f"  {day:%Y-%m}: {sum(summary.sent.values())} messages so far, {sum(shown)} responses", file=env.stdout, flush=True)
        summary.days += 1
        day += timedelta(days=1)

    rows = backends.sheets.read_tab(config.sheets.coordinators, REGISTRATIONS_TAB)
    status_column = COMPUTED_COLUMNS.index("Staatus")
    summary.statuses = Counter(row[status_column] for row in rows[1:])
    summary.messages_in_outbox = sum(1 for _ in (config.workspace / "outbox" / "new").iterdir())
    return summary
