"""Times `mentorlus demo` for a large cohort, counts the messages it writes, and sets the time against the floor:
only rendering as many messages, building them as MIME and writing them to a Maildir (`bench_floor.py`).

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
from bench_floor import floor_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(date(2026, 11, 28)))
        started = time.perf_counter()
        summary = run_demo(env, Path(folder) / "demo", participants=args.participants, seed=args.seed)
        seconds = time.perf_counter() - started
    print(f"participants:              {args.participants}")
    print(f"days played:               {summary.days}")
    print(f"job runs:                  {summary.job_runs} ({summary.failed_runs} failed, {summary.paused_runs} paused at the daily sending limit)")
    print(f"messages written:          {summary.messages_in_outbox}")
    print(f"seconds in all:            {seconds:.1f}")
    print(f"seconds per 1,000 people:  {seconds / args.participants * 1000:.1f}")
    # The floor is mostly writing files, whose time on a shared disk varies from run to run: the middle of three.
    floors = sorted(floor_seconds(summary.messages_in_outbox) for _ in range(3))
    floor = floors[1]
    print(f"floor for as many messages: {floor:.1f} s (render, MIME, Maildir; the middle of {', '.join(f'{f:.1f}' for f in floors)})")
    print(f"year ÷ floor:              {seconds / floor:.1f}")


if __name__ == "__main__":
    main()
