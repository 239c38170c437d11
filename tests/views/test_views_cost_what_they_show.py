"""Views that show a tail or a window compute it from indexes, and give exactly the rows the whole
table would give there; the incremental log index always agrees with a full scan of the log."""

from __future__ import annotations

import pandas as pd
import pytest

from eoslab.views import (
    aborted_index,
    at_step,
    journal_table,
    log_dump,
    offset_timeline_png,
    transaction_log,
)
from eoslab.views.fates import scan
from eoslab.views.log_index import log_index
from tests.conftest import txn_producer
from tests.views.scenarios import big_log, fresh, g14


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize("rows", [0, 1, 7, 10, 11, 25, 300, 5_000])
def test_log_dump_tail_is_the_tail_of_the_whole_dump(rows: int) -> None:
    cluster = fresh()
    big_log(cluster, "t", 1_200)  # ends in an open transaction: its rows are "open"
    whole = log_dump(cluster, "t", 0)
    tail = log_dump(cluster, "t", 0, tail=rows)
    same(tail, whole.tail(rows) if rows else whole.iloc[:0])
    assert len(tail) == min(rows, 1_200)


@pytest.mark.parametrize("window", [(0, 1), (5, 17), (333, 334), (1_190, 1_200), (1_150, 5_000)])
def test_log_dump_window_is_the_slice_of_the_whole_dump(window: tuple[int, int]) -> None:
    cluster = fresh()
    big_log(cluster, "t", 1_200)
    whole = log_dump(cluster, "t", 0)
    part = log_dump(cluster, "t", 0, window=window)
    same(part, whole[(whole["offset"] >= window[0]) & (whole["offset"] < window[1])])


def test_log_dump_tail_and_window_are_checked() -> None:
    cluster = g14()
    with pytest.raises(ValueError, match="empty"):
        log_dump(cluster, "t", 0, window=(3, 3))
    with pytest.raises(ValueError, match="tail"):
        log_dump(cluster, "t", 0, tail=-1)
    with pytest.raises(ValueError, match="not both"):
        log_dump(cluster, "t", 0, window=(0, 1), tail=1)


@pytest.mark.parametrize("rows", [1, 3, 6, 100])
def test_transaction_log_tail_is_the_tail_of_the_whole_table(rows: int) -> None:
    cluster = g14()
    p = txn_producer(cluster, "other")
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="x")
    p.commit_transaction()
    whole = transaction_log(cluster)
    assert len(whole) > 6
    same(transaction_log(cluster, tail=rows), whole.tail(rows))
    one = transaction_log(cluster, "tx")
    same(transaction_log(cluster, "tx", tail=rows), one.tail(rows))


@pytest.mark.parametrize("rows", [0, 1, 3, 6, 100])
def test_transaction_log_newest_is_the_latest_records_across_partitions(rows: int) -> None:
    """Two ids on different coordinator partitions, written alternately: `newest` follows time,
    not partition order (the dashboard shows what the coordinator wrote last)."""
    cluster = fresh()
    a, b = txn_producer(cluster, "tx"), txn_producer(cluster, "other")
    assert cluster.txn_coordinator.partition_for("tx") != cluster.txn_coordinator.partition_for(
        "other"
    )
    for p in (a, b):
        p.init_transactions()
    for _ in range(3):
        for p in (a, b):
            cluster.advance(10)
            p.begin_transaction()
            p.produce("t", value="x")
            p.commit_transaction()
    whole = transaction_log(cluster).sort_values(["timestamp", "partition", "offset"])
    newest = transaction_log(cluster, newest=rows)
    same(newest, whole.tail(rows) if rows else whole.iloc[:0])
    assert len(newest) == min(rows, len(whole))
    if rows == 6:
        assert list(newest["transactional_id"]) == ["tx"] * 3 + ["other"] * 3
    with pytest.raises(ValueError, match="not both"):
        transaction_log(cluster, tail=1, newest=1)


def test_the_log_index_follows_appends_and_decisions() -> None:
    """An open transaction's batches turn committed or aborted when their marker arrives; the
    index, extended batch by batch, agrees with a full scan after every request."""
    cluster = fresh()
    partition = cluster.partition("t", 0)
    a, b = txn_producer(cluster, "a"), txn_producer(cluster, "b")
    a.init_transactions()
    b.init_transactions()
    steps = [
        lambda: a.begin_transaction(),
        lambda: (a.produce("t", value="a1"), a.flush()),
        lambda: b.begin_transaction(),
        lambda: (b.produce("t", value="b1"), b.flush()),
        lambda: (a.produce("t", value="a2"), a.flush()),
        lambda: b.abort_transaction(),
        lambda: a.commit_transaction(),
    ]
    for step in steps:
        step()
        index = log_index(partition)
        full = scan(partition.batches)
        assert index.n == len(partition.batches)
        assert index.fate[: index.n].tolist() == full.fates.tolist()
        assert index.offset_fates(0, 100).tolist() == full.offset_fates().tolist()
    assert index.offset_fates(0, 100).tolist() == [0, 1, 0, 4, 4]  # a1, b1, a2, ABORT, COMMIT


def test_time_travel_draws_the_past_not_the_cached_present() -> None:
    """`offset_timeline_png` keeps a figure between calls; the cluster of `at_step` is another
    cluster, so its picture is its own, and going back to the present draws the present."""
    cluster = g14()
    now = offset_timeline_png(cluster)
    past = offset_timeline_png(at_step(cluster, 3))
    assert past[0] != now[0]
    assert offset_timeline_png(cluster)[0] == now[0]
    assert log_index(at_step(cluster, 3).partition("t", 0)).n == 0  # nothing written by then


@pytest.mark.parametrize("rows", [0, 1, 5, 1_000])
def test_aborted_index_and_journal_tails(rows: int) -> None:
    cluster = fresh()
    big_log(cluster, "t", 600)
    whole = aborted_index(cluster, "t", 0)
    assert len(whole) > 5
    same(aborted_index(cluster, "t", 0, tail=rows), whole.tail(rows) if rows else whole.iloc[:0])
    events = len(cluster.journal)
    start = max(events - rows, 0)
    same(journal_table(cluster, start), journal_table(cluster).iloc[start:])
    same(journal_table(cluster, -3, -1), journal_table(cluster).iloc[events - 3 : events - 1])


def test_a_new_cluster_of_the_same_shape_is_drawn_anew() -> None:
    """A dashboard reset: a new cluster whose log has the same length, HW and LSO as the last one
    drawn, but an ABORT where the other had a COMMIT. The kept picture must not be reused."""
    pictures = []
    for commit in (True, False):
        cluster = fresh()
        p = txn_producer(cluster)
        p.init_transactions()
        p.begin_transaction()
        p.produce("t", value="a")
        p.flush()
        p.commit_transaction() if commit else p.abort_transaction()
        pictures.append(offset_timeline_png(cluster)[0])
        del cluster, p
    assert pictures[0] != pictures[1]
