"""WriteTxnMarkers leader checks (§3.7, §4.1), admin abort of a hanging txn (§8), KIP-890 part 1
partition verification (§3.8)."""

from __future__ import annotations

import pytest

from eoslab.broker import ControlRecordType, Errors, TransactionState
from eoslab.broker.partition import READ_COMMITTED, Partition

S = TransactionState
NO_VERIFICATION = {"transaction.partition.verification.enable": False}


# -- WriteTxnMarkers: leader-side checks ---------------------------------------------------------
def test_write_txn_markers_with_stale_producer_epoch_is_invalid_producer_epoch(kit, raw_producer):
    """§3.7 / §4.1: marker epoch lower than the stored one -> INVALID_PRODUCER_EPOCH, no offset."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.init().producer_epoch == 1
    tx.add(("t", 0))
    assert tx.send("t", 0, "a").base_offset == 0
    p = cluster.partition("t", 0)
    r = cluster.write_txn_markers("t", 0, 0, 0, False, 0)
    assert r == Errors.INVALID_PRODUCER_EPOCH
    assert kit.offsets(p) == (1, 1, 0)
    assert len(p.batches) == 1
    assert kit.index(p) == []
    assert p.producer_state.entry(0).current_txn_first_offset == 0
    event = cluster.journal[-1]
    assert (event.api, event.result) == ("WriteTxnMarkers", "INVALID_PRODUCER_EPOCH")
    assert tuple(map(str, event.effects)) == ("t-0: ABORT marker rejected, INVALID_PRODUCER_EPOCH",)


def test_write_txn_markers_with_stale_coordinator_epoch_is_coordinator_fenced(kit):
    """§3.7 / §4.1: coordinatorEpoch lower than the last seen -> TRANSACTION_COORDINATOR_FENCED."""
    cluster = kit.cluster(config=NO_VERIFICATION)
    cluster.produce("t", 0, kit.txn(3, 0, 0, "a"), transactional_id="x")
    assert cluster.write_txn_markers("t", 0, 3, 0, True, 5) == Errors.NONE  # coordinator epoch 5
    p = cluster.partition("t", 0)
    assert p.producer_state.entry(3).coordinator_epoch == 5
    assert cluster.produce("t", 0, kit.txn(3, 0, 1, "b"), transactional_id="x").base_offset == 2
    assert cluster.write_txn_markers("t", 0, 3, 0, True, 4) == Errors.TRANSACTION_COORDINATOR_FENCED
    assert kit.offsets(p) == (3, 3, 2)  # no offset taken; the second txn is still open
    assert p.producer_state.entry(3).current_txn_first_offset == 2
    assert cluster.write_txn_markers("t", 0, 3, 0, True, 5) == Errors.NONE  # equal is fine
    assert kit.markers(p) == [(1, "COMMIT", 3, 0, 5), (3, "COMMIT", 3, 0, 5)]
    assert kit.offsets(p) == (4, 4, 4)


def test_partition_marker_checks_standalone():
    """§4.1 appendEndTxnMarker on a bare Partition: epoch >= stored, coordinatorEpoch >= stored."""
    p = Partition("t", 0)
    first = p.append_end_txn_marker(1, 2, ControlRecordType.ABORT, 7, 0)
    assert (first.error, first.base_offset) == (Errors.NONE, 0)  # no data: no index entry
    assert p.txn_index.all() == []
    low_epoch = p.append_end_txn_marker(1, 1, ControlRecordType.ABORT, 7, 0)
    assert (low_epoch.error, low_epoch.base_offset) == (Errors.INVALID_PRODUCER_EPOCH, -1)
    low_coord = p.append_end_txn_marker(1, 2, ControlRecordType.ABORT, 6, 0)
    assert (low_coord.error, low_coord.base_offset) == (Errors.TRANSACTION_COORDINATOR_FENCED, -1)
    higher = p.append_end_txn_marker(1, 3, ControlRecordType.COMMIT, 8, 0)
    assert (higher.error, higher.base_offset) == (Errors.NONE, 1)
    entry = p.producer_state.entry(1)
    assert (entry.producer_epoch, entry.coordinator_epoch) == (3, 8)
    assert p.log_end_offset == 2


def test_coordinator_stops_sending_markers_when_a_leader_fences_it(kit, raw_producer):
    """§3.7: TRANSACTION_COORDINATOR_FENCED on a marker -> the coordinator stops for that txn."""
    cluster = kit.cluster({"t": 2}, pacing="step")
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0), ("t", 1))
    tx.send("t", 0, "a")
    tx.send("t", 1, "b")
    assert tx.commit() == Errors.NONE
    # an operator's abort with a newer coordinator epoch lands on t-0 first
    assert cluster.write_txn_markers("t", 0, 0, 0, False, 3) == Errors.NONE
    assert cluster.step() == "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"
    p0 = cluster.partition("t", 0)
    assert kit.layout(p0) == ['0: D tx(0,0,0) "a"', "1: ABORT(0,0)"]  # the COMMIT took no offset
    assert cluster.pending_steps == []  # the t-1 marker and the Complete record are dropped
    assert cluster.journal[-1].result == "TRANSACTION_COORDINATOR_FENCED"
    assert kit.txn_state(cluster, "tx") == S.PrepareCommit


def test_admin_abort_of_hanging_transaction_takes_one_offset_and_advances_lso(kit):
    """§8: an ABORT written straight to the leader: one offset, an index entry, the LSO advances."""
    cluster = kit.cluster(config=NO_VERIFICATION)
    cluster.produce("t", 0, kit.txn(9, 0, 0, "stuck"), transactional_id="gone")
    cluster.produce("t", 0, kit.plain("x", "y"))
    p = cluster.partition("t", 0)
    assert kit.offsets(p) == (3, 3, 0)
    assert cluster.write_txn_markers("t", 0, 9, 0, False, 0) == Errors.NONE
    assert kit.layout(p) == [
        '0: D tx(9,0,0) "stuck"',
        "1-2: D(-1,-1,-1..-1)",
        "3: ABORT(9,0)",
    ]
    assert kit.index(p) == [(9, 0, 3, 4)]
    assert kit.offsets(p) == (4, 4, 4)
    rc = cluster.fetch("t", 0, 0, READ_COMMITTED)
    assert rc.aborted_transactions == [(9, 0)]
    assert kit.fetched_offsets(rc) == [0, 1, 2]


# -- KIP-890 part 1: partition verification -----------------------------------------------------------
@pytest.mark.parametrize(
    ("api_version", "expected"),
    [
        (None, Errors.INVALID_TXN_STATE),  # librdkafka's Produce version (below 11)
        (7, Errors.INVALID_TXN_STATE),
        (10, Errors.INVALID_TXN_STATE),
        (11, Errors.TRANSACTION_ABORTABLE),
        (12, Errors.TRANSACTION_ABORTABLE),
    ],
    ids=["default", "v7", "v10", "v11", "v12"],
)
def test_kip890_transactional_produce_to_partition_not_in_txn_is_rejected(
    kit, raw_producer, api_version, expected
):
    """§3.8: partition not in the txn -> INVALID_TXN_STATE (old Produce) / TRANSACTION_ABORTABLE."""
    cluster = kit.cluster({"t": 2})
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.add(("t", 0)) == {("t", 0): Errors.NONE}
    kwargs = {} if api_version is None else {"api_version": api_version}
    r = tx.send("t", 1, "late", **kwargs)
    assert (r.error, r.base_offset) == (expected, -1)
    p1 = cluster.partition("t", 1)
    assert kit.offsets(p1) == (0, 0, 0)
    assert p1.producer_state.entry(0) is None
    assert tuple(map(str, cluster.journal[-1].effects)) == (
        f"t-1: transaction verification failed, {expected.name}",
    )


def test_kip890_transactional_produce_before_any_add_is_rejected(kit, raw_producer):
    """§3.8: a transactional write from an id in Empty (nothing added) is not verified."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    r = tx.send("t", 0, "a")
    assert (r.error, r.base_offset) == (Errors.INVALID_TXN_STATE, -1)
    assert cluster.partition("t", 0).log_end_offset == 0


