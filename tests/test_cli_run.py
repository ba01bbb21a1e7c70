"""`mentorlus run` and `mentorlus job`, in process, as cron calls them."""

import io
import sqlite3
import subprocess
import sys
from datetime import date

from automation.backends import build_backends
from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.environment import Environment
from tests.conftest import OPENS, mentee_row, mentor_row


def test_run_does_every_job_due_that_day(workspace, cli):
    workspace.write_form("mentee", [mentee_row("mari.tamm@example.ee", "Mari Tamm")])
    result = cli("run", today=OPENS)
    assert result.status == ExitStatus.OK
    assert "registration-open: korras: 1 teadaanne" in result.stdout
    assert "intake: korras: 1 registreerimine tabelis" in result.stdout


def test_what_a_run_sets_aside_from_the_collector_goes_back_when_it_ends_even_on_failure(workspace):
    import gc

    seen = []

    def forms_noting_the_collector(config):
        backends = build_backends(config)

        def read_responses(form):
            seen.append(gc.get_freeze_count())  # inside a job: what was loaded before the work is set aside
            raise RuntimeError("disk on fire")

        backends.forms.read_responses = read_responses
        return backends

    status, _, _ = run_with(workspace, "run", backends_factory=forms_noting_the_collector)
    assert status == ExitStatus.JOB_FAILED
    assert seen and all(count > 0 for count in seen)
    assert gc.get_freeze_count() == 0  # a process running many commands (the scheduler, the tests) keeps nothing set aside


def test_a_day_with_nothing_due(cli):
    result = cli("run", today=date(2027, 9, 1))
    assert result.status == ExitStatus.OK and "sel päeval ei ole ühtki tööd" in result.stdout


def test_dry_run_prints_what_would_go_to_whom_and_changes_nothing(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    result = cli("run", "--dry-run", today=OPENS)
    assert result.status == ExitStatus.OK
    assert "saadaks [registreerimise teadaanne] saajale Eesti Karjäärinõustajate Ühing <liikmed@example.ee>: Mentorprogrammi 2026/2027 registreerimine on avatud" in result.stdout
    assert "saadaks [kinnitus kättesaamisest] saajale Mari Tamm <mari.tamm@example.ee>: Sinu registreerumine mentoriks on kätte saadud" in result.stdout
    assert "kirjutaks 1 rea tabelisse" in result.stdout
    assert "proovikäivitus: saadetaks 3 kirja; midagi ei saadetud, kirjutatud ega salvestatud" in result.stdout
    assert workspace.messages() == []
    assert not (workspace.path / "sheets" / "koordinaatorid").exists()
    with sqlite3.connect(workspace.path / "state.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM effects").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM job_runs").fetchone()[0] == 0
    verbose = cli("run", "--dry-run", "--verbose", today=OPENS)
    assert "Aitäh, et registreerusid mentorprogrammi 2026/2027 mentoriks!" in verbose.stdout
    assert cli("run", today=OPENS).status == ExitStatus.OK
    assert len(workspace.messages()) == 3  # announcement, acknowledgement, digest: the dry run held nothing back


def test_an_unknown_job_is_a_usage_error(cli):
    result = cli("job", "intak")
    assert result.status == ExitStatus.USAGE_OR_CONFIG_ERROR and "tundmatu töö intak (kas mõtlesid 'intake'?)" in result.stderr and "intake" in result.stderr


def test_a_bad_date_is_a_usage_error(cli):
    result = cli("run", "--today", "5.10.2026")
    assert result.status == 2 and "YYYY-MM-DD" in result.stderr


def test_a_missing_config_says_where_it_looked(tmp_path, cli):
    result = cli("--config", str(tmp_path / "nowhere.toml"), "run", config=False)
    assert result.status == 2 and "nowhere.toml: seadistusfaili ei ole" in result.stderr


def test_the_config_is_found_through_the_environment(workspace, cli):
    result = cli("plan", config=False, environ={"MENTORLUS_CONFIG": str(workspace.config_path)})
    assert result.status == ExitStatus.OK and "registration-open" in result.stdout


def test_a_broken_config_exits_2_naming_the_key(workspace, cli):
    text = workspace.config_path.read_text(encoding="utf-8").replace("closes = 2026-11-15", "closes = 2026-09-01")
    workspace.config_path.write_text(text, encoding="utf-8")
    result = cli("run")
    assert result.status == 2 and "registration.closes" in result.stderr and "program.toml" in result.stderr
    assert "Traceback" not in result.stderr


def broken_forms(config):
    backends = build_backends(config)

    def read_responses(form):
        raise RuntimeError("disk on fire")

    backends.forms.read_responses = read_responses
    return backends


def run_with(workspace, *argv, backends_factory):
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ={}, clock=FixedClock.on(OPENS), backends_factory=backends_factory)
    return main(["--config", str(workspace.config_path), *argv], env), out.getvalue(), err.getvalue()


