"""A real cluster, read once: the objects that stand for `Cluster`, its partitions and its
coordinators where the views read them (see `eoslab.real` for where each field comes from)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from eoslab.broker.hashing import partition_for
from eoslab.broker.internal_topics import TRANSACTION_STATE_TOPIC as TRANSACTION_STATE
from eoslab.broker.journal import Journal
from eoslab.broker.records import (
    RecordBatch,
)
from eoslab.broker.transaction_index import TransactionIndex

from .connection import (
    DEFAULT_TXN_STATE_PARTITIONS,
)


@dataclass
class SnapshotProducerEntry:
    """One producer id on one partition, as DescribeProducers reports it (or the log implies)."""

    producer_id: int
    producer_epoch: int
    coordinator_epoch: int
    last_seq: int
    last_timestamp: int
    current_txn_first_offset: int | None


@dataclass
class SnapshotProducerState:
    """The parts of `ProducerStateManager` the views read; `source` says where it came from."""

    producers: dict[int, SnapshotProducerEntry] = field(default_factory=dict)
    source: str = "log"

    @property
    def ongoing_txns(self) -> dict[int, int]:
        """first offset -> producer id, for every transaction open on the partition."""
        return {
            e.current_txn_first_offset: pid
            for pid, e in self.producers.items()
            if e.current_txn_first_offset is not None
        }

    def entry(self, producer_id: int) -> SnapshotProducerEntry | None:
        return self.producers.get(producer_id)

    def has_ongoing_transaction(self, producer_id: int) -> bool:
        e = self.producers.get(producer_id)
        return e is not None and e.current_txn_first_offset is not None

    def first_unstable_offset(self) -> int | None:
        return min(self.ongoing_txns, default=None)


class SnapshotPartition:
    """One partition as the snapshot read it; attribute names are `broker.partition.Partition`'s."""

    high_watermark_held = False

    def __init__(self, topic: str, index: int, leader: int, leader_epoch: int) -> None:
        self.topic = topic
        self.index = index
        self.leader = leader
        self.leader_epoch = leader_epoch
        self.batches: list[RecordBatch] = []
        self.log_start_offset = 0
        self.high_watermark = 0
        self.last_stable_offset = 0
        self.fetched_from = 0  # the first offset fetched (log start, or later when capped)
        # what the Fetch responses said: the HW and LSO of the first read_uncommitted fetch,
        # the aborted transactions a read_committed consumer was sent, and where its reads ended
        self.fetch_high_watermark: int | None = None
        self.fetch_last_stable_offset: int | None = None
        self.fetched_aborted_transactions: list[tuple[int, int]] | None = None
        self.read_committed_end: int | None = None
        self.producer_state = SnapshotProducerState()
        self.log_producer_state = SnapshotProducerState()  # always the log's own account
        self.txn_index = TransactionIndex()
        self.open_transactional_batches: dict[int, list[int]] = {}  # pid -> batch indexes
        self.notes: list[str] = []
        self._base_offsets: list[int] = []

    @property
    def name(self) -> str:
        return f"{self.topic}-{self.index}"

    @property
    def log_end_offset(self) -> int:
        """A consumer cannot read past the HW: the snapshot's log ends there."""
        return max(self.high_watermark, self.batches[-1].next_offset if self.batches else 0)

    def first_unstable_offset(self) -> int | None:
        return self.producer_state.first_unstable_offset()

    def batch_index_for(self, offset: int) -> int:
        """Index of the batch holding `offset` (or the first batch after it)."""
        i = bisect.bisect_right(self._base_offsets, offset) - 1
        if i < 0:
            return 0
        return i + 1 if self.batches[i].last_offset < offset else i

    def __repr__(self) -> str:
        return (
            f"SnapshotPartition({self.name}, start={self.log_start_offset}, "
            f"HW={self.high_watermark}, LSO={self.last_stable_offset}, {len(self.batches)} batches)"
        )


@dataclass
class SnapshotTopic:
    name: str
    partitions: list[SnapshotPartition]
    replication_factor: int
    internal: bool = False
    topic_id: Any = None


@dataclass
class SnapshotTransaction:
    """DescribeTransactions' answer, with `TransactionMetadata`'s attribute names."""

    transactional_id: str
    producer_id: int
    producer_epoch: int
    txn_timeout_ms: int
    state: Any  # TransactionState (or an object with `.name` for a state eoslab does not know)
    topic_partitions: set[tuple[str, int]] = field(default_factory=set)
    txn_start_timestamp: int = -1
    txn_last_update_timestamp: int = -1
    pending_state: Any = None

    def sorted_partitions(self) -> list[tuple[str, int]]:
        return sorted(self.topic_partitions)


@dataclass(frozen=True)
class _NamedState:
    name: str


