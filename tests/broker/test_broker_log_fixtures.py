"""Kafka's own UnifiedLogTest fixtures, replayed on a standalone `Partition` (reference §4.2, §4.3).

HW note: `Partition.hold_high_watermark()` freezes the HW and `release_high_watermark()` moves it to
the LEO. Every HW value these fixtures need (0, 26, 27, 28; 30, 75, 90) is the LEO at the moment it
is set, so the public hold/release pair is enough and no private field is touched.
"""

from __future__ import annotations

from eoslab.broker import ControlRecordType, Errors
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED, Partition
from eoslab.broker.transaction_index import AbortedTxn

COMMIT, ABORT = ControlRecordType.COMMIT, ControlRecordType.ABORT


def _append(p: Partition, batch) -> int:
    result = p.append_as_leader(batch, 0)
    assert result.error == Errors.NONE
    return result.base_offset


def _marker(p: Partition, pid: int, kind: ControlRecordType) -> int:
    result = p.append_end_txn_marker(pid, 0, kind, 0, 0)
    assert result.error == Errors.NONE
    return result.base_offset


def test_fetch_up_to_last_stable_offset_fixture(kit):
    """§4.2 testFetchUpToLastStableOffset: LSO 0/0/0/8/8/28 as the HW moves 0→26→27→28."""
    p = Partition("t", 0)
    p.hold_high_watermark()  # HW = 0 while the fixture's data is written
    pid1, pid2 = 1, 2
    assert _append(p, kit.txn_n(pid1, 0, 0, 5)) == 0  # 0-4
    assert _append(p, kit.plain_n(3)) == 5  # 5-7
    assert _append(p, kit.txn_n(pid2, 0, 0, 2)) == 8  # 8-9
    assert _append(p, kit.txn_n(pid1, 0, 5, 4)) == 10  # 10-13
    assert _append(p, kit.plain_n(2)) == 14  # 14-15
    assert _append(p, kit.txn_n(pid1, 0, 9, 10)) == 16  # 16-25
    assert kit.offsets(p) == (26, 0, 0)  # HW = 0 -> LSO = 0

    p.release_high_watermark()
    assert kit.offsets(p) == (26, 26, 0)  # HW = 26 -> LSO = 0 (both transactions open)
    assert p.read(0, 1 << 20, READ_COMMITTED).batches == []
    assert kit.fetched_offsets(p.read(0, 1 << 20, READ_UNCOMMITTED)) == list(range(26))

    p.hold_high_watermark()
    assert _marker(p, pid1, COMMIT) == 26
    assert kit.offsets(p) == (27, 26, 0)  # HW 26 is not above the marker: still 0
    assert p.first_unstable_offset() == 0

    p.release_high_watermark()
    assert kit.offsets(p) == (27, 27, 8)  # p1 decided and replicated; p2 still open at 8
    assert kit.fetched_offsets(p.read(0, 1 << 20, READ_COMMITTED)) == list(range(8))

    p.hold_high_watermark()
    assert _marker(p, pid2, ABORT) == 27
    assert kit.offsets(p) == (28, 27, 8)  # stays 8 until the HW moves
    assert kit.fetched_offsets(p.read(0, 1 << 20, READ_COMMITTED)) == list(range(8))

    p.release_high_watermark()
    assert kit.offsets(p) == (28, 28, 28)  # LSO = LEO
    assert p.first_unstable_offset() is None
    assert kit.fetched_offsets(p.read(0, 1 << 20, READ_COMMITTED), skip_control=False) == list(
        range(28)
    )
    assert kit.index(p) == [(pid2, 8, 27, 28)]


