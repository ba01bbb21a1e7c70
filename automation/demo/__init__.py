"""`mentorlus demo`: a fresh workspace, a synthetic cohort, and the programme year played day by day.

    summary = run_demo(env, Path("/tmp/demo"), participants=120, seed=1)
    print(summary.text())

Each day it calls the same `run_jobs(due_jobs(...))` that cron's `mentorlus run` calls.
"""

from __future__ import annotations

import csv
import random
import shlex
import tempfile
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Sequence

from automation.clock import FixedClock, SystemClock
from automation.config import Config, load_config
from automation.demo.cohort import (
    MEMBERS_HEADER,
    MENTEE_HEADER,
    MENTEE_QUESTIONS,
    MENTOR_HEADER,
    MENTOR_QUESTIONS,
    generate_cohort,
)
from automation.domain.attendance import ATTENDED, attendance_tab
from automation.domain.pairs import NOTE, PAIRS_COLUMNS, PAIRS_TAB, STATUS, PairStatus
from automation.domain.programme import match_days
from automation.domain.registrations import Status
from automation.domain.registrations_tab import COMPUTED_COLUMNS, REGISTRATIONS_TAB
from automation.environment import Environment
from automation.domain.text import Say
from automation.errors import ConfigError
from automation.commands.init import write_surveys
from automation.jobs.effects import PURPOSES_ET
from automation.commands.runner import JobOutcome, due_jobs, run_jobs
from automation.ports import Backends


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _questions(questions: dict[str, str]) -> str:
    return "\n".join(f'"{title}" = "{field}"' for title, field in questions.items())


def _covision_events(days: list[date]) -> str:
    """Two rounds of covision (S7.3): mentors on the day, mentees the day after, by video."""
    blocks = []
    for number, day in enumerate(days, start=1):
        for role, who, offset in (("mentor", "Mentorite", 0), ("mentee", "Menteede", 1)):
            blocks.append(
                f"""[[events]]
id = "{role}-covision-{number}"
kind = "{role}_covision"
title = "{who} kovisioon {"I" * number}"
date = {(day + timedelta(days=offset)).isoformat()}
start = 17:00:00
end = 19:00:00
video_link = "https://meet.example.ee/{who.lower()}-kovisioon"
capacity = 8
"""
            )
    return "\n".join(blocks)


def demo_config_text(start_year: int) -> str:
    opens = _monday_on_or_after(date(start_year, 10, 2))
    closes = opens + timedelta(days=41)
    relationships_start = _monday_on_or_after(date(start_year + 1, 1, 3))
    first_match = closes + timedelta(days=15)
    second_match = relationships_start + timedelta(days=28)
    training = _monday_on_or_after(first_match + timedelta(days=7)) + timedelta(days=4)  # a Friday in December
    workshop = training + timedelta(days=7)
    covision = [relationships_start + timedelta(weeks=weeks, days=2) for weeks in (6, 14)]  # Wednesdays
    return f'''# Written by `mentorlus demo`; every key is documented in config/program.example.toml.
[association]
name = "Eesti Karjäärinõustajate Ühing"
short_name = "KNÜ"
sender_email = "mentorlus@example.ee"
sender_name = "KNÜ mentorprogramm"
mailing_list = "liikmed@example.ee"
website = "https://example.ee/mentorlus"

[[coordinators]]
name = "Triin Pajo"
email = "triin.pajo@example.ee"
phone = "+372 5555 0001"

[[coordinators]]
name = "Merike Teelahk"
email = "merike.teelahk@example.ee"

[programme]
start = {start_year}-10-01
end = {start_year + 1}-06-30
relationships_start = {relationships_start.isoformat()}
relationships_end = {start_year + 1}-06-30

[registration]
opens = {opens.isoformat()}
closes = {closes.isoformat()}
announce_to = "mailing_list"
reminder_days_before_close = 5

[forms.mentor]
title = "Mentori registreerimisvorm"
url = "https://forms.gle/mentor-registreerimine"
responses = "forms/mentor.csv"

[forms.mentor.questions]
{_questions(MENTOR_QUESTIONS)}

[forms.mentee]
title = "Mentee registreerimisvorm"
url = "https://forms.gle/mentee-registreerimine"
responses = "forms/mentee.csv"

[forms.mentee.questions]
{_questions(MENTEE_QUESTIONS)}

[forms.meeting_log]
title = "Kohtumiste logi"
url = "https://forms.gle/kohtumiste-logi"
responses = "forms/kohtumised.csv"

[forms.meeting_log.questions]
"Mentee e-posti aadress" = "email"
"Kohtumise kuupäev" = "meeting_date"
"Kohtumise viis" = "meeting_mode"
"Kestus (minutites)" = "length_minutes"
"Arutatud teemad" = "topics"

[schedule]
match = [{first_match.isoformat()}, {second_match.isoformat()}]

[event_settings]
reminder_days_before = 3

[[events]]
id = "mentor-training"
kind = "mentor_training"
title = "Mentorite koolitus"
date = {training.isoformat()}
start = 10:00:00
end = 16:00:00
place = "Tartu, Rüütli 1, II korrus"
capacity = 80

[[events]]
id = "mentee-workshop"
kind = "mentee_workshop"
title = "Menteede töötuba"
date = {workshop.isoformat()}
start = 13:00:00
end = 17:00:00
place = "Tallinn, Narva mnt 25"
video_link = "https://meet.example.ee/menteede-tootuba"
capacity = 80

{_covision_events(covision)}
[backend]
kind = "local"
workspace = "workspace"
'''


