"""Credentials for Google: a service account acting as the programme's account, or an installed-app OAuth login.

    credentials = credentials_for(config, environ)     # None with an emulator endpoint (anonymous)
    login(config)                                       # `mentorlus auth`: browser login, token saved 0600

The token lives outside the repository (google.token_file, default ~/.config/mentorlus/token.json).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from automation.backends.google.api import SCOPES
from automation.config import Config
from automation.errors import ConfigError

ENDPOINT_VARIABLE = "MENTORLUS_GOOGLE_ENDPOINT"


def scopes() -> list[str]:
    return sorted(set(SCOPES.values()))


def endpoint_of(config: Config, environ: Mapping[str, str]) -> str:
    """The environment variable wins over the config: a test or an emulator run needs no config change."""
    return environ.get(ENDPOINT_VARIABLE) or config.google.endpoint


def token_path(config: Config) -> Path:
    return Path(os.path.expanduser(str(config.google.token_file)))


def credentials_for(config: Config, environ: Mapping[str, str]) -> Any:
    if endpoint_of(config, environ):
        return None  # another server (an emulator) speaks for Google: anonymous
    google = config.google
    if google.auth == "oauth":
        path = token_path(config)
        if not path.exists():
            raise ConfigError(f"there is no Google login token at {path}", hint="run `mentorlus auth` once, on a computer with a browser",
                              message_et=f"Google'i sisselogimise tõendit pole asukohas {path}", hint_et="käivita üks kord `mentorlus auth` brauseriga arvutis")
        from google.oauth2.credentials import Credentials

        return Credentials.from_authorized_user_file(str(path), scopes())
    key_file = google.service_account_file or environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if not key_file:
        raise ConfigError("no service account key is configured",
                          hint="set google.service_account_file (or GOOGLE_APPLICATION_CREDENTIALS) to the key's path, or use google.auth = \"oauth\" and `mentorlus auth`",
                          message_et="teenusekonto võti pole seadistatud",
                          hint_et="kirjuta google.service_account_file (või GOOGLE_APPLICATION_CREDENTIALS) väärtuseks võtme tee või kasuta google.auth = \"oauth\" ja `mentorlus auth`")
    path = Path(key_file) if Path(key_file).is_absolute() else (config.source.parent / key_file)
    if not path.exists():
        raise ConfigError(f"the service account key {path} does not exist", hint="download a JSON key for the service account (Cloud console > IAM > Service accounts > Keys)",
                          message_et=f"teenusekonto võtit {path} ei ole",
                          hint_et="laadi teenusekonto JSON-võti alla (Cloud console > IAM > Service accounts > Keys)")
    from google.oauth2 import service_account

    try:
        credentials = service_account.Credentials.from_service_account_file(str(path), scopes=scopes())
    except (ValueError, KeyError) as error:
        raise ConfigError(f"{path} is not a service account key: {error}", hint="download a JSON key for the service account",
                          message_et=f"{path} ei ole teenusekonto võti ({error})", hint_et="laadi teenusekonto JSON-võti alla") from None
    # Domain-wide delegation: the service account acts as the programme's sending account.
    return credentials.with_subject(google.subject or config.association.sender_email)


def save_token(token_json: str, path: Path) -> None:
    """Readable by its owner only, written whole."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token_json)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def login(config: Config, *, open_browser: bool = True) -> Path:
    """The installed-app flow: the browser asks the programme's account to allow the scopes; the token is saved."""
    client_file = config.google.oauth_client_file
    if client_file is None:
        raise ConfigError("google.oauth_client_file is not set",
                          hint="create an OAuth client of type 'Desktop app' (Cloud console > APIs & Services > Credentials), download its JSON and give its path",
                          message_et="google.oauth_client_file pole määratud",
                          hint_et="loo OAuth-klient tüübiga 'Desktop app' (Cloud console > APIs & Services > Credentials), laadi selle JSON alla ja kirjuta selle tee")
    path = client_file if client_file.is_absolute() else config.source.parent / client_file
    if not path.exists():
        raise ConfigError(f"the OAuth client file {path} does not exist", hint="download the Desktop app client's JSON from the Cloud console",
                          message_et=f"OAuth-kliendi faili {path} ei ole", hint_et="laadi Desktop app kliendi JSON Cloud console'ist alla")
    try:
        json.loads(path.read_text(encoding="utf-8"))["installed"]
    except (ValueError, KeyError):
        raise ConfigError(f"{path} is not a Desktop app OAuth client", hint="create the client with application type 'Desktop app'",
                          message_et=f"{path} ei ole Desktop app tüüpi OAuth-klient", hint_et="loo klient rakenduse tüübiga 'Desktop app'") from None
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_secrets_file(str(path), scopes())
    credentials = flow.run_local_server(port=0, open_browser=open_browser)
    target = token_path(config)
    save_token(credentials.to_json(), target)
    return target
