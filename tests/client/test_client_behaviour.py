"""The client's timing and bookkeeping: batching, delivery reports, idempotence, pacing, seeking."""

from __future__ import annotations

from eoslab import Cluster
from eoslab.client import (
    TIMESTAMP_CREATE_TIME,
    AdminClient,
    IsolationLevel,
    OffsetSpec,
    Producer,
    TopicPartition,
)
from tests.conftest import consumer, log_layout, offsets, read_all, txn_producer


def test_records_wait_for_linger_on_the_virtual_clock(cluster: Cluster) -> None:
    """produce() only queues; the batch leaves once the clock passes linger.ms (default 5 ms)."""
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    p.produce("t", value="a")
    p.produce("t", value="b")
    assert (len(p), offsets(cluster)) == (2, (0, 0, 0))
    cluster.advance(4)
    assert offsets(cluster) == (0, 0, 0)
    cluster.advance(1)
    assert offsets(cluster) == (2, 2, 2)
    assert len(cluster.partition("t", 0).batches) == 1  # one batch of two records
    assert len(p) == 2  # delivered, reports not yet served
    assert p.poll(0) == 2
    assert len(p) == 0


def test_rd_kafka_toppar_producer_serve_lingers_from_the_queues_first_message(
    cluster: Cluster,
) -> None:
    """A batch flushed before its linger timer fired leaves that timer behind; the next batch
    still waits linger.ms from its own first message, not until the old timer fires."""
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "linger.ms": 100})
    p.produce("t", value="a")  # a timer for t=100
    cluster.advance(10)
    p.flush()
    assert offsets(cluster) == (1, 1, 1)
    cluster.advance(40)
    p.produce("t", value="b")  # t=50: waits until t=150
    cluster.advance(50)  # t=100: the first batch's timer fires, and sends nothing
    assert (cluster.now_ms, offsets(cluster), len(p)) == (100, (1, 1, 1), 1)
    cluster.advance(49)
    assert offsets(cluster) == (1, 1, 1)
    cluster.advance(1)  # t=150
    assert offsets(cluster) == (2, 2, 2)
    assert [len(b.records) for b in cluster.partition("t", 0).batches] == [1, 1]


def test_batch_num_messages_sends_a_full_batch_at_once(cluster: Cluster) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "batch.num.messages": 3})
    for i in range(7):
        p.produce("t", value=str(i))
    assert [len(b.records) for b in cluster.partition("t", 0).batches] == [3, 3]
    p.flush()
    assert [len(b.records) for b in cluster.partition("t", 0).batches] == [3, 3, 1]


def test_delivery_reports_carry_offsets_and_create_time(cluster: Cluster) -> None:
    cluster.advance(1234)
    reports = []
    p = Producer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "on_delivery": lambda err, msg: reports.append(
                (err, msg.topic(), msg.partition(), msg.offset(), msg.timestamp(), msg.value())
            ),
        }
    )
    p.produce("t", value="a", key="k")
    p.produce("t", value=b"b", timestamp=99)
    assert p.flush() == 0
    assert reports == [
        (None, "t", 0, 0, (TIMESTAMP_CREATE_TIME, 1234), b"a"),
        (None, "t", 0, 1, (TIMESTAMP_CREATE_TIME, 99), b"b"),
    ]


def test_idempotent_producer_gets_an_id_and_numbers_its_batches(cluster: Cluster) -> None:
    """§2.1/§2.2: InitProducerId without a transactional id: pid 0, epoch 0, sequences 0, 1, 2."""
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "enable.idempotence": True})
    p.produce("t", value="a")
    p.flush()
    p.produce("t", value="b")
    p.produce("t", value="c")
    p.flush()
    assert (p.producer_id, p.producer_epoch) == (0, 0)
    assert log_layout(cluster) == [
        (0, "D", 0, 0, 0, "a"),
        (1, "D", 0, 0, 1, "b"),
        (2, "D", 0, 0, 2, "c"),
    ]
    assert [b.base_sequence for b in cluster.partition("t", 0).batches] == [0, 1]
    init = cluster.journal.events(api="InitProducerId")
    assert [(e.args["transactional_id"], e.result) for e in init] == [
        (None, "NONE (pid 0, epoch 0)")
    ]


def test_keyed_records_go_to_the_crc32_partition() -> None:
    """librdkafka's consistent_random: the same key always lands on the same partition."""
    cluster = Cluster()
    cluster.create_topics([("k", 4, 1)])
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for key in ("alpha", "beta", "alpha", "gamma", "beta"):
        p.produce("k", key=key, value=key)
    p.flush()
    placed = {
        r.key.decode(): i
        for i in range(4)
        for b in cluster.partition("k", i).batches
        for r in b.records
    }
    import zlib

    assert placed == {k: zlib.crc32(k.encode()) % 4 for k in ("alpha", "beta", "gamma")}


