"""Golden scenarios of the reference (§12), driven through the confluent_kafka-shaped client.

Each test states the exact log, offsets, index entries, consumer results and coordinator records
the reference gives. Positions are librdkafka's (§5.4.1): a consumer that has stepped over a
trailing marker reports the offset after it.
"""

from __future__ import annotations

from eoslab import Cluster
from eoslab.client import KafkaError, KafkaException, Producer, TopicPartition
from tests.conftest import (
    aborted_index,
    commit_one,
    consumer,
    log_layout,
    offsets,
    read_all,
    txn_log,
    txn_producer,
)


def test_g1_one_record_commit(cluster: Cluster) -> None:
    """G1: data at 0, COMMIT marker at 1; both isolation levels read [0:"a"] and end at 2."""
    p = txn_producer(cluster)
    p.init_transactions()
    assert (p.producer_id, p.producer_epoch) == (0, 0)
    commit_one(p, "a")
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]
    assert offsets(cluster) == (2, 2, 2)
    assert aborted_index(cluster) == []
    assert read_all(cluster, isolation="read_committed") == ([(0, "a")], 2)
    assert read_all(cluster, isolation="read_uncommitted") == ([(0, "a")], 2)
    assert txn_log(cluster, "tx") == [
        ("Empty", 0),
        ("Ongoing", 0),
        ("PrepareCommit", 0),
        ("CompleteCommit", 0),
    ]
    marker = cluster.partition("t", 0).batches[1]
    assert (marker.coordinator_epoch, marker.base_sequence, marker.is_transactional) == (
        0,
        -1,
        True,
    )


def test_g1_positions_step_over_the_marker_on_the_next_poll(cluster: Cluster) -> None:
    """§5.4.1: position 1 right after the message, 2 after the next (empty) poll."""
    p = txn_producer(cluster)
    p.init_transactions()
    commit_one(p, "a")
    for isolation in ("read_committed", "read_uncommitted"):
        c = consumer(cluster, isolation)
        tp = TopicPartition("t", 0, 0)
        c.assign([tp])
        assert c.position([tp])[0].offset == -1001
        m = c.poll(1.0)
        assert (m.offset(), m.value()) == (0, b"a")
        assert c.position([tp])[0].offset == 1
        assert c.poll(1.0) is None
        assert c.position([tp])[0].offset == 2
        assert c.get_watermark_offsets(tp) == (0, 2)


def test_g2_two_commits_same_instance_sequences_continue(cluster: Cluster) -> None:
    """G2 (TV1): the epoch stays 0 and the sequence continues to 1 in the second transaction."""
    p = txn_producer(cluster)
    p.init_transactions()
    commit_one(p, "a")
    commit_one(p, "b")
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0, 1, "b"),
        (3, "COMMIT", 0, 0),
    ]
    assert offsets(cluster) == (4, 4, 4)
    assert read_all(cluster) == ([(0, "a"), (2, "b")], 4)