@dataclass
class DemoSummary:
    directory: Path
    config: Config
    participants: int
    mentors: int
    mentees: int
    days: int = 0
    job_runs: int = 0
    failed_runs: int = 0
    paused_runs: int = 0  # stopped at the daily sending limit; the next day's run went on
    failures: list[str] = field(default_factory=list)
    sent: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    pairs: Counter = field(default_factory=Counter)
    board: Sequence[Sequence[str]] = ()
    messages_in_outbox: int = 0

    def text(self, program: str = "mentorlus") -> str:
        """`program`: how the tool was started, so that the hints work as printed."""
        from automation.jobs.erasure import retention_day

        config, workspace = self.config, self.config.workspace
        say = Say(config.programme.language)
        command = f"{program} --config {shlex.quote(str((self.directory / 'program.toml').resolve()))}"
        people = say(f"{self.participants} registreerujat ({self.mentors} mentorit, {self.mentees} menteed)",
                     f"{self.participants} people registering ({self.mentors} mentors, {self.mentees} mentees)")
        paused = say(f", {self.paused_runs} peatus päeva saatmispiiril.", f", {self.paused_runs} paused at the daily sending limit.") if self.paused_runs else "."
        lines = [
            say(f"mentorlus demo: {people}, programmiaasta {config.programme.year_label}", f"mentorlus demo: {people}, programme {config.programme.year_label}"),
            say(f"Läbi mängitud {config.programme.start} .. {config.programme.end} ({self.days} päeva): {self.job_runs} töö käivitust, neist ebaõnnestus {self.failed_runs}",
                f"Played {config.programme.start} .. {config.programme.end} ({self.days} days): {self.job_runs} job runs, {self.failed_runs} failed") + paused,
        ]
        lines += [f"  {say('ebaõnnestus', 'failed')}: {failure}" for failure in self.failures[:5]]
        lines.append(say("Saadetud:", "Sent:"))
        lines += [f"  {say(PURPOSES_ET.get(purpose, purpose), purpose):<44} {count:>6}" for purpose, count in sorted(self.sent.items())]
        lines.append(f"  {say('kirju väljundkaustas', 'messages in the outbox'):<44} {self.messages_in_outbox:>6}")
        lines.append(say("Registreerimised: ", "Registrations: ")
                     + ", ".join(f"{self.statuses.get(status.value, 0)} {status.value}" for status in Status))
        lines.append(say("Paarid: ", "Pairs: ") + ", ".join(f"{count} {status}" for status, count in sorted(self.pairs.items(), key=lambda item: -item[1])))
        if self.board:
            lines.append(say("Juhatuse arvud (isikuandmeteta):", "The board's figures (no personal data):"))
            shown = [row for row in self.board[1:] if row[0] == "Ülevaade"]
            lines += [f"  {section}: {label}: {value}" for section, label, value in shown]
        coordinators = workspace / "sheets" / config.sheets.coordinators
        places = [
            (say("juhatuse kokkuvõte", "board's summary"), workspace / "sheets" / config.sheets.board / "Kokkuvõte.csv"),
            (say("juhatuse aruanne", "board's report"), workspace / "report.html"),
            (say("seadistus", "config"), self.directory / "program.toml"),
            (say("kirjad (Maildir)", "emails (Maildir)"), workspace / "outbox"),
            (say("registreerimised", "registrations"), coordinators / (REGISTRATIONS_TAB + ".csv")),
            (say("paarid", "pairs"), coordinators / (PAIRS_TAB + ".csv")),
            (say("koostöökokkulepped", "agreements"), workspace / "drive" / str(config.programme.start.year) / "koostöökokkulepped"),
            (say("kalender", "calendar"), workspace / "calendar.ics"),
            (say("osalemine", "attendance"), f"{coordinators}/Osalemine *.csv"),
            (say("vormide ekspordid", "form exports"), workspace / "forms"),
            (say("pearaamat", "ledger"), workspace / "state.sqlite3"),
        ]
        lines.append(say("Kust vaadata:", "Where to look:"))
        lines += [f"  {label:<20} {place}" for label, place in places]
        lines += [
            say("Kuidas edasi:", "How to go on:"),
            f"  {command} plan",
            f"  {command} preview registration_received --lang et",
            f"  {command} run --today {retention_day(config)} --dry-run     "
            + say("# ainus veel tulemas päev: mida kustutataks", "# the one day still to come: what would be erased"),
            f"  {command} run --today {config.registration.opens} --dry-run     "
            + say("# juba tehtud päev: midagi ei saadeta kaks korda", "# a day already done: nothing is sent twice"),
        ]
        return "\n".join(lines)


