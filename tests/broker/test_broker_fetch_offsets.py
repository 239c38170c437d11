"""Fetch per isolation level (§4.4), ListOffsets (§4.5) and the offset layouts of §1.3 / G1-G6."""

from __future__ import annotations

import pytest

from eoslab.broker import Errors
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED

LATEST, EARLIEST = -1, -2


def _g5(kit, raw_producer):
    """G5: pid 0 sends "a" (open), a plain producer sends "x"."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    assert tx.send("t", 0, "a").base_offset == 0
    assert cluster.produce("t", 0, kit.plain("x")).base_offset == 1
    return cluster, tx


def test_fetch_bound_is_hw_for_read_uncommitted_and_lso_for_read_committed(kit, raw_producer):
    """§4.4 / G5: RU reads up to the HW (2), RC up to the LSO (0); both report HW, LSO, log start."""
    cluster, _ = _g5(kit, raw_producer)
    p = cluster.partition("t", 0)
    assert kit.offsets(p) == (2, 2, 0)
    rc = cluster.fetch("t", 0, 0, READ_COMMITTED)
    ru = cluster.fetch("t", 0, 0, READ_UNCOMMITTED)
    assert (rc.error, rc.batches, rc.aborted_transactions) == (Errors.NONE, [], [])
    assert (ru.error, kit.fetched_offsets(ru), ru.aborted_transactions) == (
        Errors.NONE,
        [0, 1],
        None,
    )
    for r in (rc, ru):
        assert (r.high_watermark, r.last_stable_offset, r.log_start_offset) == (2, 0, 0)


def test_g5_commit_releases_read_committed(kit, raw_producer):
    """G5: COMMIT(0,0) at 2, HW = LSO = 3; RC then gets [0 "a", 1 "x"] and the marker batch."""
    cluster, tx = _g5(kit, raw_producer)
    assert tx.commit() == Errors.NONE
    p = cluster.partition("t", 0)
    assert kit.layout(p) == ['0: D tx(0,0,0) "a"', '1: D(-1,-1,-1) "x"', "2: COMMIT(0,0)"]
    assert kit.offsets(p) == (3, 3, 3)
    rc = cluster.fetch("t", 0, 0, READ_COMMITTED)
    assert kit.fetched_offsets(rc) == [0, 1]
    assert kit.fetched_offsets(rc, skip_control=False) == [0, 1, 2]
    assert rc.aborted_transactions == []


def test_read_uncommitted_stops_at_a_held_high_watermark(kit):
    """§4.2 / §4.4: data past the HW is in the log but not served to a consumer."""
    cluster = kit.cluster()
    cluster.produce("t", 0, kit.plain("a"))
    cluster.hold_high_watermark("t", 0)
    cluster.produce("t", 0, kit.plain("b"))
    p = cluster.partition("t", 0)
    assert kit.offsets(p) == (2, 1, 1)
    assert kit.fetched_offsets(cluster.fetch("t", 0, 0, READ_UNCOMMITTED)) == [0]
    assert kit.fetched_offsets(cluster.fetch("t", 0, 0, READ_COMMITTED)) == [0]
    assert cluster.fetch("t", 0, 1, READ_UNCOMMITTED).batches == []  # between HW and LEO: empty
    cluster.release_high_watermark("t", 0)
    assert kit.offsets(p) == (2, 2, 2)
    assert kit.fetched_offsets(cluster.fetch("t", 0, 1, READ_UNCOMMITTED)) == [1]
    held = cluster.journal.events(api="HoldHighWatermark")
    released = cluster.journal.events(api="ReleaseHighWatermark")
    assert [(e.actor, e.result) for e in held + released] == [("cluster", "NONE")] * 2
    assert tuple(map(str, released[0].effects)) == ("t-0 HW 1 -> 2, LSO 2",)


def test_fetch_returns_whole_batches_even_before_the_fetch_offset(kit):
    """§4.4: whole batches; the first may start before the fetch offset (the client skips)."""
    cluster = kit.cluster()
    cluster.produce("t", 0, kit.plain("a", "b", "c"))
    cluster.produce("t", 0, kit.plain("d"))
    r = cluster.fetch("t", 0, 1, READ_UNCOMMITTED)
    assert [(b.base_offset, b.last_offset) for b in r.batches] == [(0, 2), (3, 3)]
    r = cluster.fetch("t", 0, 3, READ_UNCOMMITTED)
    assert [(b.base_offset, b.last_offset) for b in r.batches] == [(3, 3)]


def test_fetch_at_bound_is_empty_and_past_leo_is_offset_out_of_range(kit):
    """§4.4: fetchOffset == bound -> empty NONE; past the LEO -> OFFSET_OUT_OF_RANGE."""
    cluster = kit.cluster()
    cluster.produce("t", 0, kit.plain("a"))
    for isolation in (READ_COMMITTED, READ_UNCOMMITTED):
        at_end = cluster.fetch("t", 0, 1, isolation)
        assert (at_end.error, at_end.batches) == (Errors.NONE, [])
        past = cluster.fetch("t", 0, 2, isolation)
        assert (past.error, past.batches) == (Errors.OFFSET_OUT_OF_RANGE, [])
        assert (past.high_watermark, past.last_stable_offset) == (1, 1)
        before_start = cluster.fetch("t", 0, -1, isolation)
        assert before_start.error == Errors.OFFSET_OUT_OF_RANGE
    assert cluster.fetch("t", 0, 2, READ_UNCOMMITTED).aborted_transactions is None
    assert cluster.journal[-1].result == "OFFSET_OUT_OF_RANGE"


def test_fetch_first_batch_is_returned_even_if_larger_than_max_bytes(kit):
    """§4.4 (KIP-74): at least one whole batch, then batches while they fit in max_bytes."""
    cluster = kit.cluster()
    cluster.produce("t", 0, kit.plain("a" * 100))
    cluster.produce("t", 0, kit.plain("b"))
    r = cluster.fetch("t", 0, 0, READ_UNCOMMITTED, max_bytes=10)
    assert [b.base_offset for b in r.batches] == [0]
    size = r.batches[0].size_in_bytes()
    r = cluster.fetch("t", 0, 0, READ_UNCOMMITTED, max_bytes=size + 10)
    assert [b.base_offset for b in r.batches] == [0]
    both = size + cluster.partition("t", 0).batches[1].size_in_bytes()
    r = cluster.fetch("t", 0, 0, READ_UNCOMMITTED, max_bytes=both)
    assert [b.base_offset for b in r.batches] == [0, 1]


def test_g3_aborted_list_only_for_read_committed(kit, raw_producer):
    """G3 / §4.4: RC from 0 carries [(pid 0, first 0)]; RU carries null; index (0,0,1,2)."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.abort() == Errors.NONE
    p = cluster.partition("t", 0)
    assert kit.layout(p) == ['0: D tx(0,0,0) "a"', "1: ABORT(0,0)"]
    assert kit.offsets(p) == (2, 2, 2)
    assert kit.index(p) == [(0, 0, 1, 2)]
    rc = cluster.fetch("t", 0, 0, READ_COMMITTED)
    assert rc.aborted_transactions == [(0, 0)]
    assert kit.fetched_offsets(rc, skip_control=False) == [0, 1]  # aborted data goes on the wire
    assert cluster.fetch("t", 0, 1, READ_COMMITTED).aborted_transactions == [(0, 0)]
    assert cluster.fetch("t", 0, 2, READ_COMMITTED).aborted_transactions == []
    assert cluster.fetch("t", 0, 0, READ_UNCOMMITTED).aborted_transactions is None


