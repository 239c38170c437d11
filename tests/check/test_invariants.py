"""Broker invariants and end-to-end oracles, each broken on purpose and caught.

A correct cluster never breaks them, so each test plays a wrong broker: a log edited after the
fact, a journal doctored to say a request was accepted, a coordinator that applies an aborted
transaction's offsets. The same functions run after every step of the randomized schedules.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from eoslab import Cluster
from eoslab.broker import ControlRecordType, Record, RecordBatch
from eoslab.broker.effects import RecordsAppended
from eoslab.broker.journal import Journal
from eoslab.broker.records import end_txn_marker_batch
from eoslab.check import (
    Analysis,
    JournalWatch,
    LogReader,
    check,
    client_fates_agree,
    committed_offsets_follow_log,
    dense_offsets,
    lso_within_hw,
    prepared_transactions_progress,
    processed_once,
    read_committed_saw_only_committed,
    replay_matches,
)
from eoslab.client import Producer, TopicPartition, record_history
from eoslab.scenarios import AT_LEAST_ONCE, Pipeline
from tests.check.test_checker import aborted_committed_open, plain_records
from tests.check.test_pipelines import setup
from tests.check.wrong import LogDumpConsumer
from tests.conftest import consumer, log_layout, read_all, txn_producer


def doctored(journal, **changes) -> Journal:
    """A copy of `journal` with some events replaced: seq -> (result, effects, ok) or None (dropped),
    and ("move", seq, before) to move one event in front of another."""
    events = list(journal)
    if "move" in changes:
        seq, before = changes.pop("move")
        event = events.pop(seq)
        events.insert(before, event)
    copy = Journal()
    for e in events:
        change = changes.get(f"e{e.seq}", ...)
        if change is None:
            continue
        args, result, effects, ok = e.args, e.result, e.effects, e.ok
        if change is not ...:
            args = {**args, **change.get("args", {})}
            result = change.get("result", result)
            effects = change.get("effects", effects)
            ok = change.get("ok", ok)
        copy.record(e.time_ms, e.actor, e.api, args, result, effects, ok)
    return copy


def two_partition_commit(**conf) -> Cluster:
    cluster = Cluster(config={"transaction.version": 2} if conf else {})
    cluster.create_topics([("t", 2, 1)])
    record_history(cluster)
    p = txn_producer(cluster, **conf)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a", partition=0)
    p.produce("t", value="b", partition=1)
    p.commit_transaction()
    return cluster


def test_lso_above_the_hw() -> None:
    partitions = [
        SimpleNamespace(name="t-0", last_stable_offset=3, high_watermark=4, log_end_offset=4),
        SimpleNamespace(name="t-1", last_stable_offset=5, high_watermark=4, log_end_offset=6),
    ]
    wrong = SimpleNamespace(topics={"t": SimpleNamespace(partitions=partitions)})
    assert lso_within_hw(wrong) == ["t-1: LSO 5, HW 4, LEO 6 (must be LSO <= HW <= LEO)"]


def test_lso_and_hw_of_a_real_cluster_with_an_open_transaction_and_a_held_hw() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    aborted_committed_open(cluster)
    cluster.hold_high_watermark("t", 0)
    plain_records(cluster, "x")
    p = cluster.partition("t", 0)
    assert (p.last_stable_offset, p.high_watermark, p.log_end_offset) == (4, 5, 6)
    assert lso_within_hw(cluster) == []


def test_offsets_with_a_gap_and_an_overlap() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    for value in "abc":
        plain_records(cluster, value)
    assert dense_offsets(cluster) == []
    p = cluster.partition("t", 0)
    p.batches[1].base_offset = 2  # an edited log: its records move with it
    assert dense_offsets(cluster) == [
        "t-0: batch at offset 2 where 1 was next (a gap)",
        "t-0: batch at offset 2 where 3 was next (an overlap)",
    ]
    p.batches[1] = RecordBatch([Record(5, 0, None, b"b")], base_offset=1)  # put in by hand,
    assert dense_offsets(cluster) == ["t-0: record 0 of the batch at 1 has offset 5"]  # unplaced


def zombie_refused() -> Cluster:
    """§7: A writes "a", B's init fences A (ABORT at epoch 1), A's next write is refused."""
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    txn_producer(cluster).init_transactions()
    a.produce("t", value="a2")
    a.flush()
    return cluster


def test_a_fenced_producer_that_appends() -> None:
    cluster = zombie_refused()
    refused = cluster.journal.events(api="Produce")[-1]
    assert (refused.args["producer_epoch"], refused.result) == (0, "INVALID_PRODUCER_EPOCH")
    assert JournalWatch().scan(cluster.journal) == []
    accepted = {
        "result": "NONE (offset 2)",
        "effects": (RecordsAppended("t-0", 2, 2, True),),
        "ok": True,
    }
    watch = JournalWatch()
    assert watch.scan(doctored(cluster.journal, **{f"e{refused.seq}": accepted})) == [
        f"event {refused.seq}: t-0 accepted offsets 2..2 from pid 0 at epoch 0, though it "
        "already held epoch 1 for that producer id"
    ]
    committed = SimpleNamespace(fate=lambda topic, partition, offset: "committed")
    assert watch.fenced_writes_visible(committed) == [
        f"event {refused.seq}: t-0@2 was appended by pid 0 at epoch 0, which epoch 2 had "
        "fenced, and it is committed"
    ]


def test_a_marker_that_contradicts_its_transaction() -> None:
    cluster = two_partition_commit()
    markers = cluster.journal.events(api="WriteTxnMarkers")
    assert [(m.args["partition"], m.args["result"]) for m in markers] == [
        ("t-0", "COMMIT"),
        ("t-1", "COMMIT"),
    ]
    assert JournalWatch().scan(cluster.journal) == []
    prepare = cluster.journal.events(api="EndTxn")[0].seq
    latest = f"(the latest: tx COMMIT at epoch 0 on t-0, t-1, event {prepare})"
    flipped = {"args": {"result": "ABORT"}}
    assert JournalWatch().scan(doctored(cluster.journal, **{f"e{markers[1].seq}": flipped})) == [
        f"event {markers[1].seq}: ABORT marker on t-1 for pid 0 at epoch 0 matches no "
        f"transaction the coordinator prepared {latest}",
        f"event {markers[1].seq + 1}: tx CompleteCommit with no marker yet on t-1",
    ]
    elsewhere = {"args": {"partition": "t-7"}}
    assert JournalWatch().scan(doctored(cluster.journal, **{f"e{markers[1].seq}": elsewhere})) == [
        f"event {markers[1].seq}: COMMIT marker on t-7 for pid 0 at epoch 0 matches no "
        f"transaction the coordinator prepared {latest}",
        f"event {markers[1].seq + 1}: tx CompleteCommit with no marker yet on t-1",
    ]
    complete = markers[1].seq  # once the t-1 marker is dropped, CompleteCommit moves up to it
    assert JournalWatch().scan(doctored(cluster.journal, **{f"e{markers[1].seq}": None})) == [
        f"event {complete}: tx CompleteCommit with no marker yet on t-1"
    ]


def test_a_marker_delivered_twice_deciding_the_next_transaction_is_a_documented_hole() -> None:
    """Reference §3.7: until KIP-1228 (4.2) a TV2 leader accepts a marker whose epoch equals the
    data's. The late copy of transaction 1's COMMIT (epoch 1) lands after transaction 2 wrote
    "b" at epoch 1 and commits it; transaction 2 then aborts, and "b" stays committed. The
    watch records the hole; the history checker sees its consequence, an aborted read."""
    cluster = Cluster(pacing="step", config={"transaction.version": 2})
    cluster.create_topics([("t", 1, 1)])
    history = record_history(cluster)
    p = txn_producer(cluster, **{"eoslab.protocol": "java-4"})
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    cluster.duplicate_step(0)
    assert cluster.step(0) == "WriteTxnMarkers COMMIT(pid 0, epoch 1) -> t-0"
    assert cluster.step(1) == "tx: write CompleteCommit to __transaction_state"
    p.begin_transaction()
    p.produce("t", value="b")
    p.flush()
    assert cluster.step(0) == "WriteTxnMarkers COMMIT(pid 0, epoch 1) -> t-0 (duplicate)"
    p.abort_transaction()
    cluster.run_pending()
    assert [row[:4] for row in log_layout(cluster)] == [
        (0, "tx", 0, 0),
        (1, "COMMIT", 0, 1),
        (2, "tx", 0, 1),
        (3, "COMMIT", 0, 1),
        (4, "ABORT", 0, 2),
    ]
    watch = JournalWatch()
    assert watch.scan(cluster.journal) == []
    late = cluster.journal.events(api="WriteTxnMarkers")[1].seq
    produce = cluster.journal.events(api="Produce")[1].seq
    prepare = cluster.journal.events(api="EndTxn")[0].seq
    assert watch.holes == [
        f"event {late}: a second COMMIT marker of tx's transaction (prepared at event "
        f"{prepare}) decided what pid 0 wrote to t-0 after the first one (event {produce})"
    ]
    assert read_all(cluster) == ([(0, "a"), (2, "b")], 5)
    report = check(history, cluster)
    assert {k: v for k, v in report.counts.items() if v} == {"aborted-read": 1}
    assert report["aborted-read"].explanation[0] == (
        "read_committed consumer-1 returned it, but producer-1 transaction 2 (tx) was aborted "
        "(op 8)"
    )


def test_a_write_of_a_newer_epoch_joining_an_open_transaction() -> None:
    """TV2: the second transaction's write (epoch 1) moved before the first one's marker."""
    cluster = Cluster(config={"transaction.version": 2})
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster, **{"eoslab.protocol": "java-4"})
    p.init_transactions()
    for value in "ab":
        p.begin_transaction()
        p.produce("t", value=value)
        p.commit_transaction()
    produces = cluster.journal.events(api="Produce")
    marker = cluster.journal.events(api="WriteTxnMarkers")[0]
    assert [e.args["producer_epoch"] for e in produces] == [0, 1]
    assert JournalWatch().scan(cluster.journal) == []
    early = doctored(cluster.journal, move=(produces[1].seq, marker.seq))
    assert JournalWatch().scan(early) == [
        f"event {marker.seq}: t-0 added offsets 2..2 of pid 0 epoch 1 to the transaction it "
        "holds open at epoch 0: its marker will decide them too (one transaction, one epoch)"
    ]


def test_a_prepared_transaction_whose_marker_was_dropped_is_stranded() -> None:
    """A marker lost on the way leaves the transaction in PrepareCommit until a coordinator
    failover sends it again (test_faults' dropped marker)."""
    cluster = Cluster(pacing="step")
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    assert prepared_transactions_progress(cluster) == []
    cluster.drop_step()
    assert prepared_transactions_progress(cluster) == [
        "tx is stranded in PrepareCommit at epoch 0: no marker or Complete record is left to send"
    ]
    cluster.restart_transaction_coordinator()
    assert prepared_transactions_progress(cluster) == []


def test_a_coordinator_that_commits_the_offsets_of_an_aborted_transaction() -> None:
    cluster = Cluster()
    setup(cluster)
    c = consumer(cluster)
    c.assign([TopicPartition("in", 0)])
    assert len(c.consume(10)) == 6
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    p.produce("out", value="X")
    p.send_offsets_to_transaction([TopicPartition("in", 0, 6)], c.consumer_group_metadata())
    assert committed_offsets_follow_log(cluster) == []
    partition = cluster.group_coordinator.partition_for("g")
    cluster.group_coordinator.on_end_txn_marker(partition, p.producer_id, committed=True)
    p.abort_transaction()
    assert committed_offsets_follow_log(cluster) == [
        "group g in-0: the coordinator says committed 6, __consumer_offsets says None"
    ]


def test_plain_and_transactional_commits_replayed_from_the_offsets_log() -> None:
    """A later plain commit wins over an earlier transactional one committed after it (§6.1)."""
    cluster = Cluster()
    setup(cluster)
    c = consumer(cluster)
    c.assign([TopicPartition("in", 0)])
    c.consume(10)
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    p.produce("out", value="X")
    p.send_offsets_to_transaction([TopicPartition("in", 0, 6)], c.consumer_group_metadata())
    c.commit(offsets=[TopicPartition("in", 0, 4)], asynchronous=False)
    p.commit_transaction()
    assert cluster.group_coordinator.committed("g", "in", 0) == 4
    assert committed_offsets_follow_log(cluster) == []


def test_read_committed_returning_what_the_log_holds_as_aborted_open_or_marker() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    history = record_history(cluster)
    aborted_committed_open(cluster)
    LogDumpConsumer(cluster, markers=True, aborted=True, open_data=True).read("t", 0)
    assert read_committed_saw_only_committed(history.of("poll"), LogReader(cluster)) == [
        "op 12: read_committed wrong-consumer returned t-0@0, which the log holds as aborted",
        "op 13: read_committed wrong-consumer returned t-0@1, which the log holds as marker",
        "op 15: read_committed wrong-consumer returned t-0@3, which the log holds as marker",
        "op 16: read_committed wrong-consumer returned t-0@4, which the log holds as open",
    ]


def test_a_committed_transaction_aborted_on_one_partition() -> None:
    cluster = two_partition_commit()
    history = record_history(cluster)
    log = LogReader(cluster)
    assert client_fates_agree(Analysis(history), log) == []
    p = cluster.partition("t", 1)
    marker = p.batches[-1]
    wrong = end_txn_marker_batch(
        marker.producer_id,
        marker.producer_epoch,
        ControlRecordType.ABORT,
        marker.coordinator_epoch,
        marker.base_timestamp,
    )
    wrong.place(marker.base_offset)
    p.batches[-1] = wrong  # the wrong marker on t-1
    assert client_fates_agree(Analysis(history), LogReader(cluster)) == [
        "producer-1 transaction 1 (tx) was committed (op 6), but its record t-1@0 is aborted "
        "in the log"
    ]


def test_pipeline_output_of_inputs_whose_offsets_were_never_committed() -> None:
    """An at-least-once pipeline that dies after producing: A and B are in `out`, yet the group
    never committed past them."""
    cluster = Cluster()
    setup(cluster)
    app = Pipeline(cluster, AT_LEAST_ONCE, crash_at="after_produce")
    app.run()
    assert processed_once(cluster, "in", "out", "pipeline") == [
        "in-0@0 is in out (out-0@0) but not a committed input below pipeline's committed offset 0",
        "in-0@1 is in out (out-0@1) but not a committed input below pipeline's committed offset 0",
    ]


def test_a_log_changed_behind_the_journal_does_not_replay() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    aborted_committed_open(cluster)
    assert replay_matches(cluster) == []
    cluster.partition("t", 0).append_as_leader(RecordBatch([Record(0, 0, None, b"x")]), 0)
    assert replay_matches(cluster) == ["t-0: the replay's log differs"]


@pytest.mark.parametrize("tv2", [False, True])
def test_every_invariant_holds_on_a_real_run(tv2: bool) -> None:
    conf = {"eoslab.protocol": "java-4"} if tv2 else {}
    cluster = two_partition_commit(**conf)
    history = record_history(cluster)
    zombie = txn_producer(cluster)
    zombie.init_transactions()
    zombie.begin_transaction()
    zombie.produce("t", value="z", partition=0)
    zombie.flush()
    txn_producer(cluster, **conf).init_transactions()
    Producer({"bootstrap.servers": cluster.bootstrap_servers}).produce("t", value="p")
    cluster.advance(100)
    log = LogReader(cluster)
    watch = JournalWatch()
    assert watch.scan(cluster.journal) == []
    assert watch.fenced_writes_visible(log) == []
    assert lso_within_hw(cluster) + dense_offsets(cluster) == []
    assert committed_offsets_follow_log(cluster) + replay_matches(cluster) == []
    assert prepared_transactions_progress(cluster, watch) == []
    assert client_fates_agree(Analysis(history), log) == []
