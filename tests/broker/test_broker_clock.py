"""The broker's clock in epoch ms (reference §2.3, §3.7, §4.5): a Kafka broker reads the wall time
from its start-up, and the CreateTime timestamps clients send are epoch ms, so the rules that
compare the two (ProducerStateManager.isProducerExpired, the transaction timeout scan, ListOffsets
by timestamp over markers written at the broker's time) hold only on a clock that starts there.
`Cluster.start_clock` starts the virtual clock at such a time, once, as one journal event."""

from __future__ import annotations

import pytest

from eoslab.broker import Errors
from eoslab.check.invariants import replay_matches

T = 1_767_225_600_000  # 2026-01-01T00:00:00Z in epoch ms
DAY = 86_400_000


def test_producer_id_expiration_ms_counts_from_create_time_on_a_clock_started_at_epoch_ms(kit):
    """ProducerStateManager.isProducerExpired: currentTimeMs - lastTimestamp (the batch's max
    CreateTime) >= producer.id.expiration.ms (86 400 000, KIP-854), checked every
    producer.id.expiration.check.interval.ms (600 000) from the broker's start-up."""
    cluster = kit.cluster()
    cluster.start_clock(T)
    start = cluster.journal.events(api="start")
    assert [(e.time_ms, e.actor, e.args, e.result) for e in start] == [
        (T, "clock", {"at_ms": T}, "NONE")
    ]
    assert cluster.now_ms == T
    assert cluster.clock.next_due_ms() == T + 10_000  # the first timeout scan, from start-up
    r = cluster.produce("t", 0, kit.batch(0, 0, 0, "a", ts=T))
    assert (r.error, r.base_offset) == (Errors.NONE, 0)
    p = cluster.partition("t", 0)
    assert p.producer_state.entry(0).last_timestamp == T
    cluster.advance(DAY - 1)
    assert p.producer_state.entry(0) is not None  # idle for one ms less than a day: kept
    dup = cluster.produce("t", 0, kit.batch(0, 0, 0, "a", ts=T))
    assert (dup.error, dup.base_offset, p.log_end_offset) == (Errors.NONE, 0, 1)  # a duplicate
    cluster.advance(1)  # the check at T + 144 x 600 000 finds it idle for a day
    assert p.producer_state.entry(0) is None
    removal = cluster.journal.events(api="removeExpiredProducers")
    assert [(e.time_ms, e.result, tuple(map(str, e.effects))) for e in removal] == [
        (T + DAY, "removed 1", ("producer state removed: t-0 pid 0",))
    ]
    # an unknown producer: any sequence is accepted (KIP-360), so the retried batch is new
    again = cluster.produce("t", 0, kit.batch(0, 0, 0, "a", ts=T))
    assert (again.error, again.base_offset, p.log_end_offset) == (Errors.NONE, 1, 2)
    assert replay_matches(cluster) == []
    assert cluster.replay().journal.lines() == cluster.journal.lines()


def test_transaction_timeout_and_marker_timestamps_on_a_clock_started_at_epoch_ms(
    kit, raw_producer
):
    """TransactionCoordinator.abortTimedOutTransactions compares txnStartTimestamp with the
    broker's time, and a marker's timestamp is the broker's time when it is written
    (MemoryRecords.withEndTransactionMarker), so ListOffsets by timestamp finds it after the
    records whose CreateTime is older (Partition.fetchOffsetForTimestamp, markers included)."""
    cluster = kit.cluster()
    cluster.start_clock(T)
    tx = raw_producer(cluster, "tx", timeout_ms=60_000)
    tx.init()
    tx.add(("t", 0))
    assert cluster.txn_coordinator.transactions["tx"].txn_start_timestamp == T
    batch = kit.txn(tx.producer_id, tx.producer_epoch, 0, "late", ts=T + 5)
    assert cluster.produce("t", 0, batch, transactional_id="tx").base_offset == 0
    cluster.advance(60_000)
    assert kit.layout(cluster.partition("t", 0)) == ['0: D tx(0,0,0) "late"']
    cluster.advance(10_000)  # the scan at T + 70 000: T + 60 000 < T + 70 000
    aborts = cluster.journal.events(api="abortTimedOutTransactions")
    assert [(e.time_ms, e.result) for e in aborts] == [(T + 70_000, "aborted tx")]
    p = cluster.partition("t", 0)
    assert kit.markers(p) == [(1, "ABORT", 0, 1, 0)]
    assert p.batches[1].max_timestamp == T + 70_000
    by_time = [cluster.list_offsets("t", 0, ts) for ts in (T, T + 6, T + 70_001)]
    assert [(r.error, r.offset, r.timestamp) for r in by_time] == [
        (Errors.NONE, 0, T + 5),
        (Errors.NONE, 1, T + 70_000),  # the marker, written at the broker's time
        (Errors.NONE, -1, -1),
    ]
    assert replay_matches(cluster) == []


def test_start_clock_only_starts_a_clock_that_has_not_moved(kit):
    """A broker starts once; a bad value or a clock already moved is refused, nothing changes."""
    cluster = kit.cluster()
    events, requests = len(cluster.journal), len(cluster.requests)
    for bad in (-1, 1.5, True, "T"):
        with pytest.raises(ValueError, match="start_clock\\(\\) takes a non-negative whole number"):
            cluster.start_clock(bad)
    cluster.advance(5)
    with pytest.raises(ValueError, match="the clock already moved \\(it is at 5 ms\\)"):
        cluster.start_clock(T)
    assert cluster.now_ms == 5
    assert (len(cluster.journal), len(cluster.requests)) == (
        events + 1,
        requests + 1,
    )  # the advance
    assert replay_matches(cluster) == []
