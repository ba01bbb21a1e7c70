"""Trainings, workshop and covision (S3.4, S7.1-S7.3): invitations every calendar takes, updates, cancellations, rotation."""

from datetime import date

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from automation.cli import ExitStatus
from automation.domain.events import Invitee, assign_groups, choose_facilitator

TRAINING, WORKSHOP, COVISION = date(2026, 12, 11), date(2026, 12, 18), date(2027, 2, 17)
INVITE_DAY = date(2026, 11, 20)


def calendar_parts(message):
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    attachments = [part for part in message.walk() if part.get_filename() == "kutse.ics"]
    assert len(parts) == 1 and len(attachments) == 1
    assert parts[0].get_content().replace("\r\n", "\n") == attachments[0].get_content().decode().replace("\r\n", "\n")
    return parts[0].get_param("method"), icalendar.Calendar.from_ical(attachments[0].get_content())


def the_event(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def invitations(workspace, subject_start="Kutse:"):
    return [m for m in workspace.messages() if str(m["Subject"]).startswith(subject_start)]


def edit_config(workspace, old, new):
    text = workspace.config_path.read_text(encoding="utf-8")
    assert old in text, old
    workspace.config_path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_invitation_is_a_real_calendar_invitation(cohort, cli):
    assert cli("job", "trainings", today=INVITE_DAY).status == ExitStatus.OK
    sent = invitations(cohort, "Kutse:") + invitations(cohort, "Invitation:")
    assert len(sent) == 3 + 5  # three mentors to the training, five mentees to the workshop
    for message in sent:
        method, calendar = calendar_parts(message)
        assert method == "REQUEST" and calendar["METHOD"] == "REQUEST"
        event = the_event(calendar)
        assert str(event["UID"]).endswith("-2026@example.ee")
        assert event["DTSTART"].params["TZID"] == "Europe/Tallinn" and event["DTEND"].params["TZID"] == "Europe/Tallinn"
        assert event.decoded("DTSTART").utcoffset().total_seconds() == 7200  # EET in December
        [zone] = calendar.walk("VTIMEZONE")
        assert zone["TZID"] == "Europe/Tallinn"
        assert str(event["ORGANIZER"]) == "mailto:triin.pajo@example.ee"
        attendee = event["ATTENDEE"]
        assert str(attendee) == f"mailto:{message['To'].addresses[0].addr_spec}"
        assert attendee.params["RSVP"] == "TRUE" and attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert int(event["SEQUENCE"]) == 0 and event["STATUS"] == "CONFIRMED"


def test_who_is_invited_to_the_training_and_the_workshop(cohort, cli):
    from tests.conftest import mentor_row

    cohort.write_form("mentor", [
        mentor_row("mari.tamm@example.ee", "Mari Tamm"),
        mentor_row("juri.ounapuu@example.ee", "Jüri Õunapuu", training_year="2023", attends=""),
        mentor_row("kulli.saask@example.ee", "Külli Sääsk", experience="3"),  # not eligible (S3.3)
    ])
    cli("job", "trainings", today=INVITE_DAY)
    training = {str(m["To"].addresses[0].addr_spec): m for m in invitations(cohort) if "Mentorite koolitus" in str(m["Subject"])}
    assert set(training) == {"mari.tamm@example.ee", "juri.ounapuu@example.ee"}
    role = lambda m: the_event(calendar_parts(m)[1])["ATTENDEE"].params["ROLE"]  # noqa: E731
    assert role(training["mari.tamm@example.ee"]) == "REQ-PARTICIPANT"
    assert role(training["juri.ounapuu@example.ee"]) == "OPT-PARTICIPANT"  # trained in an earlier year (S3.4)
    assert "valikuline" in training["juri.ounapuu@example.ee"].get_body(("plain",)).get_content()
    workshop = {str(m["To"].addresses[0].addr_spec) for m in cohort.messages() if "Menteede töötuba" in str(m["Subject"])}
    assert workshop == {"tonu.kask@example.ee", "zanna.poder@example.ee", "ulo.mand@example.ee", "siiri.lohmus@example.ee", "john.smith@example.ee"}
    [english] = [m for m in cohort.messages_to("john.smith@example.ee")]
    assert english["Subject"].startswith("Invitation: Menteede töötuba – Friday 18 December 2026 at 13:00")


def test_re_runs_send_nothing_new_and_the_reminder_goes_once(cohort, cli):
    cli("job", "trainings", today=INVITE_DAY)
    first = len(cohort.messages())
    cli("job", "trainings", today=date(2026, 11, 21))
    assert len(cohort.messages()) == first
    cli("job", "trainings", today=date(2026, 12, 8))  # three days before the training
    cli("job", "trainings", today=date(2026, 12, 9))
    reminders = invitations(cohort, "Meeldetuletus: Mentorite koolitus")
    assert len(reminders) == 3 and len({str(m["To"]) for m in reminders}) == 3


def test_a_changed_time_sends_one_update_per_invitee_with_the_sequence_raised(cohort, cli):
    cli("job", "trainings", today=INVITE_DAY)
    edit_config(cohort, 'start = 10:00:00\nend = 16:00:00\nplace = "Tartu, Rüütli 1, II korrus"', 'start = 11:00:00\nend = 17:00:00\nplace = "Tartu, Rüütli 1, II korrus"')
    cli("job", "trainings", today=date(2026, 11, 22))
    cli("job", "trainings", today=date(2026, 11, 23))
    updates = invitations(cohort, "Muudatus:")
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in updates) == ["juri.ounapuu@example.ee", "kulli.saask@example.ee", "mari.tamm@example.ee"]
    for message in updates:
        method, calendar = calendar_parts(message)
        event = the_event(calendar)
        assert method == "REQUEST" and int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART").hour == 11
        assert "kell 11:00–17:00" in message.get_body(("plain",)).get_content()
    assert not [m for m in invitations(cohort, "Muudatus:") if "töötuba" in str(m["Subject"])]  # nothing else is re-sent


