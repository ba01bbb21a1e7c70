"""Google's faults: dropped connections after a send, 429 with Retry-After, 5xx; nothing sent twice or lost."""

from __future__ import annotations

import base64
from collections import Counter
from datetime import date
from email import message_from_bytes, policy

from automation.cli import ExitStatus
from tests.conftest import mentee_row, mentor_row

INTAKE_DAY = date(2026, 10, 8)
SEND = "gmail.users.messages.send"


def message_id(body: dict) -> str:
    raw = base64.urlsafe_b64decode(body["raw"] + "=" * (-len(body["raw"]) % 4))
    return str(message_from_bytes(raw, policy=policy.default)["Message-ID"])


def subject(body: dict) -> str:
    raw = base64.urlsafe_b64decode(body["raw"] + "=" * (-len(body["raw"]) % 4))
    return str(message_from_bytes(raw, policy=policy.default)["Subject"])


def registrants(google_programme) -> list[str]:
    google_programme.write_members([[name, address, "2026"] for name, address in PEOPLE])
    google_programme.submit("mentor", [mentor_row(a, n) for n, a in PEOPLE[:3]])
    google_programme.submit("mentee", [mentee_row(a, n) for n, a in PEOPLE[3:]])
    return [address for _, address in PEOPLE]


PEOPLE = [("Mari Tamm", "mari.tamm@example.ee"), ("Jüri Õunapuu", "juri.ounapuu@example.ee"), ("Külli Sääsk", "kulli.saask@example.ee"),
          ("Tõnu Kask", "tonu.kask@example.ee"), ("Žanna Põder", "zanna.poder@example.ee"), ("Ülo Mänd", "ulo.mand@example.ee")]


def test_a_connection_dropped_after_every_send_is_looked_up_in_the_same_run_and_each_message_goes_once(google_programme):
    people = registrants(google_programme)
    fake = google_programme.fake
    dropped: list[str] = []

    def first_time(body: dict) -> bool:
        if message_id(body) in dropped:
            return False
        dropped.append(message_id(body))
        return True

    fake.drop_after_write(SEND, when=first_time, times=100)
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.OK, out + err
    assert len(dropped) == len(people) + 1  # every acknowledgement and the digest was cut off once
    sent = fake.sent()
    ids = Counter(m["headers"]["message-id"] for m in sent)
    assert max(ids.values()) == 1, "a message went out twice"
    assert set(dropped) == set(ids), "a dropped message was never delivered"
    # Each one was found by its Message-ID, not sent again.
    assert fake.request_counts()[SEND] == len(dropped)
    assert fake.request_counts()["gmail.users.messages.list"] >= len(dropped)


def test_a_send_refused_with_429_waits_as_google_asks_and_goes_once(google_programme):
    people = registrants(google_programme)
    fake = google_programme.fake
    fake.fail(SEND, status=429, retry_after=9, times=2)
    fake.fail(SEND, status=403, times=1, reason="userRateLimitExceeded")
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.OK, out + err
    assert google_programme.sleeps.count(9.0) == 2
    ids = Counter(m["headers"]["message-id"] for m in fake.sent())
    assert len(ids) == len(people) + 1 and max(ids.values()) == 1
    # A refused send was not applied, so nothing was looked up: it was simply sent again.
    assert fake.request_counts()["gmail.users.messages.list"] == 0


def test_rate_limits_and_server_errors_on_reads_are_retried_after_the_time_google_asks(google_programme):
    registrants(google_programme)
    fake = google_programme.fake
    fake.fail("forms.forms.responses.list", status=429, retry_after=7, times=2)
    fake.fail("sheets.spreadsheets.values.batchGet", status=503, times=1)
    fake.fail("forms.forms.get", status=500, times=1)
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.OK, out + err
    waits = [seconds for seconds in google_programme.sleeps if seconds >= 0.4]
    assert waits.count(7.0) == 2  # as Retry-After said
    assert len(waits) == 4 and all(0.5 <= w <= 1.0 for w in waits if w != 7.0)  # 5xx: a short backoff first
    assert all(f.times == 0 for f in fake.faults)


def test_a_send_answered_500_is_looked_up_and_sent_again_only_if_it_is_not_there(google_programme):
    registrants(google_programme)
    fake = google_programme.fake
    fake.fail(SEND, status=500, times=1)  # refused before applying: not there, so sent again
    fake.drop_after_write(SEND, times=1)  # applied, answer lost: there, so not sent again
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.OK, out + err
    ids = Counter(m["headers"]["message-id"] for m in fake.sent())
    assert max(ids.values()) == 1 and len(ids) == 7


def test_a_send_that_keeps_failing_fails_the_job_and_the_next_run_sends_it_once(google_programme):
    registrants(google_programme)
    fake = google_programme.fake
    fake.fail(SEND, status=503, times=6)  # the first message's every attempt
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.JOB_FAILED
    assert "Google'i teenus oli ajutiselt häiritud (503)" in err
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.OK, out + err
    ids = Counter(m["headers"]["message-id"] for m in fake.sent())
    assert max(ids.values()) == 1 and len(ids) == 8  # seven, and the coordinators' notice of the failure


def test_reads_give_up_after_the_configured_retries_with_a_clear_message(google_programme):
    registrants(google_programme)
    google_programme.fake.fail("forms.forms.responses.list", status=503, times=50)
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.JOB_FAILED
    assert "Google'i teenus oli ajutiselt häiritud (503)" in err and "Kuidas parandada" in err
    assert len([s for s in google_programme.sleeps if s >= 0.4]) == google_programme.config().google.max_retries


def test_the_daily_sending_limit_pauses_the_job_and_the_next_day_continues(google_programme):
    people = registrants(google_programme)
    path = google_programme.config_path
    path.write_text(path.read_text(encoding="utf-8").replace("per_second = 1000", "per_second = 1000\ndaily_limit = 4"), encoding="utf-8")
    status, out, err = google_programme.run("job", "intake", today=INTAKE_DAY)
    assert status == ExitStatus.OK, out + err
    assert "intake: pausil: päeva saatmispiir on täis (4 kirja, mail.daily_limit = 4)" in out
    assert len(google_programme.fake.sent()) == 4
    status, out, err = google_programme.run("job", "intake", today=date(2026, 10, 9))
    assert status == ExitStatus.OK and "pausil" not in out
    sent = google_programme.fake.sent()
    assert len(sent) == len(people) + 1
    assert max(Counter(m["headers"]["message-id"] for m in sent).values()) == 1
