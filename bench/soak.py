"""Soak: thousands of random fault schedules against the exactly-once invariants.

The same world and operations as the hypothesis state machine in `tests/check/test_schedules.py`
(`eoslab.check.schedule`): transactional, idempotent and zombie writers, readers of both isolation
levels, the exactly-once pipeline with crashes and new instances, clock advances past the
transaction timeout, coordinator failovers, held and lost requests, markers released out of order
or twice; TV1 and TV2; auto and step pacing. Each schedule is `--steps` operations drawn from its
own seeded RNG, with every invariant checked after every step and the end-of-run checks (read
everything back, replay, the history checker) at the end.

Each schedule ends as one of:
- clean: every invariant held, the history checker says exactly-once;
- documented hole, caught: a late request under TV1 (EndTxn, TxnOffsetCommit, ...: reference
  §3.9) or a marker delivered twice (TV1, and TV2 before KIP-1228: §3.7) decided the wrong
  transaction and broke exactly-once, and the history checker reported it;
- known bug: a broker bug with a strict-xfail reproduction (`KNOWN_BUGS`); the schedule stops;
- violated: an invariant broke, or the cluster raised, with no known explanation (the seed
  reproduces it);
- crashed: the schedule's own code raised (a bug in the checker or the workload).

By default a TV2 producer waits for its last transaction's markers before starting the next, the
wait a correct broker imposes and eoslab does not (the first KNOWN_BUGS entry), so the schedules
explore past it; `--hit-known-bugs` lets them walk into it instead.

Schedules run in worker processes (one per core, `--workers`), in chunks of consecutive seeds;
each schedule depends on its seed alone, so the results are the same as a serial run's, schedule
for schedule (each carries a fingerprint of its operations and of the cluster's journal, which
tests/check/test_soak_parallel.py compares).

Targets: no schedule violated or crashed; >= 10,000 schedules in <= 300 s on two workers.

    python -m bench.soak [--schedules 10000] [--steps 40] [--workers 2] [--seed 0]
                         [--show SEED] [--hit-known-bugs]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

from eoslab.check.schedule import OPERATIONS, WEIGHTS, run_schedule

from . import Target, finish, table

SCHEDULES = 10_000
STEPS = 40
WORKERS = 2
BUDGET_S = 300.0
CHUNK = 250

CLEAN = "clean"
HOLE = "documented hole, caught"
KNOWN_BUG = "known bug"
VIOLATED = "violated"
CRASHED = "crashed"
OUTCOMES = (CLEAN, HOLE, KNOWN_BUG, VIOLATED, CRASHED)

_NAMES = tuple(OPERATIONS)
_WEIGHTS = [WEIGHTS.get(name, 1) for name in _NAMES]


class Result(NamedTuple):
    """One schedule: its seed and configuration, how it ended, the first violation, the trace
    (for a violation or a known bug), and a fingerprint of everything it did."""

    seed: int
    config: str
    outcome: str
    first: str
    trace: list[str]
    fingerprint: str


def fingerprint(world: object) -> str:
    """sha256 over the operations and the cluster's journal (every request and its result)."""
    h = hashlib.sha256()
    for op in world.trace:  # type: ignore[attr-defined]
        h.update(op.encode())
        h.update(b"\n")
    for e in world.cluster.journal:  # type: ignore[attr-defined]
        h.update(f"{e.seq} {e.actor} {e.api} {e.result}\n".encode())
    return h.hexdigest()[:16]


def schedule(seed: int, steps: int, avoid: bool = True) -> Result:
    """Run schedule `seed`, from its own RNG: nothing else it depends on varies."""
    rng = random.Random(seed)

    def choose(what: str, choices: tuple) -> object:
        if what == "operation":
            return rng.choices(_NAMES, _WEIGHTS)[0]
        return rng.choice(choices)

    version, pacing = rng.choice((1, 2)), rng.choice(("auto", "step"))
    config = f"TV{version} {pacing}"
    try:
        world, violations = run_schedule(choose, steps, version, pacing, seed, avoid)
    except Exception:  # the simulator itself failed: report it with the seed
        last = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return Result(seed, config, CRASHED, last, [], "")
    digest = fingerprint(world)
    if violations:
        outcome = KNOWN_BUG if world.known_bug else VIOLATED
        return Result(seed, config, outcome, violations[0], world.trace, digest)
    return Result(seed, config, HOLE if world.hole_effects else CLEAN, "", [], digest)


