"""Where the demo year's time goes: seconds and messages per job, and what is left for the demo's own people.

    .venv/bin/python benchmarks/bench_jobs.py [--participants 300] [--seed 1] [--profile covision]

Each job's runs are timed as the runner runs them (its snapshot reads, its decisions, its effects); the
messages each wrote are counted as the Maildir receives them. Of each job's time, the floor's kind of work
(rendering templates, building MIME, writing and syncing the Maildir: what `bench_floor.py` does) and the
ledger's are timed apart; what is left is the job's own reading, deciding and other effects (documents,
calendar saves, tabs). "the demo itself" is the rest: the simulated coordinators, committee and participants
filling in forms and tabs, and each day's run around its jobs (lock, ledger, catch-up check). `--profile JOB` runs cProfile over that job's runs alone and prints where
they spend it (the profiler slows them down by about half; the shares hold). Not a test: its figures go into
the README.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import automation.commands.runner as runner  # noqa: E402
import automation.jobs.effects as effects_module  # noqa: E402
from automation.backends.local.ledger import SqliteLedger  # noqa: E402
from automation.backends.local.mail import MaildirMailer  # noqa: E402
from automation.emails import TemplateLibrary  # noqa: E402
from automation.clock import FixedClock  # noqa: E402
from automation.demo import run_demo  # noqa: E402
from automation.environment import Environment  # noqa: E402
from automation.process import settled_before_work  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="", help="a job whose runs to profile")
    args = parser.parse_args()
    profile = cProfile.Profile()

    seconds, messages, runs, current = Counter(), Counter(), Counter(), [""]
    run_one, send = runner._run_one, MaildirMailer.send

    def timed(context, name):
        current[0] = name
        started = time.perf_counter()
        if name == args.profile:
            profile.enable()
        try:
            return run_one(context, name)
        finally:
            if name == args.profile:
                profile.disable()
            seconds[name] += time.perf_counter() - started
            runs[name] += 1
            current[0] = ""

    def counted(self, message):
        messages[current[0]] += 1
        return send(self, message)

    # Measuring only: the runner and the Maildir are wrapped, nothing else changes.
    runner._run_one, MaildirMailer.send = timed, counted
    parts: dict[str, Counter] = {"floor": Counter(), "ledger": Counter()}
    inside = [False]  # time spent in a wrapped function is its own part's, not counted twice when they nest

    def part_of(owner, attribute: str, part: str) -> None:
        function = getattr(owner, attribute)

        def wrapped(*given, **named):
            if inside[0]:
                return function(*given, **named)
            inside[0], started = True, time.perf_counter()
            try:
                return function(*given, **named)
            finally:
                parts[part][current[0]] += time.perf_counter() - started
                inside[0] = False

        setattr(owner, attribute, wrapped)

    part_of(TemplateLibrary, "render", "floor")
    part_of(effects_module, "compose", "floor")
    part_of(MaildirMailer, "send", "floor")
    part_of(MaildirMailer, "sync", "floor")
    for method in ("state", "record_intent", "record_intents", "record_done", "record_all_done", "record_decision", "keys_with_prefix",
                   "read_state", "states_with_prefix", "record_job_run", "last_day", "pending", "abandon", "lock"):
        part_of(SqliteLedger, method, "ledger")
    with tempfile.TemporaryDirectory() as folder:
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 11, 28)))
        started = time.perf_counter()
        with settled_before_work():  # as `mentorlus demo` plays it
            run_demo(env, Path(folder) / "demo", participants=args.participants, seed=args.seed)
        total = time.perf_counter() - started
    floor, ledger = parts["floor"], parts["ledger"]
    print("| job | runs | seconds | messages | ms per message | render, MIME, Maildir | ledger | the job's own |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, spent in seconds.most_common():
        per = f"{spent / messages[name] * 1000:.2f}" if messages[name] else "-"
        print(f"| {name} | {runs[name]} | {spent:.2f} | {messages[name]:,} | {per} | {floor[name]:.2f} | {ledger[name]:.2f} | "
              f"{spent - floor[name] - ledger[name]:.2f} |")
    around = total - sum(seconds.values())
    print(f"| the demo itself | | {around:.2f} | {messages['']:,} | | {floor['']:.2f} | {ledger['']:.2f} | {around - floor[''] - ledger['']:.2f} |")
    all_floor, all_ledger = sum(floor.values()), sum(ledger.values())
    print(f"| the year | | {total:.2f} | {sum(messages.values()):,} | {total / max(sum(messages.values()), 1) * 1000:.2f} | "
          f"{all_floor:.2f} | {all_ledger:.2f} | {total - all_floor - all_ledger:.2f} |")
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(r"automation", 30)


if __name__ == "__main__":
    main()
