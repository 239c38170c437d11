"""`AdminClient` and its request/result types, shaped like `confluent_kafka.admin`.

Calls return dicts of `concurrent.futures.Future`, already resolved (the cluster answers at once);
a failed item's future raises `KafkaException` with the broker's error code and message.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..broker import Errors
from ..broker.partition import EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, MAX_TIMESTAMP
from .admin_results import (
    AbortTransactionSpec,
    ConsumerGroupDescription,
    ConsumerGroupListing,
    ConsumerGroupState,
    ConsumerGroupTopicPartitions,
    ListConsumerGroupsResult,
    MemberAssignment,
    MemberDescription,
    Node,
    ProducerState,
    TransactionDescription,
    TransactionListing,
)
from .assignors import decode_assignment
from .config import ClientConfig
from .connection import (
    ClusterMetadata,
    TopicMetadata,
    cluster_metadata,
    connect,
)
from .errors import KafkaError, KafkaException
from .message import TopicPartition


class IsolationLevel(Enum):
    READ_UNCOMMITTED = 0
    READ_COMMITTED = 1


class OffsetSpec:
    """Which offset ListOffsets should answer with."""

    def __init__(self, value: int) -> None:
        self._value = value

    @classmethod
    def earliest(cls) -> OffsetSpec:
        return cls(EARLIEST_TIMESTAMP)

    @classmethod
    def latest(cls) -> OffsetSpec:
        return cls(LATEST_TIMESTAMP)

    @classmethod
    def max_timestamp(cls) -> OffsetSpec:
        """KIP-734: the offset of the record with the largest timestamp (markers included)."""
        return cls(MAX_TIMESTAMP)

    @classmethod
    def for_timestamp(cls, timestamp: int) -> OffsetSpec:
        return cls(timestamp)  # checked by list_offsets(), as confluent_kafka does

    def __repr__(self) -> str:
        names = {
            EARLIEST_TIMESTAMP: "earliest",
            LATEST_TIMESTAMP: "latest",
            MAX_TIMESTAMP: "max_timestamp",
        }
        return f"OffsetSpec({names.get(self._value, self._value)})"


@dataclass(frozen=True)
class ListOffsetsResultInfo:
    """offset and the found record's timestamp (-1 for earliest/latest); leader_epoch is None
    when the broker gave none, as confluent_kafka's."""

    offset: int
    timestamp: int
    leader_epoch: int | None


class NewTopic:
    def __init__(
        self,
        topic: str,
        num_partitions: int = -1,
        replication_factor: int = -1,
        replica_assignment: list | None = None,
        config: dict[str, str] | None = None,
    ) -> None:
        if not isinstance(topic, str):
            raise TypeError("topic must be a string")
        self.topic = topic
        self.num_partitions = num_partitions
        self.replication_factor = replication_factor
        self.replica_assignment = replica_assignment
        self.config = dict(config or {})

    def __repr__(self) -> str:
        return f"NewTopic(topic={self.topic},num_partitions={self.num_partitions})"


def _future(result: Any = None, error: KafkaError | None = None) -> Future:
    f: Future = Future()
    if error is not None:
        f.set_exception(KafkaException(error))
    else:
        f.set_result(result)
    return f


