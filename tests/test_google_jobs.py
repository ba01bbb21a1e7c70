"""The jobs on the (fake) Google Workspace: forms read by their structure, sheets written whole, mail sent once."""

import json
from datetime import date

from automation.backends.google import google_backends
from automation.cli import ExitStatus
from automation.jobs.erasure import retention_day
from tests.conftest import MENTOR_HEADER, mentee_row, mentor_row


def test_intake_reads_the_forms_and_writes_the_registrations_tab(google_programme):
    google_programme.submit("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    google_programme.submit("mentee", [mentee_row("kulli.saask@example.ee", "Külli Sääsk"),
                                       mentee_row("tonu.kask@example.ee", "Tõnu Kask", when="08.10.2026 09:30:00")])
    status, out, err = google_programme.run("job", "intake", today=date(2026, 10, 8))
    assert status == ExitStatus.OK, out + err
    rows = google_programme.tab()
    assert {(r["E-post"], r["Roll"]) for r in rows} == {("mari.tamm@example.ee", "mentor"), ("kulli.saask@example.ee", "mentee"), ("tonu.kask@example.ee", "mentee")}
    tonu = next(r for r in rows if r["E-post"] == "tonu.kask@example.ee")
    assert tonu["Staatus"] == "vajab täpsustamist"  # not in the members register
    recipients = sorted(str(m["To"]) for m in google_programme.messages())
    assert any("mari.tamm@example.ee" in r for r in recipients)
    assert any("kulli.saask@example.ee" in r for r in recipients)


