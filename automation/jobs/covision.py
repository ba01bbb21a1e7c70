"""Job `covision` (S7.3): covision groups of mentors and of mentees, as calendar events with invitations.

For the mentors and for the mentees of confirmed pairs, apart: stable
parallel groups within each session's capacity, a facilitator per group
session in rotation with their own guidance email, invitations reminding
that cases are confidential, updates, reminders, Attendance tabs. Groups are
formed once pairs are confirmed.
"""

from __future__ import annotations

from automation.config import Config
from automation.domain.programme import Schedule, confirmation_window
from automation.jobs.base import Job, JobContext, JobResult, Milestone
from automation.jobs.events import COVISION_KINDS, READS, events_milestones, events_schedule, run_events, template_samples

NAME = "covision"


def run(context: JobContext) -> JobResult:
    return run_events(context, NAME, COVISION_KINDS)


def schedule(config: Config) -> Schedule:
    return events_schedule(config, COVISION_KINDS, config.schedule.covision, confirmation_window(config)[0])


def milestones(config: Config) -> list[Milestone]:
    return events_milestones(config, COVISION_KINDS)


JOB = Job(
    name=NAME,
    rules="S7.3",
    order=60,
    description="covision groups of mentors and of mentees: stable groups, rotating facilitators, invitations, reminders",
    reads=READS,
    writes=("attendance",),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
