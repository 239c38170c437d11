"""Memory: bytes per record that the broker's log keeps, at 1M records, by what holds them.

A transactional `eoslab.client.Producer` writes the records (transactions of 1,000 records, each
value its own 100-byte object, as an application's would be); then every object the partition
reaches is counted once (by identity): the batches, their record columns and what they point to,
the offset index. Sizes are `sys.getsizeof` rounded up to CPython's 16-byte allocation unit
(pymalloc, objects up to 512 bytes), so a row is what the allocator hands out.

Overhead = bytes per record - payload (key and value bytes). Target: overhead <= 70 B per record
at 1M, a regression guard just above the floor of the log's storage: a batch keeps its records
as columns (see `eoslab.broker.records.RecordBatch`), so a record costs its value's bytes-object
header (33 B, 44 with the allocator's rounding) and a slot in the batch's value and timestamp
tuples (8 B each); keys and headers cost nothing when no record of the batch has any, and the
offset is the batch's base offset plus the index. docs/benchmarks.md says what going lower
would take.

    python -m bench.memory [--records 1000000] [--check]
"""

from __future__ import annotations

import gc
import sys
import time
from collections import Counter

from . import Target, cli, table

RECORDS = 1_000_000
RECORDS_PER_TXN = 1_000
RECORD_SIZE = 100
TOPIC = "bench-memory"
TARGET_OVERHEAD = 70.0


def allocated(obj: object) -> int:
    """What the allocator hands out for `obj`: getsizeof, rounded to 16 bytes up to 512."""
    size = sys.getsizeof(obj)
    return (size + 15) // 16 * 16 if size <= 512 else size


def build(records: int):  # type: ignore[no-untyped-def]
    """A cluster whose partition 0 holds `records` committed records, written by the client."""
    import eoslab.client as kafka
    from eoslab import Cluster

    cluster = Cluster()
    cluster.create_topics([(TOPIC, 1, 1)])
    producer = kafka.Producer(
        {"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "bench-memory"}
    )
    producer.init_transactions(5.0)
    pad = b"v" * (RECORD_SIZE - 8)
    for t in range(records // RECORDS_PER_TXN):
        producer.begin_transaction()
        for i in range(t * RECORDS_PER_TXN, (t + 1) * RECORDS_PER_TXN):
            producer.produce(TOPIC, b"%08d" % i + pad, partition=0)
        producer.commit_transaction(5.0)
    producer.flush(5.0)
    return cluster


def account(partition) -> tuple[Counter[str], int, int]:  # type: ignore[no-untyped-def]
    """Bytes by holder, records, payload bytes; every object counted once."""
    seen: set[int] = set()
    by: Counter[str] = Counter()

    def count(what: str, obj: object) -> None:
        if obj is None or id(obj) in seen:
            return
        seen.add(id(obj))
        by[what] += allocated(obj)

    records = payload = 0
    for batch in partition.batches:
        count("batch objects", batch)
        for name in ("producer_id", "producer_epoch", "base_sequence", "base_offset"):
            count("batch header ints", getattr(batch, name))
        if batch.decoded_records is None:  # kept as bytes: the bytes are the storage
            count("raw batch bytes", batch.to_bytes())
            continue
        timestamps, keys, values, headers = batch.columns()
        if batch.is_control:
            for column in (timestamps, keys, values, headers):
                count("control batches' columns", column)
            for field in (*timestamps, *(keys or ()), *values):
                count("control batches' columns", field)
            continue
        records += len(values)
        count("value column (a tuple slot per record)", values)
        count("timestamp column (a tuple slot per record)", timestamps)
        count("key column (None when every key is)", keys)
        count("headers column (None when no record has any)", headers)
        for ts in timestamps:
            count("timestamp ints", ts)
        for h in headers or ():
            count("headers tuples", h)
        for field in (*(keys or ()), *values):
            if field is not None:
                payload += len(field)
                if id(field) not in seen:
                    seen.add(id(field))
                    by["key/value bytes objects (header)"] += allocated(field) - len(field)
    for name in ("_base_offsets", "_end_positions"):
        index = getattr(partition, name)
        count("offset index lists", index)
        for value in index:
            count("offset index ints", value)
    return by, records, payload


def run(profile: bool | None = None, records: int = RECORDS) -> list[Target]:
    """Print the memory table; `profile` is accepted for `python -m bench` and ignored."""
    records = max(RECORDS_PER_TXN, records - records % RECORDS_PER_TXN)
    print(
        f"== memory: {records:,} records of {RECORD_SIZE} B written by a transactional "
        f"eoslab.client.Producer in transactions of {RECORDS_PER_TXN:,}; bytes the log holds"
    )
    gc.collect()
    start = time.perf_counter()
    cluster = build(records)
    build_s = time.perf_counter() - start
    by, counted, payload = account(cluster.partition(TOPIC, 0))
    if counted != records:
        raise RuntimeError(f"counted {counted} of {records} records")
    total = sum(by.values()) + payload
    rows = [(what, n / records) for what, n in by.most_common()]
    rows.append(("payload (key and value bytes)", payload / records))
    rows.append(("total", total / records))
    print(table(["held by", "bytes per record"], rows))
    overhead = (total - payload) / records
    print(
        f"overhead {overhead:.0f} B per record beside {payload / records:.0f} B of payload; "
        f"log built in {build_s:.1f} s; target: overhead <= {TARGET_OVERHEAD:g} B"
    )
    return [
        Target(
            f"memory overhead per record at {records:,}, / {TARGET_OVERHEAD:g} B",
            overhead / TARGET_OVERHEAD,
            1.0,
            at_least=False,
            note=f"{overhead:.0f} B overhead, {total / records:.0f} B per record",
        )
    ]


def main(argv: list[str] | None = None) -> None:
    cli(run, "python -m bench.memory", __doc__, argv, records=(RECORDS, 1))


if __name__ == "__main__":
    main()