class FormExports:
    """People filling in the forms, as the local backend sees it: each form's CSV export, rewritten as responses arrive.

    Another backend passes its own (the Google tests submit to the fake Workspace's forms).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._shown: dict[str, list[list[str]]] = {}  # form -> the responses its export holds

    def show(self, form_key: str, header: list[str], rows: list[list[str]]) -> None:
        """Every response so far (the export grows; nothing is taken back): saved again only when there is a new one,
        the new ones added at the end when those shown before are its beginning (the same file as written whole)."""
        shown = self._shown.get(form_key)
        if shown is not None and len(shown) == len(rows):
            return
        path = self.config.workspace / getattr(self.config.forms, form_key).responses
        if shown is not None and path.exists() and rows[:len(shown)] == shown:
            with open(path, "a", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(rows[len(shown):])
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows([header] + rows)
        self._shown[form_key] = list(rows)

    def survey_is_open(self, survey_id: str) -> bool:
        return True  # the association's own form: open from the start

    def answer_survey(self, survey, rows: list[list[str]]) -> None:
        """Rows of: submitted (dd.mm.yyyy hh:mm:ss), the respondent's address, an answer per question; the export a coordinator saves."""
        path = self.config.workspace / (survey.responses or f"forms/{survey.id}.csv")
        header = [] if path.exists() else [["Ajatempel", "E-posti aadress", *(q.form_title for q in survey.questions)]]
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(header + rows)


def write_local_surveys(folder: Path) -> Path:
    """The bundled surveys, each with a link to a form of the association's own: the local backend makes no forms."""
    return write_surveys(folder, lambda survey_id: f"https://forms.example.ee/{survey_id}")


def _visible(rows: list[tuple[datetime, list[str]]], upto: date) -> list[list[str]]:
    return [row for submitted, row in rows if submitted.date() <= upto]


