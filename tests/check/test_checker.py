"""The history checker: each of Jepsen's anomalies caught on a deliberately wrong consumer, and a
clean history called exactly-once."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.check import (
    ANOMALIES,
    AT_LEAST_ONCE,
    AT_MOST_ONCE,
    EXACTLY_ONCE,
    NO_GUARANTEE,
    aborted_read,
    check,
    guarantee,
    poll_skip,
)
from eoslab.client import KafkaException, Producer, TopicPartition, record_history
from tests.check.wrong import LogDumpConsumer
from tests.conftest import consumer, txn_producer

NONE_FOUND = dict.fromkeys(ANOMALIES, 0)


def found(**counts: int) -> dict[str, int]:
    return {**NONE_FOUND, **{name.replace("_", "-"): n for name, n in counts.items()}}


def rows(frame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.create_topics([("t", 1, 1)])
    return c


def aborted_committed_open(cluster: Cluster) -> None:
    """t-0: 0 "a" aborted, 1 ABORT, 2 "b" committed, 3 COMMIT, 4 "c" still open."""
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    p.abort_transaction()
    p.begin_transaction()
    p.produce("t", value="b")
    p.commit_transaction()
    p.begin_transaction()
    p.produce("t", value="c")
    p.flush()


def plain_records(cluster: Cluster, values: str = "abc") -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for v in values:
        p.produce("t", value=v)
    p.flush()


def test_a_correct_consumer_is_exactly_once(cluster: Cluster) -> None:
    history = record_history(cluster)
    aborted_committed_open(cluster)
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0)])
    assert [(m.offset(), m.value()) for m in c.consume(10)] == [(2, b"b")]
    report = check(history, cluster)
    assert report.counts == NONE_FOUND
    assert (report.guarantee, report.valid) == (EXACTLY_ONCE, True)
    assert (
        report.verdict() == "exactly-once: no anomaly in 13 operations (3 writes, 1 records read)"
    )
    assert rows(report.summary, "anomaly", "count") == [(name, 0) for name in ANOMALIES]


def test_a_consumer_that_forgets_the_read_committed_rules(cluster: Cluster) -> None:
    """It returns aborted data (G1a), data of an open transaction (precommitted read) and both
    markers, all while calling itself read_committed."""
    history = record_history(cluster)
    aborted_committed_open(cluster)
    wrong = LogDumpConsumer(cluster, markers=True, aborted=True, open_data=True)
    assert [offset for offset, _ in wrong.read("t", 0)] == [0, 1, 2, 3, 4]
    report = check(history, cluster)
    assert report.counts == found(aborted_read=1, precommitted_read=1, control_record_read=2)
    assert report.guarantee == NO_GUARANTEE
    assert rows(
        report["aborted-read"], "offset", "value", "client_id", "writer", "explanation"
    ) == [
        (
            0,
            "a",
            "wrong-consumer",
            "producer-1 transaction 1 (tx)",
            "read_committed wrong-consumer returned it, but producer-1 transaction 1 (tx) was "
            "aborted (op 4)",
        )
    ]
    assert rows(report["precommitted-read"], "offset", "value", "fate", "explanation") == [
        (
            4,
            "c",
            "open",
            "read_committed wrong-consumer returned it at op 16, before its producer tried to "
            "commit it",
        )
    ]
    assert rows(report["control-record-read"], "offset", "explanation") == [
        (1, "wrong-consumer returned offset 1, which holds a marker of producer 0 (epoch 0)"),
        (3, "wrong-consumer returned offset 3, which holds a marker of producer 0 (epoch 0)"),
    ]
    # a single check reads the same history
    assert rows(aborted_read(history), "offset", "value") == [(0, "a")]


def test_without_the_cluster_markers_look_like_a_repeated_record(cluster: Cluster) -> None:
    """The history alone cannot tell a marker from data: the two markers' equal bodies show up
    as one value committed twice. With the cluster, they are control-record reads."""
    history = record_history(cluster)
    aborted_committed_open(cluster)
    LogDumpConsumer(cluster, markers=True).read("t", 0)
    report = check(history)
    assert report.counts == found(duplicate=1)
    assert report["duplicate"].explanation.tolist() == [
        "the same value is committed at offsets 1, 3 of t-0"
    ]
    summary = report.summary.set_index("anomaly")["count"]
    assert summary.isna().tolist() == [name == "control-record-read" for name in ANOMALIES]
    assert check(history, cluster).counts == found(control_record_read=2)


def test_lost_write_and_poll_skip(cluster: Cluster) -> None:
    """A consumer that drops offset 1: nobody returned "b", though offset 2 was read."""
    history = record_history(cluster)
    plain_records(cluster)
    assert LogDumpConsumer(cluster, drop=frozenset({1})).read("t", 0) == [(0, b"a"), (2, b"c")]
    report = check(history, cluster)
    assert report.counts == found(lost_write=1, poll_skip=1)
    assert report.guarantee == AT_MOST_ONCE
    assert rows(report["lost-write"], "offset", "value", "reader", "explanation") == [
        (
            1,
            "b",
            "read_committed consumers",
            "acknowledged to producer-1; no read_committed consumer returned it, though they "
            "read up to offset 2",
        )
    ]
    assert rows(report["poll-skip"], "offset", "previous_offset", "skipped", "explanation") == [
        (
            2,
            0,
            [1],
            "wrong-consumer went from offset 0 to 2, skipping the committed record at 1",
        )
    ]


def test_a_read_uncommitted_read_does_not_vouch_for_read_committed_ones(cluster: Cluster) -> None:
    """The producer committed "a", yet read_committed consumers skip it (the wrong consumer drops
    it) while a read_uncommitted one returned it: still a lost write, for read_committed."""
    history = record_history(cluster)
    plain_records(cluster)
    uncommitted = consumer(cluster, "read_uncommitted")
    uncommitted.assign([TopicPartition("t", 0)])
    assert [m.offset() for m in uncommitted.consume(10)] == [0, 1, 2]
    LogDumpConsumer(cluster, drop=frozenset({0})).read("t", 0)
    report = check(history, cluster)
    assert report.counts == found(lost_write=1)
    assert rows(report["lost-write"], "offset", "reader") == [(0, "read_committed consumers")]


def test_a_skip_is_not_a_loss_when_another_consumer_read_it(cluster: Cluster) -> None:
    history = record_history(cluster)
    plain_records(cluster)
    skipper = consumer(cluster)
    skipper.assign([TopicPartition("t", 0)])
    assert skipper.poll(0).offset() == 0
    skipper.seek(TopicPartition("t", 0, 2))  # the application jumps over offset 1
    assert skipper.poll(0).offset() == 2
    reader = consumer(cluster)
    reader.assign([TopicPartition("t", 0)])
    assert [m.offset() for m in reader.consume(10)] == [0, 1, 2]
    report = check(history, cluster)
    assert report.counts == found(poll_skip=1)
    assert rows(poll_skip(history), "client_id", "offset", "previous_offset") == [
        ("consumer-1", 2, 0)
    ]


def test_nonmonotonic_poll(cluster: Cluster) -> None:
    """Seeking back without a new consumer hands the application a record again."""
    history = record_history(cluster)
    plain_records(cluster)
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0)])
    assert [m.offset() for m in c.consume(10)] == [0, 1, 2]
    c.seek(TopicPartition("t", 0, 1))
    assert [m.offset() for m in c.consume(10)] == [1, 2]
    report = check(history, cluster)
    assert report.counts == found(nonmonotonic_poll=1)
    assert report.guarantee == AT_LEAST_ONCE
    assert rows(report["nonmonotonic-poll"], "offset", "previous_offset", "explanation") == [
        (1, 2, "consumer-1 returned offset 1 after offset 2 (op 8)")
    ]


def test_inconsistent_offsets(cluster: Cluster) -> None:
    """A consumer that reports every offset one too high disagrees with the producer and the log
    at each offset it touches (and so also loses offset 0 and doubles "a")."""
    history = record_history(cluster)
    plain_records(cluster)
    assert LogDumpConsumer(cluster, shift=1).read("t", 0) == [(1, b"a"), (2, b"b"), (3, b"c")]
    report = check(history, cluster)
    assert report.counts == found(inconsistent_offsets=3, lost_write=1, duplicate=3)
    assert rows(report["inconsistent-offsets"], "offset", "versions", "explanation") == [
        (1, 2, "2 different records at one offset: 'b' (ack op 4, the log); 'a' (poll op 6)"),
        (2, 2, "2 different records at one offset: 'c' (ack op 5, the log); 'b' (poll op 7)"),
        (3, 2, "2 different records at one offset: 'c' (poll op 8); no record (the log)"),
    ]


def test_duplicate_value_from_a_plain_producer_retry(cluster: Cluster) -> None:
    """A lost Produce response: the plain producer writes "a" again (at-least-once); the
    idempotent producer's retry is recognised as a duplicate by the broker (exactly-once)."""
    history = record_history(cluster)
    cluster.lose_response("Produce", client_id="producer-1")
    plain_records(cluster, "a")
    c = consumer(cluster)
    c.assign([TopicPartition("t", 0)])
    assert [(m.offset(), m.value()) for m in c.consume(10)] == [(0, b"a"), (1, b"a")]
    report = check(history, cluster)
    assert report.counts == found(duplicate=1)
    assert report.guarantee == AT_LEAST_ONCE
    assert rows(report["duplicate"], "offset", "value", "copies", "explanation") == [
        (1, "a", 2, "the same value is committed at offsets 0, 1 of t-0")
    ]

    idempotent = Cluster()
    idempotent.create_topics([("t", 1, 1)])
    history = record_history(idempotent)
    idempotent.lose_response("Produce", client_id="producer-1")
    p = Producer({"bootstrap.servers": idempotent.bootstrap_servers, "enable.idempotence": True})
    p.produce("t", value="a")
    p.flush()
    c = consumer(idempotent)
    c.assign([TopicPartition("t", 0)])
    assert [(m.offset(), m.value()) for m in c.consume(10)] == [(0, b"a")]
    assert check(history, idempotent).guarantee == EXACTLY_ONCE


