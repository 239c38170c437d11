"""Transaction coordinator request tables (reference §3.2-§3.6, §3.7 id expiry; G11, G13, G26).

`pacing="step"` is used where a test needs the coordinator to sit in PrepareCommit/PrepareAbort
(markers not yet written); in auto pacing every EndTxn completes before it returns.
"""

from __future__ import annotations

import pytest

from eoslab.broker import Cluster, Errors, TransactionState
from eoslab.broker.consumer_group import GroupState
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED
from eoslab.broker.protocol import EndTxnResponse

S = TransactionState


def _cluster_in_state(kit, raw_producer, state: TransactionState):
    """A step-paced cluster whose id "tx" (pid 0, epoch 0) sits in `state`, data at t-0 offset 0."""
    cluster = kit.cluster(pacing="step")
    tx = raw_producer(cluster, "tx")
    assert tx.init().error == Errors.NONE
    if state != S.Empty:
        assert tx.add(("t", 0)) == {("t", 0): Errors.NONE}
        assert tx.send("t", 0, "a").base_offset == 0
    if state in (S.PrepareCommit, S.CompleteCommit):
        assert tx.commit() == Errors.NONE
    if state in (S.PrepareAbort, S.CompleteAbort):
        assert tx.abort() == Errors.NONE
    if state in (S.CompleteCommit, S.CompleteAbort):
        assert cluster.run_pending() == 2  # the marker, then the Complete record
    assert kit.txn_state(cluster, "tx") == state
    return cluster, tx


# -- G13: the raw error matrix, row by row ----------------------------------------------------------
@pytest.mark.parametrize("timeout_ms", [900_001, 0, -1])
def test_g13_init_producer_id_timeout_out_of_range_is_invalid_transaction_timeout(kit, timeout_ms):
    """G13 / §3.4 check 2: timeout not in (0, transaction.max.timeout.ms = 900 000] -> 50."""
    cluster = kit.cluster()
    r = cluster.init_producer_id("tx", transaction_timeout_ms=timeout_ms)
    assert (r.error, r.producer_id, r.producer_epoch) == (
        Errors.INVALID_TRANSACTION_TIMEOUT,
        -1,
        -1,
    )
    assert "tx" not in cluster.txn_coordinator.transactions
    assert kit.state_log_size(cluster) == 0
    ok = cluster.init_producer_id("tx", transaction_timeout_ms=900_000)  # the maximum itself
    assert (ok.error, ok.producer_id, ok.producer_epoch) == (Errors.NONE, 0, 0)


def test_g13_init_producer_id_with_empty_transactional_id_is_invalid_request(kit):
    """G13 / §3.4 check 1: transactionalId "" -> INVALID_REQUEST (42)."""
    cluster = kit.cluster()
    r = cluster.init_producer_id("")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.INVALID_REQUEST, -1, -1)
    assert kit.state_log_size(cluster) == 0


@pytest.mark.parametrize("commit", [True, False], ids=["COMMIT", "ABORT"])
def test_g13_end_txn_right_after_init_is_invalid_txn_state(kit, raw_producer, commit):
    """G13 / §3.6 table row Empty: EndTxn(COMMIT) and EndTxn(ABORT) -> INVALID_TXN_STATE."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    before = kit.state_log_size(cluster)
    assert tx.end(commit) == Errors.INVALID_TXN_STATE
    assert kit.state_log_size(cluster) == before
    assert kit.txn_state(cluster, "tx") == S.Empty
    assert cluster.pending_steps == []


def test_g13_end_txn_commit_again_after_complete_commit_is_none_and_writes_nothing(
    kit, raw_producer
):
    """G13 / §3.6: EndTxn(COMMIT) retried after CompleteCommit -> NONE, nothing written."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.commit() == Errors.NONE
    state_log, data = kit.state_log_size(cluster), kit.data_log_sizes(cluster)
    assert tx.commit() == Errors.NONE
    assert (kit.state_log_size(cluster), kit.data_log_sizes(cluster)) == (state_log, data)
    assert data == {"t-0": 2}
    assert kit.txn_state(cluster, "tx") == S.CompleteCommit


