"""The one object that carries what a command needs from outside: streams, environment, clock, backends.

    env = Environment(stdout=io.StringIO(), clock=FixedClock.on(date(2026, 10, 5)))
    status = main(["--config", "program.toml", "run"], env)

Tests build their own; the CLI builds the default one.
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, TextIO

from automation.backends import build_backends
from automation.clock import Clock, FixedClock, SystemClock
from automation.config import Config, resolved
from automation.emails import TemplateLibrary
from automation.jobs.base import JobContext
from automation.jobs.effects import Report, StopSignal
from automation.ports import Backends


@dataclass
class Environment:
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    clock: Clock | None = None
    backends_factory: Callable[[Config], Backends] | None = None  # default: build_backends with this environment
    sleep: Callable[[float], None] = time.sleep
    stdout_isatty: bool | None = None
    stop: StopSignal = field(default_factory=StopSignal)  # the CLI's signal handlers set it
    program: str = "mentorlus"  # how the tool was started, as a person would type it again (see `command_for`)

    @property
    def interactive(self) -> bool:
        if self.stdout_isatty is not None:
            return self.stdout_isatty
        return hasattr(self.stdout, "isatty") and self.stdout.isatty()

    def backends_for(self, config: Config) -> Backends:
        if self.backends_factory is not None:
            return self.backends_factory(config)
        return build_backends(config, environ=self.environ, sleep=self.sleep)

    def clock_for(self, config: Config, today=None) -> Clock:
        if today is not None:
            return FixedClock.on(today, config.programme.timezone)
        return self.clock or SystemClock(config.programme.timezone)

    def command_for(self, config: Config) -> str:
        """The command that runs the tool on this config, as it would be typed on this machine."""
        return f"{self.program} --config {shlex.quote(str(resolved(config.source)))}"

    def job_context(self, config: Config, *, clock: Clock, dry_run: bool = False, verbose: bool = False, backends: Backends | None = None) -> JobContext:
        return JobContext(
            config=config,
            clock=clock,
            backends=backends or self.backends_for(config),
            templates=TemplateLibrary(config.templates_dir),
            report=Report(self.stdout, verbose=verbose),
            dry_run=dry_run,
            stop=self.stop,
            command=self.command_for(config),
        )
