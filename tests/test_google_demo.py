"""The whole demo year on the fake Google Workspace ends as it does on the local backend."""

from __future__ import annotations

import io
from datetime import date

from automation.clock import FixedClock
from automation.demo import run_demo
from automation.environment import Environment
from tests.fake_workspace import play_demo_on

PARTICIPANTS, SEED = 40, 3


def local_demo(tmp_path):
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 9, 1)))
    return run_demo(env, tmp_path / "local", participants=PARTICIPANTS, seed=SEED)


def test_the_demo_year_on_google_ends_as_on_the_local_backend(tmp_path, fake_google):
    local = local_demo(tmp_path)
    google = play_demo_on(fake_google, tmp_path / "google", participants=PARTICIPANTS, seed=SEED)
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
    assert fake_google.request_counts()["batch"] == len(agreements)  # both of a pair shared in one request
    assert all("{{" not in fake_google.documents[f["id"]] for f in agreements)
    events = list(fake_google.events.values())
    assert events and all(e["iCalUID"] and e["_sendUpdates"] == "none" for e in events)
    # A Meet link where the config gives no video link (the mentors' training meets in a room).
    with_meet = [e for e in events if "hangoutLink" in e]
    assert with_meet
    for event in with_meet:  # and the invitations give it
        invited = [m for m in sent if event["hangoutLink"] in m["text"]]
        assert len(invited) >= len([a for a in event["attendees"]]) > 0, event["summary"]
