"""Shared fixtures: a fresh cluster per test and helpers that read its state as plain values."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from eoslab import Cluster
from eoslab.client import Consumer, Producer, TopicPartition


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Free what a test left behind while the interpreter is whole: a real client (librdkafka,
    kafka-python) held in a reference cycle would otherwise be destroyed during interpreter
    shutdown, with its own threads still running."""
    import gc

    gc.collect()


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.create_topics([("t", 1, 1)])
    return c


def txn_producer(cluster: Cluster, transactional_id: str = "tx", **conf) -> Producer:
    return Producer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "transactional.id": transactional_id,
            **conf,
        }
    )


def consumer(cluster: Cluster, isolation: str = "read_committed", **conf) -> Consumer:
    return Consumer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "group.id": "g",
            "isolation.level": isolation,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            **conf,
        }
    )


def read_all(
    cluster: Cluster, topic: str = "t", partition: int = 0, isolation: str = "read_committed"
):
    """RC/RU of the reference's §12: start at 0, poll until no progress; (offset, value) list and position."""
    c = consumer(cluster, isolation)
    tp = TopicPartition(topic, partition, 0)
    c.assign([tp])
    out = []
    for _ in range(10_000):
        m = c.poll(0)
        if m is None:
            break
        assert m.error() is None, m.error()
        out.append((m.offset(), m.value().decode()))
    position = c.position([TopicPartition(topic, partition)])[0].offset
    c.close()
    return out, position


def _guard(cluster: Any) -> Any:
    """The cluster's request guard; a snapshot of a real cluster has none."""
    return getattr(cluster, "request_guard", None) or contextlib.nullcontext()


def log_layout(cluster: Cluster, topic: str = "t", partition: int = 0) -> list[tuple]:
    """The log in the reference's notation: (offset, kind, pid, epoch, seq, value-or-marker).
    Read under the cluster's request guard, as every helper here: a served cluster answers
    EndTxn before it writes the markers (as Kafka does), and finishes them under the guard."""
    with _guard(cluster):
        return _log_layout(cluster, topic, partition)


def _log_layout(cluster: Cluster, topic: str, partition: int) -> list[tuple]:
    rows = []
    for b in cluster.partition(topic, partition).batches:
        for r in b.records:
            if b.is_control:
                rows.append((r.offset, b.control_type.name, b.producer_id, b.producer_epoch))
            else:
                seq = -1 if b.base_sequence < 0 else b.base_sequence + (r.offset - b.base_offset)
                kind = "tx" if b.is_transactional else "D"
                rows.append(
                    (r.offset, kind, b.producer_id, b.producer_epoch, seq, r.value.decode())
                )
    return rows


def offsets(cluster: Cluster, topic: str = "t", partition: int = 0) -> tuple[int, int, int]:
    with _guard(cluster):
        p = cluster.partition(topic, partition)
        return p.log_end_offset, p.high_watermark, p.last_stable_offset


def aborted_index(cluster: Cluster, topic: str = "t", partition: int = 0) -> list[tuple]:
    with _guard(cluster):
        return [
            (a.producer_id, a.first_offset, a.last_offset, a.last_stable_offset)
            for a in cluster.partition(topic, partition).txn_index.all()
        ]


def txn_log(cluster: Cluster, transactional_id: str) -> list[tuple[str, int]]:
    """(state, epoch) of every __transaction_state record for one id, in order."""
    from eoslab.broker.transaction_log import key_from_bytes, value_from_bytes
    from eoslab.broker.transaction_metadata import TransactionState

    out = []
    p = cluster.txn_coordinator.partition_for(transactional_id)
    with _guard(cluster):
        batches = list(cluster.partition("__transaction_state", p).batches)
    for b in batches:
        for r in b.records:
            if key_from_bytes(r.key) != transactional_id:
                continue
            v = value_from_bytes(r.value)
            out.append(
                ("Dead", -1)
                if v is None
                else (TransactionState(v.transaction_status).name, v.producer_epoch)
            )
    return out


def state_snapshot(cluster: Cluster) -> tuple:
    """Everything a learner could observe, to check that a refused call changed nothing."""
    parts = []
    for name in cluster.list_topics(internal=True):
        for p in cluster.topics[name].partitions:
            parts.append(
                (
                    p.name,
                    p.log_end_offset,
                    p.high_watermark,
                    p.last_stable_offset,
                    tuple(repr(b) for b in p.batches),
                    tuple(
                        sorted(
                            (pid, e.producer_epoch, e.last_seq, e.current_txn_first_offset)
                            for pid, e in p.producer_state.producers.items()
                        )
                    ),
                )
            )
    txns = tuple(
        (tid, m.producer_id, m.producer_epoch, m.state.name, tuple(m.sorted_partitions()))
        for tid, m in sorted(cluster.txn_coordinator.transactions.items())
    )
    return (tuple(parts), txns, cluster.now_ms, tuple(cluster.pending_steps))


def commit_one(
    p: Any, value: str, topic: str = "t", partition: int = 0, timeout: float | None = None
) -> None:
    """One transaction of one record to `topic`-`partition`: begin, send, commit. `p` is any
    transactional producer: eoslab's or confluent_kafka's (produce) or kafka-python's (send)."""
    p.begin_transaction()
    if type(p).__module__.startswith("kafka."):  # kafka-python's KafkaProducer takes bytes
        p.send(topic, value=value.encode(), partition=partition)
    else:
        p.produce(topic, value=value, partition=partition)
    p.commit_transaction(*(() if timeout is None else (timeout,)))
