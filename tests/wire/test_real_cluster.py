"""Real-cluster mode against `eoslab serve`: a snapshot taken over the Kafka protocol renders the
same rows in every view as the in-process cluster it was taken from, for the golden scenarios."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pandas as pd
import pytest

from eoslab import Cluster
from eoslab.client import Consumer, Producer, TopicPartition
from eoslab.real import RealClusterSnapshot, SnapshotError, reader, snapshot
from eoslab.views import (
    aborted_index,
    consumer_groups,
    dump_log_lines,
    hanging_transactions,
    log_dump,
    offset_timeline,
    partitions,
    png,
    producers,
    transaction_log,
    transactions,
)
from eoslab.wire import WireServer, codec
from tests.conftest import consumer, state_snapshot, txn_producer
from tests.views.scenarios import big_log, g1, g3, g14


def commit_abort_plain_open() -> Cluster:
    """G1-G5 on one log: commit "a", abort "b", plain "c", then another id leaves "d" open."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    p.begin_transaction()
    p.produce("t", value="b")
    p.flush()
    p.abort_transaction()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="c")
    plain.flush()
    other = txn_producer(cluster, "other")
    other.init_transactions()
    other.begin_transaction()
    other.produce("t", value="d")
    other.flush()
    return cluster


def offsets_in_transactions() -> Cluster:
    """G16 then an open G16: committed offsets, and an offset pending in an open transaction."""
    cluster = Cluster()
    cluster.create_topics([("in", 1, 1), ("out", 2, 1)])
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for value in "xyzw":
        plain.produce("in", value=value)
    plain.flush()
    c = consumer(cluster, **{"group.id": "app"})
    c.assign([TopicPartition("in", 0)])
    got = c.consume(2)
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    for m in got:
        p.produce("out", value=m.value().upper(), partition=0)
    p.send_offsets_to_transaction([TopicPartition("in", 0, 2)], c.consumer_group_metadata())
    p.commit_transaction()
    got = c.consume(2)
    p.begin_transaction()
    for m in got:
        p.produce("out", value=m.value().upper(), partition=1)
    p.send_offsets_to_transaction([TopicPartition("in", 0, 4)], c.consumer_group_metadata())
    p.flush()  # left open: offset 4 is pending
    c.close()
    return cluster


