"""Running jobs: the lock, one job's failure not stopping the others, the coordinators told once.

    outcomes = run_jobs(context, due_jobs(context.config, context.today))
    all(outcome.ok for outcome in outcomes)
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import nullcontext
from datetime import date, timedelta
from dataclasses import dataclass, field

from automation.config import Config
from automation.emails import Recipient
from automation.errors import ConfigError, MentorlusError, SendingPaused
from automation.jobs import JOBS
from automation.jobs.base import JobContext
from automation.ports import JobRun, Ledger

logger = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    name: str
    ok: bool
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    paused: bool = False  # stopped at the sending limit; not a failure, the next run continues


CATCH_UP_DAYS = 7


def due_jobs(config: Config, day: date, ledger: Ledger | None = None) -> list[str]:
    """The jobs due on `day`; with the ledger, also a job whose date passed in the last week without a good run."""
    due = []
    for name, job in JOBS.items():
        schedule = job.schedule(config)
        if schedule.is_due(day):
            due.append(name)
        elif ledger is not None and schedule.dates:
            missed = [d for d in schedule.dates if day - timedelta(days=CATCH_UP_DAYS) <= d < day]
            if missed and not any(run.ok and run.day >= max(missed) for run in ledger.job_runs(name)):
                due.append(name)  # cron was down on its day: catch up
    return due


def run_jobs(context: JobContext, names: list[str]) -> list[JobOutcome]:
    """Run these jobs in table order under the lock; a dry run takes no lock and records nothing."""
    unknown = [name for name in names if name not in JOBS]
    if unknown:
        raise ConfigError(f"unknown job {', '.join(unknown)}", hint=f"choose from: {', '.join(JOBS)}")
    lock = nullcontext() if context.dry_run else context.backends.ledger.lock()
    context.backends.new_run()
    with lock:
        return [_run_one(context, name) for name in JOBS if name in names]


def _run_one(context: JobContext, name: str) -> JobOutcome:
    job = JOBS[name]
    if context.dry_run:
        context.report.line(f"{name} (dry run):")
    try:
        result = job.run(context)
        outcome = JobOutcome(name, True, result.summary, result.warnings)
    except SendingPaused as error:
        logger.info("job %s paused: %s", name, error.message)
        outcome = JobOutcome(name, False, error=error.message, paused=True)
    except MentorlusError as error:
        logger.debug("job %s failed", name, exc_info=True)
        outcome = JobOutcome(name, False, error=str(error))
    except Exception as error:  # noqa: BLE001 - one job's bug must not stop the others
        logger.debug("job %s failed", name, exc_info=True)
        outcome = JobOutcome(
            name,
            False,
            error=f"unexpected error: {type(error).__name__}: {error}\n"
            f"  How to fix: run `mentorlus --debug job {name} --today {context.today}` to see where, and report it",
        )
    if not context.dry_run:
        context.backends.ledger.record_job_run(
            JobRun(name, context.today, outcome.ok, "; ".join(outcome.summary) or outcome.error, context.clock.now())
        )
    if not outcome.ok and not outcome.paused:
        _tell_coordinators(context, outcome)
    return outcome


def failure_variables(job: str, day: date, error: str, hint: str) -> dict:
    return {
        "job": job,
        "day": day.isoformat(),
        "error": error,
        "hint": hint,
        "command": f"mentorlus job {job} --today {day.isoformat()}",
    }


def template_samples(config: Config, language: str) -> dict[str, dict]:
    return {"job_failed": failure_variables("intake", config.registration.opens, "the mentor form has no column for the question „Töökoht”", "rename the question in the config")}


def _tell_coordinators(context: JobContext, outcome: JobOutcome) -> None:
    """One email per job, day and kind of failure; the next day's same failure is told again."""
    fingerprint = hashlib.sha256(outcome.error.encode("utf-8")).hexdigest()[:16]
    message, _, hint = outcome.error.partition("\n  How to fix: ")
    try:
        context.outbox.send(
            key=f"failure/{context.year_key}/{outcome.name}/{context.today.isoformat()}/{fingerprint}",
            job=outcome.name,
            purpose="failure notice",
            template="job_failed",
            language="et",
            to=[Recipient(c.email, c.name) for c in context.config.coordinators],
            variables=failure_variables(outcome.name, context.today, message, hint),
        )
    except Exception:  # noqa: BLE001 - the failure itself is already reported on stderr
        logger.warning("could not email the coordinators about the failure of %s", outcome.name, exc_info=True)
