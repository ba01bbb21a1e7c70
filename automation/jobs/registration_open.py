"""Job `registration-open` (S2.4): the announcement that registration is open, and an optional reminder.

The announcement goes to the association's mailing list, or, with
`registration.announce_to = "members"`, personally to each member in the
register. The reminder (`registration.reminder_days_before_close`) goes to
members who have not registered yet. Each is due from its date until
registration closes, so a day cron missed is caught up the next day.
"""

from __future__ import annotations

from datetime import date, timedelta

from automation.config import Config
from automation.domain.programme import Schedule
from automation.domain.registrations import Member
from automation.domain.text import Say, format_day
from automation.emails import Recipient, link
from automation.errors import ConfigError, InputError
from automation.jobs.base import Job, JobContext, JobResult, Milestone

NAME = "registration-open"
MESSAGES = {"announcement": "registration_open", "reminder": "registration_reminder"}


def opening_day(config: Config) -> date:
    return config.schedule.registration_open or config.registration.opens


def reminder_day(config: Config) -> date | None:
    days = config.registration.reminder_days_before_close
    return config.registration.closes - timedelta(days=days) if days else None


def _variables(config: Config, language: str, first_name: str) -> dict:
    return {
        "first_name": first_name,
        "mentor_form_url": link(config.forms.mentor.url),
        "mentee_form_url": link(config.forms.mentee.url),
        "registration_closes": format_day(config.registration.closes, language),
        "min_experience_years": config.eligibility.mentor_min_experience_years,
    }


def run(context: JobContext) -> JobResult:
    config, today = context.config, context.today
    result = JobResult()
    say = context.say
    if not opening_day(config) <= today <= config.registration.closes:
        result.summary.append(say("midagi teha pole: registreerimine ei ole täna avatud", "nothing due: registration is not open today"))
        return result
    announced = _announce(context)
    result.summary.append(say.count(announced, ("{n} teadaanne", "{n} teadaannet"), ("{n} announcement", "{n} announcements"))
                          if announced else say("teadaanne on juba saadetud", "announcement already sent"))
    reminder = reminder_day(config)
    if reminder and today >= reminder:
        reminded = _remind(context, result)
        result.summary.append(say.count(reminded, ("{n} meeldetuletus", "{n} meeldetuletust"), ("{n} reminder", "{n} reminders"))
                              if reminded else say("meeldetuletused on juba saadetud", "reminders already sent"))
    return result


def _members(context: JobContext) -> dict[str, Member]:
    members = context.snapshot.members
    if members.error:
        raise InputError(members.error.split("\n  How to fix: ")[0], hint="fix the members register; the announcements wait for it",
                         message_et=members.error_et or members.error.split("\n  How to fix: ")[0],
                         hint_et="paranda liikmeregister; teadaanded ootavad selle järel")
    return members.by_email


def _announce(context: JobContext) -> int:
    config = context.config
    if config.registration.announce_to == "mailing_list":
        if config.association.mailing_list is None:
            raise ConfigError(
                "registration.announce_to is 'mailing_list' but association.mailing_list is not set",
                hint="set association.mailing_list, or registration.announce_to = \"members\"",
                message_et="registration.announce_to on 'mailing_list', aga association.mailing_list puudub",
                hint_et="kirjuta association.mailing_list või registration.announce_to = \"members\"",
            )
        recipient = Member(config.association.mailing_list, config.association.name, None)
        return int(_send(context, "announcement", recipient, first_name="", key_part="mailing-list"))
    context.effects.preload(f"{NAME}/{context.year_key}/announcement/")
    return sum(_send(context, "announcement", member) for member in _members(context).values())


def _remind(context: JobContext, result: JobResult) -> int:
    members = _members(context)
    reading = context.snapshot.registrations.reading
    if reading.unreadable:
        # Without every form we cannot know who has registered; better no reminder than a wrong one.
        result.warnings += list((reading.unreadable_et if context.say.language == "et" else reading.unreadable).values())
        result.summary.append(context.say("meeldetuletus lükkub edasi: registreerimisvormi ei õnnestunud lugeda",
                                          "reminder postponed: a registration form could not be read"))
        return 0
    registered = {registration.email for registration in reading.registrations if registration.identified}
    context.effects.preload(f"{NAME}/{context.year_key}/reminder/")
    return sum(_send(context, "reminder", member) for member in members.values() if member.email not in registered)


def _send(context: JobContext, kind: str, member: Member, *, first_name: str | None = None, key_part: str = "") -> bool:
    config = context.config
    language = config.programme.default_language
    key = f"{NAME}/{context.year_key}/{kind}/{key_part or member.email}"
    if context.effects.is_done(key):
        return False  # most members on most days: told on an earlier run
    outcome = context.effects.send(
        key=key,
        job=NAME,
        purpose=f"registration {kind}",
        template=MESSAGES[kind],
        language=language,
        to=[Recipient(member.email, member.name)],
        variables=_variables(config, language, member.name.split(" ")[0] if first_name is None else first_name),
    )
    return outcome.is_new


def template_samples(config: Config, language: str) -> dict[str, dict]:
    return {
        "registration_open": _variables(config, language, first_name="Mari"),
        "registration_reminder": _variables(config, language, first_name="Mari"),
    }


def schedule(config: Config) -> Schedule:
    return Schedule(ranges=((opening_day(config), config.registration.closes),))


def milestones(config: Config) -> list[Milestone]:
    say = Say(config.programme.language)
    marks = [Milestone(opening_day(config), say("teadaanne", "announcement"))]
    reminder = reminder_day(config)
    if reminder:
        marks.append(Milestone(reminder, say("meeldetuletus liikmetele, kes pole registreerunud", "reminder to members not yet registered")))
    return marks


JOB = Job(
    name=NAME,
    title="registreerimise teadaanne",
    rules="S2.4",
    order=10,
    description="announces that registration is open; reminds members not yet registered",
    description_et="teatab registreerimise avamisest; tuletab meelde liikmetele, kes pole veel registreerunud",
    reads=("members", "registrations"),
    schedule=schedule,
    milestones=milestones,
    run=run,
    template_samples=template_samples,
)
