"""Transactional produce and read_committed consume: eoslab in-process vs librdkafka's mock cluster.

One workload function, `workload(kafka, bootstrap, topics)`, runs unchanged against `eoslab.client`
and against `confluent_kafka` pointed at librdkafka's built-in mock cluster (which listens on
127.0.0.1 only). A transactional producer commits N transactions of 100 records of 100 bytes; then a
read_committed consumer, assigned partition 0 of each topic from the beginning, reads them all.

The records are spread over a few topics, 40,000 to each partition 0, because the mock keeps at
most 5 MiB (and 100,000 message sets) per partition and silently drops the head of a longer log
(rd_kafka_mock_partition_init: max_size, max_cnt). Transaction i goes to topic i*K//N, so every
topic gets whole, consecutive transactions.

Beside this phased run, a produce->commit->consume loop: one transaction of 100 records is
produced and committed, then the read_committed consumer (already assigned) reads those 100 back
before the next transaction starts; this is the latency an application's loop sees. Both sides
set fetch.wait.max.ms=10 there: librdkafka's default 500 ms long poll would otherwise be the whole
figure.

The sides run interleaved (eoslab, mock, eoslab, mock, ...), one warm-up round excluded, and every
figure is the median of the per-pair ratios (bench.paired); the table also shows their range.

Targets (eoslab/mock, median of >= 5 pairs; docs/benchmarks.md says why):
- produce records/s >= 1.0x;
- steady-state consume (records/s after the first batch) >= 1.0x;
- end-to-end (records / (produce + consume time), the first-fetch latency included) >= 1.5x;
- the produce->commit->consume loop, records/s >= 1.5x.
The whole consume phase (first batch included) is shown for information.

    python -m bench.throughput [--records 200000] [--pairs 5] [--loop-transactions 100]
                               [--profile] [--check]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from . import PAIRS, WARMUP, Hotspots, Ratios, Target, finish, interleave, median_of, table

TOPIC_PREFIX = "bench-throughput"
RECORDS = 200_000
RECORDS_PER_TOPIC = 40_000  # under the mock's 5 MiB per partition, with room to spare
RECORDS_PER_TXN = 100
RECORD_SIZE = 100
TIMEOUT_S = 5.0  # every blocking call (metadata, init, commit, flush) is bounded by this
CONSUME_TIMEOUT_S = 1.0
MAX_EMPTY_POLLS = 5  # the consumer gives up after this many empty consume() calls in all
MAX_ERROR_EVENTS = 100
LOOP_TRANSACTIONS = 100
LOOP_FETCH_WAIT_MS = 10  # fetch.wait.max.ms for the loop's consumer, on both sides
PRODUCE_TARGET = STEADY_TARGET = 1.0
END_TO_END_TARGET = LOOP_TARGET = 1.5


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
    def end_to_end_rate(self) -> float:
        """Records read back / (produce phase + consume phase)."""
        return self.consumed / (self.produce_s + self.consume_s)

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


def loop_workload(
    kafka: ModuleType,
    bootstrap: str,
    topic: str,
    *,
    transactions: int,
    records_per_txn: int = RECORDS_PER_TXN,
    record_size: int = RECORD_SIZE,
) -> float:
    """Produce and commit one transaction, read it back read_committed, repeat; records/s.

    Written once for `eoslab.client` and `confluent_kafka`, as `workload` is."""
    value = b"v" * record_size
    producer = kafka.Producer({"bootstrap.servers": bootstrap, "transactional.id": "bench-loop"})
    metadata = producer.list_topics(topic, timeout=TIMEOUT_S)
    if topic not in metadata.topics or 0 not in metadata.topics[topic].partitions:
        raise RuntimeError(f"topic {topic} has no partition 0 at {bootstrap}")
    producer.init_transactions(TIMEOUT_S)
    consumer = kafka.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "bench-loop",
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "fetch.wait.max.ms": LOOP_FETCH_WAIT_MS,
        }
    )
    consumer.assign([kafka.TopicPartition(topic, 0, kafka.OFFSET_BEGINNING)])
    read = 0
    start = time.perf_counter()
    for i in range(transactions):
        producer.begin_transaction()
        for _ in range(records_per_txn):
            producer.produce(topic, value, partition=0)
        producer.commit_transaction(TIMEOUT_S)
        producer.poll(0)
        wanted, empty = (i + 1) * records_per_txn, 0
        while read < wanted:
            messages = consumer.consume(wanted - read, CONSUME_TIMEOUT_S)
            if not messages:
                empty += 1
                if empty >= MAX_EMPTY_POLLS:
                    raise RuntimeError(f"loop: read {read} of {wanted} records")
            for message in messages:
                if message.error() is not None or len(message.value()) != record_size:
                    raise RuntimeError(f"loop: bad message {message.error()}")
                read += 1
    seconds = time.perf_counter() - start
    consumer.close()
    del producer
    return read / seconds


def run_eoslab_loop(transactions: int) -> float:
    import eoslab.client
    from eoslab import Cluster

    cluster = Cluster()
    topic = f"{TOPIC_PREFIX}-loop"
    cluster.create_topics([(topic, 1, 1)])
    return loop_workload(eoslab.client, cluster.bootstrap_servers, topic, transactions=transactions)


def run_mock_loop(transactions: int) -> float:
    import confluent_kafka

    with mock_cluster() as bootstrap:
        topic = f"{TOPIC_PREFIX}-loop"
        return loop_workload(confluent_kafka, bootstrap, topic, transactions=transactions)


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
def _check(name: str, result: WorkloadResult, records: int) -> WorkloadResult:
    if result.produced != records or result.delivery_errors:
        raise RuntimeError(f"{name}: {result.produced}/{records} delivered, {result} ")
    if result.consumed != records or result.consume_errors:
        raise RuntimeError(f"{name}: read {result.consumed}/{records}, {result}")
    return result


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
    records: int = RECORDS,
    pairs: int = PAIRS,
    loop_transactions: int = LOOP_TRANSACTIONS,
    profile: bool | None = None,
) -> list[Target]:
    """Print the throughput tables; `profile`: True always, None on a miss, False never."""
    records = max(RECORDS_PER_TXN, records - records % RECORDS_PER_TXN)
    txns = records // RECORDS_PER_TXN
    topics = topics_for(records)
    print(
        f"== throughput: {txns:,} transactions x {RECORDS_PER_TXN} records x {RECORD_SIZE} B "
        f"= {records:,} records into partition 0 of {len(topics)} topic(s), then one "
        f"read_committed consumer reads them all; and a produce->commit->consume loop of "
        f"{loop_transactions} transactions. Sides interleaved, {WARMUP} warm-up round excluded, "
        f"median of {pairs} pairs"
    )
    version = confluent_version()
    if version is None:
        print("confluent_kafka is not installed (pip install confluent-kafka): mock side skipped")
        eos = _check("eoslab", run_eoslab(records), records)
        rounds = [{"eoslab": eos, "eoslab loop": run_eoslab_loop(loop_transactions)}]
    else:
        rounds = interleave(
            {
                "eoslab": lambda: _check("eoslab", run_eoslab(records), records),
                "mock": lambda: _check("mock", run_mock(records), records),
                "eoslab loop": lambda: run_eoslab_loop(loop_transactions),
                "mock loop": lambda: run_mock_loop(loop_transactions),
            },
            pairs,
        )
    sides = ["eoslab", "mock"] if version else ["eoslab"]

    def row(side: str) -> tuple[object, ...]:
        def med(figure: Callable[[WorkloadResult], float]) -> float:
            return median_of(rounds, lambda r: figure(r[side]))

        return (
            side,
            med(lambda w: w.produce_rate),
            med(lambda w: w.consume_rate),
            med(lambda w: w.first_batch_s),
            med(lambda w: w.steady_consume_rate),
            med(lambda w: w.end_to_end_rate),
            median_of(rounds, lambda r: r[f"{side} loop"]),
        )

    figures: dict[str, Callable[[WorkloadResult], float]] = {
        "produce": lambda w: w.produce_rate,
        "consume": lambda w: w.consume_rate,
        "steady": lambda w: w.steady_consume_rate,
        "end-to-end": lambda w: w.end_to_end_rate,
    }
    ratios: dict[str, Ratios] = {}
    if version:
        for name, figure in figures.items():
            ratios[name] = Ratios.of(
                rounds,
                lambda r, f=figure: f(r["eoslab"]) / f(r["mock"]),  # type: ignore[misc]
            )
        ratios["loop"] = Ratios.of(rounds, lambda r: r["eoslab loop"] / r["mock loop"])
    rows: list[tuple[object, ...]] = [row(side) for side in sides]
    if ratios:
        rows.append(
            (
                "eoslab/mock, median of pairs",
                f"{ratios['produce'].median:.2f}x",
                f"{ratios['consume'].median:.2f}x",
                "",
                f"{ratios['steady'].median:.2f}x",
                f"{ratios['end-to-end'].median:.2f}x",
                f"{ratios['loop'].median:.2f}x",
            )
        )
        rows.append(
            (
                "  lowest pair",
                *(
                    f"{ratios[n].low:.2f}x" if n else ""
                    for n in ("produce", "consume", "", "steady", "end-to-end", "loop")
                ),
            )
        )
    headers = ["side (median of runs)", "produce rec/s", "consume rec/s", "1st batch s"]
    print(table([*headers, "rec/s after 1st", "end-to-end rec/s", "loop rec/s"], rows))
    if version:
        print(f"mock: {version}, test.mock.num.brokers=1 on 127.0.0.1")
    print(
        "consume rec/s: the whole phase, from assign() to the last record (information); "
        "loop: fetch.wait.max.ms="
        f"{LOOP_FETCH_WAIT_MS} on both sides"
    )

    def target(name: str, key: str, limit: float) -> Target:
        return Target.paired(name, ratios.get(key), limit, at_least=True)

    targets = [
        target("throughput produce, eoslab/mock records/s", "produce", PRODUCE_TARGET),
        target("throughput consume after 1st batch, eoslab/mock", "steady", STEADY_TARGET),
        target("throughput end-to-end, eoslab/mock records/s", "end-to-end", END_TO_END_TARGET),
        target("produce->commit->consume loop, eoslab/mock", "loop", LOOP_TARGET),
    ]
    missed = [
        phase
        for phase, t in zip(("produce", "consume", "consume"), targets, strict=False)
        if profile or (profile is None and t.status == "MISS")
    ]
    if missed:
        profile_eoslab(records, sorted(set(missed), key=missed.index))
    return targets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.throughput",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--records", type=int, default=RECORDS)
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--loop-transactions", type=int, default=LOOP_TRANSACTIONS)
    parser.add_argument(
        "--profile", action="store_true", help="profile eoslab's phases even on a PASS"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    targets = run(
        args.records,
        args.pairs,
        args.loop_transactions,
        profile=True if args.profile else None,
    )
    finish(targets, args.check)


if __name__ == "__main__":
    main()
