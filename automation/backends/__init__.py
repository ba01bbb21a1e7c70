"""Backends implement the ports; `build_backends` picks them from the config.

    backends = build_backends(config, environ=os.environ)
    backends.mailer.send(message)
"""

from __future__ import annotations

import os
import time
from typing import Callable, Mapping

from automation.config import Config
from automation.ports import Backends


def build_backends(config: Config, environ: Mapping[str, str] | None = None, sleep: Callable[[float], None] = time.sleep) -> Backends:
    environ = os.environ if environ is None else environ
    if config.backend.kind == "google":
        from automation.backends.google import google_backends

        backends = google_backends(config, environ, sleep)
    else:
        from automation.backends.local import local_backends

        backends = local_backends(config.workspace, config.programme.timezone)
    if config.mail.transport == "smtp":
        from automation.backends.smtp import SmtpMailer

        settings = config.mail.smtp
        ca_file = (config.source.parent / settings.ca_file) if settings.ca_file else None
        mailer = SmtpMailer(settings, environ, sent_copies=config.workspace / "sent", per_second=config.mail.per_second, sleep=sleep, ca_file=ca_file)
        backends.mailer = mailer
        backends.on_close.append(mailer.close)
    return backends
