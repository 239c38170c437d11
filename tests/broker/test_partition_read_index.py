"""`Partition.read` through its offset index gives exactly what a scan of the log gives.

The index (base offsets and cumulative byte positions, kept at append, like Kafka's OffsetIndex
over a segment's positions) finds the first batch, the HW/LSO bound and the max_bytes cut by
bisection. These tests hold it to the linear scan Kafka's `LogSegment.read` semantics describe:
whole batches from the one holding the fetch offset, below the bound, as many as fit in max_bytes
but at least one (KIP-74), and the aborted transactions overlapping the fetched range
(`TransactionIndex.collectAbortedTxns`). Sizes are checked against the bytes `to_bytes()` writes.
"""

from __future__ import annotations

import random

import pytest

from eoslab.broker import Errors, Record, RecordBatch
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED, Partition
from eoslab.broker.records import ControlRecordType


def _records(rng: random.Random, n: int) -> list[Record]:
    base_ts = rng.choice((0, 1_700_000_000_000))
    records = []
    for i in range(n):
        ts = base_ts + rng.choice((0, 1, 63, 64, -65, 10_000, 2**40))
        key = rng.choice((None, b"", b"k", b"k" * 64, b"k" * 9000))
        value = rng.choice((None, b"", b"v" * 63, b"v" * 100, b"v" * 20_000))
        headers = rng.choice(((), (("h", b"1"),), (("trace", None), ("x" * 70, b"y" * 64))))
        records.append(Record(i, ts, key, value, headers))
    return records


def _log(seed: int) -> Partition:
    """A partition with plain, idempotent and transactional batches (some kept as raw bytes),
    committed and aborted transactions, and one transaction left open (LSO < HW)."""
    rng = random.Random(seed)
    p = Partition("t", 0)
    seq = {1: 0, 2: 0, 3: 0}
    open_txn = {1: False, 2: False}
    for step in range(120):
        pid = rng.choice((1, 2, 3, -1))
        n = rng.choice((1, 2, 5, 64, 65, 130))
        if pid in open_txn and open_txn[pid] and rng.random() < 0.3:
            kind = rng.choice((ControlRecordType.COMMIT, ControlRecordType.ABORT))
            result = p.append_end_txn_marker(pid, 0, kind, 0, step)
            assert result.error == Errors.NONE
            open_txn[pid] = False
            continue
        txn = pid in open_txn
        batch = RecordBatch(
            _records(rng, n),
            producer_id=pid,
            producer_epoch=0 if pid > 0 else -1,
            base_sequence=seq[pid] if pid > 0 else -1,
            is_transactional=txn,
        )
        if rng.random() < 0.3:
            batch = RecordBatch.from_bytes(batch.to_bytes())  # as the wire keeps it
        result = p.append_as_leader(batch, step)
        assert (result.error, result.duplicate) == (Errors.NONE, False)
        if pid > 0:
            seq[pid] += n
        if txn:
            open_txn[pid] = True
    if not any(open_txn.values()):  # leave one open, so that the LSO sits below the HW
        batch = RecordBatch(_records(rng, 3), 1, 0, seq[1], is_transactional=True)
        assert p.append_as_leader(batch, 999).error == Errors.NONE
    return p


