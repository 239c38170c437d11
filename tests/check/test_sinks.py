"""Sinks in SQLite crashed at every point: naive duplicates, idempotent absorbs, atomic never
repeats, and a sink that splits rows and offsets into two transactions duplicates again.

Input: "a".."f" at in-0 offsets 0..5; batches of two; one crash, then a restarted task.
"""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.check import ANOMALIES, AT_LEAST_ONCE, EXACTLY_ONCE, check
from eoslab.client import Producer, record_history
from eoslab.scenarios import AtomicSink, IdempotentSink, NaiveSink, SinkTask
from tests.check.wrong import SplitOffsetsSink

ALL = [(0, "a"), (1, "b"), (2, "c"), (3, "d"), (4, "e"), (5, "f")]
TWICE = [(0, "a"), (1, "b"), (0, "a"), (1, "b"), (2, "c"), (3, "d"), (4, "e"), (5, "f")]


def run(sink_class: type, crash_at: str) -> tuple[Cluster, object, object, SinkTask]:
    cluster = Cluster()
    history = record_history(cluster)
    cluster.create_topics([("in", 1, 1)])
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for value in "abcdef":
        plain.produce("in", value=value)
    plain.flush()
    sink = sink_class()
    first = SinkTask(cluster, sink, crash_at=crash_at)
    first.run()
    assert not first.alive
    second = first.restarted()
    second.run()
    return cluster, history, sink, second


def rows(sink) -> list[tuple[int, str]]:
    return [(offset, value.decode()) for _, _, offset, value in sink.rows()]


@pytest.mark.parametrize(
    ("sink_class", "crash_at", "guarantee", "written"),
    [
        (NaiveSink, "after_poll", EXACTLY_ONCE, ALL),
        (NaiveSink, "mid_write", EXACTLY_ONCE, ALL),  # SQLite rolled the batch back
        (NaiveSink, "after_write", AT_LEAST_ONCE, TWICE),  # written, offsets not committed
        (NaiveSink, "after_commit", EXACTLY_ONCE, ALL),
        (IdempotentSink, "after_poll", EXACTLY_ONCE, ALL),
        (IdempotentSink, "mid_write", EXACTLY_ONCE, ALL),
        (IdempotentSink, "after_write", EXACTLY_ONCE, ALL),  # the rewrite updated in place
        (IdempotentSink, "after_commit", EXACTLY_ONCE, ALL),
        (AtomicSink, "after_poll", EXACTLY_ONCE, ALL),
        (AtomicSink, "mid_write", EXACTLY_ONCE, ALL),
        (AtomicSink, "after_write", EXACTLY_ONCE, ALL),  # rows and offsets committed together
        (SplitOffsetsSink, "after_write", EXACTLY_ONCE, ALL),
        (SplitOffsetsSink, "mid_write", AT_LEAST_ONCE, TWICE),  # rows kept, offsets lost
    ],
)
def test_crash_points(sink_class: type, crash_at: str, guarantee: str, written: list) -> None:
    cluster, history, sink, _ = run(sink_class, crash_at)
    assert rows(sink) == written
    assert check(history, cluster).guarantee == guarantee


def test_naive_sink_duplicates_are_reported_row_by_row() -> None:
    cluster, history, _, _ = run(NaiveSink, "after_write")
    report = check(history, cluster)
    assert {k: v for k, v in report.counts.items() if v} == {"duplicate": 2}
    assert report["duplicate"][
        ["offset", "value", "downstream", "explanation"]
    ].values.tolist() == [
        [
            0,
            "a",
            "sink naive",
            "input in-0@0 processed into sink naive 2 times (insert at op 14, insert at op 19); first at op 14",
        ],
        [
            1,
            "b",
            "sink naive",
            "input in-0@1 processed into sink naive 2 times (insert at op 15, insert at op 20); first at op 15",
        ],
    ]


def test_idempotent_sink_records_the_rewrite_as_updates() -> None:
    cluster, history, _, _ = run(IdempotentSink, "after_write")
    actions = [(op.offset, op.details["action"]) for op in history.of("sink")]
    assert actions == [
        (0, "insert"),
        (1, "insert"),
        (0, "update"),
        (1, "update"),
        (2, "insert"),
        (3, "insert"),
        (4, "insert"),
        (5, "insert"),
    ]
    assert check(history, cluster).counts == dict.fromkeys(ANOMALIES, 0)


def test_atomic_sink_restarts_from_its_own_offsets() -> None:
    """The restarted task seeks to the offset stored with the rows (2), never asking Kafka: the
    sink keeps no offsets in the group, and the new consumer sends no OffsetFetch."""
    cluster, history, sink, second = run(AtomicSink, "after_write")
    assert sink.stored_offsets() == {("in", 0): 6}
    assert cluster.group_coordinator.committed("sink-atomic", "in", 0) is None
    client = second.consumer.client_id
    assert cluster.journal.events(api="OffsetFetch", actor=client) == []
    assert cluster.journal.events(api="Fetch", actor=client)[0].args["offset"] == 2
    assert check(history, cluster).counts == dict.fromkeys(ANOMALIES, 0)


def test_the_task_refuses_unknown_crash_points() -> None:
    cluster = Cluster()
    cluster.create_topics([("in", 1, 1)])
    with pytest.raises(ValueError, match="crash_at must be one of"):
        SinkTask(cluster, NaiveSink(), crash_at="after_lunch")