class AdminClient:
    def __init__(self, conf: Any = None, **kwargs: Any) -> None:
        if conf is None and not kwargs:
            raise TypeError("expected configuration dict")
        cfg = ClientConfig(conf if conf is not None else {}, "admin", kwargs)
        self._cluster = connect(cfg)
        self._client_id = (
            cfg["client.id"] if cfg.is_set("client.id") else self._cluster.next_client_name("admin")
        )

    @property
    def now_ms(self) -> int:
        """eoslab addition: the cluster's virtual time (tools measure durations against it)."""
        return self._cluster.now_ms

    def create_topics(
        self,
        new_topics: list[NewTopic],
        operation_timeout: float = 0,
        request_timeout: float = -1,
        validate_only: bool = False,
    ) -> dict[str, Future]:
        if not isinstance(new_topics, list) or not new_topics:
            raise ValueError("Expected non-empty list of NewTopic objects")
        for t in new_topics:
            if not isinstance(t, NewTopic):
                raise TypeError("Expected list of NewTopic objects")
            if t.num_partitions == 0 or t.num_partitions < -1:
                raise KafkaException(
                    KafkaError(
                        KafkaError._INVALID_ARG,
                        "num_partitions out of expected range 1..100000 or -1 for broker default",
                    )
                )
        results = self._cluster.create_topics(
            [(t.topic, t.num_partitions, t.replication_factor) for t in new_topics],
            validate_only=validate_only,
            client_id=self._client_id,
        )
        return {
            name: _future(None, KafkaError(int(r.error), r.error_message) if r.error else None)
            for name, r in results.items()
        }

    def delete_topics(
        self, topics: list[str], operation_timeout: float = 0, request_timeout: float = -1
    ) -> dict[str, Future]:
        if not isinstance(topics, list) or not topics:
            raise ValueError("Expected non-empty list of topic strings")
        results = self._cluster.delete_topics(topics, client_id=self._client_id)
        return {
            name: _future(None, KafkaError(int(r.error), r.error_message) if r.error else None)
            for name, r in results.items()
        }

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> ClusterMetadata:
        return cluster_metadata(self._cluster, topic, self._client_id)

    def list_offsets(
        self,
        topic_partition_offsets: dict[TopicPartition, OffsetSpec],
        isolation_level: IsolationLevel | None = None,
        request_timeout: float | None = None,
    ) -> dict[TopicPartition, Future]:
        """ListOffsets; like Kafka's Admin API the isolation level defaults to READ_UNCOMMITTED."""
        if not isinstance(topic_partition_offsets, dict):
            raise TypeError("Expected topic_partition_offsets to be a dict")
        if isolation_level is not None and not isinstance(isolation_level, IsolationLevel):
            raise TypeError("isolation_level must be of type IsolationLevel")
        level = (isolation_level or IsolationLevel.READ_UNCOMMITTED).value
        specs = {}
        for tp, spec in topic_partition_offsets.items():
            if not isinstance(tp, TopicPartition) or not isinstance(spec, OffsetSpec):
                raise TypeError("Expected a dict of TopicPartition to OffsetSpec")
            specs[tp] = int(spec._value)  # confluent_kafka: int("x") raises ValueError here
        for tp, value in specs.items():
            if value < MAX_TIMESTAMP:  # librdkafka refuses the whole request
                error = KafkaError(
                    KafkaError._INVALID_ARG,
                    f"Partition {tp.partition} has an invalid offset {value}",
                )
                return {t: _future(error=error) for t in specs}
        out = {}
        for tp, value in specs.items():
            r = self._cluster.list_offsets(
                tp.topic, tp.partition, value, level, client_id=self._client_id
            )
            if r.error:
                out[tp] = _future(error=KafkaError(int(r.error)))
            else:
                epoch = r.leader_epoch if r.leader_epoch >= 0 else None
                out[tp] = _future(ListOffsetsResultInfo(r.offset, r.timestamp, epoch))
        return out

    # -- consumer groups (confluent_kafka's API) --------------------------------------------------
    def list_consumer_groups(
        self, states: set | None = None, request_timeout: float | None = None
    ) -> Future:
        if states is not None:
            if not isinstance(states, set):
                raise TypeError("'states' must be a set")
            if not all(isinstance(st, ConsumerGroupState) for st in states):
                raise TypeError("All elements of states must be of type ConsumerGroupState")
        listings = []
        for group_id, protocol_type, state in self._cluster.list_groups(client_id=self._client_id):
            st = ConsumerGroupState.of(state)
            if states and st not in states:
                continue
            listings.append(ConsumerGroupListing(group_id, protocol_type == "", st))
        return _future(ListConsumerGroupsResult(listings, []))

    def describe_consumer_groups(
        self, group_ids: list[str], request_timeout: float | None = None
    ) -> dict[str, Future]:
        if not isinstance(group_ids, list):
            raise TypeError("Expected input to be list of group ids to be described")
        if not group_ids:
            raise ValueError("Expected at least one group to be described")

        described = self._cluster.describe_groups(group_ids, client_id=self._client_id)
        out = {}
        for group_id, group in described.items():
            node = self._cluster.leader_for(
                "__consumer_offsets", self._cluster.group_coordinator.partition_for(group_id)
            )
            coordinator = Node(node, f"broker{node}.eoslab", 9092)
            if group is None:
                out[group_id] = _future(
                    ConsumerGroupDescription(
                        group_id, False, [], "", ConsumerGroupState.DEAD, coordinator
                    )
                )
                continue
            members = [
                MemberDescription(
                    m.member_id,
                    m.client_id,
                    "/127.0.0.1",
                    MemberAssignment(
                        [TopicPartition(t, p) for t, p in decode_assignment(m.assignment)]
                    ),
                    m.group_instance_id,
                )
                for m in group.members.values()
            ]
            out[group_id] = _future(
                ConsumerGroupDescription(
                    group_id,
                    group.protocol_type == "",
                    members,
                    group.protocol_name or "",
                    ConsumerGroupState.of(group.state.value),
                    coordinator,
                )
            )
        return out

    def list_consumer_group_offsets(
        self,
        list_consumer_group_offsets_request: list[ConsumerGroupTopicPartitions],
        require_stable: bool = False,
        request_timeout: float | None = None,
    ) -> dict[str, Future]:
        """Committed offsets of a group (all partitions, or those asked for); -1001 if none."""
        if not isinstance(list_consumer_group_offsets_request, list):
            raise TypeError("Expected list of 'ConsumerGroupTopicPartitions'")
        if len(list_consumer_group_offsets_request) != 1:
            raise ValueError("Currently we support listing offsets for a single group only")
        request = list_consumer_group_offsets_request[0]
        wanted = (
            None
            if request.topic_partitions is None
            else [(tp.topic, tp.partition) for tp in request.topic_partitions]
        )
        fetched = self._cluster.offset_fetch(
            request.group_id, wanted, require_stable, client_id=self._client_id
        )
        partitions = []
        for (topic, partition), (offset, _meta, error) in fetched.items():
            tp = TopicPartition(topic, partition, offset if offset >= 0 else -1001)
            if error:
                tp.error = KafkaError(int(error))
            partitions.append(tp)
        return {
            request.group_id: _future(ConsumerGroupTopicPartitions(request.group_id, partitions))
        }

    # -- transactions (Kafka's Admin API; confluent_kafka has none) ----------------------------
    def describe_transactions(self, transactional_ids: list[str]) -> dict[str, Future]:
        described = self._cluster.describe_transactions(
            transactional_ids, client_id=self._client_id
        )
        out = {}
        for tid, (error, m) in described.items():
            if error:
                out[tid] = _future(error=KafkaError(int(error)))
                continue
            node = self._cluster.leader_for(
                "__transaction_state", self._cluster.txn_coordinator.partition_for(tid)
            )
            out[tid] = _future(
                TransactionDescription(
                    node,
                    m.state.name,
                    m.producer_id,
                    m.producer_epoch,
                    m.txn_timeout_ms,
                    m.txn_start_timestamp if m.txn_start_timestamp >= 0 else None,
                    tuple(TopicPartition(t, p) for t, p in m.sorted_partitions()),
                )
            )
        return out

    def list_transactions(
        self,
        states: list[str] | None = None,
        producer_ids: list[int] | None = None,
        duration_filter_ms: int = -1,
    ) -> Future:
        rows = self._cluster.list_transactions(
            states, producer_ids, duration_filter_ms, client_id=self._client_id
        )
        return _future([TransactionListing(tid, pid, state) for tid, pid, state in rows])

    def describe_producers(self, partitions: list[TopicPartition]) -> dict[TopicPartition, Future]:
        out = {}
        for tp in partitions:
            error, rows = self._cluster.describe_producers(
                tp.topic, tp.partition, client_id=self._client_id
            )
            if error:
                out[tp] = _future(error=KafkaError(int(error)))
                continue
            out[tp] = _future(
                [
                    ProducerState(
                        pid,
                        epoch,
                        last_seq,
                        last_ts,
                        coordinator_epoch if coordinator_epoch >= 0 else None,
                        start,
                    )
                    for pid, epoch, last_seq, last_ts, coordinator_epoch, start in rows
                ]
            )
        return out

    def abort_transaction(self, spec: AbortTransactionSpec) -> Future:
        """Admin.abortTransaction: an ABORT marker written straight to the partition leader,
        for a hanging transaction no coordinator will ever finish (reference §8)."""
        tp = spec.topic_partition
        error = self._cluster.write_txn_markers(
            tp.topic,
            tp.partition,
            spec.producer_id,
            spec.producer_epoch,
            committed=False,
            coordinator_epoch=max(spec.coordinator_epoch, 0),
            client_id=self._client_id,
        )
        return _future(error=KafkaError(int(error)) if error else None)


__all__ = [
    "AdminClient",
    "ClusterMetadata",
    "Errors",
    "IsolationLevel",
    "ListOffsetsResultInfo",
    "NewTopic",
    "OffsetSpec",
    "TopicMetadata",
]
