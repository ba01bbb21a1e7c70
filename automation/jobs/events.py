"""Jobs `trainings` (S3.4, S7.1, S7.2) and `covision` (S7.3): events, invitations, updates, reminders, attendance.

Each configured event becomes a calendar event with its attendees and, for
each invitee, an invitation email carrying an iCalendar REQUEST. A change of
time, place or title in the config sends everyone invited an update with the
SEQUENCE raised; an event removed from the config sends a cancellation. A
reminder goes `event_settings.reminder_days_before` days before. Covision
sessions are split into stable parallel groups by role, each group session
with a facilitator in rotation, told by a separate email. Each event has an
Attendance tab the coordinators tick.

What the tool remembers of an event (its version, SEQUENCE, who got which
SEQUENCE, its groups and facilitators) is kept in the ledger's state.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from automation.config import Config, EventConfig
from automation.domain.events import Invitee, assign_groups, choose_facilitator, version_of
from automation.domain.pairs import PairStatus
from automation.domain.programme import Schedule
from automation.domain.registrations import Role, normalise_email, normalise_text
from automation.domain.text import format_on_weekday_day, format_weekday_day
from automation.emails import Recipient
from automation.invitations import invitation
from automation.jobs.attendance import ATTENDANCE_HEADER, attendance_tab
from automation.jobs.base import JobContext, JobResult, Milestone, tell_coordinators_once
from automation.jobs.intake import Assessed, assess_registrations
from automation.jobs.match import read_pairs
from automation.ports import Attendee, CalendarEvent

TRAINING_KINDS = ("mentor_training", "mentee_workshop")
COVISION_KINDS = ("mentor_covision", "mentee_covision")
ROLE_OF_KIND = {"mentor_training": "mentor", "mentor_covision": "mentor", "mentee_workshop": "mentee", "mentee_covision": "mentee"}


@dataclass
class Occurrence:
    """One event, or one parallel group of a covision session, with its invitees."""

    config: EventConfig
    group: int | None  # None: the event has one group
    uid: str
    title: str
    start: datetime
    end: datetime
    location: str
    video_link: str
    invitees: list[Invitee]
    facilitator: Invitee | None = None


@dataclass
class EventRecord:
    version: str
    sequence: int = 0
    invited: dict[str, int] = field(default_factory=dict)  # email -> the SEQUENCE they last got
    cancelled: bool = False
    kind: str = ""
    done: str = ""  # the signature (version, invitees, facilitator, reminders due) last handled in full
    event: dict = field(default_factory=dict)  # the calendar event as last saved, to cancel it when it leaves the config


def _state_key(context: JobContext, *parts: str) -> str:
    return "/".join(["events", context.year_key, *parts])


def _load(context: JobContext, key: str, default):
    text = context.backends.ledger.read_state(key)
    return json.loads(text) if text else default


def _store(context: JobContext, key: str, value) -> None:
    if not context.dry_run:
        context.backends.ledger.write_state(key, json.dumps(value, ensure_ascii=False, sort_keys=True))


def invitee_of(assessed_registration, *, optional: bool = False) -> Invitee:
    registration = assessed_registration
    return Invitee(
        email=registration.email,
        name=registration.name,
        language=registration.language,
        role=registration.role.value,
        workplace=normalise_text(str(registration.answers.get("workplace") or "")).casefold(),
        optional=optional,
    )


def training_audience(config: Config, assessed: Assessed, kind: str) -> list[Invitee]:
    if kind == "mentee_workshop":
        return [invitee_of(a.registration) for a in assessed.eligible(Role.MENTEE)]
    invitees = []
    for assessment in assessed.eligible(Role.MENTOR):
        year = assessment.registration.answers.get("training_year")
        trained_before = isinstance(year, int) and year < config.programme.start.year
        if trained_before and config.event_settings.invite_trained_mentors == "no":
            continue
        invitees.append(invitee_of(assessment.registration, optional=trained_before))
    return invitees


def covision_audience(context: JobContext, assessed: Assessed, role: str) -> list[Invitee]:
    """The mentors or the mentees of confirmed pairs: covision is for the pairs."""
    pairs = read_pairs(context)
    emails = {row.mentor_email if role == "mentor" else row.mentee_email for row in pairs.rows if row.status is PairStatus.CONFIRMED}
    return [invitee_of(a.registration) for a in assessed.assessments if a.registration.role.value == role and a.registration.email in emails]


def _moment(config: Config, day: date, clock_time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=ZoneInfo(config.programme.timezone))


def _uid(context: JobContext, event: EventConfig, group: int | None) -> str:
    domain = context.config.association.sender_email.rsplit("@", 1)[-1]
    suffix = f"-g{group + 1}" if group is not None else ""
    return f"{event.id}{suffix}-{context.year_key}@{domain}"


def occurrences(context: JobContext, kinds: tuple[str, ...], assessed: Assessed) -> tuple[list[Occurrence], list[str]]:
    config = context.config
    found: list[Occurrence] = []
    notices: list[str] = []
    for event in config.events_of(*kinds):
        role = ROLE_OF_KIND[event.kind]
        start, end = _moment(config, event.date, event.start), _moment(config, event.date, event.end)
        if event.kind in TRAINING_KINDS:
            invitees = training_audience(config, assessed, event.kind)
            if len([i for i in invitees if not i.optional]) > event.capacity:
                notices.append(f"„{event.title}” ({event.date}): {len(invitees)} kutsutut, kohti {event.capacity}")
            found.append(Occurrence(event, None, _uid(context, event, None), event.title, start, end, event.place, event.video_link, invitees))
            continue
        people = covision_audience(context, assessed, role)
        groups_key = _state_key(context, "groups", role)
        groups = assign_groups(people, event.capacity, _load(context, groups_key, {}))
        _store(context, groups_key, groups)
        history_key = _state_key(context, "facilitators", role)
        chosen: dict[str, str] = _load(context, history_key, {})
        volunteers = {normalise_email(a) or a for a in config.event_settings.facilitators} | {
            a.registration.email for a in assessed.assessments if a.registration.answers.get("facilitator_willing") is True
        }
        unwilling = {a.registration.email for a in assessed.assessments if a.registration.answers.get("facilitator_willing") is False}
        count = max(groups.values(), default=-1) + 1
        members_of: dict[int, list[Invitee]] = {}
        for person in sorted(people, key=lambda p: (p.name, p.email)):
            members_of.setdefault(groups[person.email], []).append(person)
        history: dict[str, int] = {}
        for email in chosen.values():
            history[email] = history.get(email, 0) + 1
        for group in range(count):
            members = members_of.get(group, [])
            if not members:
                continue
            slot = f"{event.id}/g{group + 1}"
            facilitator_email = chosen.get(slot)
            if facilitator_email not in {m.email for m in members}:
                facilitator_email = choose_facilitator([m.email for m in members], history, volunteers, unwilling)
                if facilitator_email is None:
                    notices.append(f"„{event.title}”, rühm {group + 1}: keegi ei ole valmis kovisiooni juhtima; palun leidke juht")
                else:
                    chosen[slot] = facilitator_email
                    history[facilitator_email] = history.get(facilitator_email, 0) + 1
            facilitator = next((m for m in members if m.email == facilitator_email), None)
            place = event.group_places[group] if group < len(event.group_places) else event.place
            video = event.group_video_links[group] if group < len(event.group_video_links) else event.video_link
            title = f"{event.title} – rühm {group + 1}" if count > 1 else event.title
            # The UID carries the group even when there is one, so a second group later does not change it.
            uid = _uid(context, event, group)
            found.append(Occurrence(event, group if count > 1 else None, uid, title, start, end, place, video, members, facilitator))
        _store(context, history_key, chosen)
    return found, notices


def _with_video_link(context: JobContext, occurrence: Occurrence) -> Occurrence:
    """An event with no video link of its own gets the one its calendar makes (a Meet), asked once, before anyone is invited."""
    if occurrence.video_link or context.dry_run or occurrence.start.date() < context.today:
        return occurrence
    key = _state_key(context, "video", occurrence.uid)
    link = _load(context, key, "")
    if not link:
        link = context.backends.calendar.video_link(_calendar_event(context, occurrence, 0))
        if link:
            _store(context, key, link)
    return replace(occurrence, video_link=link) if link else occurrence


def _calendar_event(context: JobContext, occurrence: Occurrence, sequence: int, cancelled: bool = False) -> CalendarEvent:
    association = context.config.association
    return CalendarEvent(
        uid=occurrence.uid,
        title=occurrence.title,
        start=occurrence.start,
        end=occurrence.end,
        location=occurrence.location,
        description=occurrence.config.description,
        attendees=tuple(Attendee(i.email, i.name, i.optional) for i in occurrence.invitees),
        organizer=Attendee(association.sender_email, association.sender_name),
        updated=context.clock.now(),
        sequence=sequence,
        cancelled=cancelled,
        video_link=occurrence.video_link,
    )


def invitation_variables(config: Config, occurrence: Occurrence, invitee: Invitee) -> dict:
    language = invitee.language
    facilitator = occurrence.facilitator
    return {
        "first_name": invitee.first_name,
        "kind": occurrence.config.kind,
        "title": occurrence.title,
        "day": format_weekday_day(occurrence.start.date(), language),
        "on_day": format_on_weekday_day(occurrence.start.date(), language),
        "start_time": occurrence.start.strftime("%H:%M"),
        "end_time": occurrence.end.strftime("%H:%M"),
        "place": occurrence.location,
        "video_link": occurrence.video_link,
        "description": occurrence.config.description,
        "optional": invitee.optional,
        "group": (occurrence.group + 1) if occurrence.group is not None else 0,
        "group_size": len(occurrence.invitees),
        "facilitator_name": facilitator.name if facilitator else "",
        "is_facilitator": bool(facilitator and facilitator.email == invitee.email),
        "reminder_days": config.event_settings.reminder_days_before,
    }


def _send(context: JobContext, job: str, occurrence: Occurrence, invitee: Invitee, purpose: str, key: str, template: str, method: str | None, sequence: int) -> bool:
    calendar = None
    if method:
        event = _calendar_event(context, occurrence, sequence, cancelled=method == "CANCEL")
        attendee = Attendee(invitee.email, invitee.name, invitee.optional)
        calendar = (method, invitation(event, attendee, method=method, stamp=context.clock.now()))
    outcome = context.outbox.send(
        key=key,
        job=job,
        purpose=purpose,
        template=template,
        language=invitee.language,
        to=[Recipient(invitee.email, invitee.name)],
        variables=invitation_variables(context.config, occurrence, invitee),
        calendar=calendar,
    )
    return outcome.is_new


def _handle(context: JobContext, job: str, occurrence: Occurrence, result: JobResult) -> CalendarEvent | None:
    """Invite, update and remind as due; the calendar event to save when it changed."""
    config = context.config
    key = _state_key(context, "event", occurrence.uid)
    version = version_of(occurrence.title, occurrence.start, occurrence.end, occurrence.location, occurrence.video_link)
    raw = _load(context, key, None)
    record = EventRecord(**raw) if raw else EventRecord(version)
    today = context.today
    upcoming = occurrence.start.date() >= today
    reminders_due = upcoming and today >= occurrence.start.date() - timedelta(days=config.event_settings.reminder_days_before)
    facilitator = occurrence.facilitator
    signature = version_of(version, *sorted(i.email for i in occurrence.invitees), facilitator.email if facilitator else "", reminders_due, upcoming)
    if record.done == signature:
        return None  # everything this event needs was done on an earlier run
    if record.version != version:
        record.version, record.sequence = version, record.sequence + 1
    record.kind = occurrence.config.kind
    counts = {"invitation": 0, "update": 0, "reminder": 0}
    if upcoming:
        base = f"{job}/{context.year_key}/{occurrence.uid}"
        for invitee in occurrence.invitees:
            got = record.invited.get(invitee.email)
            if got is None:
                counts["invitation"] += _send(context, job, occurrence, invitee, "event invitation", f"{base}/invitation/{invitee.email}", "event_invitation", "REQUEST", record.sequence)
            elif got < record.sequence:
                counts["update"] += _send(context, job, occurrence, invitee, "event update", f"{base}/update/{record.sequence}/{invitee.email}", "event_update", "REQUEST", record.sequence)
            record.invited[invitee.email] = record.sequence
        if reminders_due:
            for invitee in occurrence.invitees:
                counts["reminder"] += _send(context, job, occurrence, invitee, "event reminder", f"{base}/reminder/{invitee.email}", "event_reminder", None, record.sequence)
        if facilitator is not None:
            _send(context, job, occurrence, facilitator, "facilitator guidance", f"{base}/facilitator/{facilitator.email}", "covision_facilitator", None, record.sequence)
    event = _calendar_event(context, occurrence, record.sequence)
    comparable = json.loads(json.dumps({k: v for k, v in asdict(event).items() if k != "updated"}, default=str))
    changed = record.event != comparable
    record.event, record.done = comparable, signature
    _store(context, key, asdict(record))
    done = ", ".join(f"{count} {name}(s)" for name, count in counts.items() if count)
    if done:
        result.summary.append(f"{occurrence.title}: {done}")
    return event if changed else None


def _cancel_removed(context: JobContext, job: str, current: set[str], languages: dict[str, str], result: JobResult) -> list[CalendarEvent]:
    """Cancellations for events that left the config; the cancelled calendar events to save."""
    cancelled: list[CalendarEvent] = []
    known_key = _state_key(context, "known", job)
    known: list[str] = _load(context, known_key, [])
    for uid in known:
        if uid in current:
            continue
        key = _state_key(context, "event", uid)
        raw = _load(context, key, None)
        if not raw or raw.get("cancelled"):
            continue
        record = EventRecord(**raw)
        saved = record.event
        start, end = datetime.fromisoformat(saved["start"]), datetime.fromisoformat(saved["end"])
        if start.date() < context.today:
            continue  # a past event left the config: nothing to tell anyone
        stand_in = EventConfig(id=uid.split("@")[0], kind=record.kind or "mentor_training", title=saved["title"], date=start.date(), start=start.time(), end=end.time(), place=saved["location"] or "-", description=saved["description"])
        attendees = {a["email"]: a for a in saved["attendees"]}
        occurrence = Occurrence(
            stand_in, None, uid, saved["title"], start, end, saved["location"], saved["video_link"],
            [
                Invitee(email, attendees.get(email, {}).get("name", ""), languages.get(email, context.config.programme.default_language),
                        optional=attendees.get(email, {}).get("optional", False))
                for email in record.invited
            ],
        )
        sequence = record.sequence + 1
        for invitee in occurrence.invitees:
            _send(context, job, occurrence, invitee, "event cancellation", f"{job}/{context.year_key}/{uid}/cancellation/{invitee.email}", "event_cancelled", "CANCEL", sequence)
        cancelled.append(_calendar_event(context, occurrence, sequence, cancelled=True))
        record.cancelled, record.sequence = True, sequence
        _store(context, key, asdict(record))
        result.summary.append(f"{saved['title']}: cancelled, {len(occurrence.invitees)} told")
    _store(context, known_key, sorted(set(known) | current))
    return cancelled


def _write_attendance(context: JobContext, found: list[Occurrence]) -> None:
    sheet = context.config.sheets.coordinators
    by_event: dict[str, list[Occurrence]] = {}
    for occurrence in found:
        by_event.setdefault(occurrence.config.id, []).append(occurrence)
    for occurrences_of_event in by_event.values():
        event = occurrences_of_event[0].config
        tab = attendance_tab(event)
        existing = context.backends.sheets.read_tab(sheet, tab)
        header = list(ATTENDANCE_HEADER)
        kept: dict[str, dict[str, str]] = {}
        if existing:
            old_header = [normalise_text(title) for title in existing[0]]
            header += [title for title in old_header if title and title not in ATTENDANCE_HEADER]
            for row in existing[1:]:
                cells = dict(zip(old_header, row))
                kept[normalise_text(cells.get("E-post", "")).lower()] = cells
        rows = [header]
        listed = set()
        for occurrence in occurrences_of_event:
            for invitee in occurrence.invitees:
                listed.add(invitee.email)
                previous = kept.get(invitee.email, {})
                computed = {
                    "Nimi": invitee.name,
                    "E-post": invitee.email,
                    "Roll": invitee.role,
                    "Rühm": str(occurrence.group + 1) if occurrence.group is not None else "",
                    "Kutse": "valikuline" if invitee.optional else "kohustuslik",
                    "Kovisiooni juht": "jah" if occurrence.facilitator and occurrence.facilitator.email == invitee.email else "",
                }
                rows.append([computed.get(column, previous.get(column, "")) for column in header])
        # Nobody the coordinators ticked is ever dropped from the tab.
        rows += [[cells.get(column, "") for column in header] for email, cells in kept.items() if email and email not in listed]
        context.write_tab(sheet, tab, rows)


def run_events(context: JobContext, job: str, kinds: tuple[str, ...]) -> JobResult:
    result = JobResult()
    assessed = assess_registrations(context)
    languages = {a.registration.email: a.registration.language for a in assessed.assessments if a.registration.identified}
    found, notices = occurrences(context, kinds, assessed)
    found = [_with_video_link(context, occurrence) for occurrence in found]
    changed = [event for event in (_handle(context, job, occurrence, result) for occurrence in found) if event]
    changed += _cancel_removed(context, job, {o.uid for o in found}, languages, result)
    if changed and not context.dry_run:
        context.backends.calendar.save_events(changed)
    _write_attendance(context, found)
    if notices:
        tell_coordinators_once(
            context, job=job, topic="events", template="events_notice",
            items=[(version_of(notice), notice) for notice in notices],
            variables=lambda fresh: {"notices": fresh},
        )
        result.warnings += notices
    if not result.summary:
        result.summary.append("nothing new to send")
    return result


def run_trainings(context: JobContext) -> JobResult:
    return run_events(context, "trainings", TRAINING_KINDS)


def run_covision(context: JobContext) -> JobResult:
    return run_events(context, "covision", COVISION_KINDS)


def _schedule(window) -> Schedule:
    return Schedule(ranges=((window.first, window.last),)) if window else Schedule()


def trainings_schedule(config: Config) -> Schedule:
    return _schedule(config.trainings_range)


def covision_schedule(config: Config) -> Schedule:
    return _schedule(config.covision_range)


def trainings_milestones(config: Config) -> list[Milestone]:
    return [Milestone(event.date, event.title) for event in config.events_of(*TRAINING_KINDS)]


def covision_milestones(config: Config) -> list[Milestone]:
    return [Milestone(event.date, event.title) for event in config.events_of(*COVISION_KINDS)]


def template_samples(config: Config, language: str) -> dict[str, dict]:
    event = EventConfig(id="mentor-covision-1", kind="mentor_covision", title="Mentorite kovisioon", date=config.programme.relationships_start,
                        start=datetime.strptime("17:00", "%H:%M").time(), end=datetime.strptime("19:00", "%H:%M").time(),
                        place="Tartu, Rüütli 1", video_link="https://meet.example.ee/kovisioon", description="")
    invitee = Invitee("mari.maasikas@example.ee", "Mari Maasikas", language)
    start = _moment(config, event.date, event.start)
    occurrence = Occurrence(event, 0, "x", "Mentorite kovisioon – rühm 1", start, start + timedelta(hours=2), event.place, event.video_link,
                            [invitee, Invitee("juri@example.ee", "Jüri Õunapuu", language)], facilitator=invitee)
    variables = invitation_variables(config, occurrence, invitee)
    return {
        "event_invitation": variables,
        "event_update": variables,
        "event_reminder": variables,
        "event_cancelled": variables,
        "covision_facilitator": variables,
        "events_notice": {"notices": ["„Mentorite koolitus” (2026-12-05): 45 kutsutut, kohti 40"]},
    }
