"""Events with invitations, shared by the jobs `trainings` (S3.4, S7.1, S7.2) and `covision` (S7.3).

    result = run_events(context, "covision", ("mentor_covision", "mentee_covision"))

Each configured event becomes a calendar event with its attendees and, for
each invitee, an invitation email carrying an iCalendar REQUEST. The event
is saved in the calendar before anyone is invited to it, each save and each
email once, and what the tool remembers of an event (its version and
SEQUENCE, who got which SEQUENCE) is recorded with the effect it belongs to.
A change of time, place or title in the config sends everyone invited an
update with the SEQUENCE raised; an event removed from the config sends a
cancellation. A reminder goes `event_settings.reminder_days_before` days
before. Covision sessions are split into stable parallel groups by role,
each group session with a facilitator in rotation, told by a separate email.
Each event has an Attendance tab the coordinators tick.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from collections.abc import Mapping, Sequence, Set
from typing import Callable

from automation.config import Config, DateRange, EventConfig
from automation.domain.attendance import ATTENDANCE_HEADER, ATTENDED, attendance_tab
from automation.domain.events import Invitee, assign_groups, choose_facilitator, version_of
from automation.domain.pairs import PairStatus
from automation.domain.programme import events_window
from automation.domain.registrations import Role, normalise_email, normalise_text, trained_earlier
from automation.domain.tabs import merge_tab
from automation.domain.text import format_day, format_on_weekday_day, format_weekday_day
from automation.emails import Recipient, link
from automation.invitations import invitation
from automation.jobs.base import Job, JobContext, JobResult, Milestone, fingerprint
from automation.memo import Memo
from automation.ports import Attendee, CalendarEvent

TRAINING_KINDS = ("mentor_training", "mentee_workshop")
COVISION_KINDS = ("mentor_covision", "mentee_covision")
ROLE_OF_KIND = {"mentor_training": "mentor", "mentor_covision": "mentor", "mentee_workshop": "mentee", "mentee_covision": "mentee"}
READS = ("registrations", "pairs")


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

    # Worked out once per object: `occurrences` hands out the same ones while nothing they come from changed.
    @cached_property
    def version(self) -> str:
        """What invitations show (time, place, title): a new one raises the SEQUENCE."""
        return version_of(self.title, self.start, self.end, self.location, self.video_link)

    @cached_property
    def people(self) -> tuple[str, ...]:
        """Who is invited, and who facilitates ("" for nobody)."""
        return (*sorted(invitee.email for invitee in self.invitees), self.facilitator.email if self.facilitator else "")

    def signature(self, sequence: int, reminders_due: bool, upcoming: bool) -> str:
        """Everything its handling depends on: when it is the one handled, nothing is left to do."""
        signatures = self.__dict__.setdefault("_signatures", {})
        if (sequence, reminders_due, upcoming) not in signatures:
            signatures[(sequence, reminders_due, upcoming)] = version_of(self.version, sequence, *self.people, reminders_due, upcoming)
        return signatures[(sequence, reminders_due, upcoming)]


@dataclass(frozen=True)
class EventState:
    """What the tool remembers of an event: recorded with the calendar save it belongs to."""

    job: str
    kind: str
    version: str  # what invitations show (time, place, title): a new one raises the SEQUENCE
    sequence: int
    saves: int  # how many times it was saved: the next save's key
    event: dict  # the calendar event as last saved, to compare and to cancel it when it leaves the config
    cancelled: bool = False


@dataclass(frozen=True)
class AtStart:
    """What the run starts with: each event's state by UID, and the keys of occurrences handled as they are now."""

    states: Mapping[str, EventState]
    handled: Set[str]


def _state_key(context: JobContext, *parts: str) -> str:
    return "/".join(["events", context.year_key, *parts])


