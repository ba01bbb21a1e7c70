"""`mentorlus plan`: the programme year, each job with its dates, done or not (from the ledger).

    for line in plan_lines(config, ledger, today): print(line)
"""

from __future__ import annotations

from datetime import date

from automation.config import Config
from automation.domain.text import Say
from automation.jobs import JOBS
from automation.ports import Ledger


def plan_lines(config: Config, ledger: Ledger, today: date) -> list[str]:
    say = Say(config.programme.language)
    programme = config.programme
    lines = [
        say(f"{programme.name} {programme.year_label}: {programme.start} .. {programme.end}, "
            f"mentorsuhted {programme.relationships_start} .. {programme.relationships_end}; täna on {today}",
            f"{programme.name} {programme.year_label}: {programme.start} .. {programme.end}, "
            f"relationships {programme.relationships_start} .. {programme.relationships_end}; today is {today}"),
        "",
    ]
    for name, job in JOBS.items():
        runs = ledger.job_runs(name)
        ok_days = sorted({run.day for run in runs if run.ok})
        schedule = job.schedule(config)
        lines.append(f"{name}  [{job.rules}]  {say(job.description_et, job.description)}")
        lines.append(f"    {say('käib', 'runs')}: {schedule.describe(say)}")
        for milestone in sorted(job.milestones(config), key=lambda m: m.day):
            done = next((day for day in ok_days if day >= milestone.day), None)
            if done:
                state = say(f"tehtud {done}", f"done {done}")
            else:
                state = say("aeg käes, tegemata", "due, not done") if milestone.day <= today else say("tulemas", "to come")
            lines.append(f"    {milestone.day}  {milestone.label:<45} {state}")
        if runs:
            last = runs[-1]
            days = say.count(len(ok_days), ("{n} päeval", "{n} päeval"), ("{n} day", "{n} days"))
            result = say("korras", "ok") if last.ok else say("EBAÕNNESTUS", "FAILED")
            lines.append(say(f"    käis {days}; viimati {last.day}: {result}: {last.summary}",
                             f"    ran on {days}; last {last.day}: {result}: {last.summary}"))
        lines.append("")
    return lines
