"""The offset timeline, asserted on its artists (not pixels), and rendered to PNG."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from eoslab.client import Producer, TopicPartition
from eoslab.views import log_dump, offset_timeline, png, style
from tests.conftest import consumer, txn_producer
from tests.views.scenarios import big_log, fresh, g1, g5, g14

timeline_module = importlib.import_module("eoslab.views.offset_timeline")


def detail(fig: Figure):
    return next(ax for ax in fig.axes if ax.get_gid() == "detail")


def overview(fig: Figure):
    return next(ax for ax in fig.axes if ax.get_gid() == "overview")


def by_gid(artists, gid: str) -> list:
    return [a for a in artists if a.get_gid() == gid]


def line_x(ax, gid: str) -> float:
    (line,) = by_gid(ax.lines, gid)
    xs = set(line.get_xdata())
    assert len(xs) == 1
    return xs.pop()


def arrows(ax) -> dict[str, Annotation]:
    return {
        a.get_gid(): a
        for a in ax.texts
        if isinstance(a, Annotation) and str(a.get_gid()).startswith("consumer:")
    }


def glyph_count(ax, kind: str) -> int:
    found = by_gid(ax.collections, f"markers:{kind}")
    return sum(len(c.get_offsets()) for c in found)


def cell_colours(ax, lane: str) -> list[str]:
    (cells,) = by_gid(ax.collections, f"cells:{lane}")
    return [to_hex(c).upper() for c in cells.get_facecolors()]


def test_g5_same_log_different_views() -> None:
    """G5: HW at 2, LSO at 0; the RC consumer waits at 0 above the lane, RU stands at 2 below."""
    cluster, *_ = g5()
    fig = offset_timeline(cluster)
    assert [ax.get_gid() for ax in fig.axes] == ["detail"]  # 2 offsets: no overview needed
    ax = detail(fig)
    assert cell_colours(ax, "t-0") == [
        style.FATE_COLOURS["open"],
        style.FATE_COLOURS["non-transactional"],
    ]
    assert line_x(ax, "HW:t-0") == 2
    assert line_x(ax, "LSO:t-0") == 0
    found = arrows(ax)
    assert set(found) == {"consumer:consumer-1:t-0", "consumer:consumer-2:t-0"}
    rc, ru = found["consumer:consumer-1:t-0"], found["consumer:consumer-2:t-0"]
    assert rc.get_text() == "consumer-1 RC fetch 0"  # position() is still -1001
    assert ru.get_text() == "consumer-2 RU pos 2"
    assert rc.xy[0] == 0 and ru.xy[0] == 2
    assert rc.xyann[1] > rc.xy[1] and ru.xyann[1] < ru.xy[1]  # RC above the lane, RU below
    assert rc.arrow_patch.get_edgecolor() is not None
    assert to_hex(rc.get_color()).upper() == style.ISOLATION["read_committed"]["color"]
    assert glyph_count(ax, "COMMIT") == glyph_count(ax, "ABORT") == 0


def test_g5_after_the_commit_both_consumers_meet_at_hw() -> None:
    cluster, p, rc, ru = g5()
    p.commit_transaction()
    rc.consume(10, 1.0)
    ru.consume(10, 1.0)
    ax = detail(offset_timeline(cluster))
    assert line_x(ax, "HW:t-0") == line_x(ax, "LSO:t-0") == 3
    assert glyph_count(ax, "COMMIT") == 1
    (commit,) = by_gid(ax.collections, "markers:COMMIT")
    assert commit.get_offsets()[0][0] == 2.5  # the cell of offset 2
    assert {a.get_text() for a in arrows(ax).values()} == {
        "consumer-1 RC pos 3",
        "consumer-2 RU pos 3",
    }


def test_g14_markers_have_glyphs_and_the_aborted_range_is_bracketed() -> None:
    cluster = g14()
    ax = detail(offset_timeline(cluster))
    assert glyph_count(ax, "ABORT") == 1 and glyph_count(ax, "COMMIT") == 1
    (brackets,) = by_gid(ax.collections, "aborted")
    assert isinstance(brackets, LineCollection)
    (segment,) = brackets.get_segments()
    assert (segment[:, 0].min(), segment[:, 0].max()) == (0, 2)  # "a" at 0 to the ABORT at 1
    assert cell_colours(ax, "t-0") == [
        style.FATE_COLOURS[f] for f in ("aborted", "marker", "committed", "marker")
    ]
    assert arrows(ax) == {}  # no consumers


def test_one_lane_per_partition_and_a_legend_for_every_glyph() -> None:
    cluster = fresh()
    cluster.create_topics([("u", 2, 1)])
    fig = offset_timeline(cluster)
    ax = detail(fig)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["t-0", "u-0", "u-1"]
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert set(style.FATES) <= labels
    assert {"COMMIT marker", "ABORT marker"} <= labels
    assert any(label.startswith("HW") for label in labels)
    assert any(label.startswith("LSO") for label in labels)
    assert any(label.startswith("read_committed") for label in labels)
    assert any(label.startswith("read_uncommitted") for label in labels)
    assert any(label.startswith("aborted transaction") for label in labels)
    only_u = offset_timeline(cluster, ["u"])
    assert [t.get_text() for t in detail(only_u).get_yticklabels()] == ["u-0", "u-1"]
    one = offset_timeline(cluster, ("u", 1))
    assert [t.get_text() for t in detail(one).get_yticklabels()] == ["u-1"]


def test_held_high_watermark_shows_the_log_end_offset() -> None:
    cluster = g1()
    cluster.hold_high_watermark("t", 0)
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="b")
    p.commit_transaction()
    ax = detail(offset_timeline(cluster))
    assert (line_x(ax, "HW:t-0"), line_x(ax, "LSO:t-0"), line_x(ax, "LEO:t-0")) == (2, 2, 4)


def test_large_log_overview_merges_runs_and_window_has_one_glyph_per_marker() -> None:
    cluster = fresh()
    big_log(cluster, "t", 3_000, per_txn=20)
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    c.consume(500, 1.0)
    position = c.position([TopicPartition("t", 0)])[0].offset
    fig = offset_timeline(cluster)
    ax, ov = detail(fig), overview(fig)
    a, b = ax.get_xlim()
    assert (round(a), round(b)) == (2_960, 3_000)  # the last 40 offsets by default
    dump = log_dump(cluster, "t", 0)
    in_window = dump[(dump["offset"] >= 2_960) & (dump["offset"] < 3_000)]
    for kind in ("COMMIT", "ABORT"):
        assert glyph_count(ax, kind) == int((in_window["marker"] == kind).sum())
    (runs,) = by_gid(ov.collections, "overview:t-0")
    fates = dump["fate"].astype(str).to_numpy()
    assert len(runs.get_paths()) == 1 + int((fates[1:] != fates[:-1]).sum())
    (shade,) = by_gid(ov.patches, "window")
    assert shade.get_x() == 2_960
    partition = cluster.partition("t", 0)
    assert line_x(ax, "HW:t-0") == partition.high_watermark == 3_000
    assert line_x(ov, "overview-LSO:t-0") == partition.last_stable_offset < 3_000
    (arrow,) = arrows(ax).values()  # the consumer stands left of the window: clamped, marked
    assert arrow.xy[0] == 2_960 and arrow.get_text() == f"consumer-1 RU pos {position} \u2190"
    assert len(ov.lines) == 3  # the overview shows it where it is (HW, LSO, one consumer)
    assert [m.get_xdata()[0] for m in ov.lines if m.get_marker() == "^"] == [position]


def test_explicit_window_and_clamped_consumer_arrows() -> None:
    cluster = fresh()
    big_log(cluster, "t", 300)
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    c.consume(500, 1.0)
    fig = offset_timeline(cluster, window=(10, 30))
    ax = detail(fig)
    assert ax.get_xlim() == (9.75, 30.25)
    (arrow,) = arrows(ax).values()
    assert arrow.xy[0] == 30 and arrow.get_text().endswith("\u2192")
    with pytest.raises(ValueError, match="empty"):
        offset_timeline(cluster, window=(5, 5))


def test_many_runs_are_binned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline_module, "MAX_RUNS", 10)
    monkeypatch.setattr(timeline_module, "BINS", 50)
    cluster = fresh()
    big_log(cluster, "t", 2_000)
    ov = overview(offset_timeline(cluster))
    (bins,) = by_gid(ov.collections, "overview:t-0")
    assert isinstance(bins, PolyCollection)
    heights = {}
    for path in bins.get_paths():
        xs, ys = path.vertices[:, 0], path.vertices[:, 1]
        key = round(float(xs.min()), 6)
        heights[key] = heights.get(key, 0.0) + float(ys.max() - ys.min())
    assert len(heights) == 50
    assert np.allclose(list(heights.values()), 0.6)  # each bin's fate shares add up


def test_png_renders_without_pyplot() -> None:
    cluster = g14()
    fig = offset_timeline(cluster)
    assert fig.canvas.manager is None  # not registered with pyplot
    data = png(fig)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
    assert isinstance(by_gid(detail(fig).collections, "markers:ABORT")[0], PathCollection)


def test_empty_cluster_draws_empty_lanes() -> None:
    assert png(offset_timeline(fresh()))[:4] == b"\x89PNG"


def test_default_window_follows_an_lso_held_far_behind_the_hw() -> None:
    """An open transaction at offset 100 holds the LSO while 200 plain records follow: the window
    shows where read_committed waits, not the end of the log."""
    cluster = fresh()
    plain = Producer({"bootstrap.servers": cluster.bootstrap_servers, "linger.ms": 0})
    for i in range(100):
        plain.produce("t", value=f"p{i}")
    plain.flush()
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="open")
    p.flush()
    for i in range(200):
        plain.produce("t", value=f"q{i}")
    plain.flush()
    ax = detail(offset_timeline(cluster))
    assert ax.get_xlim() == (89.75, 130.25)  # from 10 offsets before the LSO, 40 wide
    assert line_x(ax, "LSO:t-0") == 100
    assert by_gid(ax.lines, "HW:t-0") == []  # the HW (301) is in the overview only
