"""The golden scenarios with confluent-kafka (librdkafka) over the wire: the same log, markers,
offsets and coordinator records as the in-process client (tests/client/test_golden_scenarios.py)."""

from __future__ import annotations

import time

import pytest

from eoslab import Cluster
from eoslab.wire import WireServer
from tests.conftest import aborted_index, commit_one, log_layout, offsets, txn_log

ck = pytest.importorskip("confluent_kafka")
TIMEOUT = 10.0


def producer(server: WireServer, tid: str | None = "tx", **conf) -> ck.Producer:
    c = {"bootstrap.servers": server.bootstrap_servers, "log_level": 3, **conf}
    if tid:
        c["transactional.id"] = tid
    return ck.Producer(c)


def consumer(server: WireServer, isolation: str = "read_committed", **conf) -> ck.Consumer:
    return ck.Consumer(
        {
            "bootstrap.servers": server.bootstrap_servers,
            "group.id": "g",
            "isolation.level": isolation,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "log_level": 3,
            **conf,
        }
    )


def read_all(server: WireServer, end: int, isolation: str = "read_committed", topic="t", p=0):
    """Assign from 0 and poll until the position reaches `end` (bounded): (offset, value), position."""
    c = consumer(server, isolation)
    c.assign([ck.TopicPartition(topic, p, 0)])
    out = []
    deadline = time.monotonic() + TIMEOUT
    position = -1001
    while time.monotonic() < deadline:
        m = c.poll(0.05)
        if m is not None:
            assert m.error() is None, m.error()
            out.append((m.offset(), m.value().decode()))
        position = c.position([ck.TopicPartition(topic, p)])[0].offset
        if position >= end and m is None:
            break
    c.close()
    return out, position


def test_g1_one_record_commit(cluster: Cluster, server: WireServer) -> None:
    p = producer(server)
    p.init_transactions(TIMEOUT)
    commit_one(p, "a", timeout=TIMEOUT)
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]
    assert offsets(cluster) == (2, 2, 2)
    assert aborted_index(cluster) == []
    assert txn_log(cluster, "tx")[-1] == ("CompleteCommit", 0)
    assert read_all(server, 2) == ([(0, "a")], 2)
    assert read_all(server, 2, "read_uncommitted") == ([(0, "a")], 2)


def test_g2_g3_g4_commit_abort_then_plain(cluster: Cluster, server: WireServer) -> None:
    p = producer(server)
    p.init_transactions(TIMEOUT)
    commit_one(p, "a", timeout=TIMEOUT)
    p.begin_transaction()
    p.produce("t", value="b", partition=0)
    assert p.flush(TIMEOUT) == 0
    p.abort_transaction(TIMEOUT)
    plain = producer(server, None)
    plain.produce("t", value="c", partition=0)
    assert plain.flush(TIMEOUT) == 0
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0, 1, "b"),
        (3, "ABORT", 0, 0),
        (4, "D", -1, -1, -1, "c"),
    ]
    assert offsets(cluster) == (5, 5, 5)
    assert aborted_index(cluster) == [(0, 2, 3, 4)]
    assert read_all(server, 5) == ([(0, "a"), (4, "c")], 5)
    assert read_all(server, 5, "read_uncommitted") == ([(0, "a"), (2, "b"), (4, "c")], 5)


def test_g5_open_transaction_blocks_read_committed(cluster: Cluster, server: WireServer) -> None:
    p = producer(server)
    p.init_transactions(TIMEOUT)
    p.begin_transaction()
    p.produce("t", value="a", partition=0)
    assert p.flush(TIMEOUT) == 0
    plain = producer(server, None)
    plain.produce("t", value="x", partition=0)
    assert plain.flush(TIMEOUT) == 0
    assert offsets(cluster) == (2, 2, 0)
    rc = consumer(server)
    tp = ck.TopicPartition("t", 0, 0)
    rc.assign([tp])
    assert rc.consume(10, 0.5) == []
    assert rc.position([ck.TopicPartition("t", 0)])[0].offset == -1001
    assert rc.get_watermark_offsets(ck.TopicPartition("t", 0), TIMEOUT) == (0, 0)
    assert read_all(server, 2, "read_uncommitted") == ([(0, "a"), (1, "x")], 2)
    p.commit_transaction(TIMEOUT)
    assert log_layout(cluster)[2] == (2, "COMMIT", 0, 0)
    got = []
    deadline = time.monotonic() + TIMEOUT
    while len(got) < 2 and time.monotonic() < deadline:
        got += [(m.offset(), m.value()) for m in rc.consume(10, 0.2) if m.error() is None]
    assert got == [(0, b"a"), (1, b"x")]
    rc.close()