def test_a_removed_event_sends_one_cancellation_per_invitee(cohort, cli):
    cli("job", "trainings", today=INVITE_DAY)
    text = cohort.config_path.read_text(encoding="utf-8")
    start = text.index('[[events]]\nid = "mentee-workshop"')
    end = text.index("[[events]]", start + 5)
    cohort.config_path.write_text(text[:start] + text[end:], encoding="utf-8")
    cli("job", "trainings", today=date(2026, 11, 22))
    cli("job", "trainings", today=date(2026, 11, 23))
    cancellations = invitations(cohort, "Jääb ära:") + invitations(cohort, "Cancelled:")
    assert len(cancellations) == 5 and len({str(m["To"]) for m in cancellations}) == 5
    method, calendar = calendar_parts(cancellations[0])
    event = the_event(calendar)
    assert method == "CANCEL" and calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1
    whole = icalendar.Calendar.from_ical((cohort.path / "calendar.ics").read_bytes())
    status = {str(e["UID"]).split("-2026")[0]: str(e["STATUS"]) for e in whole.walk("VEVENT")}
    assert status == {"mentor-training": "CONFIRMED", "mentee-workshop": "CANCELLED"}


def test_the_coordinators_calendar_lists_every_attendee(cohort, cli):
    cli("job", "trainings", today=INVITE_DAY)
    whole = icalendar.Calendar.from_ical((cohort.path / "calendar.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in whole.walk("VEVENT")}
    attendees = events["Menteede töötuba"]["ATTENDEE"]
    assert len(attendees) == 5 and events["Menteede töötuba"]["URL"] == "https://meet.example.ee/menteede-tootuba"
    assert whole.walk("VTIMEZONE")[0]["TZID"] == "Europe/Tallinn"


def test_attendance_tab_has_a_row_per_invitee_and_keeps_the_ticks(cohort, cli):
    cli("job", "trainings", today=INVITE_DAY)
    tab = "Osalemine 2026-12-11 mentor-training"
    rows = cohort.tab(tab=tab)
    assert sorted(row["E-post"] for row in rows) == ["juri.ounapuu@example.ee", "kulli.saask@example.ee", "mari.tamm@example.ee"]
    for row in rows:
        row["Osales"] = "x" if row["E-post"] == "mari.tamm@example.ee" else ""
    cohort.write_tab(rows, tab=tab)
    cli("job", "trainings", today=date(2026, 11, 21))
    ticked = {row["E-post"]: row["Osales"] for row in cohort.tab(tab=tab)}
    assert ticked["mari.tamm@example.ee"] == "x"


def confirm_all_pairs(workspace, cli):
    cli("match", today=date(2026, 11, 30))
    rows = workspace.tab(tab="Paarid")
    for row in rows:
        if row["Staatus"] == "ettepanek":
            row["Staatus"] = "heaks kiidetud"
    workspace.write_tab(rows, tab="Paarid")
    cli("job", "pair-confirmation", today=date(2026, 12, 1))


def test_covision_groups_are_split_by_role_with_a_facilitator_each(cohort, cli):
    confirm_all_pairs(cohort, cli)
    edit_config(cohort, 'video_link = "https://meet.example.ee/mentorite-kovisioon"\ncapacity = 8', 'video_link = "https://meet.example.ee/mentorite-kovisioon"\ncapacity = 2')
    assert cli("job", "covision", today=date(2026, 12, 2)).status == ExitStatus.OK
    mentor_invites = invitations(cohort, "Kutse: Mentorite kovisioon I –")
    groups = {}
    for message in mentor_invites:
        group = str(message["Subject"]).split("kovisioonigrupp ")[1].split(" ")[0]
        groups.setdefault(group, set()).add(message["To"].addresses[0].addr_spec)
        assert "konfidentsiaalsed" in message.get_body(("plain",)).get_content()
    assert sorted(len(members) for members in groups.values()) == [1, 2]  # three mentors, groups of at most two
    assert set().union(*groups.values()) == {"mari.tamm@example.ee", "juri.ounapuu@example.ee", "kulli.saask@example.ee"}
    mentee_invites = invitations(cohort, "Kutse: Menteede kovisioon I")
    assert {m["To"].addresses[0].addr_spec for m in mentee_invites} == {"tonu.kask@example.ee", "zanna.poder@example.ee", "ulo.mand@example.ee", "siiri.lohmus@example.ee"}
    guidance = invitations(cohort, "Seekord juhid kovisiooni sina: Mentorite kovisioon I –")
    assert len(guidance) == 2  # one facilitator per group session
    cli("job", "covision", today=date(2026, 12, 3))
    assert len(invitations(cohort, "Seekord juhid kovisiooni sina: Mentorite kovisioon I –")) == 2  # stable across re-runs
    facilitators_1 = {m["To"].addresses[0].addr_spec for m in guidance}
    facilitators_2 = {m["To"].addresses[0].addr_spec for m in invitations(cohort, "Seekord juhid kovisiooni sina: Mentorite kovisioon II –")}
    assert facilitators_1 != facilitators_2 or len(groups) == 3  # the turn passes on


@pytest.mark.parametrize("problem, old, new", [
    ("lõpuaeg puudub; lisa end = HH:MM:SS", "start = 10:00:00\nend = 16:00:00\n", "start = 10:00:00\n"),
    ("lõpp (09:00:00) ei ole pärast algust (10:00:00)", "start = 10:00:00\nend = 16:00:00\n", "start = 10:00:00\nend = 09:00:00\n"),
])
def test_a_broken_event_is_named(workspace, cli, problem, old, new):
    edit_config(workspace, old, new)
    result = cli("plan")
    assert result.status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "events[0] (id 'mentor-training')" in result.stderr and problem in result.stderr


def test_overlapping_sessions_for_one_person_are_named(workspace, cli):
    edit_config(workspace, f"date = {date(2027, 4, 14).isoformat()}", f"date = {COVISION.isoformat()}")
    result = cli("plan")
    assert result.status == 2
    assert "sündmused 'mentor-covision-1'" in result.stderr and "'mentor-covision-2'" in result.stderr and "kattuvad" in result.stderr


people_and_capacity = st.tuples(st.integers(1, 40), st.integers(1, 9), st.integers(0, 10))


@settings(max_examples=150, deadline=None)
@given(people_and_capacity)
def test_groups_are_balanced_within_capacity_and_stable(case):
    count, capacity, joiners = case
    people = [Invitee(f"p{i}@example.ee", f"P {i}", workplace=f"w{i % 3}") for i in range(count)]
    groups = assign_groups(people, capacity, {})
    sizes = [list(groups.values()).count(g) for g in set(groups.values())]
    assert max(sizes) <= capacity and max(sizes) - min(sizes) <= 1
    more = people + [Invitee(f"n{i}@example.ee", f"N {i}") for i in range(joiners)]
    again = assign_groups(more, capacity, groups)
    assert all(again[p.email] == groups[p.email] for p in people)  # nobody moves


def _groups_by_the_rule(people, capacity, existing):
    """The placement rule as the docstring states it, counted plainly: each newcomer (by workplace, name, address)
    into the smallest group, among equals the one with fewest colleagues from their workplace, then the first."""
    import math

    present = {p.email for p in people}
    groups = {email: group for email, group in existing.items() if email in present}
    count = max(max(groups.values(), default=-1) + 1, math.ceil(len(people) / capacity), 1)
    members = [[p for p in people if groups.get(p.email) == g] for g in range(count)]
    for person in sorted((p for p in people if p.email not in groups), key=lambda p: (p.workplace, p.name, p.email)):
        target = min(range(count), key=lambda g: (len(members[g]), sum(1 for m in members[g] if person.workplace and m.workplace == person.workplace), g))
        members[target].append(person)
        groups[person.email] = target
    return groups


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 40), st.integers(1, 9), st.data())
def test_newcomers_go_to_the_smallest_group_with_fewest_colleagues(count, capacity, data):
    workplaces = st.sampled_from(["", "Rajaleidja", "Tartu Ülikool", "Töötukassa"])
    people = [Invitee(f"p{i}@example.ee", f"P {i}", workplace=data.draw(workplaces)) for i in range(count)]
    placed = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=count)) if people else []
    existing = {p.email: data.draw(st.integers(0, max(0, count // capacity))) for p in placed}
    assert assign_groups(people, capacity, existing) == _groups_by_the_rule(people, capacity, existing)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 30), st.data())
def test_nobody_facilitates_twice_before_every_willing_member_once(size, sessions, data):
    members = [f"m{i}@example.ee" for i in range(size)]
    unwilling = set(data.draw(st.lists(st.sampled_from(members), max_size=size - 1, unique=True)))
    volunteers = set(data.draw(st.lists(st.sampled_from(members), unique=True))) - unwilling
    willing = [m for m in members if m not in unwilling]
    history: dict[str, int] = {}
    for session in range(sessions):
        chosen = choose_facilitator(members, history, volunteers, unwilling)
        assert chosen in willing
        history[chosen] = history.get(chosen, 0) + 1
        turns = [history.get(m, 0) for m in willing]
        assert max(turns) - min(turns) <= 1
        if session < len(volunteers):
            assert chosen in volunteers  # volunteers first
    assert choose_facilitator(members, {}, set(), set(members)) is None


def test_attendance_feeds_the_pairs_tab_and_flags_an_untrained_mentor(cohort, cli):
    from tests.conftest import mentor_row

    cohort.write_form("mentor", [
        mentor_row("mari.tamm@example.ee", "Mari Tamm", topics="grupinõustamine, karjääriinfo", workplace="Tartu Ülikool"),
        mentor_row("juri.ounapuu@example.ee", "Jüri Õunapuu", topics="noortega töö", region="Harjumaa", workplace="Tallinna Ülikool"),
        mentor_row("kulli.saask@example.ee", "Külli Sääsk", training_year="2024", attends="", workplace="Rajaleidja"),
    ])
    cli("job", "trainings", today=INVITE_DAY)
    cohort.tick_attendance("Osalemine 2026-12-11 mentor-training", {"mari.tamm@example.ee"})
    cli("match", today=date(2026, 12, 14))
    training = {row["Mentori e-post"]: row["Mentori koolitus"] for row in cohort.tab(tab="Paarid") if row["Mentori e-post"]}
    assert training["mari.tamm@example.ee"] == "osales 11. detsembril 2026"
    assert training["juri.ounapuu@example.ee"] == "ei osalenud 11. detsembril 2026 toimunud koolitusel"
    assert training["kulli.saask@example.ee"] == "läbitud 2024"
    [told] = [m for m in cohort.messages_to("triin.pajo@example.ee") if str(m["Subject"]).startswith("Paaride ettepanek")]
    assert "mentor Jüri Õunapuu (juri.ounapuu@example.ee) ei osalenud 11. detsembril 2026 toimunud koolitusel; mentorite koolitus tuleb läbida enne mentorsuhte algust" in told.get_body(("plain",)).get_content()


def test_the_calendar_file_is_written_again_only_when_its_events_changed(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from automation.backends.local.calendar import IcsCalendar
    from automation.ports import Attendee, CalendarEvent

    tallinn = ZoneInfo("Europe/Tallinn")
    calendar = IcsCalendar(tmp_path / "calendar.ics")
    event = CalendarEvent(uid="training-2026@mentorlus", title="Mentorite koolitus", start=datetime(2026, 12, 9, 10, tzinfo=tallinn),
                          end=datetime(2026, 12, 9, 16, tzinfo=tallinn), location="Tartu", description="",
                          attendees=(Attendee("mari.tamm@example.ee", "Mari Tamm"),))
    calendar.save_events([event])
    calendar.repair()  # the end of the run
    written = (tmp_path / "calendar.ics").stat().st_ino  # a file written again is a new file (atomic replace)
    calendar.repair()  # the next run's start: nothing changed
    assert (tmp_path / "calendar.ics").stat().st_ino == written

    # A run that died between the two writes left calendar.ics behind calendar.json: the next run writes it again.
    calendar.save_events([CalendarEvent(**{**event.__dict__, "location": "Tallinn"})])
    assert b"LOCATION:Tallinn" not in (tmp_path / "calendar.ics").read_bytes()
    calendar.repair()
    assert icalendar.Calendar.from_ical((tmp_path / "calendar.ics").read_bytes()).walk("VEVENT")[0]["LOCATION"] == "Tallinn"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40) | st.sampled_from(["X-MENTORLUS-ATTENDEE", "a\nX-MENTORLUS-ATTENDEE\n", "ATTENDEE:mailto:x@y.ee"]),
       st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20), st.sampled_from(["REQUEST", "CANCEL"]))
