"""The coordinator, producer-state, index, consumer, group and journal tables (reference §3-§8)."""

from __future__ import annotations

from typing import Any

from eoslab import Cluster
from eoslab.broker.records import Record, RecordBatch
from eoslab.client import Producer, TopicPartition
from eoslab.views import (
    aborted_index,
    consumer_groups,
    consumers,
    hanging_transactions,
    journal_table,
    log_dump,
    partitions,
    producers,
    transaction_log,
    transactions,
)
from tests.conftest import consumer, txn_producer
from tests.views.scenarios import fresh, g1, g3, g5, g14, rows


def test_g1_transaction_log_empty_ongoing_prepare_complete() -> None:
    """§3.3: partitions null for Empty, {t-0} while Ongoing/PrepareCommit, empty when complete."""
    df = transaction_log(g1(), "tx")
    assert rows(
        df, ["partition", "offset", "state", "producer_id", "producer_epoch", "partitions"]
    ) == [
        (16, 0, "Empty", 0, 0, None),
        (16, 1, "Ongoing", 0, 0, ("t-0",)),
        (16, 2, "PrepareCommit", 0, 0, ("t-0",)),
        (16, 3, "CompleteCommit", 0, 0, ()),
    ]
    assert rows(df, ["timeout_ms", "start_ms"])[:2] == [(60000, -1), (60000, 0)]


def test_g14_transaction_log_shows_the_fencing_epochs() -> None:
    df = transaction_log(g14())
    assert rows(df, ["state", "producer_epoch", "partitions"]) == [
        ("Empty", 0, None),
        ("Ongoing", 0, ("t-0",)),
        ("PrepareAbort", 1, ("t-0",)),
        ("CompleteAbort", 1, ()),
        ("Empty", 2, None),
        ("Ongoing", 2, ("t-0",)),
        ("PrepareCommit", 2, ("t-0",)),
        ("CompleteCommit", 2, ()),
    ]


def test_transaction_log_tombstone_is_dead() -> None:
    """G26: an expired id leaves a tombstone, shown as Dead with nothing else."""
    cluster = fresh()
    txn_producer(cluster).init_transactions()
    cluster.advance(604_800_000)
    assert rows(transaction_log(cluster, "tx"), ["state", "producer_id", "partitions"]) == [
        ("Empty", 0, None),
        ("Dead", None, None),
    ]
    assert len(transactions(cluster)) == 0  # `list` hides Dead ids


def test_transaction_log_of_a_cluster_without_transactions_is_empty() -> None:
    assert len(transaction_log(fresh())) == 0


def test_transactions_like_kafka_transactions_describe() -> None:
    cluster, *_ = g5()
    cluster.advance(250)
    assert rows(transactions(cluster)) == [
        ("tx", 1, 16, 0, 0, "Ongoing", None, 60000, 0, 250, ("t-0",), (), 0, 0)
    ]
    assert rows(transactions(g1()), ["state", "start_ms", "topic_partitions"]) == [
        ("CompleteCommit", 0, ())
    ]


def test_transactions_shows_markers_still_pending_in_step_pacing() -> None:
    cluster = fresh()
    cluster.pacing = "step"
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    assert rows(transactions(cluster), ["state", "pending_markers"]) == [
        ("PrepareCommit", ("t-0",))
    ]
    cluster.run_pending()
    assert rows(transactions(cluster), ["state", "pending_markers"]) == [("CompleteCommit", ())]


def test_producers_like_describe_producers() -> None:
    """§4.1: an open transaction shows its start offset; the plain producer is not tracked."""
    cluster, *_ = g5()
    assert rows(producers(cluster, "t", 0)) == [(0, 0, -1, 0, 0, 0)]
    assert rows(producers(g1(), "t", 0)) == [(0, 0, 0, 0, 0, None)]


def test_aborted_index_g3_and_g14() -> None:
    assert rows(aborted_index(g3(), "t", 0)) == [(0, 0, 1, 2)]
    assert rows(aborted_index(g14(), "t", 0)) == [(0, 0, 1, 2)]
    assert len(aborted_index(g1(), "t", 0)) == 0


