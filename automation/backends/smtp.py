"""Sending through an SMTP server, for associations not on Gmail; a copy of each message is kept as a Maildir.

    mailer = SmtpMailer(config.mail.smtp, os.environ, sent_copies=workspace / "sent", per_second=2.0)
    mailer.send(message)      # SSL or STARTTLS; the password comes from the variable mail.smtp.password_env

SMTP cannot be asked afterwards whether a message went out, so `was_sent`
looks at the kept copy, written right after the server accepted the message.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from pathlib import Path
from typing import Callable, Mapping, Sequence

from automation.backends.local.mail import MaildirMailer
from automation.config import Smtp
from automation.emails import OutgoingMessage
from automation.errors import BackendError, ConfigError
from automation.ports import Erased

logger = logging.getLogger(__name__)


class SmtpMailer:
    def __init__(self, settings: Smtp, environ: Mapping[str, str], *, sent_copies: Path, per_second: float,
                 sleep: Callable[[float], None] = time.sleep, ca_file: Path | None = None) -> None:
        self.settings, self.environ, self.interval, self.sleep = settings, environ, 1.0 / per_second, sleep
        self.copies = MaildirMailer(sent_copies)
        # The server's certificate is always verified: against the system's authorities, or the configured one.
        self.tls_context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        self._connection: smtplib.SMTP | None = None
        self._last_send: float | None = None

    def _password(self) -> str:
        password = self.environ.get(self.settings.password_env)
        if not password:
            raise ConfigError(f"the SMTP password is not set: the environment variable {self.settings.password_env} is empty",
                              hint=f"export {self.settings.password_env}=... in the cron job's environment (never in the config file)",
                              message_et=f"meiliserveri parool puudub: keskkonnamuutuja {self.settings.password_env} on tühi",
                              hint_et=f"lisa cron'i töö keskkonda export {self.settings.password_env}=... (mitte kunagi seadistusfaili)")
        return password

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        try:
            if settings.security == "ssl":
                connection = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout_seconds, context=self.tls_context)
            else:
                connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
                try:
                    connection.starttls(context=self.tls_context)
                except smtplib.SMTPNotSupportedError:
                    raise BackendError(f"the SMTP server {where} does not offer STARTTLS",
                                       hint="set mail.smtp.security = \"ssl\" (usually port 465), or ask the provider for the right port",
                                       message_et=f"meiliserver {where} ei paku STARTTLS-i",
                                       hint_et="kirjuta mail.smtp.security = \"ssl\" (tavaliselt port 465) või küsi teenusepakkujalt õiget porti") from None
            if settings.username:
                connection.login(settings.username, self._password())
        except smtplib.SMTPAuthenticationError:
            raise BackendError(f"the SMTP server {where} refused the login of {settings.username}",
                               hint=f"check mail.smtp.username and the password in {settings.password_env}",
                               message_et=f"meiliserver {where} ei lubanud kasutajal {settings.username} sisse logida",
                               hint_et=f"kontrolli kasutajanime (mail.smtp.username) ja parooli keskkonnamuutujas {settings.password_env}") from None
        except smtplib.SMTPNotSupportedError:
            raise BackendError(f"the SMTP server {where} does not offer a login (AUTH)",
                               hint="leave mail.smtp.username empty if the server takes mail without one, or check the port",
                               message_et=f"meiliserver {where} ei paku sisselogimist (AUTH)",
                               hint_et="jäta mail.smtp.username tühjaks, kui server võtab kirju vastu ka ilma, või kontrolli porti") from None
        except (smtplib.SMTPException, OSError) as error:
            raise BackendError(f"could not connect to the SMTP server {where}: {error}",
                               hint="check mail.smtp.host, port and security; the next run tries again",
                               message_et=f"meiliserveriga {where} ei õnnestunud ühendust saada",
                               hint_et="kontrolli seadistusfailis mail.smtp aadressi, porti ja turvaviisi; järgmine käivitus proovib uuesti") from None
        self._connection = connection
        return connection

    def send(self, message: OutgoingMessage) -> None:
        now = time.monotonic()
        if self._last_send is not None and now - self._last_send < self.interval:
            self.sleep(self.interval - (now - self._last_send))
        try:
            # The envelope is ours, never read from the headers: exactly the intended recipients.
            refused = self._connect().sendmail(message.sender, list(message.recipients), message.data)
        except smtplib.SMTPRecipientsRefused as error:
            raise BackendError(f"the SMTP server refused every recipient of {message.message_id}: {', '.join(error.recipients)}",
                               hint="check the addresses in the sheet",
                               message_et=f"meiliserver keeldus kirja {message.message_id} kõigist saajatest: {', '.join(error.recipients)}",
                               hint_et="kontrolli tabelis olevaid aadresse") from None
        except (smtplib.SMTPException, OSError) as error:
            self._connection = None
            raise BackendError(f"sending {message.message_id} through SMTP failed: {error}", hint="the next run tries again",
                               message_et="kirja saatmine meiliserveri kaudu ebaõnnestus", hint_et="järgmine käivitus proovib uuesti") from None
        finally:
            self._last_send = time.monotonic()
        if refused:
            logger.warning("the SMTP server refused %s for %s", ", ".join(refused), message.message_id)
        self.copies.send(message)
        self.copies.sync()  # the server has it: the copy that proves it is kept at once

    defers_durability = False

    def sync(self) -> None:
        """Each message is on the server, and its copy on disk, when `send` returns."""

    def was_sent(self, message_id: str) -> bool:
        return self.copies.was_sent(message_id)

    def forget(self, email: str, names: Sequence[str]) -> list[Erased]:
        return self.copies.forget(email, names)

    def delete_all(self) -> list[Erased]:
        return self.copies.delete_all()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._connection = None
