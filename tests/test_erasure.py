"""GDPR: `mentorlus forget EMAIL` and the job `retention` leave no trace of a person, and touch nobody else."""

import csv
import io
import shutil
from datetime import date

import pytest

from automation.backends.local.mail import mentions
from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.environment import Environment


@pytest.fixture
def programme(clean_year, tmp_path):
    """A copy of the year every test shares, for this test to erase from."""
    copy = tmp_path / "demo"
    shutil.copytree(clean_year, copy)
    (copy / "program.toml").write_text((copy / "program.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def run(programme, *argv, today=date(2027, 7, 1)):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={}, clock=FixedClock.on(today))
    return main(["--config", str(programme / "program.toml"), *argv], env), out.getvalue(), err.getvalue()


def traces(workspace, needles):
    """Every file of the workspace that still holds one of the needles (messages decoded)."""
    found = []
    for path in sorted(p for p in workspace.rglob("*") if p.is_file()):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # SQLite's shared-memory file comes and goes with connections
        if "outbox" in path.parts:
            hit = mentions(data, needles)
        else:
            text = data.decode("utf-8", errors="replace").lower()
            hit = any(needle.lower() in text for needle in needles)
        if hit:
            found.append(str(path.relative_to(workspace)))
    return found


def a_paired_mentee(workspace):
    with open(workspace / "sheets" / "koordinaatorid" / "Paarid.csv", encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Staatus"] == "kinnitatud")
    return row["Mentee e-post"], row["Mentee"], row["Mentori e-post"]


def test_forget_leaves_no_trace_of_the_person_and_keeps_everyone_else(programme):
    workspace = programme / "workspace"
    email, name, mentor = a_paired_mentee(workspace)
    assert traces(workspace, [email, name])  # the person is everywhere before
    tab = workspace / "sheets" / "koordinaatorid" / "Registreerimised.csv"
    others_before = [line for line in tab.read_text(encoding="utf-8-sig").splitlines() if email not in line]
    status, out, _ = run(programme, "forget", email)
    assert status == ExitStatus.OK
    assert "outbox:" in out and "sheets/koordinaatorid/Registreerimised.csv: 1 rida eemaldatud" in out
    assert traces(workspace, [email, name]) == []
    registrations = tab.read_text(encoding="utf-8-sig")
    assert mentor in registrations  # the mentor's own data stays
    assert registrations.splitlines() == others_before  # every other row exactly as it was
    status, out, _ = run(programme, "forget", email)  # safe to run again
    assert status == ExitStatus.OK and "midagi polnud kustutada" in out


def test_no_job_brings_a_forgotten_person_back(programme):
    workspace = programme / "workspace"
    email, name, _ = a_paired_mentee(workspace)
    run(programme, "forget", email)
    for day in (date(2026, 11, 20), date(2027, 3, 1), date(2027, 6, 30)):
        run(programme, "run", "--today", day.isoformat(), today=day)
    assert traces(workspace, [email, name]) == []


def test_retention_erases_everyone_and_keeps_the_boards_figures(programme):
    workspace = programme / "workspace"
    people = []
    for form in ("mentor.csv", "mentee.csv"):
        with open(workspace / "forms" / form, encoding="utf-8") as handle:
            people += [(row["E-posti aadress"].strip().lower(), row["Ees- ja perekonnanimi"].strip()) for row in csv.DictReader(handle)]
    summary = (workspace / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig")
    status, out, _ = run(programme, "job", "retention", today=date(2027, 12, 30))
    assert status == ExitStatus.OK and "isikuandmed kustutatud" in out
    needles = [value for pair in people for value in pair if value and "@" in value or " " in value]
    assert traces(workspace, needles) == []
    assert (workspace / "sheets" / "juhatus" / "Kokkuvõte.csv").read_text(encoding="utf-8-sig") == summary
    assert (workspace / "report.html").exists()
    assert run(programme, "job", "retention", today=date(2027, 12, 30))[0] == ExitStatus.OK  # again: nothing left, no error


def test_a_namesake_keeps_their_data(workspace, cli):
    from tests.conftest import mentee_row

    workspace.write_members([["Mari Tamm", "mari.tamm@example.ee", "2026"], ["Mari Tamm", "mari.tamm2@example.ee", "2026"]])
    workspace.write_form("mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm"), mentee_row("mari.tamm2@example.ee", "Mari Tamm")])
    cli("job", "intake", today=date(2026, 10, 8))
    result = cli("forget", "mari.tamm@example.ee", today=date(2026, 10, 9))
    assert result.status == ExitStatus.OK
    assert "NB: kellelgi teisel on samuti nimi Mari Tamm" in result.stdout
    [row] = workspace.tab()
    assert row["E-post"] == "mari.tamm2@example.ee" and row["Nimi"] == "Mari Tamm"
    assert [m["To"].addresses[0].addr_spec for m in workspace.messages() if "mari.tamm" in str(m["To"])] == ["mari.tamm2@example.ee"]
