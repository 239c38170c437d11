"""Edges where the client follows librdkafka / confluent_kafka 2.16.1 and the broker follows Kafka.

Client behaviour quoted in the docstrings was observed with confluent-kafka 2.16.1 (librdkafka
2.16.0), either without a broker (its C extension checks arguments at the call) or against
librdkafka's built-in mock cluster (`test.mock.num.brokers`). The mock cluster has no timestamp
index and no LSO, so the ListOffsets and read_committed rows cite Kafka's classes instead.
"""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.broker import Errors
from eoslab.client import (
    AdminClient,
    IsolationLevel,
    KafkaError,
    KafkaException,
    OffsetSpec,
    Producer,
    TopicPartition,
)
from tests.conftest import consumer, state_snapshot, txn_producer


def error_of(excinfo: pytest.ExceptionInfo) -> KafkaError:
    return excinfo.value.args[0]


def plain(cluster: Cluster, **conf) -> Producer:
    return Producer({"bootstrap.servers": cluster.bootstrap_servers, **conf})


def produce_at(cluster: Cluster, *timestamps: int, topic: str = "t") -> None:
    p = plain(cluster)
    for ts in timestamps:
        p.produce(topic, value=str(ts), timestamp=ts)
    assert p.flush() == 0


# -- position() ---------------------------------------------------------------------------------
def test_position_after_seek_is_invalid_until_a_message_rdkafka_partition_c() -> None:
    """rdkafka_partition.c resets the application position on seek. Observed on the mock
    cluster: read to offset 6, seek(2) -> position -1001; poll() returns offset 2 -> 3; seek to
    OFFSET_END or OFFSET_BEGINNING -> -1001 as well."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    produce_at(cluster, *range(100, 110))
    c = consumer(cluster, "read_uncommitted")
    tp = TopicPartition("t", 0)
    c.assign([TopicPartition("t", 0, 0)])
    assert [m.offset() for m in c.consume(6)] == [0, 1, 2, 3, 4, 5]
    assert c.position([tp])[0].offset == 6
    c.seek(TopicPartition("t", 0, 2))
    assert c.position([tp])[0].offset == -1001
    assert c.poll(0).offset() == 2
    assert c.position([tp])[0].offset == 3
    assert len(c.consume(100)) == 7  # to the end
    assert c.position([tp])[0].offset == 10
    for logical in (-1, -2):  # OFFSET_END, OFFSET_BEGINNING
        c.seek(TopicPartition("t", 0, logical))
        assert c.position([tp])[0].offset == -1001
    assert c.poll(0).offset() == 0
    assert c.position([tp])[0].offset == 1


# -- ListOffsets by timestamp -------------------------------------------------------------------
@pytest.fixture
def open_txn_log() -> Cluster:
    """t-0: 0 ts=100, 1 ts=200 (plain), 2 ts=300 (open transaction), 3 ts=400 (plain).
    HW 4, LSO 2."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    produce_at(cluster, 100, 200)
    tx = txn_producer(cluster)
    tx.init_transactions()
    tx.begin_transaction()
    tx.produce("t", value="300", timestamp=300)
    tx.flush()
    produce_at(cluster, 400)
    p = cluster.partition("t", 0)
    assert (p.high_watermark, p.last_stable_offset) == (4, 2)
    cluster.tx = tx  # type: ignore[attr-defined]
    return cluster


