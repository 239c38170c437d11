"""A log keeps its records as columns, out of the cyclic garbage collector's reach.

Kafka keeps a log as bytes, which the JVM's collector never walks; eoslab keeps each placed
batch's records as exact tuples of ints, bytes, str and None, which CPython's collector stops
tracking. So the objects a collection must walk grow with the batches, not with the records,
and `RecordBatch.records` still hands out `Record` objects, built on access, that a caller may
change without changing the log.
"""

from __future__ import annotations

import gc

import pytest

import eoslab.client as kafka
from eoslab import Cluster
from eoslab.broker.records import RawRecordBatch, Record, RecordBatch, RecordView


def tracked_reachable(root: object) -> list[object]:
    """Every object the collector tracks that `root` reaches (not following into classes),
    `root` included, once each."""
    seen: set[int] = set()
    out: list[object] = []
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if gc.is_tracked(obj):
            out.append(obj)
        stack.extend(r for r in gc.get_referents(obj) if not isinstance(r, type))
    return out


def collect() -> None:
    """Collections are when CPython stops tracking a tuple whose items are all untracked; a
    collection looks at each tuple once, so headers (tuples in tuples in a column) may take one
    collection per level."""
    for _ in range(3):
        gc.collect()


def produce(cluster: Cluster, transactions: int, per_txn: int) -> None:
    producer = kafka.Producer(
        {"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "columns"}
    )
    producer.init_transactions(5.0)
    for t in range(transactions):
        producer.begin_transaction()
        for i in range(per_txn):
            n = t * per_txn + i
            headers = [("n", b"%d" % n), ("empty", None)] if n % 3 == 0 else None
            key = b"k%d" % n if n % 2 else None
            producer.produce("t", b"value-%d" % n, key=key, partition=0, headers=headers)
        producer.commit_transaction(5.0)
    producer.flush(5.0)


@pytest.mark.parametrize(("transactions", "per_txn"), [(2, 10), (4, 250)])
def test_a_log_holds_one_tracked_object_per_batch_whatever_its_records(
    transactions: int, per_txn: int
) -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    produce(cluster, transactions, per_txn)
    collect()
    p = cluster.partition("t", 0)
    assert [b.records_count for b in p.batches] == [per_txn, 1] * transactions
    tracked = tracked_reachable(p.batches)
    # the batches list and the batches: no Record, no list or tuple per record or per batch
    assert len(tracked) == 1 + 2 * transactions
    assert all(type(o) is RecordBatch for o in tracked[1:])
    data = p.batches[0]
    timestamps, keys, values, headers = data.columns()
    assert [type(c) for c in (timestamps, keys, values, headers)] == [tuple] * 4
    assert not any(gc.is_tracked(c) for c in (timestamps, keys, values, headers))
    assert data.writer_records is None


def test_records_are_built_on_access_and_changing_one_leaves_the_log_as_it_was() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    produce(cluster, 1, 5)
    batch = cluster.partition("t", 0).batches[0]
    records = batch.records
    assert isinstance(records, RecordView) and len(records) == 5 and records
    assert [(r.offset, r.key, r.value, r.headers) for r in records] == [
        (0, None, b"value-0", (("n", b"0"), ("empty", None))),
        (1, b"k1", b"value-1", ()),
        (2, None, b"value-2", ()),
        (3, b"k3", b"value-3", (("n", b"3"), ("empty", None))),
        (4, None, b"value-4", ()),
    ]
    assert [r.offset for r in reversed(records)] == [4, 3, 2, 1, 0]
    assert [r.offset for r in records[1:4]] == [1, 2, 3]
    assert [r.offset for r in records[::-2]] == [4, 2, 0]
    assert records[-1].offset == 4 and records[3].key == b"k3"
    with pytest.raises(IndexError):
        records[5]
    assert records == list(records) == batch.records  # records are equal by their fields
    assert records[0] is not records[0]
    record = records[1]
    record.offset, record.value = 99, b"changed"  # a copy: the log keeps its own
    assert (batch.records[1].offset, batch.records[1].value) == (1, b"value-1")
    assert record != batch.records[1]


def test_placing_a_batch_turns_the_writers_records_into_columns_and_leaves_them_alone() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    cluster.produce("t", 0, RecordBatch([Record(0, 5, None, b"first")]))
    written = [Record(0, 10, b"k", b"a", [["h", b"1"]]), Record(1, 11, None, b"b")]
    batch = RecordBatch(written)
    assert batch.writer_records is written and batch.records is written
    assert not cluster.produce("t", 0, batch).error
    assert batch.writer_records is None
    assert [(r.offset, r.timestamp) for r in written] == [(0, 10), (1, 11)]  # untouched
    assert [(r.offset, r.timestamp, r.key, r.value, r.headers) for r in batch.records] == [
        (1, 10, b"k", b"a", (("h", b"1"),)),  # headers kept as tuples
        (2, 11, None, b"b", ()),
    ]
    assert (
        batch.size_in_bytes()
        == RecordBatch(
            [Record(0, 10, b"k", b"a", (("h", b"1"),)), Record(1, 11, None, b"b")]
        ).size_in_bytes()
    )


def test_a_batch_built_from_columns_is_the_batch_built_from_records() -> None:
    records = [
        Record(i, 1_000 + i, b"k%d" % i if i % 2 else None, b"v" * i, (("h", b"x"),) * (i % 3))
        for i in range(70)
    ]
    by_records = RecordBatch(records, 7, 1, 5, is_transactional=True)
    by_columns = RecordBatch(
        producer_id=7,
        producer_epoch=1,
        base_sequence=5,
        is_transactional=True,
        columns=(
            [r.timestamp for r in records],
            [r.key for r in records],
            [r.value for r in records],
            [r.headers for r in records],
        ),
    )
    assert by_columns.to_bytes() == by_records.to_bytes()
    assert by_columns.size_in_bytes() == by_records.size_in_bytes() == len(by_records.to_bytes())
    assert by_columns.records == records
    nulls = RecordBatch(columns=((5, 5), (None, None), (b"a", None), ((), ())))
    assert nulls.columns() == ((5, 5), None, (b"a", None), None)  # all-null columns: None
    with pytest.raises(ValueError, match="as long as each other"):
        RecordBatch(columns=((5,), None, (b"a", b"b"), None))
    with pytest.raises(ValueError, match="at least one record"):
        RecordBatch(columns=((), None, (), None))


def test_a_batch_kept_as_bytes_decodes_into_untracked_columns() -> None:
    sent = RecordBatch(
        [
            Record(i, 50, None if i else b"k", b"v%d" % i, (("h", None),) if i == 2 else ())
            for i in range(3)
        ]
    )
    raw = RecordBatch.from_bytes(sent.to_bytes())
    assert isinstance(raw, RawRecordBatch) and raw.decoded_records is None
    raw.base_offset = 10
    assert [(r.offset, r.key, r.value, r.headers) for r in raw.records] == [
        (10, b"k", b"v0", ()),
        (11, None, b"v1", ()),
        (12, None, b"v2", (("h", None),)),
    ]
    collect()
    assert tracked_reachable(raw) == [raw]


def test_a_malformed_column_is_refused_as_its_record_would_be() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    bad = RecordBatch(columns=((1, 2), None, (b"ok", "text"), None))
    r = cluster.produce("t", 0, bad)
    assert (r.error.name, r.error_message) == (
        "CORRUPT_MESSAGE",
        "record at offset delta 1: value is not bytes",
    )
    bad_header = RecordBatch(columns=((1,), None, (b"ok",), (((b"name", b"v"),),)))
    r = cluster.produce("t", 0, bad_header)
    assert (r.error.name, r.error_message) == (
        "CORRUPT_MESSAGE",
        "record at offset delta 0: header (b'name', b'v') is malformed",
    )
    not_a_pair = RecordBatch(columns=((1, 2), None, (b"a", b"b"), ((), (5,))))
    r = cluster.produce("t", 0, not_a_pair)
    assert (r.error.name, r.error_message) == (
        "CORRUPT_MESSAGE",
        "record at offset delta 1: header 5 is malformed",
    )
    assert cluster.partition("t", 0).log_end_offset == 0
