"""eoslab.check's randomized schedules through the wire with real librdkafka clients
(`eoslab.wire.schedule`): EOSLAB_WIRE_SCHEDULES of them (20 by default; the soak is
`python -m eoslab.wire.schedule --schedules 500`), four at a time, each on its own served cluster.
Every step keeps the broker invariants, and every schedule ends exactly-once by the history
checker, with every fate a writer was told found in the log and a replay that rebuilds it."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from eoslab.client.history import POLL, TXN
from eoslab.wire.schedule import WireWorkload, run_wire_schedule

pytest.importorskip("confluent_kafka")
SCHEDULES = int(os.environ.get("EOSLAB_WIRE_SCHEDULES", "20"))


def one(seed: int) -> tuple[int, list[str], list[str], Counter]:
    world, violations = run_wire_schedule(seed)
    seen = Counter()
    for op in world.history.ops:
        if op.kind == TXN:
            seen[f"{op.details['action']} {op.error or 'ok'}"] += 1
        elif op.kind == POLL:
            seen["poll"] += 1
    seen["timeout aborts"] += sum(
        1 for e in world.cluster.journal if e.api == "abortTimedOutTransactions"
    )
    return seed, violations, world.trace, seen


def test_randomized_schedules_through_the_wire_are_exactly_once() -> None:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, range(SCHEDULES)))
    failures = [(seed, v[0], "; ".join(trace)) for seed, v, trace, _ in results if v]
    assert failures == []
    seen = sum((c for *_, c in results), Counter())
    # the schedules did reach what they are for: commits, aborts, fenced zombies, reads, timeouts
    assert seen["commit ok"] > 0 and seen["abort ok"] > 0 and seen["poll"] > 0
    assert seen["timeout aborts"] > 0
    assert any(k.startswith("commit _FENCED") or k.startswith("begin _FENCED") for k in seen), seen


def test_the_step_checks_catch_a_read_committed_read_of_aborted_data() -> None:
    """The oracle can fail: a forged read_committed poll of an aborted record is reported."""
    world = WireWorkload(seed=1)
    try:
        assert world.apply("txn_write", 0, "t", 0, 1, True) == []
        assert world.apply("txn_abort", 0) == []
        assert world.cluster.partition("t", 0).log_end_offset == 2  # the record, ABORT marker
        kinds = [op.kind for op in world.history.ops]
        assert kinds == ["txn", "txn", "send", "ack", "txn"]  # init, begin, the record, abort
        world.history.record(
            world.cluster.now_ms,
            "forged",
            POLL,
            {"group_id": "x", "isolation": "read_committed"},
            topic="t",
            partition=0,
            offset=0,
            value=b"w0.1-1",
        )
        assert world.check_step() == [
            "op 5: read_committed forged returned t-0@0, which the log holds as aborted"
        ]
    finally:
        world.close()