def invitee_of(registration, *, optional: bool = False) -> Invitee:
    # Kept by the registration (the same object every run while its row is unchanged): a year asks it millions of times.
    kept = _INVITEES.get((id(registration), optional))
    if kept is not None and kept[0] is registration:
        return kept[1]
    if len(_INVITEES) > 50_000:
        _INVITEES.clear()
    invitee = Invitee(
        email=registration.email,
        name=registration.name,
        language=registration.language,
        role=registration.role.value,
        workplace=normalise_text(str(registration.answers.get("workplace") or "")).casefold(),
        optional=optional,
    )
    _INVITEES[(id(registration), optional)] = (registration, invitee)
    return invitee


_INVITEES: dict[tuple[int, bool], tuple[object, Invitee]] = {}


def training_audience(context: JobContext, kind: str) -> list[Invitee]:
    config, registrations = context.config, context.snapshot.registrations
    if kind == "mentee_workshop":
        return [invitee_of(a.registration) for a in registrations.eligible(Role.MENTEE)]
    invitees = []
    for assessment in registrations.eligible(Role.MENTOR):
        trained_before = bool(trained_earlier(assessment.registration, config.programme.start.year))
        if trained_before and config.event_settings.invite_trained_mentors == "no":
            continue
        invitees.append(invitee_of(assessment.registration, optional=trained_before))
    return invitees


def covision_audience(context: JobContext, role: str) -> list[Invitee]:
    """The mentors or the mentees of confirmed pairs: covision is for the pairs."""
    emails = context.snapshot.pair_emails(role, (PairStatus.CONFIRMED,))
    registrations = context.snapshot.registrations
    return registrations.kept(("covision audience", role, emails), lambda: [
        invitee_of(a.registration) for a in registrations.assessments if a.registration.role.value == role and a.registration.email in emails])


def _moment(config: Config, day: date, clock_time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=ZoneInfo(config.programme.timezone))


def _uid(context: JobContext, event: EventConfig, group: int | None) -> str:
    domain = context.config.association.sender_email.rsplit("@", 1)[-1]
    suffix = f"-g{group + 1}" if group is not None else ""
    return f"{event.id}{suffix}-{context.year_key}@{domain}"


def occurrences(context: JobContext, job: str, kinds: tuple[str, ...]) -> tuple[list[Occurrence], list[str]]:
    """Each event's occurrences (a covision session's groups) with their invitees, and notices for the coordinators.

    Worked out once per process while nothing they come from changed (the config, the people invited, the groups
    and facilitators the ledger remembers): most days of a year they are yesterday's. Kept only once the decisions
    they made are the remembered ones, so that a run finding them kept has nothing to record.
    """
    config, effects = context.config, context.effects
    audiences: dict[str, list[Invitee]] = {}
    for event in config.events_of(*kinds):
        # covision's people by role, a training's by its kind: the same for every session of a run
        name = event.kind if event.kind in TRAINING_KINDS else ROLE_OF_KIND[event.kind]
        if name not in audiences:
            audiences[name] = training_audience(context, name) if event.kind in TRAINING_KINDS else covision_audience(context, name)
    decisions = [_state_key(context, what, name) for name in sorted(audiences) if name not in TRAINING_KINDS for what in ("groups", "facilitators")]
    registrations = context.snapshot.registrations
    volunteers, unwilling = registrations.kept(("facilitators willing",), lambda: (
        frozenset(a.registration.email for a in registrations.assessments if a.registration.answers.get("facilitator_willing") is True),
        frozenset(a.registration.email for a in registrations.assessments if a.registration.answers.get("facilitator_willing") is False)))
    willing = volunteers | {normalise_email(a) or a for a in config.event_settings.facilitators}, unwilling
    # Invitees are kept per registration (`invitee_of`): the same people are the same objects, so their ids say it.
    key = (job, kinds, id(config), context.year_key, tuple((name, tuple(map(id, people))) for name, people in sorted(audiences.items())),
           willing, tuple(effects.remembered_text(decision) for decision in decisions))
    kept = _OCCURRENCES.kept(key)
    if kept is not None:
        return list(kept[0]), list(kept[1])
    found, notices = _work_out_occurrences(context, job, kinds, audiences, *willing)
    if tuple(effects.remembered_text(decision) for decision in decisions) == key[-1]:
        # The config and the invitees are kept alive with the value: the ids in the key stay theirs.
        _OCCURRENCES.keep(key, (tuple(found), tuple(notices), config, audiences))
    return found, notices