def group_commits() -> Cluster:
    """A subscribed group that commits, and an assign()ed consumer's commit (offsets only)."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for i in range(6):
        plain.produce("t", value=f"v{i}", partition=i % 2)
    plain.flush()
    member = consumer(cluster, **{"group.id": "members"})
    member.subscribe(["t"])
    member.consume(10)
    member.commit(asynchronous=False)
    member.close()
    solo = consumer(cluster, **{"group.id": "solo"})
    solo.assign([TopicPartition("t", 1, 0)])
    solo.consume(2)
    solo.commit(asynchronous=False)
    solo.close()
    return cluster


def failover() -> Cluster:
    """A transaction over two partitions, then a coordinator failover (coordinator epoch 1)."""
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a", partition=0)
    p.produce("t", value="b", partition=1)
    p.commit_transaction()
    cluster.restart_transaction_coordinator()
    p.begin_transaction()
    p.produce("t", value="c", partition=1)
    p.abort_transaction()
    return cluster


def long_log() -> Cluster:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    big_log(cluster, "t", 3_000)
    return cluster


SCENARIOS: dict[str, Callable[[], Cluster]] = {
    "g1": g1,
    "g3": g3,
    "g14": g14,
    "commit_abort_plain_open": commit_abort_plain_open,
    "offsets_in_transactions": offsets_in_transactions,
    "group_commits": group_commits,
    "failover": failover,
    "long_log": long_log,
}


def take(cluster: Cluster, **kwargs) -> RealClusterSnapshot:
    with WireServer(cluster, clock="manual") as server:
        return snapshot(server.bootstrap_servers, internal=True, now_ms=cluster.now_ms, **kwargs)


def assert_same_views(cluster: Cluster, snap: RealClusterSnapshot) -> None:
    same = pd.testing.assert_frame_equal
    assert snap.list_topics(internal=True) == cluster.list_topics(internal=True)
    for name in cluster.list_topics(internal=True):
        assert len(snap.topics[name].partitions) == len(cluster.topics[name].partitions)
        for i, p in enumerate(cluster.topics[name].partitions):
            if not p.batches and name.startswith("__"):
                continue
            same(log_dump(snap, name, i), log_dump(cluster, name, i))
            same(aborted_index(snap, name, i), aborted_index(cluster, name, i))
            same(producers(snap, name, i), producers(cluster, name, i))
            assert dump_log_lines(snap.partition(name, i)) == dump_log_lines(p)
    same(partitions(snap, internal=True), partitions(cluster, internal=True))
    same(transaction_log(snap), transaction_log(cluster))
    same(hanging_transactions(snap), hanging_transactions(cluster))
    same(consumer_groups(snap), consumer_groups(cluster))
    mine, theirs = transactions(snap), transactions(cluster)
    # the coordinator's last update is in __transaction_state only once written there
    same(mine, theirs)
    if cluster.list_topics():
        assert png(offset_timeline(snap)) == png(offset_timeline(cluster))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_snapshot_renders_the_same_views(name: str) -> None:
    cluster = SCENARIOS[name]()
    before = state_snapshot(cluster)
    snap = take(cluster)
    assert state_snapshot(cluster) == before  # read-only (the journal aside: it logs reads)
    assert_same_views(cluster, snap)
    for t in snap.topics.values():
        for p in t.partitions:
            assert p.notes == []
            assert p.producer_state.source == "DescribeProducers"
            # the log's own account of the producers, used where DescribeProducers is missing
            assert p.log_producer_state.producers == p.producer_state.producers
            # the broker's aborted list (read_committed fetches) matches the rebuilt index
            assert sorted(p.fetched_aborted_transactions) == sorted(
                (a.producer_id, a.first_offset)
                for a in p.txn_index.all()
                if a.first_offset < p.last_stable_offset
            )
    assert "DescribeProducers" not in snap.unavailable
    assert "transactions" not in snap.unavailable


def test_open_transaction_fields() -> None:
    cluster = commit_abort_plain_open()
    txn_producer(cluster, "idle").init_transactions()
    snap = take(cluster)
    p = snap.partition("t", 0)
    assert (p.log_start_offset, p.high_watermark, p.last_stable_offset) == (0, 6, 5)
    assert p.first_unstable_offset() == 5
    assert (p.fetch_high_watermark, p.fetch_last_stable_offset) == (6, 5)
    assert [b.control_type.name for b in p.batches if b.is_control] == ["COMMIT", "ABORT"]
    assert p.fetched_aborted_transactions == [(0, 2)]
    assert snap.txn_coordinator.transactions["other"].state.name == "Ongoing"
    idle = snap.txn_coordinator.transactions["idle"]
    assert (idle.state.name, idle.txn_start_timestamp) == ("Empty", -1)  # -1 on the wire too


def test_pending_offset_from_consumer_offsets() -> None:
    cluster = offsets_in_transactions()
    snap = take(cluster)
    assert snap.group_coordinator.committed("app", "in", 0) == 2
    assert snap.group_coordinator.pending_offsets("app") == {("in", 0): (0, 4)}
    rows = consumer_groups(snap)
    assert rows[["current_offset", "pending_offset"]].values.tolist() == [[2, 4]]


def test_without_internal_topics_says_what_is_missing() -> None:
    cluster = offsets_in_transactions()
    with WireServer(cluster, clock="manual") as server:
        snap = snapshot(server.bootstrap_servers, ["in"])
    assert snap.list_topics(internal=True) == ["in"]
    assert set(snap.unavailable) == {"txn_last_update_timestamp", "pending offsets"}
    assert snap.group_coordinator.pending_offsets("app") == {}
    assert snap.txn_coordinator.transactions["app"].txn_last_update_timestamp == -1
    assert transactions(snap)["coordinator_epoch"].tolist() == [0]
    assert snap.journal.lines() == [] and snap.clients == []
    with pytest.raises(NotImplementedError):
        snap.replay(0)


def test_many_small_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A partition fetched 2 KiB at a time gives the same log as one big fetch."""
    monkeypatch.setattr(reader, "PARTITION_FETCH_BYTES", 2048)
    cluster = long_log()
    snap = take(cluster)
    assert_same_views(cluster, snap)
    capped = take(cluster, max_records=100)
    p = capped.partition("t", 0)
    assert p.fetched_from == 2_900 and p.batches[0].last_offset >= 2_900


