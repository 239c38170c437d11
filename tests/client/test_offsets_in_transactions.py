"""Consume-process-produce with the offsets inside the transaction (reference §6, G16, G18)."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.broker import Errors
from eoslab.broker.offsets_log import decode_key, decode_offset_commit_value
from eoslab.client import KafkaError, KafkaException, Producer, TopicPartition
from tests.conftest import consumer, log_layout, offsets, read_all, txn_log, txn_producer


def setup_input(cluster: Cluster) -> None:
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for value in "xyz":
        plain.produce("in", value=value)
    plain.flush()


def consume_input(cluster: Cluster):
    c = consumer(cluster, "read_committed")
    c.assign([TopicPartition("in", 0)])
    records = c.consume(10)
    assert [m.value() for m in records] == [b"x", b"y", b"z"]
    assert c.position([TopicPartition("in", 0)])[0].offset == 3
    return c


def offsets_log(cluster: Cluster) -> list[tuple]:
    """__consumer_offsets-3 (group "g") in the reference's notation."""
    rows = []
    for b in cluster.partition("__consumer_offsets", 3).batches:
        for r in b.records:
            if b.is_control:
                rows.append((r.offset, b.control_type.name, b.producer_id, b.producer_epoch))
            else:
                key = decode_key(r.key)
                value = decode_offset_commit_value(r.value)
                kind = "tx" if b.is_transactional else "D"
                rows.append(
                    (r.offset, kind, b.producer_id, f"{key.topic}-{key.partition}", value.offset)
                )
    return rows


def test_g16_consume_transform_produce_commits_output_and_offsets_together() -> None:
    cluster = Cluster(pacing="step")
    setup_input(cluster)
    c = consume_input(cluster)
    assert cluster.group_coordinator.partition_for("g") == 3
    assert cluster.txn_coordinator.partition_for("app") == 1
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    for value in "XYZ":
        p.produce("out", value=value)
    p.send_offsets_to_transaction([TopicPartition("in", 0, 3)], c.consumer_group_metadata())
    p.commit_transaction()
    assert txn_log(cluster, "app") == [
        ("Empty", 0),
        ("Ongoing", 0),
        ("Ongoing", 0),
        ("PrepareCommit", 0),
    ]
    ongoing = [e for e in cluster.journal if "Ongoing" in " ".join(map(str, e.effects))]
    assert [e.api for e in ongoing] == ["AddPartitionsToTxn", "AddOffsetsToTxn"]
    assert "partitions __consumer_offsets-3,out-0" in " ".join(map(str, ongoing[1].effects))
    # between TxnOffsetCommit and the marker: pending
    fetched = cluster.offset_fetch("g", [("in", 0)], require_stable=True)
    assert fetched == {("in", 0): (-1, "", Errors.UNSTABLE_OFFSET_COMMIT)}
    assert cluster.offset_fetch("g", [("in", 0)], require_stable=False)[("in", 0)][0] == -1
    with pytest.raises(KafkaException) as excinfo:
        c.committed([TopicPartition("in", 0)])
    assert excinfo.value.args[0].code() == KafkaError.UNSTABLE_OFFSET_COMMIT
    assert cluster.run_pending() == 3  # two markers, then CompleteCommit
    assert txn_log(cluster, "app")[-1] == ("CompleteCommit", 0)
    assert log_layout(cluster, "out") == [
        (0, "tx", 0, 0, 0, "X"),
        (1, "tx", 0, 0, 1, "Y"),
        (2, "tx", 0, 0, 2, "Z"),
        (3, "COMMIT", 0, 0),
    ]
    assert offsets(cluster, "out") == (4, 4, 4)
    assert offsets_log(cluster) == [(0, "tx", 0, "in-0", 3), (1, "COMMIT", 0, 0)]
    assert cluster.group_coordinator.committed("g", "in", 0) == 3
    assert c.committed([TopicPartition("in", 0)])[0].offset == 3
    assert read_all(cluster, "out") == ([(0, "X"), (1, "Y"), (2, "Z")], 4)


