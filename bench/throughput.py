"""Transactional produce and read_committed consume: eoslab in-process vs librdkafka's mock cluster.

One workload function, `workload(kafka, bootstrap, topics)`, runs unchanged against `eoslab.client`
and against `confluent_kafka` pointed at librdkafka's built-in mock cluster (which listens on
127.0.0.1 only). A transactional producer commits N transactions of 100 records of 100 bytes; then a
read_committed consumer, assigned partition 0 of each topic from the beginning, reads them all.

The records are spread over a few topics, 40,000 to each partition 0, because the mock keeps at
most 5 MiB (and 100,000 message sets) per partition and silently drops the head of a longer log
(rd_kafka_mock_partition_init: max_size, max_cnt). Transaction i goes to topic i*K//N, so every
topic gets whole, consecutive transactions.

Target: eoslab's records/s >= 1.0x the mock's, for produce and for consume, each over its whole
timed phase. A fresh librdkafka consumer spends about 0.5 s before its first fetch (it is not the
mock's doing: the ListOffsets goes out ~0.45 s after connecting), so the mock's consume rate is
mostly that latency at this size; the table also shows time to the first batch and the rate after
it, for information.

    python -m bench.throughput [--records 200000] [--repeats 3] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from . import Hotspots, Target, summary, table

TOPIC_PREFIX = "bench-throughput"
RECORDS = 200_000
RECORDS_PER_TOPIC = 40_000  # under the mock's 5 MiB per partition, with room to spare
RECORDS_PER_TXN = 100
RECORD_SIZE = 100
TIMEOUT_S = 5.0  # every blocking call (metadata, init, commit, flush) is bounded by this
CONSUME_TIMEOUT_S = 1.0
MAX_EMPTY_POLLS = 5  # the consumer gives up after this many empty consume() calls in all
MAX_ERROR_EVENTS = 100
REPEATS = 3
TARGET = 1.0


@dataclass(frozen=True)
class WorkloadResult:
    produced: int  # delivery reports without error
    delivery_errors: int
    produce_s: float
    consumed: int  # committed records read back, of the right size
    consume_errors: int
    consume_s: float
    first_batch_s: float  # from assign() to the end of the first non-empty consume()
    first_batch_records: int

    @property
    def steady_consume_rate(self) -> float:
        """Records/s after the first batch: the consume rate without the start-up latency."""
        later = self.consumed - self.first_batch_records
        return later / max(self.consume_s - self.first_batch_s, 1e-9)

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
    on_phase: Callable[[str, bool], None] | None = None,
) -> WorkloadResult:
    """The benchmark, written once: `kafka` is `eoslab.client` or `confluent_kafka`.

    `on_phase(name, started)` brackets the timed "produce" and "consume" phases (for profiling).
    """
    phase = on_phase or (lambda name, started: None)
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

    phase("produce", True)
    start = time.perf_counter()
    for i in range(transactions):
        topic = topics[i * len(topics) // transactions]
        producer.begin_transaction()
        for _ in range(records_per_txn):
            producer.produce(topic, value, partition=0)
        producer.commit_transaction(TIMEOUT_S)
        producer.poll(0)  # serve delivery reports, as an application's loop would
    produce_s = time.perf_counter() - start
    phase("produce", False)
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
    first_batch_s = 0.0
    first_batch_records = 0
    phase("consume", True)
    start = time.perf_counter()
    consumer.assign([kafka.TopicPartition(t, 0, kafka.OFFSET_BEGINNING) for t in topics])
    while consumed < expected and empty < MAX_EMPTY_POLLS and errors < MAX_ERROR_EVENTS:
        # Never ask for more than is left: librdkafka would wait out the timeout for the rest.
        messages = consumer.consume(min(1000, expected - consumed), CONSUME_TIMEOUT_S)
        if not messages:
            empty += 1
            continue
        if not first_batch_s:
            first_batch_s = time.perf_counter() - start
            first_batch_records = len(messages)
        for message in messages:
            if message.error() is not None:
                errors += 1
            elif len(message.value()) == record_size:
                consumed += 1
            else:
                errors += 1
    consume_s = time.perf_counter() - start
    phase("consume", False)
    consumer.close()
    return WorkloadResult(
        delivered,
        failed,
        produce_s,
        consumed,
        errors,
        consume_s,
        first_batch_s,
        first_batch_records,
    )


# -- the two sides -----------------------------------------------------------------------------------
def run_eoslab(records: int, on_phase: Callable[[str, bool], None] | None = None) -> WorkloadResult:
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
            on_phase=on_phase,
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
    return f"confluent_kafka {confluent_kafka.__version__}, librdkafka {confluent_kafka.libversion()[0]}"


# -- the benchmark -----------------------------------------------------------------------------------
def _check(name: str, result: WorkloadResult, records: int) -> None:
    if result.produced != records or result.delivery_errors:
        raise RuntimeError(f"{name}: {result.produced}/{records} delivered, {result} ")
    if result.consumed != records or result.consume_errors:
        raise RuntimeError(f"{name}: read {result.consumed}/{records}, {result}")


def best(results: list[WorkloadResult]) -> WorkloadResult:
    """The best produce and the best consume phase of repeated runs (phases are timed apart)."""
    p = min(results, key=lambda r: r.produce_s)
    c = min(results, key=lambda r: r.consume_s)
    return WorkloadResult(
        p.produced,
        p.delivery_errors,
        p.produce_s,
        c.consumed,
        c.consume_errors,
        c.consume_s,
        c.first_batch_s,
        c.first_batch_records,
    )


def profile_eoslab(records: int, phases: list[str]) -> None:
    """cProfile eoslab's side, one table per phase (each profiled only while it runs)."""
    spots = {name: Hotspots() for name in phases}

    def on_phase(name: str, started: bool) -> None:
        if name in spots:
            (spots[name].start if started else spots[name].stop)()

    run_eoslab(records, on_phase)
    for name, hotspots in spots.items():
        print(f"\neoslab hotspots, {name} phase at {records:,} records:")
        print(hotspots.table())