def test_a_second_run_sends_nothing_and_reads_each_tab_with_one_request(google_programme):
    google_programme.submit("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    google_programme.run("job", "intake", today=date(2026, 10, 8))
    sent = len(google_programme.fake.sent())
    google_programme.fake.requests.clear()
    status, out, err = google_programme.run("job", "intake", today=date(2026, 10, 9))
    assert status == ExitStatus.OK, out + err
    assert len(google_programme.fake.sent()) == sent
    counts = google_programme.fake.request_counts()
    assert counts["gmail.users.messages.send"] == 0
    assert counts["sheets.spreadsheets.values.batchUpdate"] <= 1
    assert counts["sheets.spreadsheets.values.batchClear"] == 0


def test_forget_erases_the_person_from_gmail_and_sheets_and_says_what_forms_keep(google_programme):
    google_programme.submit("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    google_programme.submit("mentee", [mentee_row("kulli.saask@example.ee", "Külli Sääsk")])
    google_programme.run("job", "intake", today=date(2026, 10, 8))
    status, out, err = google_programme.run("forget", "kulli.saask@example.ee", today=date(2026, 10, 9))
    assert status == ExitStatus.OK, out + err
    assert [r["E-post"] for r in google_programme.tab()] == ["mari.tamm@example.ee"]
    remaining = google_programme.messages()
    assert remaining and not any("kulli.saask@example.ee" in str(m["To"]) or "Külli Sääsk" in m.get_body(("plain",)).get_content() for m in remaining)
    assert "Gmail: 1 saadetud kiri viidud prügikasti" in out or "saadetud kirja viidud prügikasti" in out
    assert "Google Forms: vastuseid ei saa API kaudu kustutada; kustuta aadressi kulli.saask@example.ee vastused käsitsi" in out


def test_retention_empties_the_coordinators_sheet_and_the_mailbox_and_keeps_the_board_figures(google_programme):
    google_programme.submit("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    google_programme.run("job", "intake", today=date(2026, 10, 8))
    google_programme.run("job", "board-summary", today=date(2026, 11, 1))
    config = google_programme.config()
    status, out, err = google_programme.run("job", "retention", today=retention_day(config))
    assert status == ExitStatus.OK, out + err
    fake = google_programme.fake
    coordinators = fake.spreadsheets[config.google.spreadsheets["koordinaatorid"]]
    assert all(not tab["_values"] for tab in coordinators["sheets"])
    assert fake.sent() == []  # the tool's sent mail is in the bin
    assert fake.values(config.google.spreadsheets["juhatus"], "Kokkuvõte")  # figures, no names, stay
    assert "kustuta registreerimisvormide ja kohtumiste vormi vastused käsitsi" in out
    assert fake.values(config.google.spreadsheets["liikmed"], "Liikmed")  # the association's own register is not the tool's to erase


def test_every_page_of_responses_is_read(google_programme, monkeypatch):
    from tests import fake_workspace

    monkeypatch.setitem(fake_workspace.MAX_PAGE, "size", 2)  # the fake answers two responses a page
    people = [("Mari Tamm", "mari.tamm@example.ee"), ("Jüri Õunapuu", "juri.ounapuu@example.ee"), ("Külli Sääsk", "kulli.saask@example.ee"),
              ("Tõnu Kask", "tonu.kask@example.ee"), ("Ülo Mänd", "ulo.mand@example.ee")]
    google_programme.submit("mentee", [mentee_row(address, name, when=f"0{day}.10.2026 12:00:00") for day, (name, address) in enumerate(people, start=5)])
    status, out, err = google_programme.run("job", "intake", today=date(2026, 10, 10))
    assert status == ExitStatus.OK, out + err
    assert sorted(r["E-post"] for r in google_programme.tab()) == sorted(address for _, address in people)
    assert google_programme.fake.request_counts()["forms.forms.responses.list"] >= 3


def test_an_agreement_copied_before_a_dropped_connection_is_filled_in_on_the_next_run(google_programme):
    fake = google_programme.fake
    google_programme.write_members([["Mari Tamm", "mari.tamm@example.ee", "2026"], ["Tõnu Kask", "tonu.kask@example.ee", "2026"]])
    google_programme.submit("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    google_programme.submit("mentee", [mentee_row("tonu.kask@example.ee", "Tõnu Kask")])
    assert google_programme.run("match", today=date(2026, 11, 30))[0] == ExitStatus.OK
    pairs_sheet = google_programme.config().google.spreadsheets["koordinaatorid"]
    rows = fake.values(pairs_sheet, "Paarid")
    status_column = rows[0].index("Staatus")
    fake._sheets_spreadsheets_values_batchUpdate({"spreadsheetId": pairs_sheet}, {}, {  # the committee approves in the sheet
        "valueInputOption": "RAW", "data": [{"range": "'Paarid'!A2", "values": [[*rows[1][:status_column], "heaks kiidetud"]]}]})
    fake.drop_after_write("drive.files.copy")
    status, out, err = google_programme.run("job", "pair-confirmation", today=date(2026, 12, 1))
    assert status == ExitStatus.JOB_FAILED and "may or may not have happened" in err
    status, out, err = google_programme.run("job", "pair-confirmation", today=date(2026, 12, 2))
    assert status == ExitStatus.OK, out + err
    agreements = [f for f in fake.files.values() if f["appProperties"].get("mentorlus") == "agreement"]
    assert len(agreements) == 1
    text = fake.documents[agreements[0]["id"]]
    assert "{{" not in text and "Tõnu Kask" in text and "Mari Tamm" in text
    assert {p["emailAddress"] for p in agreements[0]["_permissions"]} == {"mari.tamm@example.ee", "tonu.kask@example.ee"}
    assert google_programme.tab(tab="Paarid")[0]["Koostöökokkulepe"] == agreements[0]["webViewLink"]


def test_a_form_s_questions_are_read_once_and_again_when_a_question_is_added(google_programme):
    google_programme.submit("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    google_programme.run("job", "intake", today=date(2026, 10, 8))
    google_programme.fake.requests.clear()
    status, out, err = google_programme.run("job", "intake", today=date(2026, 10, 9))
    assert status == ExitStatus.OK, out + err
    counts = google_programme.fake.request_counts()
    assert counts["forms.forms.get"] == 0 and counts["forms.forms.responses.list"] == 2  # the mentor and the mentee form

    # The coordinator adds a question to the mentor form; the next answer to it must not be lost.
    form_id = google_programme.config().forms.mentor.id
    added = "Mida soovid koordinaatorile veel öelda?"
    google_programme.fake._forms_forms_batchUpdate({"formId": form_id}, {}, {"requests": [
        {"createItem": {"item": {"title": added, "questionItem": {"question": {"textQuestion": {"paragraph": True}}}}, "location": {"index": 0}}}]})
    row = mentor_row("jaan.kask@example.ee", "Jaan Kask", when="10.10.2026 08:00:00")
    google_programme.fake.submit(form_id, {**dict(zip(MENTOR_HEADER[1:], row[1:])), added: "Tere!"},
                                 submitted="2026-10-10T05:00:00.000Z")
    google_programme.fake.requests.clear()
    config = google_programme.config()
    backends = google_backends(config, google_programme.environ)
    table = backends.forms.read_responses(config.forms.mentor)
    backends.close()
    assert google_programme.fake.request_counts()["forms.forms.get"] == 1
    assert added in table.header
    assert table.rows[-1][table.header.index(added)] == "Tere!"
    assert len(table.rows) == 2


def test_a_survey_form_deleted_in_google_is_looked_for_again_not_read_forever(google_programme):
    config = google_programme.config()
    backends = google_backends(config, google_programme.environ)
    definition = json.dumps({"questions": [{"type": "text", "text": {"et": "Kuidas läheb?"}}]})
    backends.forms.create_survey("midterm-mentors", "Vahetagasiside", ["Kuidas läheb?"], definition)
    assert backends.forms.survey_responses("midterm-mentors") is not None
    backends.close()
    fake = google_programme.fake
    form_id = next(f["id"] for f in fake.files.values() if f["name"] == "Vahetagasiside")
    fake._drive_files_delete({"fileId": form_id}, {}, {})

    backends = google_backends(config, google_programme.environ)
    assert backends.forms.survey_responses("midterm-mentors") is None
    backends.close()
    fake.requests.clear()
    backends = google_backends(config, google_programme.environ)
    assert backends.forms.survey_responses("midterm-mentors") is None
    backends.close()
    assert fake.request_counts()["forms.forms.responses.list"] == 0  # the deleted form's id was not kept


def test_a_tab_written_without_being_read_is_replaced_whole_in_one_request(google_programme):
    config = google_programme.config()
    fake = google_programme.fake
    backends = google_backends(config, google_programme.environ)
    backends.sheets.write_tab("koordinaatorid", "Kokkuvõte", [["Näitaja", "Arv"], ["mentorid", "12"], ["menteed", "15"], ["paarid", "11"]])
    backends.close()

    backends = google_backends(config, google_programme.environ)  # the next run: it knows nothing of what the tab holds
    fake.requests.clear()
    backends.sheets.write_tab("koordinaatorid", "Kokkuvõte", [["Näitaja", "Arv"], ["mentorid", "13"], ["=HYPERLINK(\"x\")", ""]])
    backends.close()
    counts = fake.request_counts()
    assert counts["sheets.spreadsheets.batchUpdate"] == 1 and counts["sheets.spreadsheets.values.batchClear"] == 0
    spreadsheet = fake.spreadsheets[config.google.spreadsheets["koordinaatorid"]]
    tab = next(s for s in spreadsheet["sheets"] if s["properties"]["title"] == "Kokkuvõte")
    assert tab["_values"][1] == ["mentorid", 13]  # a number stays a number, for the board's chart
    assert fake.values(spreadsheet["spreadsheetId"], "Kokkuvõte") == [["Näitaja", "Arv"], ["mentorid", "13"], ["'=HYPERLINK(\"x\")"]]


def test_a_tab_and_its_chart_are_found_by_the_ids_kept_from_the_last_run_and_again_after_a_person_removed_them(google_programme):
    config = google_programme.config()
    fake = google_programme.fake
    spreadsheet = fake.spreadsheets[config.google.spreadsheets["koordinaatorid"]]
    months = [["Näitaja", "Kuu", "Arv"], ["", "jaanuar", "4"], ["", "veebruar", "6"]]

    def one_run(rows, last_row):
        backends = google_backends(config, google_programme.environ)
        backends.sheets.write_tab("koordinaatorid", "Kokkuvõte", rows)
        backends.sheets.chart("koordinaatorid", "Kokkuvõte", "Kohtumisi kuus", 1, last_row)
        backends.close()

    one_run(months, 3)
    fake.requests.clear()
    one_run(months + [["", "märts", "5"]], 4)  # the next run: the tab's id and the chart come from the file kept
    counts = fake.request_counts()
    assert counts["sheets.spreadsheets.get"] == 0
    assert counts["sheets.spreadsheets.batchUpdate"] == 2  # the rows, and the chart's new range

    # A coordinator removes the tab, chart and all; the next run finds out from Google's refusal and makes them again.
    spreadsheet["sheets"] = [s for s in spreadsheet["sheets"] if s["properties"]["title"] != "Kokkuvõte"]
    fake.requests.clear()
    one_run(months, 3)
    assert fake.request_counts()["sheets.spreadsheets.get"] == 1
    tab = next(s for s in spreadsheet["sheets"] if s["properties"]["title"] == "Kokkuvõte")
    assert fake.values(spreadsheet["spreadsheetId"], "Kokkuvõte") == months
    assert [chart["spec"]["title"] for chart in tab["charts"]] == ["Kohtumisi kuus"]

    # Only the chart removed: drawn again, once.
    tab["charts"] = []
    one_run(months + [["", "märts", "5"]], 4)
    assert [chart["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]["endRowIndex"] for chart in tab["charts"]] == [4]
