"""Times the exact matching against the solver alone on the same scores, and against a greedy baseline.

    .venv/bin/python benchmarks/bench_matching.py [--sizes 1000 5000] [--seed 1]

Cohorts are N mentees and N mentors drawn like the demo's: regions, workplaces,
sectors, languages, meeting modes, topics, experience, a fifth of the mentors
offering two places. "solver alone" is scipy's linear_sum_assignment on the very matrix `propose` hands it,
built beforehand and not timed: the ratio is what everything around the solve costs. Not a test: its figures
go into the README.
"""

from __future__ import annotations

import argparse
import random
import time

from automation.demo.cohort import TOPICS, WORKPLACES
import numpy as np
from scipy.optimize import linear_sum_assignment

from automation.domain.matching import IN_PERSON, VIDEO, Person, Rules, Weights, allowed_matrix, assignment_problem, greedy, propose, score_matrix


def cohort(size: int, seed: int) -> tuple[list[Person], list[Person]]:
    rng = random.Random(seed)

    def person(role: str, number: int) -> Person:
        workplace, region, sector = rng.choice(WORKPLACES)
        languages = {"eesti"} | ({"vene"} if rng.random() < 0.2 else set()) | ({"inglise"} if rng.random() < 0.3 else set())
        if rng.random() < 0.05:
            languages = {"inglise"}
        return Person(
            email=f"{role}{number}@example.ee",
            name=f"{role} {number}",
            workplace=workplace.casefold(),
            region=region,
            modes=rng.choice([IN_PERSON, VIDEO, IN_PERSON | VIDEO]),
            languages=frozenset(languages),
            sector=sector,
            topics=frozenset(rng.sample(TOPICS, rng.randint(1, 4 if role == "mentor" else 3))),
            experience_years=rng.randint(5, 25) if role == "mentor" else rng.randint(0, 6),
            capacity=2 if role == "mentor" and rng.random() < 0.2 else 1,
        )

    return [person("mentee", i) for i in range(size)], [person("mentor", i) for i in range(size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("| mentees × mentors | exact: seconds | solver alone: seconds | exact ÷ solver | exact: matched | exact: points | greedy: seconds | greedy: matched | greedy: points |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in args.sizes:
        mentees, mentors = cohort(size, args.seed)
        started = time.perf_counter()
        exact = propose(mentees, mentors)
        exact_seconds = time.perf_counter() - started
        weights, rules = Weights(), Rules()
        places = [min(mentor.capacity, rules.max_mentees_per_mentor) for mentor in mentors]
        value, _ = assignment_problem(score_matrix(mentees, mentors, weights), allowed_matrix(mentees, mentors, rules, set()), places, weights)
        value = np.ascontiguousarray(value)
        started = time.perf_counter()
        linear_sum_assignment(value, maximize=True)
        solver_seconds = time.perf_counter() - started
        started = time.perf_counter()
        baseline = greedy(mentees, mentors)
        greedy_seconds = time.perf_counter() - started
        print(
            f"| {size:,} × {size:,} | {exact_seconds:.1f} | {solver_seconds:.1f} | {exact_seconds / solver_seconds:.2f} | {len(exact.proposals):,} | {exact.total_points:,} "
            f"| {greedy_seconds:.1f} | {len(baseline.proposals):,} | {baseline.total_points:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
