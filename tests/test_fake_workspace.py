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
    from email.message import EmailMessage

    clock, waits = [0.0], []
    mailer = GmailMailer(api, per_second=2.0, sleep=lambda s: (waits.append(s), clock.__setitem__(0, clock[0] + s)), monotonic=lambda: clock[0])
    for number in range(3):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "mentorlus@example.ee", "mari@example.ee", f"kiri {number}"
        message["Message-ID"] = f"<{number}.mentorlus@example.ee>"
        message.set_content("Tere!")
        mailer.send(message)
    assert waits == [0.5, 0.5]
    assert mailer.was_sent("<1.mentorlus@example.ee>") and not mailer.was_sent("<9.mentorlus@example.ee>")
    assert len(fake_google.sent()) == 3