_OCCURRENCES: Memo[tuple] = Memo(limit=16)


def _work_out_occurrences(context: JobContext, job: str, kinds: tuple[str, ...], audiences: Mapping[str, list[Invitee]],
                          volunteers: Set[str], unwilling: Set[str]) -> tuple[list[Occurrence], list[str]]:
    config, effects = context.config, context.effects
    found: list[Occurrence] = []
    notices: list[str] = []
    for event in config.events_of(*kinds):
        role = ROLE_OF_KIND[event.kind]
        start, end = _moment(config, event.date, event.start), _moment(config, event.date, event.end)
        if event.kind in TRAINING_KINDS:
            invitees = audiences[event.kind]
            if len([i for i in invitees if not i.optional]) > event.capacity:
                notices.append(f"„{event.title}“ ({format_day(event.date, 'et')}): kutsutud {len(invitees)}, kohti {event.capacity}")
            found.append(Occurrence(event, None, _uid(context, event, None), event.title, start, end, event.place, event.video_link, invitees))
            continue
        people = audiences[role]
        # Decisions are recorded before anything that depends on them: a crash later keeps the same groups and facilitators.
        groups_key = _state_key(context, "groups", role)
        groups = assign_groups(people, event.capacity, effects.recall(groups_key, dict[str, int], {}))
        effects.remember(groups_key, groups, job=job)
        facilitators_key = _state_key(context, "facilitators", role)
        chosen: dict[str, str] = effects.recall(facilitators_key, dict[str, str], {})
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
                    notices.append(f"„{event.title}“, kovisioonigrupp {group + 1}: keegi ei ole valmis kovisiooni juhtima; palun leidke juht")
                else:
                    chosen[slot] = facilitator_email
                    history[facilitator_email] = history.get(facilitator_email, 0) + 1
            facilitator = next((m for m in members if m.email == facilitator_email), None)
            place = event.group_places[group] if group < len(event.group_places) else event.place
            video = event.group_video_links[group] if group < len(event.group_video_links) else event.video_link
            title = group_title(event.title, group + 1 if count > 1 else 0, "et")
            # The UID carries the group even when there is one, so a second group later does not change it.
            uid = _uid(context, event, group)
            found.append(Occurrence(event, group if count > 1 else None, uid, title, start, end, place, video, members, facilitator))
        effects.remember(facilitators_key, chosen, job=job)
    return found, notices


def _with_video_link(context: JobContext, job: str, occurrence: Occurrence) -> Occurrence:
    """An event with no video link of its own gets the one its calendar makes (a Meet), asked before anyone is invited."""
    if occurrence.video_link:
        return occurrence
    key = _state_key(context, "video", occurrence.uid)
    link = context.effects.recall(key, str, "")
    # Asked only before the event; once given, the link stays part of the event, past or not.
    if not link and not context.dry_run and occurrence.start.date() >= context.today:
        asked: list[str] = []
        # Saving the event with a Meet asked for is safe to repeat (the same request id): at most once a day until it comes.
        context.effects.once(
            f"{job}/{context.year_key}/video/{occurrence.uid}/{context.today.isoformat()}", job=job, purpose="video link asked",
            kind="calendar", do=lambda: asked.append(context.backends.calendar.video_link(_calendar_event(context, occurrence, 0))),
            remember=lambda: {key: asked[0]} if asked and asked[0] else {},
        )
        link = asked[0] if asked else ""
    return replace(occurrence, video_link=link) if link else occurrence


