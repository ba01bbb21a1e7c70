"""Kills real `mentorlus run` processes with SIGKILL at random moments across a whole year, and compares the year with a clean one.

    .venv/bin/python benchmarks/bench_crashes.py                 # `python -m automation run` started afresh each time
    .venv/bin/python benchmarks/bench_crashes.py --mode fork     # forked from a process that has the imports done (as the tests do)

Each day's run is a process of its own; on about half the days it is
killed at a moment drawn uniformly over how long a run has been taking; a
killed run is started again, as cron or systemd would. At the end the
messages (each Message-ID, counted), the calendar, the documents, every tab
and the board's report are compared with a year played without crashes.
Not a test: its figures go into the README.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.years import Kills, killing, play, state_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--chance", type=float, default=0.5, help="of trying to kill a day's run")
    parser.add_argument("--mode", choices=["exec", "fork"], default="exec")
    parser.add_argument("--trials", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        play(root / "clean", participants=args.participants, seed=args.seed)
        clean = state_of(root / "clean" / "workspace")
        for trial in range(args.trials):
            kills = Kills(random.Random(trial), chance=args.chance, mode=args.mode)
            started = time.perf_counter()
            play(root / f"killed{trial}", run_day=killing(kills), participants=args.participants, seed=args.seed)
            differences = state_of(root / f"killed{trial}" / "workspace").differences(clean)
            print(f"trial {trial}: {kills.points} runs killed before they ended ({kills.missed} kills came after the run had ended), "
                  f"{len(clean.messages)} messages, {len(differences)} difference(s) from the clean year, {time.perf_counter() - started:.0f} s")
            for difference in differences[:40]:
                print(f"  {difference}")


if __name__ == "__main__":
    main()
