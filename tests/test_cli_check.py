"""`mentorlus check`: config, templates under strict variables, form questions, members register."""

import shutil

from automation.cli import ExitStatus
from automation.config import bundled_templates_dir
from automation.demo.cohort import MENTOR_HEADER
from tests.conftest import mentor_row


def test_a_good_setup_passes(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    workspace.write_form("mentee", [])  # exported before anyone answered
    result = cli("check")
    assert result.status == ExitStatus.OK, result.stdout
    assert "ok: template et/registration_received" in result.stdout and "ok: template en/job_failed" in result.stdout
    assert "ok: form mentor: all 17 mapped questions found; 1 of 1 rows understood in full" in result.stdout
    assert "members register: 5 members" in result.stdout


def test_a_missing_or_misnamed_export_while_registration_is_open_is_a_problem(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    (workspace.path / "forms" / "mentor.csv").rename(workspace.path / "forms" / "Mentori registreerimisvorm (vastused).csv")
    result = cli("check")
    assert result.status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "problem: form mentor: registration is open (2026-10-05 .. 2026-11-15) but there is no export at" in result.stdout
    assert "is it Mentori registreerimisvorm (vastused).csv? rename it" in result.stdout
    later = cli("check", today=__import__("datetime").date(2027, 3, 1))  # long after registration: no export is fine
    assert "registration is open" not in later.stdout


def test_answers_nobody_could_read_are_listed_with_how_many_rows(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm", experience="palju"),
                                    mentor_row("juri.ounapuu@example.ee", "Jüri Õunapuu", experience="palju", attends="Võib-olla")])
    workspace.write_form("mentee", [])
    result = cli("check")
    assert "ok: form mentor: all 17 mapped questions found; 0 of 2 rows understood in full" in result.stdout
    assert "look at: form mentor: question „Töökogemus karjäärispetsialistina (aastates)“, answer „palju“ (2 rows): not understood" in result.stdout
    assert "answer „Võib-olla“ (1 row)" in result.stdout


def own_templates(workspace):
    folder = workspace.root / "templates"
    shutil.copytree(bundled_templates_dir(), folder)
    text = workspace.config_path.read_text(encoding="utf-8") + '\n[templates]\ndirectory = "templates"\n'
    workspace.config_path.write_text(text, encoding="utf-8")
    return folder


def test_a_template_with_an_unknown_variable_is_named(workspace, cli):
    folder = own_templates(workspace)
    path = folder / "et" / "registration_open.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ mentor_form_url }}", "{{ mentori_vorm }}"), encoding="utf-8")
    result = cli("check")
    assert result.status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "et/registration_open.j2: 'mentori_vorm' is undefined" in result.stdout
    assert "problem(s)" in result.stdout and result.stdout.count("problem: ") == int(result.stdout.split(" problem(s)")[0].split()[-1])


def test_a_template_missing_in_one_language_is_named(workspace, cli):
    folder = own_templates(workspace)
    (folder / "en" / "registration_reminder.j2").unlink()
    result = cli("check")
    assert result.status == 2 and "en/registration_reminder.j2: template missing" in result.stdout


def test_a_form_missing_a_mapped_question_is_named(workspace, cli):
    header = [title for title in MENTOR_HEADER if title != "Telefon"]
    workspace.write_form("mentor", [], header=header)
    result = cli("check")
    assert result.status == 2 and "no column for the question „Telefon“ (forms.mentor.questions)" in result.stdout


def test_a_members_register_without_the_configured_column_is_named(workspace, cli):
    path = workspace.path / "sheets" / "liikmed" / "Liikmed.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Liikmemaks tasutud (aasta)", "Tasutud"), encoding="utf-8")
    result = cli("check")
    assert result.status == 2 and "no column „Liikmemaks tasutud (aasta)“ (config key members.paid_until_column)" in result.stdout
