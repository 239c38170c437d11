"""Kafka's internal topics: the coordinators' logs, which clients may read but never write."""

from __future__ import annotations

TRANSACTION_STATE_TOPIC = "__transaction_state"  # TransactionStateManager's log
CONSUMER_OFFSETS_TOPIC = "__consumer_offsets"  # GroupCoordinator's log: offsets and groups
INTERNAL_TOPICS = frozenset({TRANSACTION_STATE_TOPIC, CONSUMER_OFFSETS_TOPIC})