def test_offsets_for_times_honours_the_isolation_level_partition_fetchoffsetfortimestamp(
    open_txn_log: Cluster,
) -> None:
    """Consumer.offsets_for_times (rd_kafka_offsets_for_times) sends ListOffsets at the
    consumer's isolation level; Kafka's Partition.fetchOffsetForTimestamp drops an answer at or
    above the last fetchable offset (LSO for read_committed, HW for read_uncommitted): -1."""
    cluster = open_txn_log
    rc = consumer(cluster, "read_committed")
    ru = consumer(cluster, "read_uncommitted")

    def lookup(c, timeout=1.0) -> list[int]:
        return [
            c.offsets_for_times([TopicPartition("t", 0, ts)], timeout)[0].offset
            for ts in (0, 150, 250, 400, 500)
        ]

    assert lookup(rc) == [0, 1, -1, -1, -1]
    assert lookup(ru) == [0, 1, 2, 3, -1]
    # a partition listed twice is asked once, with the last timestamp (observed with
    # confluent_kafka over the wire: [t-0@0, t-0@500] -> both 10 there)
    twice = [TopicPartition("t", 0, 0), TopicPartition("t", 0, 250)]
    assert [tp.offset for tp in ru.offsets_for_times(twice)] == [2, 2]
    cluster.tx.commit_transaction()  # type: ignore[attr-defined]
    assert lookup(rc, None) == [0, 1, 2, 3, -1]
    with pytest.raises(KafkaException) as excinfo:  # observed on the mock cluster
        rc.offsets_for_times([TopicPartition("t", 5, 0)])
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._UNKNOWN_PARTITION,
        "Failed to get offsets: Local: Unknown partition",
    )
    with pytest.raises(TypeError, match="requires list of TopicPartition"):
        rc.offsets_for_times("t")
    with pytest.raises(TypeError, match="must be real number, not str"):
        rc.offsets_for_times(twice, "1")


def test_list_offsets_for_timestamp_answers_the_found_records_timestamp_log_segment(
    open_txn_log: Cluster,
) -> None:
    """LogSegment.findOffsetByTimestamp answers TimestampAndOffset(record.timestamp, offset,
    leader epoch); earliest and latest answer timestamp -1 (RecordBatch.NO_TIMESTAMP)."""
    admin = AdminClient({"bootstrap.servers": open_txn_log.bootstrap_servers})
    tp = TopicPartition("t", 0)

    def ask(spec: OffsetSpec, level: IsolationLevel = IsolationLevel.READ_UNCOMMITTED) -> tuple:
        r = admin.list_offsets({tp: spec}, isolation_level=level)[tp].result()
        return (r.offset, r.timestamp, r.leader_epoch)

    assert ask(OffsetSpec.for_timestamp(150)) == (1, 200, 0)
    assert ask(OffsetSpec.for_timestamp(250)) == (2, 300, 0)
    assert ask(OffsetSpec.for_timestamp(250), IsolationLevel.READ_COMMITTED) == (-1, -1, None)
    assert ask(OffsetSpec.for_timestamp(401)) == (-1, -1, None)
    assert ask(OffsetSpec.earliest()) == (0, -1, 0)
    assert ask(OffsetSpec.latest()) == (4, -1, 0)


def test_timestamp_lookup_lands_on_a_control_batch_filerecords_searchfortimestamp() -> None:
    """FileRecords.searchForTimestamp walks every batch, control batches included: a lookup whose
    first match is a COMMIT marker answers the marker's offset and timestamp."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    tx = txn_producer(cluster)
    tx.init_transactions()
    tx.begin_transaction()
    tx.produce("t", value="a", timestamp=100)
    cluster.advance(500 - cluster.now_ms)
    tx.commit_transaction()  # COMMIT marker at offset 1, written at t=500
    produce_at(cluster, 900)
    marker = cluster.partition("t", 0).batches[1]
    assert (marker.is_control, marker.base_offset, marker.max_timestamp) == (True, 1, 500)
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    tp = TopicPartition("t", 0)
    r = admin.list_offsets({tp: OffsetSpec.for_timestamp(200)})[tp].result()
    assert (r.offset, r.timestamp) == (1, 500)
    rc = consumer(cluster, "read_committed")
    assert rc.offsets_for_times([TopicPartition("t", 0, 200)])[0].offset == 1
    assert cluster.list_offsets("t", 0, 200).timestamp == 500


def test_offset_spec_max_timestamp_unifiedlog_kip_734() -> None:
    """OffsetSpec.max_timestamp (KIP-734, ListOffsetsRequest.MAX_TIMESTAMP = -3): the first
    record holding the largest timestamp (UnifiedLog.fetchOffsetByTimestamp after KAFKA-16310),
    dropped at or above the last fetchable offset like any timestamp lookup."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    produce_at(cluster, 100, 900, 300, 900)
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    tp = TopicPartition("t", 0)
    spec = OffsetSpec.max_timestamp()
    assert repr(spec) == "OffsetSpec(max_timestamp)"
    r = admin.list_offsets({tp: spec})[tp].result()
    assert (r.offset, r.timestamp, r.leader_epoch) == (1, 900, 0)
    tx = txn_producer(cluster)
    tx.init_transactions()
    tx.begin_transaction()
    tx.produce("t", value="late", timestamp=2000)
    tx.flush()
    r = admin.list_offsets({tp: spec})[tp].result()
    assert (r.offset, r.timestamp) == (4, 2000)
    r = admin.list_offsets({tp: spec}, isolation_level=IsolationLevel.READ_COMMITTED)[tp].result()
    assert (r.offset, r.timestamp) == (-1, -1)
    empty = Cluster()
    empty.create_topics([("e", 1, 1)])
    assert (empty.list_offsets("e", 0, -3).offset, empty.list_offsets("e", 0, -3).timestamp) == (
        -1,
        -1,
    )


