"""Counts the HTTP requests each job makes on Google, against the fake Workspace the tests use, for a cohort.

    .venv/bin/python benchmarks/bench_google_requests.py --participants 100
    .venv/bin/python benchmarks/bench_google_requests.py --participants 2000

Beside each job's count stands the least it could need, counted by the fake from
what the requests were about: one request per email sent, per calendar event
written, per sheet tab and per form it read or wrote in a run, per document
copied, filled in or shared, per file uploaded and per chart drawn. Reading a
form's questions, finding a file or a tab's id are not in it: once known, a
run needs none of them. Not a test: its figures go into the README.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from automation import jobs  # noqa: E402
from tests.fake_workspace import FakeWorkspace, play_demo_on  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    requests: Counter = Counter()
    minimum: Counter = Counter()
    runs: Counter = Counter()
    by_method: dict[str, Counter] = defaultdict(Counter)

    with FakeWorkspace() as fake, tempfile.TemporaryDirectory() as folder:
        def counted(name, run):
            def run_and_count(context):
                first_request, first_touch = len(fake.requests), len(fake.touched)
                try:
                    return run(context)
                finally:
                    runs[name] += 1
                    made = fake.requests[first_request:]
                    requests[name] += len(made)
                    by_method[name].update(method for method, _ in made)
                    minimum[name] += len(set(fake.touched[first_touch:]))
            return run_and_count

        for name, job in list(jobs.JOBS.items()):
            jobs.JOBS[name] = dataclasses.replace(job, run=counted(name, job.run))
        started = time.perf_counter()
        summary = play_demo_on(fake, Path(folder) / "demo", participants=args.participants, seed=args.seed)
        seconds = time.perf_counter() - started
        setup = sum(1 for _ in fake.requests) - sum(requests.values())

    print(f"participants {args.participants}: {summary.job_runs} job runs ({summary.failed_runs} failed, {summary.paused_runs} paused), "
          f"{len(fake.sent())} emails, {sum(requests.values())} requests by jobs, {setup} by setup and the demo's people, {seconds:.0f} s")
    print(f"{'job':<20} {'runs':>5} {'requests':>9} {'minimum':>8} {'ratio':>6}  most frequent")
    for name in jobs.JOBS:
        if runs[name]:
            top = ", ".join(f"{method.split('.', 1)[-1]} {count}" for method, count in by_method[name].most_common(6))
            ratio = requests[name] / minimum[name] if minimum[name] else float("nan")
            print(f"{name:<20} {runs[name]:>5} {requests[name]:>9} {minimum[name]:>8} {ratio:>6.2f}  {top}")


if __name__ == "__main__":
    main()