class Committee:
    """What the matching committee and the coordinators do in the demo: edit the Pairs tab, as people would."""

    def __init__(self, config: Config, backends: Backends) -> None:
        self.config, self.sheets = config, backends.sheets

    def _edit(self, change: Callable[[list[dict[str, str]]], None]) -> None:
        rows = self.sheets.read_tab(self.config.sheets.coordinators, PAIRS_TAB)
        header = rows[0]
        records = [dict(zip(header, row)) for row in rows[1:]]
        change(records)
        self.sheets.write_tab(self.config.sheets.coordinators, PAIRS_TAB, [header] + [[r.get(c, "") for c in header] for r in records])

    def review(self, *, reject_one: bool) -> None:
        """Approve every proposal; when asked, reject the last one, as a committee that knows better would."""

        def change(records: list[dict[str, str]]) -> None:
            proposed = [r for r in records if r[STATUS] == PairStatus.PROPOSED.value]
            for record in proposed:
                record[STATUS] = PairStatus.APPROVED.value
            if reject_one and proposed:
                proposed[-1][STATUS] = PairStatus.REJECTED.value
                proposed[-1][NOTE] = "kolleegium: mentee vajab kogenumat mentorit"

        self._edit(change)

    def tick_attendance(self, event_id: str, *, absent_every: int = 9) -> None:
        """The coordinators tick who came; every ninth invitee stayed away."""
        event = next(e for e in self.config.events if e.id == event_id)
        rows = [list(row) for row in self.sheets.read_tab(self.config.sheets.coordinators, attendance_tab(event))]
        if not rows:
            return
        column = rows[0].index(ATTENDED)
        for number, row in enumerate(rows[1:], start=1):
            row[column] = "" if number % absent_every == 0 else "x"
        self.sheets.write_tab(self.config.sheets.coordinators, attendance_tab(event), rows)

    def end_one_pair(self) -> None:
        def change(records: list[dict[str, str]]) -> None:
            confirmed = [r for r in records if r[STATUS] == PairStatus.CONFIRMED.value]
            if confirmed:
                confirmed[0][STATUS] = PairStatus.ENDED.value
                confirmed[0][NOTE] = "mentee vahetas töökohta ja soovib uut mentorit"

        self._edit(change)


class MeetingLog:
    """The mentees filling in the meeting log: most pairs about monthly, a few slowly, some rows flawed."""

    HEADER = ["Ajatempel", "Mentee e-posti aadress", "Kohtumise kuupäev", "Kohtumise viis", "Kestus (minutites)", "Arutatud teemad"]

    def __init__(self, config: Config, seed: int) -> None:
        self.config, self.rng = config, random.Random(seed)
        self.planned: list[tuple[date, list[str]]] = []
        self.planned_for: set[str] = set()
        self._pairs_seen: object = None  # the Pairs tab's rows last planned from

    def plan(self, sheets, today: date) -> None:
        """Meetings for every confirmed pair not yet planned, from today to the end of the relationships."""
        rows = sheets.read_tab(self.config.sheets.coordinators, PAIRS_TAB)
        if not rows or rows is self._pairs_seen:
            return  # the same rows as yesterday (the local backend hands out the same ones while the tab is unchanged)
        self._pairs_seen = rows
        header = rows[0]
        end = self.config.programme.relationships_end
        for row in rows[1:]:
            cells = dict(zip(header, row))
            mentee = cells.get(PAIRS_COLUMNS[1], "")
            if cells.get(STATUS) != PairStatus.CONFIRMED.value or mentee in self.planned_for:
                continue
            self.planned_for.add(mentee)
            gap = self.rng.choice([21, 25, 30, 30, 35, 60])  # days between meetings; a sixth of the pairs are slow
            day = max(today, self.config.programme.relationships_start) + timedelta(days=self.rng.randint(5, 20))
            while day <= end:
                logged = day + timedelta(days=self.rng.choice([0, 1, 1, 2, 9]))  # some are logged late
                row = [logged.strftime("%d.%m.%Y 20:00:00"), mentee, day.strftime("%d.%m.%Y"),
                       self.rng.choice(["Silmast silma", "Videokõne"]), str(self.rng.choice([45, 60, 90])), "eesmärgid ja edasised sammud"]
                self.planned.append((logged, row))
                if self.rng.random() < 0.03:
                    self.planned.append((logged + timedelta(days=1), list(row)))  # submitted twice
                day += timedelta(days=gap + self.rng.randint(-4, 4))
        self.planned.sort(key=lambda item: item[0])

    def write(self, respondents: FormExports, today: date) -> int:
        visible = [row for _, row in self.planned[:bisect_right(self.planned, today, key=lambda item: item[0])]]  # sorted by when logged
        respondents.show("meeting_log", self.HEADER, visible)
        return len(visible)