def _calendar_event(context: JobContext, occurrence: Occurrence, sequence: int, cancelled: bool = False,
                    attendees: bool = True) -> CalendarEvent:
    """`attendees=False` for one person's invitation, which lists only them: not everyone, for each of hundreds."""
    # The organizer is the first coordinator: a calendar's "yes", "no" or "maybe" goes to a person who reads it.
    coordinator = context.config.coordinators[0]
    return CalendarEvent(
        uid=occurrence.uid,
        title=occurrence.title,
        start=occurrence.start,
        end=occurrence.end,
        location=occurrence.location,
        description=occurrence.config.description,
        attendees=tuple(Attendee(i.email, i.name, i.optional) for i in occurrence.invitees) if attendees else (),
        organizer=Attendee(coordinator.email, coordinator.name),
        updated=context.clock.now(),
        sequence=sequence,
        cancelled=cancelled,
        video_link=occurrence.video_link,
    )


def _comparable(event: CalendarEvent) -> dict:
    """The event as its remembered state holds it (JSON's types, times as `str` gives them), without when it was saved."""
    def person(attendee: Attendee) -> dict:
        return {"email": attendee.email, "name": attendee.name, "optional": attendee.optional}

    return {
        "uid": event.uid, "title": event.title, "start": str(event.start), "end": str(event.end), "location": event.location,
        "description": event.description, "attendees": [person(attendee) for attendee in event.attendees],
        "organizer": person(event.organizer), "sequence": event.sequence, "cancelled": event.cancelled, "video_link": event.video_link,
    }


def group_title(title: str, group: int, language: str) -> str:
    """An event's title, with its covision group when the session has several: "Mentorite kovisioon I – kovisioonigrupp 2"."""
    if not group:
        return title
    return f"{title} – kovisioonigrupp {group}" if language == "et" else f"{title} – covision group {group}"


def invitation_variables(config: Config, occurrence: Occurrence, invitee: Invitee) -> dict:
    language = invitee.language
    facilitator = occurrence.facilitator
    group = (occurrence.group + 1) if occurrence.group is not None else 0
    return {
        "first_name": invitee.first_name,
        "kind": occurrence.config.kind,
        "title": group_title(occurrence.config.title, group, language) if occurrence.group is not None else occurrence.title,
        "day": format_weekday_day(occurrence.start.date(), language),
        "on_day": format_on_weekday_day(occurrence.start.date(), language),
        "start_time": occurrence.start.strftime("%H:%M"),
        "end_time": occurrence.end.strftime("%H:%M"),
        "place": occurrence.location,
        "video_link": link(occurrence.video_link),
        "description": occurrence.config.description,
        "optional": invitee.optional,
        "group": group,
        "group_size": len(occurrence.invitees),
        "facilitator_name": facilitator.name if facilitator else "",
        "is_facilitator": bool(facilitator and facilitator.email == invitee.email),
        "reminder_days": config.event_settings.reminder_days_before,
    }


def _send(context: JobContext, job: str, occurrence: Occurrence, invitee: Invitee, *, purpose: str, key: str, template: str,
          method: str | None, sequence: int, remember: dict | None = None) -> bool:
    def calendar() -> tuple[str, bytes]:
        event = _calendar_event(context, occurrence, sequence, cancelled=method == "CANCEL", attendees=False)
        attendee = Attendee(invitee.email, invitee.name, invitee.optional)
        return method, invitation(event, attendee, method=method, stamp=context.clock.now())

    outcome = context.effects.send(
        key=key,
        job=job,
        purpose=purpose,
        template=template,
        language=invitee.language,
        to=[Recipient(invitee.email, invitee.name)],
        variables=lambda: invitation_variables(context.config, occurrence, invitee),
        calendar=calendar if method else None,
        remember=remember,
    )
    return outcome.is_new