def test_g13_end_txn_abort_after_complete_commit_is_invalid_txn_state(kit, raw_producer):
    """G13 / §3.6: EndTxn(ABORT) in CompleteCommit -> INVALID_TXN_STATE."""
    cluster, tx = _cluster_in_state(kit, raw_producer, S.CompleteCommit)
    before = kit.state_log_size(cluster)
    assert tx.abort() == Errors.INVALID_TXN_STATE
    assert kit.state_log_size(cluster) == before


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [
        (0, Errors.INVALID_PRODUCER_EPOCH),
        (1, Errors.INVALID_PRODUCER_EPOCH),  # librdkafka's default
        (2, Errors.PRODUCER_FENCED),
        (3, Errors.PRODUCER_FENCED),
        (4, Errors.PRODUCER_FENCED),
    ],
)
def test_g13_end_txn_with_old_epoch_is_producer_fenced(kit, raw_producer, api_version, expected):
    """G13 / §3.6 check 2: EndTxn with epoch - 1 -> PRODUCER_FENCED (v < 2: INVALID_PRODUCER_EPOCH)."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.init().producer_epoch == 1
    tx.add(("t", 0))
    before = kit.state_log_size(cluster)
    r = cluster.end_txn("tx", 0, 0, True, api_version=api_version)
    assert r == EndTxnResponse(expected)
    assert kit.state_log_size(cluster) == before
    assert kit.txn_state(cluster, "tx") == S.Ongoing


def test_g13_end_txn_default_version_reports_fencing_as_invalid_producer_epoch(kit, raw_producer):
    """§3.6 / protocol defaults: librdkafka sends EndTxn v1, which sees INVALID_PRODUCER_EPOCH."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.init()
    assert cluster.end_txn("tx", 0, 0, False) == EndTxnResponse(Errors.INVALID_PRODUCER_EPOCH)


