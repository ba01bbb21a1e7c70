"""The whole demo year on the fake Google Workspace, with connections dropped after writes and refusals, ends as the clean local year."""

from __future__ import annotations

import json
from collections import Counter

from tests.fake_workspace import play_demo_on
from tests.years import FAILURE_SUBJECT, PARTICIPANTS, SEED, state_of


def every(k: int, offset: int = 0):
    """A fault's `when`: the k-th, 2k-th, ... request of its method."""
    count = Counter()

    def when(body) -> bool:
        count["n"] += 1
        return (count["n"] + offset) % k == 0

    return when


FAULTS = [  # (method, connection dropped after Google applied every k-th request)
    ("gmail.users.messages.send", 9), ("calendar.events.insert", 4), ("calendar.events.patch", 3), ("drive.files.copy", 2),
    ("docs.documents.batchUpdate", 3), ("sheets.spreadsheets.values.batchUpdate", 7), ("drive.files.update", 2),
]


def test_a_google_year_with_dropped_connections_and_refusals_ends_as_the_clean_local_year(tmp_path, fake_google, clean_year):
    fake = fake_google
    for method, k in FAULTS:
        fake.drop_after_write(method, times=10**6, when=every(k))
    fake.fail("gmail.users.messages.send", status=429, retry_after=3, times=10**6, when=every(13, 5))
    fake.fail("gmail.users.messages.send", status=500, times=10**6, when=every(17, 3))
    fake.fail("calendar.events.insert", status=503, times=10**6, when=every(5, 2))
    google = play_demo_on(fake, tmp_path / "google", participants=PARTICIPANTS, seed=SEED, retries=30)
    assert google.failures == []
    assert {method for method in fake.dropped} == {method for method, _ in FAULTS}
    clean = state_of(clean_year / "workspace")

    # Every message of the clean year reached Gmail exactly once; none besides the coordinators' failure notices.
    sent = [m for m in fake.sent() if not m["headers"]["subject"].startswith(FAILURE_SUBJECT)]
    ids = Counter(m["headers"]["message-id"] for m in sent)
    assert max(ids.values()) == 1, "a message went out twice"
    assert set(ids) == set(clean.messages)

    # The same calendar: each event once, with the same people, time and SEQUENCE.
    local_events = {e["uid"]: e for e in clean.calendar}
    events = {e["iCalUID"]: e for e in fake.events.values()}
    assert set(events) == set(local_events)
    for uid, event in events.items():
        local = local_events[uid]
        assert sorted(a["email"] for a in event["attendees"]) == sorted(a["email"] for a in local["attendees"]), uid
        assert event["sequence"] == local["sequence"] and event["start"]["dateTime"] == local["start"], uid
        assert (event["status"] == "cancelled") == local["cancelled"] and event["_sendUpdates"] == "none"

    # The same tabs, as a person sees them.
    config = google.config
    for name, spreadsheet in config.google.spreadsheets.items():
        for tab in fake.spreadsheets[spreadsheet]["sheets"]:
            title = tab["properties"]["title"]
            local = clean.tabs.get(f"{name}/{title}")
            if local is None:
                continue
            width = len(local[0])
            google_rows = [row + [""] * (width - len(row)) for row in fake.values(spreadsheet, title)]
            if title == "Paarid":  # the agreement's link: a Doc on Google, a file locally
                column = local[0].index("Koostöökokkulepe")
                google_rows = [row[:column] + row[column + 1:] for row in google_rows]
                local = [row[:column] + row[column + 1:] for row in local]
            assert google_rows == local, f"{name}/{title}"

    # Agreements: one per pair that was ever confirmed, filled in, shared with both without Drive's own email.
    agreements = [f for f in fake.files.values() if f["appProperties"].get("mentorlus") == "agreement"]
    assert sorted(f["name"] + ".html" for f in agreements) == sorted(path.split("/")[-1] for path in clean.documents)
    assert all(len(f["_permissions"]) == 2 and not f.get("_notified") for f in agreements)
    assert all("{{" not in fake.documents[f["id"]] for f in agreements)
    # The board's report is in the programme's folder, shared with the board, replaced in place.
    [report] = [f for f in fake.files.values() if f["appProperties"].get("mentorlus") == "report:report"]
    assert report["_permissions"][0]["emailAddress"] == config.google.board_group and b"<svg" in report["_content"]
    # A Meet link where the config gives no video link, and the invitations give it.
    with_meet = [e for e in events.values() if "hangoutLink" in e]
    assert with_meet
    for event in with_meet:
        invited = [m for m in sent if event["hangoutLink"] in m["text"]]
        assert len(invited) >= len(event["attendees"]) > 0, event["summary"]
    assert json.dumps(google.board) == json.dumps(state_of(clean_year / "workspace").tabs["juhatus/Kokkuvõte"])
