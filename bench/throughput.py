"""Transactional produce and read_committed consume: eoslab in-process vs librdkafka's mock cluster.

One workload function, `workload(kafka, bootstrap, topics)`, runs unchanged against `eoslab.client`
and against `confluent_kafka` pointed at librdkafka's built-in mock cluster (which listens on
127.0.0.1 only). A transactional producer commits N transactions of 100 records of 100 bytes; then a
read_committed consumer, assigned partition 0 of each topic from the beginning, reads them all.

The records are spread over a few topics, 40,000 to each partition 0, because the mock keeps at
most 5 MiB (and 100,000 message sets) per partition and silently drops the head of a longer log
(rd_kafka_mock_partition_init: max_size, max_cnt). Transaction i goes to topic i*K//N, so every
topic gets whole, consecutive transactions.

Target: eoslab's records/s >= 1.0x the mock's, for produce and for consume.

    python -m bench.throughput [--records 200000] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from . import Target, eoslab_hotspots, summary, table

TOPIC_PREFIX = "bench-throughput"
RECORDS = 200_000
RECORDS_PER_TOPIC = 40_000  # under the mock's 5 MiB per partition, with room to spare
RECORDS_PER_TXN = 100
RECORD_SIZE = 100
TIMEOUT_S = 10.0  # every blocking call (metadata, init, commit, flush) is bounded by this
CONSUME_TIMEOUT_S = 1.0
MAX_EMPTY_POLLS = 5  # the consumer gives up after this many empty consume() calls in all
MAX_ERROR_EVENTS = 100
TARGET = 1.0


@dataclass(frozen=True)
class WorkloadResult:
    produced: int  # delivery reports without error
    delivery_errors: int
    produce_s: float
    consumed: int  # committed records read back, of the right size
    consume_errors: int
    consume_s: float

    @property
    def produce_rate(self) -> float:
        return self.produced / self.produce_s

    @property
    def consume_rate(self) -> float:
        return self.consumed / self.consume_s


def topics_for(records: int) -> list[str]:
    count = max(1, -(-records // RECORDS_PER_TOPIC))
    return [f"{TOPIC_PREFIX}-{i}" for i in range(count)]


def workload(
    kafka: ModuleType,
    bootstrap: str,
    topics: list[str],
    *,
    transactions: int,
    records_per_txn: int = RECORDS_PER_TXN,
    record_size: int = RECORD_SIZE,
    transactional_id: str = "bench-throughput",
) -> WorkloadResult:
    """The benchmark, written once: `kafka` is `eoslab.client` or `confluent_kafka`."""
    value = b"v" * record_size
    delivered = failed = 0

    def on_delivery(err: object, msg: object) -> None:
        nonlocal delivered, failed
        if err is None:
            delivered += 1
        else:
            failed += 1

    producer = kafka.Producer(
        {
            "bootstrap.servers": bootstrap,
            "transactional.id": transactional_id,
            "on_delivery": on_delivery,
        }
    )
    for topic in topics:
        metadata = producer.list_topics(topic, timeout=TIMEOUT_S)
        if topic not in metadata.topics or 0 not in metadata.topics[topic].partitions:
            raise RuntimeError(f"topic {topic} has no partition 0 at {bootstrap}")
    producer.init_transactions(TIMEOUT_S)

    start = time.perf_counter()
    for i in range(transactions):
        topic = topics[i * len(topics) // transactions]
        producer.begin_transaction()
        for _ in range(records_per_txn):
            producer.produce(topic, value, partition=0)
        producer.commit_transaction(TIMEOUT_S)
        producer.poll(0)  # serve delivery reports, as an application's loop would
    produce_s = time.perf_counter() - start
    producer.flush(TIMEOUT_S)
    del producer

    consumer = kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "bench-throughput",
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    expected = transactions * records_per_txn
    consumed = errors = empty = 0
    start = time.perf_counter()
    consumer.assign([kafka.TopicPartition(t, 0, kafka.OFFSET_BEGINNING) for t in topics])
    while consumed < expected and empty < MAX_EMPTY_POLLS and errors < MAX_ERROR_EVENTS:
        # Never ask for more than is left: librdkafka would wait out the timeout for the rest.
        messages = consumer.consume(min(1000, expected - consumed), CONSUME_TIMEOUT_S)
        if not messages:
            empty += 1
            continue
        for message in messages:
            if message.error() is not None:
                errors += 1
            elif len(message.value()) == record_size:
                consumed += 1
            else:
                errors += 1
    consume_s = time.perf_counter() - start
    consumer.close()
    return WorkloadResult(delivered, failed, produce_s, consumed, errors, consume_s)


# -- the two sides -----------------------------------------------------------------------------------
def run_eoslab(records: int) -> WorkloadResult:
    import eoslab.client
    from eoslab import Cluster

    topics = topics_for(records)
    cluster = Cluster()
    cluster.create_topics([(t, 1, 1) for t in topics])
    try:
        return workload(
            eoslab.client,
            cluster.bootstrap_servers,
            topics,
            transactions=records // RECORDS_PER_TXN,
        )
    finally:
        del cluster
        gc.collect()


@contextlib.contextmanager
def mock_cluster() -> Iterator[str]:
    """librdkafka's mock cluster, alive while the throwaway producer that owns it is.

    Its bootstrap servers come from the owner's own metadata; they must be on 127.0.0.1. Topics
    are created on first use (the producer's metadata request), partition 0 included.
    """
    import confluent_kafka

    owner = confluent_kafka.Producer({"test.mock.num.brokers": 1, "log_level": 4})
    try:
        metadata = owner.list_topics(timeout=TIMEOUT_S)
        brokers = list(metadata.brokers.values())
        if not brokers or any(b.host != "127.0.0.1" for b in brokers):
            raise RuntimeError(f"mock cluster is not on 127.0.0.1 only: {brokers}")
        yield ",".join(f"{b.host}:{b.port}" for b in brokers)
    finally:
        del owner  # destroys the mock cluster; every client of it is gone by now


def run_mock(records: int) -> WorkloadResult:
    import confluent_kafka

    with mock_cluster() as bootstrap:
        return workload(
            confluent_kafka,
            bootstrap,
            topics_for(records),
            transactions=records // RECORDS_PER_TXN,
        )


def confluent_version() -> str | None:
    try:
        import confluent_kafka
    except ImportError:
        return None
    return f"confluent_kafka {confluent_kafka.version()[0]}, librdkafka {confluent_kafka.libversion()[0]}"


# -- the benchmark -----------------------------------------------------------------------------------
def _check(name: str, result: WorkloadResult, records: int) -> None:
    if result.produced != records or result.delivery_errors:
        raise RuntimeError(f"{name}: {result.produced}/{records} delivered, {result} ")
    if result.consumed != records or result.consume_errors:
        raise RuntimeError(f"{name}: read {result.consumed}/{records}, {result}")


def run(records: int = RECORDS, profile: bool | None = None) -> list[Target]:
    """Print the throughput table; `profile`: True always, None on a miss, False never."""
    records -= records % RECORDS_PER_TXN
    txns = records // RECORDS_PER_TXN
    print(
        f"== throughput: {txns:,} transactions x {RECORDS_PER_TXN} records x {RECORD_SIZE} B "
        f"= {records:,} records over {len(topics_for(records))} topics, "
        "then one read_committed consumer"
    )
    version = confluent_version()
    eos = run_eoslab(records)
    _check("eoslab", eos, records)
    mock = None
    if version is None:
        print("confluent_kafka is not installed (pip install confluent-kafka): mock side skipped")
    else:
        mock = run_mock(records)
        _check("mock", mock, records)
    rows = [
        ("eoslab (in-process)", eos.produce_s, eos.produce_rate, eos.consume_s, eos.consume_rate)
    ]
    if mock is not None:
        rows.append(
            (
                "librdkafka mock",
                mock.produce_s,
                mock.produce_rate,
                mock.consume_s,
                mock.consume_rate,
            )
        )
        rows.append(
            (
                "ratio eoslab/mock",
                "",
                f"{eos.produce_rate / mock.produce_rate:.2f}x",
                "",
                f"{eos.consume_rate / mock.consume_rate:.2f}x",
            )
        )
    print(table(["side", "produce s", "produce rec/s", "consume s", "consume rec/s"], rows))
    if version:
        print(f"mock side: {version}, 1 mock broker on 127.0.0.1")
    print(f"target: eoslab >= {TARGET:g}x the mock, for produce and for consume (records/s)")
    targets = [
        Target(
            "throughput produce (eoslab/mock records/s)",
            None if mock is None else eos.produce_rate / mock.produce_rate,
            TARGET,
            at_least=True,
        ),
        Target(
            "throughput consume (eoslab/mock records/s)",
            None if mock is None else eos.consume_rate / mock.consume_rate,
            TARGET,
            at_least=True,
        ),
    ]
    if profile or (profile is None and any(t.status == "MISS" for t in targets)):
        print(f"\neoslab hotspots, the whole workload at {records:,} records:")
        print(eoslab_hotspots(lambda: run_eoslab(records)))
    return targets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__)
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--profile", action="store_true", help="profile eoslab's side too")
    args = parser.parse_args(argv)
    targets = run(args.records, profile=True if args.profile else None)
    print()
    print(summary(targets))


if __name__ == "__main__":
    main()