def _chunk(args: tuple[int, int, int, bool]) -> list[Result]:
    first, count, steps, avoid = args
    return [schedule(seed, steps, avoid) for seed in range(first, first + count)]


def soak(
    schedules: int = SCHEDULES,
    steps: int = STEPS,
    workers: int = WORKERS,
    seed: int = 0,
    avoid: bool = True,
) -> tuple[list[Result], float]:
    """Schedules `seed` .. `seed + schedules - 1`, in seed order, and the seconds they took.

    Chunks of consecutive seeds (at most CHUNK, and at least four per worker) go to `workers`
    processes; results come back in seed order whatever the workers' timing."""
    size = max(1, min(CHUNK, -(-schedules // (4 * max(1, workers)))))
    chunks = [
        (s, min(size, seed + schedules - s), steps, avoid)
        for s in range(seed, seed + schedules, size)
    ]
    start = time.perf_counter()
    if workers <= 1:
        results = [r for c in chunks for r in _chunk(c)]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = [r for rs in pool.map(_chunk, chunks) for r in rs]
    return results, time.perf_counter() - start


def run(
    profile: bool | None = None,
    schedules: int = SCHEDULES,
    steps: int = STEPS,
    workers: int = WORKERS,
    seed: int = 0,
    avoid: bool = True,
) -> list[Target]:
    """Print the soak's counts; `profile` is accepted for `python -m bench` and ignored."""
    print(f"== soak: {schedules:,} random fault schedules of {steps} steps, {workers} workers")
    results, seconds = soak(schedules, steps, workers, seed, avoid)
    by_config: dict[str, Counter[str]] = {}
    for r in results:
        by_config.setdefault(r.config, Counter())[r.outcome] += 1
    total = Counter(r.outcome for r in results)
    rows = [
        [config, sum(c.values()), *(c[o] for o in OUTCOMES)]
        for config, c in sorted(by_config.items())
    ]
    rows.append(["all", len(results), *(total[o] for o in OUTCOMES)])
    print(table(["configuration", "ran", *OUTCOMES], rows))
    bad = total[VIOLATED] + total[CRASHED]
    print(
        f"\n{len(results):,} schedules ran in {seconds:.0f} s ({len(results) / seconds:,.0f}/s, "
        f"{len(results) * steps / seconds:,.0f} steps/s); {bad} violated an invariant or crashed, "
        f"{total[KNOWN_BUG]} hit a known bug, {total[HOLE]} broke exactly-once through a "
        "documented hole and the checker caught it"
    )
    shown = [r for r in results if r.outcome in (VIOLATED, CRASHED)]
    shown += [r for r in results if r.outcome == KNOWN_BUG]
    for r in shown[:5]:
        print(f"  seed {r.seed} ({r.config}, {r.outcome}): {r.first}")
    if shown:
        print("  (python -m bench.soak --show SEED --steps N prints a schedule's operations)")
    return [
        Target(
            "soak, schedules without an unexplained violation",
            (len(results) - bad) / len(results) if results else None,
            1.0,
            at_least=True,
            note=f"{bad} of {len(results):,}",
        ),
        Target(
            f"soak, {len(results):,} schedules in {BUDGET_S:.0f} s",
            seconds / BUDGET_S,
            1.0,
            at_least=False,
            note=f"{seconds:.0f} s on {workers} workers",
        ),
    ]


def show(seed: int, steps: int, avoid: bool = True) -> None:
    """Print one schedule's outcome and its operations, to reproduce a failure."""
    r = schedule(seed, steps, avoid)
    print(f"seed {seed}: {r.config}, {r.outcome}{': ' + r.first if r.first else ''}")
    for i, op in enumerate(r.trace):
        print(f"  {i:3} {op}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schedules", type=int, default=SCHEDULES)
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--workers", type=int, default=min(WORKERS, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=0, help="the first schedule's seed")
    parser.add_argument("--show", type=int, metavar="SEED", help="print one schedule's operations")
    parser.add_argument(
        "--hit-known-bugs",
        action="store_true",
        help="do not steer around the triggers of KNOWN_BUGS (see Workload.avoid_known_bugs)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    avoid = not args.hit_known_bugs
    if args.show is not None:
        show(args.show, args.steps, avoid)
        return
    targets = run(None, args.schedules, args.steps, args.workers, args.seed, avoid)
    finish(targets, args.check)


if __name__ == "__main__":
    main()