class SurveyAnswers:
    """Participants answering the surveys: about three in four, a few days after the link arrives."""

    SCALE = ["5", "5", "4", "4", "4", "3", "2"]
    TEXTS = ["Rohkem kovisioone oleks hea.", "Väga toetav kogemus, aitäh!", "Kohtumiste aega oli raske leida.", ""]

    def __init__(self, config: Config, seed: int) -> None:
        self.config, self.rng, self.done = config, random.Random(seed + 7), set()

    def answer(self, sheets, respondents: FormExports, today: date) -> None:
        from automation.jobs.snapshot import load_surveys_once as load_surveys

        for survey in load_surveys(self.config.surveys_dir):
            opens = survey.send_date(self.config.programme.start, self.config.programme.end)
            if today != opens + timedelta(days=4) or survey.id in self.done or not respondents.survey_is_open(survey.id):
                continue
            self.done.add(survey.id)
            rows = sheets.read_tab(self.config.sheets.coordinators, PAIRS_TAB)
            header = rows[0] if rows else []
            roles = {"mentors": [PAIRS_COLUMNS[3]], "mentees": [PAIRS_COLUMNS[1]], "participants": [PAIRS_COLUMNS[1], PAIRS_COLUMNS[3]]}[survey.audience]
            emails = sorted({dict(zip(header, row)).get(column, "") for row in rows[1:] for column in roles
                             if dict(zip(header, row)).get(STATUS) == PairStatus.CONFIRMED.value})
            answers = []
            for email in emails:
                if self.rng.random() < 0.75:
                    cells = [today.strftime("%d.%m.%Y 19:00:00"), email]
                    for question in survey.questions:
                        if question.type == "scale":
                            cells.append(self.rng.choice(self.SCALE))
                        elif question.type == "choice":
                            cells.append(self.rng.choice(question.choices))
                        else:
                            cells.append(self.rng.choice(self.TEXTS))
                    answers.append(cells)
            respondents.answer_survey(survey, answers)


DayRunner = Callable[[Config, date, list[str]], tuple[list[JobOutcome], Counter]]


def in_process(env: Environment, backends: Backends) -> DayRunner:
    """The day's jobs run here, through the same `run_jobs` cron's `mentorlus run` calls."""

    def run_day(config: Config, day: date, names: list[str]) -> tuple[list[JobOutcome], Counter]:
        context = env.job_context(config, clock=FixedClock.on(day, config.programme.timezone), backends=backends)
        return run_jobs(context, names), context.report.counts

    return run_day


