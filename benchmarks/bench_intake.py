"""Intake on rows an attacker writes: 10,000 of them (random Unicode, controls, encoded words, long values, formula starts,
markup, odd numbers and dates) through `mentorlus job intake`, timed; the run must end well with every row accounted for.

    .venv/bin/python benchmarks/bench_intake.py --rows 10000

Not a test: its figure goes into the README.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from automation.cli import ExitStatus, main  # noqa: E402
from automation.clock import FixedClock  # noqa: E402
from automation.environment import Environment  # noqa: E402
from tests.conftest import OPENS  # noqa: E402
from tests.hostile import ADDRESSES, hostile_mentee_row, hostile_programme  # noqa: E402


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        rows = [hostile_mentee_row(rng) for _ in range(args.rows)]
        for number, row in enumerate(rows):
            if number % 3 == 0:
                row[1] = f"osaleja{number}@example.ee"  # most real registrants are different people
        members = [[f"Osaleja {n}", f"osaleja{n}@example.ee", "2026"] for n in range(0, args.rows, 3)] + [["x", a, "2026"] for a in ADDRESSES]
        workspace = hostile_programme(folder, rows, members)
        out = io.StringIO()
        started = time.perf_counter()
        status = main(["--config", str(folder / "program.toml"), "job", "intake"], Environment(stdout=out, stderr=out, environ={}, clock=FixedClock.on(OPENS)))
        seconds = time.perf_counter() - started
        with open(workspace / "sheets" / "koordinaatorid" / "Registreerimised.csv", encoding="utf-8-sig", newline="") as handle:
            tab = list(csv.DictReader(handle))
        sent = len(list((workspace / "outbox" / "new").iterdir()))
    assert status == ExitStatus.OK, out.getvalue()[-2000:]
    print(f"{args.rows} rows: intake {'ok' if status == ExitStatus.OK else 'FAILED'} in {seconds:.1f} s "
          f"({seconds / args.rows * 1000:.2f} s per 1,000 rows); {len(tab)} rows in the tab, {sent} emails")


if __name__ == "__main__":
    main_()
