"""The dispatch table: every job, in the order `run` takes them. Cron, the scheduler and the demo all use it.

    JOBS["intake"].run(context)
"""

from __future__ import annotations

from automation.jobs import board_summary, erasure, events, intake, match, meetings, pair_confirmation, recognition, registration_open, surveys
from automation.jobs.base import Job

JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            registration_open.NAME,
            "S2.4",
            "announces that registration is open; reminds members not yet registered",
            registration_open.schedule,
            registration_open.milestones,
            registration_open.run,
            registration_open.template_samples,
        ),
        Job(
            intake.NAME,
            "S2.4 S3 S4 S5.1",
            "reads registrations, checks eligibility, writes the Registrations tab, acknowledges, digests",
            intake.schedule,
            intake.milestones,
            intake.run,
            intake.template_samples,
        ),
        Job(
            match.NAME,
            "S5.2 S5.5",
            "proposes an optimal set of pairs, explained, into the Pairs tab for the committee",
            match.schedule,
            match.milestones,
            match.run,
            match.template_samples,
        ),
        Job(
            pair_confirmation.NAME,
            "S5.3 S5.4 S6.3 S6.4 S6.7 S6.8",
            "confirms approved pairs: agreement, emails to both; reports ended pairs and change requests",
            pair_confirmation.schedule,
            pair_confirmation.milestones,
            pair_confirmation.run,
            pair_confirmation.template_samples,
            pair_confirmation.document_samples,
        ),
        Job(
            "trainings",
            "S3.4 S7.1 S7.2",
            "mentor training and mentee workshop: calendar events, invitations, updates, reminders, attendance",
            events.trainings_schedule,
            events.trainings_milestones,
            events.run_trainings,
            events.template_samples,
        ),
        Job(
            "covision",
            "S7.3",
            "covision groups of mentors and of mentees: stable groups, rotating facilitators, invitations, reminders",
            events.covision_schedule,
            events.covision_milestones,
            events.run_covision,
            events.template_samples,
        ),
        Job(
            meetings.NAME,
            "S2.3 S6.7 S6.8",
            "counts each pair's meetings from the meeting log, nudges pairs behind the pace, tells the coordinators",
            meetings.schedule,
            meetings.milestones,
            meetings.run,
            meetings.template_samples,
        ),
        Job(
            surveys.NAME,
            "S6.5 S6.6 S8.1 S8.2",
            "feedback surveys: forms created, links sent, non-respondents reminded at most twice, aggregated summaries",
            surveys.schedule,
            surveys.milestones,
            surveys.run,
            surveys.template_samples,
        ),
        Job(
            board_summary.NAME,
            "S8.3",
            "the board's figures, no personal data: the Summary tab and report.html with a chart of meetings",
            board_summary.schedule,
            board_summary.milestones,
            board_summary.run,
            board_summary.template_samples,
        ),
        Job(
            recognition.NAME,
            "S8.4",
            "the board's thank-you to each participant, with their own record attached",
            recognition.schedule,
            recognition.milestones,
            recognition.run,
            recognition.template_samples,
            recognition.document_samples,
        ),
        Job(
            erasure.NAME,
            "GDPR",
            "erases the personal data a set time after the programme; keeps the board's figures",
            erasure.schedule,
            erasure.milestones,
            erasure.run,
            erasure.template_samples,
        ),
    )
}
