"""Views at 100,000 offsets: the log dump table and the offset timeline rendered to PNG.

Two partitions of 100,000 offsets, built through the broker layer directly (InitProducerId, then
per transaction AddPartitionsToTxn, one Produce of a transactional batch, EndTxn):

- mixed: transactions of 100 records, every 5th aborted, every 7th batch plain, the last
  transaction left open (so the LSO sits below the HW);
- one record per batch: 1-record transactions alternating commit and abort, the worst case for
  the per-batch work (50,000 data batches and 50,000 markers).

Measured (best of several runs, the heap collected once before the first):
- `log_dump(cluster, topic, 0)`: the DataFrame of every record;
- `png(offset_timeline(cluster))`: the figure (overview of the whole log + a 40-offset window)
  rendered to PNG bytes with the Agg canvas;
- the first PNG of the process, for information (matplotlib loads its fonts once).

Targets (issue 4), on the mixed log: log_dump <= 100 ms; offset timeline to PNG <= 500 ms. They
are absolute times on this machine, so the ratio printed is measured / budget (<= 1.0 passes).
The one-record-batch log is shown for information only.

    python -m bench.views [--profile]
"""

from __future__ import annotations

import time

from eoslab import Cluster
from eoslab.broker import Record, RecordBatch
from eoslab.views import log_dump, offset_timeline, png

from . import Hotspots, Target, best_of, cli, table

OFFSETS = 100_000
LOG_DUMP_BUDGET_MS = 100.0
TIMELINE_BUDGET_MS = 500.0
REPEATS = 5


def build_log(offsets: int, per_txn: int, name: str) -> Cluster:
    """A partition of exactly `offsets` offsets (data and markers); see the module docstring."""
    cluster = Cluster()
    cluster.create_topics([(name, 1, 1)])
    tid = f"bench-{name}"
    init = cluster.init_producer_id(tid, 60_000, client_id="producer-1")
    if init.error:
        raise RuntimeError(f"InitProducerId: {init.error.name}")
    pid, epoch = init.producer_id, init.producer_epoch
    partition = cluster.partition(name, 0)
    sequence = i = 0
    while partition.log_end_offset < offsets:
        n = min(per_txn, offsets - partition.log_end_offset)
        records = [
            Record(0, 0, None, f"value-{partition.log_end_offset + j}".encode()) for j in range(n)
        ]
        if per_txn > 1 and i % 7 == 3:
            cluster.produce(name, 0, RecordBatch(records), client_id="producer-2")
        else:
            cluster.add_partitions_to_txn(tid, pid, epoch, [(name, 0)], client_id="producer-1")
            batch = RecordBatch(records, pid, epoch, sequence, is_transactional=True)
            response = cluster.produce(name, 0, batch, transactional_id=tid, client_id="producer-1")
            if response.error:
                raise RuntimeError(f"Produce: {response.error.name}")
            sequence += n
            if partition.log_end_offset < offsets:  # the last one stays open; a marker fits
                commit = i % 5 != 0 if per_txn > 1 else i % 2 == 0
                cluster.end_txn(tid, pid, epoch, committed=commit, client_id="producer-1")
        i += 1
    if partition.log_end_offset != offsets:
        raise RuntimeError(f"built {partition.log_end_offset} offsets, not {offsets}")
    return cluster


def timeline_png(cluster: Cluster) -> bytes:
    return png(offset_timeline(cluster))


def run(profile: bool | None = None) -> list[Target]:
    """Print the views table; `profile`: True always, None on a miss, False never."""
    print(f"== views: log_dump and offset timeline PNG on {OFFSETS:,}-offset partitions")
    first_png_start = time.perf_counter()
    timeline_png(build_log(200, 10, "warmup"))
    first_png_ms = (time.perf_counter() - first_png_start) * 1e3
    logs = {}
    for label, per_txn in (("mixed", 100), ("one record per batch", 1)):
        start = time.perf_counter()
        cluster = build_log(OFFSETS, per_txn, "big")
        logs[label] = (cluster, time.perf_counter() - start)
    rows = []
    measured: dict[str, tuple[float, float]] = {}
    for label, (cluster, build_s) in logs.items():
        p = cluster.partition("big", 0)
        dump = best_of(REPEATS, lambda c=cluster: log_dump(c, "big", 0), collect=False)
        if len(dump.value) != OFFSETS:
            raise RuntimeError(f"log_dump gave {len(dump.value)} rows")
        picture = best_of(REPEATS, lambda c=cluster: timeline_png(c), collect=False)
        measured[label] = (dump.seconds * 1e3, picture.seconds * 1e3)
        rows.append(
            (
                label,
                len(p.batches),
                f"HW {p.high_watermark:,} LSO {p.last_stable_offset:,}",
                dump.seconds * 1e3,
                picture.seconds * 1e3,
                f"{len(picture.value) / 1024:.0f} KiB",
                build_s,
            )
        )
    headers = ["log", "batches", "offsets", "log_dump ms", "timeline PNG ms", "PNG", "build s"]
    print(table(headers, rows))
    print(
        f"best of {REPEATS} runs each; first PNG of the process (fonts loading): "
        f"{first_png_ms:.0f} ms; targets on the mixed log (the one-record-batch log is the worst "
        "case, for information: one batch per offset)"
    )
    dump_ms, png_ms = measured["mixed"]
    targets = [
        Target(
            f"views, log_dump 100k mixed log, {dump_ms:.0f} ms / {LOG_DUMP_BUDGET_MS:.0f} ms",
            dump_ms / LOG_DUMP_BUDGET_MS,
            1.0,
            at_least=False,
        ),
        Target(
            f"views, offset timeline PNG 100k mixed log, {png_ms:.0f} ms / "
            f"{TIMELINE_BUDGET_MS:.0f} ms",
            png_ms / TIMELINE_BUDGET_MS,
            1.0,
            at_least=False,
        ),
    ]
    if profile or (profile is None and any(t.status == "MISS" for t in targets)):
        for label, (cluster, _) in logs.items():
            hotspots = Hotspots()
            hotspots.run(lambda c=cluster: (log_dump(c, "big", 0), timeline_png(c)))
            print(f"\neoslab hotspots, log_dump + timeline PNG, {label}:")
            print(hotspots.table())
    return targets


def main(argv: list[str] | None = None) -> None:
    cli(run, "python -m bench.views", __doc__, argv)


if __name__ == "__main__":
    main()
