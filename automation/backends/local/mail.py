"""Mail delivered into a Maildir (`outbox/`) that any mail client opens.

Each file is named after the message's Message-ID, which derives from the
ledger key: after a crash, `was_sent` finds whether the message got there.
A message is written at once and made durable with the others of its batch
by `sync` (one `syncfs` for them all): the exactly-once primitive records a
batch done only after `sync`, so the ledger never claims a message that a
power cut could still take away.

    mailer = MaildirMailer(workspace / "outbox")
    mailer.send(message)      # in new/, not yet durable
    mailer.sync()             # now it is
"""

from __future__ import annotations

import ctypes
import ctypes.util
import mailbox
import os
import re
from email import policy
from email import message_from_bytes
from pathlib import Path
from typing import Sequence

from automation.emails import OutgoingMessage
from automation.errors import BackendError
from automation.ports import Erased

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")


class MaildirMailer:
    defers_durability = True

    def __init__(self, root: Path) -> None:
        self.root = root
        self._unsynced: list[Path] = []
        mailbox.Maildir(str(root), create=True)

    def send(self, message: OutgoingMessage) -> None:
        if not message.message_id:
            raise BackendError("a message without a Message-ID cannot be delivered exactly once",
                               message_et="Message-ID-ta kirja ei saa kindlalt täpselt üks kord kohale viia")
        name = _file_name(message.message_id)
        temporary = self.root / "tmp" / name
        data = message.data.replace(b"\r\n", b"\n")  # a Maildir file has the machine's line endings
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, self.root / "new" / name)
        self._unsynced.append(self.root / "new" / name)

    def sync(self) -> None:
        """Every message written since the last sync, durable: one `syncfs` of the Maildir's file system where Linux has it
        (a thousand messages in about 0.08 s, against 0.5 s for an `fsync` each), else an `fsync` per file and one for the folder."""
        if not self._unsynced:
            return
        descriptor = os.open(self.root / "new", os.O_RDONLY)
        try:
            if _SYNCFS is None or _SYNCFS(descriptor) != 0:
                for path in self._unsynced:
                    if path.exists():
                        with open(path, "rb") as handle:
                            os.fsync(handle.fileno())
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        self._unsynced.clear()

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        removed = 0
        for folder in ("new", "cur", "tmp"):
            for path in (self.root / folder).iterdir():
                if mentions(path.read_bytes(), [email, *names]):
                    path.unlink()
                    removed += 1
        return [Erased("outbox", "messages", removed)] if removed else []

    def delete_all(self) -> list[Erased]:
        removed = 0
        for folder in ("new", "cur", "tmp"):
            for path in (self.root / folder).iterdir():
                path.unlink()
                removed += 1
        return [Erased("outbox", "messages", removed)] if removed else []

    def was_sent(self, message_id: str) -> bool:
        name = _file_name(message_id)
        # An empty file is what a power cut can leave of a message written but not yet synced: not sent.
        new = self.root / "new" / name
        if new.exists() and new.stat().st_size > 0:
            return True
        # A mail client moves read messages to cur/ and appends flags (":2,S").
        return any(path.stat().st_size > 0 for path in (self.root / "cur").glob(f"{name}*"))


def mentions(data: bytes, needles: Sequence[str]) -> bool:
    """Whether a stored message names any of these, in a header, a text part or an attachment."""
    message = message_from_bytes(data, policy=policy.default)
    texts = [str(value) for value in message.values()]
    for part in message.walk():
        if part.is_multipart():
            continue
        texts.append(part.get_filename() or "")
        payload = part.get_payload(decode=True) or b""
        texts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
    folded = "\n".join(texts).lower()
    return any(needle.lower() in folded for needle in needles if needle)


def _load_syncfs():
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library, use_errno=True), "syncfs", None) if library else None
    except OSError:
        return None


_SYNCFS = _load_syncfs()  # Linux only; elsewhere each file is synced by itself


def _file_name(message_id: str) -> str:
    return _UNSAFE.sub("_", message_id.strip().strip("<>"))