def test_aborted_transaction_does_not_advance_the_committed_offset() -> None:
    """§6.1: on ABORT the pending offsets are discarded; the group keeps its old offset."""
    cluster = Cluster()
    setup_input(cluster)
    c = consume_input(cluster)
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    p.produce("out", value="X")
    p.send_offsets_to_transaction([TopicPartition("in", 0, 3)], c.consumer_group_metadata())
    p.abort_transaction()
    assert cluster.group_coordinator.committed("g", "in", 0) is None
    assert c.committed([TopicPartition("in", 0)])[0].offset == -1001
    assert offsets_log(cluster) == [(0, "tx", 0, "in-0", 3), (1, "ABORT", 0, 0)]
    # the output record was purged before it left: only the marker took an offset
    assert log_layout(cluster, "out") == [(0, "ABORT", 0, 0)]
    assert read_all(cluster, "out") == ([], 1)


def test_g18_a_new_read_committed_consumer_waits_for_pending_offsets() -> None:
    """G18: librdkafka asks for stable offsets when read_committed; the new member waits, then
    starts at 3. A read_uncommitted one does not ask, and starts by auto.offset.reset."""
    cluster = Cluster(pacing="step")
    setup_input(cluster)
    c = consume_input(cluster)
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    p.produce("out", value="X")
    p.send_offsets_to_transaction([TopicPartition("in", 0, 3)], c.consumer_group_metadata())
    waiting = consumer(cluster, "read_committed")
    waiting.assign([TopicPartition("in", 0)])
    assert waiting.poll(1.0) is None
    assert waiting.fetch_state("in", 0).fetch_position == -1001
    assert cluster.journal.events(api="OffsetFetch")[-1].result == "in-0: -1 UNSTABLE_OFFSET_COMMIT"
    uncommitted = consumer(cluster, "read_uncommitted")
    uncommitted.assign([TopicPartition("in", 0)])
    assert [m.offset() for m in uncommitted.consume(10)] == [0, 1, 2]  # earliest: no commit yet
    p.commit_transaction()
    cluster.run_pending()
    assert waiting.poll(1.0) is None
    assert waiting.fetch_state("in", 0).fetch_position == 3


def test_kip447_stale_generation_is_fenced_and_the_transaction_abortable() -> None:
    """§6.3: TxnOffsetCommit with an old generation -> ILLEGAL_GENERATION, abortable."""
    cluster = Cluster()
    setup_input(cluster)
    c = consumer(cluster, "read_committed")
    c.subscribe(["in"])
    assert [m.value() for m in c.consume(10)] == [b"x", b"y", b"z"]
    metadata = c.consumer_group_metadata()
    assert metadata.generation_id == 1
    other = consumer(cluster, "read_committed")
    other.subscribe(["in"])
    other.poll(0)  # joins: the group rebalances
    c.poll(0)
    other.poll(0)
    assert cluster.group_coordinator.group("g").generation_id == 2
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    p.produce("out", value="X")
    with pytest.raises(KafkaException) as excinfo:
        p.send_offsets_to_transaction([TopicPartition("in", 0, 3)], metadata)
    error = excinfo.value.args[0]
    assert (error.code(), error.txn_requires_abort(), error.fatal()) == (
        KafkaError.ILLEGAL_GENERATION,
        True,
        False,
    )
    assert cluster.journal.events(api="TxnOffsetCommit")[-1].result == "ILLEGAL_GENERATION"
    p.abort_transaction()
    assert cluster.group_coordinator.committed("g", "in", 0) is None


def test_zombie_send_offsets_is_fenced() -> None:
    """§7 step 4: a fenced instance's AddOffsetsToTxn fails; fatal _FENCED."""
    cluster = Cluster()
    setup_input(cluster)
    c = consume_input(cluster)
    a = txn_producer(cluster, "app")
    a.init_transactions()
    a.begin_transaction()
    txn_producer(cluster, "app").init_transactions()
    with pytest.raises(KafkaException) as excinfo:
        a.send_offsets_to_transaction([TopicPartition("in", 0, 3)], c.consumer_group_metadata())
    assert (excinfo.value.args[0].code(), excinfo.value.args[0].fatal()) == (
        KafkaError._FENCED,
        True,
    )
    assert cluster.journal.events(api="AddOffsetsToTxn")[-1].result == "INVALID_PRODUCER_EPOCH"
    assert cluster.group_coordinator.pending == {}


def test_logical_offsets_only_send_nothing(cluster: Cluster) -> None:
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    c = consumer(cluster)
    p.send_offsets_to_transaction([TopicPartition("t", 0)], c.consumer_group_metadata())
    assert cluster.journal.events(api="AddOffsetsToTxn") == []