def test_step_pacing_shows_the_gap_between_commit_and_visibility() -> None:
    """DESIGN: in step mode commit returns after PrepareCommit; readers wait for the marker."""
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    assert p.transaction_state == "Ready"
    assert offsets(cluster) == (1, 1, 0)
    assert read_all(cluster) == ([], -1001)
    # the next transaction's first batch waits: AddPartitionsToTxn gets CONCURRENT_TRANSACTIONS
    p.begin_transaction()
    p.produce("t", value="b")
    assert p.flush() == 1
    assert cluster.journal.events(api="AddPartitionsToTxn")[-1].result == "CONCURRENT_TRANSACTIONS"
    assert cluster.pending_steps == [
        "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0",
    ]
    assert cluster.step() == "WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"
    assert offsets(cluster) == (2, 2, 2)
    assert read_all(cluster) == ([(0, "a")], 2)
    assert cluster.pending_steps == ["tx: write CompleteCommit to __transaction_state"]
    assert p.flush() == 1  # still PrepareCommit until the Complete record is written
    cluster.step()
    assert p.flush() == 0
    p.commit_transaction()
    assert cluster.run_pending() == 2
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0, 1, "b"),
        (3, "COMMIT", 0, 0),
    ]


def test_switching_step_to_auto_releases_pending_work() -> None:
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    assert len(cluster.pending_steps) == 1
    cluster.pacing = "auto"
    assert cluster.pending_steps == []
    assert offsets(cluster) == (2, 2, 2)


def test_seek_refetches_and_position_is_invalid_until_the_next_message(cluster: Cluster) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for v in "abc":
        p.produce("t", value=v)
    p.flush()
    c = consumer(cluster, "read_uncommitted")
    tp = TopicPartition("t", 0, 0)
    c.assign([tp])
    assert [m.value() for m in c.consume(10)] == [b"a", b"b", b"c"]
    assert c.position([tp])[0].offset == 3
    c.seek(TopicPartition("t", 0, 1))
    # rdkafka_partition.c: seek() resets the application position (observed with
    # confluent_kafka 2.16.1 on the mock cluster: -1001 after seek(), 3 after the next message)
    assert c.position([tp])[0].offset == -1001
    m = c.poll(0)
    assert (m.offset(), m.value()) == (1, b"b")
    assert c.position([tp])[0].offset == 2


def test_assign_logical_offsets_and_partition_eof(cluster: Cluster) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    p.produce("t", value="a")
    p.flush()
    latest = consumer(cluster, "read_uncommitted", **{"enable.partition.eof": True})
    latest.assign([TopicPartition("t", 0, -1)])  # OFFSET_END
    eof = latest.poll(0)
    assert (eof.error().code(), eof.offset()) == (-191, 1)
    assert (
        eof.error().str()
        == "Fetch from broker 1 reached end of partition at offset 1 (HighwaterMark 1)"
    )
    assert latest.poll(0) is None  # EOF is reported once
    p.produce("t", value="b")
    p.flush()
    assert latest.poll(0).value() == b"b"
    assert latest.assignment()[0].offset == -1


def test_admin_list_offsets_by_isolation_level(cluster: Cluster) -> None:
    """§4.5: latest is the LSO for READ_COMMITTED and the HW otherwise (the Admin default)."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    tp = TopicPartition("t", 0)

    def latest(level):
        return (
            admin.list_offsets({tp: OffsetSpec.latest()}, isolation_level=level)[tp].result().offset
        )

    assert latest(IsolationLevel.READ_COMMITTED) == 0
    assert latest(IsolationLevel.READ_UNCOMMITTED) == 1
    assert latest(None) == 1
    assert admin.list_offsets({tp: OffsetSpec.earliest()})[tp].result().offset == 0


def test_history_records_what_the_clients_did_and_saw(cluster: Cluster) -> None:
    from eoslab.client import history_of, record_history

    assert history_of(cluster).recording is False
    history = record_history(cluster)
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0, 0)])
    c.consume(5)
    c.commit(asynchronous=False)
    summary = [(o.client_id, o.kind, o.offset, o.error, o.details.get("action")) for o in history]
    assert summary == [
        ("producer-1", "txn", None, None, "init"),
        ("producer-1", "txn", None, None, "begin"),
        ("producer-1", "send", None, None, None),
        ("producer-1", "ack", 0, None, None),
        ("producer-1", "txn", None, None, "commit"),
        ("consumer-1", "poll", 0, None, None),
        ("consumer-1", "commit", 2, None, None),
    ]
    assert history.of("poll")[0].details == {"group_id": "g", "isolation": "read_committed"}