def test_kip890_verification_while_prepare_commit_is_concurrent_transactions(kit, raw_producer):
    """§3.8: coordinator in PrepareX -> CONCURRENT_TRANSACTIONS for the first write to a partition."""
    cluster = kit.cluster({"t": 2}, pacing="step")
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0), ("t", 1))
    tx.send("t", 0, "a")
    assert tx.commit() == Errors.NONE
    r = tx.send("t", 1, "late")
    assert (r.error, r.base_offset) == (Errors.CONCURRENT_TRANSACTIONS, -1)
    assert cluster.partition("t", 1).log_end_offset == 0


def test_kip890_disabled_accepts_unverified_write_and_hangs_the_lso(kit, raw_producer):
    """§3.8 / §7 pre-3.6 gap / §8: with verification off the write opens a hanging transaction."""
    cluster = kit.cluster({"t": 2}, config=NO_VERIFICATION)
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    assert tx.send("t", 0, "a").base_offset == 0
    r = tx.send("t", 1, "unregistered")
    assert (r.error, r.base_offset) == (Errors.NONE, 0)
    assert tx.commit() == Errors.NONE
    p0, p1 = cluster.partition("t", 0), cluster.partition("t", 1)
    assert kit.layout(p0) == ['0: D tx(0,0,0) "a"', "1: COMMIT(0,0)"]
    assert kit.offsets(p0) == (2, 2, 2)
    # t-1 never gets a marker: the coordinator did not know it was in the transaction
    assert kit.layout(p1) == ['0: D tx(0,0,0) "unregistered"']
    cluster.produce("t", 1, kit.plain("later"))
    assert kit.offsets(p1) == (2, 2, 0)  # LSO stuck at the hanging txn's first offset
    assert p1.producer_state.entry(0).current_txn_first_offset == 0
    assert cluster.list_offsets("t", 1, -1, READ_COMMITTED).offset == 0
    assert cluster.fetch("t", 1, 0, READ_COMMITTED).batches == []
    cluster.advance(10 * 60_000)  # no timeout scan can help: the coordinator's txn is complete
    assert kit.offsets(p1) == (2, 2, 0)
    assert kit.txn_state(cluster, "tx") == S.CompleteCommit
