"""Whole programme years for the tests and benchmarks: played cleanly, with failing effects, or with real processes killed.

    summary = play(folder)                                             # the demo's cohort, day by day
    summary = play(folder, run_day=failing(every={"send": 7}), retries=3)
    summary = play(folder, run_day=killing(rng, crashes))             # forked `mentorlus run` processes, SIGKILLed
    assert state_of(folder / "workspace") == state_of(clean / "workspace")

`state_of` is what a year leaves that people see: every message (by
Message-ID, counted), the calendar, the documents, every tab, the report.
"""

from __future__ import annotations

import csv
import email
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from email import policy
from pathlib import Path
from typing import Any, Callable

from automation.cli import main
from automation.clock import FixedClock
from automation.commands.runner import JobOutcome, due_jobs
from automation.config import Config
from automation.demo import DayRunner, DemoSummary, in_process, run_demo
from automation.environment import Environment
from automation.errors import BackendError
from automation.ports import Backends

PARTICIPANTS, SEED = 30, 3
CLOCK = date(2026, 9, 1)  # the demo plays the programme year that starts after this day: 2026/2027
FAILURE_SUBJECT = "Mentorprogramm: töö „"  # the coordinators' notice of a failed job: the only message a fault may add


def environment() -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(CLOCK), sleep=lambda seconds: None)


def play(folder: Path, *, run_day: Callable[[Environment], Callable[[Backends], DayRunner]] | None = None, retries: int = 0,
         participants: int = PARTICIPANTS, seed: int = SEED) -> DemoSummary:
    env = environment()
    return run_demo(env, folder, participants=participants, seed=seed, run_day=run_day(env) if run_day else None, retries=retries)


# ---- what a year leaves behind

@dataclass
class YearState:
    messages: Counter  # Message-ID -> how many times it was delivered
    subjects: dict[str, str]  # Message-ID -> subject, to say which one differs
    calendar: list[dict]
    documents: dict[str, bytes]
    sharing: list[list[str]]
    tabs: dict[str, list[list[str]]]
    report: str
    failure_notices: int = 0

    def differences(self, other: YearState) -> list[str]:
        """What differs from `other`, in words; [] when nothing does."""
        found = []
        for message_id in sorted(set(self.messages) | set(other.messages)):
            if self.messages[message_id] != other.messages[message_id]:
                subject = self.subjects.get(message_id) or other.subjects.get(message_id)
                found.append(f"message {subject!r}: {self.messages[message_id]} here, {other.messages[message_id]} there")
        mine, theirs = {e["uid"]: e for e in self.calendar}, {e["uid"]: e for e in other.calendar}
        found += [f"calendar event {uid}: {mine.get(uid)} here, {theirs.get(uid)} there" for uid in sorted(set(mine) | set(theirs)) if mine.get(uid) != theirs.get(uid)]
        found += [f"document {name}" for name in sorted(set(self.documents) | set(other.documents)) if self.documents.get(name) != other.documents.get(name)]
        if sorted(self.sharing) != sorted(other.sharing):
            found.append("who the documents are shared with")
        found += [f"tab {tab}" for tab in sorted(set(self.tabs) | set(other.tabs)) if self.tabs.get(tab) != other.tabs.get(tab)]
        if self.report != other.report:
            found.append("the board's report")
        return found


def state_of(workspace: Path) -> YearState:
    """What people see; the workspace's own path (in the local agreements' links) left out, so two workspaces compare."""
    messages, subjects, notices = Counter(), {}, 0
    for path in sorted((workspace / "outbox" / "new").iterdir()):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if str(message["Subject"]).startswith(FAILURE_SUBJECT):
            notices += 1
            continue
        messages[str(message["Message-ID"])] += 1
        subjects[str(message["Message-ID"])] = str(message["Subject"])
    calendar = json.loads((workspace / "calendar.json").read_text(encoding="utf-8")) if (workspace / "calendar.json").exists() else []
    for event in calendar:
        event.pop("updated", None)
    drive = workspace / "drive"
    documents = {str(path.relative_to(drive)): path.read_bytes() for path in sorted(drive.rglob("*.html"))}
    sharing = _csv(drive / "sharing.csv") if (drive / "sharing.csv").exists() else []
    here = str(workspace)
    tabs = {f"{path.parent.name}/{path.stem}": [[cell.replace(here, "WORKSPACE") for cell in row] for row in _csv(path)]
            for path in sorted((workspace / "sheets").glob("*/*.csv"))}
    report = (workspace / "report.html").read_text(encoding="utf-8") if (workspace / "report.html").exists() else ""
    return YearState(messages, subjects, calendar, documents, sharing, tabs, report, notices)


def _csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# ---- effects that fail

