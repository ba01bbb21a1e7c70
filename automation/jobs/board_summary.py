"""Job `board-summary` (S8.3): the board's sheet, Summary tab, and `report.html` with a chart of meetings.

Figures only: registrations by role and status, pairs by status, meetings
per month and how many pairs had how many, attendance of every event. No
name, email or workplace reaches the board. The tab is rewritten in place on
every run; `report.html` (in the workspace) shows the same, with an inline
SVG chart of meetings per month that a board member opens in a browser.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from markupsafe import Markup

from automation.config import Config
from automation.domain.attendance import ATTENDED, ticked
from automation.domain.meetings import behind_pace
from automation.domain.pairs import PairStatus
from automation.domain.programme import Schedule, monthly
from automation.domain.summary import MEETINGS_PER_MONTH, BoardReport, EventFigure, Figures, bar_chart_svg, board_report, summary_rows
from automation.domain.text import Say, format_day, format_month
from automation.jobs.base import Job, JobContext, JobResult, Milestone, common_variables, fingerprint

NAME = "board-summary"
SUMMARY_TAB = "Kokkuvõte"
REPORT = "report"
COVISION_MINIMUM = 2  # S7.3: at least two mentor groups and two mentee groups during the programme


def summary_days(config: Config) -> list:
    """Monthly by default: the first of each month of the programme, and its last day."""
    if config.schedule.board_summary:
        return sorted(config.schedule.board_summary)
    return monthly(config.programme.start, config.programme.end)


def gather(context: JobContext) -> Figures:
    config, snapshot, today = context.config, context.snapshot, context.today
    figures = Figures(today)
    figures.registrations = Counter((a.registration.role.value, a.final_status.value) for a in snapshot.registrations.assessments)
    pairs = snapshot.pairs
    figures.pairs = Counter(row.status.value for row in pairs.rows if row.status is not None)
    # A meeting log the meetings job cannot read is that job's failure to name; the board still gets the rest.
    counts = snapshot.meetings.days
    held = [row for row in pairs.rows if row.status in (PairStatus.CONFIRMED, PairStatus.ENDED)]
    figures.meetings_per_pair = Counter(len(counts.get(row.mentee_email, [])) for row in held)
    programme = config.programme
    figures.pairs_on_pace = sum(
        1 for row in held if row.status is PairStatus.CONFIRMED and not behind_pace(
            len(counts.get(row.mentee_email, [])), today, row.start(programme.relationships_start), programme.relationships_end, programme.minimum_meetings)
    )
    months: Counter = Counter((day.year, day.month) for days in counts.values() for day in days)
    figures.meetings_per_month = [(format_month(date(year, month, 1), "et"), count) for (year, month), count in sorted(months.items())]
    figures.surveys = snapshot.survey_summaries() if not snapshot.surveys.error else []
    for event in sorted(config.events, key=lambda e: (e.date, e.start)):
        invitees = snapshot.attendance.get(event.id, [])
        attended = sum(ticked(cells.get(ATTENDED, "")) for cells in invitees)
        figures.events.append(EventFigure(event.date, event.title, event.kind, len(invitees), attended))
    return figures


def report_variables(config: Config, report: BoardReport, figures: Figures) -> dict:
    return {
        **common_variables(config, "et"),
        "chart": Markup(bar_chart_svg(figures.meetings_per_month, title=MEETINGS_PER_MONTH, axis="kohtumisi")) if figures.meetings_per_month else "",
        "day": format_day(report.day, "et"),
        "headline": report.headline,
        "sections": report.sections,
    }


def run(context: JobContext) -> JobResult:
    config = context.config
    figures = gather(context)
    report = board_report(figures, minimum_meetings=config.programme.minimum_meetings, covision_minimum=COVISION_MINIMUM)
    rows = summary_rows(report)
    context.write_tab(config.sheets.board, SUMMARY_TAB, rows)
    html = context.templates.render_document(REPORT, "et", report_variables(config, report, figures))
    drive, where = context.backends.drive, []
    # The report is an output worked out anew each time: published whenever it changed, which is safe to repeat.
    context.effects.once(
        f"{NAME}/{context.year_key}/report/{fingerprint(html)}", job=NAME, purpose="board report published", kind="document",
        do=lambda: where.append(drive.publish_report(REPORT, html)), describe=context.say("avaldaks juhatuse aruande", "would publish the board's report"),
    )
    months = [index for index, row in enumerate(rows) if row[0] == MEETINGS_PER_MONTH]
    if months and not context.dry_run:
        context.backends.sheets.chart(config.sheets.board, SUMMARY_TAB, MEETINGS_PER_MONTH, months[0], months[-1] + 1)
    place = where[0] if where else drive.report_location(REPORT)
    say = context.say
    figures = say.count(len(rows) - 1, ("{n} näitaja", "{n} näitajat"), ("{n} figure", "{n} figures"))
    sheet = context.backends.sheets.location(config.sheets.board, SUMMARY_TAB)
    return JobResult([say(f"{figures} tabelis {sheet} ja {place}", f"{figures} in {sheet} and {place}")])


def document_samples(config: Config, language: str) -> dict[str, dict]:
    figures = Figures(config.programme.relationships_end, meetings_per_month=[("jaanuar 2027", 12), ("veebruar 2027", 30)],
                      registrations=Counter({("mentor", "sobib"): 10, ("mentee", "sobib"): 12}), pairs=Counter({"kinnitatud": 9}))
    report = board_report(figures, minimum_meetings=6, covision_minimum=COVISION_MINIMUM)
    return {REPORT: report_variables(config, report, figures)} if language == "et" else {}


def schedule(config: Config) -> Schedule:
    return Schedule(dates=tuple(summary_days(config)))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(summary_days(config)[-1], Say(config.programme.language)("aasta viimane kokkuvõte", "the year's last summary"))]


JOB = Job(
    name=NAME,
    title="juhatuse kokkuvõte",
    rules="S8.3",
    order=90,
    description="the board's figures, no personal data: the Summary tab and the report with a chart of meetings",
    description_et="juhatuse arvud ilma isikuandmeteta: kokkuvõtte leht ja aruanne kohtumiste joonisega",
    reads=("registrations", "pairs", "meetings", "surveys", "attendance"),
    schedule=schedule,
    milestones=milestones,
    run=run,
    document_samples=document_samples,
)
