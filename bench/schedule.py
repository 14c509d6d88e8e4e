"""`make bench-schedule`: "Schedule all" on a large session, against an upper bound and a first-fit baseline.

    .venv/bin/python -m bench.schedule [--seed N]

Generates (fixed seed) one day of 16 slots at 60 tables, 300 host and 40 delegation organizations of one or two
people each, and 2,000 accepted requests between them with random availability, then solves it. The last line
printed is `placed=<n> bound=<n> placed_vs_bound=<ratio> greedy_vs_bound=<ratio> solve_s=<s>
idle_slots_per_person=<x>`.
"""

import argparse
import hashlib
import random
from datetime import datetime, timedelta

from matchmaking.problem import Problem, Request, Slot
from matchmaking.solver import schedule

SLOTS = 16
TABLES = 60
HOSTS = 300
GUESTS = 40
REQUESTS = 2_000
SEED = 1


def generate(seed: int = SEED) -> Problem:
    rng = random.Random(seed)
    start = datetime(2026, 11, 27, 9, 0)
    slots = tuple(
        Slot(
            index,
            "b2b",
            "2026-11-27",
            start + timedelta(minutes=25 * index),
            start + timedelta(minutes=25 * index + 20),
        )
        for index in range(SLOTS)
    )
    people: dict[int, list[int]] = {}
    next_person = 1
    for org in [*range(1, HOSTS + 1), *range(1001, 1001 + GUESTS)]:
        size = rng.choice((1, 2))
        people[org] = list(range(next_person, next_person + size))
        next_person += size

    def window() -> frozenset[int]:
        length = rng.randint(8, SLOTS)
        first = rng.randint(0, SLOTS - length)
        return frozenset(range(first, first + length))

    organization_availability = {org: window() for org in people if rng.random() < 0.6}
    person_availability = {
        person: frozenset(slot for slot in range(SLOTS) if rng.random() > 0.1)
        for members in people.values()
        for person in members
        if rng.random() < 0.5
    }
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < REQUESTS:
        pairs.add((rng.randint(1001, 1000 + GUESTS), rng.randint(1, HOSTS)))
    requests = tuple(
        Request(
            id=number,
            guest_organization=guest,
            host_organization=host,
            guest_people=frozenset(rng.sample(people[guest], rng.randint(1, len(people[guest])))),
            host_people=frozenset(rng.sample(people[host], rng.randint(1, len(people[host])))),
            priority=rng.choice((1, 1, 2, 3)),
            mutual=rng.random() < 0.2,
        )
        for number, (guest, host) in enumerate(sorted(pairs), start=1)
    )
    return Problem(
        slots=slots,
        tables={"b2b": tuple(f"T{number:02d}" for number in range(1, TABLES + 1))},
        requests=requests,
        organization_availability=organization_availability,
        person_availability=person_availability,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args()
    problem = generate(arguments.seed)
    proposal = schedule(problem)
    stats = proposal.stats
    reasons: dict[str, int] = {}
    for item in proposal.left_out:
        reasons[item.reason.value] = reasons.get(item.reason.value, 0) + 1
    print(f"requests={len(problem.requests)} tables={TABLES} slots={SLOTS} seed={arguments.seed}")
    decided = (proposal.scheduled, [(item.request, item.reason.value) for item in proposal.left_out])
    fingerprint = hashlib.sha256(repr(decided).encode()).hexdigest()[:12]
    print(f"proposal_sha256={fingerprint} (the same on every run: the engine is deterministic)")
    print(f"weight={stats.weight} greedy_weight={stats.greedy_weight}")
    print(f"greedy_placed={stats.greedy_placed} greedy_idle_slots_per_person={stats.greedy_idle_slots_per_person:.3f}")
    print(f"optimal={stats.optimal} table_changes={stats.table_changes} left_out={dict(sorted(reasons.items()))}")
    print(
        f"placed={stats.placed} bound={stats.bound} placed_vs_bound={stats.placed / stats.bound:.4f} "
        f"greedy_vs_bound={stats.greedy_placed / stats.bound:.4f} solve_s={stats.solve_seconds:.2f} "
        f"idle_slots_per_person={stats.idle_slots_per_person:.3f}"
    )


if __name__ == "__main__":
    main()
