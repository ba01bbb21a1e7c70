"""Fixtures named after the things tests talk about: a workspace, its config, the forms, the members, the CLI."""

from __future__ import annotations

import csv
import email
import io
from dataclasses import dataclass, field
from datetime import date
from email import policy
from pathlib import Path

import pytest

from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.config import load_config
from automation.demo import demo_config_text, write_local_surveys
from automation.demo.cohort import MEMBERS_HEADER, MENTEE_HEADER, MENTEE_QUESTIONS, MENTOR_HEADER, MENTOR_QUESTIONS, form_row
from automation.environment import Environment

OPENS = date(2026, 10, 5)
CLOSES = date(2026, 11, 15)


def mentor_row(email: str, name: str, *, when: str = "06.10.2026 10:00:00", certificate: str = "karjäärinõustaja",
               experience: str = "10", training_year: str = "", attends: str = "Jah", principles: str = "Nõustun",
               workplace: str = "Tartu Ülikooli karjäärikeskus", language: str = "eesti", region: str = "Tartumaa",
               topics: str = "grupinõustamine, karjääriinfo", capacity: str = "1", languages: str = "eesti",
               mode: str = "Silmast silma, Videokõne", sector: str = "avalik") -> list[str]:
    return form_row(MENTOR_QUESTIONS, when, {
        "email": email, "name": name, "phone": "+372 5000 0000", "workplace": workplace, "sector": sector,
        "region": region, "language": language, "languages": languages, "meeting_mode": mode,
        "certificates": certificate, "experience_years": experience, "training_year": training_year,
        "attends_training": attends, "strengths": topics, "capacity": capacity, "agrees_to_principles": principles,
    })


def mentee_row(email: str, name: str, *, when: str = "07.10.2026 12:00:00",
               goals: str = "Soovin õppida grupinõustamist ja saada kindlust keeruliste juhtumitega.",
               fee: str = "Jah", principles: str = "Nõustun", workplace: str = "Eesti Töötukassa, Tartu osakond",
               language: str = "eesti", region: str = "Tartumaa", topics: str = "grupinõustamine",
               languages: str = "eesti", mode: str = "Silmast silma", sector: str = "avalik", experience: str = "1") -> list[str]:
    return form_row(MENTEE_QUESTIONS, when, {
        "email": email, "name": name, "phone": "+372 5000 0001", "workplace": workplace, "sector": sector,
        "region": region, "language": language, "languages": languages, "meeting_mode": mode,
        "experience_years": experience, "goals": goals, "development_areas": topics, "agrees_to_fee": fee,
        "agrees_to_principles": principles,
    })