def test_list_offsets_checks_the_spec_as_confluent_kafka() -> None:
    """Observed: OffsetSpec.for_timestamp('x') -> ValueError from list_offsets(); a timestamp
    below -3 fails every future with _INVALID_ARG "Partition 0 has an invalid offset -5"."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap_servers})
    tp = TopicPartition("t", 0)
    with pytest.raises(ValueError, match="invalid literal for int"):
        admin.list_offsets({tp: OffsetSpec.for_timestamp("x")})
    with pytest.raises(KafkaException) as excinfo:
        admin.list_offsets({tp: OffsetSpec.for_timestamp(-5)})[tp].result()
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._INVALID_ARG,
        "Partition 0 has an invalid offset -5",
    )


# -- fatal errors --------------------------------------------------------------------------------
def test_fatal_error_purges_the_queue_and_calls_error_cb_rdkafka_c() -> None:
    """rdkafka.c rd_kafka_set_fatal_error0: an error event `_FATAL` ("Fatal error: <err>:
    <reason>") for error_cb, and a purge of the queued (not in-flight) messages, whose delivery
    reports carry `_PURGE_QUEUE`; flush() then returns 0."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    errors: list[KafkaError] = []
    reports: list[tuple] = []
    a = txn_producer(cluster, error_cb=errors.append)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="sent", partition=0)
    assert a.flush() == 0
    b = txn_producer(cluster)
    b.init_transactions()  # fences a
    for v in ("q1", "q2"):
        a.produce("t", value=v, partition=1, on_delivery=lambda e, m: reports.append((e, m)))
    assert len(a) == 2
    assert a.flush() == 0
    assert len(a) == 0
    assert [(e.code(), m.value(), m.offset()) for e, m in reports] == [
        (KafkaError._PURGE_QUEUE, b"q1", None),
        (KafkaError._PURGE_QUEUE, b"q2", None),
    ]
    assert [(e.code(), e.str()) for e in errors] == [
        (
            KafkaError._FATAL,
            "Fatal error: Local: This instance has been fenced by a newer instance: "
            "Failed to add partitions to transaction: "
            "Local: This instance has been fenced by a newer instance",
        )
    ]
    assert cluster.partition("t", 1).log_end_offset == 0
    with pytest.raises(KafkaException) as excinfo:
        a.produce("t", value="after")
    assert error_of(excinfo).code() == KafkaError._FATAL
    assert a.poll(0) == 0  # error_cb is called once


