"""Zombie fencing and coordinator-side timeouts at the raw protocol level (§3.4, §3.7, §7, G14, G15)."""

from __future__ import annotations

import pytest

from eoslab.broker import Errors, TransactionState
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED

S = TransactionState


def _fence_setup(kit, raw_producer, **cluster_kwargs):
    """§7 steps 1-3: A opens a txn with "a" on t-0, then B's first InitProducerId fences it."""
    cluster = kit.cluster({"t": 2}, **cluster_kwargs)
    a = raw_producer(cluster, "tx")
    assert (a.init().producer_id, a.producer_epoch) == (0, 0)
    assert a.add(("t", 0)) == {("t", 0): Errors.NONE}
    assert a.send("t", 0, "a").base_offset == 0
    b = raw_producer(cluster, "tx")
    first = b.init()
    return cluster, a, b, first


def test_init_producer_id_while_ongoing_fences_with_abort_at_epoch_plus_one(kit, raw_producer):
    """§3.4 Ongoing / §7 step 3: CONCURRENT_TRANSACTIONS, ABORT(0,1) at t-0 offset 1, coordEpoch 0."""
    cluster, _, _, first = _fence_setup(kit, raw_producer)
    assert (first.error, first.producer_id, first.producer_epoch) == (
        Errors.CONCURRENT_TRANSACTIONS,
        -1,
        -1,
    )
    p = cluster.partition("t", 0)
    assert kit.layout(p) == ['0: D tx(0,0,0) "a"', "1: ABORT(0,1)"]
    assert kit.markers(p) == [(1, "ABORT", 0, 1, 0)]
    assert kit.index(p) == [(0, 0, 1, 2)]
    assert kit.offsets(p) == (2, 2, 2)
    entry = p.producer_state.entry(0)
    assert (entry.producer_epoch, entry.current_txn_first_offset, entry.coordinator_epoch) == (
        1,
        None,
        0,
    )
    assert cluster.partition("t", 1).log_end_offset == 0  # t-1 was never in the transaction


def test_fencing_transaction_log_shows_prepare_abort_e1_then_complete_abort_e1(kit, raw_producer):
    """§3.2 / §3.4: PrepareEpochFence is never written; PrepareAbort(e1) then CompleteAbort(e1)."""
    cluster, _, b, _ = _fence_setup(kit, raw_producer)
    assert kit.txn_log(cluster, "tx") == [
        "Empty(0,e0,null)",
        "Ongoing(0,e0,[t-0])",
        "PrepareAbort(0,e1,[t-0])",
        "CompleteAbort(0,e1,[])",
    ]
    statuses = [v.transaction_status for v in kit.txn_log_values(cluster, "tx")]
    assert int(S.PrepareEpochFence) not in statuses
    retry = b.init()
    assert (retry.error, retry.producer_id, retry.producer_epoch) == (Errors.NONE, 0, 2)
    assert kit.txn_log(cluster, "tx")[-1] == "Empty(0,e2,null)"
    inits = cluster.journal.events(api="InitProducerId")
    assert [e.result for e in inits] == [
        "NONE (pid 0, epoch 0)",
        "CONCURRENT_TRANSACTIONS",
        "NONE (pid 0, epoch 2)",
    ]


def test_fenced_producer_old_epoch_produce_is_invalid_producer_epoch_and_writes_nothing(
    kit, raw_producer
):
    """§7 step 4 / G14: A's send to t-0 at epoch 0 -> INVALID_PRODUCER_EPOCH, no offset taken."""
    cluster, a, b, _ = _fence_setup(kit, raw_producer)
    b.init()
    r = a.send("t", 0, "a2")
    assert (r.error, r.base_offset) == (Errors.INVALID_PRODUCER_EPOCH, -1)
    p = cluster.partition("t", 0)
    assert p.log_end_offset == 2
    assert p.producer_state.entry(0).producer_epoch == 1


