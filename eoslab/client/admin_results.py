"""Result types of the AdminClient's group and transaction calls.

Group types have confluent_kafka's names and fields. confluent_kafka has no transaction admin API;
those types follow Kafka's Java Admin API (TransactionDescription, TransactionListing,
ProducerState, AbortTransactionSpec), which `kafka-transactions.sh` is built on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .message import TopicPartition


class ConsumerGroupState(Enum):
    """librdkafka's rd_kafka_consumer_group_state_t."""

    UNKNOWN = 0
    PREPARING_REBALANCING = 1
    COMPLETING_REBALANCING = 2
    STABLE = 3
    DEAD = 4
    EMPTY = 5

    @classmethod
    def of(cls, broker_state: str) -> ConsumerGroupState:
        return {
            "PreparingRebalance": cls.PREPARING_REBALANCING,
            "CompletingRebalance": cls.COMPLETING_REBALANCING,
            "Stable": cls.STABLE,
            "Dead": cls.DEAD,
            "Empty": cls.EMPTY,
        }.get(broker_state, cls.UNKNOWN)


@dataclass(frozen=True)
class Node:
    id: int
    host: str
    port: int
    rack: str | None = None


@dataclass
class ConsumerGroupListing:
    group_id: str
    is_simple_consumer_group: bool
    state: ConsumerGroupState | None = None


@dataclass
class ListConsumerGroupsResult:
    valid: list[ConsumerGroupListing] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)


@dataclass
class MemberAssignment:
    topic_partitions: list[TopicPartition] = field(default_factory=list)


@dataclass
class MemberDescription:
    member_id: str
    client_id: str
    host: str
    assignment: MemberAssignment
    group_instance_id: str | None = None


@dataclass
class ConsumerGroupDescription:
    group_id: str
    is_simple_consumer_group: bool
    members: list[MemberDescription]
    partition_assignor: str
    state: ConsumerGroupState
    coordinator: Node


@dataclass
class ConsumerGroupTopicPartitions:
    group_id: str
    topic_partitions: list[TopicPartition] | None = None


@dataclass(frozen=True)
class TransactionDescription:
    """`kafka-transactions.sh describe`: the coordinator's view of one transactional id."""

    coordinator_id: int
    state: str
    producer_id: int
    producer_epoch: int
    transaction_timeout_ms: int
    transaction_start_time_ms: int | None
    topic_partitions: tuple[TopicPartition, ...]


@dataclass(frozen=True)
class TransactionListing:
    transactional_id: str
    producer_id: int
    state: str


@dataclass(frozen=True)
class ProducerState:
    """`kafka-transactions.sh describe-producers`: one producer as a partition leader sees it."""

    producer_id: int
    producer_epoch: int
    last_sequence: int
    last_timestamp: int
    coordinator_epoch: int | None
    current_transaction_start_offset: int | None


@dataclass(frozen=True)
class AbortTransactionSpec:
    """What Admin.abortTransaction needs to write an ABORT marker straight to a partition."""

    topic_partition: TopicPartition
    producer_id: int
    producer_epoch: int
    coordinator_epoch: int
