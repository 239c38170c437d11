"""Step pacing: the window between "EndTxn returned" and "markers written" (§3.6 timing, G10, G13).

DESIGN: in `step` pacing the coordinator's WriteTxnMarkers per partition and its Complete record
are queued; the two pacing modes must reach the same end state.
"""

from __future__ import annotations

import pytest

from eoslab.broker import Errors, TransactionState
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED

S = TransactionState
MARKER_0 = "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t2-0"
MARKER_1 = "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t2-1"
COMPLETE = "tx: write CompleteCommit to __transaction_state"


def _two_partition_txn(kit, raw_producer, pacing: str):
    """G10: pid 0 sends "a" -> t2-0 and "b" -> t2-1, then EndTxn(COMMIT)."""
    cluster = kit.cluster({"t2": 2}, pacing=pacing)
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.add(("t2", 0), ("t2", 1)) == {("t2", 0): Errors.NONE, ("t2", 1): Errors.NONE}
    assert tx.send("t2", 0, "a").base_offset == 0
    assert tx.send("t2", 1, "b").base_offset == 0
    assert tx.commit() == Errors.NONE
    return cluster, tx


def test_end_txn_returns_after_prepare_commit_with_markers_pending(kit, raw_producer):
    """§3.6 timing: EndTxn answers once PrepareCommit is written, before any marker."""
    cluster, _ = _two_partition_txn(kit, raw_producer, "step")
    assert kit.txn_state(cluster, "tx") == S.PrepareCommit
    assert kit.txn_log(cluster, "tx")[-1] == "PrepareCommit(0,e0,[t2-0,t2-1])"
    assert cluster.pending_steps == [MARKER_0, MARKER_1]  # one marker per partition
    for n in (0, 1):
        p = cluster.partition("t2", n)
        assert kit.offsets(p) == (1, 1, 0)  # LSO stays put until the marker step
        assert cluster.fetch("t2", n, 0, READ_COMMITTED).batches == []
        assert cluster.list_offsets("t2", n, -1, READ_COMMITTED).offset == 0


def test_g13_requests_during_pending_markers_are_concurrent_transactions(kit, raw_producer):
    """G13: AddPartitionsToTxn and InitProducerId while PrepareCommit -> CONCURRENT_TRANSACTIONS."""
    cluster, tx = _two_partition_txn(kit, raw_producer, "step")
    for _ in range(3):  # before the markers, between them, and before the Complete record
        assert tx.add(("t2", 0)) == {("t2", 0): Errors.CONCURRENT_TRANSACTIONS}
        r = cluster.init_producer_id("tx")
        assert (r.error, r.producer_id, r.producer_epoch) == (
            Errors.CONCURRENT_TRANSACTIONS,
            -1,
            -1,
        )
        assert tx.commit() == Errors.CONCURRENT_TRANSACTIONS  # §3.6: same-direction retry
        assert tx.abort() == Errors.INVALID_TXN_STATE
        if cluster.pending_steps:
            cluster.step()
    assert cluster.pending_steps == []
    assert kit.txn_state(cluster, "tx") == S.CompleteCommit
    r = cluster.init_producer_id("tx")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 1)


def test_g10_visibility_is_per_partition_while_markers_are_in_flight(kit, raw_producer):
    """G10: with t2-0's marker written and t2-1's not, RC reads "a" on p0 while p1 is blocked."""
    cluster, _ = _two_partition_txn(kit, raw_producer, "step")
    assert cluster.step() == MARKER_0
    p0, p1 = cluster.partition("t2", 0), cluster.partition("t2", 1)
    assert kit.layout(p0) == ['0: D tx(0,0,0) "a"', "1: COMMIT(0,0)"]
    assert kit.offsets(p0) == (2, 2, 2)
    assert kit.fetched_offsets(cluster.fetch("t2", 0, 0, READ_COMMITTED)) == [0]
    assert kit.offsets(p1) == (1, 1, 0)
    assert cluster.fetch("t2", 1, 0, READ_COMMITTED).batches == []
    assert kit.fetched_offsets(cluster.fetch("t2", 1, 0, READ_UNCOMMITTED)) == [0]
    assert cluster.pending_steps == [MARKER_1]
    assert kit.txn_state(cluster, "tx") == S.PrepareCommit
    assert cluster.step() == MARKER_1
    assert cluster.pending_steps == [COMPLETE]  # queued once every marker is written (§3.7)
    assert kit.offsets(p1) == (2, 2, 2)
    assert kit.txn_state(cluster, "tx") == S.PrepareCommit
    assert cluster.step() == COMPLETE
    assert kit.txn_state(cluster, "tx") == S.CompleteCommit
    assert kit.txn_log(cluster, "tx")[-1] == "CompleteCommit(0,e0,[])"