def test_idempotent_producer_fatal_error_reaches_error_cb_rdkafka_idempotence_c() -> None:
    """rdkafka_idempotence.c raises a fatal error on OUT_OF_ORDER_SEQUENCE_NUMBER; the failed
    batch reports the broker's error, the messages still queued report `_PURGE_QUEUE`."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    errors: list[KafkaError] = []
    reports: list[tuple] = []
    p = plain(cluster, **{"enable.idempotence": True, "error_cb": errors.append})
    p.produce("t", value="first", partition=0)
    assert p.flush() == 0
    p._sequences[("t", 0)] = 7  # a gap the broker refuses
    for v, partition in (("gap", 0), ("queued", 1)):
        p.produce(
            "t",
            value=v,
            partition=partition,
            on_delivery=lambda e, m: reports.append((e.code(), m.value())),
        )
    assert p.flush() == 0
    assert reports == [
        (KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER, b"gap"),
        (KafkaError._PURGE_QUEUE, b"queued"),
    ]
    assert [e.code() for e in errors] == [KafkaError._FATAL]
    assert (
        errors[0]
        .str()
        .startswith(
            "Fatal error: Broker: Broker received an out of order sequence number: ProduceRequest"
        )
    )


# -- message sizes -------------------------------------------------------------------------------
def test_produce_over_message_max_bytes_raises_at_the_call_rdkafka_msg_c(cluster: Cluster) -> None:
    """rdkafka_msg.c rd_kafka_msg_new0 refuses a message whose largest wire size (key + value +
    headers + 36 bytes of v2 framing) exceeds message.max.bytes. Observed with the default
    1000000: a 999964-byte value is taken, 999965 bytes (or 2 MB) raise MSG_SIZE_TOO_LARGE
    "Unable to produce message: Broker: Message size too large"; a 10-byte key leaves 999954."""
    p = plain(cluster)
    before = state_snapshot(cluster)
    for value, key, headers in (
        (b"x" * 2_000_000, None, None),
        (b"x" * 999_965, None, None),
        (b"x" * 999_955, b"k" * 10, None),
        (b"x" * 999_957, None, [("h", b"12345")]),
    ):
        with pytest.raises(KafkaException) as excinfo:
            p.produce("t", value=value, key=key, headers=headers)
        assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
            KafkaError.MSG_SIZE_TOO_LARGE,
            "Unable to produce message: Broker: Message size too large",
        )
    assert (len(p), state_snapshot(cluster)) == (0, before)
    p.produce("t", value=b"x" * 999_964)
    p.produce("t", value=b"x" * 999_954, key=b"k" * 10)
    p.produce("t", value=b"x" * 999_956, headers=[("h", b"12345")])
    assert p.flush() == 0
    # each goes in a batch of its own: batches stop at min(message.max.bytes, batch.size)
    assert [b.records_count for b in cluster.partition("t", 0).batches] == [1, 1, 1]


def test_a_larger_message_max_bytes_lets_the_broker_refuse_it_in_the_delivery_report(
    cluster: Cluster,
) -> None:
    """With message.max.bytes=10 MB the client takes a 2 MB record and sends it alone; the
    broker (UnifiedLog.analyzeAndValidateRecords) refuses a batch above its message.max.bytes
    (1048588) with MESSAGE_TOO_LARGE (10), which the delivery report carries (no retry: it is
    not retriable), and nothing of it is appended."""
    p = plain(cluster, **{"message.max.bytes": 10_000_000})
    reports: list[tuple] = []
    p.produce("t", value=b"small-1", on_delivery=lambda e, m: reports.append((e, m.offset())))
    p.produce("t", value=b"x" * 2_000_000, on_delivery=lambda e, m: reports.append((e, m.offset())))
    p.produce("t", value=b"small-2", on_delivery=lambda e, m: reports.append((e, m.offset())))
    assert p.flush() == 0
    assert [(e.code() if e else None, o) for e, o in reports] == [
        (None, 0),
        (KafkaError.MSG_SIZE_TOO_LARGE, None),
        (None, 1),
    ]
    assert reports[1][0].code() == Errors.MESSAGE_TOO_LARGE == 10
    produces = [e for e in cluster.journal if e.api == "Produce"]
    assert [(e.args["records"], e.result) for e in produces] == [
        (1, "NONE (offset 0)"),
        (1, "MESSAGE_TOO_LARGE"),  # sent once, alone (batch.size 1000000), and not retried
        (1, "NONE (offset 1)"),
    ]
    assert [b.records_count for b in cluster.partition("t", 0).batches] == [1, 1]


# -- configuration -------------------------------------------------------------------------------
def test_max_poll_records_is_accepted_rdkafka_conf_c(cluster: Cluster) -> None:
    """Observed: Consumer({'max.poll.records': 5}) is accepted; 0 is outside 1..2147483647."""
    consumer(cluster, **{"max.poll.records": 5})
    consumer(cluster, **{"max.poll.records": 2_147_483_647})
    with pytest.raises(KafkaException) as excinfo:
        consumer(cluster, **{"max.poll.records": 0})
    assert error_of(excinfo).str() == (
        'Configuration property "max.poll.records" value 0 is outside allowed range 1..2147483647\n'
    )


def test_config_value_types_as_confluent_kafka(cluster: Cluster) -> None:
    """Observed: client.id=[1] (any value) is taken as its str(), "[1]"; None for a number or an
    enum is refused ("... cannot be set to empty value"); a non-callable error_cb is a TypeError."""
    p = plain(cluster, **{"client.id": [1]})
    assert p.client_id == "[1]"
    for name, text in (
        ("message.max.bytes", 'Integer configuration property "message.max.bytes"'),
        ("linger.ms", 'Float configuration property "queue.buffering.max.ms"'),
        ("compression.type", 'Configuration property "compression.codec"'),
    ):
        with pytest.raises(KafkaException) as excinfo:
            plain(cluster, **{name: None})
        assert error_of(excinfo).str() == text + " cannot be set to empty value"
    with pytest.raises(TypeError, match="expected error_cb property as a callable function"):
        plain(cluster, error_cb=5)


# -- commits -------------------------------------------------------------------------------------
def test_commit_of_logical_or_negative_offsets_is_refused_rdkafka_cgrp_c(cluster: Cluster) -> None:
    """rdkafka_cgrp.c commits absolute offsets only. Observed on the mock cluster after
    committing 2: commit(offsets=[tp@-1001]) (or -5, or -1) raises _NO_OFFSET "Commit failed:
    Local: No offset stored" and the group keeps 2; a list mixing -5 with a valid offset commits
    the valid one and returns both entries as given."""
    cluster.create_topics([("u", 2, 1)])
    c = consumer(cluster)
    assert [tp.offset for tp in c.commit(offsets=[TopicPartition("u", 0, 2)], asynchronous=False)]
    for bad in (-1001, -5, -1):
        before = state_snapshot(cluster)
        with pytest.raises(KafkaException) as excinfo:
            c.commit(offsets=[TopicPartition("u", 0, bad)], asynchronous=False)
        assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
            KafkaError._NO_OFFSET,
            "Commit failed: Local: No offset stored",
        )
        assert state_snapshot(cluster) == before
        assert cluster.group_coordinator.committed("g", "u", 0) == 2
    result = c.commit(
        offsets=[TopicPartition("u", 0, -5), TopicPartition("u", 1, 3)], asynchronous=False
    )
    assert [(tp.partition, tp.offset, tp.error) for tp in result] == [(0, -5, None), (1, 3, None)]
    assert [tp.offset for tp in c.committed([TopicPartition("u", 0), TopicPartition("u", 1)])] == [
        2,
        3,
    ]
    reports: list = []
    c2 = consumer(cluster, on_commit=lambda e, ps: reports.append((e.code(), ps)))
    c2.commit(offsets=[TopicPartition("u", 0, -5)])  # asynchronous: on_commit gets the bare error
    c2.poll(0)
    assert reports == [(KafkaError._NO_OFFSET, [])]
    with pytest.raises(TypeError, match="expected Message"):
        c.commit(message=5)


def test_send_offsets_with_only_negative_offsets_is_a_no_op_rdkafka_txnmgr_c(
    cluster: Cluster,
) -> None:
    """rdkafka_txnmgr.c rd_kafka_send_offsets_to_transaction: with no absolute offset there is
    nothing to send (observed: -5 and -1001 return None; the transaction later commits no
    offsets for them). No AddOffsetsToTxn, no TxnOffsetCommit: the broker state is unchanged."""
    c = consumer(cluster)
    c.commit(offsets=[TopicPartition("t", 0, 1)], asynchronous=False)
    tx = txn_producer(cluster)
    tx.init_transactions()
    tx.begin_transaction()
    before = state_snapshot(cluster)
    metadata = c.consumer_group_metadata()
    tx.send_offsets_to_transaction([TopicPartition("t", 0, -5)], metadata)
    tx.send_offsets_to_transaction([TopicPartition("t", 0, -1001)], metadata)
    assert state_snapshot(cluster) == before
    assert cluster.journal.events("AddOffsetsToTxn") == []
    tx.commit_transaction()
    assert cluster.group_coordinator.committed("g", "t", 0) == 1


def test_error_texts_of_commit_and_store_offsets_confluent_kafka(cluster: Cluster) -> None:
    """confluent_kafka prefixes the call: "Commit failed: Local: No offset stored",
    "StoreOffsets failed: Local: Invalid argument or configuration" (observed)."""
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0, 0)])
    with pytest.raises(KafkaException) as excinfo:
        c.commit(asynchronous=False)
    assert error_of(excinfo).str() == "Commit failed: Local: No offset stored"
    with pytest.raises(KafkaException) as excinfo:
        c.store_offsets(offsets=[TopicPartition("t", 0, 1)])
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._INVALID_ARG,
        "StoreOffsets failed: Local: Invalid argument or configuration",
    )


# -- produce() to a partition the producer does not know yet -------------------------------------
def test_unknown_partition_fails_in_the_delivery_report_until_metadata_is_known_rdkafka_msg_c() -> (
    None
):
    """rd_kafka_msg_partitioner: a fresh producer has no partition count, so produce(partition=7)
    on a 2-partition topic is queued and its delivery report carries _UNKNOWN_PARTITION (observed:
    partition 7, offset None); once the metadata is known the same call raises at once."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    p = plain(cluster)
    reports: list = []
    p.produce("t", value="v", partition=7, on_delivery=lambda e, m: reports.append((e, m)))
    assert len(p) == 1
    assert p.flush() == 0
    [(error, msg)] = reports
    assert (error.code(), error.str(), msg.partition(), msg.offset(), msg.value()) == (
        KafkaError._UNKNOWN_PARTITION,
        "Local: Unknown partition",
        7,
        None,
        b"v",
    )
    with pytest.raises(KafkaException) as excinfo:
        p.produce("t", value="v", partition=7)
    assert error_of(excinfo).str() == "Unable to produce message: Local: Unknown partition"
    assert [cluster.partition("t", i).log_end_offset for i in (0, 1)] == [0, 0]