@pytest.mark.parametrize(
    ("transactional_id", "producer_id"),
    [("tx", 1), ("nope", 0)],
    ids=["another-pid", "unknown-txn-id"],
)
def test_g13_end_txn_with_other_pid_or_unknown_id_is_invalid_producer_id_mapping(
    kit, raw_producer, transactional_id, producer_id
):
    """G13 / §3.6 check 1: unknown transactional id, or pid mismatch -> INVALID_PRODUCER_ID_MAPPING."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    r = cluster.end_txn(transactional_id, producer_id, 0, True)
    assert r.error == Errors.INVALID_PRODUCER_ID_MAPPING
    assert kit.txn_state(cluster, "tx") == S.Ongoing


def test_g13_add_partitions_while_prepare_commit_is_concurrent_transactions(kit, raw_producer):
    """G13 / §3.5: AddPartitionsToTxn while PrepareCommit (markers pending) -> 51."""
    cluster, tx = _cluster_in_state(kit, raw_producer, S.PrepareCommit)
    before = kit.state_log_size(cluster)
    assert tx.add(("t", 0)) == {("t", 0): Errors.CONCURRENT_TRANSACTIONS}
    assert kit.state_log_size(cluster) == before


def test_g13_init_producer_id_while_prepare_commit_is_concurrent_transactions(kit, raw_producer):
    """G13 / §3.4 step 6: InitProducerId while PrepareCommit -> CONCURRENT_TRANSACTIONS."""
    cluster, _ = _cluster_in_state(kit, raw_producer, S.PrepareCommit)
    r = cluster.init_producer_id("tx")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.CONCURRENT_TRANSACTIONS, -1, -1)
    assert cluster.txn_coordinator.transactions["tx"].producer_epoch == 0


# -- §3.6: the TV1 EndTxn state table --------------------------------------------------------------
END_TXN_TABLE = [
    (S.Ongoing, True, Errors.NONE, S.PrepareCommit),
    (S.Ongoing, False, Errors.NONE, S.PrepareAbort),
    (S.PrepareCommit, True, Errors.CONCURRENT_TRANSACTIONS, S.PrepareCommit),
    (S.PrepareCommit, False, Errors.INVALID_TXN_STATE, S.PrepareCommit),
    (S.PrepareAbort, True, Errors.INVALID_TXN_STATE, S.PrepareAbort),
    (S.PrepareAbort, False, Errors.CONCURRENT_TRANSACTIONS, S.PrepareAbort),
    (S.CompleteCommit, True, Errors.NONE, S.CompleteCommit),
    (S.CompleteCommit, False, Errors.INVALID_TXN_STATE, S.CompleteCommit),
    (S.CompleteAbort, True, Errors.INVALID_TXN_STATE, S.CompleteAbort),
    (S.CompleteAbort, False, Errors.NONE, S.CompleteAbort),
    (S.Empty, True, Errors.INVALID_TXN_STATE, S.Empty),
    (S.Empty, False, Errors.INVALID_TXN_STATE, S.Empty),
]


@pytest.mark.parametrize(
    ("state", "commit", "expected", "after"),
    END_TXN_TABLE,
    ids=[f"{s.name}-{'COMMIT' if c else 'ABORT'}" for s, c, _, _ in END_TXN_TABLE],
)
def test_end_txn_tv1_state_table(kit, raw_producer, state, commit, expected, after):
    """§3.6 TV1 state table: only Ongoing writes (a Prepare record); the rest write nothing."""
    cluster, tx = _cluster_in_state(kit, raw_producer, state)
    before = kit.state_log_size(cluster)
    assert tx.end(commit) == expected
    assert kit.txn_state(cluster, "tx") == after
    assert kit.state_log_size(cluster) == before + (1 if state == S.Ongoing else 0)


def test_end_txn_with_empty_transactional_id_is_invalid_request(kit):
    """§3.5/§3.6: an empty transactional id is INVALID_REQUEST."""
    cluster = kit.cluster()
    assert cluster.end_txn("", 0, 0, True).error == Errors.INVALID_REQUEST


# -- §3.5 AddPartitionsToTxn ------------------------------------------------------------------------
def test_add_partitions_with_empty_transactional_id_is_invalid_request(kit):
    """§3.5 row 1: empty transactionalId -> INVALID_REQUEST."""
    cluster = kit.cluster()
    assert cluster.add_partitions_to_txn("", 0, 0, [("t", 0)]) == {("t", 0): Errors.INVALID_REQUEST}


@pytest.mark.parametrize(
    ("transactional_id", "producer_id"), [("nope", 0), ("tx", 7)], ids=["unknown-id", "other-pid"]
)
def test_add_partitions_unknown_id_or_other_pid_is_invalid_producer_id_mapping(
    kit, raw_producer, transactional_id, producer_id
):
    """§3.5 row 2: unknown transactionalId, or pid != stored pid -> INVALID_PRODUCER_ID_MAPPING."""
    cluster = kit.cluster()
    raw_producer(cluster, "tx").init()
    r = cluster.add_partitions_to_txn(transactional_id, producer_id, 0, [("t", 0)])
    assert r == {("t", 0): Errors.INVALID_PRODUCER_ID_MAPPING}
    assert kit.txn_state(cluster, "tx") == S.Empty


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [
        (0, Errors.INVALID_PRODUCER_EPOCH),  # librdkafka's default
        (1, Errors.INVALID_PRODUCER_EPOCH),
        (2, Errors.PRODUCER_FENCED),
        (3, Errors.PRODUCER_FENCED),
    ],
)
def test_add_partitions_with_wrong_epoch_is_producer_fenced(
    kit, raw_producer, api_version, expected
):
    """§3.5 row 3: epoch != stored -> PRODUCER_FENCED (request v < 2 gets INVALID_PRODUCER_EPOCH)."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.init()  # epoch 1
    before = kit.state_log_size(cluster)
    for stale_or_future in (0, 2):
        r = cluster.add_partitions_to_txn(
            "tx", 0, stale_or_future, [("t", 0)], api_version=api_version
        )
        assert r == {("t", 0): expected}
    assert kit.state_log_size(cluster) == before
    assert kit.txn_state(cluster, "tx") == S.Empty