def test_markers_released_out_of_order_reach_the_same_state(kit, raw_producer):
    """DESIGN pacing: releasing t2-1's marker first changes nothing in the end state."""
    cluster, _ = _two_partition_txn(kit, raw_producer, "step")
    assert cluster.step(1) == MARKER_1
    assert kit.offsets(cluster.partition("t2", 1)) == (2, 2, 2)
    assert kit.offsets(cluster.partition("t2", 0)) == (1, 1, 0)
    assert cluster.run_pending() == 2
    auto, _ = _two_partition_txn(kit, raw_producer, "auto")
    ours, theirs = kit.snapshot(cluster), kit.snapshot(auto)
    # the marker offsets are per partition, so the order of release does not show in the logs
    assert ours["logs"] == theirs["logs"]
    assert ours["states"] == theirs["states"]


def _full_script(kit, raw_producer, pacing: str):
    """Commit on two partitions, abort on one, a fence, a timeout abort and a plain write."""
    cluster = kit.cluster({"t2": 2, "t": 1}, pacing=pacing)

    def settle():
        if pacing == "step":
            cluster.run_pending()

    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t2", 0), ("t2", 1))
    tx.send("t2", 0, "a")
    tx.send("t2", 1, "b")
    assert tx.commit() == Errors.NONE
    settle()
    tx.add(("t2", 0))
    tx.send("t2", 0, "c")
    assert tx.abort() == Errors.NONE
    settle()
    tx.add(("t", 0))
    tx.send("t", 0, "d")
    zombie_fence = raw_producer(cluster, "tx").init()
    assert zombie_fence.error == Errors.CONCURRENT_TRANSACTIONS
    settle()
    other = raw_producer(cluster, "other", timeout_ms=5_000)
    other.init()
    other.add(("t", 0))
    other.send("t", 0, "e")
    cluster.advance(10_000)  # the timeout scan aborts "other"
    settle()
    cluster.produce("t", 0, kit.plain("f"))
    return cluster


def test_step_and_auto_pacing_reach_the_same_end_state(kit, raw_producer):
    """DESIGN / §3.6: after run_pending, logs, txn states and __transaction_state equal auto mode."""
    auto = _full_script(kit, raw_producer, "auto")
    step = _full_script(kit, raw_producer, "step")
    assert kit.snapshot(step) == kit.snapshot(auto)
    assert kit.txn_log(step, "tx") == kit.txn_log(auto, "tx")
    assert kit.txn_log(step, "other") == kit.txn_log(auto, "other")
    assert kit.txn_log(auto, "other") == [
        "Empty(1,e0,null)",
        "Ongoing(1,e0,[t-0])",
        "PrepareAbort(1,e1,[t-0])",
        "CompleteAbort(1,e1,[])",
    ]
    assert kit.layout(auto.partition("t", 0)) == [
        '0: D tx(0,0,0) "d"',
        "1: ABORT(0,1)",
        '2: D tx(1,0,0) "e"',
        "3: ABORT(1,1)",
        '4: D(-1,-1,-1) "f"',
    ]
    assert kit.layout(auto.partition("t2", 0)) == [
        '0: D tx(0,0,0) "a"',
        "1: COMMIT(0,0)",
        '2: D tx(0,0,1) "c"',
        "3: ABORT(0,0)",
    ]
    assert kit.index(auto.partition("t", 0)) == [(0, 0, 1, 2), (1, 2, 3, 4)]


def test_timeout_abort_in_step_pacing_waits_for_the_marker_step(kit, raw_producer):
    """§3.7 + step pacing: the scan writes PrepareAbort(e1); the ABORT marker is a pending step."""
    cluster = kit.cluster(pacing="step")
    tx = raw_producer(cluster, "tx", timeout_ms=5_000)
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    cluster.advance(10_000)
    assert kit.txn_state(cluster, "tx") == S.PrepareAbort
    assert cluster.pending_steps == ["WriteTxnMarkers ABORT(pid 0, epoch 1) -> t-0"]
    assert kit.offsets(cluster.partition("t", 0)) == (1, 1, 0)
    cluster.run_pending()
    assert kit.offsets(cluster.partition("t", 0)) == (2, 2, 2)
    assert kit.txn_state(cluster, "tx") == S.CompleteAbort


def test_switching_to_auto_pacing_releases_pending_steps(kit, raw_producer):
    """DESIGN pacing: switching a cluster to auto runs what was queued."""
    cluster, _ = _two_partition_txn(kit, raw_producer, "step")
    cluster.pacing = "auto"
    assert cluster.pending_steps == []
    assert kit.txn_state(cluster, "tx") == S.CompleteCommit
    assert [kit.offsets(cluster.partition("t2", n)) for n in (0, 1)] == [(2, 2, 2), (2, 2, 2)]


def test_step_with_nothing_pending_raises_index_error(kit):
    """DESIGN pacing (step API): releasing a step that does not exist is an error, not a no-op."""
    cluster = kit.cluster(pacing="step")
    with pytest.raises(IndexError):
        cluster.step()
    assert cluster.run_pending() == 0
