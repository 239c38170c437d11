"""Every view the dashboard shows, after one produce+commit, at 10k, 100k and 1M records.

One partition of N offsets built through the broker layer (InitProducerId, then per transaction
AddPartitionsToTxn, one Produce of a transactional batch of up to 100 records, EndTxn; every 5th
transaction aborted, every 7th batch plain, then a one-record transaction left open, so the LSO
is N - 1 at every size and the pictures at 10k and 1M differ in their log only), a transactional
client producer, and a read_committed and a read_uncommitted consumer that have read 10 records.

A sample is one round: on each cluster in turn (the order alternating between rounds, so that
sizes are paired and interleaved), the client producer runs begin_transaction, produce, flush,
commit_transaction (not timed), the heap is collected, then every view is computed as the
dashboard shows it and its process CPU time (`time.process_time`) recorded (the clusters
themselves are moved out of the collector's generations with `gc.freeze()` once built, so that a
full collection's pause, which grows with the heap, is not charged to whichever view it hits):

- offset timeline PNG: `views.offset_timeline_png(cluster, detail=30)` (880 px, no legend);
- protocol timeline PNG: `views.protocol_timeline_png(cluster, last 12 events)`;
- log dump: `log_dump(..., tail=25)` as the dashboard's table (`widgets.render.table_html`);
- transactions, `__transaction_state` (`tail=25`), consumers, partitions, producers: tables.

Targets (issue 11): all views <= 150 ms at 10k and <= 250 ms at 100k; the default tab's views
(offset timeline, consumers, log dump, partitions) <= 100 ms at 10k; each view at 1M <= 1.2x its
cost at 10k. Medians over the rounds after one warm-up round (min beside them).

    python -m bench.views [--check] [--profile] [--rounds N]

`--check` exits with status 1 if any target is missed.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from eoslab import Cluster
from eoslab.broker import Record, RecordBatch
from eoslab.client import Consumer, Producer, TopicPartition
from eoslab.views import (
    consumers,
    log_dump,
    offset_timeline_png,
    partitions,
    producers,
    protocol_timeline_png,
    transaction_log,
    transactions,
)
from eoslab.widgets.render import table_html

from . import Hotspots, Target, cli, table

SIZES = (10_000, 100_000, 1_000_000)
ROUNDS = 11  # measured rounds (>= 5), after one warm-up round
TOPIC = "big"
DETAIL = 30  # the dashboard's detail window
EVENTS = 12  # protocol timeline rows
ROWS = 25  # log dump and __transaction_state rows
ALL_BUDGET_MS = {10_000: 150.0, 100_000: 250.0}
DEFAULT_TAB_BUDGET_MS = 100.0
DEFAULT_TAB = ("offset timeline PNG", "consumers", "log dump tail", "partitions")
GROWTH = 1.2  # each view at 1M / at 10k
LOG_DUMP_FIRST = ("offset", "fate", "marker", "key", "value", "producer_id", "producer_epoch")


def build_log(offsets: int, per_txn: int, name: str, open_records: int = 1) -> Cluster:
    """A partition of exactly `offsets` offsets (data and markers) ending in an open transaction
    of `open_records` records, so that the LSO is `offsets - open_records` at every size; see the
    module docstring."""
    if offsets <= open_records:
        raise ValueError(f"{offsets} offsets leave no room before the open transaction")
    cluster = Cluster()
    cluster.create_topics([(name, 1, 1)])
    tid = f"bench-{name}"
    init = cluster.init_producer_id(tid, 60_000, client_id="producer-1")
    if init.error:
        raise RuntimeError(f"InitProducerId: {init.error.name}")
    pid, epoch = init.producer_id, init.producer_epoch
    partition = cluster.partition(name, 0)
    sequence = i = 0

    def produce(n: int, transactional: bool) -> None:
        nonlocal sequence
        start = partition.log_end_offset
        records = [Record(j, 0, None, f"value-{start + j}".encode()) for j in range(n)]
        if not transactional:
            cluster.produce(name, 0, RecordBatch(records), client_id="producer-2")
            return
        cluster.add_partitions_to_txn(tid, pid, epoch, [(name, 0)], client_id="producer-1")
        batch = RecordBatch(records, pid, epoch, sequence, is_transactional=True)
        response = cluster.produce(name, 0, batch, transactional_id=tid, client_id="producer-1")
        if response.error:
            raise RuntimeError(f"Produce: {response.error.name}")
        sequence += n

    target = offsets - open_records  # then the open transaction
    while partition.log_end_offset < target:
        room = target - partition.log_end_offset
        if (per_txn > 1 and i % 7 == 3) or room == 1:
            produce(min(per_txn, room), transactional=False)
        else:
            produce(min(per_txn, room - 1), transactional=True)  # and its marker
            commit = i % 5 != 0 if per_txn > 1 else i % 2 == 0
            cluster.end_txn(tid, pid, epoch, committed=commit, client_id="producer-1")
        i += 1
    produce(open_records, transactional=True)
    if partition.log_end_offset != offsets or partition.last_stable_offset != target:
        raise RuntimeError(f"built {partition.log_end_offset} offsets, LSO {target} expected")
    return cluster


class Setup:
    """A cluster of N records with the dashboard's clients."""

    def __init__(self, offsets: int) -> None:
        self.cluster = build_log(offsets, 100, TOPIC)
        c = self.cluster
        self.producer = Producer(
            {"bootstrap.servers": c.bootstrap_servers, "transactional.id": "app"}
        )
        self.producer.init_transactions()
        self.readers = []
        for isolation in ("read_committed", "read_uncommitted"):
            reader = Consumer(
                {
                    "bootstrap.servers": c.bootstrap_servers,
                    "group.id": f"bench-{isolation}",
                    "isolation.level": isolation,
                }
            )
            reader.assign([TopicPartition(TOPIC, 0, 0)])
            reader.consume(10, 1.0)
            self.readers.append(reader)
        self.sent = 0

    def produce_and_commit(self) -> None:
        p = self.producer
        p.begin_transaction()
        p.produce(TOPIC, value=f"bench-{self.sent}".encode(), partition=0)
        p.flush()
        p.commit_transaction()
        self.sent += 1