def test_fenced_producer_old_epoch_rejected_by_log_even_without_verification(kit, raw_producer):
    """§2.3 step 3: with verification off, the leader's epoch check (0 < 1) still gives 47."""
    cluster, a, b, _ = _fence_setup(
        kit, raw_producer, config={"transaction.partition.verification.enable": False}
    )
    b.init()
    r = a.send("t", 0, "a2")
    assert (r.error, r.base_offset) == (Errors.INVALID_PRODUCER_EPOCH, -1)
    assert cluster.partition("t", 0).log_end_offset == 2


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [(1, Errors.INVALID_PRODUCER_EPOCH), (2, Errors.PRODUCER_FENCED), (3, Errors.PRODUCER_FENCED)],
)
@pytest.mark.parametrize("commit", [True, False], ids=["commit", "abort"])
def test_fenced_producer_end_txn_is_fenced(kit, raw_producer, commit, api_version, expected):
    """§7 step 4 / G14: EndTxn(e0) vs stored e2 -> PRODUCER_FENCED (EndTxn v < 2: 47)."""
    cluster, a, b, _ = _fence_setup(kit, raw_producer)
    b.init()
    before = (kit.state_log_size(cluster), kit.data_log_sizes(cluster))
    assert a.end(commit, api_version=api_version) == expected
    assert (kit.state_log_size(cluster), kit.data_log_sizes(cluster)) == before
    assert kit.txn_state(cluster, "tx") == S.Empty


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [(0, Errors.INVALID_PRODUCER_EPOCH), (2, Errors.PRODUCER_FENCED)],
)
def test_fenced_producer_add_partitions_is_fenced(kit, raw_producer, api_version, expected):
    """§7 step 4: A's AddPartitionsToTxn(t-1) at e0 -> PRODUCER_FENCED (v < 2: 47)."""
    cluster, a, b, _ = _fence_setup(kit, raw_producer)
    b.init()
    assert a.add(("t", 1), api_version=api_version) == {("t", 1): expected}
    assert kit.txn_state(cluster, "tx") == S.Empty


def test_g14_zombie_fencing_end_to_end(kit, raw_producer):
    """G14 / §7: 0:"a"(e0) 1:ABORT(e1) 2:"b"(e2) 3:COMMIT(e2); HW = LSO = 4; index (0,0,1,2)."""
    cluster, a, b, first = _fence_setup(kit, raw_producer)
    assert first.error == Errors.CONCURRENT_TRANSACTIONS
    assert (b.init().producer_epoch, b.producer_id) == (2, 0)
    assert a.send("t", 0, "a2").error == Errors.INVALID_PRODUCER_EPOCH
    assert b.add(("t", 0)) == {("t", 0): Errors.NONE}
    assert b.send("t", 0, "b").base_offset == 2
    assert b.commit() == Errors.NONE
    assert a.commit(api_version=2) == Errors.PRODUCER_FENCED
    p = cluster.partition("t", 0)
    assert kit.layout(p) == [
        '0: D tx(0,0,0) "a"',
        "1: ABORT(0,1)",
        '2: D tx(0,2,0) "b"',
        "3: COMMIT(0,2)",
    ]
    assert kit.markers(p) == [(1, "ABORT", 0, 1, 0), (3, "COMMIT", 0, 2, 0)]
    assert kit.offsets(p) == (4, 4, 4)
    assert kit.index(p) == [(0, 0, 1, 2)]
    rc = cluster.fetch("t", 0, 0, READ_COMMITTED)
    assert rc.aborted_transactions == [(0, 0)]
    assert kit.fetched_offsets(rc) == [0, 2]  # whole batches; the client drops pid 0's batch at 0
    assert cluster.fetch("t", 0, 0, READ_UNCOMMITTED).aborted_transactions is None
    assert kit.txn_log(cluster, "tx") == [
        "Empty(0,e0,null)",
        "Ongoing(0,e0,[t-0])",
        "PrepareAbort(0,e1,[t-0])",
        "CompleteAbort(0,e1,[])",
        "Empty(0,e2,null)",
        "Ongoing(0,e2,[t-0])",
        "PrepareCommit(0,e2,[t-0])",
        "CompleteCommit(0,e2,[])",
    ]


def test_fencing_in_step_pacing_keeps_retries_concurrent_until_complete_abort(kit, raw_producer):
    """§3.4 Ongoing step 5: the retry gets CONCURRENT_TRANSACTIONS until CompleteAbort is written."""
    cluster, _, b, first = _fence_setup(kit, raw_producer, pacing="step")
    assert first.error == Errors.CONCURRENT_TRANSACTIONS
    assert cluster.pending_steps == ["WriteTxnMarkers ABORT(pid 0, epoch 1) -> t-0"]
    assert kit.txn_state(cluster, "tx") == S.PrepareAbort
    assert b.init().error == Errors.CONCURRENT_TRANSACTIONS
    cluster.step()
    assert cluster.pending_steps == ["tx: write CompleteAbort to __transaction_state"]
    assert b.init().error == Errors.CONCURRENT_TRANSACTIONS
    cluster.step()
    r = b.init()
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 2)


# -- §3.7 / G15: transaction timeout -----------------------------------------------------------------
def _timeout_setup(kit, raw_producer, add_at_ms: int = 0):
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx", timeout_ms=5_000)
    assert tx.init().error == Errors.NONE
    if add_at_ms:
        cluster.advance(add_at_ms)
    assert tx.add(("t", 0)) == {("t", 0): Errors.NONE}
    assert tx.send("t", 0, "a").base_offset == 0
    return cluster, tx


