"""The board's summary (S8.3): figures only, rewritten in place, and no form answer becomes a formula."""

import csv
import re
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from automation.cli import ExitStatus
from tests.conftest import mentee_row


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory):
    """A whole demo year of 30 people, played once for these tests."""
    import io

    from automation.cli import main
    from automation.clock import FixedClock
    from automation.environment import Environment

    folder = tmp_path_factory.mktemp("board") / "demo"
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 11, 28)))
    assert main(["demo", "--dir", str(folder), "--participants", "30", "--seed", "3"], env) == ExitStatus.OK
    return folder / "workspace"


def personal_data(workspace):
    """Every name, address and workplace the cohort gave, from the registration exports."""
    found = set()
    for name in ("mentor.csv", "mentee.csv"):
        with open(workspace / "forms" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found |= {row["E-posti aadress"].strip().lower(), row["Ees- ja perekonnanimi"].strip(), row["Töökoht"].strip()}
                found |= set(row["Ees- ja perekonnanimi"].split())  # first and last names alone too
    return {value for value in found if len(value) > 2}


def test_the_summary_holds_figures_and_no_personal_data(demo_year):
    summary = (demo_year / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    report = (demo_year / "report.html").read_text(encoding="utf-8")
    secrets = personal_data(demo_year)
    assert len(secrets) > 50
    leaked = [value for value in secrets if value in summary or value in report]
    assert leaked == []
    rows = list(csv.reader(summary.splitlines()))
    assert rows[0] == ["Jaotis", "Näitaja", "Väärtus"]
    assert ["Registreerimised", "mentor: kokku", "15"] in rows and ["Registreerimised", "mentee: kokku", "15"] in rows
    assert any(row[0] == "Kohtumised kuus" and row[1] == "2027-03" and int(row[2]) > 0 for row in rows)
    assert any(row[0] == "Osalemine" and "Mentorite koolitus: osales" in row[1] for row in rows)


def test_the_report_has_a_chart_of_meetings_per_month(demo_year):
    report = (demo_year / "report.html").read_text(encoding="utf-8")
    svg = report[report.index("<svg"):report.index("</svg>") + 6]
    chart = ElementTree.fromstring(svg)
    bars = chart.findall("{http://www.w3.org/2000/svg}rect")
    assert [bar.find("{http://www.w3.org/2000/svg}title").text.split(":")[0] for bar in bars] == [
        "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]


def test_the_tab_is_rewritten_in_place(workspace, cli):
    cli("job", "board-summary", today=date(2026, 11, 1))
    first = (workspace.path / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    cli("job", "board-summary", today=date(2026, 11, 1))
    again = (workspace.path / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    assert first == again and len(re.findall("mentor: kokku", again)) == 1


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
