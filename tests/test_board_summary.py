"""The board's summary (S8.3): figures only, rewritten in place, and no form answer becomes a formula."""

import csv
import html
import re
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from automation.cli import ExitStatus
from tests.conftest import mentee_row


@pytest.fixture
def demo_year(clean_year):
    return clean_year / "workspace"


def personal_data(workspace):
    """Every name, address and workplace the cohort gave, from the registration exports."""
    found = set()
    for name in ("mentor.csv", "mentee.csv"):
        with open(workspace / "forms" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found |= {row["E-posti aadress"].strip().lower(), row["Ees- ja perekonnanimi"].strip(), row["Töökoht"].strip()}
                found |= set(row["Ees- ja perekonnanimi"].split())  # first and last names alone too
    return {value for value in found if len(value) > 2}


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_summary_holds_figures_and_no_personal_data(demo_year):
    summary = (demo_year / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    report = (demo_year / "report.html").read_text(encoding="utf-8")
    secrets = personal_data(demo_year)
    assert len(secrets) > 50
    leaked = [value for value in secrets if value in summary or value in report]
    assert leaked == []
    rows = list(csv.reader(summary.splitlines()))
    assert rows[0] == ["Jaotis", "Näitaja", "Väärtus"]
    assert not [row for row in rows if re.search(r"\d{4}-\d\d", row[2])], "a date in prose is written in words"


def test_the_report_answers_the_boards_questions_with_the_figures_the_data_gives(demo_year):
    """Each headline figure worked out here again, from the tabs and exports a coordinator could open."""
    registrations = csv_rows(demo_year / "sheets" / "koordinaatorid" / "Registreerimised.csv")
    pairs = csv_rows(demo_year / "sheets" / "koordinaatorid" / "Paarid.csv")
    held = [row for row in pairs if row["Staatus"] in ("kinnitatud", "lõppenud")]
    log = csv_rows(demo_year / "forms" / "kohtumised.csv")
    held_mentees = {row["Mentee e-post"] for row in held}
    meetings = {(row["Mentee e-posti aadress"].strip().lower(), row["Kohtumise kuupäev"]) for row in log
                if row["Mentee e-posti aadress"].strip().lower() in held_mentees}
    per_pair = {mentee: sum(1 for who, _ in meetings if who == mentee) for mentee in held_mentees}
    training = csv_rows(next((demo_year / "sheets" / "koordinaatorid").glob("Osalemine * mentor-training.csv")))
    summary = {row["Näitaja"]: row["Väärtus"] for row in csv_rows(demo_year / "sheets" / "juhatus" / "Kokkuvõte.csv") if row["Jaotis"] == "Ülevaade"}

    mentors = sum(row["Roll"] == "mentor" for row in registrations)
    assert summary["Registreerunuid"] == f"{len(registrations)} ({mentors} mentorit, {len(registrations) - mentors} menteed)"
    eligible = sum(row["Staatus"] == "sobib" for row in registrations)
    assert summary["Osalemiseks sobivad"].startswith(f"{eligible} (")
    confirmed = sum(row["Staatus"] == "kinnitatud" for row in pairs)
    assert summary["Mentorpaare"] == f"{len(held)} (kinnitatud {confirmed}, lõppenud {len(held) - confirmed})"
    reached = sum(count >= 6 for count in per_pair.values())
    assert summary["Paare, kes on kohtunud vähemalt 6 korda"].startswith(f"{reached} ({round(reached * 100 / len(held))}%)")
    assert summary["Kohtumisi kokku"].startswith(f"{len(meetings)} (keskmiselt {len(meetings) / len(held):.1f}".replace(".", ","))
    attended = sum(row["Osales"].strip() not in ("", "ei") for row in training)
    assert summary["Mentorite koolitus: osales"].startswith(f"{attended} ({round(attended * 100 / len(training))}%) (kutsutud {len(training)}")
    assert summary["Kovisioonikohtumisi toimunud"].startswith("2 + 2")
    report = (demo_year / "report.html").read_text(encoding="utf-8")
    for label, value in summary.items():
        assert html.escape(label) in report and html.escape(value.split(" (")[0]) in report, label


def test_the_report_has_a_chart_with_an_axis_and_the_months_in_words(demo_year):
    report = (demo_year / "report.html").read_text(encoding="utf-8")
    svg = report[report.index("<svg"):report.index("</svg>") + 6]
    chart = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = chart.findall(f"{ns}rect")
    assert [bar.find(f"{ns}title").text.split(":")[0] for bar in bars] == [
        "jaanuar 2027", "veebruar 2027", "märts 2027", "aprill 2027", "mai 2027", "juuni 2027"]
    texts = [text.text for text in chart.findall(f"{ns}text")]
    assert "kohtumisi" in texts and "0" in texts  # the axis, its label and its ticks


def test_the_report_prints_on_a_few_a4_pages_in_a_real_browser(demo_year, tmp_path, browser):
    pdf = browser.print_to_pdf(demo_year / "report.html", tmp_path / "report.pdf")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 1 <= pages <= 4
    png = browser.screenshot(demo_year / "report.html", tmp_path / "report.png", width=900, height=1400)
    assert png.stat().st_size > 50_000  # a page with cards, a chart and tables, not a blank one


def test_the_tab_is_rewritten_in_place(workspace, cli):
    cli("job", "board-summary", today=date(2026, 11, 1))
    first = (workspace.path / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    cli("job", "board-summary", today=date(2026, 11, 1))
    again = (workspace.path / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    assert first == again and len(re.findall("Registreerunuid", again)) == 1


def test_a_form_answer_never_becomes_a_formula(workspace, cli):
    workspace.write_form("mentee", [mentee_row("mari.tamm@example.ee", '=HYPERLINK("http://evil.example","x")', workplace="+372 kool", region="@home")])
    assert cli("job", "intake", today=date(2026, 10, 8)).status == ExitStatus.OK
    raw = (workspace.path / "sheets" / "koordinaatorid" / "Registreerimised.csv").read_text(encoding="utf-8-sig")
    [row] = list(csv.DictReader(raw.splitlines()))
    assert row["Nimi"].startswith("'=") and row["Töökoht"] == "'+372 kool" and row["Piirkond"] == "'@home"
    cli("job", "intake", today=date(2026, 10, 9))  # rewritten from what the tool reads back: guarded once, not twice
    assert (workspace.path / "sheets" / "koordinaatorid" / "Registreerimised.csv").read_text(encoding="utf-8-sig") == raw
    from automation.backends import build_backends

    [header, values] = build_backends(workspace.config()).sheets.read_tab("koordinaatorid", "Registreerimised")
    assert dict(zip(header, values))["Nimi"] == '=HYPERLINK("http://evil.example","x")'  # read back as typed
