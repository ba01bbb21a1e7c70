"""Feedback surveys (S6.5, S6.6, S8.1): links, at most two reminders that stop once answered, anonymous summaries."""

import csv
from datetime import date

import pytest

from automation.cli import ExitStatus
from automation.domain.surveys import load_surveys
from automation.errors import ConfigError
from tests.test_events import confirm_all_pairs

OPENS, CLOSES = date(2027, 3, 15), date(2027, 4, 5)
SURVEY = "vahekokkuvote-menteed"


def answer(workspace, email, scale="4", text="Rohkem kovisioone, palun."):
    """Someone answers the association's own form; the coordinator saves its export where the survey's file says."""
    [survey] = [s for s in load_surveys(workspace.config().surveys_dir) if s.id == SURVEY]
    path = workspace.path / survey.responses
    header = [] if path.exists() else [["Ajatempel", "E-posti aadress", *(q.form_title for q in survey.questions)]]
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(header + [["20.03.2027 10:00:00", email, scale, "5", text]])


def to(workspace, email, subject):
    return [m for m in workspace.messages_to(email) if str(m["Subject"]).startswith(subject)]


@pytest.fixture
def paired(cohort, cli):
    confirm_all_pairs(cohort, cli)
    return cohort


def test_links_go_once_and_reminders_stop_once_answered(paired, cli):
    assert cli("job", "surveys", today=OPENS).status == ExitStatus.OK
    cli("job", "surveys", today=date(2027, 3, 16))
    [link] = to(paired, "tonu.kask@example.ee", "Sinu tagasiside: Mentorprogrammi vahekokkuvõte menteedele")
    assert "kuni 5. aprillini 2027" in link.get_body(("plain",)).get_content()
    assert "https://forms.example.ee/vahekokkuvote-menteed" in link.get_body(("plain",)).get_content()  # the association's own form
    assert "file:" not in link.get_body(("plain",)).get_content() + link.get_body(("html",)).get_content()
    answer(paired, "tonu.kask@example.ee")
    for day in (date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 29), date(2027, 4, 4)):
        cli("job", "surveys", today=day)
    assert to(paired, "tonu.kask@example.ee", "Meeldetuletus: Mentorprogrammi vahekokkuvõte") == []
    assert len(to(paired, "zanna.poder@example.ee", "Meeldetuletus: Mentorprogrammi vahekokkuvõte menteedele")) == 2  # at most twice
    assert to(paired, "mari.tamm@example.ee", "Sinu tagasiside: Mentorprogrammi vahekokkuvõte menteedele") == []  # mentors get their own


def test_the_coordinators_get_one_summary_without_names(paired, cli):
    cli("job", "surveys", today=OPENS)
    answer(paired, "tonu.kask@example.ee", scale="5", text="Kohtumised on väga toetavad.")
    answer(paired, "zanna.poder@example.ee", scale="3", text="Tahaks rohkem kovisioone.")
    cli("job", "surveys", today=CLOSES)
    cli("job", "surveys", today=date(2027, 4, 6))
    [summary] = to(paired, "triin.pajo@example.ee", "Küsitluse kokkuvõte: Mentorprogrammi vahekokkuvõte menteedele")
    text = summary.get_body(("plain",)).get_content()
    assert "kutsutud 4 inimesest vastas 2 (50%)" in text and "keskmine: 4,0 (2 vastust)" in text
    assert "Kohtumised on väga toetavad." in text and "Tahaks rohkem kovisioone." in text
    for person in ("Tõnu", "Kask", "tonu.kask", "Žanna", "zanna.poder"):
        assert person not in text


def test_the_board_sees_response_rates(paired, cli):
    cli("job", "surveys", today=OPENS)
    answer(paired, "tonu.kask@example.ee")
    cli("job", "board-summary", today=date(2027, 4, 1))
    rows = list(csv.reader((paired.path / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert ["Küsitlused", "Mentorprogrammi vahekokkuvõte menteedele", "Küsimus: vastanud; Tulemus: 1 (25%)"] in rows
    assert ["Ülevaade", "Küsitlustele vastanud", "1 (14%) (2 küsitlust)"] in rows  # both mid-point surveys: 4 mentees and 3 mentors invited


def test_an_unknown_question_type_is_named(tmp_path):
    (tmp_path / "x.toml").write_text(
        'id = "x"\ntitle = "X"\naudience = "mentees"\nsend_on = "03-15"\n[[questions]]\nid = "q1"\ntitle = "Kuidas läheb?"\ntype = "slider"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_surveys(tmp_path)
    assert "x.toml: questions[0] ('q1'): unknown question type 'slider'; use one of: scale, choice, text" in str(caught.value)


def test_the_shipped_surveys_cover_mid_term_and_final_for_both_roles():
    from pathlib import Path

    surveys = {s.id: s for s in load_surveys(Path(__file__).resolve().parent.parent / "config" / "surveys")}
    assert {(s.audience, s.send_on) for s in surveys.values()} == {
        ("mentors", "03-15"), ("mentees", "03-15"), ("mentors", "06-01"), ("mentees", "06-01"), ("participants", "06-15")}
    final = surveys["lopp-menteed"]
    assert any("kokkuvõte" in q.title for q in final.questions)  # the pair's summary (S6.5)
    assert surveys["tagasiside-programmile"].audience == "participants"  # feedback on the programme itself (S6.6)