def test_g14_zombie_fenced(cluster: Cluster, server: WireServer) -> None:
    a = producer(server)
    a.init_transactions(TIMEOUT)
    a.begin_transaction()
    a.produce("t", value="a", partition=0)
    assert a.flush(TIMEOUT) == 0
    b = producer(server)
    b.init_transactions(TIMEOUT)
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert txn_log(cluster, "tx") == [
        ("Empty", 0),
        ("Ongoing", 0),
        ("PrepareAbort", 1),
        ("CompleteAbort", 1),
        ("Empty", 2),
    ]
    commit_one(b, "b", timeout=TIMEOUT)
    assert log_layout(cluster)[2:] == [(2, "tx", 0, 2, 0, "b"), (3, "COMMIT", 0, 2)]
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    assert read_all(server, 4) == ([(2, "b")], 4)
    with pytest.raises(ck.KafkaException) as info:
        a.commit_transaction(TIMEOUT)
    error = info.value.args[0]
    assert (error.code(), error.fatal()) == (ck.KafkaError._FENCED, True)
    # EndTxn v1 on the wire: the broker answers INVALID_PRODUCER_EPOCH (47), not 90
    assert cluster.journal.events(api="EndTxn")[-1].result == "INVALID_PRODUCER_EPOCH"
    assert offsets(cluster) == (4, 4, 4)


def test_g15_transaction_timeout(cluster: Cluster, server: WireServer) -> None:
    p = producer(server, **{"transaction.timeout.ms": 5000})
    p.init_transactions(TIMEOUT)
    p.begin_transaction()
    p.produce("t", value="a", partition=0)
    assert p.flush(TIMEOUT) == 0
    cluster.advance(9_999)  # from the test thread: the server's lock keeps this safe
    assert offsets(cluster) == (1, 1, 0)
    cluster.advance(1)
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    assert txn_log(cluster, "tx")[-2:] == [("PrepareAbort", 1), ("CompleteAbort", 1)]
    with pytest.raises(ck.KafkaException) as info:
        p.commit_transaction(TIMEOUT)
    assert info.value.args[0].code() in (
        ck.KafkaError._FENCED,
        ck.KafkaError.INVALID_PRODUCER_EPOCH,
    )
    assert offsets(cluster) == (2, 2, 2)


def _wait_assignment(c: ck.Consumer, n: int, deadline: float) -> list:
    while time.monotonic() < deadline:
        c.poll(0.05)
        if len(c.assignment()) == n:
            return c.assignment()
    return c.assignment()


def test_consume_process_produce_with_offsets_in_the_transaction(
    cluster: Cluster, server: WireServer
) -> None:
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    src = producer(server, None)
    for v in ("x", "y"):
        src.produce("in", value=v, partition=0)
    assert src.flush(TIMEOUT) == 0
    c = consumer(server, **{"group.id": "app"})
    c.subscribe(["in"])
    p = producer(server, "app-tx")
    p.init_transactions(TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    got = []
    while len(got) < 2 and time.monotonic() < deadline:
        m = c.poll(0.1)
        if m is not None and m.error() is None:
            got.append(m)
    assert [m.value() for m in got] == [b"x", b"y"]
    p.begin_transaction()
    for m in got:
        p.produce("out", value=m.value().upper(), partition=0)
    p.send_offsets_to_transaction(
        [ck.TopicPartition("in", 0, got[-1].offset() + 1)], c.consumer_group_metadata(), TIMEOUT
    )
    committed = cluster.group_coordinator.committed("app", "in", 0)
    assert committed is None  # pending in the transaction
    p.commit_transaction(TIMEOUT)
    with cluster.request_guard:  # EndTxn is answered before the markers (as Kafka does)
        assert cluster.group_coordinator.committed("app", "in", 0) == 2
    assert [row[1:] for row in log_layout(cluster, "out")] == [
        ("tx", 0, 0, 0, "X"),
        ("tx", 0, 0, 1, "Y"),
        ("COMMIT", 0, 0),
    ]
    got_committed = c.committed([ck.TopicPartition("in", 0)], TIMEOUT)
    assert got_committed[0].offset == 2
    c.close()


def test_group_rebalance_two_members(cluster: Cluster, server: WireServer) -> None:
    cluster.create_topics([("g2", 2, 1)])
    conf = {"group.id": "rb", "session.timeout.ms": 6000, "heartbeat.interval.ms": 100}
    a = consumer(server, **conf)
    a.subscribe(["g2"])
    deadline = time.monotonic() + TIMEOUT
    assert len(_wait_assignment(a, 2, deadline)) == 2
    b = consumer(server, **conf)
    b.subscribe(["g2"])
    while time.monotonic() < deadline:
        a.poll(0.05)
        b.poll(0.05)
        if len(a.assignment()) == 1 and len(b.assignment()) == 1:
            break
    parts = sorted(tp.partition for tp in a.assignment() + b.assignment())
    assert parts == [0, 1]
    group = cluster.group_coordinator.group("rb")
    assert group.generation_id == 2 and len(group.members) == 2
    b.close()
    while time.monotonic() < deadline and len(a.assignment()) != 2:
        a.poll(0.05)
    assert len(a.assignment()) == 2
    a.close()
