"""Job registration-open (S2.4): the announcement, the reminder, and catching up a missed day."""

from datetime import date

from automation.cli import ExitStatus
from tests.conftest import OPENS, mentee_row

REMINDER_DAY = date(2026, 11, 10)


def test_the_announcement_goes_once_to_the_mailing_list_with_both_links(workspace, cli):
    assert cli("run", today=OPENS).status == ExitStatus.OK
    cli("run", today=date(2026, 10, 6))
    [announcement] = workspace.messages_to("liikmed@example.ee")
    assert announcement["Subject"] == "Mentorprogrammi 2026/2027 registreerimine on avatud"
    text = announcement.get_body(("plain",)).get_content()
    assert "https://forms.gle/mentor-registreerimine" in text and "https://forms.gle/mentee-registreerimine" in text
    assert "Registreerimise viimane päev: 15. november 2026" in text
    assert "Triin Pajo, triin.pajo@example.ee" in text  # whoever cannot use the form registers through a coordinator


def test_nothing_before_registration_opens(workspace, cli):
    result = cli("job", "registration-open", today=date(2026, 10, 1))
    assert result.status == ExitStatus.OK and "registreerimine ei ole täna avatud" in result.stdout
    assert workspace.messages() == []


def test_a_missed_announcement_day_is_caught_up(workspace, cli):
    cli("run", today=date(2026, 10, 7))
    assert len(workspace.messages_to("liikmed@example.ee")) == 1


def test_personal_announcements_to_each_member_when_configured(workspace, cli):
    text = workspace.config_path.read_text(encoding="utf-8").replace('announce_to = "mailing_list"', 'announce_to = "members"')
    workspace.config_path.write_text(text, encoding="utf-8")
    cli("run", today=OPENS)
    assert not workspace.messages_to("liikmed@example.ee")
    [personal] = workspace.messages_to("juri.ounapuu@example.ee")
    assert personal.get_body(("plain",)).get_content().startswith("Tere, Jüri!")
    assert len(workspace.messages()) == 5


def test_the_reminder_goes_only_to_members_not_yet_registered(workspace, cli):
    workspace.write_form("mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm"), mentee_row("TONU.KASK@example.ee ", "Tõnu Kask")])
    workspace.write_form("mentor", [])
    cli("run", today=OPENS)
    cli("run", today=REMINDER_DAY)
    cli("run", today=date(2026, 11, 11))
    reminders = [m for m in workspace.messages() if m["Subject"].startswith("Meeldetuletus")]
    assert sorted(str(m["To"]) for m in reminders) == [
        "Jüri Õunapuu <juri.ounapuu@example.ee>",
        "Külli Sääsk <kulli.saask@example.ee>",
        "Žanna Põder <zanna.poder@example.ee>",
    ]


def test_no_reminder_while_a_form_cannot_be_read(workspace, cli):
    from automation.demo.cohort import MENTEE_HEADER

    workspace.write_form("mentee", [], header=MENTEE_HEADER[:3])
    result = cli("job", "registration-open", today=REMINDER_DAY)
    assert "meeldetuletus lükkub edasi" in result.stdout
    assert not [m for m in workspace.messages() if m["Subject"].startswith("Meeldetuletus")]
