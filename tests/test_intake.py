"""The intake job end to end on the local backend, through the CLI as cron runs it."""

import re
from datetime import date

from automation.cli import ExitStatus
from tests.conftest import mentee_row, mentor_row

DAY = date(2026, 10, 8)


def registered(workspace):
    workspace.write_form("mentor", [
        mentor_row("mari.tamm@example.ee", "Mari Tamm"),
        mentor_row("tonu.kask@example.ee", "Tõnu Kask", experience="3"),
    ])
    workspace.write_form("mentee", [
        mentee_row("  Juri.Ounapuu@Example.ee ", "Jüri Õunapuu", language="English"),
        mentee_row("kulli.saask@", "Külli Sääsk"),
        mentee_row("zanna.poder@example.ee", "Žanna Põder", goals="areneda"),
    ])


def test_statuses_reasons_and_every_row_in_the_tab(workspace, cli):
    registered(workspace)
    result = cli("job", "intake", today=DAY)
    assert result.status == ExitStatus.OK, result.stderr
    rows = {row["Nimi"]: row for row in workspace.tab()}
    assert set(rows) == {"Mari Tamm", "Tõnu Kask", "Jüri Õunapuu", "Külli Sääsk", "Žanna Põder"}
    assert rows["Mari Tamm"]["Staatus"] == "sobib"
    assert rows["Tõnu Kask"]["Staatus"] == "ei sobi"
    assert "töökogemus karjäärispetsialistina „3“ on alla nõutava 5 aasta" in rows["Tõnu Kask"]["Põhjused"]
    assert rows["Jüri Õunapuu"]["E-post"] == "juri.ounapuu@example.ee" and rows["Jüri Õunapuu"]["Keel"] == "en"
    assert rows["Külli Sääsk"]["Staatus"] == "vajab täpsustamist"
    assert "e-posti aadress on vigane" in rows["Külli Sääsk"]["Põhjused"]
    assert rows["Žanna Põder"]["Staatus"] == "vajab täpsustamist" and "arengueesmärgid on kirjeldatud liiga lühidalt" in rows["Žanna Põder"]["Põhjused"]
    assert not any(re.search(r"\bS\d", row["Põhjused"] + row["Märkused"]) for row in rows.values())  # no rule codes for people to decode