def run_demo(env: Environment, directory: Path | None, *, participants: int, seed: int,
             configure: Callable[[Path], None] | None = None,
             respondents: Callable[[Config], FormExports] = FormExports,
             run_day: Callable[[Backends], DayRunner] | None = None,
             retries: int = 0) -> DemoSummary:
    """`configure` may change program.toml before the year starts (another backend, `mentorlus setup`).

    `run_day` runs a day's jobs some other way (in other processes, say); `retries`: how often a day's failed
    jobs are run again the same day, as a coordinator would after the failure email.
    """
    directory = directory or Path(tempfile.mkdtemp(prefix="mentorlus-demo-"))
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "workspace" / "state.sqlite3").exists():
        raise ConfigError(f"{directory} already holds a demo workspace", hint="choose an empty --dir, or delete that folder",
                          message_et=f"kaustas {directory} on juba näidisprogramm", hint_et="vali tühi --dir või kustuta see kaust")
    today = (env.clock or SystemClock()).today()
    start_year = today.year if today.month >= 7 else today.year - 1
    (directory / "program.toml").write_text(demo_config_text(start_year), encoding="utf-8")
    if configure is not None:
        configure(directory / "program.toml")
    config = load_config(directory / "program.toml")
    if config.backend.kind == "local":
        write_local_surveys(directory)  # the local backend makes no forms: each survey links to the association's own
        config = load_config(directory / "program.toml")
    cohort = generate_cohort(participants, seed, config.registration.opens, config.registration.closes, config.fee_year)
    backends = env.backends_for(config)
    backends.sheets.write_tab(config.members.sheet, config.members.tab, [MEMBERS_HEADER] + cohort.members)
    people = respondents(config)

    runner = (run_day or (lambda backends: in_process(env, backends)))(backends)
    committee = Committee(config, backends)
    meeting_log = MeetingLog(config, seed)
    survey_answers = SurveyAnswers(config, seed)
    first_match, second_match = match_days(config)[0], match_days(config)[-1]
    events = {event.id: event for event in config.events}

    def move_event(event_id: str, hours: int) -> None:
        """A coordinator moves an event in the config: everyone invited gets an update."""
        nonlocal config
        event = events[event_id]
        text = (directory / "program.toml").read_text(encoding="utf-8")
        block = text.index(f'id = "{event_id}"')
        old = f"start = {event.start.isoformat()}\nend = {event.end.isoformat()}"
        moved = f"start = {event.start.replace(hour=event.start.hour + hours).isoformat()}\nend = {event.end.replace(hour=event.end.hour + hours).isoformat()}"
        text = text[:block] + text[block:].replace(old, moved, 1)
        (directory / "program.toml").write_text(text, encoding="utf-8")
        config = load_config(directory / "program.toml")
        committee.config = config

    # What people do, the evening before that day's run; "match" is a coordinator re-running matching.
    people_act = {
        first_match + timedelta(days=2): [lambda: committee.review(reject_one=True), "match"],
        first_match + timedelta(days=3): [lambda: committee.review(reject_one=False)],
        events["mentor-training"].date + timedelta(days=1): [lambda: committee.tick_attendance("mentor-training")],
        events["mentee-workshop"].date + timedelta(days=1): [lambda: committee.tick_attendance("mentee-workshop")],
        **{
            event.date + timedelta(days=1): [lambda event_id=event.id: committee.tick_attendance(event_id, absent_every=5)]
            for event in config.events
            if event.kind.endswith("covision")
        },
        config.programme.relationships_start + timedelta(days=14): [committee.end_one_pair],
        second_match + timedelta(days=2): [lambda: committee.review(reject_one=False)],
        events["mentee-covision-2"].date - timedelta(days=20): [lambda: move_event("mentee-covision-2", 1)],
    }

    summary = DemoSummary(directory, config, participants, len(cohort.mentors), len(cohort.mentees))
    day, shown = min(config.programme.start, config.registration.opens), 0
    while day <= config.programme.end:
        if day <= config.registration.closes:
            mentors, mentees = _visible(cohort.mentor_rows, day), _visible(cohort.mentee_rows, day)
            people.show("mentor", MENTOR_HEADER, mentors)
            people.show("mentee", MENTEE_HEADER, mentees)
            shown = len(mentors) + len(mentees)
        if day >= config.programme.relationships_start:
            meeting_log.plan(backends.sheets, day)
            meeting_log.write(people, day)
            survey_answers.answer(backends.sheets, people, day)
        names = due_jobs(config, day, backends.ledger)
        for action in people_act.get(day, []):
            if callable(action):
                action()
            else:
                names = [action, *names]
        for attempt in range(retries + 1):
            if not names:
                break
            outcomes, counts = runner(config, day, names)
            summary.sent.update(counts)
            for outcome in outcomes:
                summary.job_runs += 1
                if outcome.paused:
                    summary.paused_runs += 1
                elif not outcome.ok and attempt == retries and not outcome.postponed:
                    summary.failed_runs += 1
                    summary.failures.append(f"{day} {outcome.name}: {outcome.error}")
            names = [outcome.name for outcome in outcomes if not outcome.ok and not outcome.paused]
        if env.interactive and day.day == 1:
            print(f"  {day:%Y-%m}: {sum(summary.sent.values())} messages so far, {shown} responses", file=env.stdout, flush=True)
        summary.days += 1
        day += timedelta(days=1)

    rows = backends.sheets.read_tab(config.sheets.coordinators, REGISTRATIONS_TAB)
    summary.statuses = Counter(row[COMPUTED_COLUMNS.index("Staatus")] for row in rows[1:])
    pairs = backends.sheets.read_tab(config.sheets.coordinators, PAIRS_TAB)
    summary.pairs = Counter(row[PAIRS_COLUMNS.index(STATUS)] for row in pairs[1:])
    outbox = config.workspace / "outbox" / "new"
    summary.messages_in_outbox = sum(1 for _ in outbox.iterdir()) if outbox.exists() else sum(summary.sent.values())
    summary.board = backends.sheets.read_tab(config.sheets.board, "Kokkuvõte")
    backends.close()
    return summary
