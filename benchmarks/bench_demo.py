"""Times `mentorlus demo` for a large cohort, counts the messages it writes, and sets the time against the floor
(`bench_floor.py`): only rendering the year's own messages again from their templates and variables, building them
as MIME with the same calendar parts and attachments, and writing them to a Maildir; and, as before the replay, the
lighter floor of as many messages cycling through the templates' samples.

    .venv/bin/python benchmarks/bench_demo.py [--participants 2000] [--seed 1] [--repeat 3]

Each year is played in a process of its own, as cron and `mentorlus demo` play it: a year played after another in
the same process would find the first one's work kept (parsed rows, compiled templates) and be quicker than any
real one. The year and the floors alike run inside `settled_before_work`, as the command runs its work. The years and the two floors are taken in turn, `--repeat` times each, and the middle of each is compared:
on a shared machine a disk's speed moves from one minute to the next, and so do both.

Not a test: its figures go into the README.
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from automation.clock import FixedClock
from automation.demo import run_demo
from automation.environment import Environment
from automation.process import settled_before_work

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_floor import Recorder, floor_seconds, replay_seconds  # noqa: E402


def settle() -> None:
    """Each take starts with nothing of the one before it still to write: the disk's backlog is not its own cost."""
    os.sync()
    time.sleep(2)


def play_one_year(participants: int, seed: int, out: Path) -> None:
    """One year in this process, its messages recorded for the replay; what it did and how long it took, into `out`."""
    with tempfile.TemporaryDirectory() as folder, Recorder() as recorded:
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 11, 28)))
        settle()
        started = time.perf_counter()
        with settled_before_work():  # as `mentorlus demo` plays it
            summary = run_demo(env, Path(folder) / "demo", participants=participants, seed=seed)
        seconds = time.perf_counter() - started
    out.write_bytes(pickle.dumps({
        "seconds": seconds, "days": summary.days, "job_runs": summary.job_runs, "failed_runs": summary.failed_runs,
        "paused_runs": summary.paused_runs, "messages_in_outbox": summary.messages_in_outbox, "messages": recorded.messages,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="years and floors taken in turn, this many of each")
    parser.add_argument("--one-year", type=Path, help=argparse.SUPPRESS)  # the child process: play, write the result here
    args = parser.parse_args()
    if args.one_year:
        play_one_year(args.participants, args.seed, args.one_year)
        return
    years, replays, floors = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "year.pickle"
        for _ in range(args.repeat):
            subprocess.run([sys.executable, __file__, "--participants", str(args.participants), "--seed", str(args.seed),
                            "--one-year", str(result)], check=True)
            year = pickle.loads(result.read_bytes())
            years.append(year["seconds"])
            recorded = Recorder(messages=year["messages"])
            settle()
            with settled_before_work():  # the floors in a process set up as the year's
                replays.append(replay_seconds(recorded))
            settle()
            with settled_before_work():
                floors.append(floor_seconds(year["messages_in_outbox"]))
    seconds, replay, floor = statistics.median(years), statistics.median(replays), statistics.median(floors)

    def each(values: list[float]) -> str:
        return f"the middle of {', '.join(f'{value:.1f}' for value in values)}" if len(values) > 1 else "one take"

    print(f"participants:              {args.participants}")
    print(f"days played:               {year['days']}")
    print(f"job runs:                  {year['job_runs']} ({year['failed_runs']} failed, {year['paused_runs']} paused at the daily sending limit)")
    print(f"messages written:          {year['messages_in_outbox']} ({sum(1 for *_, given in year['messages'] if given.get('calendar'))} with a calendar part)")
    print(f"seconds in all:            {seconds:.1f} ({each(years)})")
    print(f"seconds per 1,000 people:  {seconds / args.participants * 1000:.1f}")
    print(f"floor, the same messages:  {replay:.1f} s (render, MIME, Maildir; {each(replays)})")
    print(f"year ÷ floor:              {seconds / replay:.2f}")
    print(f"floor, as many samples:    {floor:.1f} s (no calendar parts; {each(floors)})")
    print(f"year ÷ that floor:         {seconds / floor:.2f}")


if __name__ == "__main__":
    main()
