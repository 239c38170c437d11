"""Shared helpers for the broker-layer tests (the rules they check: docs/kafka-rules.md).

The tests drive `eoslab.broker.Cluster` through its Kafka-named request methods and read state back
through `cluster.partition(...)` / `Partition` objects, never through the client layer. Helpers are
handed out through the `kit` fixture (and `RawTxnProducer` through `raw_producer`) rather than
imported from this file, so these tests do not depend on how pytest puts `conftest` on sys.path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from eoslab.broker import Cluster, Errors, Record, RecordBatch, TransactionState
from eoslab.broker.internal_topics import TRANSACTION_STATE_TOPIC
from eoslab.broker.partition import Partition
from eoslab.broker.protocol import InitProducerIdResponse, ProduceResponse
from eoslab.broker.transaction_log import key_from_bytes, value_from_bytes


def _values(values: tuple[str | bytes, ...]) -> list[bytes]:
    return [v.encode() if isinstance(v, str) else v for v in values]


class Kit:
    """Builders and readers used by every broker test module."""

    # -- clusters ---------------------------------------------------------------------------------
    @staticmethod
    def cluster(
        topics: dict[str, int] | None = None,
        *,
        pacing: str = "auto",
        config: dict | None = None,
        seed: int = 0,
    ) -> Cluster:
        """A fresh one-broker cluster with the given topics (default: `t` with 1 partition)."""
        cluster = Cluster(seed=seed, pacing=pacing, config=config)
        wanted = {"t": 1} if topics is None else topics
        if wanted:
            results = cluster.create_topics([(name, n, 1) for name, n in wanted.items()])
            assert {name: r.error for name, r in results.items()} == dict.fromkeys(
                wanted, Errors.NONE
            )
        return cluster

    # -- record batches ---------------------------------------------------------------------------
    @staticmethod
    def batch(
        pid: int,
        epoch: int,
        seq: int,
        *values: str | bytes,
        txn: bool = False,
        ts: int = 0,
    ) -> RecordBatch:
        """A batch of one record per value (at least one), from producer (pid, epoch) at seq."""
        raw = _values(values) or [b"x"]
        return RecordBatch(
            [Record(i, ts, None, v) for i, v in enumerate(raw)],
            producer_id=pid,
            producer_epoch=epoch,
            base_sequence=seq,
            is_transactional=txn,
        )

    @classmethod
    def txn(cls, pid: int, epoch: int, seq: int, *values: str | bytes, ts: int = 0) -> RecordBatch:
        return cls.batch(pid, epoch, seq, *values, txn=True, ts=ts)

    @classmethod
    def txn_n(cls, pid: int, epoch: int, seq: int, n: int) -> RecordBatch:
        """A transactional batch of n records (the Kafka unit-test fixtures count records)."""
        return cls.batch(pid, epoch, seq, *[f"{pid}-{seq + i}" for i in range(n)], txn=True)

    @staticmethod
    def plain(*values: str | bytes, ts: int = 0) -> RecordBatch:
        """A batch from a plain producer: pid -1, epoch -1, seq -1."""
        raw = _values(values) or [b"x"]
        return RecordBatch([Record(i, ts, None, v) for i, v in enumerate(raw)])

    @classmethod
    def plain_n(cls, n: int) -> RecordBatch:
        return cls.plain(*[f"plain-{i}" for i in range(n)])

    # -- reading a partition ----------------------------------------------------------------------
    @staticmethod
    def layout(partition: Partition) -> list[str]:
        """The log in the reference's §12 notation, one entry per batch.

        `0: D tx(0,0,0) "a"` is a transactional one-record data batch (pid, epoch, seq),
        `0-4: D tx(1,0,0..4)` a multi-record one, `1: COMMIT(0,0)` a marker (pid, epoch).
        """
        out = []
        for b in partition.batches:
            if b.is_control:
                assert b.base_offset == b.last_offset  # a control batch takes one offset
                out.append(
                    f"{b.base_offset}: {b.control_type.name}({b.producer_id},{b.producer_epoch})"
                )
                continue
            tx = " tx" if b.is_transactional else ""
            if len(b.records) == 1:
                value = b.records[0].value.decode()
                out.append(
                    f"{b.base_offset}: D{tx}({b.producer_id},{b.producer_epoch},"
                    f'{b.base_sequence}) "{value}"'
                )
            else:
                out.append(
                    f"{b.base_offset}-{b.last_offset}: D{tx}({b.producer_id},{b.producer_epoch},"
                    f"{b.base_sequence}..{b.last_sequence})"
                )
        return out

    @staticmethod
    def markers(partition: Partition) -> list[tuple[int, str, int, int, int]]:
        """(offset, COMMIT/ABORT, pid, epoch, coordinator epoch) for every control batch."""
        return [
            (
                b.base_offset,
                b.control_type.name,
                b.producer_id,
                b.producer_epoch,
                b.coordinator_epoch,
            )
            for b in partition.batches
            if b.is_control
        ]

    @staticmethod
    def offsets(partition: Partition) -> tuple[int, int, int]:
        """(LEO, HW, LSO)."""
        return partition.log_end_offset, partition.high_watermark, partition.last_stable_offset

    @staticmethod
    def index(partition: Partition) -> list[tuple[int, int, int, int]]:
        """Aborted-transaction index entries as (pid, first, last, lso), §4.3."""
        return [
            (a.producer_id, a.first_offset, a.last_offset, a.last_stable_offset)
            for a in partition.txn_index.all()
        ]

    @staticmethod
    def fetched_offsets(result, *, skip_control: bool = True) -> list[int]:
        """Offsets of the records in a FetchResult's batches (whole batches, no client filtering)."""
        return [
            r.offset
            for b in result.batches
            if not (skip_control and b.is_control)
            for r in b.records
        ]

    # -- reading __transaction_state --------------------------------------------------------------
    @staticmethod
    def txn_log(cluster: Cluster, transactional_id: str) -> list[str]:
        """The coordinator's records for one id, decoded, in the §3.3 spirit.

        `Empty(0,e0,null)` = state(pid, epoch, partitions) where partitions is `null` (None on the
        wire), `[]` (an empty list) or `[t-0,t-1]`; a tombstone is `tombstone`.
        """
        partition = cluster.txn_coordinator.partition_for(transactional_id)
        log = cluster.partition(TRANSACTION_STATE_TOPIC, partition)
        out = []
        for b in log.batches:
            for r in b.records:
                if key_from_bytes(r.key) != transactional_id:
                    continue
                value = value_from_bytes(r.value)
                if value is None:
                    out.append("tombstone")
                    continue
                if value.transaction_partitions is None:
                    parts = "null"
                else:
                    parts = (
                        "["
                        + ",".join(f"{t}-{p}" for t, ps in value.transaction_partitions for p in ps)
                        + "]"
                    )
                state = TransactionState(value.transaction_status).name
                out.append(f"{state}({value.producer_id},e{value.producer_epoch},{parts})")
        return out

    @staticmethod
    def txn_log_values(cluster: Cluster, transactional_id: str) -> list:
        """The decoded TransactionLogValue records (None for a tombstone) for one id."""
        partition = cluster.txn_coordinator.partition_for(transactional_id)
        log = cluster.partition(TRANSACTION_STATE_TOPIC, partition)
        return [
            value_from_bytes(r.value)
            for b in log.batches
            for r in b.records
            if key_from_bytes(r.key) == transactional_id
        ]

    @staticmethod
    def txn_state(cluster: Cluster, transactional_id: str) -> TransactionState | None:
        metadata = cluster.txn_coordinator.transactions.get(transactional_id)
        return None if metadata is None else metadata.state

    @staticmethod
    def state_log_size(cluster: Cluster) -> int:
        """Records in all of __transaction_state (to prove that a request wrote nothing)."""
        topic = cluster.topics.get(TRANSACTION_STATE_TOPIC)
        if topic is None:
            return 0
        return sum(p.log_end_offset for p in topic.partitions)

    @staticmethod
    def data_log_sizes(cluster: Cluster) -> dict[str, int]:
        """LEO of every non-internal partition."""
        return {
            p.name: p.log_end_offset
            for name in cluster.list_topics()
            for p in cluster.topics[name].partitions
        }

    @staticmethod
    def snapshot(cluster: Cluster) -> dict:
        """Everything a pacing mode must agree on: every log byte-for-byte, offsets, txn states."""
        logs = {
            p.name: (
                [b.to_bytes() for b in p.batches],
                p.log_end_offset,
                p.high_watermark,
                p.last_stable_offset,
                Kit.index(p),
            )
            for t in cluster.topics.values()
            for p in t.partitions
        }
        states = {
            tid: (m.state, m.producer_id, m.producer_epoch, m.sorted_partitions())
            for tid, m in cluster.txn_coordinator.transactions.items()
        }
        return {"logs": logs, "states": states, "pending": cluster.pending_steps}


