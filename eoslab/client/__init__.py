"""confluent_kafka's API over the embedded cluster: change one import to run against real Kafka."""

from .admin import AdminClient, IsolationLevel, NewTopic, OffsetSpec
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
from .consumer import Consumer
from .errors import KafkaError, KafkaException
from .group_membership import ConsumerGroupMetadata
from .history import History, Op, history_of, record_history
from .message import (
    OFFSET_BEGINNING,
    OFFSET_END,
    OFFSET_INVALID,
    OFFSET_STORED,
    TIMESTAMP_CREATE_TIME,
    TIMESTAMP_LOG_APPEND_TIME,
    TIMESTAMP_NOT_AVAILABLE,
    Message,
    TopicPartition,
)
from .producer import Producer

__all__ = [
    "OFFSET_BEGINNING",
    "OFFSET_END",
    "OFFSET_INVALID",
    "OFFSET_STORED",
    "TIMESTAMP_CREATE_TIME",
    "TIMESTAMP_LOG_APPEND_TIME",
    "TIMESTAMP_NOT_AVAILABLE",
    "AbortTransactionSpec",
    "AdminClient",
    "Consumer",
    "ConsumerGroupDescription",
    "ConsumerGroupListing",
    "ConsumerGroupMetadata",
    "ConsumerGroupState",
    "ConsumerGroupTopicPartitions",
    "History",
    "IsolationLevel",
    "KafkaError",
    "KafkaException",
    "ListConsumerGroupsResult",
    "MemberAssignment",
    "MemberDescription",
    "Message",
    "NewTopic",
    "Node",
    "OffsetSpec",
    "Op",
    "Producer",
    "ProducerState",
    "TopicPartition",
    "TransactionDescription",
    "TransactionListing",
    "history_of",
    "record_history",
]
