"""Job `trainings` (S3.4, S7.1, S7.2): the mentor training and the mentee workshop, as calendar events with invitations.

Every eligible mentor is invited to the mentor training (those trained in an
earlier year as optional), every eligible mentee to the workshop; updates,
cancellations, reminders and the Attendance tabs as `jobs.events` describes.
Invitations go once registration has closed and eligibility is known.
"""

from __future__ import annotations

from datetime import timedelta

from automation.config import Config
from automation.domain.programme import Schedule
from automation.jobs.base import Job, JobContext, JobResult, Milestone
from automation.jobs.events import READS, TRAINING_KINDS, events_milestones, events_schedule, run_events, template_samples

NAME = "trainings"


def run(context: JobContext) -> JobResult:
    return run_events(context, NAME, TRAINING_KINDS)


def schedule(config: Config) -> Schedule:
    return events_schedule(config, TRAINING_KINDS, config.schedule.trainings, config.registration.closes + timedelta(days=1))


def milestones(config: Config) -> list[Milestone]:
    return events_milestones(config, TRAINING_KINDS)


JOB = Job(
    name=NAME,
    rules="S3.4 S7.1 S7.2",
    order=50,
    description="mentor training and mentee workshop: calendar events, invitations, updates, reminders, attendance",
    reads=READS,
    writes=("attendance",),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