def test_add_partitions_during_pending_transition_is_concurrent_transactions(kit, raw_producer):
    """§3.5 row 4 / §3.4 check 4: a pending transition -> CONCURRENT_TRANSACTIONS.

    White-box: the coordinator only holds `pending_state` inside one call (its log writes are
    synchronous), so no public request leaves it set; the test sets it to show the check exists.
    """
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    cluster.txn_coordinator.transactions["tx"].pending_state = S.Ongoing
    assert tx.add(("t", 0)) == {("t", 0): Errors.CONCURRENT_TRANSACTIONS}
    r = cluster.init_producer_id("tx")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.CONCURRENT_TRANSACTIONS, -1, -1)
    assert cluster.end_txn("tx", 0, 0, True).error == Errors.CONCURRENT_TRANSACTIONS


@pytest.mark.parametrize("state", [S.PrepareCommit, S.PrepareAbort])
def test_add_partitions_in_prepare_states_is_concurrent_transactions(kit, raw_producer, state):
    """§3.5 row 5: state PrepareCommit / PrepareAbort -> CONCURRENT_TRANSACTIONS, nothing written."""
    cluster, tx = _cluster_in_state(kit, raw_producer, state)
    before = kit.state_log_size(cluster)
    assert tx.add(("t", 0)) == {("t", 0): Errors.CONCURRENT_TRANSACTIONS}
    assert kit.state_log_size(cluster) == before
    assert kit.txn_state(cluster, "tx") == state


def test_add_partitions_already_included_is_none_and_writes_nothing(kit, raw_producer):
    """§3.5 row 6 / §3.3: Ongoing and all partitions already included -> NONE, no record."""
    cluster = kit.cluster({"t": 2})
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.add(("t", 0), ("t", 1)) == {("t", 0): Errors.NONE, ("t", 1): Errors.NONE}
    before = kit.state_log_size(cluster)
    assert tx.add(("t", 1)) == {("t", 1): Errors.NONE}
    assert tx.add(("t", 0), ("t", 1)) == {("t", 0): Errors.NONE, ("t", 1): Errors.NONE}
    assert kit.state_log_size(cluster) == before
    assert kit.txn_log(cluster, "tx") == ["Empty(0,e0,null)", "Ongoing(0,e0,[t-0,t-1])"]


def test_add_partitions_writes_union_and_start_time_from_first_add(kit, raw_producer):
    """§3.5 last row / §3.3: Ongoing with the union; txnStartTimestamp = now from Empty/CompleteX."""
    cluster = kit.cluster({"t": 2})
    tx = raw_producer(cluster, "tx")
    tx.init()  # t = 0
    cluster.advance(100)
    assert tx.add(("t", 0)) == {("t", 0): Errors.NONE}  # t = 100: Empty -> Ongoing
    cluster.advance(100)
    assert tx.add(("t", 1)) == {("t", 1): Errors.NONE}  # t = 200: the set grows
    tx.send("t", 0, "a")
    cluster.advance(100)
    assert tx.commit() == Errors.NONE  # t = 300
    cluster.advance(100)
    assert tx.add(("t", 1)) == {("t", 1): Errors.NONE}  # t = 400: CompleteCommit -> Ongoing
    values = kit.txn_log_values(cluster, "tx")
    assert [
        (
            S(v.transaction_status).name,
            v.transaction_partitions,
            v.transaction_start_timestamp_ms,
            v.transaction_last_update_timestamp_ms,
        )
        for v in values
    ] == [
        ("Empty", None, -1, 0),
        ("Ongoing", (("t", (0,)),), 100, 100),
        ("Ongoing", (("t", (0, 1)),), 100, 200),
        ("PrepareCommit", (("t", (0, 1)),), 100, 300),
        ("CompleteCommit", (), 100, 300),
        ("Ongoing", (("t", (1,)),), 400, 400),
    ]
    assert {v.transaction_timeout_ms for v in values} == {60_000}
    assert {(v.producer_id, v.producer_epoch) for v in values} == {(0, 0)}


