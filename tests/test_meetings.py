"""The meetings job (S2.3, S6.7, S6.8): counting the log, friendly nudges, the coordinators' digest."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from automation.cli import ExitStatus
from automation.domain.meetings import behind_pace, count_per_pair, expected_by, parse_meetings
from automation.domain.registrations import ResponseTable
from tests.test_events import confirm_all_pairs

LOG_HEADER = ["Ajatempel", "Mentee e-posti aadress", "Kohtumise kuupäev", "Kohtumise viis", "Kestus (minutites)", "Arutatud teemad"]
QUESTIONS = {"Mentee e-posti aadress": "email", "Kohtumise kuupäev": "meeting_date", "Kohtumise viis": "meeting_mode",
             "Kestus (minutites)": "length_minutes", "Arutatud teemad": "topics"}
RELATIONSHIPS = (date(2027, 1, 4), date(2027, 6, 30))


def log_row(email, day, stamp="10.02.2027 20:00:00"):
    return [stamp, email, day, "Silmast silma", "60", "eesmärgid"]


def test_each_pair_and_day_counts_once_and_late_submissions_count():
    table = ResponseTable(LOG_HEADER, [
        log_row("tonu.kask@example.ee", "14.01.2027"),
        log_row("TONU.KASK@example.ee ", "2027-01-14"),  # the same meeting, submitted again
        log_row("tonu.kask@example.ee", "11.02.2027"),
        log_row("tonu.kask@example.ee", "20.01.2027", stamp="01.03.2027 09:00:00"),  # logged late
        log_row("zanna.poder@example.ee", "01.12.2026"),  # before the relationships began
        log_row("zanna.poder@example.ee", "eile"),
    ])
    meetings, problems = parse_meetings(table, QUESTIONS, relationships=RELATIONSHIPS)
    counts = count_per_pair(meetings, {"tonu.kask@example.ee", "zanna.poder@example.ee"})
    assert counts["tonu.kask@example.ee"] == [date(2027, 1, 14), date(2027, 1, 20), date(2027, 2, 11)]
    assert counts["zanna.poder@example.ee"] == []
    assert problems == [
        "kohtumiste vorm, rida 6: kohtumise kuupäev 1. detsember 2026 on väljaspool mentorsuhte aega (4. jaanuar 2027 – 30. juuni 2027)",
        "kohtumiste vorm, rida 7: küsimuse „Kohtumise kuupäev“ vastus „eile“ ei ole kuupäev",
    ]


def test_the_pace_of_six_by_the_end_of_june():
    start, end = RELATIONSHIPS
    assert expected_by(start, start, end, 6) == 0
    assert expected_by(date(2027, 4, 2), start, end, 6) == 2
    assert expected_by(end, start, end, 6) == 6
    assert behind_pace(1, date(2027, 4, 2), start, end, 6) and not behind_pace(2, date(2027, 4, 2), start, end, 6)


@pytest.fixture
def paired(cohort, cli):
    confirm_all_pairs(cohort, cli)
    return cohort


def write_log(workspace, rows):
    path = workspace.path / "forms" / "kohtumised.csv"
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([LOG_HEADER] + rows)


def nudges(workspace, email):
    return [m for m in workspace.messages_to(email) if "kuidas teie kohtumised sujuvad" in str(m["Subject"])]


def test_a_pair_behind_the_pace_is_nudged_at_most_once_in_four_weeks(paired, cli):
    write_log(paired, [log_row("zanna.poder@example.ee", d) for d in ("10.01.2027", "05.02.2027", "01.03.2027")])
    assert cli("job", "meetings", today=date(2027, 3, 1)).status == ExitStatus.OK
    assert len(nudges(paired, "tonu.kask@example.ee")) == 1 and len(nudges(paired, "mari.tamm@example.ee")) == 1
    assert nudges(paired, "zanna.poder@example.ee") == []  # three meetings by March: on pace
    text = nudges(paired, "tonu.kask@example.ee")[0].get_body(("plain",)).get_content()
    assert "olete seni kohtunud veel mitte kordagi" in text and "https://forms.gle/kohtumiste-logi" in text
    assert "soovitatud tempos oleksite praeguseks kohtunud umbes ühe korra" in text and "vajad tuge, anna" in text
    cli("job", "meetings", today=date(2027, 3, 15))
    assert len(nudges(paired, "tonu.kask@example.ee")) == 1  # not again within four weeks
    cli("job", "meetings", today=date(2027, 4, 1))
    assert len(nudges(paired, "tonu.kask@example.ee")) == 2


def test_the_coordinators_hear_of_silent_pairs_and_bad_rows_once(paired, cli):
    write_log(paired, [log_row("zanna.poder@example.ee", "10.01.2027"), log_row("zanna.poder@example.ee", "01.08.2027"),
                       log_row("someone@example.ee", "11.01.2027")])
    cli("job", "meetings", today=date(2027, 3, 1))
    cli("job", "meetings", today=date(2027, 3, 2))
    [digest] = [m for m in paired.messages_to("triin.pajo@example.ee") if str(m["Subject"]).startswith("Mentorpaaride kohtumised")]
    text = digest.get_body(("plain",)).get_content()
    assert "Tõnu Kask ja Mari Tamm: ühtki kohtumist pole kirja pandud" in text
    assert "kohtumiste vorm, rida 3: kohtumise kuupäev 1. august 2027 on väljaspool mentorsuhte aega" in text
    assert "kohtumiste vorm, rida 4: someone@example.ee ei ole üheski kinnitatud paaris" in text


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)).flatmap(lambda ymd: st.sampled_from([
        f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}", f"{ymd[2]}.{ymd[1]}.{ymd[0]}", f"{ymd[2]:02d}.{ymd[1]:02d}.{ymd[0]:04d}",
        f"{ymd[2]}.{ymd[1]}.{ymd[0] % 100:02d}", f"{ymd[1]}/{ymd[2]}/{ymd[0]}", f" {ymd[0]}-{ymd[1]}-{ymd[2]} "])),
    st.text(alphabet="0123456789.-/ ", max_size=12),
))
def test_a_meeting_day_is_read_as_the_first_date_format_that_fits_gives_it(text):
    """The quick reading of the usual answers gives what trying each format in turn gives, for any answer."""
    from datetime import datetime

    from automation.domain.meetings import DATE_FORMATS, parse_day
    from automation.domain.registrations import normalise_text

    def each_format_in_turn(value):
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(normalise_text(value), pattern).date()
            except ValueError:
                continue
        return None

    assert parse_day(text) == each_format_in_turn(text)
