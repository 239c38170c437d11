"""Consume-process-produce pipelines crashed at every point: which guarantee each one keeps.

Input: "a".."f" at in-0 offsets 0..5 (a plain producer). Each pipeline handles batches of two,
crashes once at the chosen point, and a second process of the same application finishes the job;
a read_committed verifier then reads `out`.
"""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.check import (
    ANOMALIES,
    AT_LEAST_ONCE,
    AT_MOST_ONCE,
    EXACTLY_ONCE,
    NO_GUARANTEE,
    check,
    processed_once,
)
from eoslab.client import Consumer, Producer, TopicPartition, record_history
from eoslab.scenarios import Pipeline
from eoslab.scenarios import pipelines as p

JAVA4 = {"eoslab.protocol": "java-4"}


def setup(cluster: Cluster) -> None:
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for value in "abcdef":
        plain.produce("in", value=value)
    plain.flush()


def verify(cluster: Cluster) -> list[tuple[int, str, str]]:
    """What a read_committed reader of `out` sees: (offset, input it names, value)."""
    c = Consumer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "group.id": "verifier",
            "auto.offset.reset": "earliest",
        }
    )
    c.assign([TopicPartition("out", 0)])
    return [(m.offset(), m.key().decode(), m.value().decode()) for m in c.consume(100)]


def crash_and_restart(semantics: str, crash_at: str) -> tuple[Cluster, object, list]:
    cluster = Cluster()
    history = record_history(cluster)
    setup(cluster)
    first = Pipeline(cluster, semantics, crash_at=crash_at)
    first.run()
    assert not first.alive
    first.restarted().run()
    return cluster, history, verify(cluster)


@pytest.mark.parametrize(
    ("semantics", "crash_at", "guarantee", "values"),
    [
        (p.AT_MOST_ONCE, "after_poll", EXACTLY_ONCE, "ABCDEF"),
        (p.AT_MOST_ONCE, "after_offsets", AT_MOST_ONCE, "CDEF"),  # committed, never produced
        (p.AT_MOST_ONCE, "after_produce", EXACTLY_ONCE, "ABCDEF"),
        (p.AT_LEAST_ONCE, "after_poll", EXACTLY_ONCE, "ABCDEF"),
        (p.AT_LEAST_ONCE, "after_produce", AT_LEAST_ONCE, "ABABCDEF"),  # produced, not committed
        (p.AT_LEAST_ONCE, "after_offsets", EXACTLY_ONCE, "ABCDEF"),
        (p.EXACTLY_ONCE, "after_poll", EXACTLY_ONCE, "ABCDEF"),
        (p.EXACTLY_ONCE, "after_produce", EXACTLY_ONCE, "ABCDEF"),
        (p.EXACTLY_ONCE, "after_offsets", EXACTLY_ONCE, "ABCDEF"),
        (p.EXACTLY_ONCE, "after_commit", EXACTLY_ONCE, "ABCDEF"),
    ],
)
def test_crash_points(semantics: str, crash_at: str, guarantee: str, values: str) -> None:
    cluster, history, out = crash_and_restart(semantics, crash_at)
    assert "".join(v for _, _, v in out) == values
    report = check(history, cluster)
    assert report.guarantee == guarantee
    assert (processed_once(cluster, "in", "out", "pipeline") == []) == (guarantee == EXACTLY_ONCE)


def test_at_most_once_loses_the_batch_committed_before_the_crash() -> None:
    cluster, history, out = crash_and_restart(p.AT_MOST_ONCE, "after_offsets")
    assert [(o, k) for o, k, _ in out] == [
        (0, "in-0@2"),
        (1, "in-0@3"),
        (2, "in-0@4"),
        (3, "in-0@5"),
    ]
    report = check(history, cluster)
    assert {k: v for k, v in report.counts.items() if v} == {"lost-write": 2}
    lost = report["lost-write"]
    assert lost[["offset", "value", "reader"]].values.tolist() == [
        [0, "a", "topic out"],
        [1, "b", "topic out"],
    ]
    assert lost.explanation[0] == (
        "acknowledged to producer-1; topic out never got it, though it holds in-0@5"
    )
    assert processed_once(cluster, "in", "out", "pipeline") == [
        "in-0@0 is below pipeline's committed offset 6 but missing from out",
        "in-0@1 is below pipeline's committed offset 6 but missing from out",
    ]