def test_add_partitions_unknown_partition_fails_and_others_are_not_attempted(kit, raw_producer):
    """§3.5 (Kafka's handleAddPartitionsToTxnRequest): unknown -> 3, the rest -> 55, no record."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    before = kit.state_log_size(cluster)
    assert tx.add(("t", 0), ("t", 5)) == {
        ("t", 0): Errors.OPERATION_NOT_ATTEMPTED,
        ("t", 5): Errors.UNKNOWN_TOPIC_OR_PARTITION,
    }
    assert kit.state_log_size(cluster) == before
    assert kit.txn_state(cluster, "tx") == S.Empty


# -- §3.3 what one TV1 transaction writes -------------------------------------------------------------
def test_one_tv1_transaction_writes_four_transaction_log_records(kit, raw_producer):
    """§3.3 / G1: Empty(e0, null) -> Ongoing(e0, {t-0}) -> PrepareCommit(e0) -> CompleteCommit([])."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    tx.commit()
    assert kit.txn_log(cluster, "tx") == [
        "Empty(0,e0,null)",
        "Ongoing(0,e0,[t-0])",
        "PrepareCommit(0,e0,[t-0])",
        "CompleteCommit(0,e0,[])",
    ]
    partition = cluster.txn_coordinator.partition_for("tx")
    assert cluster.partition("__transaction_state", partition).log_end_offset == 4


def test_abort_writes_prepare_abort_and_complete_abort(kit, raw_producer):
    """§3.3 / G3: ... -> PrepareAbort(e0) -> CompleteAbort(e0)."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.abort() == Errors.NONE
    assert kit.txn_log(cluster, "tx") == [
        "Empty(0,e0,null)",
        "Ongoing(0,e0,[t-0])",
        "PrepareAbort(0,e0,[t-0])",
        "CompleteAbort(0,e0,[])",
    ]


# -- §3.4 InitProducerId --------------------------------------------------------------------------------
def test_init_producer_id_unknown_id_gets_new_pid_epoch_0_and_empty_record(kit):
    """§3.4 check 3 / step 7: new pid, epoch -1 bumped to 0; the Empty record precedes the answer."""
    cluster = kit.cluster()
    r = cluster.init_producer_id("peter-transaction-01")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 0)
    values = kit.txn_log_values(cluster, "peter-transaction-01")
    assert len(values) == 1
    v = values[0]
    assert (v.producer_id, v.producer_epoch, v.transaction_timeout_ms, v.transaction_status) == (
        0,
        0,
        60_000,
        int(S.Empty),
    )
    assert (v.transaction_partitions, v.transaction_start_timestamp_ms) == (None, -1)
    event = cluster.journal[-1]
    assert (event.api, event.result) == ("InitProducerId", "NONE (pid 0, epoch 0)")
    assert str(event.effects[-1]) == (
        "__transaction_state-13 offset 0: peter-transaction-01 Empty (pid 0, epoch 0)"
    )


def test_init_producer_id_from_empty_or_complete_bumps_epoch_and_clears_partitions(
    kit, raw_producer
):
    """§3.4 step 6 / G26: Empty/CompleteX -> Empty with epoch+1, partitions null, start -1."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    assert [tx.init().producer_epoch for _ in range(3)] == [0, 1, 2]
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    tx.commit()
    r = tx.init()
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 3)
    assert kit.txn_log(cluster, "tx")[-1] == "Empty(0,e3,null)"
    assert kit.txn_log_values(cluster, "tx")[-1].transaction_start_timestamp_ms == -1
    assert cluster.txn_coordinator.transactions["tx"].topic_partitions == set()


def test_g26_restart_without_open_transaction_writes_only_an_empty_record(kit, raw_producer):
    """G26: instance 2's init -> (0, e1); no marker anywhere, logs unchanged, one Empty(e1) record."""
    cluster = kit.cluster()
    first = raw_producer(cluster, "tx").init()
    assert (first.producer_id, first.producer_epoch) == (0, 0)
    data_before = kit.data_log_sizes(cluster)
    second = raw_producer(cluster, "tx").init()
    assert (second.error, second.producer_id, second.producer_epoch) == (Errors.NONE, 0, 1)
    assert kit.data_log_sizes(cluster) == data_before == {"t-0": 0}
    assert kit.txn_log(cluster, "tx") == ["Empty(0,e0,null)", "Empty(0,e1,null)"]
    assert kit.state_log_size(cluster) == 2


def test_init_producer_id_in_prepare_abort_is_concurrent_transactions(kit, raw_producer):
    """§3.4 step 6: PrepareAbort -> CONCURRENT_TRANSACTIONS (the client backs off)."""
    cluster, _ = _cluster_in_state(kit, raw_producer, S.PrepareAbort)
    r = cluster.init_producer_id("tx")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.CONCURRENT_TRANSACTIONS, -1, -1)


