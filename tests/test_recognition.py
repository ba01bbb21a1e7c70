"""Recognition (S8.4): each participant thanked once, with their own record attached."""

from datetime import date

from automation.cli import ExitStatus
from tests.test_events import INVITE_DAY, confirm_all_pairs
from tests.test_meetings import log_row, write_log


def thanks(workspace):
    return [m for m in workspace.messages() if str(m["Subject"]).startswith(("Aitäh, et osalesid", "Thank you for taking part"))]


def test_every_participant_gets_one_thank_you_with_their_record(cohort, cli):
    cli("job", "trainings", today=INVITE_DAY)
    cohort.tick_attendance("Osalemine 2026-12-11 mentor-training", {"mari.tamm@example.ee"})
    confirm_all_pairs(cohort, cli)
    write_log(cohort, [log_row("tonu.kask@example.ee", day) for day in ("14.01.2027", "14.01.2027", "11.02.2027", "15.03.2027")])
    assert cli("job", "recognition", today=date(2027, 6, 30)).status == ExitStatus.OK
    cli("job", "recognition", today=date(2027, 7, 1))
    sent = thanks(cohort)
    recipients = sorted(m["To"].addresses[0].addr_spec for m in sent)
    assert recipients == sorted(["mari.tamm@example.ee", "juri.ounapuu@example.ee", "kulli.saask@example.ee",
                                 "tonu.kask@example.ee", "zanna.poder@example.ee", "ulo.mand@example.ee", "siiri.lohmus@example.ee"])
    [to_mari] = [m for m in sent if m["To"].addresses[0].addr_spec == "mari.tamm@example.ee"]
    text = to_mari.get_body(("plain",)).get_content()
    assert "mentorina" in text and "Kohtumisi mentorpaaris: 3" in text and "Koolitused ja töötoad: 1" in text
    [record] = list(to_mari.iter_attachments())
    assert record.get_filename() == "Osalemistõend – Mari Tamm.html" and record.get_content_charset() == "utf-8"
    html = record.get_content()
    assert "Mari Tamm" in html and "Tõnu Kask" in html and "11. detsember 2026: Mentorite koolitus" in html
    assert "Väljastatud 30. juunil 2027" in html
    [to_john] = [m for m in cohort.messages_to("john.smith@example.ee") if "Thank" in str(m["Subject"])] or [None]
    assert to_john is None  # John had no pair
