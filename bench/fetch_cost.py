"""read_committed fetch cost per record, on a 10k-record and on a 1M-record partition (eoslab only).

Each log is built through the broker layer directly (InitProducerId, then per transaction
AddPartitionsToTxn, one Produce of a 100-record transactional batch, EndTxn), with every 100th
transaction aborted: 1% aborted data, one aborted-transaction index entry per 10,000 records. Then:

- consumer: a read_committed `eoslab.client.Consumer` assigned partition 0 from the beginning
  reads the whole partition (best of several fresh consumers);
- raw read: `Partition.read(offset, 1 MiB, READ_COMMITTED)` calls, offset to offset, over the whole
  partition. Warm passes (back to back, best of several samples) carry the target: they measure
  the read path itself. Shown for information: passes right after a full collection (cold
  caches: the 1M log is ~100x the CPU caches), and the very first pass over a log, which also
  computes and caches each batch's size.

Cost per record = time / data records in the log (10,000 or 1,000,000). Each timed run starts from
a collected heap, but the cyclic GC runs as usual during it: pauses that grow with the live heap
(the log is Python objects) are part of the cost. Their share is shown, and the cost without them.

Target: cost per record at 1M <= 1.5x the cost per record at 10k, for the consumer and raw reads.

    python -m bench.fetch_cost [--profile]
"""

from __future__ import annotations

import gc
import time

from eoslab import Cluster

from . import Hotspots, Target, Timed, best_of, cli, table, timed

TOPIC = "bench-fetch"
TRANSACTIONAL_ID = "bench-fetch"
RECORDS_PER_TXN = 100
RECORD_SIZE = 100
ABORT_EVERY = 100  # every 100th transaction is aborted: 1%
MAX_BYTES = 1_048_576  # the consumer's default fetch.message.max.bytes
SIZES = (10_000, 1_000_000)
# Repeats per size: consumer reads (best of), raw samples (best of) x warm passes in each sample.
REPEATS = {10_000: (25, 20, 50), 1_000_000: (3, 10, 5)}
MAX_EMPTY_POLLS = 3
TARGET = 1.5