def test_init_producer_id_with_expected_current_epoch_bumps(kit, raw_producer):
    """§3.4 check 5 / step 6 (KIP-360): expected epoch == current -> bump."""
    cluster = kit.cluster()
    raw_producer(cluster, "tx").init()
    r = cluster.init_producer_id("tx", producer_id=0, producer_epoch=0)
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 1)


def test_init_producer_id_retry_with_last_epoch_returns_same_epoch(kit, raw_producer):
    """§3.4 step 6: expected epoch == lastProducerEpoch -> a retry, same epoch without a bump."""
    cluster = kit.cluster()
    raw_producer(cluster, "tx").init()
    assert cluster.init_producer_id("tx", producer_id=0, producer_epoch=0).producer_epoch == 1
    retry = cluster.init_producer_id("tx", producer_id=0, producer_epoch=0)
    assert (retry.error, retry.producer_id, retry.producer_epoch) == (Errors.NONE, 0, 1)
    assert cluster.txn_coordinator.transactions["tx"].producer_epoch == 1


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [(3, Errors.INVALID_PRODUCER_EPOCH), (4, Errors.PRODUCER_FENCED)],
)
def test_init_producer_id_with_unexpected_pid_or_epoch_is_producer_fenced(
    kit, raw_producer, api_version, expected
):
    """§3.4 check 5 / step 6: wrong pid, or an epoch neither current nor last -> PRODUCER_FENCED.

    (INVALID_PRODUCER_EPOCH is returned to request versions < 4.)
    """
    cluster = kit.cluster()
    raw_producer(cluster, "tx").init()
    cluster.init_producer_id("tx")  # epoch 1, last epoch 0
    before = kit.state_log_size(cluster)
    wrong_pid = cluster.init_producer_id(
        "tx", producer_id=5, producer_epoch=1, api_version=api_version
    )
    assert (wrong_pid.error, wrong_pid.producer_id) == (expected, -1)
    wrong_epoch = cluster.init_producer_id(
        "tx", producer_id=0, producer_epoch=7, api_version=api_version
    )
    assert (wrong_epoch.error, wrong_epoch.producer_id) == (expected, -1)
    assert kit.state_log_size(cluster) == before
    assert cluster.txn_coordinator.transactions["tx"].producer_epoch == 1


def test_init_producer_id_rotates_pid_when_epoch_is_exhausted(kit):
    """§3.4 step 6: at epoch >= 32766 (Short.MAX_VALUE - 1) a new pid with epoch 0 is allocated.

    Also §3.4 check 5: a retry naming the previous pid with the exhausted epoch is accepted and
    returns the rotated (pid, epoch) again.
    """
    cluster = kit.cluster(topics={})
    r = cluster.init_producer_id("tx")
    while r.producer_epoch < 32766:
        r = cluster.init_producer_id("tx", producer_id=0, producer_epoch=r.producer_epoch)
        assert r.error == Errors.NONE
    assert (r.producer_id, r.producer_epoch) == (0, 32766)
    rotated = cluster.init_producer_id("tx", producer_id=0, producer_epoch=32766)
    assert (rotated.error, rotated.producer_id, rotated.producer_epoch) == (Errors.NONE, 1, 0)
    metadata = cluster.txn_coordinator.transactions["tx"]
    assert (metadata.previous_producer_id, metadata.last_producer_epoch) == (0, 32766)
    retry = cluster.init_producer_id("tx", producer_id=0, producer_epoch=32766)
    assert (retry.error, retry.producer_id, retry.producer_epoch) == (Errors.NONE, 1, 0)
    assert kit.txn_log(cluster, "tx")[-2:] == ["Empty(1,e0,null)", "Empty(1,e0,null)"]


