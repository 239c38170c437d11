"""The golden scenarios with kafka-python over the wire."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from eoslab import Cluster
from eoslab.wire import WireServer
from tests.conftest import aborted_index, log_layout, offsets, txn_log

kafka = pytest.importorskip("kafka")
from kafka import KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.errors import KafkaError  # noqa: E402

from tests.conftest import commit_one  # noqa: E402

TIMEOUT = 30.0  # wall-clock slack for a loaded 2-core machine; passing runs take < 1 s


_OPEN: list = []  # every client a test made: closed after it, so no thread outlives its server


@pytest.fixture(autouse=True)
def close_clients():
    yield
    while _OPEN:
        client = _OPEN.pop()
        with contextlib.suppress(Exception):  # already closed, or its server is gone
            client.close(timeout=1)


def producer(server: WireServer, tid: str | None = "tx", **conf) -> KafkaProducer:
    if tid:
        conf["transactional_id"] = tid
    client = KafkaProducer(bootstrap_servers=server.bootstrap_servers, **conf)
    _OPEN.append(client)
    return client


def consumer(server: WireServer, isolation: str = "read_committed", **conf) -> KafkaConsumer:
    client = KafkaConsumer(
        bootstrap_servers=server.bootstrap_servers,
        isolation_level=isolation,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
        **conf,
    )
    _OPEN.append(client)
    return client


def read_all(server: WireServer, end: int, isolation: str = "read_committed", topic: str = "t"):
    c = consumer(server, isolation)
    tp = TopicPartition(topic, 0)
    c.assign([tp])
    c.seek(tp, 0)
    out = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        batch = c.poll(timeout_ms=50)
        for records in batch.values():
            out += [(r.offset, r.value.decode()) for r in records]
        if not batch and c.position(tp) >= end:
            break
    position = c.position(tp)
    c.close()
    return out, position


def test_g1_g3_g4_commit_abort_plain(cluster: Cluster, server: WireServer) -> None:
    p = producer(server)
    p.init_transactions()
    commit_one(p, "a")
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]
    p.begin_transaction()
    p.send("t", value=b"b", partition=0)
    p.flush(TIMEOUT)
    p.abort_transaction()
    plain = producer(server, None)
    plain.send("t", value=b"c", partition=0)
    plain.flush(TIMEOUT)
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0, 1, "b"),
        (3, "ABORT", 0, 0),
        (4, "D", 1, 0, 0, "c"),  # kafka-python >= 3 is idempotent by default: pid 1, seq 0
    ]
    assert offsets(cluster) == (5, 5, 5)
    assert aborted_index(cluster) == [(0, 2, 3, 4)]
    assert txn_log(cluster, "tx")[-1] == ("CompleteAbort", 0)
    # kafka-python's position after the trailing data record: the next offset (5)
    assert read_all(server, 5) == ([(0, "a"), (4, "c")], 5)
    assert read_all(server, 5, "read_uncommitted") == ([(0, "a"), (2, "b"), (4, "c")], 5)
    p.close(1)
    plain.close(1)


def test_g1_position_after_a_trailing_marker(cluster: Cluster, server: WireServer) -> None:
    p = producer(server)
    p.init_transactions()
    commit_one(p, "a")
    # kafka-python steps over the trailing COMMIT marker: position 2, like librdkafka
    assert read_all(server, 2) == ([(0, "a")], 2)
    p.close(1)


def test_g5_open_transaction_blocks_read_committed(cluster: Cluster, server: WireServer) -> None:
    p = producer(server)
    p.init_transactions()
    p.begin_transaction()
    p.send("t", value=b"a", partition=0)
    p.flush(TIMEOUT)
    assert offsets(cluster) == (1, 1, 0)
    rc = consumer(server)
    tp = TopicPartition("t", 0)
    rc.assign([tp])
    rc.seek(tp, 0)
    assert rc.poll(timeout_ms=300) == {}
    assert rc.end_offsets([tp]) == {tp: 0}  # read_committed: the LSO
    p.commit_transaction()
    got = []
    deadline = time.monotonic() + TIMEOUT
    while not got and time.monotonic() < deadline:
        for records in rc.poll(timeout_ms=50).values():
            got += [(r.offset, r.value) for r in records]
    assert got == [(0, b"a")]
    rc.close()
    p.close(1)


def test_g14_zombie_fenced(cluster: Cluster, server: WireServer) -> None:
    a = producer(server)
    a.init_transactions()
    a.begin_transaction()
    a.send("t", value=b"a", partition=0)
    a.flush(TIMEOUT)
    b = producer(server)
    b.init_transactions()
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    commit_one(b, "b")
    assert log_layout(cluster)[2:] == [(2, "tx", 0, 2, 0, "b"), (3, "COMMIT", 0, 2)]
    with pytest.raises(KafkaError):
        a.commit_transaction()
    # kafka-python sends EndTxn v2 here (min of its max and ours): PRODUCER_FENCED? No: the
    # broker answers INVALID_PRODUCER_EPOCH below v2 and PRODUCER_FENCED from v2 on.
    last = cluster.journal.events(api="EndTxn")[-1].result
    assert last in ("PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH")
    assert offsets(cluster) == (4, 4, 4)
    b.close(1)


def test_g15_transaction_timeout(cluster: Cluster, server: WireServer) -> None:
    p = producer(server, transaction_timeout_ms=5000)
    p.init_transactions()
    p.begin_transaction()
    p.send("t", value=b"a", partition=0)
    p.flush(TIMEOUT)
    cluster.advance(10_000)
    assert log_layout(cluster) == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert aborted_index(cluster) == [(0, 0, 1, 2)]
    with pytest.raises(KafkaError):
        p.commit_transaction()
    assert offsets(cluster) == (2, 2, 2)


def test_consume_process_produce(cluster: Cluster, server: WireServer) -> None:
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    src = producer(server, None)
    for v in (b"x", b"y"):
        src.send("in", value=v, partition=0)
    src.flush(TIMEOUT)
    c = consumer(server, group_id="app")
    c.assign([TopicPartition("in", 0)])  # group membership is test_group_rebalance's subject
    got = []
    deadline = time.monotonic() + TIMEOUT
    while len(got) < 2 and time.monotonic() < deadline:
        for records in c.poll(timeout_ms=50).values():
            got += records
    assert [r.value for r in got] == [b"x", b"y"]
    p = producer(server, "app-tx")
    p.init_transactions()
    p.begin_transaction()
    for r in got:
        p.send("out", value=r.value.upper(), partition=0)
    from kafka.structs import OffsetAndMetadata

    p.send_offsets_to_transaction(
        {TopicPartition("in", 0): OffsetAndMetadata(2, "", -1)}, c.group_metadata()
    )
    assert cluster.group_coordinator.committed("app", "in", 0) is None
    p.commit_transaction()
    with cluster.request_guard:  # EndTxn is answered before the markers (as Kafka does)
        assert cluster.group_coordinator.committed("app", "in", 0) == 2
    assert [row[1:] for row in log_layout(cluster, "out")] == [
        ("tx", 1, 0, 0, "X"),  # pid 1: the idempotent source producer took pid 0
        ("tx", 1, 0, 1, "Y"),
        ("COMMIT", 1, 0),
    ]
    assert c.committed(TopicPartition("in", 0)) == 2
    c.close()
    p.close(1)


def test_group_rebalance(cluster: Cluster, server: WireServer) -> None:
    """Two kafka-python members split g2's partitions; B's arrival is one rebalance.

    Polling both consumers from one thread with 20 ms polls used to need many rebalances (once
    generation 83) or stall. Both symptoms are kafka-python 3.0.12's, not the coordinator's, and
    come from `BaseCoordinator.join_group_async` (kafka/coordinator/base.py) when a poll's timer
    expires while its JoinGroup+SyncGroup task is still in flight:
    - `if self._join_task is None or self._join_task.is_done:` throws a task that finished in
      the meantime away unread and sends a new JoinGroup; the leader's JoinGroup in a Stable
      group starts a rebalance (Kafka's GroupCoordinator: "force a rebalance if the leader sends
      JoinGroup"), and with one thread the leader's JoinGroup is always held for the other
      member, so the group rebalanced again and again. Its debug log shows "Received SyncGroup
      response" with no "Setting newly assigned partitions", then "(Re-)joining group". With
      that line changed to `if self._join_task is None:`, twelve one-thread runs ended in
      generation 3 each time they settled, against up to generation 11 unchanged.
    - the result is only collected inside `while self.need_rejoin():`, and for a rejoin caused
      by a metadata change the leader's own `_perform_assignment` makes `need_rejoin()` False
      before the result is read: the assignment is never applied (debug log: "need_rejoin:
      False" after "Received SyncGroup response", assignment stays empty, heartbeat stays off).
    So each consumer polls in its own thread, as an application would, with 500 ms polls that
    outlast a join round trip (30 of 30 runs settled in generation 3, in about 0.6 s).
    """
    cluster.create_topics([("g2", 2, 1)])
    members = {
        name: consumer(server, group_id="rb", heartbeat_interval_ms=100, client_id=name)
        for name in ("A", "B")
    }
    try:
        assigned: dict[str, set[int]] = {"A": set(), "B": set()}
        stop = threading.Event()

        def run(name: str) -> None:
            c = members[name]
            c.partitions_for_topic("g2")
            c.subscribe(["g2"])
            while not stop.is_set():
                c.poll(timeout_ms=500)
                assigned[name] = {tp.partition for tp in c.assignment()}

        threads = {name: threading.Thread(target=run, args=(name,)) for name in members}
        deadline = time.monotonic() + TIMEOUT
        try:
            threads["A"].start()
            while time.monotonic() < deadline and assigned["A"] != {0, 1}:
                time.sleep(0.01)
            assert assigned["A"] == {0, 1}
            alone = cluster.group_coordinator.group("rb").generation_id
            threads["B"].start()
            while time.monotonic() < deadline and sorted(map(len, assigned.values())) != [1, 1]:
                time.sleep(0.01)
        finally:
            stop.set()
            for t in threads.values():
                if t.is_alive():
                    t.join(TIMEOUT)
        assert assigned["A"] | assigned["B"] == {0, 1} and len(assigned["A"]) == 1
        group = cluster.group_coordinator.group("rb")
        assert group.state.name == "Stable"
        assert sorted(m.client_id for m in group.members.values()) == ["A", "B"]
        assert group.generation_id == alone + 1
    finally:  # kafka-python's IO threads stop only on close()
        for c in members.values():
            c.close()