def views_as_shown(c: Any) -> dict[str, Callable[[], Any]]:
    """Each view the dashboard shows, as it shows it."""

    def log_tail() -> str:
        df = log_dump(c, TOPIC, 0, tail=ROWS)
        first = [k for k in LOG_DUMP_FIRST if k in df.columns]
        return table_html(df[first + [k for k in df.columns if k not in first]], "log")

    return {
        "offset timeline PNG": lambda: offset_timeline_png(c, detail=DETAIL),
        "protocol timeline PNG": lambda: protocol_timeline_png(c, max(len(c.journal) - EVENTS, 0)),
        "log dump tail": log_tail,
        "transactions": lambda: table_html(transactions(c), "transactions"),
        "__transaction_state": lambda: table_html(transaction_log(c, tail=ROWS), "txnlog"),
        "consumers": lambda: table_html(consumers(c), "consumers"),
        "partitions": lambda: table_html(partitions(c), "partitions"),
        "producers": lambda: table_html(producers(c, TOPIC, 0), "producers"),
    }


def one_round(setup: Setup, samples: dict[str, list[float]] | None) -> None:
    setup.produce_and_commit()
    gc.collect()
    for name, view in views_as_shown(setup.cluster).items():
        start = time.process_time()
        view()
        ms = (time.process_time() - start) * 1e3
        if samples is not None:
            samples.setdefault(name, []).append(ms)