# -- G11: a partition enrolled without data ------------------------------------------------------------
@pytest.mark.parametrize("commit", [True, False], ids=["COMMIT", "ABORT"])
def test_g11_marker_only_partition(kit, raw_producer, commit):
    """G11: AddPartitionsToTxn + EndTxn, no Produce: offset 0 is the marker, HW = LSO = 1, no index."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.add(("t", 0)) == {("t", 0): Errors.NONE}
    assert tx.end(commit) == Errors.NONE
    p = cluster.partition("t", 0)
    kind = "COMMIT" if commit else "ABORT"
    assert kit.layout(p) == [f"0: {kind}(0,0)"]
    assert kit.markers(p) == [(0, kind, 0, 0, 0)]
    assert p.batches[0].is_control
    assert kit.offsets(p) == (1, 1, 1)
    assert kit.index(p) == []
    assert p.first_unstable_offset() is None
    for isolation in (READ_COMMITTED, READ_UNCOMMITTED):
        fetched = cluster.fetch("t", 0, 0, isolation)
        assert fetched.error == Errors.NONE
        assert kit.fetched_offsets(fetched) == []  # only the control batch: no data for the app
        assert [b.base_offset for b in fetched.batches] == [0]
    assert cluster.fetch("t", 0, 0, READ_COMMITTED).aborted_transactions == []
    assert kit.txn_state(cluster, "tx") == (S.CompleteCommit if commit else S.CompleteAbort)


# -- G26: transactional.id expiration ---------------------------------------------------------------
def test_g26_transactional_id_expires_after_7_days_with_tombstone(kit, raw_producer):
    """G26 / §3.7: idle 604 800 000 ms in Empty -> Dead + tombstone at the hourly scan; new pid e0."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    assert tx.init().producer_epoch == 1  # last update at t = 0
    cluster.advance(604_800_000 - 1)
    assert kit.txn_state(cluster, "tx") == S.Empty
    cluster.advance(1)  # scan at t = 604 800 000 (168 x 3 600 000): 0 <= now - 7 days
    assert kit.txn_state(cluster, "tx") is None
    assert kit.txn_log(cluster, "tx") == ["Empty(0,e0,null)", "Empty(0,e1,null)", "tombstone"]
    tombstone = cluster.partition(
        "__transaction_state", cluster.txn_coordinator.partition_for("tx")
    )
    assert tombstone.batches[-1].records[0].value is None
    expired = cluster.journal.events(api="removeExpiredTransactionalIds")
    assert [(e.time_ms, e.result) for e in expired] == [(604_800_000, "expired tx")]
    r = cluster.init_producer_id("tx")
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 1, 0)
    assert kit.txn_log(cluster, "tx")[-1] == "Empty(1,e0,null)"


def test_g26_expiry_counts_from_last_update_of_complete_state(kit, raw_producer):
    """§3.7: CompleteCommit is expirable too; the clock starts at txnLastUpdateTimestamp."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    cluster.advance(1_000)
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    tx.commit()  # CompleteCommit at t = 1000
    cluster.advance(604_800_000 - 1_000)  # t = 604 800 000: 1000 > now - 7 days
    assert kit.txn_state(cluster, "tx") == S.CompleteCommit
    cluster.advance(3_600_000)  # next hourly scan
    assert kit.txn_state(cluster, "tx") is None
    assert kit.txn_log(cluster, "tx")[-2:] == ["CompleteCommit(0,e0,[])", "tombstone"]


def test_ongoing_transaction_never_expires(kit, raw_producer):
    """§3.7: an Ongoing transaction never expires (timeout scan pushed out of the way here)."""
    cluster = kit.cluster(
        config={"transaction.abort.timed.out.transaction.cleanup.interval.ms": 30 * 86_400_000}
    )
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    cluster.advance(8 * 86_400_000)
    assert kit.txn_state(cluster, "tx") == S.Ongoing
    assert "tombstone" not in kit.txn_log(cluster, "tx")


def test_init_producer_id_timeout_limit_follows_transaction_max_timeout_ms(kit):
    """§3.4 check 2 / §10: the bound is the broker's transaction.max.timeout.ms."""
    cluster = kit.cluster(config={"transaction.max.timeout.ms": 10_000})
    assert cluster.init_producer_id("tx", 10_001).error == Errors.INVALID_TRANSACTION_TIMEOUT
    assert cluster.init_producer_id("tx", 10_000).error == Errors.NONE