def test_a_failing_job_does_not_stop_the_others_and_exits_1(workspace):
    status, out, err = run_with(workspace, "run", backends_factory=broken_forms)
    assert status == ExitStatus.JOB_FAILED
    assert "registration-open: korras" in out and "intake: EBAÕNNESTUS (koordinaatoritele on teatatud)" in out
    assert "ootamatu viga (RuntimeError: disk on fire)" in err and "--debug job intake" in err and "Traceback" not in err
    [notice] = workspace.messages_to("triin.pajo@example.ee")
    assert notice["Subject"] == "Mentorprogramm: töö „registreerimiste läbivaatus“ ei õnnestunud (5. oktoober 2026)"
    # The command to run again is the one that works on this machine: with the config it was run with.
    assert f"mentorlus --config {workspace.config_path.resolve()} job intake" in notice.get_body(("plain",)).get_content()


def test_debug_shows_the_traceback(workspace):
    status, _, err = run_with(workspace, "--debug", "job", "intake", backends_factory=broken_forms)
    assert status == ExitStatus.JOB_FAILED and "Traceback" in err and "disk on fire" in err


def test_options_may_follow_the_command(workspace, cli):
    result = cli("run", "--config", str(workspace.config_path), "--verbose", "--today", "2026-10-05", config=False)
    assert result.status == ExitStatus.OK
    assert "INFO: sent registration announcement" in result.stderr


def test_help_and_no_command(cli):
    helped = cli("--help", config=False)
    assert helped.status == ExitStatus.OK and "demo" in helped.stdout and "scheduler" in helped.stdout
    assert cli(config=False).status == ExitStatus.USAGE_OR_CONFIG_ERROR


def test_python_dash_m_automation_is_the_same_command(workspace):
    done = subprocess.run(
        [sys.executable, "-m", "automation", "--config", str(workspace.config_path), "plan"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0 and "intake" in done.stdout


def test_a_job_whose_day_cron_missed_runs_on_the_next_run(workspace, cli):
    result = cli("run", today=date(2026, 12, 2))  # match was due on 2026-11-30
    assert "match: korras" in result.stdout
    again = cli("run", today=date(2026, 12, 3))
    assert "match:" not in again.stdout  # done: not run again
    late = cli("run", today=date(2026, 12, 20))
    assert "match:" not in late.stdout  # more than a week late: left to the coordinators (`mentorlus match`)


def in_english(workspace):
    text = workspace.config_path.read_text(encoding="utf-8").replace("[programme]\n", '[programme]\nlanguage = "en"\n', 1)
    workspace.config_path.write_text(text, encoding="utf-8")


def test_everything_printed_is_estonian_for_an_estonian_config_and_english_for_an_english_one(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    estonian = cli("run", "--dry-run")
    assert "registration-open: korras: 1 teadaanne" in estonian.stdout and "proovikäivitus: saadetaks 3 kirja" in estonian.stdout
    assert not [word for word in ("ok:", "would", "(s)", "dry run", "registrations") if word in estonian.stdout]
    in_english(workspace)
    english = cli("run", "--dry-run")
    assert "registration-open: ok: 1 announcement" in english.stdout and "intake: ok: 1 registration in" in english.stdout
    assert "would send [registration announcement] to" in english.stdout and "dry run: 3 messages would be sent" in english.stdout
    assert "korras" not in english.stdout and "(s)" not in english.stdout
    english = cli("run")
    assert "note: the messages were only written to" in english.stdout
    assert "announcement                                  done 2026-10-05" in cli("plan", today=date(2026, 10, 6)).stdout


def test_a_date_written_the_estonian_way_is_named_with_its_fix_in_the_config_language(workspace, cli):
    text = workspace.config_path.read_text(encoding="utf-8").replace("opens = 2026-10-05", "opens = 05.10.2026")
    workspace.config_path.write_text(text, encoding="utf-8")
    estonian = cli("check")
    assert estonian.status == 2 and "mentorlus: viga:" in estonian.stderr
    assert "kirjuta kuupäev kujul 2026-10-05 (aasta-kuu-päev, jutumärkideta): opens = 2026-10-05" in estonian.stderr
    in_english(workspace)
    english = cli("check")
    assert english.status == 2 and "write dates as 2026-10-05 (year-month-day, without quotes): opens = 2026-10-05" in english.stderr
    assert "How to fix" in english.stderr and "Kuidas" not in english.stderr
