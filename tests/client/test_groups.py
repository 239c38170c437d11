"""Consumer groups: rebalances, commits, session timeouts, and why read_committed is not
exactly-once (reference §5.5, §5.6, §6.3)."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.client import KafkaError, KafkaException, Producer, TopicPartition
from tests.conftest import consumer, txn_producer


@pytest.fixture
def two_partitions() -> Cluster:
    cluster = Cluster()
    cluster.create_topics([("t", 2, 1)])
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for i in range(6):
        p.produce("t", value=str(i), partition=i % 2)
    p.flush()
    return cluster


def assigned(c) -> list[tuple[str, int]]:
    return [(tp.topic, tp.partition) for tp in c.assignment()]


def test_a_lone_member_gets_every_partition(two_partitions: Cluster) -> None:
    cluster = two_partitions
    events = []
    c = consumer(cluster)
    c.subscribe(["t"], on_assign=lambda cons, parts: events.append([p.partition for p in parts]))
    assert c.memberid() is None
    messages = c.consume(10)
    assert sorted(m.value() for m in messages) == [b"0", b"1", b"2", b"3", b"4", b"5"]
    assert events == [[0, 1]]
    group = cluster.group_coordinator.group("g")
    assert (group.state.name, group.generation_id, group.protocol_name) == ("Stable", 1, "range")
    assert c.memberid().startswith("consumer-1-")
    apis = [e.api for e in cluster.journal if e.actor == "consumer-1"][:4]
    assert apis == ["JoinGroup", "Metadata", "SyncGroup", "OffsetFetch"]


def test_a_second_member_triggers_a_rebalance_and_range_assignment(two_partitions: Cluster) -> None:
    cluster = two_partitions
    revoked, assigned_events = [], []
    c1 = consumer(cluster)
    c1.subscribe(
        ["t"],
        on_assign=lambda c, ps: assigned_events.append(("c1", [p.partition for p in ps])),
        on_revoke=lambda c, ps: revoked.append(("c1", [p.partition for p in ps])),
    )
    c1.poll(0)
    c2 = consumer(cluster)
    c2.subscribe(
        ["t"], on_assign=lambda c, ps: assigned_events.append(("c2", [p.partition for p in ps]))
    )
    assert c2.poll(0) is None  # its JoinGroup is held until c1 rejoins
    assert cluster.group_coordinator.group("g").state.name == "PreparingRebalance"
    c1.poll(0)  # heartbeat -> REBALANCE_IN_PROGRESS -> revoke, rejoin, lead, assign
    c2.poll(0)
    assert revoked == [("c1", [0, 1])]
    assert assigned_events == [("c1", [0, 1]), ("c1", [0]), ("c2", [1])]
    assert (assigned(c1), assigned(c2)) == ([("t", 0)], [("t", 1)])
    heartbeats = [e.result for e in cluster.journal.events(api="Heartbeat")]
    assert heartbeats == ["REBALANCE_IN_PROGRESS"]
    assert cluster.group_coordinator.group("g").generation_id == 2


def test_roundrobin_assignor_when_configured() -> None:
    cluster = Cluster()
    cluster.create_topics([("a", 2, 1), ("b", 1, 1)])
    c1 = consumer(cluster, **{"partition.assignment.strategy": "roundrobin"})
    c2 = consumer(cluster, **{"partition.assignment.strategy": "roundrobin"})
    c1.subscribe(["a", "b"])
    c1.poll(0)
    c2.subscribe(["a", "b"])
    c2.poll(0)
    c1.poll(0)
    c2.poll(0)
    assert (assigned(c1), assigned(c2)) == ([("a", 0), ("b", 0)], [("a", 1)])


def test_crashed_member_leaves_after_its_session_times_out(two_partitions: Cluster) -> None:
    cluster = two_partitions
    c1, c2 = consumer(cluster), consumer(cluster)
    c1.subscribe(["t"])
    c1.poll(0)
    c2.subscribe(["t"])
    c2.poll(0)
    c1.poll(0)
    c2.poll(0)
    c2.crash()
    cluster.advance(44_999)
    c1.poll(0)
    assert assigned(c1) == [("t", 0)]
    cluster.advance(1)  # session.timeout.ms = 45000 after c2's last heartbeat
    assert cluster.group_coordinator.group("g").state.name == "PreparingRebalance"
    c1.poll(0)
    assert assigned(c1) == [("t", 0), ("t", 1)]
    expired = [e for e in cluster.journal if e.api == "sessionTimeout"]
    assert [(e.time_ms, e.result) for e in expired] == [(45_000, "member expired")]


def test_read_committed_is_not_exactly_once_processing_twice_after_a_crash(
    two_partitions: Cluster,
) -> None:
    """§5.6 / seed §6.5.2: process, crash before the commit, and the next member processes the
    same committed records again."""
    cluster = two_partitions
    sink: list[bytes] = []
    first = consumer(cluster, "read_committed")
    first.subscribe(["t"])
    for m in first.consume(10):
        sink.append(m.value())  # written to the sink...
    first.crash()  # ...but the process dies before commit()
    second = consumer(cluster, "read_committed")
    second.subscribe(["t"])
    assert second.consume(10) == []  # waits for the crashed member's session to end
    cluster.advance(45_000)
    for m in second.consume(10):
        sink.append(m.value())
    assert sorted(sink) == sorted([b"0", b"1", b"2", b"3", b"4", b"5"] * 2)


def test_commit_stores_the_position_past_a_trailing_marker(two_partitions: Cluster) -> None:
    """§5.5: commit() with no arguments commits the position (past the COMMIT marker), so the
    group's lag is 0; committing message.offset()+1 leaves it one behind."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0)])
    m = c.poll(0)
    assert m.offset() == 0
    assert c.poll(0) is None  # steps over the marker
    result = c.commit(asynchronous=False)
    assert [(r.partition, r.offset) for r in result] == [(0, 2)]
    assert cluster.group_coordinator.committed("g", "t", 0) == 2  # HW 2: lag 0
    with pytest.raises(KafkaException) as excinfo:
        c.commit(asynchronous=False)  # nothing new stored
    assert excinfo.value.args[0].code() == KafkaError._NO_OFFSET
    c.commit(message=m, asynchronous=False)
    assert cluster.group_coordinator.committed("g", "t", 0) == 1  # one behind: lag 1 forever


