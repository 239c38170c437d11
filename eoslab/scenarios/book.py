"""The book's §5.4/§6.5 run (실전 카프카, peter-test05): two producer runs, one read_committed reader.

Run 1 writes its record at offset 0 and the COMMIT marker at 1; run 2, a new producer process, bumps
the epoch to 1 and lands at offset 2. The consumer therefore prints offsets 0 and 2.
"""

from __future__ import annotations

from ..broker import Cluster
from ..client import Consumer, Producer, TopicPartition

TOPIC = "peter-test05"
TRANSACTIONAL_ID = "peter-transaction-01"
GROUP_ID = "peter-consumer-01"
VALUE = "Apache Kafka is a distributed streaming platform - 0"


def exactly_once_producer_run(cluster: Cluster) -> Producer:
    """ExactlyOnceProducer.java in Python: init, begin, one record, commit."""
    producer = Producer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "enable.idempotence": True,
            "acks": "all",
            "max.in.flight.requests.per.connection": 5,
            "retries": 5,
            "transactional.id": TRANSACTIONAL_ID,
        }
    )
    producer.init_transactions()
    producer.begin_transaction()
    producer.produce(TOPIC, value=VALUE)
    producer.flush()
    producer.commit_transaction()
    return producer


def peter_test05(cluster: Cluster | None = None) -> tuple[Cluster, list[int]]:
    """Both producer runs, then the read_committed consumer; returns the offsets it printed."""
    cluster = cluster or Cluster(brokers=3)
    cluster.create_topics([(TOPIC, 1, 3)])
    exactly_once_producer_run(cluster)
    exactly_once_producer_run(cluster)
    consumer = Consumer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "group.id": GROUP_ID,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    consumer.assign([TopicPartition(TOPIC, 0)])
    printed = [m.offset() for m in consumer.consume(100, 1.0) if m.error() is None]
    consumer.close()
    return cluster, printed
