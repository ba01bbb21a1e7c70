"""Job `trainings` (S3.4, S7.1, S7.2): the mentor training and the mentee workshop, as calendar events with invitations.

Every eligible mentor is invited to the mentor training (those trained in an
earlier year as optional), every eligible mentee to the workshop; updates,
cancellations, reminders and the Attendance tabs as `jobs.events` describes.
Invitations go once registration has closed and eligibility is known.
"""

from __future__ import annotations

from datetime import timedelta

from automation.jobs.events import TRAINING_KINDS, events_job

JOB = events_job(
    name="trainings",
    title="koolitused",
    kinds=TRAINING_KINDS,
    rules="S3.4 S7.1 S7.2",
    order=50,
    description="mentor training and mentee workshop: calendar events, invitations, updates, reminders, attendance",
    description_et="mentorite koolitus ja mentiide töötuba: kalendrisündmused, kutsed, muudatused, meeldetuletused, osalemine",
    configured=lambda config: config.schedule.trainings,
    first_day=lambda config: config.registration.closes + timedelta(days=1),
)