def run(
    records: int = RECORDS, repeats: int = REPEATS, profile: bool | None = None
) -> list[Target]:
    """Print the throughput table; `profile`: True always, None on a miss, False never."""
    records = max(RECORDS_PER_TXN, records - records % RECORDS_PER_TXN)
    txns = records // RECORDS_PER_TXN
    topics = topics_for(records)
    print(
        f"== throughput: {txns:,} transactions x {RECORDS_PER_TXN} records x {RECORD_SIZE} B "
        f"= {records:,} records into partition 0 of {len(topics)} topic(s), then one "
        f"read_committed consumer reads them all; best of {repeats} runs per side"
    )
    version = confluent_version()
    eos_runs = []
    for _ in range(repeats):
        eos_runs.append(run_eoslab(records))
        _check("eoslab", eos_runs[-1], records)
    eos = best(eos_runs)
    mock = None
    if version is None:
        print("confluent_kafka is not installed (pip install confluent-kafka): mock side skipped")
    else:
        mock_runs = []
        for _ in range(repeats):
            mock_runs.append(run_mock(records))
            _check("mock", mock_runs[-1], records)
        mock = best(mock_runs)

    def row(name: str, r: WorkloadResult) -> tuple[object, ...]:
        return (
            name,
            r.produce_s,
            r.produce_rate,
            r.consume_s,
            r.consume_rate,
            r.first_batch_s,
            r.steady_consume_rate,
        )

    rows = [row("eoslab (in-process)", eos)]
    produce_ratio = consume_ratio = None
    if mock is not None:
        produce_ratio = eos.produce_rate / mock.produce_rate
        consume_ratio = eos.consume_rate / mock.consume_rate
        steady_ratio = eos.steady_consume_rate / mock.steady_consume_rate
        rows.append(row("librdkafka mock", mock))
        rows.append(
            (
                "ratio eoslab/mock",
                "",
                f"{produce_ratio:.2f}x",
                "",
                f"{consume_ratio:.2f}x",
                "",
                f"{steady_ratio:.2f}x",
            )
        )
    headers = ["side", "produce s", "produce rec/s", "consume s", "consume rec/s"]
    print(table([*headers, "1st batch s", "rec/s after 1st"], rows))
    if version:
        print(f"mock: {version}, test.mock.num.brokers=1 on 127.0.0.1")
    print(
        f"target: eoslab >= {TARGET:g}x the mock's records/s, for produce and for consume "
        "(whole phase, 1st batch included; 'rec/s after 1st' is for information)"
    )
    targets = [
        Target("throughput produce, eoslab/mock records/s", produce_ratio, TARGET, at_least=True),
        Target("throughput consume, eoslab/mock records/s", consume_ratio, TARGET, at_least=True),
    ]
    missed = [
        phase
        for phase, target in zip(("produce", "consume"), targets, strict=True)
        if profile or (profile is None and target.status == "MISS")
    ]
    if missed:
        profile_eoslab(records, missed)
    return targets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.throughput",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument(
        "--profile", action="store_true", help="profile eoslab's phases even on a PASS"
    )
    args = parser.parse_args(argv)
    targets = run(args.records, args.repeats, profile=True if args.profile else None)
    print()
    print(summary(targets))


if __name__ == "__main__":
    main()
