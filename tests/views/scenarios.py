"""Golden scenarios of the reference (§12), built through the client, for the view tests."""

from __future__ import annotations

import contextlib
import math
from typing import Any

import pandas as pd

from eoslab import Cluster
from eoslab.broker.records import Record, RecordBatch
from eoslab.client import Consumer, KafkaException, Producer, TopicPartition
from tests.conftest import consumer, txn_producer


def fresh() -> Cluster:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    return cluster


def commit_one(p: Producer, value: str) -> None:
    p.begin_transaction()
    p.produce("t", value=value)
    p.commit_transaction()


def g1() -> Cluster:
    """G1: init; begin; send "a"; commit."""
    cluster = fresh()
    p = txn_producer(cluster)
    p.init_transactions()
    commit_one(p, "a")
    return cluster


def g3() -> Cluster:
    """G3: begin; send "a" (flushed); abort."""
    cluster = fresh()
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    p.abort_transaction()
    return cluster


def g5() -> tuple[Cluster, Producer, Consumer, Consumer]:
    """G5: pid 0 sends "a" and does not commit; a plain producer sends "x"; an RC and an RU
    consumer assigned at 0 poll until they make no progress."""
    cluster = fresh()
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers})
    plain.produce("t", value="x")
    plain.flush()
    rc, ru = consumer(cluster, "read_committed"), consumer(cluster, "read_uncommitted")
    for c in (rc, ru):
        c.assign([TopicPartition("t", 0, 0)])
        c.consume(10, 1.0)
    return cluster, p, rc, ru


def g14() -> Cluster:
    """G14: instance A sends "a" and stays open; instance B inits (fencing A), commits "b";
    A's commit then fails."""
    cluster = fresh()
    a = txn_producer(cluster)
    a.init_transactions()
    a.begin_transaction()
    a.produce("t", value="a")
    a.flush()
    b = txn_producer(cluster)
    b.init_transactions()
    commit_one(b, "b")
    with contextlib.suppress(KafkaException):  # _FENCED, as the client tests assert
        a.commit_transaction()
    return cluster


def big_log(cluster: Cluster, topic: str, offsets: int, per_txn: int = 10) -> None:
    """A long log made through the broker API: transactions of `per_txn` records, every 5th
    aborted, every 7th batch plain, the last transaction left open."""
    r = cluster.init_producer_id("big-tx", client_id="producer-big")
    pid, epoch = r.producer_id, r.producer_epoch
    p = cluster.partition(topic, 0)
    seq = i = 0
    while p.log_end_offset < offsets:
        n = max(1, min(per_txn, offsets - p.log_end_offset - 1))
        records = [Record(j, 0, None, f"v{p.log_end_offset + j}".encode()) for j in range(n)]
        if i % 7 == 3:
            cluster.produce(topic, 0, RecordBatch(records), client_id="producer-plain")
        else:
            cluster.add_partitions_to_txn("big-tx", pid, epoch, [(topic, 0)])
            batch = RecordBatch(records, pid, epoch, seq, is_transactional=True)
            cluster.produce(topic, 0, batch, transactional_id="big-tx")
            seq += n
            if p.log_end_offset < offsets:
                cluster.end_txn("big-tx", pid, epoch, committed=i % 5 != 0)
        i += 1


def rows(df: pd.DataFrame, columns: list[str] | None = None) -> list[tuple]:
    """A frame's rows as plain tuples, with <NA>/NaN as None, for exact comparisons."""
    frame = df if columns is None else df[columns]
    return [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False)]


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v