def test_transaction_log_record_bytes_are_key_v0_and_value_v0(kit, raw_producer):
    """§3.3: TransactionLogKey v0 (version, string id); TransactionLogValue v0 for Empty:
    pid int64, epoch int16, timeout int32, status int8, partitions null (-1), lastUpdate, start -1."""
    cluster = kit.cluster()
    raw_producer(cluster, "tx").init()
    record = cluster.partition("__transaction_state", 16).batches[0].records[0]
    assert record.key == bytes.fromhex("0000" + "0002" + "7478")
    assert record.value == bytes.fromhex(
        "0000"  # value version 0
        "0000000000000000"  # producer id 0
        "0000"  # epoch 0
        "0000ea60"  # timeout 60000
        "00"  # status Empty
        "ffffffff"  # partitions: null
        "0000000000000000"  # last update timestamp 0
        "ffffffffffffffff"  # start timestamp -1
    )


def test_g13_tv2_end_txn_abort_in_empty_bumps_epoch():
    """G13 TV2 difference / §3.6 TV2 table: EndTxn(ABORT, current epoch) in Empty -> NONE, epoch+1."""
    cluster = Cluster(config={"transaction.version": 2})
    assert cluster.init_producer_id("tx").error == Errors.NONE
    r = cluster.end_txn("tx", 0, 0, False, api_version=5)
    assert (r.error, r.producer_id, r.producer_epoch) == (Errors.NONE, 0, 1)
    assert cluster.txn_coordinator.transactions["tx"].producer_epoch == 1
    assert cluster.txn_coordinator.transactions["tx"].state == S.CompleteAbort


def test_end_txn_v5_needs_a_tv2_cluster():
    cluster = Cluster()
    cluster.init_producer_id("tx")
    assert cluster.end_txn("tx", 0, 0, False, api_version=5).error == Errors.UNSUPPORTED_VERSION


def test_pid_blocks_of_1000_per_broker(kit):
    """§2.1: pids come in blocks of 1000 per broker; the second broker's first pid is 1000."""
    cluster = Cluster(brokers=2)
    assert cluster.find_coordinator("tx").node_id == 1  # __transaction_state-16 on broker 1
    assert cluster.find_coordinator("peter-transaction-01").node_id == 2  # -13 on broker 2
    first = cluster.init_producer_id("tx")
    second = cluster.init_producer_id("peter-transaction-01")
    assert (first.producer_id, second.producer_id) == (0, 1000)


def test_marker_goes_to_every_partition_in_the_transaction_even_without_data(kit, raw_producer):
    """§1.3: each marker takes one offset on every partition in the txn, data or not."""
    cluster = kit.cluster({"t2": 2})
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t2", 0), ("t2", 1))
    tx.send("t2", 0, "a")
    assert tx.abort() == Errors.NONE
    p0, p1 = cluster.partition("t2", 0), cluster.partition("t2", 1)
    assert kit.layout(p0) == ['0: D tx(0,0,0) "a"', "1: ABORT(0,0)"]
    assert kit.layout(p1) == ["0: ABORT(0,0)"]
    assert (kit.index(p0), kit.index(p1)) == ([(0, 0, 1, 2)], [])
    assert (kit.offsets(p0), kit.offsets(p1)) == ((2, 2, 2), (1, 1, 1))


def test_txn_offset_commit_without_member_is_accepted_on_a_live_group():
    """§6.3: TxnOffsetCommit v0-v2 carries no generation or member; with none given there is
    nothing to validate, even while the group is Stable (ClassicGroup.validateOffsetCommit)."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    join = cluster.join_group("g", "", [("range", b"")], client_id="c")
    cluster.sync_group("g", join.generation_id, join.member_id, {join.member_id: b""})
    assert cluster.group_coordinator.group("g").state == GroupState.Stable
    cluster.init_producer_id("tx")
    cluster.add_offsets_to_txn("tx", 0, 0, "g")
    assert cluster.txn_offset_commit("tx", "g", 0, 0, {("t", 0): (3, "")}) == {
        ("t", 0): Errors.NONE
    }
    plain = cluster.offset_commit("g", {("t", 0): (3, "")})
    assert plain == {("t", 0): Errors.UNKNOWN_MEMBER_ID}  # a plain commit is still checked
