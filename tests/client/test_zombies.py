"""Zombie fencing in every variant (reference §7): the old instance is fenced AND its open
transaction is aborted with a marker, so read_committed never sees its records."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.broker import Errors
from eoslab.client import KafkaError, KafkaException, TopicPartition
from tests.conftest import consumer, log_layout, read_all, txn_producer


@pytest.fixture
def fenced() -> tuple[Cluster, object, object]:
    """A wrote "a" to t-0 in an open transaction; B (same transactional id) initialised."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a", partition=0)
    a.flush()
    b = txn_producer(cluster)
    b.init_transactions()
    return cluster, a, b


def assert_zombie_invisible(cluster: Cluster) -> None:
    assert log_layout(cluster, "t", 0)[:2] == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    records, _ = read_all(cluster, "t", 0)
    assert (0, "a") not in records


def fatal_code(excinfo: pytest.ExceptionInfo) -> tuple[int, bool]:
    return excinfo.value.args[0].code(), excinfo.value.args[0].fatal()


def test_zombie_commit(fenced) -> None:
    cluster, a, _b = fenced
    with pytest.raises(KafkaException) as excinfo:
        a.commit_transaction()
    assert fatal_code(excinfo) == (KafkaError._FENCED, True)
    assert_zombie_invisible(cluster)


def test_zombie_abort(fenced) -> None:
    cluster, a, _b = fenced
    with pytest.raises(KafkaException) as excinfo:
        a.abort_transaction()
    assert fatal_code(excinfo) == (KafkaError._FENCED, True)
    assert cluster.journal.events(api="EndTxn")[-1].result == "INVALID_PRODUCER_EPOCH"
    assert_zombie_invisible(cluster)


def test_zombie_produce_to_a_new_partition(fenced) -> None:
    """AddPartitionsToTxn with the old epoch: fenced (v0 answers INVALID_PRODUCER_EPOCH)."""
    cluster, a, _b = fenced
    a.produce("t", value="x", partition=1)
    a.flush()
    assert cluster.journal.events(api="AddPartitionsToTxn")[-1].result == "INVALID_PRODUCER_EPOCH"
    assert a.transaction_state == "FatalError"
    assert cluster.partition("t", 1).log_end_offset == 0
    with pytest.raises(KafkaException) as excinfo:
        a.commit_transaction()
    assert fatal_code(excinfo) == (KafkaError._FENCED, True)
    assert_zombie_invisible(cluster)


def test_zombie_send_offsets_when_the_offsets_partition_was_already_enrolled() -> None:
    """§7 step 4: librdkafka sends AddOffsetsToTxn on every call, even with the offsets
    partition already enrolled, so that request is the one fenced; the raw TxnOffsetCommit
    case is the next test."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0)])
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.send_offsets_to_transaction([TopicPartition("t", 0, 0)], c.consumer_group_metadata())
    txn_producer(cluster).init_transactions()
    with pytest.raises(KafkaException) as excinfo:
        a.send_offsets_to_transaction([TopicPartition("t", 0, 0)], c.consumer_group_metadata())
    assert fatal_code(excinfo) == (KafkaError._FENCED, True)
    # A's first TxnOffsetCommit was aborted by B's fencing: nothing committed
    assert cluster.group_coordinator.committed("g", "t", 0) is None
    assert cluster.group_coordinator.pending == {}


def test_zombie_txn_offset_commit_is_refused_by_the_offsets_partition() -> None:
    """Raw TxnOffsetCommit with the fenced epoch: the __consumer_offsets leader refuses it."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    cluster.init_producer_id("tx")
    cluster.add_offsets_to_txn("tx", 0, 0, "g")
    assert cluster.txn_offset_commit("tx", "g", 0, 0, {("t", 0): (5, "")}) == {
        ("t", 0): Errors.NONE
    }
    cluster.init_producer_id("tx")  # fences epoch 0, aborts, marker at epoch 1
    assert cluster.txn_offset_commit("tx", "g", 0, 0, {("t", 0): (6, "")}) == {
        ("t", 0): Errors.INVALID_PRODUCER_EPOCH
    }
    assert cluster.group_coordinator.committed("g", "t", 0) is None


def test_kip447_unknown_member_and_fenced_instance() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    c = consumer(cluster, **{"group.instance.id": "worker-1"})
    c.subscribe(["t"])
    c.poll(0)
    member = c.consumer_group_metadata()
    cluster.init_producer_id("tx")
    cluster.add_offsets_to_txn("tx", 0, 0, "g")
    bad_member = cluster.txn_offset_commit(
        "tx", "g", 0, 0, {("t", 0): (1, "")}, generation_id=1, member_id="someone-else"
    )
    assert bad_member == {("t", 0): Errors.UNKNOWN_MEMBER_ID}
    fenced_instance = cluster.txn_offset_commit(
        "tx",
        "g",
        0,
        0,
        {("t", 0): (1, "")},
        generation_id=1,
        member_id="old-member-id",
        group_instance_id="worker-1",
    )
    assert fenced_instance == {("t", 0): Errors.FENCED_INSTANCE_ID}
    ok = cluster.txn_offset_commit(
        "tx",
        "g",
        0,
        0,
        {("t", 0): (1, "")},
        generation_id=member.generation_id,
        member_id=member.member_id,
        group_instance_id="worker-1",
    )
    assert ok == {("t", 0): Errors.NONE}


def test_on_lost_is_called_when_the_session_expired(cluster: Cluster) -> None:
    lost = []
    c = consumer(cluster, **{"session.timeout.ms": 6000})
    c.subscribe(["t"], on_lost=lambda cons, parts: lost.append([p.partition for p in parts]))
    c.poll(0)
    cluster.stop_heartbeats("g", c.memberid())  # the coordinator stops hearing from it
    cluster.advance(6000)
    c.poll(0)  # its next heartbeat learns it was removed: the partitions are lost
    assert lost == [[0]]
    assert cluster.journal.events(api="Heartbeat")[0].result == "UNKNOWN_MEMBER_ID"
    assert [(tp.topic, tp.partition) for tp in c.assignment()] == [("t", 0)]  # rejoined


def test_manual_offset_store(cluster: Cluster) -> None:
    from eoslab.client import Producer

    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for v in "abc":
        p.produce("t", value=v)
    p.flush()
    c = consumer(cluster, **{"enable.auto.offset.store": False})
    c.assign([TopicPartition("t", 0, 0)])
    messages = c.consume(10)
    with pytest.raises(KafkaException) as excinfo:
        c.commit(asynchronous=False)
    assert excinfo.value.args[0].code() == KafkaError._NO_OFFSET
    c.store_offsets(message=messages[0])
    assert [(r.offset, r.error) for r in c.commit(asynchronous=False)] == [(1, None)]