def test_confluent_kafka_over_the_wire(cluster: Cluster, server: WireServer) -> None:
    """Written by librdkafka (its own batches, bytes as sent), read back by the snapshot."""
    ck = pytest.importorskip("confluent_kafka")
    conf = {"bootstrap.servers": server.bootstrap_servers, "log_level": 3}
    p = ck.Producer({**conf, "transactional.id": "tx"})
    p.init_transactions(10)
    for value, commit in (("a", True), ("b", False), ("c", True)):
        p.begin_transaction()
        p.produce("t", value=value, key=b"k", headers=[("h", b"1")], partition=0)
        p.flush(10)
        (p.commit_transaction if commit else p.abort_transaction)(10)
    snap = snapshot(server.bootstrap_servers, internal=True, now_ms=cluster.now_ms)
    assert_same_views(cluster, snap)
    assert log_dump(snap, "t", 0)["fate"].tolist() == [
        "committed",
        "marker",
        "aborted",
        "marker",
        "committed",
        "marker",
    ]


def test_split_batches_drops_a_partial_tail() -> None:
    cluster = g1()
    raw = b"".join(b.to_bytes() for b in cluster.partition("t", 0).batches)
    whole, left = codec.split_batches(raw)
    assert len(whole) == 2 and left == 0
    whole, left = codec.split_batches(raw[:-3])
    assert len(whole) == 1 and left == len(raw) - 3 - len(whole[0])
    assert codec.decode_batch(whole[0]).records[0].value == b"a"


def test_unreachable_and_silent_brokers_fail_within_the_timeout() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SnapshotError, match="no bootstrap server answered"):
        snapshot(f"127.0.0.1:{port}", timeout_s=2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        silent.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        start = time.monotonic()
        with pytest.raises(SnapshotError):
            snapshot(f"127.0.0.1:{silent.getsockname()[1]}", timeout_s=1, request_timeout_s=0.5)
        assert time.monotonic() - start < 3
    finally:
        stop.set()
        t.join(2)
        for c in accepted:
            c.close()
        silent.close()


def test_describe_groups_of_an_offsets_only_group_is_empty(server: WireServer) -> None:
    """Kafka keeps a group that only has committed offsets as Empty (not Dead)."""
    c = Consumer(
        {
            "bootstrap.servers": server.cluster.bootstrap_servers,
            "group.id": "only-offsets",
            "enable.auto.commit": False,
        }
    )
    c.commit(offsets=[TopicPartition("t", 0, 0)], asynchronous=False)
    c.close()
    snap = snapshot(server.bootstrap_servers)
    assert snap.group_coordinator.group("only-offsets").state == "Empty"
    assert snap.group_coordinator.committed("only-offsets", "t", 0) == 0


def test_cli_snapshot(server: WireServer, capsys: pytest.CaptureFixture[str]) -> None:
    from eoslab.cli import main

    p = txn_producer(server.cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    assert main(["snapshot", server.bootstrap_servers, "--topic", "t", "--timeout", "10"]) == 0
    out = capsys.readouterr().out
    assert "Dumping t-0 (log end offset 2)" in out
    assert "endTxnMarker: COMMIT coordinatorEpoch: 0" in out