def test_g3_one_record_abort(cluster: Cluster) -> None:
    """G3: flushed then aborted: ABORT at 1, index (0, 0, 1, 2); RC reads nothing, ends at 2."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    assert p.flush() == 0
    p.abort_transaction()
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 0)]
    assert offsets(cluster) == (2, 2, 2)
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    assert read_all(cluster, isolation="read_committed") == ([], 2)
    assert read_all(cluster, isolation="read_uncommitted") == ([(0, "a")], 2)
    fetch = cluster.fetch("t", 0, 0, isolation_level=1)
    assert fetch.aborted_transactions == [(0, 0)]
    assert cluster.fetch("t", 0, 0, isolation_level=0).aborted_transactions is None
    assert txn_log(cluster, "tx")[-2:] == [("PrepareAbort", 0), ("CompleteAbort", 0)]


def test_abort_before_the_batch_left_leaves_no_trace(cluster: Cluster) -> None:
    """§5.4.2: begin; produce; abort purges the queued record (_PURGE_QUEUE), writes nothing."""
    reports = []
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a", on_delivery=lambda err, msg: reports.append(err.code()))
    p.abort_transaction()
    p.poll(0)
    assert reports == [KafkaError._PURGE_QUEUE]
    assert offsets(cluster) == (0, 0, 0)
    assert txn_log(cluster, "tx") == [("Empty", 0)]
    assert not cluster.journal.events(api="EndTxn")
    commit_one(p, "b")
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "b"), (1, "COMMIT", 0, 0)]


def test_g4_commit_abort_then_plain_record(cluster: Cluster) -> None:
    """G4: a plain (non-idempotent) record after an aborted transaction is read by RC."""
    p = txn_producer(cluster)
    p.init_transactions()
    commit_one(p, "a")
    p.begin_transaction()
    p.produce("t", value="b")
    p.flush()
    p.abort_transaction()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="c")
    plain.flush()
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0, 1, "b"),
        (3, "ABORT", 0, 0),
        (4, "D", -1, -1, -1, "c"),
    ]
    assert offsets(cluster) == (5, 5, 5)
    assert aborted_index(cluster) == [(0, 2, 3, 4)]
    assert read_all(cluster, isolation="read_committed") == ([(0, "a"), (4, "c")], 5)
    assert read_all(cluster, isolation="read_uncommitted") == ([(0, "a"), (2, "b"), (4, "c")], 5)


def test_g5_open_transaction_blocks_read_committed(cluster: Cluster) -> None:
    """G5: HW 2, LSO 0; RC gets nothing (even the later plain record) until the commit."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="x")
    plain.flush()
    assert offsets(cluster) == (2, 2, 0)
    rc, ru = consumer(cluster, "read_committed"), consumer(cluster, "read_uncommitted")
    tp = TopicPartition("t", 0, 0)
    rc.assign([tp])
    ru.assign([tp])
    assert rc.poll(1.0) is None
    assert rc.position([tp])[0].offset == -1001  # librdkafka: nothing returned yet
    assert rc.fetch_state("t", 0).fetch_position == 0
    assert rc.get_watermark_offsets(tp) == (0, 0)
    assert [m.offset() for m in ru.consume(10, 1.0)] == [0, 1]
    assert ru.position([tp])[0].offset == 2
    assert ru.get_watermark_offsets(tp) == (0, 2)
    p.commit_transaction()
    assert log_layout(cluster)[2] == (2, "COMMIT", 0, 0)
    assert offsets(cluster) == (3, 3, 3)
    assert [(m.offset(), m.value()) for m in rc.consume(10, 1.0)] == [(0, b"a"), (1, b"x")]
    assert rc.position([tp])[0].offset == 3
    assert ru.consume(10, 1.0) == []
    assert ru.position([tp])[0].offset == 3


def test_g6_later_commit_waits_for_the_earlier_open_transaction(cluster: Cluster) -> None:
    """G6: P1 commits first, but the LSO stays at P0's first offset until P0 commits."""
    p0, p1 = txn_producer(cluster, "tx0"), txn_producer(cluster, "tx1")
    p0.init_transactions()
    p1.init_transactions()
    assert (p0.producer_id, p1.producer_id) == (0, 1)
    p0.begin_transaction()
    p0.produce("t", value="a")
    p0.flush()
    commit_one(p1, "b")
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "tx", 1, 0, 0, "b"),
        (2, "COMMIT", 1, 0),
    ]
    assert offsets(cluster) == (3, 3, 0)
    assert read_all(cluster) == ([], -1001)
    p0.commit_transaction()
    assert offsets(cluster) == (4, 4, 4)
    assert read_all(cluster) == ([(0, "a"), (1, "b")], 4)
    assert aborted_index(cluster) == []


def test_g7_positions_with_aborted_and_open_data(cluster: Cluster) -> None:
    """§5.4.1 G7 layout: aborted data skipped without moving position(); LSO 1, HW 3."""
    p0, p1 = txn_producer(cluster, "tx0"), txn_producer(cluster, "tx1")
    p0.init_transactions()
    p1.init_transactions()
    for p, value in ((p0, "a"), (p1, "b")):
        p.begin_transaction()
        p.produce("t", value=value)
        p.flush()
    p0.abort_transaction()
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "tx", 1, 0, 0, "b"),
        (2, "ABORT", 0, 0),
    ]
    assert offsets(cluster) == (3, 3, 1)
    tp = TopicPartition("t", 0, 0)
    rc = consumer(cluster, "read_committed")
    rc.assign([tp])
    assert rc.consume(10, 1.0) == []
    assert rc.position([tp])[0].offset == -1001
    assert rc.fetch_state("t", 0).fetch_position == 1
    assert rc.get_watermark_offsets(tp) == (0, 1)
    assert read_all(cluster, isolation="read_uncommitted") == ([(0, "a"), (1, "b")], 3)
    p1.commit_transaction()
    assert read_all(cluster, isolation="read_committed") == ([(1, "b")], 4)
    p0.begin_transaction()
    p0.produce("t", value="d")
    p0.produce("t", value="e")
    p0.flush()
    p0.abort_transaction()
    commit_one(p0, "c")
    assert [row[:2] for row in log_layout(cluster)[4:]] == [
        (4, "tx"),
        (5, "tx"),
        (6, "ABORT"),
        (7, "tx"),
        (8, "COMMIT"),
    ]
    for isolation, expected in (("read_committed", [7]), ("read_uncommitted", [4, 5, 7])):
        c = consumer(cluster, isolation)
        c.assign([TopicPartition("t", 0, 4)])
        assert [m.offset() for m in c.consume(10, 1.0)] == expected
        assert c.position([TopicPartition("t", 0)])[0].offset == 9


