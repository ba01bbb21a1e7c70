"""`mentorlus check`: config, templates under strict variables, form questions, members register."""

import shutil

from automation.cli import ExitStatus
from automation.config import bundled_templates_dir
from automation.demo.cohort import MENTOR_HEADER
from tests.conftest import mentor_row


def test_a_good_setup_passes(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    result = cli("check")
    assert result.status == ExitStatus.OK, result.stdout
    assert "ok: template et/registration_received" in result.stdout and "ok: template en/job_failed" in result.stdout
    assert "ok: form mentor: all 17 mapped questions found" in result.stdout
    assert "no responses yet" in result.stdout  # the mentee form has no export yet
    assert "members register: 5 members" in result.stdout


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
    assert "1 problem(s)" in result.stdout


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