def _save(context: JobContext, job: str, occurrence: Occurrence, state: EventState | None, sequence: int, *, cancelled: bool = False) -> EventState:
    """The event into the calendar, unless it is there as it is; its state recorded with the save."""
    event = _calendar_event(context, occurrence, sequence, cancelled=cancelled)
    comparable = _comparable(event)
    saves = state.saves if state else 0
    new = EventState(job, occurrence.config.kind, occurrence.version, sequence, saves + 1, comparable, cancelled)
    if state is not None and state.event == comparable and state.cancelled == cancelled:
        return state
    attendees = context.say.count(len(occurrence.invitees), ("{n} osaleja", "{n} osalejat"), ("{n} attendee", "{n} attendees")) if context.dry_run else ""
    context.effects.once(
        f"{job}/{context.year_key}/calendar/{occurrence.uid}/{saves + 1}", job=job, purpose="calendar event saved", kind="calendar",
        do=lambda: context.backends.calendar.save_events([event]), remember={_state_key(context, "event", occurrence.uid): new},
        describe=context.say(
            f"{'tühistaks' if cancelled else 'salvestaks'} kalendris sündmuse „{occurrence.title}“ ({occurrence.start:%Y-%m-%d %H:%M}), {attendees}",
            f"would {'cancel' if cancelled else 'save'} „{occurrence.title}“ ({occurrence.start:%Y-%m-%d %H:%M}) in the calendar, {attendees}",
        ) if context.dry_run else "",  # what a dry run lists
    )
    return new


def _handle(context: JobContext, job: str, occurrence: Occurrence, result: JobResult, at_start: AtStart) -> None:
    """Save, invite, update and remind as due; each once, and nothing again once all of it is done."""
    config, effects, today = context.config, context.effects, context.today
    state: EventState | None = at_start.states.get(occurrence.uid)
    version = occurrence.version
    sequence = 0 if state is None else state.sequence + (state.version != version or state.cancelled)
    upcoming = occurrence.start.date() >= today
    reminders_due = upcoming and today >= occurrence.start.date() - timedelta(days=config.event_settings.reminder_days_before)
    facilitator = occurrence.facilitator
    handled = f"{job}/{context.year_key}/handled/{occurrence.uid}/{occurrence.signature(sequence, reminders_due, upcoming)}"
    if handled in at_start.handled:
        return  # everything this event needs was done on an earlier run
    if not upcoming:
        # A past event is not announced any more; its calendar entry follows who was in it.
        _save(context, job, occurrence, state, sequence)
        effects.once(handled, job=job, purpose="event handled")
        return
    _save(context, job, occurrence, state, sequence)
    invited = effects.recall_all(_state_key(context, "invited", occurrence.uid) + "/", int)
    base = f"{job}/{context.year_key}/{occurrence.uid}"
    counts = {"invitation": 0, "update": 0, "reminder": 0}
    for invitee in occurrence.invitees:
        got = invited.get(invitee.email)
        got_now = {_state_key(context, "invited", occurrence.uid, invitee.email): sequence}
        if got is None:
            counts["invitation"] += _send(context, job, occurrence, invitee, purpose="event invitation", key=f"{base}/invitation/{invitee.email}",
                                          template="event_invitation", method="REQUEST", sequence=sequence, remember=got_now)
        elif got < sequence:
            counts["update"] += _send(context, job, occurrence, invitee, purpose="event update", key=f"{base}/update/{sequence}/{invitee.email}",
                                      template="event_update", method="REQUEST", sequence=sequence, remember=got_now)
    if reminders_due:
        for invitee in occurrence.invitees:
            counts["reminder"] += _send(context, job, occurrence, invitee, purpose="event reminder", key=f"{base}/reminder/{invitee.email}",
                                        template="event_reminder", method=None, sequence=sequence)
    if facilitator is not None:
        _send(context, job, occurrence, facilitator, purpose="facilitator guidance", key=f"{base}/facilitator/{facilitator.email}",
              template="covision_facilitator", method=None, sequence=sequence)
    effects.once(handled, job=job, purpose="event handled")
    done = context.say.counts(counts, SENT_NOUNS)
    if done:
        result.summary.append(f"{occurrence.title}: {done}")


