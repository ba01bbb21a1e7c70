"""Times `mentorlus demo` for a large cohort, counts the messages it writes, and sets the time against the floor
(`bench_floor.py`): only rendering the year's own messages again from their templates and variables, building them
as MIME with the same calendar parts and attachments, and writing them to a Maildir; and, as before the replay, the
lighter floor of as many messages cycling through the templates' samples.

    .venv/bin/python benchmarks/bench_demo.py [--participants 2000] [--seed 1]

Not a test: its figures go into the README.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from automation.clock import FixedClock
from automation.demo import run_demo
from automation.environment import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_floor import Recorder, floor_seconds, replay_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Recorder() as recorded:
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 11, 28)))
        started = time.perf_counter()
        summary = run_demo(env, Path(folder) / "demo", participants=args.participants, seed=args.seed)
        seconds = time.perf_counter() - started
    print(f"participants:              {args.participants}")
    print(f"days played:               {summary.days}")
    print(f"job runs:                  {summary.job_runs} ({summary.failed_runs} failed, {summary.paused_runs} paused at the daily sending limit)")
    print(f"messages written:          {summary.messages_in_outbox} ({sum(1 for *_, given in recorded.messages if given.get('calendar'))} with a calendar part)")
    print(f"seconds in all:            {seconds:.1f}")
    print(f"seconds per 1,000 people:  {seconds / args.participants * 1000:.1f}")
    # The floors are mostly rendering and writing files, whose time on a shared machine varies from run to run:
    # three of each, taken in turn, and the middle one.
    replays, floors = [], []
    for _ in range(3):
        replays.append(replay_seconds(recorded))
        floors.append(floor_seconds(summary.messages_in_outbox))
    replay, floor = sorted(replays)[1], sorted(floors)[1]
    print(f"floor, the same messages:  {replay:.1f} s (render, MIME, Maildir; the middle of {', '.join(f'{f:.1f}' for f in replays)})")
    print(f"year ÷ floor:              {seconds / replay:.2f}")
    print(f"floor, as many samples:    {floor:.1f} s (no calendar parts; the middle of {', '.join(f'{f:.1f}' for f in floors)})")
    print(f"year ÷ that floor:         {seconds / floor:.2f}")

if __name__ == "__main__":
    main()