# -- partition EOF ---------------------------------------------------------------------------------
def test_read_committed_eof_only_at_the_lso_rdkafka_fetcher_c() -> None:
    """rdkafka_fetcher.c signals _PARTITION_EOF when the fetch position equals the end offset
    (the LSO for read_committed), once per end offset. At offset 2 with HW 2 and LSO 0 there is
    no end of partition; after the commit the marker is fetched and EOF comes at the LSO, 3."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    tx = txn_producer(cluster)
    tx.init_transactions()
    tx.begin_transaction()
    tx.produce("t", value="a")
    tx.produce("t", value="b")
    tx.flush()
    p = cluster.partition("t", 0)
    assert (p.high_watermark, p.last_stable_offset) == (2, 0)
    rc = consumer(cluster, "read_committed", **{"enable.partition.eof": True})
    rc.assign([TopicPartition("t", 0, 2)])
    assert rc.poll(0) is None
    assert rc.poll(0) is None
    tx.commit_transaction()
    eof = rc.poll(0)
    assert (eof.error().code(), eof.offset()) == (KafkaError._PARTITION_EOF, 3)
    assert eof.error().str() == (
        "Fetch from broker 1 reached end of partition at offset 3 (HighwaterMark 3)"
    )
    assert rc.poll(0) is None


# -- bad arguments: checked at the call ------------------------------------------------------------
def test_produce_argument_types_are_checked_at_the_call_confluent_kafka(cluster: Cluster) -> None:
    """Observed without a broker: timestamp='x' -> TypeError "'str' object cannot be interpreted
    as an integer"; partition=1.5 -> "'float' object ..."; partition=2**40 -> OverflowError
    "signed integer is greater than maximum"; timestamp=2**70 -> "int too big to convert".
    Nothing is queued, so the partition stays readable by every reader."""
    p = plain(cluster)
    before = state_snapshot(cluster)
    cases = [
        ({"timestamp": "x"}, TypeError, "'str' object cannot be interpreted as an integer"),
        ({"timestamp": 1.5}, TypeError, "'float' object cannot be interpreted as an integer"),
        ({"partition": 1.5}, TypeError, "'float' object cannot be interpreted as an integer"),
        ({"partition": "1"}, TypeError, "'str' object cannot be interpreted as an integer"),
        ({"partition": 2**40}, OverflowError, "signed integer is greater than maximum"),
        ({"timestamp": 2**70}, OverflowError, "int too big to convert"),
        ({"on_delivery": 5}, TypeError, "on_delivery must be a callable, not int"),
        ({"callback": 5}, TypeError, "callback must be a callable, not int"),
    ]
    for kwargs, kind, text in cases:
        with pytest.raises(kind) as excinfo:
            p.produce("t", value="v", **kwargs)
        assert str(excinfo.value) == text
    assert (len(p), p.flush(), state_snapshot(cluster)) == (0, 0, before)
    p.produce("t", value="ok", partition=False)  # a bool is an int to the C extension
    assert p.flush() == 0
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    assert [(m.offset(), m.value()) for m in c.consume(10)] == [(0, b"ok")]


def test_topic_partition_fields_are_type_checked_confluent_kafka() -> None:
    """Observed: TopicPartition('t', 'x') -> TypeError; offset 1.5 -> TypeError; topic None ->
    "argument 1 must be str, not None"; metadata 5 -> "argument 4 must be str, not int";
    partition -2**40 -> OverflowError; setting offset='x' later -> TypeError; topic is read-only."""
    for args, kind, text in (
        (("t", "x"), TypeError, "'str' object cannot be interpreted as an integer"),
        (("t", 0, 1.5), TypeError, "'float' object cannot be interpreted as an integer"),
        ((None,), TypeError, "argument 1 must be str, not None"),
        (("t", 0, 0, 5), TypeError, "argument 4 must be str, not int"),
        (("t", -(2**40)), OverflowError, "signed integer is less than minimum"),
        (("t", 0, 2**70), OverflowError, "int too big to convert"),
    ):
        with pytest.raises(kind) as excinfo:
            TopicPartition(*args)
        assert str(excinfo.value) == text
    with pytest.raises(TypeError, match="'str' object cannot be interpreted as an integer"):
        TopicPartition("t", 0, 0, leader_epoch="x")
    tp = TopicPartition("t", 0, 3, leader_epoch=2)
    with pytest.raises(TypeError, match="'str' object cannot be interpreted as an integer"):
        tp.offset = "x"
    with pytest.raises(AttributeError, match="readonly attribute"):
        tp.topic = "u"
    tp.offset = 4
    assert (tp.topic, tp.partition, tp.offset, tp.leader_epoch) == ("t", 0, 4, 2)


def test_poll_timeouts_must_be_real_numbers_confluent_kafka(cluster: Cluster) -> None:
    """Observed: poll(timeout='1'), flush('1'), consume(1, '1') -> TypeError "must be real
    number, not str"; poll(-0.0) and poll(None) are fine."""
    p = plain(cluster)
    c = consumer(cluster)
    for call in (lambda: p.poll("1"), lambda: p.flush("1"), lambda: c.poll("1")):
        with pytest.raises(TypeError, match="must be real number, not str"):
            call()
    with pytest.raises(TypeError, match="must be real number, not str"):
        c.consume(1, "1")
    assert (p.poll(-0.0), p.poll(None), c.poll(None)) == (0, 0, None)


