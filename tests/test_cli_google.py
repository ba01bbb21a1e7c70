"""`mentorlus check` and `mentorlus auth` on Google: what is reachable, and what to click when it is not."""

from __future__ import annotations

import json
import stat

import pytest

from automation.backends.google.auth import credentials_for, save_token
from automation.cli import ExitStatus


def test_check_reaches_every_configured_place(google_programme):
    status, out, err = google_programme.run("check")
    assert status == ExitStatus.OK, out + err
    for place in ("Gmail: saatja mentorlus@example.ee", "kalender primary", "Drive: programmi kaust", "Docs: koostöökokkuleppe mall",
                  "tabel 'koordinaatorid'", "tabel 'juhatus'", "tabel 'liikmed'", "vorm „Kohtumiste logi“"):
        assert f"korras: {place}" in out, place


def test_check_names_a_wrong_id_and_its_key(google_programme):
    path = google_programme.config_path
    board = google_programme.config().google.spreadsheets["juhatus"]
    path.write_text(path.read_text(encoding="utf-8").replace(f'juhatus = "{board}"', 'juhatus = "vale-id"'), encoding="utf-8")
    status, out, _ = google_programme.run("check")
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR
    problem = next(line for line in out.splitlines() if line.startswith("probleem: tabel 'juhatus'"))
    assert "google.spreadsheets.juhatus" in problem and "kontrolli seadistusfailis id-d" in out


def test_check_says_when_the_credentials_send_as_another_account(google_programme):
    google_programme.fake.account = "keegi.teine@example.ee"
    status, out, _ = google_programme.run("check")
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "saadavad kirju kontolt keegi.teine@example.ee, mitte association.sender_email kontolt mentorlus@example.ee" in out


def test_the_token_is_readable_only_by_its_owner(tmp_path):
    path = tmp_path / "config" / "mentorlus" / "token.json"
    save_token('{"refresh_token": "x"}', path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text()) == {"refresh_token": "x"}


def test_auth_without_an_oauth_client_says_how_to_make_one(google_programme):
    status, _, err = google_programme.run("auth", "--no-browser")
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "google.oauth_client_file pole määratud" in err and "Desktop app" in err


def test_a_service_account_acts_as_the_sending_account(google_programme, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps({"type": "service_account", "project_id": "ekl", "private_key_id": "1", "private_key": pem,
                                    "client_email": "mentorlus@ekl.iam.gserviceaccount.com", "client_id": "1",
                                    "token_uri": "https://oauth2.googleapis.com/token"}))
    credentials = credentials_for(google_programme.config(), {"GOOGLE_APPLICATION_CREDENTIALS": str(key_file)})
    assert credentials._subject == "mentorlus@example.ee"
    assert "https://www.googleapis.com/auth/gmail.modify" in credentials._scopes


def test_a_missing_service_account_key_says_where_to_get_one(google_programme):
    status, _, err = google_programme.run("check", environ={"MENTORLUS_GOOGLE_ENDPOINT": "", "GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent/key.json"})
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert "teenusekonto võtit /nonexistent/key.json ei ole" in err and "Service accounts > Keys" in err


@pytest.mark.parametrize("method, reason, named", [
    ("calendar.events.list", "insufficientPermissions", ["https://www.googleapis.com/auth/calendar.events", "Manage domain-wide delegation"]),
    ("drive.files.get", "insufficientFilePermissions", ["kontol pole selleks õigust", "jaga fail, kaust või kalender programmi kontoga (Editor)"]),
    ("forms.forms.get", "SERVICE_DISABLED", ["Google Forms API ei ole sisse lülitatud", "APIs & Services > Library"]),
])
def test_check_names_what_google_refused_and_what_to_click(google_programme, method, reason, named):
    """A missing scope, a missing permission, an API not enabled: each named, with where to fix it."""
    google_programme.fake.fail(method, status=403, reason=reason, times=10)
    status, out, _ = google_programme.run("check")
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR
    problems = out[out.index("probleem: "):]  # each problem with its "Kuidas parandada" line
    for words in named:
        assert words in problems
