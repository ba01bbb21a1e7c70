"""Running jobs: the lock, one snapshot per run, one job's failure not stopping the others, the coordinators told once.

    outcomes = run_jobs(context, due_jobs(context.config, context.today, ledger))
    all(outcome.ok for outcome in outcomes)

Before the jobs, emails a dead run may have sent are settled (found and
recorded, or left to be decided again). A day before a job's last run is
never replayed. A stop asked for by SIGTERM or SIGINT ends the run at the
next effect, with the job's run recorded as stopped, so the next run picks
it up again.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta

from automation.config import Config
from automation.domain.text import format_day, format_on_day
from automation.emails import Recipient
from automation.errors import ConfigError, MentorlusError, SendingPaused, in_language
from automation.jobs import JOBS
from automation.jobs.base import JobContext
from automation.jobs.effects import Stopped
from automation.jobs.snapshot import depends_on
from automation.ports import JobRun, Ledger

logger = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    name: str
    ok: bool
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    error_et: str = ""  # what happened and what to do, in Estonian, for the coordinators
    hint_et: str = ""
    paused: bool = False  # stopped at the sending limit; not a failure, the next run continues
    stopped: bool = False  # stopped by a signal at an effect boundary; the next run continues
    skipped: bool = False  # a day before the job's last run: not replayed
    postponed: bool = False  # an earlier job that writes what it reads failed: it waits for the next run

    def error_text(self, language: str) -> str:
        """The error as the command line prints it: Estonian for an Estonian config where the Estonian is written."""
        return in_language(language, self.error, self.error_et, self.hint_et)


CATCH_UP_DAYS = 7


def due_jobs(config: Config, day: date, ledger: Ledger | None = None) -> list[str]:
    """The jobs due on `day`; with the ledger, also a job with a due day in the last week and no good run since it."""
    due = []
    for name, job in JOBS.items():
        schedule = job.schedule(config)
        if schedule.is_due(day):
            due.append(name)
            continue
        if ledger is None:
            continue
        last_due = next((earlier for earlier in (day - timedelta(days=back) for back in range(1, CATCH_UP_DAYS + 1)) if schedule.is_due(earlier)), None)
        if last_due is None:
            continue
        last_good = ledger.last_day(name, ok=True)
        if not (last_good is not None and last_good >= last_due):
            due.append(name)  # cron was down, or the job failed, on its last day: catch up
    return due


def run_jobs(context: JobContext, names: list[str]) -> list[JobOutcome]:
    """Run these jobs in table order under the lock; a dry run takes no lock and records nothing."""
    unknown = [name for name in names if name not in JOBS]
    if unknown:
        from automation.commands.check import did_you_mean

        raise ConfigError(f"unknown job {', '.join(unknown)}{did_you_mean(unknown[0], list(JOBS))}", hint=f"choose from: {', '.join(JOBS)}",
                          message_et=f"tundmatu töö {', '.join(unknown)}{did_you_mean(unknown[0], list(JOBS), 'et')}",
                          hint_et=f"vali nende seast: {', '.join(JOBS)}")
    lock = nullcontext() if context.dry_run else context.backends.ledger.lock()
    context.backends.new_run()
    outcomes: list[JobOutcome] = []
    unsettled: dict[str, str] = {}  # a part of the snapshot a failed job may have left half-written -> that job
    latest = None if context.dry_run else last_run_day(context.backends.ledger)
    if latest is not None and context.today < latest:
        # The inputs have moved on since that day: replaying it could only do what was not due then.
        note = context.say(f"ei käivitatud: viimane käivitus oli {context.say.day(latest)}; varasemat päeva ei korrata (midagi ei saadetud, kirjutatud ega salvestatud)",
                           f"not run: the last run was on {latest}; a day before that is never replayed (nothing was sent, written or recorded)")
        return [JobOutcome(name, True, [note], skipped=True) for name in JOBS if name in names]
    with lock:
        context.effects.settle_pending()
        for name in JOBS:
            if name not in names:
                continue
            waits_for = sorted({unsettled[part] for part in depends_on(JOBS[name].reads) if part in unsettled})
            outcome = _postpone(context, name, waits_for) if waits_for else _run_one(context, name)
            outcomes.append(outcome)
            if outcome.stopped:
                logger.warning("the run stopped: %s", outcome.error)
                break
            if not outcome.ok and not outcome.skipped:
                unsettled.update((part, name) for part in JOBS[name].writes)
    return outcomes


def _postpone(context: JobContext, name: str, waits_for: list[str]) -> JobOutcome:
    """Not run today: it would read what a failed job left half-done. Recorded as not done, so the next run catches it up."""
    error = f"postponed: it reads what {', '.join(waits_for)} writes, and that failed today; the next run does it"
    error_et = f"edasi lükatud: see loeb, mida kirjutab {', '.join(waits_for)}, ja see ebaõnnestus täna; järgmine käivitus teeb selle ära"
    outcome = JobOutcome(name, False, error=error, error_et=error_et, postponed=True)
    if not context.dry_run:
        context.backends.ledger.record_job_run(JobRun(name, context.today, False, outcome.error_text(context.say.language), context.clock.now()))
    return outcome


def last_run_day(ledger: Ledger) -> date | None:
    """The latest day any job ran on: the programme's state has moved on to it."""
    return ledger.last_day()