def late_end_txn(cluster: Cluster, **conf: str) -> list[tuple[int, bytes]]:
    """test_faults' TV1 anomaly, with a read_committed consumer looking between the late EndTxn
    and the producer's own attempt to commit; returns what it read."""
    p = txn_producer(cluster, **conf)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    cluster.delay_request("EndTxn", client_id="producer-1")
    p.commit_transaction()
    p.begin_transaction()
    p.produce("t", value="b")
    p.flush()
    cluster.release_held()
    reader = consumer(cluster)
    reader.assign([TopicPartition("t", 0)])
    seen = [(m.offset(), m.value()) for m in reader.consume(10)]
    p.produce("t", value="c")
    for end in (p.commit_transaction, p.abort_transaction):
        try:
            end()
            break
        except KafkaException:
            continue
    return seen


def test_tv1_late_end_txn_is_a_precommitted_read() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    history = record_history(cluster)
    assert late_end_txn(cluster) == [(0, b"a"), (2, b"b")]
    report = check(history, cluster)
    assert report.counts == found(precommitted_read=1)
    assert rows(report["precommitted-read"], "offset", "value", "writer", "fate") == [
        (2, "b", "producer-1 transaction 2 (tx)", "unknown")
    ]
    assert report["precommitted-read"].explanation[0] == (
        "read_committed consumer-1 returned it at op 9, before its producer tried to end it (op 12)"
    )