def test_header_checks_confluent_kafka(cluster: Cluster) -> None:
    """Observed: headers=5 -> "expected headers to be dict or list of (key, value) tuples, not
    int"; [('a',)] -> "Headers are expected to be a list of (key, value) tuples"; [('a', 5)] ->
    "expected header value to be None, binary, or unicode string, not int"; a key of 5 is taken."""
    p = plain(cluster)
    for headers, text in (
        (5, "expected headers to be dict or list of (key, value) tuples, not int"),
        ([("a",)], "Headers are expected to be a list of (key, value) tuples"),
        ([("a", 5)], "expected header value to be None, binary, or unicode string, not int"),
        ({"a": 5}, "expected header value to be None, binary, or unicode string, not int"),
    ):
        with pytest.raises(TypeError) as excinfo:
            p.produce("t", value="v", headers=headers)
        assert str(excinfo.value) == text
    p.produce("t", value="v", headers=[(5, b"x"), ("n", None)])
    p.produce("t", value="w", headers={"s": "text"})
    assert p.flush() == 0
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    assert [m.headers() for m in c.consume(10)] == [[("5", b"x"), ("n", None)], [("s", b"text")]]


def test_send_offsets_needs_topic_partitions_confluent_kafka(cluster: Cluster) -> None:
    """Observed: send_offsets_to_transaction(['x'], ...) -> TypeError, nothing sent."""
    c = consumer(cluster)
    tx = txn_producer(cluster)
    tx.init_transactions()
    tx.begin_transaction()
    before = state_snapshot(cluster)
    with pytest.raises(TypeError, match="expected list of TopicPartition"):
        tx.send_offsets_to_transaction(["x"], c.consumer_group_metadata())
    assert state_snapshot(cluster) == before