def test_auto_commit_runs_on_the_virtual_clock(two_partitions: Cluster) -> None:
    cluster = two_partitions
    c = consumer(cluster, **{"enable.auto.commit": True, "auto.commit.interval.ms": 5000})
    c.assign([TopicPartition("t", 0)])
    assert len(c.consume(10)) == 3
    assert cluster.group_coordinator.committed("g", "t", 0) is None
    cluster.advance(4999)
    assert cluster.group_coordinator.committed("g", "t", 0) is None
    cluster.advance(1)  # librdkafka's timer: no poll() needed
    assert cluster.group_coordinator.committed("g", "t", 0) == 3
    commits = cluster.journal.events(api="OffsetCommit")
    assert [(e.time_ms, e.actor) for e in commits] == [(5000, "consumer-1")]


def test_restarted_consumer_resumes_from_the_committed_offset(two_partitions: Cluster) -> None:
    cluster = two_partitions
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0)])
    first = c.poll(0)
    c.commit(message=first, asynchronous=False)
    c.close()
    again = consumer(cluster)
    again.assign([TopicPartition("t", 0)])
    assert [m.offset() for m in again.consume(10)] == [1, 2]


def test_plain_commit_from_a_stale_member_is_refused(two_partitions: Cluster) -> None:
    cluster = two_partitions
    c1 = consumer(cluster)
    c1.subscribe(["t"])
    c1.consume(10)
    stale = c1.consumer_group_metadata()
    c2 = consumer(cluster)
    c2.subscribe(["t"])
    c2.poll(0)
    results = cluster.offset_commit(
        "g", {("t", 0): (1, "")}, generation_id=stale.generation_id, member_id="nobody"
    )
    assert results == {("t", 0): KafkaError.UNKNOWN_MEMBER_ID}
    results = cluster.offset_commit(
        "g", {("t", 0): (1, "")}, generation_id=5, member_id=stale.member_id
    )
    assert results == {("t", 0): KafkaError.ILLEGAL_GENERATION}