def test_partitions_g5_hw_2_lso_0() -> None:
    cluster, *_ = g5()
    assert rows(partitions(cluster)) == [("t", 0, 1, 0, 2, 2, 0, 0, 2, 1, 0, 2, False)]
    assert {"__transaction_state"} <= set(partitions(cluster, internal=True)["topic"])


def test_g5_consumers_lag_by_both_definitions() -> None:
    """G5: RC has returned nothing (position -1001) and waits at the LSO, lag 0 against it but 2
    against the HW; RU read both records and stands at the HW."""
    cluster, p, rc, ru = g5()
    assert list(consumers(cluster).columns) == [
        "client_id", "group_id", "isolation_level", "topic", "partition", "position",
        "fetch_position", "committed", "high_watermark", "last_stable_offset", "lag_lso",
        "lag_hw", "records_returned",
    ]  # fmt: skip
    assert rows(consumers(cluster)) == [
        ("consumer-1", "g", "read_committed", "t", 0, -1001, 0, None, 2, 0, 0, 2, 0),
        ("consumer-2", "g", "read_uncommitted", "t", 0, 2, 2, None, 2, 0, -2, 0, 2),
    ]
    p.commit_transaction()
    rc.consume(10, 1.0)
    ru.consume(10, 1.0)
    assert rows(consumers(cluster)) == [
        ("consumer-1", "g", "read_committed", "t", 0, 3, 3, None, 3, 3, 0, 0, 2),
        ("consumer-2", "g", "read_uncommitted", "t", 0, 3, 3, None, 3, 3, 0, 0, 2),
    ]
    rc.close()
    assert list(consumers(cluster)["client_id"]) == ["consumer-2"]


class _Groups:
    """A group coordinator as the views read it (`GroupCoordinatorState`), with given offsets."""

    def __init__(self, committed: dict[tuple[str, str, int], int]) -> None:
        self._committed = committed

    def committed(self, group_id: str, topic: str, partition: int) -> int | None:
        return self._committed.get((group_id, topic, partition))

    def groups(self) -> list[str]:
        return sorted({g for g, _, _ in self._committed})

    def group(self, group_id: str) -> None:
        return None  # no member metadata: the group shows as Empty

    def pending_offsets(self, group_id: str) -> dict[tuple[str, int], tuple[int, int]]:
        return {}


class _WithGroups:
    """A cluster seen through another group coordinator (or none)."""

    def __init__(self, cluster: Any, coordinator: _Groups) -> None:
        self._cluster, self.group_coordinator = cluster, coordinator

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cluster, name)


def test_consumer_groups_without_committed_offsets_lists_live_readers() -> None:
    cluster, *_ = g5()
    assert rows(consumer_groups(_WithGroups(cluster, _Groups({})))) == [
        ("g", "Empty", "t", 0, None, 2, None, None, None, "consumer-1"),
    ]


def test_g5_consumer_groups_lag_is_hw_based() -> None:
    """G5: a group with committed offset 0 shows LAG 2 in kafka-consumer-groups (HW-based)."""
    cluster, *_ = g5()
    view = _WithGroups(cluster, _Groups({("g", "t", 0): 0, ("other", "t", 0): 2}))
    assert rows(consumer_groups(view)) == [
        ("g", "Empty", "t", 0, 0, 2, 2, None, None, "consumer-1"),
        ("other", "Empty", "t", 0, 2, 2, 0, None, None, None),
    ]
    assert rows(consumers(view), ["client_id", "committed"]) == [
        ("consumer-1", 0),
        ("consumer-2", 0),
    ]


def test_subscribed_member_and_its_commit() -> None:
    cluster = g1()
    c = consumer(cluster, "read_committed")
    c.subscribe(["t"])
    while c.poll(0) is not None:
        pass
    c.commit(asynchronous=False)
    assert rows(consumer_groups(cluster)) == [
        ("g", "Stable", "t", 0, 2, 2, 0, None, c.memberid(), "consumer-1"),
    ]
    assert rows(consumers(cluster), ["position", "committed", "lag_lso", "lag_hw"]) == [
        (2, 2, 0, 0)
    ]


