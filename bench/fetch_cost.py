"""read_committed fetch cost per record, on a 10k-record and on a 1M-record partition (eoslab only).

Each log is built through the broker layer directly (InitProducerId, then per transaction
AddPartitionsToTxn, one Produce of a 100-record transactional batch, EndTxn), with every 100th
transaction aborted: 1% aborted data, one aborted-transaction index entry per 10,000 records. Then:

- consumer: a read_committed `eoslab.client.Consumer` assigned partition 0 from the beginning
  reads the whole partition;
- raw read: `Partition.read(offset, 1 MiB, READ_COMMITTED)` calls, offset to offset, over the whole
  partition (the read path itself: the offset index, the LSO bound, the aborted list).

Both logs are built first and stay alive; then the two sizes run interleaved (10k, 1M, 10k, 1M,
...), one warm-up round excluded, each sample from a collected heap. Sampling is equal at both
sizes: every sample covers 1M records (100 passes over the 10k log, one over the 1M log; raw
reads repeat that a few times), and both sizes get the same number of samples. Cost per record =
sample time / records covered. The cyclic GC runs as usual during a sample: pauses that grow with
the live heap are part of the cost; their share is shown.

Target: per pair, cost per record at 1M / cost per record at 10k; the median of >= 5 pairs
<= 1.5x, for the consumer and for raw reads.

    python -m bench.fetch_cost [--pairs 5] [--small 10000] [--large 1000000] [--profile] [--check]
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from eoslab import Cluster

from . import PAIRS, WARMUP, GcTimer, Hotspots, Ratios, Target, finish, interleave, median_of, table

TOPIC = "bench-fetch"
TRANSACTIONAL_ID = "bench-fetch"
RECORDS_PER_TXN = 100
RECORD_SIZE = 100
ABORT_EVERY = 100  # every 100th transaction is aborted: 1%
MAX_BYTES = 1_048_576  # the consumer's default fetch.message.max.bytes
SIZES = (10_000, 1_000_000)
RAW_PASSES = 5  # a raw sample covers this many x the large log's records
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
        ended = cluster.end_txn(TRANSACTIONAL_ID, pid, epoch, commit).error
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


def raw_read(cluster: Cluster, count: bool = True) -> tuple[int, int]:
    """Partition.read over the whole partition; returns (read calls, data records returned).
    Without `count` the records are not counted (-1): the timed passes time the reads alone."""
    from eoslab.broker import READ_COMMITTED

    partition = cluster.partition(TOPIC, 0)
    end = partition.last_stable_offset
    offset = calls = records = 0
    while offset < end:
        result = partition.read(offset, MAX_BYTES, READ_COMMITTED)
        calls += 1
        if result.error or not result.batches:
            raise RuntimeError(f"read at {offset}: {result.error.name}, no batches")
        if count:
            records += sum(len(b.records) for b in result.batches if not b.is_control)
        offset = result.batches[-1].next_offset
    return calls, records if count else -1


class Sample:
    """One timed sample: wall seconds, of which in the cyclic GC, and records covered."""

    def __init__(self, fn: Callable[[], object], passes: int, records: int) -> None:
        with GcTimer() as gct:
            start = time.perf_counter()
            for _ in range(passes):
                fn()
            self.seconds = time.perf_counter() - start
        self.gc_seconds = gct.seconds
        self.records = passes * records

    @property
    def ns(self) -> float:
        return self.seconds / self.records * 1e9

    @property
    def gc_share(self) -> float:
        return self.gc_seconds / self.seconds if self.seconds else 0.0


def run(
    profile: bool | None = None,
    pairs: int = PAIRS,
    small_n: int = SIZES[0],
    large_n: int = SIZES[1],
) -> list[Target]:
    """Print the fetch-cost table; `profile`: True always, None on a miss, False never."""
    per = large_n // small_n
    print(
        f"== fetch_cost: read_committed, one partition, transactions of {RECORDS_PER_TXN} x "
        f"{RECORD_SIZE} B records, every {ABORT_EVERY}th aborted; {small_n:,} vs {large_n:,} "
        f"records, interleaved, {WARMUP} warm-up round excluded, median of {pairs} pairs; every "
        f"sample covers {large_n:,} records ({per} passes over the small log)"
    )
    built: dict[int, Cluster] = {}
    build_s: dict[int, float] = {}
    raw_calls: dict[int, int] = {}
    for n in (small_n, large_n):
        gc.collect()
        start = time.perf_counter()
        built[n] = build_log(n)
        build_s[n] = time.perf_counter() - start
        raw_calls[n], returned = raw_read(built[n])
        if returned != n:
            raise RuntimeError(f"raw reads returned {returned} of {n} records")
    small, large = built[small_n], built[large_n]
    committed = {n: n - n // ABORT_EVERY for n in (small_n, large_n)}
    for n in (small_n, large_n):
        read = consumer_read(built[n], committed[n])
        if read != committed[n]:
            raise RuntimeError(f"consumer read {read} of {committed[n]} at {n:,}")

    rounds = interleave(
        {
            "consumer small": lambda: Sample(
                lambda: consumer_read(small, committed[small_n]), per, small_n
            ),
            "consumer large": lambda: Sample(
                lambda: consumer_read(large, committed[large_n]), 1, large_n
            ),
            "raw small": lambda: Sample(
                lambda: raw_read(small, count=False), per * RAW_PASSES, small_n
            ),
            "raw large": lambda: Sample(lambda: raw_read(large, count=False), RAW_PASSES, large_n),
        },
        pairs,
    )
    consumer = Ratios.of(rounds, lambda r: r["consumer large"].ns / r["consumer small"].ns)
    raw = Ratios.of(rounds, lambda r: r["raw large"].ns / r["raw small"].ns)

    def med(key: str, figure: Callable[[Sample], float]) -> float:
        return median_of(rounds, lambda r: figure(r[key]))

    def row(what: str, kind: str, ratios: Ratios, note: str) -> tuple[object, ...]:
        return (
            what,
            med(f"{kind} small", lambda s: s.ns),
            med(f"{kind} large", lambda s: s.ns),
            ratios.text(),
            note,
        )

    def gc_note(kind: str) -> str:
        return (
            f"GC {100 * med(f'{kind} small', lambda s: s.gc_share):.0f}% / "
            f"{100 * med(f'{kind} large', lambda s: s.gc_share):.0f}% of the time"
        )

    rows = [
        row("consumer, read_committed", "consumer", consumer, gc_note("consumer")),
        row(
            "raw Partition.read",
            "raw",
            raw,
            f"{raw_calls[small_n]} / {raw_calls[large_n]} read calls of <= 1 MiB per pass; "
            + gc_note("raw"),
        ),
        (
            "building the log (broker API)",
            build_s[small_n] / small_n * 1e9,
            build_s[large_n] / large_n * 1e9,
            f"{build_s[large_n] / large_n / (build_s[small_n] / small_n):.2f}x",
            "information: one build each",
        ),
    ]
    headers = ["ns per record (median)", f"at {small_n:,}", f"at {large_n:,}", "large/small"]
    print(table([*headers, "note"], rows))
    print(
        f"consumer returned {committed[small_n]:,} / {committed[large_n]:,} committed records "
        f"per pass; target: per-record cost at {large_n:,} <= {TARGET:g}x the cost at "
        f"{small_n:,}, median of the pairs"
    )
    targets = [
        Target.paired(
            "fetch cost, consumer read_committed, 1M/10k per record",
            consumer,
            TARGET,
            at_least=False,
        ),
        Target.paired(
            "fetch cost, raw Partition.read, 1M/10k per record", raw, TARGET, at_least=False
        ),
    ]
    consumer_miss = targets[0].status == "MISS"
    raw_miss = targets[1].status == "MISS"
    if profile or (profile is None and consumer_miss):
        gc.collect()
        hotspots = Hotspots()
        hotspots.run(lambda: consumer_read(large, committed[large_n]))
        print(f"\neoslab hotspots, consumer reading {large_n:,} records:")
        print(hotspots.table())
    if profile or (profile is None and raw_miss):
        gc.collect()
        hotspots = Hotspots()
        hotspots.run(lambda: raw_read(large))
        print(f"\neoslab hotspots, raw reads over {large_n:,} records:")
        print(hotspots.table())
    return targets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fetch_cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--small", type=int, default=SIZES[0])
    parser.add_argument("--large", type=int, default=SIZES[1])
    parser.add_argument("--profile", action="store_true", help="profile eoslab even on a PASS")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    targets = run(True if args.profile else None, args.pairs, args.small, args.large)
    finish(targets, args.check)


if __name__ == "__main__":
    main()
