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

from datetime import date, timedelta

from automation.config import Config
from automation.domain.meetings import behind_pace, expected_by
from automation.domain.pairs import MENTEE, MENTOR, PAIRS_TAB, PairRow, PairStatus
from automation.domain.programme import Schedule, monthly
from automation.domain.registrations import Registration, Role
from automation.domain.text import Say, format_day
from automation.emails import Recipient, link
from automation.errors import InputError
from automation.jobs.base import Job, JobContext, JobResult, Milestone, fingerprint

NAME = "meetings"


def meeting_days(config: Config) -> list[date]:
    """Monthly by default: the first of each month after the relationships start, and their last day."""
    if config.schedule.meetings:
        return sorted(config.schedule.meetings)
    return monthly(config.programme.relationships_start, config.programme.relationships_end)


def run(context: JobContext) -> JobResult:
    config, today, snapshot = context.config, context.today, context.snapshot
    meetings = snapshot.meetings
    if meetings.error:
        raise InputError(meetings.error, hint="the other jobs go on without the meeting counts; run the job again once fixed",
                         message_et=f"kohtumiste vormi vastuseid ei õnnestunud lugeda ({meetings.error})",
                         hint_et="teised tööd jätkavad ilma kohtumiste arvuta; kontrolli seadistusfaili jaotist forms.meeting_log")
    counts, problems = meetings.days, list(meetings.problems)
    active = [row for row in snapshot.pairs.rows if row.status is PairStatus.CONFIRMED]
    people = snapshot.registrations.people()
    end, minimum = config.programme.relationships_end, config.programme.minimum_meetings
    # The pace is judged as of the meetings date this run belongs to, so a catch-up on a later day is the same nudge.
    period = max((day for day in meeting_days(config) if day <= today), default=today)
    nudged = 0
    # On the last day a nudge can no longer help; the digest still goes.
    for row in active if period < end else []:
        start = row.start(config.programme.relationships_start)
        count = len(counts.get(row.mentee_email, []))
        if not behind_pace(count, period, start, end, minimum):
            continue
        base = f"{NAME}/{context.year_key}/nudge/{row.mentee_email}/{row.mentor_email}/"
        earlier = [date.fromisoformat(key[len(base):].split("/")[0]) for key in context.effects.done_keys(base)]
        last = max((day for day in earlier if day < period), default=None)
        if last is not None and period < last + timedelta(weeks=config.meetings.nudge_every_weeks):
            continue
        mentee, mentor = people.get((Role.MENTEE, row.mentee_email)), people.get((Role.MENTOR, row.mentor_email))
        sent = False
        for me, other, role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
            if me is None:
                continue
            outcome = context.effects.send(
                key=f"{base}{period.isoformat()}/{role}",
                job=NAME,
                purpose="meeting pace nudge",
                template="meetings_nudge",
                language=me.language,
                to=[Recipient(me.email, me.name)],
                variables=nudge_variables(config, me, other, role, count, expected_by(period, start, end, minimum)),
            )
            sent = sent or outcome.is_new
        nudged += sent
    told = _tell_coordinators(context, snapshot.pairs.rows, counts, problems)
    say = context.say
    meetings = sum(len(days) for days in counts.values())
    summary = [
        say.count(meetings, ("{n} kohtumine", "{n} kohtumist"), ("{n} meeting", "{n} meetings"))
        + say.count(len(active), (" {n} toimiva paari kohta", " {n} toimiva paari kohta"), (" of {n} active pair counted", " of {n} active pairs counted")),
        say.count(nudged, ("{n} paarile meelde tuletatud", "{n} paarile meelde tuletatud"), ("{n} pair nudged", "{n} pairs nudged")),
    ]
    if told:
        summary.append(say("koond koordinaatoritele", "a digest to the coordinators"))
    return JobResult(summary, problems)


def nudge_variables(config: Config, me: Registration | None, other: Registration | None, role: str, count: int, expected: int) -> dict:
    language = me.language if me else config.programme.default_language
    return {
        "first_name": me.first_name if me else "",
        "other_name": other.name if other else "",
        "role": role,
        "count": count,
        "expected": expected,
        "meeting_log_url": link(config.forms.meeting_log.url) if config.forms.meeting_log else "",
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
            started = row.start(config.programme.relationships_start)
            if (last or started) <= silent_since and started <= silent_since:
                since = f"viimane kohtumine {format_day(last, 'et')}" if last else "ühtki kohtumist pole kirja pandud"
                items.append((f"silent/{row.mentee_email}/{last}", {"kind": "silent", "text": f"{name}: {since}"}))
        elif row.status in (PairStatus.ENDED, PairStatus.CHANGE_REQUESTED):
            items.append((f"{row.status.name.lower()}/{row.mentee_email}/{row.mentor_email}", {"kind": row.status.name.lower(), "text": f"{name}: {row.status.value}"}))
    items += [(f"problem/{fingerprint(problem)}", {"kind": "problem", "text": problem}) for problem in problems]
    location = context.backends.sheets.location(config.sheets.coordinators, PAIRS_TAB)
    return context.tell_coordinators(
        job=NAME, topic="meetings", template="meetings_digest", items=items,
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
        "pairs_location": link(location),
    }


def template_samples(config: Config, language: str) -> dict[str, dict]:
    mentee = Registration(Role.MENTEE, "mari.maasikas@example.ee", "Mari Maasikas", language, None, {}, 2)
    mentor = Registration(Role.MENTOR, "juri.ounapuu@example.ee", "Jüri Õunapuu", language, None, {}, 2)
    return {
        "meetings_nudge": nudge_variables(config, mentee, mentor, "mentee", 1, 3),
        "meetings_digest": digest_variables(
            [{"kind": "silent", "text": "Mari Maasikas ja Jüri Õunapuu: ühtki kohtumist pole kirja pandud"},
             {"kind": "ended", "text": "Tõnu Kask ja Külli Sääsk: lõppenud"},
             {"kind": "problem", "text": "kohtumiste vorm, rida 7: kohtumise kuupäev 1. detsember 2026 on väljaspool mentorsuhte aega"}],
            6, "sheets/koordinaatorid/Paarid.csv",
        ),
    }


def schedule(config: Config) -> Schedule:
    return Schedule(dates=tuple(meeting_days(config)))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(day, Say(config.programme.language)("kohtumised loetud, meeldetuletused, koond", "meetings counted, nudges, digest")) for day in meeting_days(config)]


JOB = Job(
    name=NAME,
    title="kohtumiste jälgimine",
    rules="S2.3 S6.7 S6.8",
    order=70,
    description="counts each pair's meetings from the meeting log, nudges pairs behind the pace, tells the coordinators",
    description_et="loeb kohtumiste vormist iga paari kohtumised, tuletab meelde maha jäänud paaridele, annab koordinaatoritele teada",
    reads=("registrations", "pairs", "meetings"),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