class SnapshotTxnCoordinator:
    def __init__(self, snapshot: RealClusterSnapshot) -> None:
        self._snapshot = snapshot
        self.transactions: dict[str, SnapshotTransaction] = {}
        self.pending_markers: dict[str, set[tuple[str, int]]] = {}  # not visible over the wire

    @property
    def num_partitions(self) -> int:
        n = len(self._snapshot.metadata_partitions.get(TRANSACTION_STATE, {}))
        return n or DEFAULT_TXN_STATE_PARTITIONS

    def partition_for(self, transactional_id: str) -> int:
        return partition_for(transactional_id, self.num_partitions)

    def coordinator_epoch_for(self, transactional_id: str) -> int:
        """Kafka's coordinator epoch is the leader epoch of the id's `__transaction_state`
        partition; -1 when that topic does not exist (or the broker does not say)."""
        parts = self._snapshot.metadata_partitions.get(TRANSACTION_STATE, {})
        found = parts.get(self.partition_for(transactional_id))
        return -1 if found is None else found[1]


@dataclass
class SnapshotMember:
    member_id: str
    group_instance_id: str | None
    client_id: str
    client_host: str
    assignment: list[tuple[str, int]]


@dataclass
class SnapshotGroup:
    group_id: str
    state: str  # "Stable", "Empty", ... (DescribeGroups' text)
    protocol_type: str
    protocol_name: str
    members: dict[str, SnapshotMember] = field(default_factory=dict)


class SnapshotGroupCoordinator:
    def __init__(self) -> None:
        self.classic_groups: dict[str, SnapshotGroup] = {}
        self.offsets: dict[str, dict[tuple[str, int], int]] = {}
        self.pending: dict[str, dict[tuple[str, int], tuple[int, int]]] = {}

    def groups(self) -> list[str]:
        return sorted(set(self.classic_groups) | set(self.offsets))

    def group(self, group_id: str) -> SnapshotGroup | None:
        return self.classic_groups.get(group_id)

    describe_group = group

    def committed(self, group_id: str, topic: str, partition: int) -> int | None:
        return self.offsets.get(group_id, {}).get((topic, partition))

    def pending_offsets(self, group_id: str) -> dict[tuple[str, int], tuple[int, int]]:
        return dict(self.pending.get(group_id, {}))


class RealClusterSnapshot:
    """A real cluster, read once: the parts of `eoslab.broker.Cluster` that views read."""

    def __init__(self, bootstrap_servers: str, now_ms: int) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.name = bootstrap_servers
        self.now_ms = now_ms
        self.cluster_id: str | None = None
        self.controller_id = -1
        self.brokers: dict[int, tuple[str, int]] = {}
        self.topics: dict[str, SnapshotTopic] = {}
        # every topic the cluster has, read or not: name -> {partition: (leader, leader epoch)}
        self.metadata_partitions: dict[str, dict[int, tuple[int, int]]] = {}
        self.internal_topics: set[str] = set()
        self.replication_factors: dict[str, int] = {}
        self.journal = Journal()  # no history on a real cluster
        self.txn_coordinator = SnapshotTxnCoordinator(self)
        self.group_coordinator = SnapshotGroupCoordinator()
        self.unavailable: dict[str, str] = {}
        self.api_versions: dict[int, dict[int, tuple[int, int]]] = {}  # node -> advertised
        self.pending_steps: list[str] = []
        self.pacing = "real cluster"

    # -- Cluster's read API ---------------------------------------------------------------------
    @property
    def broker_ids(self) -> list[int]:
        return sorted(self.brokers)

    @property
    def clients(self) -> list[Any]:
        return []

    def list_topics(self, internal: bool = False) -> list[str]:
        return sorted(n for n, t in self.topics.items() if internal or not t.internal)

    def partition(self, topic: str, partition: int) -> SnapshotPartition:
        found = self._find_partition(topic, partition)
        if found is None:
            raise KeyError(f"no partition {topic}-{partition} in this snapshot")
        return found

    def _find_partition(self, topic: str, partition: int) -> SnapshotPartition | None:
        t = self.topics.get(topic)
        if t is None or not 0 <= partition < len(t.partitions):
            return None
        return t.partitions[partition]

    def leader_for(self, topic: str, partition: int) -> int:
        found = self.metadata_partitions.get(topic, {}).get(partition)
        return -1 if found is None else found[0]

    def replay(self, until_event: int | None = None) -> Any:
        raise NotImplementedError("a real cluster has no journal to replay (at_step needs one)")

    def __repr__(self) -> str:
        return (
            f"RealClusterSnapshot({self.bootstrap_servers}, cluster_id={self.cluster_id!r}, "
            f"{len(self.brokers)} brokers, topics={self.list_topics(internal=True)})"
        )
