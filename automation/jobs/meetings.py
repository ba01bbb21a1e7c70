"""Job `meetings` (S2.3, S6.7, S6.8): the meeting log counted, friendly nudges, the coordinators told.

On its dates (monthly by default) it reads the meeting log the mentees fill
in, counts each pair's meetings (one per pair and day, however often the log
is re-read or re-submitted), and nudges both of a pair behind the pace of
`programme.minimum_meetings` by the end of the relationships, at most once
every `meetings.nudge_every_weeks` weeks. The coordinators get one digest of
what is new: pairs silent for `meetings.silent_weeks` weeks, pairs that
ended or asked for a change, log rows that could not be used.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from automation.config import Config
from automation.domain.meetings import Meeting, behind_pace, count_per_pair, expected_by, parse_meetings
from automation.domain.pairs import CONFIRMED_ON, MENTEE, MENTOR, PairRow, PairStatus
from automation.domain.programme import Schedule
from automation.domain.registrations import Registration, Role, missing_questions
from automation.domain.text import format_day
from automation.emails import Recipient
from automation.errors import ConfigError, InputError
from automation.jobs.base import JobContext, JobResult, Milestone, fingerprint, tell_coordinators_once
from automation.jobs.intake import assess_registrations
from automation.jobs.match import PAIRS_TAB, read_pairs

NAME = "meetings"


def read_meeting_log(context: JobContext) -> tuple[list[Meeting], list[str]]:
    config = context.config
    form = config.forms.meeting_log
    if form is None:
        raise ConfigError("forms.meeting_log is not set", hint="add the meeting log form to the config, as config/program.example.toml shows")
    table = context.backends.forms.read_responses(form)
    if table is None:
        return [], []
    missing = missing_questions(table.header, form.questions)
    if missing:
        raise InputError(
            f"the meeting log „{form.title}” ({form.responses}) has no column for the question(s) "
            + ", ".join(f"„{question}”" for question in missing),
            hint="rename the question in forms.meeting_log.questions to match the form",
        )
    return parse_meetings(table, form.questions, relationships=(config.programme.relationships_start, config.programme.relationships_end))


def meetings_of_pairs(context: JobContext) -> tuple[dict[str, list[date]], list[str]]:
    """Each pair's meeting days, by mentee, for every pair that was ever confirmed; and the rows that could not be used."""
    meetings, problems = read_meeting_log(context)
    pairs = read_pairs(context)
    held = [row for row in pairs.rows if row.status in (PairStatus.CONFIRMED, PairStatus.ENDED, PairStatus.CHANGE_REQUESTED)]
    counts = count_per_pair(meetings, {row.mentee_email for row in held})
    for meeting in meetings:
        if meeting.mentee not in counts:
            problems.append(f"kohtumiste logi, rida {meeting.row}: {meeting.mentee} ei ole üheski kinnitatud paaris")
    return counts, problems


def _pair_start(config: Config, row: PairRow) -> date:
    confirmed = row.cells.get(CONFIRMED_ON, "")
    try:
        return max(config.programme.relationships_start, date.fromisoformat(confirmed))
    except ValueError:
        return config.programme.relationships_start


def run(context: JobContext) -> JobResult:
    config, today = context.config, context.today
    counts, problems = meetings_of_pairs(context)
    pairs = read_pairs(context)
    active = [row for row in pairs.rows if row.status is PairStatus.CONFIRMED]
    people = {(a.registration.role, a.registration.email): a.registration for a in assess_registrations(context).assessments if a.registration.identified}
    end, minimum = config.programme.relationships_end, config.programme.minimum_meetings
    nudged = 0
    state_key = f"{NAME}/{context.year_key}/last-nudge"
    last_nudge: dict[str, str] = json.loads(context.backends.ledger.read_state(state_key) or "{}")
    # On the last day a nudge can no longer help; the digest still goes.
    for row in active if today < end else []:
        start = _pair_start(config, row)
        count = len(counts.get(row.mentee_email, []))
        if not behind_pace(count, today, start, end, minimum):
            continue
        previous = last_nudge.get(row.mentee_email)
        if previous and today < date.fromisoformat(previous) + timedelta(weeks=config.meetings.nudge_every_weeks):
            continue
        mentee, mentor = people.get((Role.MENTEE, row.mentee_email)), people.get((Role.MENTOR, row.mentor_email))
        for me, other, role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
            if me is None:
                continue
            context.outbox.send(
                key=f"{NAME}/{context.year_key}/nudge/{row.mentee_email}/{today.isoformat()}/{role}",
                job=NAME,
                purpose="meeting pace nudge",
                template="meetings_nudge",
                language=me.language,
                to=[Recipient(me.email, me.name)],
                variables=nudge_variables(config, me, other, role, count, expected_by(today, start, end, minimum)),
            )
        last_nudge[row.mentee_email] = today.isoformat()
        nudged += 1
    if not context.dry_run:
        context.backends.ledger.write_state(state_key, json.dumps(last_nudge, sort_keys=True))
    told = _tell_coordinators(context, pairs.rows, counts, problems)
    summary = [f"{sum(len(days) for days in counts.values())} meetings of {len(active)} active pairs counted", f"{nudged} pair(s) nudged"]
    if told:
        summary.append("a digest to the coordinators")
    return JobResult(summary, problems)


