"""KIP-890 part 2 ("TV2"): a Java >= 4.0 client on a cluster with transaction.version=2.

The same scripts as the TV1 golden scenarios, with the differences of reference §3.9: the epoch is
bumped at every EndTxn, markers carry e+1, sequences restart, partitions are enrolled by the
leader, and a late EndTxn can no longer end the next transaction.
"""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.client import KafkaError, KafkaException, Producer, TopicPartition
from tests.conftest import (
    commit_one,
    consumer,
    log_layout,
    offsets,
    read_all,
    txn_log,
    txn_producer,
)

JAVA4 = {"eoslab.protocol": "java-4"}


@pytest.fixture
def tv2() -> Cluster:
    cluster = Cluster(config={"transaction.version": 2})
    cluster.create_topics([("t", 1, 1)])
    return cluster


def test_g1_g2_tv2_epoch_bumps_at_every_commit(tv2: Cluster) -> None:
    """G1/G2 TV2: markers at e+1, the second transaction writes at epoch 1 from sequence 0."""
    p = txn_producer(tv2, **JAVA4)
    p.init_transactions()
    commit_one(p, "a")
    assert log_layout(tv2)[1] == (1, "COMMIT", 0, 1)
    assert txn_log(tv2, "tx") == [
        ("Empty", 0),
        ("Ongoing", 0),
        ("PrepareCommit", 1),
        ("CompleteCommit", 1),
    ]
    commit_one(p, "b")
    assert log_layout(tv2) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 1),
        (2, "tx", 0, 1, 0, "b"),
        (3, "COMMIT", 0, 2),
    ]
    assert p.producer_epoch == 2
    assert read_all(tv2) == ([(0, "a"), (2, "b")], 4)
    # no AddPartitionsToTxn: the leader enrolled the partition with Produce v12
    assert tv2.journal.events(api="AddPartitionsToTxn") == []
    assert "Ongoing" in " ".join(map(str, tv2.journal.events(api="Produce")[0].effects))


def test_librdkafka_speaks_tv1_even_on_a_tv2_cluster(tv2: Cluster) -> None:
    p = txn_producer(tv2)
    p.init_transactions()
    commit_one(p, "a")
    commit_one(p, "b")
    assert [row[:4] for row in log_layout(tv2)] == [
        (0, "tx", 0, 0),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0),
        (3, "COMMIT", 0, 0),
    ]


def test_g14_tv2_zombie_fencing(tv2: Cluster) -> None:
    """§7 TV2 deltas: the fence marker has epoch 1, B gets epoch 2, B's COMMIT carries 3."""
    a = txn_producer(tv2, **JAVA4)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    b = txn_producer(tv2, **JAVA4)
    b.init_transactions()
    assert b.producer_epoch == 2
    commit_one(b, "b")
    assert log_layout(tv2) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "ABORT", 0, 1),
        (2, "tx", 0, 2, 0, "b"),
        (3, "COMMIT", 0, 3),
    ]
    assert b.producer_epoch == 3
    with pytest.raises(KafkaException) as excinfo:
        a.commit_transaction()
    assert (excinfo.value.args[0].code(), excinfo.value.args[0].fatal()) == (
        KafkaError._FENCED,
        True,
    )
    assert tv2.journal.events(api="EndTxn")[-1].result == "PRODUCER_FENCED"


def test_g15_tv2_timed_out_producer_aborts_and_goes_on(tv2: Cluster) -> None:
    """§3.7 TV2: after the coordinator's timeout abort, abort_transaction() succeeds (a retry of
    the bumped epoch) and the producer continues at epoch 1."""
    p = txn_producer(tv2, **JAVA4, **{"transaction.timeout.ms": 5000})
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    tv2.advance(10_000)
    assert log_layout(tv2) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    p.abort_transaction()
    assert tv2.journal.events(api="EndTxn")[-1].result == "NONE (pid 0, epoch 1)"
    assert (p.transaction_state, p.producer_epoch) == ("Ready", 1)
    commit_one(p, "b")
    assert log_layout(tv2)[2:] == [(2, "tx", 0, 1, 0, "b"), (3, "COMMIT", 0, 2)]
    assert read_all(tv2) == ([(2, "b")], 4)


def test_tv2_late_end_txn_cannot_end_the_next_transaction(tv2: Cluster) -> None:
    """The TV1 anomaly (see test_faults) is gone: the late EndTxn carries an old epoch."""
    p = txn_producer(tv2, **JAVA4)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    tv2.delay_request("EndTxn", client_id="producer-1")
    p.commit_transaction()
    p.begin_transaction()
    p.produce("t", value="b")
    p.flush()
    tv2.release_held()
    assert tv2.journal.events(api="EndTxn")[-1].result == "PRODUCER_FENCED"
    assert offsets(tv2) == (3, 3, 2)  # "b" is still undecided
    p.abort_transaction()
    assert read_all(tv2) == ([(0, "a")], 4)


def test_g16_tv2_offsets_join_the_transaction_with_txn_offset_commit_v5(tv2: Cluster) -> None:
    tv2.create_topics([("in", 1, 1)])
    plain = Producer({"bootstrap.servers": tv2.bootstrap_servers})
    plain.produce("in", value="x")
    plain.flush()
    c = consumer(tv2)
    c.assign([TopicPartition("in", 0)])
    c.consume(10)
    p = txn_producer(tv2, "app", **JAVA4)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="X")
    p.send_offsets_to_transaction([TopicPartition("in", 0, 1)], c.consumer_group_metadata())
    p.commit_transaction()
    assert tv2.journal.events(api="AddOffsetsToTxn") == []
    assert tv2.group_coordinator.committed("g", "in", 0) == 1
    marker = tv2.partition("__consumer_offsets", 3).batches[-1]
    assert (marker.control_type.name, marker.producer_epoch) == ("COMMIT", 1)