def test_the_tab_opens_as_utf8_in_spreadsheets(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    data = (workspace.path / "sheets" / "koordinaatorid" / "Registreerimised.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "Žanna Põder".encode() in data


def test_each_registrant_is_acknowledged_once_in_their_language(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    cli("job", "intake", today=date(2026, 10, 9))
    [english] = workspace.messages_to("juri.ounapuu@example.ee")
    assert english["Subject"] == "We have received your registration as a mentee"
    [estonian] = workspace.messages_to("mari.tamm@example.ee")
    assert estonian["Subject"] == "Sinu registreerumine mentoriks on kätte saadud"
    assert not workspace.messages_to("kulli.saask")  # no usable address: the coordinators are told instead
    assert len(workspace.messages_to("tonu.kask@example.ee")) == 1


def test_a_resubmission_updates_the_row_without_a_second_acknowledgement(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    workspace.write_form("mentor", [
        mentor_row("mari.tamm@example.ee", "Mari Tamm"),
        mentor_row("tonu.kask@example.ee", "Tõnu Kask", experience="3"),
        mentor_row("tonu.kask@example.ee", "Tõnu Kask", experience="7", when="09.10.2026 09:00:00"),
    ])
    cli("job", "intake", today=date(2026, 10, 9))
    rows = {row["Nimi"]: row for row in workspace.tab()}
    assert "töökogemus" not in rows["Tõnu Kask"]["Põhjused"]  # seven years now
    assert rows["Tõnu Kask"]["Põhjused"] == "liikmemaks 2026. aasta eest on tasumata"
    assert "2 vastust" in rows["Tõnu Kask"]["Märkused"]
    assert len(workspace.messages_to("tonu.kask@example.ee")) == 1


def test_coordinators_get_one_digest_only_when_something_is_new(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    digests = workspace.messages_to("triin.pajo@example.ee")
    assert len(digests) == 1
    text = digests[0].get_body(("plain",)).get_content()
    assert "Külli Sääsk (mentee, kulli.saask@" in text and "Žanna Põder" in text
    assert "Uued registreerumised (5)" in text and "Vajavad täpsustamist (2)" in text
    cli("job", "intake", today=date(2026, 10, 9))
    assert len(workspace.messages_to("triin.pajo@example.ee")) == 1  # nothing new, no digest
    workspace.write_form("mentee", [
        mentee_row("  Juri.Ounapuu@Example.ee ", "Jüri Õunapuu", language="English"),
        mentee_row("kulli.saask@", "Külli Sääsk"),
        mentee_row("zanna.poder@example.ee", "Žanna Põder", goals="areneda"),
        mentee_row("uus.liige@example.ee", "Uus Liige", when="10.10.2026 08:00:00"),
    ])
    cli("job", "intake", today=date(2026, 10, 10))
    digests = workspace.messages_to("triin.pajo@example.ee")
    assert len(digests) == 2
    text = max(digests, key=lambda m: m["Date"].datetime).get_body(("plain",)).get_content()
    assert "Uued registreerumised (1)" in text and "Uus Liige" in text and "Jüri" not in text


def test_a_coordinators_decision_survives_the_next_run_and_counts(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    rows = workspace.tab()
    for row in rows:
        if row["Nimi"] == "Žanna Põder":
            row["Koordinaatori otsus"] = "sobib"
            row["Koordinaatori märkus"] = "eesmärgid täpsustatud telefonis"
    workspace.write_tab(rows)
    cli("job", "intake", today=date(2026, 10, 9))
    row = {row["Nimi"]: row for row in workspace.tab()}["Žanna Põder"]
    assert row["Koordinaatori otsus"] == "sobib" and row["Koordinaatori märkus"] == "eesmärgid täpsustatud telefonis"


def test_a_header_missing_a_question_fails_the_job_naming_it_and_loses_nothing(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    from automation.demo.cohort import MENTOR_HEADER

    header = [title if title != "Töökoht" else "Asutus" for title in MENTOR_HEADER]
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")], header=header)
    result = cli("job", "intake", today=date(2026, 10, 9))
    assert result.status == ExitStatus.JOB_FAILED
    assert "„Töökoht“" in result.stderr and "„Mentori registreerimisvorm“" in result.stderr
    names = {row["Nimi"] for row in workspace.tab()}
    assert {"Mari Tamm", "Tõnu Kask", "Jüri Õunapuu"} <= names  # the mentor rows were kept, the mentees processed
    failures = [m for m in workspace.messages_to("triin.pajo@example.ee") if "ei õnnestunud" in m["Subject"]]
    assert len(failures) == 1 and "„Töökoht“" in failures[0].get_body(("plain",)).get_content()
    cli("job", "intake", today=date(2026, 10, 9))
    failures = [m for m in workspace.messages_to("triin.pajo@example.ee") if "ei õnnestunud" in m["Subject"]]
    assert len(failures) == 1  # the same failure the same day is not told twice


def test_a_missing_or_empty_form_is_not_an_error(workspace, cli):
    workspace.write_form("mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm")])
    (workspace.path / "forms" / "mentor.csv").write_text("", encoding="utf-8")
    result = cli("job", "intake", today=DAY)
    assert result.status == ExitStatus.OK
    assert [row["Nimi"] for row in workspace.tab()] == ["Mari Tamm"]


def test_a_bom_is_read(workspace, cli):
    workspace.write_form("mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm")], bom=True)
    assert cli("job", "intake", today=DAY).status == ExitStatus.OK
    assert [row["Nimi"] for row in workspace.tab()] == ["Mari Tamm"]


def test_semicolons_and_windows_1257_from_excel_are_read(workspace, cli):
    import csv
    import io

    from automation.demo.cohort import MENTEE_HEADER

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([MENTEE_HEADER, mentee_row("mari.tamm@example.ee", "Mari Tamm")])
    # As Excel on an Estonian Windows saves "CSV".
    path = workspace.write_form("mentee", [])
    path.write_bytes(buffer.getvalue().encode("cp1257"))
    result = cli("job", "intake", today=DAY)
    assert result.status == ExitStatus.OK, result.stderr
    [row] = workspace.tab()
    assert row["Nimi"] == "Mari Tamm" and row["Töökoht"] == "Eesti Töötukassa, Tartu osakond"
    assert "not UTF-8" in result.stderr


def test_a_missing_members_register_fails_clearly(workspace, cli):
    (workspace.path / "sheets" / "liikmed" / "Liikmed.csv").unlink()
    registered(workspace)
    result = cli("job", "intake", today=DAY)
    assert result.status == ExitStatus.JOB_FAILED
    assert "liikmeregister" in result.stderr and "Liikmed.csv" in result.stderr


def test_a_vanished_export_keeps_its_rows(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    (workspace.path / "forms" / "mentee.csv").unlink()
    assert cli("job", "intake", today=date(2026, 10, 9)).status == ExitStatus.OK
    names = {row["Nimi"] for row in workspace.tab()}
    assert {"Jüri Õunapuu", "Külli Sääsk", "Žanna Põder", "Mari Tamm"} <= names


def test_a_row_typed_into_the_tab_and_a_column_added_by_hand_survive(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    rows = workspace.tab()
    for row in rows:
        row["Helistatud"] = "jah" if row["Nimi"] == "Mari Tamm" else ""
    typed = dict.fromkeys(rows[0], "")
    typed.update({"Roll": "mentee", "Nimi": "Ülo Kuusk", "E-post": "ulo.kuusk@example.ee", "Koordinaatori otsus": "sobib"})
    workspace.write_tab(rows + [typed])
    cli("job", "intake", today=date(2026, 10, 9))
    after = {row["Nimi"]: row for row in workspace.tab()}
    assert after["Mari Tamm"]["Helistatud"] == "jah"
    assert after["Ülo Kuusk"]["Koordinaatori otsus"] == "sobib"
    assert "vormi vastustes seda inimest praegu ei ole" in after["Ülo Kuusk"]["Märkused"]


def test_a_registrant_the_coordinators_decline_is_told_once_and_never_on_the_tools_assessment_alone(workspace, cli):
    registered(workspace)
    cli("job", "intake", today=DAY)
    declined = lambda address: [m for m in workspace.messages_to(address) if "Mentorprogramm 2026/2027: sinu registreerumine" in str(m["Subject"])]  # noqa: E731
    assert declined("tonu.kask@example.ee") == []  # "ei sobi" by the rules, but the coordinators have not decided
    rows = workspace.tab()
    for row in rows:
        if row["Nimi"] in ("Tõnu Kask", "Mari Tamm"):
            row["Koordinaatori otsus"] = "ei sobi"
    workspace.write_tab(rows)
    cli("job", "intake", today=date(2026, 10, 9))
    cli("job", "intake", today=date(2026, 10, 10))
    [tonu] = declined("tonu.kask@example.ee")
    text = tonu.get_body(("plain",)).get_content()
    assert "kahjuks ei saa me sind tänavu programmi võtta" in text and "töökogemus karjäärispetsialistina „3“ on alla nõutava 5 aasta" in text
    [mari] = declined("mari.tamm@example.ee")  # eligible by the rules: the decision is the coordinators', no rule is quoted
    assert "Programmi tingimustest jäi täitmata" not in mari.get_body(("plain",)).get_content()