def test_tv2_late_end_txn_changes_nothing() -> None:
    cluster = Cluster(config={"transaction.version": 2})
    cluster.create_topics([("t", 1, 1)])
    history = record_history(cluster)
    assert late_end_txn(cluster, **{"eoslab.protocol": "java-4"}) == [(0, b"a")]
    report = check(history, cluster)
    assert (report.counts, report.guarantee) == (NONE_FOUND, EXACTLY_ONCE)


@pytest.mark.parametrize(
    ("anomalies", "expected"),
    [
        ((), EXACTLY_ONCE),
        (("duplicate",), AT_LEAST_ONCE),
        (("nonmonotonic-poll",), AT_LEAST_ONCE),
        (("lost-write",), AT_MOST_ONCE),
        (("poll-skip",), AT_MOST_ONCE),
        (("lost-write", "duplicate"), NO_GUARANTEE),
        (("aborted-read",), NO_GUARANTEE),
        (("precommitted-read",), NO_GUARANTEE),
        (("inconsistent-offsets",), NO_GUARANTEE),
        (("control-record-read",), NO_GUARANTEE),
    ],
)
def test_the_guarantee_each_anomaly_leaves(anomalies: tuple[str, ...], expected: str) -> None:
    assert guarantee({**NONE_FOUND, **dict.fromkeys(anomalies, 1)}) == expected
