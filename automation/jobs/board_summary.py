"""Job `board-summary` (S8.3): the board's sheet, Summary tab, and `report.html` with a chart of meetings.

Figures only: registrations by role and status, pairs by status, meetings
per month and how many pairs had how many, attendance of every event. No
name, email or workplace reaches the board. The tab is rewritten in place on
every run; `report.html` (in the workspace) shows the same, with an inline
SVG chart of meetings per month that a board member opens in a browser.
"""

from __future__ import annotations

from collections import Counter

from automation.config import Config
from automation.domain.pairs import PairStatus
from automation.domain.programme import Schedule
from automation.domain.summary import MEETINGS_PER_MONTH, Figures, bar_chart_svg, summary_rows
from automation.errors import MentorlusError
from automation.jobs.attendance import ATTENDED, attendance_of, ticked
from automation.jobs.base import JobContext, JobResult, Milestone
from automation.jobs.intake import assess_registrations
from automation.jobs.match import read_pairs
from automation.jobs.meetings import meetings_of_pairs
from automation.jobs.surveys import survey_figures

NAME = "board-summary"
SUMMARY_TAB = "Kokkuvõte"


def gather(context: JobContext) -> Figures:
    figures = Figures(context.today)
    assessed = assess_registrations(context)
    figures.registrations = Counter((a.registration.role.value, a.final_status.value) for a in assessed.assessments)
    pairs = read_pairs(context)
    figures.pairs = Counter(row.status.value for row in pairs.rows if row.status is not None)
    if context.config.forms.meeting_log is not None:
        try:
            counts, _ = meetings_of_pairs(context)
        except MentorlusError:
            counts = {}  # the meetings job names what is wrong with the log; the board still gets the rest
        held = {row.mentee_email for row in pairs.rows if row.status in (PairStatus.CONFIRMED, PairStatus.ENDED)}
        figures.meetings_per_pair = Counter(len(days) for mentee, days in counts.items() if mentee in held)
        months: Counter = Counter(day.strftime("%Y-%m") for days in counts.values() for day in days)
        figures.meetings_per_month = dict(sorted(months.items()))
    try:
        figures.surveys = survey_figures(context)
    except MentorlusError:
        figures.surveys = []  # the surveys job names what is wrong with a definition
    for event in sorted(context.config.events, key=lambda e: e.date):
        invitees = attendance_of(context, event)
        if invitees:
            attended = sum(ticked(cells.get(ATTENDED, "")) for cells in invitees)
            figures.attendance.append((event.date.isoformat(), event.title, len(invitees), attended))
    return figures


def report_html(config: Config, figures: Figures, rows: list[list[str]]) -> str:
    from html import escape

    chart = bar_chart_svg(list(figures.meetings_per_month.items()), title=MEETINGS_PER_MONTH)
    body = "\n".join(
        f"<tr><td>{escape(section)}</td><td>{escape(label)}</td><td class=n>{escape(value)}</td></tr>" for section, label, value in rows[1:]
    )
    return f"""<!DOCTYPE html>
<html lang="et">
<head>
<meta charset="utf-8">
<title>{escape(config.programme.name)} {escape(config.programme.year_label)}: kokkuvõte juhatusele</title>
<style>
body {{ font-family: Georgia, serif; max-width: 760px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; }}
td.n {{ text-align: right; }}
</style>
</head>
<body>
<h1>{escape(config.association.name)}: {escape(config.programme.name.lower())} {escape(config.programme.year_label)}</h1>
<p>Kokkuvõte juhatusele seisuga {figures.day.isoformat()}. Ainult arvud: isikuandmeid siin ei ole.</p>
{chart}
<table>
<tr><th>Jaotis</th><th>Näitaja</th><th>Väärtus</th></tr>
{body}
</table>
</body>
</html>
"""


def run(context: JobContext) -> JobResult:
    config = context.config
    figures = gather(context)
    rows = summary_rows(figures)
    context.write_tab(config.sheets.board, SUMMARY_TAB, rows)
    report = config.workspace / "report.html"
    if context.dry_run:
        context.report.line(f"  would write {report}")
    else:
        report.write_text(report_html(config, figures, rows), encoding="utf-8")
        months = [index for index, row in enumerate(rows) if row[0] == MEETINGS_PER_MONTH]
        if months:
            context.backends.sheets.chart(config.sheets.board, SUMMARY_TAB, MEETINGS_PER_MONTH, months[0], months[-1] + 1)
    return JobResult([f"{len(rows) - 1} figures in {context.backends.sheets.location(config.sheets.board, SUMMARY_TAB)} and {report}"])


def template_samples(config: Config, language: str) -> dict[str, dict]:
    return {}


def schedule(config: Config) -> Schedule:
    return Schedule(dates=tuple(config.board_summary_dates))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(config.board_summary_dates[-1], "the year's last summary")]
