"""confluent_kafka's API over the embedded cluster: change one import to run against real Kafka."""

from .._lazy import lazy_exports

__all__ = lazy_exports(
    __name__,
    {
        ".admin": ["AdminClient", "IsolationLevel", "NewTopic", "OffsetSpec"],
        ".admin_results": [
            "AbortTransactionSpec",
            "ConsumerGroupDescription",
            "ConsumerGroupListing",
            "ConsumerGroupState",
            "ConsumerGroupTopicPartitions",
            "ListConsumerGroupsResult",
            "MemberAssignment",
            "MemberDescription",
            "Node",
            "ProducerState",
            "TransactionDescription",
            "TransactionListing",
        ],
        ".consumer": ["Consumer"],
        ".errors": ["KafkaError", "KafkaException"],
        ".group_membership": ["ConsumerGroupMetadata"],
        ".history": ["History", "Op", "history_of", "record_history"],
        ".message": [
            "OFFSET_BEGINNING",
            "OFFSET_END",
            "OFFSET_INVALID",
            "OFFSET_STORED",
            "TIMESTAMP_CREATE_TIME",
            "TIMESTAMP_LOG_APPEND_TIME",
            "TIMESTAMP_NOT_AVAILABLE",
            "Message",
            "TopicPartition",
        ],
        ".producer": ["Producer"],
    },
)
