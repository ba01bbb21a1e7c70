"""Job `recognition` (S8.4): the board thanks each participant, with their own record attached.

The record, from the Pairs tab, the meeting log and the Attendance tabs:
role, meetings logged, trainings and covision sessions attended, covision
sessions facilitated. It is a document to keep as evidence of professional
development (re-certification). One email per person, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datetime import date

from automation.config import Config
from automation.domain.attendance import ATTENDED, ticked
from automation.domain.pairs import PairStatus
from automation.domain.programme import Schedule
from automation.domain.registrations import Role, normalise_text
from automation.domain.text import Say, format_day, format_on_day
from automation.emails import Attachment, Recipient
from automation.jobs.base import Job, JobContext, JobResult, Milestone, common_variables

NAME = "recognition"


@dataclass
class Record:
    role: str
    meetings: int = 0
    partners: list[str] = field(default_factory=list)
    trainings: list[str] = field(default_factory=list)  # "11. detsember 2026: Mentorite koolitus"
    covisions: list[str] = field(default_factory=list)
    facilitated: int = 0


def records(context: JobContext) -> dict[tuple[str, str], Record]:
    """(role, email) -> the person's record, for everyone who held a pair."""
    config, snapshot = context.config, context.snapshot
    pairs = snapshot.pairs
    counts = snapshot.meetings.days  # a log that cannot be read counts none; the meetings job names what is wrong
    found: dict[tuple[str, str], Record] = {}
    for row in pairs.rows:
        if row.status not in (PairStatus.CONFIRMED, PairStatus.ENDED, PairStatus.CHANGE_REQUESTED):
            continue
        meetings = len(counts.get(row.mentee_email, []))
        for role, email, partner in (("mentee", row.mentee_email, row.cells.get("Mentor", "")), ("mentor", row.mentor_email, row.cells.get("Mentee", ""))):
            record = found.setdefault((role, email), Record(role))
            record.meetings += meetings
            record.partners.append(partner)
    for event in sorted(config.events, key=lambda e: e.date):
        for cells in snapshot.attendance.get(event.id, []):
            key = (normalise_text(cells.get("Roll", "")), normalise_text(cells.get("E-post", "")).lower())
            if key not in found or not ticked(cells.get(ATTENDED, "")):
                continue
            label = f"{event.date.isoformat()}|{event.title}"
            if event.kind.endswith("covision"):
                found[key].covisions.append(label)
                found[key].facilitated += normalise_text(cells.get("Kovisiooni juht", "")) == "jah"
            else:
                found[key].trainings.append(label)
    return found


def record_variables(config: Config, language: str, name: str, record: Record) -> dict:
    def dated(labels: list[str]) -> list[str]:
        return [f"{format_day(date.fromisoformat(day), language)}: {title}" for day, title in (label.split("|", 1) for label in labels)]

    return {
        **common_variables(config, language),
        "name": name,
        "first_name": name.split(" ")[0],
        "role": record.role,
        "meetings": record.meetings,
        "partners": record.partners,
        "trainings": dated(record.trainings),
        "covisions": dated(record.covisions),
        "facilitated": record.facilitated,
        "issued": format_on_day(recognition_day(config), language),
    }


def run(context: JobContext) -> JobResult:
    config = context.config
    people = context.snapshot.registrations.people()
    sent = 0
    for (role, email), record in sorted(records(context).items()):
        person = people.get((Role(role), email))
        if person is None:
            continue  # erased, or no longer registered: nobody to address
        variables = record_variables(config, person.language, person.name, record)
        document = context.templates.render_document("record", person.language, variables)
        title = "Osalemistõend" if person.language == "et" else "Certificate of participation"
        outcome = context.effects.send(
            key=f"{NAME}/{context.year_key}/{role}/{email}",
            job=NAME,
            purpose="thank-you with the record",
            template="recognition",
            language=person.language,
            to=[Recipient(email, person.name)],
            variables=variables,
            attachments=[Attachment(f"{title} – {person.name}.html", document.encode("utf-8"))],
        )
        sent += outcome.is_new
    return JobResult([context.say.count(sent, ("{n} tänukiri koos osalemise kokkuvõttega", "{n} tänukirja koos osalemise kokkuvõttega"),
                                        ("{n} thank-you email with records", "{n} thank-you emails with records"))])


def template_samples(config: Config, language: str) -> dict[str, dict]:
    record = Record("mentor", 7, ["Mari Maasikas"], [f"{config.programme.start.isoformat()}|Mentorite koolitus"],
                    [f"{config.programme.relationships_start.isoformat()}|Mentorite kovisioon I"], 1)
    return {"recognition": record_variables(config, language, "Jüri Õunapuu", record)}


def document_samples(config: Config, language: str) -> dict[str, dict]:
    return {"record": template_samples(config, language)["recognition"]}


def recognition_day(config: Config) -> date:
    """The last day of the relationships, unless the config names another."""
    return config.schedule.recognition or config.programme.relationships_end


def schedule(config: Config) -> Schedule:
    return Schedule(dates=(recognition_day(config),))


def milestones(config: Config) -> list[Milestone]:
    return [Milestone(recognition_day(config), Say(config.programme.language)("tänukiri ja osalemise kokkuvõte igale osalejale", "thank-you and record to every participant"))]


JOB = Job(
    name=NAME,
    title="tänukirjad",
    rules="S8.4",
    order=100,
    description="the board's thank-you to each participant, with their own record attached",
    description_et="juhatuse tänukiri igale osalejale koos tema osalemise kokkuvõttega",
    reads=("registrations", "pairs", "meetings", "attendance"),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
    document_samples=document_samples,
)