@dataclass
class Workspace:
    """A programme folder: program.toml beside a local workspace, as `mentorlus demo` lays it out."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "program.toml"

    @property
    def path(self) -> Path:
        return self.root / "workspace"

    def config(self):
        return load_config(self.config_path)

    def write_form(self, role: str, rows: list[list[str]], header: list[str] | None = None, *, bom: bool = False) -> Path:
        header = header or (MENTOR_HEADER if role == "mentor" else MENTEE_HEADER)
        path = self.path / "forms" / f"{role}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header] + rows)
        path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
        return path

    def write_members(self, rows: list[list[str]]) -> None:
        path = self.path / "sheets" / "liikmed" / "Liikmed.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.StringIO()
        csv.writer(buffer).writerows([MEMBERS_HEADER] + rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")

    def tab(self, sheet: str = "koordinaatorid", tab: str = "Registreerimised") -> list[dict[str, str]]:
        path = self.path / "sheets" / sheet / f"{tab}.csv"
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    def write_tab(self, rows: list[dict[str, str]], sheet: str = "koordinaatorid", tab: str = "Registreerimised") -> None:
        path = self.path / "sheets" / sheet / f"{tab}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    def tick_attendance(self, tab: str, attended: set[str]) -> None:
        """What a coordinator does after an event: tick `Osales` for who came."""
        rows = self.tab(tab=tab)
        for row in rows:
            row["Osales"] = "x" if row["E-post"] in attended else ""
        self.write_tab(rows, tab=tab)

    def messages(self) -> list[email.message.EmailMessage]:
        folder = self.path / "outbox" / "new"
        if not folder.exists():
            return []
        return [
            email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(folder.iterdir())
        ]

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages() if address in str(m["To"])]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """Config of programme year 2026/2027 (registration 2026-10-05 .. 2026-11-15) and a members register."""
    root = tmp_path / "programme"
    root.mkdir()
    (root / "program.toml").write_text(demo_config_text(2026), encoding="utf-8")
    write_local_surveys(root)
    space = Workspace(root)
    space.write_members(
        [
            ["Mari Tamm", "mari.tamm@example.ee", "2026"],
            ["Jüri Õunapuu", "juri.ounapuu@example.ee", "2027"],
            ["Külli Sääsk", "kulli.saask@example.ee", "2026"],
            ["Tõnu Kask", "tonu.kask@example.ee", "2025"],
            ["Žanna Põder", "zanna.poder@example.ee", "2026"],
        ]
    )
    return space


@pytest.fixture
def cohort(workspace):
    """Three eligible mentors, four eligible mentees; every one of them paid up."""
    people = [
        ["Mari Tamm", "mari.tamm@example.ee", "2026"], ["Jüri Õunapuu", "juri.ounapuu@example.ee", "2026"],
        ["Külli Sääsk", "kulli.saask@example.ee", "2026"], ["Tõnu Kask", "tonu.kask@example.ee", "2026"],
        ["Žanna Põder", "zanna.poder@example.ee", "2026"], ["Ülo Mänd", "ulo.mand@example.ee", "2026"],
        ["Siiri Lõhmus", "siiri.lohmus@example.ee", "2026"], ["John Smith", "john.smith@example.ee", "2026"],
    ]
    workspace.write_members(people)
    workspace.write_form("mentor", [
        mentor_row("mari.tamm@example.ee", "Mari Tamm", topics="grupinõustamine, karjääriinfo", region="Tartumaa", workplace="Tartu Ülikool"),
        mentor_row("juri.ounapuu@example.ee", "Jüri Õunapuu", topics="noortega töö", region="Harjumaa", workplace="Tallinna Ülikool"),
        mentor_row("kulli.saask@example.ee", "Külli Sääsk", topics="eneseanalüüs", region="Pärnumaa", workplace="Rajaleidja", capacity="2"),
    ])
    workspace.write_form("mentee", [
        mentee_row("tonu.kask@example.ee", "Tõnu Kask", topics="grupinõustamine, karjääriinfo", region="Tartumaa", workplace="Töötukassa"),
        mentee_row("zanna.poder@example.ee", "Žanna Põder", topics="noortega töö", region="Harjumaa", workplace="Töötukassa"),
        mentee_row("ulo.mand@example.ee", "Ülo Mänd", topics="eneseanalüüs", region="Pärnumaa", workplace="Tartu Ülikool"),
        mentee_row("siiri.lohmus@example.ee", "Siiri Lõhmus", topics="eneseanalüüs", region="Pärnumaa", workplace="Pärnu Kutsehariduskeskus"),
        mentee_row("john.smith@example.ee", "John Smith", language="English", languages="inglise"),
    ])
    return workspace


@dataclass
class Run:
    status: ExitStatus
    stdout: str
    stderr: str


@pytest.fixture
def cli(workspace: Workspace):
    """Runs `mentorlus` in process against the workspace's config; `today` sets the clock."""

    def run(*argv: str, today: date = OPENS, config: bool = True, environ: dict | None = None) -> Run:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdout=out, stderr=err, environ=environ or {}, clock=FixedClock.on(today))
        args = (["--config", str(workspace.config_path)] if config else []) + list(argv)
        status = main(args, env)
        return Run(status, out.getvalue(), err.getvalue())

    return run


from tests.fake_workspace import DEMO_GOOGLE_SECTION as GOOGLE_SECTION, FakeWorkspace  # noqa: E402


