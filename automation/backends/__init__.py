"""Backends implement the ports; `build_backends` picks them from the config.

    backends = build_backends(config)
    backends.mailer.send(message)
"""

from __future__ import annotations

from automation.config import Config
from automation.ports import Backends


def build_backends(config: Config) -> Backends:
    from automation.backends.local import local_backends

    # Only the local backend exists so far; config validation refuses any other kind.
    return local_backends(config.workspace)
