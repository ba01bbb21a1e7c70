"""Mail delivered into a Maildir (`outbox/`) that any mail client opens.

Each file is named after the message's Message-ID, which derives from the
ledger key: after a crash, `was_sent` finds whether the message got there.
"""

from __future__ import annotations

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
    def __init__(self, root: Path) -> None:
        self.root = root
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
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / "new" / name)

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
        if (self.root / "new" / name).exists():
            return True
        # A mail client moves read messages to cur/ and appends flags (":2,S").
        return any((self.root / "cur").glob(f"{name}*"))


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


def _file_name(message_id: str) -> str:
    return _UNSAFE.sub("_", message_id.strip().strip("<>"))