SENT_NOUNS = {
    "invitation": (("{n} kutse", "{n} kutset"), ("{n} invitation", "{n} invitations")),
    "update": (("{n} muudatusteade", "{n} muudatusteadet"), ("{n} update", "{n} updates")),
    "reminder": (("{n} meeldetuletus", "{n} meeldetuletust"), ("{n} reminder", "{n} reminders")),
}


def _cancel_removed(context: JobContext, job: str, current: set[str], result: JobResult, at_start: AtStart) -> None:
    """Cancellations for upcoming events that left the config: the calendar first, then each person invited, once.
    The states known at the start of the run are theirs still: only the config's events were handled since."""
    effects = context.effects
    languages: dict[str, str] = {}
    for uid, state in at_start.states.items():
        if state.job != job or uid in current:
            continue
        if not languages:
            languages = {email: registration.language for (_, email), registration in context.snapshot.registrations.people().items()}
        saved = state.event
        start, end = datetime.fromisoformat(saved["start"]), datetime.fromisoformat(saved["end"])
        handled = f"{job}/{context.year_key}/cancellation-handled/{uid}"
        if start.date() < context.today or context.effects.is_done(handled):
            continue  # a past event left the config: nothing to tell anyone
        stand_in = EventConfig(id=uid.split("@")[0], kind=state.kind, title=saved["title"], date=start.date(), start=start.time(),
                               end=end.time(), place=saved["location"] or "-", description=saved["description"])
        attendees = {a["email"]: a for a in saved["attendees"]}
        invited = effects.recall_all(_state_key(context, "invited", uid) + "/", int)
        occurrence = Occurrence(
            stand_in, None, uid, saved["title"], start, end, saved["location"], saved["video_link"],
            [Invitee(email, attendees.get(email, {}).get("name", ""), languages.get(email, context.config.programme.default_language),
                     optional=attendees.get(email, {}).get("optional", False)) for email in sorted(invited)],
        )
        sequence = state.sequence if state.cancelled else state.sequence + 1
        _save(context, job, occurrence, state, sequence, cancelled=True)
        for invitee in occurrence.invitees:
            _send(context, job, occurrence, invitee, purpose="event cancellation", key=f"{job}/{context.year_key}/{uid}/cancellation/{invitee.email}",
                  template="event_cancelled", method="CANCEL", sequence=sequence)
        effects.once(handled, job=job, purpose="event cancellation handled")
        told = len(occurrence.invitees)
        result.summary.append(context.say(f"{saved['title']}: tühistatud, teatatud {told} inimesele", f"{saved['title']}: cancelled, {told} told"))


def _write_attendance(context: JobContext, found: list[Occurrence]) -> None:
    sheet = context.config.sheets.coordinators
    by_event: dict[str, list[Occurrence]] = {}
    for occurrence in found:
        by_event.setdefault(occurrence.config.id, []).append(occurrence)
    for occurrences_of_event in by_event.values():
        tab = attendance_tab(occurrences_of_event[0].config)
        existing = context.snapshot.tab(sheet, tab)
        # Most days the same occurrences (kept by `occurrences`) meet the same tab (kept while its file is unchanged):
        # merged once, and known to change nothing.
        rows, unchanged = _MERGED.for_objects((existing, *occurrences_of_event), tab,
                                              lambda: _merge_attendance(existing, occurrences_of_event))
        if not unchanged:
            context.write_tab(sheet, tab, rows)