def test_g10_multi_partition_visibility_is_per_partition() -> None:
    """G10: one Ongoing record for both partitions; in step mode p0 is readable before p1."""
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t2", 2, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t2", value="a", partition=0)
    p.produce("t2", value="b", partition=1)
    p.commit_transaction()
    assert txn_log(cluster, "tx") == [("Empty", 0), ("Ongoing", 0), ("PrepareCommit", 0)]
    assert cluster.pending_steps == [
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t2-0",
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t2-1",
    ]
    cluster.step()
    assert read_all(cluster, "t2", 0) == ([(0, "a")], 2)
    assert read_all(cluster, "t2", 1) == ([], -1001)
    assert offsets(cluster, "t2", 1) == (1, 1, 0)
    cluster.step()
    assert cluster.pending_steps == ["tx: write CompleteCommit to __transaction_state"]
    cluster.step()
    for partition, value in ((0, "a"), (1, "b")):
        assert log_layout(cluster, "t2", partition) == [
            (0, "tx", 0, 0, 0, value),
            (1, "COMMIT", 0, 0),
        ]
        assert offsets(cluster, "t2", partition) == (2, 2, 2)
    assert txn_log(cluster, "tx")[-1] == ("CompleteCommit", 0)


def test_g12_empty_transaction_sends_no_end_txn(cluster: Cluster) -> None:
    """G12: begin; commit (or abort) with no sends writes nothing and keeps Empty(e0)."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.commit_transaction()
    p.begin_transaction()
    p.abort_transaction()
    assert not cluster.journal.events(api="EndTxn")
    assert txn_log(cluster, "tx") == [("Empty", 0)]
    assert offsets(cluster) == (0, 0, 0)
    commit_one(p, "a")
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]


def test_g14_zombie_is_fenced_and_its_transaction_aborted(cluster: Cluster) -> None:
    """G14: B's init aborts A's open transaction with an ABORT at epoch 1; B gets epoch 2."""
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    b = txn_producer(cluster)
    b.init_transactions()
    assert (b.producer_id, b.producer_epoch) == (0, 2)
    attempts = [e.result for e in cluster.journal.events(api="InitProducerId")]
    assert attempts[-2:] == ["CONCURRENT_TRANSACTIONS", "NONE (pid 0, epoch 2)"]
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert txn_log(cluster, "tx") == [
        ("Empty", 0),
        ("Ongoing", 0),
        ("PrepareAbort", 1),
        ("CompleteAbort", 1),
        ("Empty", 2),
    ]
    commit_one(b, "b")
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "ABORT", 0, 1),
        (2, "tx", 0, 2, 0, "b"),
        (3, "COMMIT", 0, 2),
    ]
    assert offsets(cluster) == (4, 4, 4)
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    assert read_all(cluster, isolation="read_committed") == ([(2, "b")], 4)
    assert read_all(cluster, isolation="read_uncommitted") == ([(0, "a"), (2, "b")], 4)
    try:
        a.commit_transaction()
    except KafkaException as e:
        error = e.args[0]
    assert (error.code(), error.fatal(), error.txn_requires_abort()) == (
        KafkaError._FENCED,
        True,
        False,
    )
    assert cluster.journal.events(api="EndTxn")[-1].result == "INVALID_PRODUCER_EPOCH"  # EndTxn v1
    assert offsets(cluster) == (4, 4, 4)


def test_g14_zombie_produce_to_an_enrolled_partition_is_rejected(cluster: Cluster) -> None:
    """§7 step 4: the old instance's batch gets INVALID_PRODUCER_EPOCH and takes no offset.

    The leader checks it against the coordinator (KIP-890 verification: no open transaction of
    pid 0 here any more), which answers PRODUCER_FENCED, mapped to INVALID_PRODUCER_EPOCH.
    """
    reports = []
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    txn_producer(cluster).init_transactions()
    a.produce(
        "t", value="a2", on_delivery=lambda err, msg: reports.append((err.code(), msg.offset()))
    )
    a.flush()
    assert reports == [(KafkaError.INVALID_PRODUCER_EPOCH, None)]
    assert offsets(cluster) == (2, 2, 2)
    # librdkafka makes INVALID_PRODUCER_EPOCH on Produce fatal (_FENCED); Java makes it abortable.
    assert a.transaction_state == "FatalError"
    try:
        a.commit_transaction()
    except KafkaException as e:
        error = e.args[0]
    assert (error.code(), error.fatal()) == (KafkaError._FENCED, True)
    assert error.str() == (
        "ProduceRequest for t [0] with 1 message(s) failed: Broker: Producer attempted an "
        "operation with an old epoch (broker 1 PID{Id:0,Epoch:0}, base seq 1): transactional "
        "producer fenced by newer producer instance"
    )


def test_g15_transaction_timeout_aborts_at_the_next_scan(cluster: Cluster) -> None:
    """G15: timeout 5000 ms, scans every 10 s: the abort happens at t=10000, ABORT at epoch 1."""
    p = txn_producer(cluster, **{"transaction.timeout.ms": 5000})
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    cluster.advance(9_999)
    assert offsets(cluster) == (1, 1, 0)
    cluster.advance(1)
    assert cluster.now_ms == 10_000
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    assert offsets(cluster) == (2, 2, 2)
    assert txn_log(cluster, "tx")[-2:] == [("PrepareAbort", 1), ("CompleteAbort", 1)]
    try:
        p.commit_transaction()
    except KafkaException as e:
        error = e.args[0]
    assert (error.code(), error.fatal()) == (KafkaError._FENCED, True)
    assert offsets(cluster) == (2, 2, 2)


def test_g25_the_books_peter_test05_run() -> None:
    """G25: two runs of the book's producer; the RC consumer prints offsets 0 and 2."""
    cluster = Cluster(brokers=3)
    cluster.create_topics([("peter-test05", 1, 3)])
    for _run in range(2):
        p = txn_producer(cluster, "peter-transaction-01")
        p.init_transactions()
        commit_one(p, "Apache Kafka is a distributed streaming platform - 0", "peter-test05")
    assert cluster.txn_coordinator.partition_for("peter-transaction-01") == 13
    assert [row[:4] for row in log_layout(cluster, "peter-test05")] == [
        (0, "tx", 0, 0),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 1),
        (3, "COMMIT", 0, 1),
    ]
    records, position = read_all(cluster, "peter-test05")
    assert [o for o, _ in records] == [0, 2]
    assert position == 4
    assert offsets(cluster, "peter-test05") == (4, 4, 4)