def measure(rounds: int = ROUNDS) -> dict[int, dict[str, list[float]]]:
    """Per size, per view: CPU milliseconds of each measured round."""
    setups = {n: Setup(n) for n in SIZES}
    # The clusters' records (millions of objects at 1M) move out of the collector's generations:
    # a full collection would otherwise traverse them during some view, a pause that depends on
    # the heap, not on the view. Each round still starts from a collected heap.
    gc.collect()
    gc.freeze()
    samples: dict[int, dict[str, list[float]]] = {n: {} for n in SIZES}
    for r in range(rounds + 1):
        order = SIZES if r % 2 == 0 else tuple(reversed(SIZES))
        for n in order:
            one_round(setups[n], samples[n] if r else None)  # round 0 warms up
    gc.unfreeze()
    return samples


def run(profile: bool | None = None, rounds: int = ROUNDS) -> list[Target]:
    """Print the views table; `profile`: True always, None on a miss, False never."""
    print(
        f"== views: every view as the dashboard shows it, after one produce+commit "
        f"(process CPU ms, median and min of {rounds} paired rounds)"
    )
    start = time.perf_counter()
    samples = measure(rounds)
    names = list(samples[SIZES[0]])
    med = {n: {v: statistics.median(samples[n][v]) for v in names} for n in SIZES}
    low = {n: {v: min(samples[n][v]) for v in names} for n in SIZES}
    totals = {n: [sum(samples[n][v][k] for v in names) for k in range(rounds)] for n in SIZES}
    tab = {n: [sum(samples[n][v][k] for v in DEFAULT_TAB) for k in range(rounds)] for n in SIZES}
    small, big = SIZES[0], SIZES[-1]
    rows = []
    for v in names:
        growth = med[big][v] / med[small][v]
        rows.append(
            (
                v,
                *(f"{med[n][v]:.1f} ({low[n][v]:.1f})" for n in SIZES),
                f"{growth:.2f}x",
                f"1M <= {GROWTH}x 10k",
            )
        )
    for label, series, budgets in (
        ("default tab", tab, {small: DEFAULT_TAB_BUDGET_MS}),
        ("all views", totals, ALL_BUDGET_MS),
    ):
        meds = {n: statistics.median(series[n]) for n in SIZES}
        rows.append(
            (
                label,
                *(f"{meds[n]:.1f} ({min(series[n]):.1f})" for n in SIZES),
                f"{meds[big] / meds[small]:.2f}x",
                ", ".join(f"{n // 1000}k <= {b:.0f} ms" for n, b in budgets.items()),
            )
        )
    headers = ["view", *(f"{n:,} ms" for n in SIZES), "1M/10k", "target"]
    print(table(headers, rows))
    print(f"({time.perf_counter() - start:.0f} s, clusters built included)")

    targets = []
    for n, budget in ALL_BUDGET_MS.items():
        m = statistics.median(totals[n])
        targets.append(
            Target(
                f"views, all views at {n // 1000}k, median {m:.0f} ms / {budget:.0f} ms",
                m / budget,
                1.0,
                at_least=False,
            )
        )
    m = statistics.median(tab[small])
    targets.append(
        Target(
            f"views, default tab at 10k, median {m:.0f} ms / {DEFAULT_TAB_BUDGET_MS:.0f} ms",
            m / DEFAULT_TAB_BUDGET_MS,
            1.0,
            at_least=False,
        )
    )
    for v in names:
        targets.append(
            Target(
                f"views, {v} at 1M / at 10k ({med[big][v]:.1f} / {med[small][v]:.1f} ms)",
                med[big][v] / med[small][v],
                GROWTH,
                at_least=False,
            )
        )
    if profile or (profile is None and any(t.status == "MISS" for t in targets)):
        setup = Setup(small)
        hotspots = Hotspots()
        hotspots.run(lambda: [one_round(setup, None) for _ in range(3)])
        print(f"\neoslab hotspots, every view after produce+commit at {small:,} records:")
        print(hotspots.table())
    return targets


def main(argv: list[str] | None = None) -> None:
    cli(run, "python -m bench.views", __doc__, argv, rounds=(ROUNDS, 5))


if __name__ == "__main__":
    main()
