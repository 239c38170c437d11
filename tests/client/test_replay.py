"""Determinism and time travel: the same requests rebuild the same cluster, event for event."""

from __future__ import annotations

from eoslab import Cluster
from eoslab.client import Producer
from tests.conftest import consumer, log_layout, offsets, read_all, txn_log, txn_producer


def busy_script(cluster: Cluster) -> None:
    """Fencing, a linger-timed batch, a timeout abort and step pacing, all in one run."""
    cluster.create_topics([("t", 2, 1)])
    a = txn_producer(cluster, "app", **{"transaction.timeout.ms": 5000})
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a", partition=0)
    a.flush()
    b = txn_producer(cluster, "app")
    b.init_transactions()
    b.begin_transaction()
    b.produce("t", value="b", partition=1)
    b.commit_transaction()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="late", partition=0)
    cluster.advance(7)  # the plain producer's linger fires inside this advance
    c = txn_producer(cluster, "other", **{"transaction.timeout.ms": 5000})
    c.init_transactions()
    c.begin_transaction()
    c.produce("t", value="c", partition=0)
    c.flush()
    cluster.advance(20_000)  # the timeout scan aborts "other"
    cluster.pacing = "step"
    b.begin_transaction()
    b.produce("t", value="d", partition=0)
    b.produce("t", value="e", partition=1)
    b.commit_transaction()
    cluster.step()
    read_all(cluster, "t", 0)
    cluster.run_pending()


def test_same_script_same_journal() -> None:
    first, second = Cluster(seed=7), Cluster(seed=7)
    busy_script(first)
    busy_script(second)
    assert first.journal.lines() == second.journal.lines()
    assert len(first.journal) == 38


def test_full_replay_rebuilds_logs_coordinator_and_journal() -> None:
    cluster = Cluster()
    busy_script(cluster)
    copy = cluster.replay()
    assert copy.journal.lines() == cluster.journal.lines()
    for partition in (0, 1):
        assert log_layout(copy, "t", partition) == log_layout(cluster, "t", partition)
        assert offsets(copy, "t", partition) == offsets(cluster, "t", partition)
    assert txn_log(copy, "app") == txn_log(cluster, "app")
    assert txn_log(copy, "other") == txn_log(cluster, "other")
    assert copy.now_ms == cluster.now_ms == 20_007
    # the replay is a cluster of its own: clients can keep using it
    assert read_all(copy, "t", 1) == read_all(cluster, "t", 1)


def test_replay_stops_at_any_event() -> None:
    cluster = Cluster()
    busy_script(cluster)
    lines = cluster.journal.lines()
    advances = [(r.journal_start, r.journal_end) for r in cluster.requests if r.name == "_advance"]
    for n in range(len(lines)):
        copy = cluster.replay(n)
        assert copy.journal.lines()[: n + 1] == lines[: n + 1]
        inside_advance = [end for start, end in advances if start <= n < end]
        # an advance (with what its timers ran) is replayed whole; anything else stops exactly
        assert len(copy.journal) == (inside_advance[0] if inside_advance else n + 1)


def test_replay_in_the_middle_of_a_commit_leaves_markers_pending() -> None:
    """After the EndTxn event the data is there and the marker is still to be written."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    end_txn = cluster.journal.events(api="EndTxn")[0].seq
    before_marker = cluster.replay(end_txn)
    assert offsets(before_marker, "t", 0) == (1, 1, 0)
    assert before_marker.pending_steps == ["WriteTxnMarkers COMMIT(pid 0, epoch 0) -> t-0"]
    assert txn_log(before_marker, "tx")[-1] == ("PrepareCommit", 0)
    after_marker = cluster.replay(end_txn + 1)
    assert offsets(after_marker, "t", 0) == (2, 2, 2)
    assert log_layout(after_marker, "t", 0) == [(0, "tx", 0, 0, 0, "a"), (1, "COMMIT", 0, 0)]


def test_replayed_cluster_serves_new_clients() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    copy = cluster.replay()
    c = consumer(copy)
    from eoslab.client import TopicPartition

    c.assign([TopicPartition("t", 0, 0)])
    assert [m.value() for m in c.consume(5)] == [b"a"]
