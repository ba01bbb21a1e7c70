"""`mentorlus init DIR`: a folder ready for this programme year, from the documented example config.

    steps = initialise(Path("/srv/mentorlus"), today=date(2026, 8, 20), program="/srv/mentorlus/.venv/bin/mentorlus", language="et")

The example's every key keeps its comment; its dates move to the programme
year that starts this autumn (or started last autumn, before July); the
workspace is inside DIR; the bundled templates and surveys are used unless
the config names others; an empty members register gets the right columns.
"""

from __future__ import annotations

import csv
import re
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Callable

from automation.config import REPO_TEMPLATES, bundled_surveys_dir, load_config
from automation.domain.text import Say
from automation.errors import ConfigError

EXAMPLE_YEAR = 2026  # the programme year the example's dates are written for


def example_config() -> Path:
    for candidate in (REPO_TEMPLATES.parent / "config" / "program.example.toml", Path(sys.prefix) / "share" / "mentorlus" / "program.example.toml"):
        if candidate.is_file():
            return candidate
    raise ConfigError("the example config is not where the installation put it", hint="reinstall mentorlus (pip install --force-reinstall mentorlus)",
                      message_et="näidisseadistust pole seal, kuhu paigaldus selle pani", hint_et="paigalda mentorlus uuesti (pip install --force-reinstall mentorlus)")


def programme_year(today: date) -> int:
    """The autumn the programme year starts in: this year's from July on, last year's before."""
    return today.year if today.month >= 7 else today.year - 1


def _moved(text: str, years: int) -> str:
    def move(match: re.Match) -> str:
        day = date.fromisoformat(match.group(0))
        try:
            return day.replace(year=day.year + years).isoformat()
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28).isoformat()

    return re.sub(r"(?<![\d-])\d{4}-\d\d-\d\d(?![\d-])", move, text)


def write_surveys(folder: Path, link: Callable[[str], str]) -> Path:
    """The bundled survey definitions in `folder`/surveys, each with its link and where its answers' export goes."""
    target = folder / "surveys"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(bundled_surveys_dir().glob("*.toml")):
        lines = source.read_text(encoding="utf-8").splitlines()
        survey_id = next(line.split('"')[1] for line in lines if line.startswith("id = "))
        at = next(index for index, line in enumerate(lines) if line.startswith("audience = "))
        lines[at:at] = [f'url = "{link(survey_id)}"                        # the link participants open: a form of the association\'s own '
                        "(on Google leave it empty: the tool makes the form)",
                        f'responses = "forms/{survey_id}.csv"      # where that form\'s answers are saved as CSV, inside the workspace']
        (target / source.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def initialise(folder: Path, *, today: date, program: str) -> list[str]:
    """Write DIR/program.toml and the members register; the lines to show, the next three steps last."""
    config_path = folder / "program.toml"
    if config_path.exists():
        raise ConfigError(f"{config_path} exists already", hint="choose an empty folder, or edit that config",
                          message_et=f"{config_path} on juba olemas", hint_et="vali tühi kaust või muuda seda seadistust")
    folder.mkdir(parents=True, exist_ok=True)
    start = programme_year(today)
    text = example_config().read_text(encoding="utf-8")
    text = text.replace("# mentorlus programme config. Copy to config/program.toml and edit.",
                        f"# mentorlus programme config for {start}/{start + 1}, written by `mentorlus init`. Edit it, then `mentorlus check`.")
    config_path.write_text(_moved(text, start - EXAMPLE_YEAR), encoding="utf-8")
    config = load_config(config_path)
    members = config.members
    register = config.workspace / "sheets" / members.sheet / f"{members.tab}.csv"
    register.parent.mkdir(parents=True, exist_ok=True)
    with open(register, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerow([members.name_column, members.email_column, members.paid_until_column])
    (config.workspace / "forms").mkdir(exist_ok=True)
    surveys = write_surveys(folder, lambda survey_id: "")
    command = f"{program} --config {shlex.quote(str(config_path.resolve()))}"
    say = Say(config.programme.language)
    year = f"{start}/{start + 1}"
    return [
        say(f"Kirjutasin {config_path} programmiaastaks {year}, küsitlused kausta {surveys} ja tühja liikmeregistri {register}.",
            f"Wrote {config_path} for the programme year {year}, the surveys in {surveys} and an empty members register {register}."),
        say("Edasi:", "Next:"),
        say(f"  1. Muuda faili {config_path}: ühing, koordinaatorid, kuupäevad, vormide küsimused ja lingid ning kuidas kirjad välja lähevad",
            f"  1. Edit {config_path}: the association, the coordinators, the dates, the forms' questions and links, and how mail goes out"),
        say("     ([mail] transport = \"smtp\" koos ühingu meiliserveriga või backend.kind = \"google\"; muidu kirjutatakse kirjad ainult tööalasse),",
            "     ([mail] transport = \"smtp\" with your mail host, or backend.kind = \"google\"; alone, mail is only written to the workspace),"),
        say(f"     ja kohaliku taustasüsteemi puhul iga küsitluse link kaustas {surveys}.",
            f"     and on the local backend each survey's link in {surveys}."),
        say(f"  2. Täida liikmeregister {register} (või ekspordi enda oma sinna) ja kontrolli siis kõike: {command} check",
            f"  2. Fill in the members register {register} (or export yours there), then check everything: {command} check"),
        say(f"  3. Vaata, mida esimene päev saadaks, ja lase siis cron'il seda iga päev käivitada: {command} run --today {config.registration.opens} --dry-run",
            f"  3. See what the first day would send, then let cron run it daily: {command} run --today {config.registration.opens} --dry-run"),
    ]