@dataclass
class RawTxnProducer:
    """Raw TV1 protocol calls for one transactional id, tracking pid, epoch and sequences.

    No client logic: each method is exactly one broker request. Sequences follow §2.2: per
    partition, continuing across transactions, reset when the epoch changes.
    """

    cluster: Cluster
    transactional_id: str
    timeout_ms: int = 60_000
    producer_id: int = -1
    producer_epoch: int = -1
    sequences: dict[tuple[str, int], int] = field(default_factory=dict)

    def init(self, **kwargs) -> InitProducerIdResponse:
        r = self.cluster.init_producer_id(
            self.transactional_id, transaction_timeout_ms=self.timeout_ms, **kwargs
        )
        if r.error == Errors.NONE:
            if (r.producer_id, r.producer_epoch) != (self.producer_id, self.producer_epoch):
                self.sequences.clear()
            self.producer_id, self.producer_epoch = r.producer_id, r.producer_epoch
        return r

    def add(self, *partitions: tuple[str, int], **kwargs) -> dict[tuple[str, int], Errors]:
        return self.cluster.add_partitions_to_txn(
            self.transactional_id, self.producer_id, self.producer_epoch, partitions, **kwargs
        )

    def send(self, topic: str, partition: int, *values: str, **kwargs) -> ProduceResponse:
        seq = self.sequences.get((topic, partition), 0)
        batch = Kit.txn(self.producer_id, self.producer_epoch, seq, *values)
        r = self.cluster.produce(
            topic, partition, batch, transactional_id=self.transactional_id, **kwargs
        )
        if r.error == Errors.NONE:
            self.sequences[(topic, partition)] = seq + len(batch.records)
        return r

    def end(self, commit: bool, **kwargs) -> Errors:
        return self.cluster.end_txn(
            self.transactional_id, self.producer_id, self.producer_epoch, commit, **kwargs
        ).error

    def commit(self, **kwargs) -> Errors:
        return self.end(True, **kwargs)

    def abort(self, **kwargs) -> Errors:
        return self.end(False, **kwargs)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


@pytest.fixture
def raw_producer():
    """Factory: raw_producer(cluster, "tx", timeout_ms=...) -> RawTxnProducer."""

    def make(cluster: Cluster, transactional_id: str, timeout_ms: int = 60_000) -> RawTxnProducer:
        return RawTxnProducer(cluster, transactional_id, timeout_ms)

    return make
