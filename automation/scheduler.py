"""`mentorlus scheduler`: the long-running alternative to cron.

    run_scheduler(env, Path("config/program.toml"))   # runs until stopped

Every day at programme.run_time (in the programme's time zone) it runs the
day's due jobs, exactly as `mentorlus run` does. The config is read afresh
each day, so the coordinators' edits take effect without a restart. A
failure is logged and the loop goes on.
"""

from __future__ import annotations

import logging
from pathlib import Path

import schedule

from automation.config import load_config
from automation.environment import Environment
from automation.commands.runner import due_jobs, run_jobs
from automation.domain.text import Say

logger = logging.getLogger(__name__)
POLL_SECONDS = 30


def daily_run(env: Environment, config_path: Path) -> None:
    try:
        config = load_config(config_path)
        clock = env.clock_for(config)
        context = env.job_context(config, clock=clock)
        try:
            outcomes = run_jobs(context, due_jobs(config, clock.today(), context.backends.ledger))
        finally:
            context.backends.close()
        say = Say(config.programme.language)
        for outcome in outcomes:
            # What a scheduler run did is read in its log: in the coordinators' language, as `run` prints it.
            if outcome.ok:
                logger.info("%s: %s: %s", outcome.name, say("korras", "ok"), "; ".join(outcome.summary))
            else:
                logger.error("%s %s: %s", outcome.name, say("ebaõnnestus", "failed"), outcome.error_text(say.language))
    except Exception as error:  # noqa: BLE001 - the loop must survive a bad day
        logger.error("the daily run failed: %s", error, exc_info=logger.isEnabledFor(logging.DEBUG))


def build_scheduler(env: Environment, config_path: Path) -> schedule.Scheduler:
    config = load_config(config_path)
    scheduler = schedule.Scheduler()
    at = config.programme.run_time.strftime("%H:%M")
    scheduler.every().day.at(at, config.programme.timezone).do(daily_run, env, config_path)
    logger.info("scheduler: the day's jobs run daily at %s %s", at, config.programme.timezone)
    return scheduler


def run_scheduler(env: Environment, config_path: Path, *, max_polls: int | None = None) -> None:
    scheduler = build_scheduler(env, config_path)
    polls = 0
    while max_polls is None or polls < max_polls:
        scheduler.run_pending()
        env.sleep(POLL_SECONDS)
        polls += 1