def build_log(records: int) -> Cluster:
    """A cluster whose partition 0 holds `records` transactional records, 1% of them aborted."""
    from eoslab.broker import Record, RecordBatch

    cluster = Cluster()
    cluster.create_topics([(TOPIC, 1, 1)])
    init = cluster.init_producer_id(TRANSACTIONAL_ID, 60_000)
    if init.error:
        raise RuntimeError(f"InitProducerId: {init.error.name}")
    pid, epoch = init.producer_id, init.producer_epoch
    value = b"v" * RECORD_SIZE
    sequence = 0
    for i in range(records // RECORDS_PER_TXN):
        added = cluster.add_partitions_to_txn(TRANSACTIONAL_ID, pid, epoch, [(TOPIC, 0)])
        if any(added.values()):
            raise RuntimeError(f"AddPartitionsToTxn: {added}")
        batch = RecordBatch(
            [Record(j, 0, None, value) for j in range(RECORDS_PER_TXN)],
            pid,
            epoch,
            sequence,
            is_transactional=True,
        )
        response = cluster.produce(TOPIC, 0, batch, transactional_id=TRANSACTIONAL_ID)
        if response.error:
            raise RuntimeError(f"Produce: {response.error.name}")
        sequence += RECORDS_PER_TXN
        commit = (i + 1) % ABORT_EVERY != 0
        ended = cluster.end_txn(TRANSACTIONAL_ID, pid, epoch, commit)
        if ended:
            raise RuntimeError(f"EndTxn: {ended.name}")
    return cluster


def consumer_read(cluster: Cluster, expected: int) -> int:
    """Read the whole partition with a read_committed consumer; returns the records read."""
    import eoslab.client as kafka

    consumer = kafka.Consumer(
        {
            "bootstrap.servers": cluster.bootstrap_servers,
            "group.id": "bench-fetch",
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.assign([kafka.TopicPartition(TOPIC, 0, kafka.OFFSET_BEGINNING)])
    read = empty = 0
    while read < expected and empty < MAX_EMPTY_POLLS:
        messages = consumer.consume(min(1000, expected - read), 1.0)
        if not messages:
            empty += 1
            continue
        for message in messages:
            if message.error() is not None:
                raise RuntimeError(f"consumer error: {message.error()}")
            read += 1
    consumer.close()
    return read


def raw_read(cluster: Cluster) -> tuple[int, int]:
    """Partition.read over the whole partition; returns (read calls, data records returned)."""
    from eoslab.broker import READ_COMMITTED

    partition = cluster.partition(TOPIC, 0)
    end = partition.last_stable_offset
    offset = calls = records = 0
    while offset < end:
        result = partition.read(offset, MAX_BYTES, READ_COMMITTED)
        calls += 1
        if result.error or not result.batches:
            raise RuntimeError(f"read at {offset}: {result.error.name}, no batches")
        records += sum(len(b.records) for b in result.batches if not b.is_control)
        offset = result.batches[-1].next_offset
    return calls, records


class Measured:
    """One log size: build time, first raw pass, warm raw passes, consumer reads."""

    def __init__(self, records: int, cluster: Cluster, build_s: float) -> None:
        self.records = records
        self.cluster = cluster
        self.build_s = build_s
        self.committed = records - records // ABORT_EVERY
        consumer_repeats, raw_samples, raw_passes = REPEATS.get(records, (3, 10, 5))
        self.raw_first: Timed = timed(lambda: raw_read(cluster))
        self.raw_warm: Timed = best_of(
            raw_samples, lambda: raw_read(cluster), raw_passes, collect=False
        )
        self.raw_cold: Timed = best_of(raw_samples, lambda: raw_read(cluster))
        self.consumer: Timed = best_of(
            consumer_repeats, lambda: consumer_read(cluster, self.committed)
        )
        calls, returned = self.raw_warm.value
        if returned != records:
            raise RuntimeError(f"raw reads returned {returned} of {records} records")
        if self.consumer.value != self.committed:
            raise RuntimeError(f"consumer read {self.consumer.value} of {self.committed}")
        self.fetches = calls

    def ns(self, t: Timed, without_gc: bool = False) -> float:
        seconds = t.seconds - (t.gc_seconds if without_gc else 0.0)
        return seconds / self.records * 1e9


def measure(records: int) -> Measured:
    gc.collect()
    start = time.perf_counter()
    cluster = build_log(records)
    return Measured(records, cluster, time.perf_counter() - start)


def run(profile: bool | None = None) -> list[Target]:
    """Print the fetch-cost table; `profile`: True always, None on a miss, False never."""
    small_n, large_n = SIZES
    print(
        f"== fetch_cost: read_committed, one partition, transactions of {RECORDS_PER_TXN} x "
        f"{RECORD_SIZE} B records, every {ABORT_EVERY}th aborted; "
        f"{small_n:,} vs {large_n:,} records"
    )
    small = measure(small_n)
    del small.cluster  # only one log alive at a time: the 10k run never sees the 1M heap
    gc.collect()
    large = measure(large_n)

    def ratio(a: float, b: float) -> float:
        return b / a

    def line(what: str, s: float, large_value: float, note: str = "") -> tuple[object, ...]:
        return (what, s, large_value, f"{ratio(s, large_value):.2f}x", note)

    c_small, c_large = small.ns(small.consumer), large.ns(large.consumer)
    raw_small, raw_large = small.ns(small.raw_warm), large.ns(large.raw_warm)
    rows = [
        line(
            "consumer, read_committed",
            c_small,
            c_large,
            f"GC {100 * small.consumer.gc_share:.0f}% / {100 * large.consumer.gc_share:.0f}% "
            "of the time",
        ),
        line(
            "  the same without GC pauses",
            small.ns(small.consumer, without_gc=True),
            large.ns(large.consumer, without_gc=True),
            "information",
        ),
        line(
            "raw Partition.read, warm",
            raw_small,
            raw_large,
            f"{small.fetches} / {large.fetches} read calls of <= 1 MiB",
        ),
        line(
            "raw Partition.read, after full GC",
            small.ns(small.raw_cold),
            large.ns(large.raw_cold),
            "information: caches swept by gc.collect()",
        ),
        line(
            "raw Partition.read, 1st pass",
            small.ns(small.raw_first),
            large.ns(large.raw_first),
            "information: sizes computed and cached",
        ),
        line(
            "building the log (broker API)",
            small.build_s / small.records * 1e9,
            large.build_s / large.records * 1e9,
            "information",
        ),
    ]
    headers = ["ns per record", f"at {small_n:,}", f"at {large_n:,}", "1M/10k", "note"]
    print(table(headers, rows))
    (c_small_n, s_small_n, p_small_n), (c_large_n, s_large_n, p_large_n) = (
        REPEATS[small_n],
        REPEATS[large_n],
    )
    print(
        f"consumer returned {small.committed:,} / {large.committed:,} committed records, "
        f"best of {c_small_n} / {c_large_n} fresh consumers; raw: best of "
        f"{s_small_n} / {s_large_n} samples, warm ones of {p_small_n} / {p_large_n} "
        "back-to-back passes"
    )
    print(f"target: per-record cost at 1M <= {TARGET:g}x the cost at 10k")
    targets = [
        Target(
            "fetch cost, consumer read_committed, 1M/10k per record",
            ratio(c_small, c_large),
            TARGET,
            at_least=False,
        ),
        Target(
            "fetch cost, raw Partition.read, 1M/10k per record",
            ratio(raw_small, raw_large),
            TARGET,
            at_least=False,
        ),
    ]
    consumer_miss = targets[0].status == "MISS"
    raw_miss = targets[1].status == "MISS"
    if profile or (profile is None and consumer_miss):
        gc.collect()
        hotspots = Hotspots()
        hotspots.run(lambda: consumer_read(large.cluster, large.committed))
        print(f"\neoslab hotspots, consumer reading {large_n:,} records:")
        print(hotspots.table())
    if profile or (profile is None and raw_miss):
        gc.collect()
        hotspots = Hotspots()
        hotspots.run(lambda: raw_read(large.cluster))
        print(f"\neoslab hotspots, raw reads over {large_n:,} records:")
        print(hotspots.table())
    return targets


def main(argv: list[str] | None = None) -> None:
    cli(run, "python -m bench.fetch_cost", __doc__, argv)


if __name__ == "__main__":
    main()