def test_close_leaves_the_group(two_partitions: Cluster) -> None:
    cluster = two_partitions
    c = consumer(cluster)
    c.subscribe(["t"])
    c.poll(0)
    c.close()
    assert [e.result for e in cluster.journal.events(api="LeaveGroup")] == ["NONE"]
    group = cluster.group_coordinator.group("g")
    assert (group.state.name, len(group.members)) == ("Empty", 0)


def _event(m) -> tuple | None:
    if m is None:
        return None
    e = m.error()
    return (e.code(), e.str(), e.fatal(), e.retriable(), m.topic(), m.partition(), m.offset())


INVALID_SESSION_TIMEOUT_EVENT = (
    KafkaError.INVALID_SESSION_TIMEOUT,
    "JoinGroup failed: Broker: Invalid session timeout",
    False,
    False,
    None,
    0,
    None,
)


def test_rd_kafka_cgrp_handle_join_group_reports_invalid_session_timeout_and_backs_off(
    two_partitions: Cluster,
) -> None:
    """librdkafka rdkafka_cgrp.c (rd_kafka_cgrp_handle_JoinGroup, 2.x): INVALID_SESSION_TIMEOUT
    (26; session.timeout.ms outside group.min/max.session.timeout.ms, 6000..1800000) is a
    PERMANENT action in rd_kafka_err_action, so each failed JoinGroup is one consumer error
    event `JoinGroup failed: Broker: Invalid session timeout` (rd_kafka_consumer_err: no topic,
    partition 0, no offset; neither fatal nor retriable) from poll() and consume(); the join
    is then retried through rkcg_join_intvl (1 s) backed off by 1 s, so no sooner than 2 s
    later (rd_interval: strictly after). confluent_kafka 2.16.1 against `eoslab serve` showed
    the same event every 2 s (tests/wire/test_served_limits.py checks its code)."""
    cluster = two_partitions
    c = consumer(cluster, **{"group.id": "short", "session.timeout.ms": 5_999})
    c.subscribe(["t"])
    assert _event(c.poll(0.1)) == INVALID_SESSION_TIMEOUT_EVENT
    assert c.poll(0.1) is None  # nothing more until the join is due again
    cluster.advance(2_000)
    assert c.consume(5, 0.1) == []  # due strictly after last + 1 000 + 1 000 ms
    cluster.advance(1)
    assert [_event(m) for m in c.consume(5, 0.1)] == [INVALID_SESSION_TIMEOUT_EVENT]
    joins = cluster.journal.events(api="JoinGroup")
    assert [(e.time_ms, e.result) for e in joins] == [
        (0, "INVALID_SESSION_TIMEOUT"),
        (2_001, "INVALID_SESSION_TIMEOUT"),
    ]
    assert c.assignment() == []
    assert cluster.group_coordinator.group("short") is None  # refused before it was created
    long = consumer(cluster, **{"group.id": "long", "session.timeout.ms": 1_800_001})
    long.subscribe(["t"])
    assert _event(long.poll(0.1)) == INVALID_SESSION_TIMEOUT_EVENT
    ok = consumer(cluster, **{"group.id": "ok", "session.timeout.ms": 6_000})
    ok.subscribe(["t"])
    assert ok.poll(0.1).error() is None  # the bounds are inclusive: it joins and reads
    assert assigned(ok) == [("t", 0), ("t", 1)]
