"""Job `covision` (S7.3): covision groups of mentors and of mentees, as calendar events with invitations.

For the mentors and for the mentees of confirmed pairs, apart: stable
parallel groups within each session's capacity, a facilitator per group
session in rotation with their own guidance email, invitations reminding
that cases are confidential, updates, reminders, Attendance tabs. Groups are
formed once pairs are confirmed.
"""

from __future__ import annotations

from automation.domain.programme import confirmation_window
from automation.jobs.events import COVISION_KINDS, events_job

JOB = events_job(
    name="covision",
    title="kovisioon",
    kinds=COVISION_KINDS,
    rules="S7.3",
    order=60,
    description="covision groups of mentors and of mentees: stable groups, rotating facilitators, invitations, reminders",
    description_et="mentorite ja mentiide kovisioonigrupid: püsivad grupid, vahelduvad juhid, kutsed, meeldetuletused",
    configured=lambda config: config.schedule.covision,
    first_day=lambda config: confirmation_window(config)[0],
)