def nudge_variables(config: Config, me: Registration | None, other: Registration | None, role: str, count: int, expected: int) -> dict:
    language = me.language if me else config.programme.default_language
    return {
        "first_name": me.first_name if me else "",
        "other_name": other.name if other else "",
        "role": role,
        "count": count,
        "expected": expected,
        "meeting_log_url": config.forms.meeting_log.url if config.forms.meeting_log else "",
        "relationships_end_day": format_day(config.programme.relationships_end, language),
    }


def _tell_coordinators(context: JobContext, rows: list[PairRow], counts: dict[str, list[date]], problems: list[str]) -> bool:
    config, today = context.config, context.today
    silent_since = today - timedelta(weeks=config.meetings.silent_weeks)
    items: list[tuple[str, dict]] = []
    for row in rows:
        name = f"{row.cells.get(MENTEE, row.mentee_email)} ja {row.cells.get(MENTOR, row.mentor_email)}"
        if row.status is PairStatus.CONFIRMED:
            days = counts.get(row.mentee_email, [])
            last = days[-1] if days else None
            started = _pair_start(config, row)
            if (last or started) <= silent_since and started <= silent_since:
                since = f"viimane kohtumine {last}" if last else "ühtki kohtumist pole logitud"
                items.append((f"silent/{row.mentee_email}/{last}", {"kind": "silent", "text": f"{name}: {since}"}))
        elif row.status in (PairStatus.ENDED, PairStatus.CHANGE_REQUESTED):
            items.append((f"{row.status.name.lower()}/{row.mentee_email}/{row.mentor_email}", {"kind": row.status.name.lower(), "text": f"{name}: {row.status.value}"}))
    items += [(f"problem/{fingerprint(problem)}", {"kind": "problem", "text": problem}) for problem in problems]
    location = context.backends.sheets.location(config.sheets.coordinators, PAIRS_TAB)
    return tell_coordinators_once(
        context, job=NAME, topic="meetings", template="meetings_digest", items=items,
        variables=lambda fresh: digest_variables(fresh, config.meetings.silent_weeks, location),
    )


def digest_variables(items: list[dict], silent_weeks: int, location: str) -> dict:
    by_kind = lambda kind: [item["text"] for item in items if item["kind"] == kind]  # noqa: E731
    return {
        "silent": by_kind("silent"),
        "ended": by_kind("ended"),
        "change_requested": by_kind("change_requested"),
        "problems": by_kind("problem"),
        "silent_weeks": silent_weeks,
        "pairs_location": location,
    }


def template_samples(config: Config, language: str) -> dict[str, dict]:
    mentee = Registration(Role.MENTEE, "mari.maasikas@example.ee", "Mari Maasikas", language, None, {}, 2)
    mentor = Registration(Role.MENTOR, "juri.ounapuu@example.ee", "Jüri Õunapuu", language, None, {}, 2)
    return {
        "meetings_nudge": nudge_variables(config, mentee, mentor, "mentee", 1, 3),
        "meetings_digest": digest_variables(
            [{"kind": "silent", "text": "Mari Maasikas ja Jüri Õunapuu: ühtki kohtumist pole logitud"},
             {"kind": "ended", "text": "Tõnu Kask ja Külli Sääsk: lõppenud"},
             {"kind": "problem", "text": "kohtumiste logi, rida 7: kohtumise kuupäev 2026-12-01 on väljaspool mentorsuhte aega"}],
            6, "sheets/koordinaatorid/Paarid.csv",
        ),
    }


def schedule(config: Config) -> Schedule:
    return Schedule(dates=tuple(config.meetings_dates))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(day, "meetings counted, nudges, digest") for day in config.meetings_dates]