def _scan(p: Partition, fetch_offset: int, max_bytes: int, isolation: int, sizes=None):
    """The read as a scan over every batch, sizes from the bytes, aborted list from every entry."""
    bound = p.last_stable_offset if isolation == READ_COMMITTED else p.high_watermark
    batches, size = [], 0
    for i, batch in enumerate(p.batches):
        if batch.last_offset < fetch_offset:
            continue
        if batch.base_offset >= bound:
            break
        n = sizes[i] if sizes else len(batch.to_bytes())
        if batches and size + n > max_bytes:
            break
        batches.append(batch)
        size += n
    if isolation == READ_UNCOMMITTED:
        return batches, None
    aborted = []
    if batches:
        upper = batches[-1].next_offset
        aborted = [
            (a.producer_id, a.first_offset)
            for a in p.txn_index.all()
            if a.last_offset >= fetch_offset and a.first_offset < upper
        ]
    return batches, aborted


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_offset_and_max_bytes_reads_exactly_what_a_scan_reads(seed):
    p = _log(seed)
    assert p.last_stable_offset < p.high_watermark == p.log_end_offset
    assert len(p.txn_index) > 0  # the log has aborted transactions to list
    sizes = [len(b.to_bytes()) for b in p.batches]
    budgets = {1, 61, 1024, 65_536, 1_048_576, sizes[0], sizes[0] + sizes[1], sum(sizes[:3]) - 1}
    # every batch's first, second and last offset, and the log end
    offsets = sorted(
        {o for b in p.batches for o in (b.base_offset, b.base_offset + 1, b.last_offset)}
        | {p.log_end_offset}
    )
    checked = 0
    for isolation in (READ_UNCOMMITTED, READ_COMMITTED):
        for offset in offsets:
            for max_bytes in sorted(budgets):
                r = p.read(offset, max_bytes, isolation)
                batches, aborted = _scan(p, offset, max_bytes, isolation, sizes)
                assert r.error == Errors.NONE
                assert [b.base_offset for b in r.batches] == [b.base_offset for b in batches]
                assert all(a is b for a, b in zip(r.batches, batches, strict=True))
                assert r.aborted_transactions == aborted
                assert (r.high_watermark, r.last_stable_offset, r.log_start_offset) == (
                    p.high_watermark,
                    p.last_stable_offset,
                    0,
                )
                checked += 1
    assert checked == 2 * len(offsets) * len(budgets)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_held_high_watermark_bounds_read_uncommitted_through_the_index(seed):
    p = _log(seed)
    held_at = p.high_watermark
    p.hold_high_watermark()
    extra = RecordBatch([Record(0, 0, None, b"late")])
    assert p.append_as_leader(extra, 0).base_offset == held_at
    assert p.high_watermark == held_at < p.log_end_offset == held_at + 1
    for offset in range(held_at - 70, held_at + 2):
        r = p.read(offset, 1_048_576, READ_UNCOMMITTED)
        batches, _ = _scan(p, offset, 1_048_576, READ_UNCOMMITTED)
        assert [b.base_offset for b in r.batches] == [b.base_offset for b in batches]
        assert all(b.base_offset < held_at for b in r.batches)
    p.release_high_watermark()
    assert p.read(held_at, 1_048_576, READ_UNCOMMITTED).batches == [p.batches[-1]]


def test_sizes_computed_at_append_are_the_bytes_kafka_writes():
    """DefaultRecord.sizeInBytes: one 100-byte value (a 2-byte length), null key, no headers:
    a 107-byte body behind its own 2-byte length, 109 bytes; the batch adds its 61."""
    p = Partition("t", 0)
    batch = RecordBatch([Record(0, 0, None, b"v" * 100)])
    p.append_as_leader(batch, 0)
    assert batch.size_in_bytes() == len(batch.to_bytes()) == 170
    assert p._end_positions == [170]
    for seed in range(5):
        rng = random.Random(seed)
        for n in (1, 63, 64, 65, 200):
            b = RecordBatch(_records(rng, n))
            p.append_as_leader(b, 0)
            assert b.size_in_bytes() == len(b.to_bytes())
            raw = RecordBatch.from_bytes(RecordBatch(_records(rng, n)).to_bytes())
            p.append_as_leader(raw, 0)
            assert raw.size_in_bytes() == len(raw.to_bytes())
    sizes = [len(b.to_bytes()) for b in p.batches]
    assert p._end_positions == [sum(sizes[: i + 1]) for i in range(len(sizes))]
    assert [r.offset for b in p.batches for r in b.records] == list(range(p.log_end_offset))