def test_g15_timed_out_transaction_is_aborted_at_first_scan_after_timeout(kit, raw_producer):
    """G15 / §3.7: timeout 5000, scans every 10 s: aborted at t = 10000, not before."""
    cluster, _ = _timeout_setup(kit, raw_producer)
    p = cluster.partition("t", 0)
    cluster.advance(9_999)
    assert kit.txn_state(cluster, "tx") == S.Ongoing
    assert kit.offsets(p) == (1, 1, 0)
    assert cluster.journal.events(api="abortTimedOutTransactions") == []
    cluster.advance(1)
    assert cluster.now_ms == 10_000
    aborts = cluster.journal.events(api="abortTimedOutTransactions")
    assert [(e.time_ms, e.actor, e.result) for e in aborts] == [
        (10_000, "txn-coordinator", "aborted tx")
    ]
    assert kit.layout(p) == ['0: D tx(0,0,0) "a"', "1: ABORT(0,1)"]
    assert kit.markers(p) == [(1, "ABORT", 0, 1, 0)]
    assert kit.index(p) == [(0, 0, 1, 2)]
    assert kit.offsets(p) == (2, 2, 2)
    assert kit.txn_log(cluster, "tx") == [
        "Empty(0,e0,null)",
        "Ongoing(0,e0,[t-0])",
        "PrepareAbort(0,e1,[t-0])",
        "CompleteAbort(0,e1,[])",
    ]
    metadata = cluster.txn_coordinator.transactions["tx"]
    assert (metadata.state, metadata.producer_id, metadata.producer_epoch) == (
        S.CompleteAbort,
        0,
        1,
    )


def test_g15_after_timeout_old_epoch_send_and_end_txn_are_fenced(kit, raw_producer):
    """G15 TV1: send("b") -> INVALID_PRODUCER_EPOCH; EndTxn -> PRODUCER_FENCED (v1: 47)."""
    cluster, tx = _timeout_setup(kit, raw_producer)
    cluster.advance(10_000)
    r = tx.send("t", 0, "b")
    assert (r.error, r.base_offset) == (Errors.INVALID_PRODUCER_EPOCH, -1)
    assert tx.commit(api_version=2) == Errors.PRODUCER_FENCED
    assert tx.abort(api_version=2) == Errors.PRODUCER_FENCED
    assert tx.commit() == Errors.INVALID_PRODUCER_EPOCH  # librdkafka's EndTxn v1
    assert cluster.partition("t", 0).log_end_offset == 2
    assert kit.txn_state(cluster, "tx") == S.CompleteAbort


def test_timeout_is_strictly_greater_than_start_plus_timeout(kit, raw_producer):
    """§3.7: aborted when txnStartTimestamp + txnTimeoutMs < now; 5000 + 5000 = 10000 is not."""
    cluster, _ = _timeout_setup(kit, raw_producer, add_at_ms=5_000)
    cluster.advance(5_000)  # t = 10 000: scan runs, 10 000 < 10 000 is false
    assert kit.txn_state(cluster, "tx") == S.Ongoing
    cluster.advance(10_000)  # t = 20 000
    assert kit.txn_state(cluster, "tx") == S.CompleteAbort
    aborts = cluster.journal.events(api="abortTimedOutTransactions")
    assert [e.time_ms for e in aborts] == [20_000]


def test_timeout_counts_from_first_partition_add_not_from_init(kit, raw_producer):
    """§3.7: start = time of the first partition add (t = 8000), so the 10 s scan spares it."""
    cluster, _ = _timeout_setup(kit, raw_producer, add_at_ms=8_000)
    cluster.advance(2_000)  # t = 10 000
    assert kit.txn_state(cluster, "tx") == S.Ongoing
    cluster.advance(10_000)  # t = 20 000 > 13 000
    assert kit.txn_state(cluster, "tx") == S.CompleteAbort
    assert cluster.partition("t", 0).batches[-1].producer_epoch == 1


def test_empty_transaction_is_never_timed_out(kit, raw_producer):
    """§3.7: only Ongoing transactions are scanned; an id in Empty keeps its epoch."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx", timeout_ms=5_000)
    tx.init()
    cluster.advance(60_000)
    assert kit.txn_state(cluster, "tx") == S.Empty
    assert cluster.txn_coordinator.transactions["tx"].producer_epoch == 0
    assert kit.txn_log(cluster, "tx") == ["Empty(0,e0,null)"]