def test_at_least_once_processes_the_uncommitted_batch_twice() -> None:
    cluster, history, out = crash_and_restart(p.AT_LEAST_ONCE, "after_produce")
    assert out[:4] == [
        (0, "in-0@0", "A"),
        (1, "in-0@1", "B"),
        (2, "in-0@0", "A"),
        (3, "in-0@1", "B"),
    ]
    report = check(history, cluster)
    assert {k: v for k, v in report.counts.items() if v} == {"duplicate": 2}
    assert report["duplicate"][
        ["offset", "value", "output", "copies", "explanation"]
    ].values.tolist() == [
        [
            0,
            "a",
            "A",
            2,
            "input in-0@0 processed into topic out 2 times (out-0@0, out-0@2); first at op 16",
        ],
        [
            1,
            "b",
            "B",
            2,
            "input in-0@1 processed into topic out 2 times (out-0@1, out-0@3); first at op 17",
        ],
    ]
    assert processed_once(cluster, "in", "out", "pipeline") == [
        "in-0@0 is in out 2 times (out-0@0, out-0@2)",
        "in-0@1 is in out 2 times (out-0@1, out-0@3)",
    ]


def test_exactly_once_aborts_the_open_transaction_of_the_crashed_process() -> None:
    """The restart's init_transactions() fences the crashed instance and aborts its transaction:
    A and B at out-0 0..1 are aborted (ABORT at 2), then each batch is two records + COMMIT."""
    cluster, history, out = crash_and_restart(p.EXACTLY_ONCE, "after_offsets")
    assert [(o, v) for o, _, v in out] == [
        (3, "A"),
        (4, "B"),
        (6, "C"),
        (7, "D"),
        (9, "E"),
        (10, "F"),
    ]
    assert cluster.group_coordinator.committed("pipeline", "in", 0) == 6
    assert check(history, cluster).counts == dict.fromkeys(ANOMALIES, 0)


def late_end_txn_then_crash(cluster: Cluster, conf: dict[str, str]) -> list:
    """The exactly-once pipeline's first commit sends EndTxn twice: the first is held in the
    network, the retry commits. The held one arrives while the second batch (c, d) is produced but
    not yet committed; a reader of `out` looks; the process dies; a new one finishes."""
    history = record_history(cluster)
    setup(cluster)
    app = Pipeline(cluster, p.EXACTLY_ONCE, producer_config=conf)
    for phase in ("init", "poll", "produce", "offsets"):
        assert (app.next_phase, app.step()) == (phase, True)
    cluster.delay_request("EndTxn", client_id=app.producer.client_id)
    assert (app.next_phase, app.step()) == ("commit", True)
    assert (app.next_phase, app.step(), app.next_phase, app.step()) == (
        "poll",
        True,
        "produce",
        True,
    )
    cluster.release_held()
    early = verify(cluster)
    app.crash()
    app.restarted().run()
    return [history, early]