@dataclass
class GoogleProgramme:
    """A programme on the fake Google Workspace: program.toml with backend.kind = "google", after `mentorlus setup`."""

    root: Path
    fake: FakeWorkspace
    sleeps: list[float] = field(default_factory=list)  # what the backend waited, in seconds

    @property
    def config_path(self) -> Path:
        return self.root / "program.toml"

    @property
    def environ(self) -> dict[str, str]:
        return {"MENTORLUS_GOOGLE_ENDPOINT": self.fake.url}

    def config(self):
        return load_config(self.config_path)

    def run(self, *argv: str, today: date = OPENS, environ: dict | None = None) -> tuple[ExitStatus, str, str]:
        out, err = io.StringIO(), io.StringIO()
        env = Environment(stdout=out, stderr=err, environ={**self.environ, **(environ or {})}, clock=FixedClock.on(today), sleep=self.sleeps.append)
        status = main(["--config", str(self.config_path), *argv], env)
        return status, out.getvalue(), err.getvalue()

    def submit(self, role: str, rows: list[list[str]], header: list[str] | None = None) -> None:
        """People fill in the form: each row as a CSV export shows it, the timestamp first."""
        from datetime import datetime
        from zoneinfo import ZoneInfo

        header = header or (MENTOR_HEADER if role == "mentor" else MENTEE_HEADER)
        form_id = getattr(self.config().forms, role).id
        for row in rows:
            stamp = datetime.strptime(row[0], "%d.%m.%Y %H:%M:%S").replace(tzinfo=ZoneInfo("Europe/Tallinn"))
            answers = dict(zip(header[1:], row[1:]))
            self.fake.submit(form_id, answers, submitted=stamp.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.000Z"))

    def write_members(self, rows: list[list[str]]) -> None:
        spreadsheet = self.config().google.spreadsheets["liikmed"]
        self.fake._sheets_spreadsheets_values_batchUpdate({"spreadsheetId": spreadsheet}, {}, {
            "valueInputOption": "RAW", "data": [{"range": "'Liikmed'", "values": [MEMBERS_HEADER] + rows}]})

    def tab(self, sheet: str = "koordinaatorid", tab: str = "Registreerimised") -> list[dict[str, str]]:
        rows = self.fake.values(self.config().google.spreadsheets[sheet], tab)
        return [dict(zip(rows[0], row + [""] * (len(rows[0]) - len(row)))) for row in rows[1:]]

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(m["raw"], policy=policy.default) for m in self.fake.sent()]


@pytest.fixture
def fake_google():
    """The fake Google Workspace, serving on 127.0.0.1 for the test."""
    with FakeWorkspace() as fake:
        yield fake


@pytest.fixture
def google_programme(tmp_path: Path, fake_google) -> GoogleProgramme:
    """Programme year 2026/2027 on the fake Workspace, set up by `mentorlus setup`, with the same members as `workspace`."""
    root = tmp_path / "programme"
    root.mkdir()
    text = demo_config_text(2026).replace('kind = "local"', 'kind = "google"') + GOOGLE_SECTION
    (root / "program.toml").write_text(text, encoding="utf-8")
    programme = GoogleProgramme(root, fake_google)
    status, out, err = programme.run("setup")
    assert status == ExitStatus.OK, out + err
    programme.write_members([
        ["Mari Tamm", "mari.tamm@example.ee", "2026"],
        ["Jüri Õunapuu", "juri.ounapuu@example.ee", "2027"],
        ["Külli Sääsk", "kulli.saask@example.ee", "2026"],
    ])
    return programme


@pytest.fixture(scope="session")
def clean_year(tmp_path_factory) -> Path:
    """The demo's year of 30 people (seed 3), played once for every test that only reads it or compares with it."""
    from tests.years import play

    folder = tmp_path_factory.mktemp("clean-year") / "demo"
    summary = play(folder)
    assert summary.failures == [], summary.failures
    return folder


@dataclass
class Browser:
    """Debian's headless Chromium, as a person would open a page in it (`.ci/run` installs it)."""

    executable: str

    def _run(self, page: Path, *flags: str) -> None:
        import subprocess
        import tempfile

        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([self.executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={profile}", *flags, page.resolve().as_uri()],
                           check=True, capture_output=True, timeout=120)

    def screenshot(self, page: Path, to: Path, *, width: int = 800, height: int = 1200) -> Path:
        self._run(page, f"--window-size={width},{height}", f"--screenshot={to}")
        return to

    def print_to_pdf(self, page: Path, to: Path) -> Path:
        self._run(page, "--no-pdf-header-footer", f"--print-to-pdf={to}")
        return to


@pytest.fixture(scope="session")
def browser() -> Browser:
    import shutil as which

    executable = which.which("chromium") or which.which("chromium-browser")
    assert executable, "Chromium is needed to look at pages as a person does: apt-get install chromium (.ci/run does)"
    return Browser(executable)
