"""`mentorlus demo` end to end: a cohort, the year played day by day, a workspace to look into."""

import csv
from datetime import date

from automation.cli import ExitStatus


def test_demo_plays_the_year_and_the_workspace_is_consistent(tmp_path, cli):
    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder), "--participants", "40", "--seed", "7", config=False, today=date(2026, 11, 28))
    assert result.status == ExitStatus.OK, result.stderr
    assert "40 registreerujat (20 mentorit, 20 menteed), programmiaasta 2026/2027" in result.stdout
    assert "neist ebaõnnestus 0" in result.stdout
    assert f"mentorlus --config {folder / 'program.toml'} plan" in result.stdout
    assert "messages so far" not in result.stdout  # progress only on a terminal

    workspace = folder / "workspace"
    messages = list((workspace / "outbox" / "new").iterdir())
    assert f"kirju väljundkaustas {len(messages)}" in " ".join(result.stdout.split())

    with open(workspace / "sheets" / "koordinaatorid" / "Registreerimised.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    names = " ".join(row["Nimi"] for row in rows)
    assert any(letter in names for letter in "õäöüšž")
    statuses = {row["Staatus"] for row in rows}
    assert statuses <= {"sobib", "vajab täpsustamist", "ei sobi"} and "sobib" in statuses
    mentors = sum(1 for row in rows if row["Roll"] == "mentor")
    assert mentors == 20 and len(rows) == 40  # one row per person, duplicates folded, malformed rows kept

    with open(workspace / "sheets" / "koordinaatorid" / "Paarid.csv", encoding="utf-8-sig") as handle:
        pairs = list(csv.DictReader(handle))
    [ended] = [row for row in pairs if row["Staatus"] == "lõppenud"]
    again = [row for row in pairs if row["Mentee e-post"] == ended["Mentee e-post"] and row["Staatus"] == "kinnitatud"]
    assert len(again) == 1 and again[0]["Mentori e-post"] != ended["Mentori e-post"]  # the ended pair's mentee, matched again
    assert any(row["Staatus"] == "tagasi lükatud" for row in pairs)
    agreements = list((workspace / "drive" / "2026" / "koostöökokkulepped").iterdir())
    assert len(agreements) == sum(row["Staatus"] in ("kinnitatud", "lõppenud") for row in pairs)

    again = cli("--config", str(folder / "program.toml"), "run", "--today", "2026-11-10", config=False)
    assert again.status == ExitStatus.OK
    assert len(list((workspace / "outbox" / "new").iterdir())) == len(messages)  # cron after the demo: nothing twice


def test_the_same_seed_gives_the_same_cohort():
    from automation.demo.cohort import generate_cohort

    def cohort(seed):
        made = generate_cohort(10, seed, date(2026, 10, 1), date(2026, 10, 31), 2026)
        return made.members, made.mentor_rows, made.mentee_rows

    assert cohort(1) == cohort(1)
    assert cohort(1) != cohort(2)


def test_demo_refuses_a_folder_that_already_holds_one(tmp_path, cli):
    from automation.backends.local.ledger import SqliteLedger

    (tmp_path / "d" / "workspace").mkdir(parents=True)
    SqliteLedger(tmp_path / "d" / "workspace" / "state.sqlite3").close()  # what a played demo leaves; no need to play one
    result = cli("demo", "--dir", str(tmp_path / "d"), "--participants", "4", config=False)
    assert result.status == 2 and "on juba näidisprogramm" in result.stderr


def test_the_workspace_opens_with_ordinary_programs(clean_year):
    import icalendar
    import mailbox

    workspace = clean_year / "workspace"
    calendar = icalendar.Calendar.from_ical((workspace / "calendar.ics").read_bytes())
    assert calendar["version"] == "2.0"
    box = mailbox.Maildir(str(workspace / "outbox"), create=False)
    assert len(box) > 0 and all(message["Message-ID"] for message in box)


def test_progress_is_shown_on_a_terminal(tmp_path, workspace):
    """On a pipe it is not: `test_demo_plays_the_year_and_the_workspace_is_consistent` plays its year without a terminal."""
    import io

    from automation.cli import main
    from automation.environment import Environment

    out = io.StringIO()
    main(["demo", "--dir", str(tmp_path / "tty"), "--participants", "4"], Environment(stdout=out, stderr=io.StringIO(), environ={}, stdout_isatty=True))
    assert "messages so far" in out.getvalue()
