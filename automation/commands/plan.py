"""`mentorlus plan`: the programme year, each job with its dates, done or not (from the ledger).

    for line in plan_lines(config, ledger, today): print(line)
"""

from __future__ import annotations

from datetime import date

from automation.config import Config
from automation.jobs import JOBS
from automation.ports import Ledger


def plan_lines(config: Config, ledger: Ledger, today: date) -> list[str]:
    programme = config.programme
    lines = [
        f"{programme.name} {programme.year_label}: {programme.start} .. {programme.end}, "
        f"relationships {programme.relationships_start} .. {programme.relationships_end}; today is {today}",
        "",
    ]
    for name, job in JOBS.items():
        runs = ledger.job_runs(name)
        ok_days = sorted({run.day for run in runs if run.ok})
        schedule = job.schedule(config)
        lines.append(f"{name}  [{job.rules}]  {job.description}")
        lines.append(f"    runs: {schedule.describe()}")
        for milestone in sorted(job.milestones(config), key=lambda m: m.day):
            done = next((day for day in ok_days if day >= milestone.day), None)
            state = f"done {done}" if done else ("due, not done" if milestone.day <= today else "to come")
            lines.append(f"    {milestone.day}  {milestone.label:<45} {state}")
        if runs:
            last = runs[-1]
            lines.append(f"    ran on {len(ok_days)} day(s); last {last.day}: {'ok' if last.ok else 'FAILED'}: {last.summary}")
        lines.append("")
    return lines