def _index_fixture(kit) -> tuple[Partition, list[tuple]]:
    """Replays §4.3's append sequence; returns the partition and (FUO, HW) after each marker."""
    p = Partition("t", 0)
    seq = {1: 0, 2: 0, 3: 0, 4: 0}
    fuo_at_markers = []
    script = [
        ("txn", 1, 5, 0),
        ("plain", None, 3, 5),
        ("txn", 2, 2, 8),
        ("txn", 1, 4, 10),
        ("txn", 3, 3, 14),
        ("plain", None, 2, 17),
        ("txn", 1, 10, 19),
        ("ABORT", 1, None, 29),
        ("txn", 2, 6, 30),
        ("txn", 4, 3, 36),
        ("plain", None, 10, 39),
        ("txn", 3, 9, 49),
        ("COMMIT", 3, None, 58),
        ("txn", 4, 8, 59),
        ("txn", 2, 7, 67),
        ("ABORT", 2, None, 74),
        ("plain", None, 10, 75),
        ("txn", 4, 4, 85),
        ("COMMIT", 4, None, 89),
    ]
    for kind, pid, n, expected_offset in script:
        if kind == "txn":
            offset = _append(p, kit.txn_n(pid, 0, seq[pid], n))
            seq[pid] += n
        elif kind == "plain":
            offset = _append(p, kit.plain_n(n))
        else:
            offset = _marker(p, pid, ControlRecordType[kind])
            fuo_at_markers.append((kind, pid, p.high_watermark, p.first_unstable_offset()))
        assert offset == expected_offset, (kind, pid)
    return p, fuo_at_markers


def test_transaction_index_updated_fixture(kit):
    """§4.3 testTransactionIndexUpdated: AbortedTxn(pid1,0,29,8), (pid2,8,74,36); FUO 8, 36, none."""
    p, fuo_at_markers = _index_fixture(kit)
    assert p.txn_index.all() == [AbortedTxn(1, 0, 29, 8), AbortedTxn(2, 8, 74, 36)]
    # (marker, pid, HW right after it, FUO): FUO 8 after HW = 30, 36 after HW = 75, none after 90
    assert fuo_at_markers == [
        ("ABORT", 1, 30, 8),
        ("COMMIT", 3, 59, 8),
        ("ABORT", 2, 75, 36),
        ("COMMIT", 4, 90, None),
    ]
    assert kit.offsets(p) == (90, 90, 90)


def test_index_scan_lists_aborted_txns_overlapping_the_fetch(kit):
    """§4.4: RC aborted list = entries with lastOffset >= fetchOffset and firstOffset < upper bound."""
    p, _ = _index_fixture(kit)
    assert p.read(0, 1 << 20, READ_COMMITTED).aborted_transactions == [(1, 0), (2, 8)]
    assert p.read(29, 1 << 20, READ_COMMITTED).aborted_transactions == [(1, 0), (2, 8)]
    assert p.read(30, 1 << 20, READ_COMMITTED).aborted_transactions == [(2, 8)]
    assert p.read(75, 1 << 20, READ_COMMITTED).aborted_transactions == []
    # max_bytes=1 returns only the first whole batch (0-4): upper bound 5, so only pid 1 overlaps
    small = p.read(0, 1, READ_COMMITTED)
    assert [(b.base_offset, b.last_offset) for b in small.batches] == [(0, 4)]
    assert small.aborted_transactions == [(1, 0)]
    # read_uncommitted never carries the list
    assert p.read(0, 1 << 20, READ_UNCOMMITTED).aborted_transactions is None


def test_commit_marker_of_open_txn_holds_lso_until_hw_passes_it(kit):
    """§4.2: a decided txn leaves unreplicatedTxns only when HW > its marker offset."""
    p = Partition("t", 0)
    _append(p, kit.txn(7, 0, 0, "a"))
    assert kit.offsets(p) == (1, 1, 0)
    p.hold_high_watermark()
    assert _marker(p, 7, COMMIT) == 1
    assert kit.offsets(p) == (2, 1, 0)
    assert p.producer_state.unreplicated_txns[0].last_offset == 1
    p.release_high_watermark()
    assert kit.offsets(p) == (2, 2, 2)
    assert p.producer_state.unreplicated_txns == {}
    assert p.producer_state.ongoing_txns == {}


def test_lso_equals_hw_without_transactional_data(kit):
    """§4.2: with no transactional data the LSO equals the HW (and never exceeds it)."""
    p = Partition("t", 0)
    _append(p, kit.plain("a", "b"))
    _append(p, kit.batch(3, 0, 0, "c"))  # idempotent, not transactional
    assert kit.offsets(p) == (3, 3, 3)
    assert p.first_unstable_offset() is None
    p.hold_high_watermark()
    _append(p, kit.plain("d"))
    assert kit.offsets(p) == (4, 3, 3)