def test_max_bytes_boundary_is_exact():
    """Three 170-byte batches: 340 bytes fetch two, 339 one, 1 still one (KIP-74), 510 all."""
    p = Partition("t", 0)
    for _ in range(3):
        p.append_as_leader(RecordBatch([Record(0, 0, None, b"v" * 100)]), 0)
    for max_bytes, expected in (
        (1, [0]),
        (339, [0]),
        (340, [0, 1]),
        (509, [0, 1]),
        (510, [0, 1, 2]),
    ):
        assert [b.base_offset for b in p.read(0, max_bytes, READ_UNCOMMITTED).batches] == expected
    # from the middle: positions count from the fetched batch, not from the log's start
    assert [b.base_offset for b in p.read(1, 340, READ_UNCOMMITTED).batches] == [1, 2]
    assert [b.base_offset for b in p.read(2, 339, READ_UNCOMMITTED).batches] == [2]


def test_aborted_list_covers_exactly_the_fetched_range():
    """pid 7 aborts 0..1 (marker 2), pid 9 commits 3..4 (marker 5), pid 8 aborts 6..7 (marker 8)."""
    p = Partition("t", 0)

    def txn(pid: int, seq: int, n: int) -> None:
        batch = RecordBatch([Record(i, 0, None, b"x" * 100) for i in range(n)], pid, 0, seq, True)
        assert p.append_as_leader(batch, 0).error == Errors.NONE

    txn(7, 0, 2)
    assert p.append_end_txn_marker(7, 0, ControlRecordType.ABORT, 0, 0).base_offset == 2
    txn(9, 0, 2)
    assert p.append_end_txn_marker(9, 0, ControlRecordType.COMMIT, 0, 0).base_offset == 5
    txn(8, 0, 2)
    assert p.append_end_txn_marker(8, 0, ControlRecordType.ABORT, 0, 0).base_offset == 8
    assert p.last_stable_offset == 9

    def aborted(offset: int, max_bytes: int = 1_048_576):
        r = p.read(offset, max_bytes, READ_COMMITTED)
        return [b.base_offset for b in r.batches], r.aborted_transactions

    assert aborted(0) == ([0, 2, 3, 5, 6, 8], [(7, 0), (8, 6)])
    assert aborted(0, 1) == ([0], [(7, 0)])
    assert aborted(2) == ([2, 3, 5, 6, 8], [(7, 0), (8, 6)])  # pid 7's marker is still ahead
    assert aborted(3) == ([3, 5, 6, 8], [(8, 6)])
    assert aborted(3, 1) == ([3], [])  # pid 8's data starts past this fetch
    assert aborted(8) == ([8], [(8, 6)])
    assert aborted(9) == ([], [])
    assert p.read(0, 1_048_576, READ_UNCOMMITTED).aborted_transactions is None
    assert p.read(10, 1_048_576, READ_COMMITTED).error == Errors.OFFSET_OUT_OF_RANGE


def test_sizes_at_every_varint_width_are_the_bytes_kafka_writes():
    """Lengths and deltas at the edges of one, two and three varint bytes (63/64, 8191/8192),
    timestamps behind and ahead of the first, a null key and headers: the size LogValidator sees
    before the batch is placed, and the size after, are both the length of its bytes."""
    for length in (0, 63, 64, 8191, 8192, 70_000):
        for count in (1, 64, 65):
            records = [
                Record(
                    i,
                    1_000 + (-100 if i % 3 == 1 else 70_000 if i % 3 == 2 else 0),
                    None if i % 2 else b"k" * (length % 100),
                    b"v" * length,
                    (("h", b"x" * 64),) if i % 5 == 4 else (),
                )
                for i in range(count)
            ]
            batch = RecordBatch(records)
            expected = len(batch.to_bytes())
            assert batch.size_in_bytes() == expected, (length, count)
            placed = batch.copy()
            assert placed.place(10_000) == expected == len(placed.to_bytes()), (length, count)
    many = RecordBatch([Record(i, 0, None, b"") for i in range(8200)])  # offset deltas past 8191
    assert many.size_in_bytes() == len(many.to_bytes())
