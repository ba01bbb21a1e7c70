"""The dispatch table: every job, in the order `run` takes them. Cron, the scheduler and the demo all use it.

    JOBS["intake"].run(context)

Each job module in this package ends with its declaration, `JOB = Job(...)`;
the table collects them, so adding a job is adding its module.
"""

from __future__ import annotations

import importlib
import pkgutil

from automation.jobs.base import Job


def _collect() -> dict[str, Job]:
    found: list[Job] = []
    for module in pkgutil.iter_modules(__path__):
        job = getattr(importlib.import_module(f"{__name__}.{module.name}"), "JOB", None)
        if isinstance(job, Job):
            found.append(job)
    names = [job.name for job in found]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"two job modules declare the same name: {', '.join(sorted(duplicates))}"
    return {job.name: job for job in sorted(found, key=lambda job: (job.order, job.name))}


JOBS: dict[str, Job] = _collect()