def test_the_books_abort_then_commit_mistake(cluster: Cluster) -> None:
    """§13: abort in `catch`, commit in `finally`: the commit fails with _STATE in state Ready."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.abort_transaction()
    try:
        p.commit_transaction()
    except KafkaException as e:
        error = e.args[0]
    assert (error.code(), error.str()) == (KafkaError._STATE, "Operation not valid in state Ready")
    assert p.transaction_state == "Ready"


def test_g26_restart_without_open_transaction_then_id_expiry(cluster: Cluster) -> None:
    """G26: a second instance bumps to e1 writing only Empty(e1); 7 idle days later, a new pid."""
    first = txn_producer(cluster)
    first.init_transactions()
    second = txn_producer(cluster)
    second.init_transactions()
    assert (second.producer_id, second.producer_epoch) == (0, 1)
    assert offsets(cluster) == (0, 0, 0)
    assert txn_log(cluster, "tx") == [("Empty", 0), ("Empty", 1)]
    cluster.advance(604_800_000 - 3_600_000)
    assert "tx" in cluster.txn_coordinator.transactions
    cluster.advance(3_600_000)
    assert txn_log(cluster, "tx")[-1] == ("Dead", -1)
    assert "tx" not in cluster.txn_coordinator.transactions
    third = txn_producer(cluster)
    third.init_transactions()
    assert (third.producer_id, third.producer_epoch) == (1, 0)
