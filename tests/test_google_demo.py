"""The whole demo year on the fake Google Workspace ends as it does on the local backend."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from automation.cli import ExitStatus, main
from automation.clock import FixedClock
from automation.config import Config
from automation.demo import run_demo
from automation.environment import Environment
from tests.conftest import GOOGLE_SECTION

PARTICIPANTS, SEED = 40, 3
TALLINN = ZoneInfo("Europe/Tallinn")


class FakeRespondents:
    """People answering the Google forms the tool made: each new response submitted once, as it arrives."""

    def __init__(self, fake, config: Config) -> None:
        self.fake, self.config = fake, config
        self.submitted: dict[str, Counter] = {}

    def _submit(self, form_id: str, answers: dict[str, str], stamp: str, email: str = "") -> None:
        moment = datetime.strptime(stamp, "%d.%m.%Y %H:%M:%S").replace(tzinfo=TALLINN).astimezone(ZoneInfo("UTC"))
        self.fake.submit(form_id, answers, submitted=moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"), email=email)

    def show(self, form_key: str, header: list[str], rows: list[list[str]]) -> None:
        form_id = getattr(self.config.forms, form_key).id
        done = self.submitted.setdefault(form_key, Counter())
        for row, count in (Counter(tuple(row) for row in rows) - done).items():
            for _ in range(count):
                self._submit(form_id, dict(zip(header[1:], row[1:])), row[0])
            done[row] += count

    def _survey_form(self, survey_id: str) -> dict | None:
        kind = f"survey:{self.config.programme.start.year}/küsitlused:{survey_id}"
        found = [f for f in self.fake.files.values() if f["appProperties"].get("mentorlus") == kind]
        return self.fake.forms[found[0]["id"]] if found else None

    def survey_is_open(self, survey_id: str) -> bool:
        return self._survey_form(survey_id) is not None

    def answer_survey(self, survey_id: str, rows: list[list[str]]) -> None:
        form = self._survey_form(survey_id)
        titles = [item["title"] for item in form["items"]]
        for row in rows:
            self._submit(form["formId"], dict(zip(titles, row[2:])), row[0], email=row[1])


def google_demo(tmp_path, fake):
    environ = {"MENTORLUS_GOOGLE_ENDPOINT": fake.url}

    def configure(path):
        path.write_text(path.read_text(encoding="utf-8").replace('kind = "local"', 'kind = "google"') + GOOGLE_SECTION, encoding="utf-8")
        out = io.StringIO()
        assert main(["--config", str(path), "setup"], Environment(stdout=out, stderr=out, environ=environ)) == ExitStatus.OK, out.getvalue()

    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ, clock=FixedClock.on(date(2026, 9, 1)), sleep=lambda s: None)
    return run_demo(env, tmp_path / "google", participants=PARTICIPANTS, seed=SEED, configure=configure,
                    respondents=lambda config: FakeRespondents(fake, config))


def local_demo(tmp_path):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 9, 1)))
    return run_demo(env, tmp_path / "local", participants=PARTICIPANTS, seed=SEED)


def test_the_demo_year_on_google_ends_as_on_the_local_backend(tmp_path, fake_google):
    local = local_demo(tmp_path)
    google = google_demo(tmp_path, fake_google)
    assert google.failures == [] and local.failures == []
    assert google.job_runs == local.job_runs
    assert google.sent == local.sent
    assert google.statuses == local.statuses
    assert google.pairs == local.pairs
    assert google.board == local.board
    # Every message the ledger counts reached Gmail once: no Message-ID twice.
    sent = fake_google.sent()
    assert len(sent) == local.messages_in_outbox
    assert len({m["headers"]["message-id"] for m in sent}) == len(sent)
    # The board's sheet has its chart, and agreements were copied from the template and shared without Drive's email.
    board = fake_google.spreadsheets[google.config.google.spreadsheets["juhatus"]]
    assert [c["spec"]["title"] for tab in board["sheets"] for c in tab["charts"]] == ["Kohtumised kuus"]
    agreements = [f for f in fake_google.files.values() if f["appProperties"].get("mentorlus") == "agreement"]
    assert len(agreements) == local.pairs["kinnitatud"] + local.pairs.get("lõppenud", 0)
    assert all(len(f["_permissions"]) == 2 and not f.get("_notified") for f in agreements)
    assert all("{{" not in fake_google.documents[f["id"]] for f in agreements)
    events = list(fake_google.events.values())
    assert events and all(e["iCalUID"] and e["_sendUpdates"] == "none" for e in events)
