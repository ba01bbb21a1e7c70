"""Sending through Gmail, exactly once: one attempt per message, and a search by Message-ID when in doubt.

    mailer = GmailMailer(api, per_second=2.0, sleep=time.sleep)
    mailer.send(message)              # users.messages.send with the raw MIME
    mailer.was_sent("<abc.mentorlus@ekl.ee>")   # after a crash: search rfc822msgid:
"""

from __future__ import annotations

import base64
import logging
import time
from typing import Callable, Iterator, Sequence

from automation.backends.google.api import GoogleApi, GoogleError, OutcomeUnknown, backoff, refused
from automation.emails import OutgoingMessage
from automation.errors import BackendError
from automation.ports import Erased

logger = logging.getLogger(__name__)

TOOL_MESSAGE_ID = ".mentorlus@"  # every Message-ID the tool makes has it (emails.message_id_for)


class GmailMailer:
    def __init__(self, api: GoogleApi, *, per_second: float, sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.api, self.interval, self.sleep, self.monotonic = api, 1.0 / per_second, sleep, monotonic
        self._last_send: float | None = None

    @property
    def _messages(self):
        return self.api.resource("gmail", "v1", "users", "messages")

    def send(self, message: OutgoingMessage) -> None:
        """One message, exactly once: a refusal (429, rate-limit 403) is sent again after the wait Google asks for;
        an unknown outcome (5xx, a dropped connection) is looked up by its Message-ID and sent again only if it is not there."""
        raw = base64.urlsafe_b64encode(message.data).decode("ascii")
        message_id, what = message.message_id, f"sending the email {message.message_id}"
        for attempt in range(self.api.max_retries + 1):
            self._pace()
            try:
                self.api.once(self._messages.send(userId="me", body={"raw": raw}), what=what)
                return
            except GoogleError as error:
                last: BackendError = error
                if refused(error):
                    delay = error.retry_after or backoff(attempt)
                elif error.status >= 500:
                    delay = backoff(attempt)
                else:
                    raise
            except OutcomeUnknown as error:
                last, delay = error, backoff(attempt)
            if attempt == self.api.max_retries:
                raise last
            logger.info("%s: %s; trying again in %.1f s", what, last.message, delay)
            self.sleep(delay)
            if not refused(last) and self.was_sent(message_id):
                return  # it went out before the answer was lost
        raise AssertionError("unreachable")

    def _pace(self) -> None:
        """Stay under Gmail's per-user rate (sending costs 100 of 250 quota units a second)."""
        now = self.monotonic()
        if self._last_send is not None and now - self._last_send < self.interval:
            self.sleep(self.interval - (now - self._last_send))
        self._last_send = self.monotonic()

    defers_durability = False

    def sync(self) -> None:
        """Gmail has each message when `send` returns."""

    def was_sent(self, message_id: str) -> bool:
        query = f"rfc822msgid:{message_id.strip().strip('<>')}"
        found = self.api.idempotent(self._messages.list(userId="me", q=query, includeSpamTrash=True, maxResults=1),
                              what=f"searching the mailbox for {message_id}")
        return bool(found.get("messages"))

    def _search(self, query: str) -> Iterator[str]:
        token = None
        while True:
            page = self.api.idempotent(self._messages.list(userId="me", q=query, pageToken=token, maxResults=500), what=f"searching the mailbox ({query})")
            yield from (item["id"] for item in page.get("messages", []))
            token = page.get("nextPageToken")
            if not token:
                return

    def _trash(self, ids: Sequence[str]) -> None:
        for message_id in ids:
            self.api.idempotent(self._messages.trash(userId="me", id=message_id), what="moving a message to the bin")

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        terms = " ".join([f"to:{email}", f"cc:{email}", f'"{email}"', *(f'"{name}"' for name in names if name)])
        ids = list(self._search(f"in:sent {{{terms}}}"))
        self._trash(ids)
        return [Erased("Gmail", "binned", len(ids))] if ids else []

    def delete_all(self) -> list[Erased]:
        """Retention: the sent messages the tool made (known by their Message-ID), not the account's other mail."""
        ours = []
        for message_id in self._search("in:sent"):
            headers = self.api.idempotent(self._messages.get(userId="me", id=message_id, format="metadata", metadataHeaders=["Message-ID"]),
                                    what="reading a sent message's headers")
            values = [h.get("value", "") for h in headers.get("payload", {}).get("headers", []) if h.get("name", "").lower() == "message-id"]
            if any(TOOL_MESSAGE_ID in value for value in values):
                ours.append(message_id)
        self._trash(ours)
        return [Erased("Gmail", "binned", len(ours))] if ours else []
