"""The one door to Google's APIs: a transport that never retries on its own, and calls that retry only what is safe.

    api = GoogleApi(credentials, endpoint="", max_retries=5, timeout=60, sleep=time.sleep)
    sheets = api.service("sheets", "v4")
    values = api.idempotent(sheets.spreadsheets().values().batchGet(...), what="the coordinators' sheet")
    api.once(gmail.users().messages().send(userId="me", body=...), what="an email")  # never retried

httplib2, the client's default transport, sends a request again by itself when
a connection drops before the answer, which would send an email twice; this
transport (requests, no retries) leaves every decision to `read` and `write`.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

import httplib2
import requests
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from automation.errors import BackendError

logger = logging.getLogger(__name__)

SCOPES = {
    "gmail": "https://www.googleapis.com/auth/gmail.modify",
    "calendar": "https://www.googleapis.com/auth/calendar.events",
    "sheets": "https://www.googleapis.com/auth/spreadsheets",
    "drive": "https://www.googleapis.com/auth/drive",
    "forms": "https://www.googleapis.com/auth/forms.body",
    "forms_responses": "https://www.googleapis.com/auth/forms.responses.readonly",
    "docs": "https://www.googleapis.com/auth/documents",
}
API_NAMES = {"gmail": "Gmail API", "calendar": "Google Calendar API", "sheets": "Google Sheets API",
             "drive": "Google Drive API", "forms": "Google Forms API", "docs": "Google Docs API"}
RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
MAX_BACKOFF_SECONDS = 64.0


class GoogleError(BackendError):
    """Google answered with an error; `status` and `reasons` say which, `retry_after` how long it asked to wait."""

    def __init__(self, message: str, *, hint: str, status: int, reasons: set[str], retry_after: float | None = None,
                 message_et: str = "", hint_et: str = "") -> None:
        super().__init__(message, hint=hint, message_et=message_et, hint_et=hint_et)
        self.status, self.reasons, self.retry_after = status, reasons, retry_after


def refused(error: Exception) -> bool:
    """Google refused the request without doing it (too many requests): sending it again is safe."""
    return isinstance(error, GoogleError) and (error.status == 429 or (error.status == 403 and bool(error.reasons & RATE_LIMIT_REASONS)))


class OutcomeUnknown(BackendError):
    """The request may or may not have taken effect (the connection dropped before the answer)."""


class Transport:
    """What googleapiclient needs of httplib2.Http, on requests: credentials added, nothing retried."""

    def __init__(self, credentials: Any, timeout: float) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self.session = requests.Session()
        self.requests_made: Counter = Counter()
        self.endpoint = ""  # an emulator's root (GoogleApi sets it): its scheme wins over the client's https for uploads
        if credentials is not None:
            from google.auth.transport.requests import Request

            self._auth_request = Request(self.session)

    def request(self, uri, method="GET", body=None, headers=None, redirections=5, connection_type=None):
        headers = dict(headers or {})
        if self.endpoint:
            # The client builds upload addresses from Google's https root with only the host replaced.
            wanted, parts = urlsplit(self.endpoint), urlsplit(uri)
            if parts.netloc == wanted.netloc and parts.scheme != wanted.scheme:
                uri = urlunsplit(parts._replace(scheme=wanted.scheme))
        if self.credentials is not None:
            self.credentials.before_request(self._auth_request, method, uri, headers)
        self.requests_made[method] += 1
        response = self.session.request(method, uri, data=body, headers=headers, timeout=self.timeout, allow_redirects=False)
        info = {name.lower(): value for name, value in response.headers.items()}
        info["status"] = str(response.status_code)
        return httplib2.Response(info), response.content

    def close(self) -> None:
        self.session.close()


class GoogleApi:
    def __init__(self, transport: Transport, *, endpoint: str, max_retries: int, sleep: Callable[[float], None] = time.sleep) -> None:
        self.transport, self.endpoint, self.max_retries, self.sleep = transport, endpoint.rstrip("/"), max_retries, sleep
        transport.endpoint = self.endpoint
        self._services: dict[tuple[str, str], Any] = {}
        self._resources: dict[tuple[str, ...], Any] = {}

    def service(self, name: str, version: str) -> Any:
        if (name, version) not in self._services:
            options = None
            if self.endpoint:
                # The root plus the API's own service path, as the real client composes it.
                path = _service_path(name, version)
                options = {"api_endpoint": f"{self.endpoint}/{path}"}
            self._services[(name, version)] = build(
                name, version, http=self.transport, client_options=options, static_discovery=True, cache_discovery=False
            )
        return self._services[(name, version)]

    def resource(self, name: str, version: str, *path: str) -> Any:
        """A resource of an API, e.g. ("sheets", "v4", "spreadsheets", "values"), built once: building one costs milliseconds."""
        key = (name, version, *path)
        if key not in self._resources:
            parent = self.service(name, version) if len(path) == 1 else self.resource(name, version, *path[:-1])
            self._resources[key] = getattr(parent, path[-1])()
        return self._resources[key]

    def idempotent(self, request: Any, *, what: str) -> dict:
        """An idempotent request: 429, 5xx, rate-limit 403s and dropped connections are retried with backoff."""
        for attempt in range(self.max_retries + 1):
            try:
                return request.execute(num_retries=0)
            except HttpError as error:
                status, reasons = error.resp.status, _reasons(error)
                retryable = status == 429 or status >= 500 or (status == 403 and reasons & RATE_LIMIT_REASONS)
                if not retryable or attempt == self.max_retries:
                    raise explain(error, what) from None
                delay = _retry_after(error) or backoff(attempt)
                logger.info("Google answered %s for %s; trying again in %.1f s", status, what, delay)
            except (requests.ConnectionError, requests.Timeout) as error:
                if attempt == self.max_retries:
                    raise BackendError(f"could not reach Google for {what}: {error}", hint="check the network; the next run tries again",
                                       message_et=f"Google'iga ei õnnestunud ühendust saada ({what})",
                                       hint_et="kontrolli võrguühendust; järgmine käivitus proovib uuesti") from None
                delay = backoff(attempt)
                logger.info("connection lost during %s; trying again in %.1f s", what, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def idempotent_batch(self, name: str, version: str, requests: list[Any], *, what: str) -> list[dict]:
        """Several repeatable requests of one API in one HTTP request; those Google answers 429 or 5xx go again."""
        from googleapiclient.http import BatchHttpRequest

        document = json.loads(_static_document(name, version))
        # The client's own batch address ignores client_options, so it is built here: the same root as every request.
        root = f"{self.endpoint}/" if self.endpoint else document["rootUrl"]
        results: dict[int, dict] = {}
        pending = dict(enumerate(requests))
        for attempt in range(self.max_retries + 1):
            failures: dict[int, HttpError] = {}

            def collect(request_id: str, response: dict, error: Exception | None) -> None:
                if error is None:
                    results[int(request_id)] = response
                else:
                    failures[int(request_id)] = error

            batch = BatchHttpRequest(callback=collect, batch_uri=root + document.get("batchPath", "batch"))
            for number, request in pending.items():
                batch.add(request, request_id=str(number))
            self.idempotent(_Executes(batch), what=what)
            retryable = {n: e for n, e in failures.items() if isinstance(e, HttpError) and (e.resp.status == 429 or e.resp.status >= 500)}
            final = {n: e for n, e in failures.items() if n not in retryable}
            if final:
                error = next(iter(final.values()))
                raise explain(error, what) if isinstance(error, HttpError) else BackendError(f"{what}: {error}", message_et=f"Google'i päring ebaõnnestus ({what}): {error}")
            if not retryable:
                return [results[n] for n in sorted(results)]
            if attempt == self.max_retries:
                raise explain(next(iter(retryable.values())), what)
            pending = {n: pending[n] for n in retryable}
            self.sleep(backoff(attempt))
        raise AssertionError("unreachable")

    def once(self, request: Any, *, what: str) -> dict:
        """A request that must not be repeated blindly: one attempt, and an unknown outcome said as such."""
        try:
            return request.execute(num_retries=0)
        except HttpError as error:
            raise explain(error, what) from None
        except (requests.ConnectionError, requests.Timeout) as error:
            raise OutcomeUnknown(
                f"the connection to Google dropped during {what}; it may or may not have happened ({type(error).__name__})",
                hint="run again: the tool checks what happened before doing it again",
            ) from None


class _Executes:
    """A batch, executed the way `idempotent` executes a single request."""

    def __init__(self, batch: Any) -> None:
        self.batch = batch

    def execute(self, num_retries: int = 0) -> dict:
        self.batch.execute()
        return {}


def _static_document(name: str, version: str) -> str:
    from googleapiclient.discovery_cache import get_static_doc

    return get_static_doc(name, version)


def _service_path(name: str, version: str) -> str:
    return json.loads(_static_document(name, version)).get("servicePath", "")


def _reasons(error: HttpError) -> set[str]:
    try:
        body = json.loads(error.content.decode("utf-8"))["error"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()
    reasons = {item.get("reason", "") for item in body.get("errors", [])}
    reasons |= {detail.get("reason", "") for detail in body.get("details", []) if isinstance(detail, dict)}
    reasons.add(body.get("status", ""))
    return reasons - {""}


def _message(error: HttpError) -> str:
    try:
        return json.loads(error.content.decode("utf-8"))["error"]["message"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return error.content.decode("utf-8", errors="replace")[:200]


def _retry_after(error: HttpError) -> float | None:
    value = error.resp.get("retry-after")
    try:
        return min(float(value), MAX_BACKOFF_SECONDS) if value is not None else None
    except ValueError:
        return None


def backoff(attempt: int) -> float:
    return min(2.0**attempt, MAX_BACKOFF_SECONDS) * (0.5 + random.random() / 2)


def explain(failure: HttpError, what: str) -> GoogleError:
    """Google's answer in words an administrator can act on: which scope, permission or id; in Estonian and English."""
    status, reasons, message = failure.resp.status, _reasons(failure), _message(failure)
    api = next((key for key in API_NAMES if f"/{key}" in str(failure.uri) or f"{key}." in str(failure.uri)), "")

    def error(text: str, *, hint: str, text_et: str, hint_et: str) -> GoogleError:
        return GoogleError(text, hint=hint, status=status, reasons=reasons, retry_after=_retry_after(failure),
                           message_et=f"{text_et} ({what})", hint_et=hint_et)

    if status == 401:
        return error(f"Google refused the credentials for {what}: {message}",
                     hint="for OAuth, run `mentorlus auth` again; for a service account, check the key file and that the account is not disabled",
                     text_et="Google ei tunnistanud programmi konto volitusi",
                     hint_et="OAuthi puhul käivita uuesti `mentorlus auth`; teenusekonto puhul kontrolli võtmefaili ja et konto pole välja lülitatud")
    if status == 403 and reasons & {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}:
        scope = SCOPES.get(api, "the scopes listed in the README")
        return error(f"the credentials lack a scope needed for {what}: {message}",
                     hint=f"add {scope} to the service account's domain-wide delegation (Admin console > Security > Access and data control > "
                          "API controls > Manage domain-wide delegation), or run `mentorlus auth` again",
                     text_et="volitustel puudub vajalik õiguste ulatus (scope)",
                     hint_et=f"lisa {scope} teenusekonto domeeniülesesse delegeerimisse (Admin console > Security > Access and data control > "
                             "API controls > Manage domain-wide delegation) või käivita uuesti `mentorlus auth`")
    if status == 403 and reasons & {"accessNotConfigured", "SERVICE_DISABLED"}:
        name = API_NAMES.get(api, "API")
        return error(f"the {name} is not enabled for {what}: {message}",
                     hint="enable it in the Google Cloud console of the project that owns the credentials (APIs & Services > Library)",
                     text_et=f"{name} ei ole sisse lülitatud",
                     hint_et="lülita see sisse volitustele kuuluva projekti Google Cloud console'is (APIs & Services > Library)")
    if status == 403 and reasons & (RATE_LIMIT_REASONS | {"dailyLimitExceeded", "quotaExceeded"}):
        return error(f"Google's quota is spent for {what}: {message}", hint="the next run continues; if it recurs, lower mail.per_second or mail.daily_limit",
                     text_et="Google'i päringute kvoot on täis",
                     hint_et="järgmine käivitus jätkab; kui see kordub, vähenda mail.per_second või mail.daily_limit väärtust")
    if status == 403:
        return error(f"the account has no permission for {what}: {message}",
                     hint="share the file, folder or calendar with the programme's account (Editor), or check that the id belongs to this Workspace",
                     text_et="kontol pole selleks õigust",
                     hint_et="jaga fail, kaust või kalender programmi kontoga (Editor) või kontrolli, et id kuulub selle Workspace'i juurde")
    if status == 404:
        return error(f"Google found nothing for {what}: {message}", hint="check the id in the config, or run `mentorlus setup` to create what is missing",
                     text_et="Google'ist ei leitud vajalikku faili",
                     hint_et="kontrolli seadistusfailis id-d või käivita `mentorlus setup`, mis loob puuduva")
    if status == 429:
        return error(f"Google kept answering 'too many requests' for {what}", hint="the next run continues",
                     text_et="Google palus korduvalt päringuid harvemini teha", hint_et="midagi pole vaja teha: järgmine käivitus jätkab")
    if status >= 500:
        return error(f"Google failed ({status}) for {what}: {message}", hint="a passing fault at Google; the next run tries again",
                     text_et=f"Google'i teenus oli ajutiselt häiritud ({status})", hint_et="midagi pole vaja teha: järgmine käivitus proovib uuesti")
    return error(f"Google refused {what} ({status}): {message}", hint="report this with the run's log (`--debug`)",
                 text_et=f"Google keeldus päringust ({status}: {message})", hint_et="saada tööriista seadistajale see teade ja käivituse logi (`--debug`)")