def _run_one(context: JobContext, name: str) -> JobOutcome:
    job = JOBS[name]
    if context.dry_run:
        context.report.line(context.say(f"{name} (proovikäivitus):", f"{name} (dry run):"))
    try:
        try:
            result = job.run(context.for_job(job))
        finally:
            context.effects.make_durable()  # what the job sent is recorded, whatever stopped it
        outcome = JobOutcome(name, True, result.summary, result.warnings)
    except Stopped as error:
        outcome = JobOutcome(name, False, error=error.message, error_et=error.message_et, stopped=True)
    except SendingPaused as error:
        logger.info("job %s paused: %s", name, error.message)
        outcome = JobOutcome(name, False, error=error.message, error_et=error.message_et, paused=True)
    except MentorlusError as error:
        logger.debug("job %s failed", name, exc_info=True)
        outcome = JobOutcome(name, False, error=str(error), error_et=error.message_et, hint_et=error.hint_et)
    except Exception as error:  # noqa: BLE001 - one job's bug must not stop the others
        logger.debug("job %s failed", name, exc_info=True)
        outcome = JobOutcome(
            name,
            False,
            error=f"unexpected error: {type(error).__name__}: {error}\n"
            f"  How to fix: run `{context.command} --debug job {name}` to see where, and report it",
            error_et=f"tööriistas tekkis ootamatu viga ({type(error).__name__}: {error})",
            hint_et=f"käivita `{context.command} --debug job {name}` ja saada selle väljund tööriista seadistajale",
        )
    if not context.dry_run:
        context.backends.ledger.record_job_run(
            JobRun(name, context.today, outcome.ok, "; ".join(outcome.summary) or outcome.error_text(context.say.language), context.clock.now())
        )
    if not outcome.ok and not outcome.paused and not outcome.stopped:
        _tell_coordinators(context, outcome)
    return outcome


def failure_variables(job: str, day: date, error: str, hint: str, command: str, detail: str = "") -> dict:
    return {
        "job": job,
        "day": format_day(day, "et"),
        "on_day": format_on_day(day, "et"),
        "error": error,
        "hint": hint,
        "command": command,
        "detail": detail,  # the technical message, when no Estonian one was written for this error
    }


def template_samples(config: Config, language: str) -> dict[str, dict]:
    return {"job_failed": failure_variables(
        "registreerimiste läbivaatus", config.registration.opens,
        "vormis „Mentori registreerimisvorm“ (forms/mentor.csv) ei ole küsimust „Töökoht“; kas küsimust on vormis muudetud?",
        "kirjuta küsimus seadistusfaili jaotisesse forms.mentor.questions täpselt nii, nagu see vormis on",
        "mentorlus --config config/program.toml job intake")}


def _tell_coordinators(context: JobContext, outcome: JobOutcome) -> None:
    """One email per job, day and kind of failure; the next day's same failure is told again."""
    fingerprint = hashlib.sha256(outcome.error.encode("utf-8")).hexdigest()[:16]
    message, _, hint = outcome.error.partition("\n  How to fix: ")
    if outcome.error_et:
        error, advice, detail = outcome.error_et, outcome.hint_et, ""
    else:
        error, advice, detail = "töö katkes veaga, mille kohta eestikeelset selgitust ei ole", "", f"{message}" + (f" ({hint})" if hint else "")
    try:
        context.effects.send(
            key=f"failure/{context.year_key}/{outcome.name}/{context.today.isoformat()}/{fingerprint}",
            job=outcome.name,
            purpose="failure notice",
            template="job_failed",
            language="et",
            to=[Recipient(c.email, c.name) for c in context.config.coordinators],
            variables=failure_variables(JOBS[outcome.name].title, context.today, error, advice, f"{context.command} job {outcome.name}", detail),
        )
        context.effects.make_durable()
    except Exception:  # noqa: BLE001 - the failure itself is already reported on stderr
        logger.warning("could not email the coordinators about the failure of %s", outcome.name, exc_info=True)
