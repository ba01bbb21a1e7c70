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
    assert "korras: mall et/registration_received" in result.stdout and "korras: mall en/job_failed" in result.stdout
    assert "korras: vorm mentor: kõik 17 seotud küsimust on olemas; täielikult arusaadavaid ridu 1/1" in result.stdout
    assert "liikmeregister: 5 liiget" in result.stdout
    assert result.stdout.endswith("kõik kontrollitu on korras\n")


def test_a_missing_or_misnamed_export_while_registration_is_open_is_a_problem(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm")])
    (workspace.path / "forms" / "mentor.csv").rename(workspace.path / "forms" / "Mentori registreerimisvorm (vastused).csv")
    result = cli("check")
    assert result.status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "probleem: vorm mentor: registreerimine on avatud (5. oktoober 2026 – 15. november 2026), aga asukohas" in result.stdout
    assert "kas see on Mentori registreerimisvorm (vastused).csv? nimeta see ümber" in result.stdout
    later = cli("check", today=__import__("datetime").date(2027, 3, 1))  # long after registration: no export is fine
    assert "registreerimine on avatud" not in later.stdout


def test_answers_nobody_could_read_are_listed_with_how_many_rows(workspace, cli):
    workspace.write_form("mentor", [mentor_row("mari.tamm@example.ee", "Mari Tamm", experience="palju"),
                                    mentor_row("juri.ounapuu@example.ee", "Jüri Õunapuu", experience="palju", attends="Võib-olla")])
    workspace.write_form("mentee", [])
    result = cli("check")
    assert "korras: vorm mentor: kõik 17 seotud küsimust on olemas; täielikult arusaadavaid ridu 0/2" in result.stdout
    assert "vaata üle: vorm mentor: küsimuse „Töökogemus karjäärispetsialistina (aastates)“ vastus „palju“ (2 reas) jäi arusaamatuks" in result.stdout
    assert "vastus „Võib-olla“ (1 reas)" in result.stdout


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
    last = result.stdout.splitlines()[-1]
    assert last.endswith(("probleem", "probleemi")) and result.stdout.count("probleem: ") == int(last.split()[0])


def test_a_template_missing_in_one_language_is_named(workspace, cli):
    folder = own_templates(workspace)
    (folder / "en" / "registration_reminder.j2").unlink()
    result = cli("check")
    assert result.status == 2 and "en/registration_reminder.j2: mall puudub; eemalda seadistusest [templates] directory" in result.stdout


def test_a_form_missing_a_mapped_question_is_named(workspace, cli):
    header = [title for title in MENTOR_HEADER if title != "Telefon"]
    workspace.write_form("mentor", [], header=header)
    result = cli("check")
    assert result.status == 2 and "küsimusele „Telefon“ (forms.mentor.questions) ei vasta ükski veerg" in result.stdout


def test_a_members_register_without_the_configured_column_is_named(workspace, cli):
    path = workspace.path / "sheets" / "liikmed" / "Liikmed.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Liikmemaks tasutud (aasta)", "Tasutud"), encoding="utf-8")
    result = cli("check")
    assert result.status == 2 and "ei ole veergu „Liikmemaks tasutud (aasta)“" in result.stdout


def test_an_english_config_is_checked_in_english(workspace, cli):
    text = workspace.config_path.read_text(encoding="utf-8").replace('[programme]\n', '[programme]\nlanguage = "en"\n', 1)
    workspace.config_path.write_text(text, encoding="utf-8")
    path = workspace.path / "sheets" / "liikmed" / "Liikmed.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Liikmemaks tasutud (aasta)", "Tasutud"), encoding="utf-8")
    result = cli("check")
    assert "ok: template et/registration_received" in result.stdout
    assert "problem: the members register" in result.stdout and "has no column „Liikmemaks tasutud (aasta)“ (config key members.paid_until_column)" in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last == f"{result.stdout.count('problem: ')} problems" and "korras" not in result.stdout and "probleem" not in result.stdout