@pytest.mark.parametrize(
    ("isolation", "latest"),
    [(READ_COMMITTED, 0), (READ_UNCOMMITTED, 2), (None, 3)],
    ids=["read_committed-LSO", "read_uncommitted-HW", "no-isolation-LEO"],
)
def test_list_offsets_latest_by_isolation_and_earliest_is_log_start(
    kit, raw_producer, isolation, latest
):
    """§4.5: LATEST = LSO (RC) / HW (RU) / LEO (no isolation); EARLIEST = log start offset."""
    cluster, _ = _g5(kit, raw_producer)
    cluster.hold_high_watermark("t", 0)
    cluster.produce("t", 0, kit.plain("y"))
    assert kit.offsets(cluster.partition("t", 0)) == (3, 2, 0)
    r = cluster.list_offsets("t", 0, LATEST, isolation)
    assert (r.error, r.offset) == (Errors.NONE, latest)
    r = cluster.list_offsets("t", 0, EARLIEST, isolation)
    assert (r.error, r.offset) == (Errors.NONE, 0)


def test_list_offsets_and_fetch_on_unknown_partition(kit):
    """§4.4/§4.5: a partition the cluster does not have -> UNKNOWN_TOPIC_OR_PARTITION."""
    cluster = kit.cluster()
    assert cluster.list_offsets("t", 3, LATEST).error == Errors.UNKNOWN_TOPIC_OR_PARTITION
    assert cluster.fetch("nope", 0, 0).error == Errors.UNKNOWN_TOPIC_OR_PARTITION
    assert cluster.produce("nope", 0, kit.plain("a")).error == Errors.UNKNOWN_TOPIC_OR_PARTITION


