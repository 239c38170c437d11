"""Admin tooling: groups like kafka-consumer-groups.sh, transactions like kafka-transactions.sh,
and a hanging transaction found and aborted (reference §8)."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.broker import Errors
from eoslab.client import (
    AbortTransactionSpec,
    AdminClient,
    ConsumerGroupState,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    Producer,
    TopicPartition,
)
from eoslab.client.transactions_tool import HangingTransaction, abort_at, find_hanging
from tests.client.test_faults import late_write_after_abort
from tests.conftest import consumer, log_layout, offsets, read_all, txn_producer


def admin_for(cluster: Cluster) -> AdminClient:
    return AdminClient({"bootstrap.servers": cluster.bootstrap_servers})


def test_describe_and_list_transactions(cluster: Cluster) -> None:
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    cluster.advance(1500)
    admin = admin_for(cluster)
    d = admin.describe_transactions(["tx"])["tx"].result()
    assert (d.coordinator_id, d.state, d.producer_id, d.producer_epoch) == (1, "Ongoing", 0, 0)
    assert (d.transaction_timeout_ms, d.transaction_start_time_ms) == (60_000, 0)
    assert d.topic_partitions == (TopicPartition("t", 0),)
    listed = admin.list_transactions().result()
    assert [(t.transactional_id, t.producer_id, t.state) for t in listed] == [("tx", 0, "Ongoing")]
    assert admin.list_transactions(duration_filter_ms=2000).result() == []
    with pytest.raises(KafkaException) as excinfo:
        admin.describe_transactions(["nope"])["nope"].result()
    assert excinfo.value.args[0].code() == Errors.TRANSACTIONAL_ID_NOT_FOUND  # 105
    producers = admin.describe_producers([TopicPartition("t", 0)])[TopicPartition("t", 0)].result()
    assert [
        (
            s.producer_id,
            s.producer_epoch,
            s.last_sequence,
            s.coordinator_epoch,
            s.current_transaction_start_offset,
        )
        for s in producers
    ] == [(0, 0, 0, None, 0)]


def test_hanging_transaction_found_and_aborted() -> None:
    """The late write of test_faults hangs t-0; find-hanging reports it after the maximum
    transaction timeout, and abort writes the ABORT marker that releases the LSO."""
    cluster = Cluster(config={"transaction.partition.verification.enable": False})
    cluster.create_topics([("t", 1, 1)])
    late_write_after_abort(cluster)
    admin = admin_for(cluster)
    assert find_hanging(admin, "t") == []  # not older than 15 minutes yet
    cluster.advance(15 * 60_000 + 1)
    assert find_hanging(admin, "t") == [
        HangingTransaction("t", 0, 0, 0, 0, 1, 0, 15),
    ]
    abort_at(admin, "t", 0, start_offset=1)
    assert log_layout(cluster) == [(0, "ABORT", 0, 0), (1, "tx", 0, 0, 0, "a"), (2, "ABORT", 0, 0)]
    assert offsets(cluster) == (3, 3, 3)
    assert read_all(cluster) == ([], 3)
    assert find_hanging(admin, "t") == []


def test_abort_transaction_spec_with_a_stale_epoch_is_refused(cluster: Cluster) -> None:
    p = txn_producer(cluster)
    p.init_transactions()
    txn_producer(cluster).init_transactions()  # epoch 1 now
    p2 = txn_producer(cluster)
    p2.init_transactions()
    p2.begin_transaction()
    p2.produce("t", value="a")
    p2.flush()
    spec = AbortTransactionSpec(TopicPartition("t", 0), 0, 1, 0)
    with pytest.raises(KafkaException) as excinfo:
        admin_for(cluster).abort_transaction(spec).result()
    assert excinfo.value.args[0].code() == KafkaError.INVALID_PRODUCER_EPOCH
    assert offsets(cluster) == (1, 1, 0)


def test_consumer_group_admin(cluster: Cluster) -> None:
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="a")
    plain.flush()
    c = consumer(cluster)
    c.subscribe(["t"])
    c.consume(5)
    c.commit(asynchronous=False)
    admin = admin_for(cluster)
    listed = admin.list_consumer_groups().result()
    assert [(g.group_id, g.state) for g in listed.valid] == [("g", ConsumerGroupState.STABLE)]
    d = admin.describe_consumer_groups(["g"])["g"].result()
    assert (d.state, d.partition_assignor, len(d.members)) == (
        ConsumerGroupState.STABLE,
        "range",
        1,
    )
    assert d.members[0].client_id == "consumer-1"
    assert d.members[0].assignment.topic_partitions == [TopicPartition("t", 0)]
    offsets_ = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions("g")])["g"].result()
    assert [(tp.topic, tp.partition, tp.offset) for tp in offsets_.topic_partitions] == [
        ("t", 0, 1)
    ]
    c.close()
    assert admin.describe_consumer_groups(["g"])["g"].result().state == ConsumerGroupState.EMPTY
