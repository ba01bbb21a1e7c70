"""From a blank folder to a real programme year, as a volunteer follows the README: init, edit, check, a dry run, the first run."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.environment import Environment
from automation.config import load_config
from tests.test_smtp import PASSWORD, certificates, start  # noqa: F401 - certificates is a fixture

SUMMER = date(2026, 8, 20)  # the volunteer sets up over the summer
OPENS = date(2026, 10, 5)


def mentorlus(*argv: str, today: date = SUMMER, environ: dict | None = None) -> tuple[ExitStatus, str]:
    out = io.StringIO()
    env = Environment(stdout=out, stderr=out, environ=environ or {}, clock=FixedClock.on(today), sleep=lambda s: None,
                      program="/srv/mentorlus/.venv/bin/mentorlus")
    return main(list(argv), env), out.getvalue()


def edit(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_init_check_dry_run_and_the_first_run_deliver_through_the_associations_mail_server(tmp_path, certificates):
    folder = tmp_path / "mentorprogramm"
    status, out = mentorlus("init", str(folder))
    assert status == ExitStatus.OK, out
    config = folder / "program.toml"
    assert "programmiaastaks 2026/2027" in out and "Edasi:" in out
    assert f"/srv/mentorlus/.venv/bin/mentorlus --config {config.resolve()} check" in out  # a command that works as printed
    assert "start = 2026-10-01" in config.read_text(encoding="utf-8")
    assert (folder / "workspace" / "sheets" / "liikmed" / "Liikmed.csv").exists() and (folder / "surveys").is_dir()

    status, out = mentorlus("--config", str(config), "check")
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR  # nothing real yet: each gap is named with its fix
    assert "probleem: liikmeregister" in out and "selles pole veel ühtki liiget" in out
    assert "vaata üle: e-post: kirjad kirjutatakse ainult kausta" in out and "keegi ei saa neid kätte" in out
    assert "küsitlus „Mentorprogrammi lõpuküsitlus menteedele“" in out and 'kirjuta url = "..."' in out
    assert "mall puudub" not in out  # the bundled templates, wherever the config lives
    assert out.splitlines()[-1] == f"{out.count('probleem: ')} probleemi"

    authority, server_context = certificates
    controller, inbox = start(server_context, implicit_tls=False)
    try:
        authority.cert_pem.write_to_path(str(folder / "ca.pem"))
        edit(config,
             ('name = "Eesti Karjäärinõustajate Ühing"', 'name = "Karjäärinõustajate Selts"'),
             ('mailing_list = "liikmed@example.ee"', 'mailing_list = "liikmed@selts.example"'),
             ('transport = "backend"', 'transport = "smtp"'),
             ('host = "smtp.example.ee"', 'host = "127.0.0.1"'),
             ("port = 587 ", f"port = {controller.port} "),
             ('ca_file = ""', 'ca_file = "ca.pem"'))
        with open(folder / "workspace" / "sheets" / "liikmed" / "Liikmed.csv", "a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["Mari Tamm", "mari.tamm@example.ee", "2026"], ["Jüri Õunapuu", "juri.ounapuu@example.ee", "2026"]])
        for survey in (folder / "surveys").glob("*.toml"):
            edit(survey, ('url = ""', f'url = "https://forms.selts.example/{survey.stem}"'))
        forms = load_config(config).forms
        for name in ("mentor", "mentee"):  # exported from the forms before anyone answered
            with open(folder / "workspace" / "forms" / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerow(["Ajatempel", *getattr(forms, name).questions])

        status, out = mentorlus("--config", str(config), "check", today=OPENS)
        assert status == ExitStatus.OK, out
        assert "vaata üle: e-post" not in out and out.endswith("kõik kontrollitu on korras\n")  # the messages will reach people now

        status, out = mentorlus("--config", str(config), "run", "--today", OPENS.isoformat(), "--dry-run")
        assert status == ExitStatus.OK, out
        assert "saadaks [registreerimise teadaanne] saajale Karjäärinõustajate Selts <liikmed@selts.example>" in out
        assert "proovikäivitus: saadetaks 1 kiri; midagi ei saadetud" in out and inbox.messages == []

        status, out = mentorlus("--config", str(config), "run", "--today", OPENS.isoformat(), environ={"MENTORLUS_SMTP_PASSWORD": PASSWORD})
        assert "registration-open: korras: 1 teadaanne" in out and "NB:" not in out, out
        [(recipients, message)] = inbox.messages
        assert recipients == ["liikmed@selts.example"] and "registreerimine on avatud" in str(message["Subject"])
    finally:
        controller.stop()


def test_init_refuses_a_folder_that_holds_a_config(tmp_path):
    mentorlus("init", str(tmp_path))
    status, out = mentorlus("init", str(tmp_path))
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR and "on juba olemas" in out