# -- §1.3 worked examples and golden layouts -----------------------------------------------------
@pytest.mark.parametrize("commit", [True, False], ids=["commits", "aborts"])
def test_offsets_consumed_by_two_transactions(kit, raw_producer, commit):
    """§1.3 table: send/commit/send/commit -> HW,LSO (1,0) (2,2) (3,2) (4,4); markers take 1 offset."""
    cluster = kit.cluster()
    p = cluster.partition("t", 0)
    tx = raw_producer(cluster, "tx")
    tx.init()
    seen = []
    for value in ("a", "b"):
        tx.add(("t", 0))
        tx.send("t", 0, value)
        seen.append((p.high_watermark, p.last_stable_offset))
        assert tx.end(commit) == Errors.NONE
        seen.append((p.high_watermark, p.last_stable_offset))
    assert seen == [(1, 0), (2, 2), (3, 2), (4, 4)]
    kind = "COMMIT" if commit else "ABORT"
    assert kit.layout(p) == [
        '0: D tx(0,0,0) "a"',
        f"1: {kind}(0,0)",
        '2: D tx(0,0,1) "b"',
        f"3: {kind}(0,0)",
    ]
    assert kit.index(p) == ([] if commit else [(0, 0, 1, 2), (0, 2, 3, 4)])


def test_g1_one_record_commit(kit, raw_producer):
    """G1: 0: D tx(0,0,0) "a", 1: COMMIT(0,0); LEO = HW = LSO = 2; no index; endOffsets 2/2."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    assert (tx.init().producer_id, tx.producer_epoch) == (0, 0)
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.commit() == Errors.NONE
    p = cluster.partition("t", 0)
    assert kit.layout(p) == ['0: D tx(0,0,0) "a"', "1: COMMIT(0,0)"]
    assert kit.markers(p) == [(1, "COMMIT", 0, 0, 0)]
    assert kit.offsets(p) == (2, 2, 2)
    assert kit.index(p) == []
    assert cluster.list_offsets("t", 0, LATEST, READ_COMMITTED).offset == 2
    assert cluster.list_offsets("t", 0, LATEST, READ_UNCOMMITTED).offset == 2


def test_g4_commit_abort_then_plain_record(kit, raw_producer):
    """G4: 0 "a", 1 COMMIT, 2 "b", 3 ABORT, 4 plain "c"; HW = LSO = 5; index (0, 2, 3, 4)."""
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    for value, commit in (("a", True), ("b", False)):
        tx.add(("t", 0))
        tx.send("t", 0, value)
        tx.end(commit)
    cluster.produce("t", 0, kit.plain("c"))
    p = cluster.partition("t", 0)
    assert kit.layout(p) == [
        '0: D tx(0,0,0) "a"',
        "1: COMMIT(0,0)",
        '2: D tx(0,0,1) "b"',
        "3: ABORT(0,0)",
        '4: D(-1,-1,-1) "c"',
    ]
    assert kit.offsets(p) == (5, 5, 5)
    assert kit.index(p) == [(0, 2, 3, 4)]
    assert cluster.fetch("t", 0, 0, READ_COMMITTED).aborted_transactions == [(0, 2)]


def test_g6_later_commit_first_keeps_lso_at_the_older_open_txn(kit, raw_producer):
    """G6: P1 commits first -> HW 3, LSO 0; P0 commits -> HW = LSO = 4; no index."""
    cluster = kit.cluster()
    p0, p1 = raw_producer(cluster, "p0"), raw_producer(cluster, "p1")
    assert (p0.init().producer_id, p1.init().producer_id) == (0, 1)
    p0.add(("t", 0))
    p1.add(("t", 0))
    assert p0.send("t", 0, "a").base_offset == 0
    assert p1.send("t", 0, "b").base_offset == 1
    assert p1.commit() == Errors.NONE
    part = cluster.partition("t", 0)
    assert kit.layout(part)[-1] == "2: COMMIT(1,0)"
    assert kit.offsets(part) == (3, 3, 0)
    assert cluster.fetch("t", 0, 0, READ_COMMITTED).batches == []
    assert p0.commit() == Errors.NONE
    assert kit.layout(part) == [
        '0: D tx(0,0,0) "a"',
        '1: D tx(1,0,0) "b"',
        "2: COMMIT(1,0)",
        "3: COMMIT(0,0)",
    ]
    assert kit.offsets(part) == (4, 4, 4)
    assert kit.index(part) == []
    assert kit.fetched_offsets(cluster.fetch("t", 0, 0, READ_COMMITTED)) == [0, 1]