def test_broker_refuses_a_record_it_could_not_serve_log_validator(cluster: Cluster) -> None:
    """Whatever reaches Cluster.produce in process must exist as v2 bytes: a str timestamp, an
    int value or a malformed header is refused with CORRUPT_MESSAGE (Kafka's answer to a batch it
    cannot parse) and nothing is stored, so dumps, consumers and the wire Fetch keep working."""
    from eoslab.broker import Record, RecordBatch

    before = state_snapshot(cluster)
    for record in (
        Record(0, "x", None, b"v"),
        Record(0, 1.5, None, b"v"),
        Record(0, 1, None, 5),
        Record(0, 1, "k", b"v"),
        Record(0, 1, None, b"v", (("h", 5),)),
    ):
        r = cluster.produce("t", 0, RecordBatch([record]))
        assert (r.error, r.base_offset) == (Errors.CORRUPT_MESSAGE, -1)
    assert state_snapshot(cluster) == before
    ok = cluster.produce("t", 0, RecordBatch([Record(0, 7, b"k", b"v", (("h", None),))]))
    assert (ok.error, ok.base_offset) == (Errors.NONE, 0)
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    assert [(m.offset(), m.value(), m.timestamp()) for m in c.consume(10)] == [(0, b"v", (1, 7))]


def test_stored_offsets_commit_only_ahead_of_the_committed_one_rdkafka_partition_c(
    cluster: Cluster,
) -> None:
    """rd_kafka_topic_partition_list_set_offsets (is_commit): a stored offset is committed only if
    it is absolute and ahead of the committed one. Observed on the mock cluster with
    enable.auto.offset.store=false: commit 3; store 5 then -5, commit() -> _NO_OFFSET; store 2,
    commit() -> _NO_OFFSET; store 7, commit() -> 7. Storing for a partition not assigned:
    "StoreOffsets failed: Local: Erroneous state"."""
    produce_at(cluster, *range(100, 110))
    c = consumer(cluster, "read_uncommitted", **{"enable.auto.offset.store": False})
    c.assign([TopicPartition("t", 0, 0)])
    assert c.poll(0).offset() == 0
    c.commit(offsets=[TopicPartition("t", 0, 3)], asynchronous=False)
    for stored in ((5, -5), (2,)):
        for offset in stored:
            c.store_offsets(offsets=[TopicPartition("t", 0, offset)])
        before = state_snapshot(cluster)
        with pytest.raises(KafkaException) as excinfo:
            c.commit(asynchronous=False)
        assert error_of(excinfo).str() == "Commit failed: Local: No offset stored"
        assert state_snapshot(cluster) == before
    c.store_offsets(offsets=[TopicPartition("t", 0, 7)])
    assert [tp.offset for tp in c.commit(asynchronous=False)] == [7]
    assert cluster.group_coordinator.committed("g", "t", 0) == 7
    cluster.create_topics([("u", 2, 1)])
    c.assign([TopicPartition("u", 0, 0)])
    with pytest.raises(KafkaException) as excinfo:
        c.store_offsets(offsets=[TopicPartition("u", 1, 3)])
    assert (error_of(excinfo).code(), error_of(excinfo).str()) == (
        KafkaError._STATE,
        "StoreOffsets failed: Local: Erroneous state",
    )
    assert c.stored_offsets == {("t", 0): 7}


def test_commit_after_seeking_back_commits_nothing_rdkafka_partition_c(cluster: Cluster) -> None:
    """Observed on the mock cluster with auto-store: read to 6, commit() -> 6, seek(2), poll()
    -> offset 2, commit() -> _NO_OFFSET "Commit failed: Local: No offset stored", committed 6."""
    produce_at(cluster, *range(100, 110))
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    assert len(c.consume(6)) == 6
    assert [tp.offset for tp in c.commit(asynchronous=False)] == [6]
    c.seek(TopicPartition("t", 0, 2))
    assert c.poll(0).offset() == 2
    with pytest.raises(KafkaException) as excinfo:
        c.commit(asynchronous=False)
    assert error_of(excinfo).str() == "Commit failed: Local: No offset stored"
    assert c.committed([TopicPartition("t", 0)])[0].offset == 6
