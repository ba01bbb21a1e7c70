"""The fake Workspace is strict where Google is: requests the discovery documents do not allow are refused."""

from __future__ import annotations

import json

import pytest
from googleapiclient.errors import HttpError

from automation.backends.google.api import GoogleApi, Transport
from automation.backends.google.gmail import GmailMailer


@pytest.fixture
def api(fake_google):
    return GoogleApi(Transport(None, timeout=10), endpoint=fake_google.url, max_retries=0, sleep=lambda s: None)


def test_an_unknown_field_in_a_body_is_refused_as_google_refuses_it(api):
    request = api.resource("sheets", "v4", "spreadsheets").create(body={"properties": {"title": "x", "colour": "red"}})
    with pytest.raises(HttpError) as refused:
        request.execute(num_retries=0)
    assert refused.value.resp.status == 400
    assert 'Unknown name "colour"' in json.loads(refused.value.content)["error"]["message"]


def test_a_value_outside_an_enum_is_refused(api):
    spreadsheet = api.resource("sheets", "v4", "spreadsheets").create(body={"properties": {"title": "x"}}).execute()
    request = api.resource("sheets", "v4", "spreadsheets", "values").batchUpdate(
        spreadsheetId=spreadsheet["spreadsheetId"], body={"valueInputOption": "FORMULAS", "data": []})
    with pytest.raises(HttpError) as refused:
        request.execute(num_retries=0)
    assert refused.value.resp.status == 400


def test_sending_is_paced_under_gmails_per_user_rate(api, fake_google):
    from datetime import datetime, timezone

    from automation.emails import Recipient, RenderedEmail, compose

    clock, waits = [0.0], []
    mailer = GmailMailer(api, per_second=2.0, sleep=lambda s: (waits.append(s), clock.__setitem__(0, clock[0] + s)), monotonic=lambda: clock[0])
    for number in range(3):
        mailer.send(compose(RenderedEmail(f"kiri {number}", "Tere!", "<p>Tere!</p>"), sender=Recipient("mentorlus@example.ee"),
                            to=[Recipient("mari@example.ee")], reply_to=[], message_id=f"<{number}.mentorlus@example.ee>",
                            sent_at=datetime(2026, 10, 5, tzinfo=timezone.utc), language="et"))
    assert waits == [0.5, 0.5]
    assert mailer.was_sent("<1.mentorlus@example.ee>") and not mailer.was_sent("<9.mentorlus@example.ee>")
    assert len(fake_google.sent()) == 3


def test_a_batch_retries_only_the_part_google_answered_503(fake_google):
    api = GoogleApi(Transport(None, timeout=10), endpoint=fake_google.url, max_retries=2, sleep=lambda s: None)
    folder = api.resource("drive", "v3", "files").create(body={"name": "kaust", "mimeType": "application/vnd.google-apps.folder"}).execute()
    permissions = api.resource("drive", "v3", "permissions")
    people = ["mari@example.ee", "juri@example.ee", "kulli@example.ee"]
    fake_google.fail("drive.permissions.create", status=503, when=lambda body: body["emailAddress"] == "juri@example.ee")
    requests = [permissions.create(fileId=folder["id"], body={"type": "user", "role": "writer", "emailAddress": p}, sendNotificationEmail=False)
                for p in people]
    answers = api.idempotent_batch("drive", "v3", requests, what="sharing")
    assert len(answers) == 3
    assert [p["emailAddress"] for p in fake_google.files[folder["id"]]["_permissions"]] == ["mari@example.ee", "kulli@example.ee", "juri@example.ee"]
    assert fake_google.request_counts()["batch"] == 2
    assert [m for m, _ in fake_google.batched].count("drive.permissions.create") == 4