EFFECTS = {  # kind -> (port, method)
    "send": ("mailer", "send"),
    "calendar": ("calendar", "save_events"),
    "document copy": ("drive", "create_document"),
    "document fill": ("drive", "fill"),
    "document share": ("drive", "share"),
    "sheet write": ("sheets", "write_tab"),
    "report": ("drive", "publish_report"),
}


@dataclass
class Failures:
    """Every `every[kind]`-th call of each kind of effect fails: alternately before it is applied and after."""

    every: dict[str, int]
    calls: Counter = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)

    def wrap(self, backends: Backends) -> Backends:
        methods: dict[str, dict[str, str]] = {}
        for kind, (port, method) in EFFECTS.items():
            if kind in self.every:
                methods.setdefault(port, {})[method] = kind
        return replace(backends, **{port: _Failing(getattr(backends, port), kinds, self) for port, kinds in methods.items()})

    def call(self, kind: str, do: Callable[[], Any]) -> Any:
        self.calls[kind] += 1
        number, every = self.calls[kind], self.every[kind]
        if number % every:
            return do()
        if (number // every) % 2:
            self.failed.append(f"{kind} #{number}, before")
            raise BackendError(f"injected: {kind} #{number} failed before it was applied")
        result = do()
        self.failed.append(f"{kind} #{number}, after")
        raise BackendError(f"injected: {kind} #{number} was applied, then its answer was lost")


class _Failing:
    def __init__(self, target: Any, kinds: dict[str, str], failures: Failures) -> None:
        self._target, self._kinds, self._failures = target, kinds, failures

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        kind = self._kinds.get(name)
        if kind is None:
            return attribute
        return lambda *args, **kwargs: self._failures.call(kind, lambda: attribute(*args, **kwargs))


def failing(failures: Failures) -> Callable[[Environment], Callable[[Backends], DayRunner]]:
    """The day's jobs in process, through backends whose effects fail as `failures` says (people's own edits do not)."""
    return lambda env: lambda backends: in_process(env, failures.wrap(backends))


# ---- real processes, killed

@dataclass
class Kills:
    """SIGKILLs of `mentorlus` processes at random moments; `points`: how many landed before the process ended."""

    rng: random.Random
    chance: float  # of trying to kill a day's run
    mode: str = "fork"  # "fork": a process forked from this one (imports done); "exec": `python -m automation`, started afresh
    points: int = 0
    missed: int = 0
    reruns: int = 0
    durations: list[float] = field(default_factory=list)

    def estimate(self) -> float:
        recent = sorted(self.durations[-30:]) or [0.2]
        return recent[int(len(recent) * 0.9)] * 1.2


def killing(kills: Kills) -> Callable[[Environment], Callable[[Backends], DayRunner]]:
    """Each day, `mentorlus run --today DAY` in a process of its own, killed now and then; killed runs are run again."""

    def make(env: Environment) -> Callable[[Backends], DayRunner]:
        def make_runner(backends: Backends) -> DayRunner:
            def run_day(config: Config, day: date, names: list[str]) -> tuple[list[JobOutcome], Counter]:
                base = ["--config", str(config.source), ]
                due = due_jobs(config, day, backends.ledger)
                commands = [[*base, "run", "--today", day.isoformat()]]
                if names != due:  # a coordinator's own `mentorlus match` that day, before the daily run
                    commands = [[*base, "job", name, "--today", day.isoformat()] for name in names if name not in due] + commands
                outcomes = []
                for argv in commands:
                    status = _run_until_done(kills, argv)
                    outcomes.append(JobOutcome(" ".join(argv[2:4]), status == 0, error=f"exit status {status}"))
                return outcomes, Counter()

            return run_day

        return make_runner

    return make


def _run_until_done(kills: Kills, argv: list[str]) -> int:
    while True:
        kill_after = kills.rng.uniform(0, kills.estimate()) if kills.rng.random() < kills.chance else None
        started = time.monotonic()
        status, killed = _spawn(kills.mode, argv, kill_after)
        if killed:
            kills.points += 1
            kills.reruns += 1
            continue
        if kill_after is not None:
            kills.missed += 1
        kills.durations.append(time.monotonic() - started)
        return status


def _spawn(mode: str, argv: list[str], kill_after: float | None) -> tuple[int, bool]:
    if mode == "exec":
        process = subprocess.Popen([sys.executable, "-m", "automation", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid = process.pid
    else:
        pid = os.fork()
        if pid == 0:  # the child: a real run of the command line, then out without this process's clean-up
            status = 70
            try:
                devnull = open(os.devnull, "w")
                status = int(main(argv, Environment(stdout=devnull, stderr=devnull, environ={})))
            finally:
                os._exit(status)
    deadline = None if kill_after is None else time.monotonic() + kill_after
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return os.waitstatus_to_exitcode(status), False
        if deadline is not None and time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL, True
        time.sleep(0.001)
