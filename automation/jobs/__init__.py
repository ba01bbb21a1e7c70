"""The dispatch table: every job, in the order `run` takes them. Cron, the scheduler and the demo all use it.

    JOBS["intake"].run(context)
"""

from __future__ import annotations

from automation.jobs import intake, registration_open
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
    )
}