def test_g16_offsets_in_a_transaction_are_pending_until_the_marker() -> None:
    """G16 in step pacing: after EndTxn the offset 3 is pending, not committed; the COMMIT marker
    in __consumer_offsets makes it the group's committed offset."""
    cluster = Cluster(pacing="step")
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    for value in "xyz":
        plain.produce("in", value=value)
    plain.flush()
    c = consumer(cluster, "read_committed")
    c.assign([TopicPartition("in", 0)])
    assert len(c.consume(10)) == 3
    p = txn_producer(cluster, "app")
    p.init_transactions()
    p.begin_transaction()
    for value in "XYZ":
        p.produce("out", value=value)
    p.send_offsets_to_transaction([TopicPartition("in", 0, 3)], c.consumer_group_metadata())
    p.commit_transaction()
    assert rows(consumer_groups(cluster)) == [
        ("g", "Empty", "in", 0, None, 3, None, 3, None, "consumer-1"),
    ]
    offsets_partition = cluster.group_coordinator.partition_for("g")
    columns = ["offset", "producer_id", "marker", "key", "committed_offset", "fate"]
    assert rows(log_dump(cluster, "__consumer_offsets", offsets_partition), columns) == [
        (0, 0, "", "[g,in,0]", 3, "open"),
    ]
    cluster.run_pending()
    assert rows(consumer_groups(cluster)) == [
        ("g", "Empty", "in", 0, 3, 3, 0, None, None, "consumer-1"),
    ]
    assert rows(log_dump(cluster, "__consumer_offsets", offsets_partition), columns) == [
        (0, 0, "", "[g,in,0]", 3, "committed"),
        (1, 0, "COMMIT", None, None, "marker"),
    ]
    assert rows(consumers(cluster), ["client_id", "committed"]) == [("consumer-1", 3)]


def test_hanging_transaction_found_like_find_hanging() -> None:
    """§8 cause 1: a delayed produce lands after the coordinator finished the transaction
    (partition verification off, as before KIP-890): the partition holds an open transaction that
    the coordinator will never end, and find-hanging reports it once it is old enough."""
    cluster = Cluster(config={"transaction.partition.verification.enable": False})
    cluster.create_topics([("t", 1, 1)])
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    cluster.advance(16 * 60_000)  # the coordinator's timeout aborts it: nothing hangs
    assert len(hanging_transactions(cluster)) == 0
    epoch = cluster.txn_coordinator.transactions["tx"].producer_epoch
    late = [Record(0, cluster.now_ms, None, b"late")]
    batch = RecordBatch(late, 0, epoch, 0, is_transactional=True)
    assert cluster.produce("t", 0, batch, transactional_id="tx").error == 0
    assert len(hanging_transactions(cluster)) == 0  # not older than the max timeout yet
    cluster.advance(16 * 60_000)
    columns = ["topic", "partition", "producer_id", "start_offset", "transactional_id", "reason"]
    assert rows(hanging_transactions(cluster), columns) == [
        ("t", 0, 0, 2, "tx", "not in tx's current transaction (CompleteAbort)")
    ]
    assert rows(partitions(cluster), ["high_watermark", "last_stable_offset"]) == [(3, 2)]


def test_journal_table_g14() -> None:
    df = journal_table(g14())
    assert list(df.columns) == [
        "seq",
        "time_ms",
        "actor",
        "api",
        "args",
        "result",
        "outcome",
        "effects",
    ]
    end_txn = df[df["api"] == "EndTxn"]
    assert rows(end_txn, ["actor", "result", "outcome"]) == [
        ("producer-2", "NONE", "ok"),
        ("producer-1", "INVALID_PRODUCER_EPOCH", "error"),
    ]
    marker = df[(df["api"] == "WriteTxnMarkers")].iloc[0]
    assert marker["actor"] == "txn-coordinator"
    assert "partition=t-0" in marker["args"]
    assert marker["effects"] == "t-0 offset 1: ABORT marker (pid 0, epoch 1, coordinator epoch 0)"
    assert list(journal_table(g14(), 2, 4)["seq"]) == [2, 3]
