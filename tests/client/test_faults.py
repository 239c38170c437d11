"""Faults: lost responses, late requests, dropped and duplicated markers, coordinator failover."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.broker.effects import DuplicateBatch, ResponseLost
from eoslab.client import KafkaError, KafkaException, Producer, TopicPartition
from tests.conftest import aborted_index, log_layout, offsets, read_all, txn_log, txn_producer


def test_lost_produce_response_idempotent_producer_dedups_the_retry(cluster: Cluster) -> None:
    """§2.3: the retry of a batch whose response was lost is answered with the original offset."""
    reports = []
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "enable.idempotence": True})
    cluster.lose_response("Produce", client_id="producer-1")
    p.produce("t", value="a", on_delivery=lambda err, msg: reports.append((err, msg.offset())))
    p.flush()
    assert reports == [(None, 0)]
    assert log_layout(cluster) == [(0, "D", 0, 0, 0, "a")]
    produces = cluster.journal.events(api="Produce")
    assert [e.result for e in produces] == ["NONE (offset 0)", "NONE (offset 0)"]
    assert produces[0].effects[-1] == ResponseLost()
    assert str(produces[0].effects[-1]) == "the response is lost: the client times out"
    assert produces[1].effects == (DuplicateBatch("t-0", 0),)
    assert (
        str(produces[1].effects[0]) == "t-0: duplicate of the batch at offset 0, nothing appended"
    )


def test_lost_produce_response_plain_producer_writes_twice(cluster: Cluster) -> None:
    """Without idempotence the retry is a second record: at-least-once, not exactly-once."""
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    cluster.lose_response("Produce")
    p.produce("t", value="a")
    p.flush()
    assert log_layout(cluster) == [(0, "D", -1, -1, -1, "a"), (1, "D", -1, -1, -1, "a")]


def late_write_after_abort(cluster: Cluster) -> Producer:
    """Every Produce attempt of "a" is held; the app gives up and aborts; then one arrives."""
    reports = []
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    cluster.delay_request("Produce", client_id="producer-1", count=5)
    p.produce("t", value="a", on_delivery=lambda err, msg: reports.append(err.code()))
    with pytest.raises(KafkaException) as excinfo:
        p.commit_transaction()
    error = excinfo.value.args[0]
    assert (error.code(), error.str(), error.txn_requires_abort()) == (
        KafkaError._TIMED_OUT,
        "1 message(s) timed out on t [0]",
        True,
    )
    assert reports == [KafkaError._MSG_TIMED_OUT]
    p.abort_transaction()
    assert log_layout(cluster) == [(0, "ABORT", 0, 0)]
    assert len(cluster.held_requests) == 5
    cluster.release_held(0)
    return p


def test_late_write_is_refused_by_kip890_verification(cluster: Cluster) -> None:
    """§3.8: the leader checks the late batch with the coordinator: not in a transaction."""
    late_write_after_abort(cluster)
    late = cluster.journal.events(api="Produce")[-1]
    assert (late.args["late"], late.result) == (True, "INVALID_TXN_STATE")
    assert offsets(cluster) == (1, 1, 1)


def test_late_write_without_verification_hangs_the_partition() -> None:
    """§8 cause 1: before KIP-890 the late batch opens a transaction nobody will end."""
    cluster = Cluster(config={"transaction.partition.verification.enable": False})
    cluster.create_topics([("t", 1, 1)])
    late_write_after_abort(cluster)
    assert log_layout(cluster) == [(0, "ABORT", 0, 0), (1, "tx", 0, 0, 0, "a")]
    assert offsets(cluster) == (2, 2, 1)
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="x")
    plain.flush()
    cluster.advance(600_000)
    assert offsets(cluster) == (3, 3, 1)  # the LSO never moves: the transaction hangs
    assert read_all(cluster) == ([], 1)
    assert cluster.txn_coordinator.transactions["tx"].state.name == "CompleteAbort"


def test_tv1_late_end_txn_commits_the_next_transaction() -> None:
    """The anomaly Jepsen reported for the classic protocol: the epoch is the same in every
    transaction, so a delayed EndTxn(COMMIT) of transaction 1 commits transaction 2 early."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    cluster.delay_request("EndTxn", client_id="producer-1")
    p.commit_transaction()  # the first EndTxn is held; the retry commits transaction 1
    assert [e.result for e in cluster.journal.events(api="EndTxn")] == [
        "held in the network",
        "NONE",
    ]
    p.begin_transaction()
    p.produce("t", value="b")
    p.flush()
    cluster.release_held()  # transaction 1's EndTxn arrives now, with the same pid and epoch
    assert txn_log(cluster, "tx")[-2:] == [("PrepareCommit", 0), ("CompleteCommit", 0)]
    assert read_all(cluster) == ([(0, "a"), (2, "b")], 4)  # "b" is visible: committed early
    p.produce("t", value="c")
    with pytest.raises(KafkaException) as excinfo:
        p.commit_transaction()
    assert excinfo.value.args[0].txn_requires_abort()
    with pytest.raises(KafkaException) as excinfo:
        p.abort_transaction()  # the application believes "b" is being aborted...
    assert (excinfo.value.args[0].code(), excinfo.value.args[0].fatal()) == (
        KafkaError.INVALID_TXN_STATE,
        True,
    )
    assert read_all(cluster) == ([(0, "a"), (2, "b")], 4)  # ...but "b" stays committed


def test_dropped_marker_leaves_the_transaction_in_prepare_until_failover() -> None:
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    assert cluster.drop_step() == "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"
    assert cluster.pending_steps == []
    assert offsets(cluster) == (1, 1, 0)
    assert cluster.restart_transaction_coordinator() == ["tx"]
    assert cluster.pending_steps == ["WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"]
    cluster.run_pending()
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]
    marker = cluster.partition("t", 0).batches[1]
    assert marker.coordinator_epoch == 1  # written by the new coordinator
    assert txn_log(cluster, "tx")[-1] == ("CompleteCommit", 0)


def test_stale_coordinator_markers_are_fenced() -> None:
    """§3.7: a marker with a lower coordinator epoch than the last one seen is rejected and
    takes no offset."""
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    cluster.restart_transaction_coordinator(keep_stale_markers=True)
    assert cluster.pending_steps == [
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0",
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0 (stale coordinator)",
    ]
    cluster.run_pending()
    markers = cluster.journal.events(api="WriteTxnMarkers")
    assert [(e.args["coordinator_epoch"], e.result) for e in markers] == [
        (1, "NONE"),
        (0, "TRANSACTION_COORDINATOR_FENCED"),
    ]
    assert offsets(cluster) == (2, 2, 2)


def test_duplicated_marker_takes_an_offset_and_changes_nothing() -> None:
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    p.abort_transaction()
    cluster.duplicate_step()
    cluster.run_pending()
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 0), (2, "ABORT", 0, 0)]
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    assert txn_log(cluster, "tx")[-1] == ("CompleteAbort", 0)
    assert read_all(cluster) == ([], 3)


def test_crashed_producer_leaves_its_transaction_open_until_the_timeout(cluster: Cluster) -> None:
    p = txn_producer(cluster, **{"transaction.timeout.ms": 5000})
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    p.produce("t", value="lost")  # still in the producer's queue
    p.crash()
    assert offsets(cluster) == (1, 1, 0)
    cluster.advance(10_000)
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    with pytest.raises(RuntimeError):
        p.produce("t", value="b")
    consumer_view = read_all(cluster, "t", 0)
    assert consumer_view == ([], 2)
    assert TopicPartition("t", 0).offset == -1001