def _merge_attendance(existing: Sequence[Sequence[str]], occurrences_of_event: list[Occurrence]) -> tuple[list[list[str]], bool]:
    """The tab's rows with the event's invitees merged in, and whether that leaves the tab as it is."""
    fresh = [
        (invitee.email, dict(zip(FRESH_COLUMNS, (
            invitee.name,
            invitee.email,
            invitee.role,
            str(occurrence.group + 1) if occurrence.group is not None else "",
            "valikuline" if invitee.optional else "kohustuslik",
            "jah" if occurrence.facilitator and occurrence.facilitator.email == invitee.email else "",
        ))))
        for occurrence in occurrences_of_event for invitee in occurrence.invitees
    ]
    rows = merge_tab(
        existing,
        columns=ATTENDANCE_HEADER,
        key=lambda number, row: normalise_text(row.get("E-post", "")).lower(),
        fresh=fresh,
        # Nobody the coordinators ticked is ever dropped from the tab.
        leftover=lambda email, row: row if email else None,
    )
    return rows, len(rows) == len(existing) and all(list(map(str, row)) == list(kept) for row, kept in zip(rows, existing))


_MERGED: Memo[tuple] = Memo(limit=64)
FRESH_COLUMNS = tuple(column for column in ATTENDANCE_HEADER if column != ATTENDED)  # the tool's; "Osales" is the coordinators'


def run_events(context: JobContext, job: str, kinds: tuple[str, ...]) -> JobResult:
    result = JobResult()
    found, notices = occurrences(context, job, kinds)
    found = [_with_video_link(context, job, occurrence) for occurrence in found]
    # Read in two queries, not two for each of hundreds of occurrences: each occurrence is handled once a run,
    # so what its handling records is never looked up again in the same run.
    at_start = AtStart(context.effects.recall_all(_state_key(context, "event") + "/", EventState),
                  context.effects.done_keys(f"{job}/{context.year_key}/handled/"))
    for occurrence in found:
        _handle(context, job, occurrence, result, at_start)
    _cancel_removed(context, job, {o.uid for o in found}, result, at_start)
    _write_attendance(context, found)
    if notices:
        context.tell_coordinators(
            job=job, topic="events", template="events_notice",
            items=[(fingerprint(notice), notice) for notice in notices],
            variables=lambda fresh: {"notices": fresh},
        )
        result.warnings += notices
    if not result.summary:
        result.summary.append(context.say("uut saata polnud", "nothing new to send"))
    return result


def events_job(*, name: str, title: str, kinds: tuple[str, ...], rules: str, order: int, description: str, description_et: str,
               configured: Callable[[Config], DateRange | None], first_day: Callable[[Config], date]) -> Job:
    """The declaration of a job of events: daily from `first_day` (or the schedule's own range) to its last event."""
    return Job(
        name=name,
        title=title,
        rules=rules,
        order=order,
        description=description,
        description_et=description_et,
        reads=READS,
        writes=("attendance",),
        schedule=lambda config: events_window(config, kinds, configured(config), first_day(config)),
        milestones=lambda config: [Milestone(event.date, event.title) for event in config.events_of(*kinds)],
        run=lambda context: run_events(context, name, kinds),
        template_samples=template_samples,
    )


def template_samples(config: Config, language: str) -> dict[str, dict]:
    event = EventConfig(id="mentor-covision-1", kind="mentor_covision", title="Mentorite kovisioon", date=config.programme.relationships_start,
                        start=datetime.strptime("17:00", "%H:%M").time(), end=datetime.strptime("19:00", "%H:%M").time(),
                        place="Tartu, Rüütli 1", video_link="https://meet.example.ee/kovisioon", description="")
    invitee = Invitee("mari.maasikas@example.ee", "Mari Maasikas", language)
    start = _moment(config, event.date, event.start)
    occurrence = Occurrence(event, 0, "x", "Mentorite kovisioon – kovisioonigrupp 1", start, start + timedelta(hours=2), event.place,
                            event.video_link, [invitee, Invitee("juri@example.ee", "Jüri Õunapuu", language)], facilitator=invitee)
    variables = invitation_variables(config, occurrence, invitee)
    return {
        "event_invitation": variables,
        "event_update": variables,
        "event_reminder": variables,
        "event_cancelled": variables,
        "covision_facilitator": variables,
        "events_notice": {"notices": ["„Mentorite koolitus“ (5. detsember 2026): kutsutud 45, kohti 40"]},
    }