def test_tv1_late_end_txn_commits_the_next_batch_early_and_it_is_processed_twice() -> None:
    """Reference §3.9: TV1 keeps the epoch, so the late EndTxn(COMMIT) of batch 1 commits batch
    2's output, without its offsets. The restart processes c and d again."""
    cluster = Cluster()
    history, early = late_end_txn_then_crash(cluster, {})
    assert early == [(0, "in-0@0", "A"), (1, "in-0@1", "B"), (3, "in-0@2", "C"), (4, "in-0@3", "D")]
    assert cluster.journal.events(api="EndTxn")[2].args["late"] is True
    assert [(o, v) for o, _, v in verify(cluster)] == [
        (0, "A"),
        (1, "B"),
        (3, "C"),
        (4, "D"),
        (6, "C"),
        (7, "D"),
        (9, "E"),
        (10, "F"),
    ]
    report = check(history, cluster)
    assert {k: v for k, v in report.counts.items() if v} == {"precommitted-read": 4, "duplicate": 2}
    assert report.guarantee == NO_GUARANTEE
    assert report["duplicate"].explanation.tolist() == [
        "input in-0@2 processed into topic out 2 times (out-0@3, out-0@6); first at op 31",
        "input in-0@3 processed into topic out 2 times (out-0@4, out-0@7); first at op 32",
    ]
    # the early reader saw C and D before the producer ended the transaction; the verifier saw
    # them although the producer crashed without ending it
    precommitted = report["precommitted-read"]
    assert precommitted[["client_id", "offset", "value", "fate"]].values.tolist() == [
        ["consumer-2", 3, "C", "unknown"],
        ["consumer-2", 4, "D", "unknown"],
        ["consumer-4", 3, "C", "unknown"],
        ["consumer-4", 4, "D", "unknown"],
    ]
    assert precommitted.explanation[0] == (
        "read_committed consumer-2 returned it at op 31, though its producer crashed (op 33) "
        "without ending it"
    )
    assert processed_once(cluster, "in", "out", "pipeline") == [
        "in-0@2 is in out 2 times (out-0@3, out-0@6)",
        "in-0@3 is in out 2 times (out-0@4, out-0@7)",
    ]


def test_tv2_late_end_txn_is_fenced_and_the_pipeline_stays_exactly_once() -> None:
    cluster = Cluster(config={"transaction.version": 2})
    history, early = late_end_txn_then_crash(cluster, JAVA4)
    assert early == [(0, "in-0@0", "A"), (1, "in-0@1", "B")]
    assert cluster.journal.events(api="EndTxn")[2].result == "PRODUCER_FENCED"
    assert [v for _, _, v in verify(cluster)] == list("ABCDEF")
    report = check(history, cluster)
    assert (report.counts, report.guarantee) == (dict.fromkeys(ANOMALIES, 0), EXACTLY_ONCE)
    assert processed_once(cluster, "in", "out", "pipeline") == []


def test_the_pipeline_refuses_unknown_semantics_and_crash_points() -> None:
    cluster = Cluster()
    setup(cluster)
    with pytest.raises(ValueError, match="semantics must be one of"):
        Pipeline(cluster, "twice")
    with pytest.raises(ValueError, match="crash_at must be one of"):
        Pipeline(cluster, crash_at="after_lunch")


def test_client_id_from_consumer_config_names_the_pipelines_consumer_across_restarts() -> None:
    """client.id (CommonClientConfigs.CLIENT_ID_DOC; librdkafka `client.id`) is how the broker
    names a client's requests: `consumer_config` sets the consumer's as `producer_config` sets
    the producer's, over the pipeline's own settings, and the next process keeps both."""
    cluster = Cluster()
    setup(cluster)
    first = Pipeline(
        cluster,
        p.AT_LEAST_ONCE,
        producer_config={"client.id": "etl"},
        consumer_config={"client.id": "etl_reader", "fetch.max.bytes": 1024},
        crash_at="after_produce",
    )
    first.run()
    assert not first.alive
    second = first.restarted()
    assert second.consumer_config == {"client.id": "etl_reader", "fetch.max.bytes": 1024}
    second.run()
    assert [v for _, _, v in verify(cluster)] == list("ABABCDEF")  # at-least-once: a, b twice
    group = [e for e in cluster.journal if e.args.get("group_id") == "pipeline"]
    assert [(e.actor, e.api) for e in group] == [
        ("etl_reader", "OffsetFetch"),  # the first process dies before committing a, b
        ("etl_reader", "OffsetFetch"),
        ("etl_reader", "OffsetCommit"),
        ("etl_reader", "OffsetCommit"),
        ("etl_reader", "OffsetCommit"),
    ]
    reads = {e.actor for e in cluster.journal if e.api == "Fetch" and e.args["partition"] == "in-0"}
    writes = {
        e.actor for e in cluster.journal if e.api == "Produce" and e.args["partition"] == "out-0"
    }
    assert (reads, writes) == ({"etl_reader"}, {"etl"})
