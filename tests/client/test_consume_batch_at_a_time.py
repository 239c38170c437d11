"""Messages are built a fetched batch at a time (rdkafka_msgset_reader.c hands a whole message set
to the application queue); whatever the slice, the application sees the same messages, positions
and stored offsets as one poll() at a time."""

from __future__ import annotations

from eoslab import Cluster
from eoslab.client import TIMESTAMP_CREATE_TIME, Producer, TopicPartition
from tests.conftest import consumer, txn_producer


def _two_batches_and_an_aborted_one(cluster: Cluster) -> None:
    """Offsets 0-2 (committed, timestamps 1000, 1000, 1007), 3 COMMIT, 4-5 aborted, 6 ABORT,
    7-8 committed (a header on 7), 9 COMMIT."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value=b"a", key=b"k", partition=0, timestamp=1000)
    p.produce("t", value=b"b", partition=0, timestamp=1000)
    p.produce("t", value=b"c", partition=0, timestamp=1007)
    p.commit_transaction()
    p.begin_transaction()
    p.produce("t", value=b"x", partition=0)
    p.produce("t", value=b"y", partition=0)
    p.flush()
    p.abort_transaction()
    p.begin_transaction()
    p.produce("t", value=b"d", partition=0, headers=[("h", b"1")], timestamp=2000)
    p.produce("t", value=b"e", partition=0, timestamp=2001)
    p.commit_transaction()


def _seen(message) -> tuple:
    return (
        message.offset(),
        message.key(),
        message.value(),
        message.headers(),
        message.timestamp(),
        message.leader_epoch(),
    )


def test_consume_in_slices_returns_what_poll_returns_one_at_a_time(cluster: Cluster) -> None:
    _two_batches_and_an_aborted_one(cluster)
    expected = [
        (0, b"k", b"a", None, (TIMESTAMP_CREATE_TIME, 1000), 0),
        (1, None, b"b", None, (TIMESTAMP_CREATE_TIME, 1000), 0),
        (2, None, b"c", None, (TIMESTAMP_CREATE_TIME, 1007), 0),
        (7, None, b"d", [("h", b"1")], (TIMESTAMP_CREATE_TIME, 2000), 0),
        (8, None, b"e", None, (TIMESTAMP_CREATE_TIME, 2001), 0),
    ]
    one_by_one = consumer(cluster)
    one_by_one.assign([TopicPartition("t", 0, 0)])
    polled = [one_by_one.poll(0) for _ in range(5)]
    assert [_seen(m) for m in polled] == expected
    assert one_by_one.poll(0) is None

    sliced = consumer(cluster, **{"group.id": "g2"})
    sliced.assign([TopicPartition("t", 0, 0)])
    first = sliced.consume(2, 0)  # two of the first batch's three records
    assert [_seen(m) for m in first] == expected[:2]
    assert sliced.position([TopicPartition("t", 0)])[0].offset == 2
    middle = sliced.poll(0)  # the rest of that batch
    assert _seen(middle) == expected[2]
    assert sliced.position([TopicPartition("t", 0)])[0].offset == 3
    rest = sliced.consume(10, 0)  # past the COMMIT marker and the aborted transaction
    assert [_seen(m) for m in rest] == expected[3:]
    # the call goes on past the last COMMIT marker (offset 9), as librdkafka's position does
    assert sliced.position([TopicPartition("t", 0)])[0].offset == 10
    assert sliced.records_returned == one_by_one.records_returned == 5
    sliced.commit(asynchronous=False)  # stored past the marker too
    assert sliced.committed([TopicPartition("t", 0)])[0].offset == 10


def test_a_slice_stops_at_num_messages_and_the_next_call_continues_the_batch(
    cluster: Cluster,
) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for i in range(10):
        p.produce("t", value=str(i), partition=0)
    p.flush()
    c = consumer(cluster, isolation="read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    assert [m.value() for m in c.consume(4, 0)] == [b"0", b"1", b"2", b"3"]
    assert c.consume(0, 0) == []
    assert [m.offset() for m in c.consume(4, 0)] == [4, 5, 6, 7]
    assert [m.offset() for m in c.consume(4, 0)] == [8, 9]
    assert c.consume(4, 0) == []
    assert [len(b.records) for b in cluster.partition("t", 0).batches] == [10]