def test_an_invitation_lists_its_one_attendee_whatever_the_event_says(description, name, method):
    """Everyone invited to an event gets the same invitation but for their own ATTENDEE line (built once per event)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dataclasses import replace

    from automation.invitations import calendar_file, invitation
    from automation.ports import Attendee, CalendarEvent

    zone = ZoneInfo("Europe/Tallinn")
    event = CalendarEvent("covision-g1-2026@example.ee", "Kovisioon", datetime(2027, 2, 17, 10, tzinfo=zone), datetime(2027, 2, 17, 12, tzinfo=zone),
                          "Tallinn", description, (), Attendee("triin.pajo@example.ee", "Triin Pajo"))
    stamp = datetime(2027, 2, 1, 8, tzinfo=zone)
    for email in ("mari.tamm@example.ee", "juri.ounapuu@example.ee"):
        parsed = the_event(icalendar.Calendar.from_ical(invitation(event, Attendee(email, name), method=method, stamp=stamp)))
        # The coordinators' calendar file lists the same event, written whole with its attendee.
        whole = the_event(icalendar.Calendar.from_ical(calendar_file([replace(event, attendees=(Attendee(email, name),))])))
        attendee = parsed["ATTENDEE"]
        assert not isinstance(attendee, list) and str(attendee) == f"mailto:{email}"
        assert attendee.params.get("CN") == whole["ATTENDEE"].params.get("CN")
        for field in ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "ORGANIZER", "DTSTART", "DTEND"):
            assert parsed.get(field) == whole.get(field), field
