"""Internal topics' replication factor: Kafka's default 3, or every broker of a smaller cluster.

Kafka: `transaction.state.log.replication.factor` and `offsets.topic.replication.factor`
default to 3 (TransactionLogConfig, GroupCoordinatorConfig); a broker short of that many answers
COORDINATOR_NOT_AVAILABLE, so one-broker set-ups configure 1. eoslab's brokers are all alive
from the start, so it takes min(configured, brokers).
"""

from __future__ import annotations

import pytest

from eoslab.broker import Cluster


@pytest.mark.parametrize(("brokers", "rf"), [(1, 1), (2, 2), (3, 3), (5, 3)])
def test_internal_topics_take_min_of_three_and_the_broker_count(brokers: int, rf: int) -> None:
    cluster = Cluster(brokers)
    cluster.find_coordinator("tx", "transaction")
    cluster.find_coordinator("g", "group")
    assert cluster.topics["__transaction_state"].replication_factor == rf
    assert cluster.topics["__consumer_offsets"].replication_factor == rf
    assert [
        line.split(" -> ")[-1] for line in cluster.journal.lines() if "created topic" in line
    ] == [
        f"created topic __transaction_state (50 partitions, RF {rf})",
        f"created topic __consumer_offsets (50 partitions, RF {rf})",
    ]


def test_a_configured_replication_factor_is_taken_up_to_the_broker_count() -> None:
    cluster = Cluster(
        5,
        config={
            "transaction.state.log.replication.factor": 4,
            "offsets.topic.replication.factor": 1,
        },
    )
    cluster.find_coordinator("tx", "transaction")
    cluster.find_coordinator("g", "group")
    assert cluster.topics["__transaction_state"].replication_factor == 4
    assert cluster.topics["__consumer_offsets"].replication_factor == 1
    small = Cluster(2, config={"transaction.state.log.replication.factor": 3})
    small.find_coordinator("tx", "transaction")
    assert small.topics["__transaction_state"].replication_factor == 2
