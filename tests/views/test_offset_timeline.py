"""The offset timeline, asserted on its artists (not pixels), and rendered to PNG."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from eoslab.client import Producer, TopicPartition
from eoslab.views import log_dump, offset_timeline, png, style
from eoslab.views.log_index import log_index
from tests.conftest import consumer, txn_producer
from tests.views.scenarios import big_log, fresh, g1, g5, g14

timeline_module = importlib.import_module("eoslab.views.offset_timeline")


def detail(fig: Figure):
    return next(ax for ax in fig.axes if ax.get_gid() == "detail")


def overview(fig: Figure):
    return next(ax for ax in fig.axes if ax.get_gid() == "overview")


def by_gid(artists, gid: str) -> list:
    """The visible artists with this gid (figures reused for redraws hide what they no longer
    need)."""
    return [a for a in artists if a.get_gid() == gid and a.get_visible()]


def lane_names(ax) -> list[str]:
    return [
        t.get_text() for t in ax.texts if str(t.get_gid()).startswith("lane:") and t.get_visible()
    ]


def ticks(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() is None and t.get_visible()]


def line_x(ax, gid: str) -> float:
    (line,) = by_gid(ax.lines, gid)
    xs = set(line.get_xdata())
    assert len(xs) == 1
    return xs.pop()


def arrows(ax) -> dict[str, Annotation]:
    return {
        a.get_gid(): a
        for a in ax.texts
        if isinstance(a, Annotation)
        and str(a.get_gid()).startswith("consumer:")
        and a.get_visible()
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
    assert lane_names(ax) == ["t-0", "u-0", "u-1"]
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert set(style.FATES) <= labels
    assert {"COMMIT marker", "ABORT marker"} <= labels
    assert any(label.startswith("HW") for label in labels)
    assert any(label.startswith("LSO") for label in labels)
    assert any(label.startswith("read_committed") for label in labels)
    assert any(label.startswith("read_uncommitted") for label in labels)
    assert any(label.startswith("aborted transaction") for label in labels)
    only_u = offset_timeline(cluster, ["u"])
    assert lane_names(detail(only_u)) == ["u-0", "u-1"]
    one = offset_timeline(cluster, ("u", 1))
    assert lane_names(detail(one)) == ["u-1"]


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


def test_large_log_overview_stacks_fates_and_window_has_one_glyph_per_marker() -> None:
    cluster = fresh()
    big_log(cluster, "t", 3_000, per_txn=20)
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    c.consume(500, 1.0)
    position = c.position([TopicPartition("t", 0)])[0].offset
    fig = offset_timeline(cluster)
    ax, ov = detail(fig), overview(fig)
    assert ax.get_xlim() == (2_960 - 0.3, 3_000 + 0.3)  # the last 40 offsets by default
    dump = log_dump(cluster, "t", 0)
    in_window = dump[(dump["offset"] >= 2_960) & (dump["offset"] < 3_000)]
    for kind in ("COMMIT", "ABORT"):
        assert glyph_count(ax, kind) == int((in_window["marker"] == kind).sum())
    assert cell_colours(ax, "t-0") == [style.FATE_COLOURS[f] for f in in_window["fate"]]
    (image,) = by_gid(ov.images, "overview:t-0")
    assert list(image.get_extent()[:2]) == [0, 3_000]
    pixels = image.get_array()
    assert pixels.shape[0] == 10 and 700 < pixels.shape[1] < 880  # one column per pixel
    colours = {to_hex(tuple(p / 255)).upper() for p in pixels.reshape(-1, 3)}
    assert colours == {style.FATE_COLOURS[f] for f in set(dump["fate"].astype(str))}
    (shade,) = by_gid(ov.patches, "window")
    assert (shade.get_x(), shade.get_width()) == (2_960, 40)
    partition = cluster.partition("t", 0)
    assert line_x(ax, "HW:t-0") == partition.high_watermark == 3_000
    assert line_x(ov, "overview-LSO:t-0") == partition.last_stable_offset < 3_000
    (arrow,) = arrows(ax).values()  # the consumer stands left of the window: clamped, marked
    assert arrow.xy[0] == 2_960 and arrow.get_text() == f"consumer-1 RU pos {position} \u2190"
    (mark,) = by_gid(ov.lines, "overview-consumer:consumer-1:t-0")  # the overview: where it is
    assert mark.get_xdata()[0] == position and mark.get_marker() == "^"


def test_overview_columns_are_stacked_by_the_share_of_each_fate() -> None:
    """Column k of the overview covers offsets [edges[k], edges[k+1]); its 10 pixel rows are
    shared out between the fates found there, every fate present getting at least one row."""
    cluster = fresh()
    big_log(cluster, "t", 2_000)
    index = log_index(cluster.partition("t", 0))
    edges = np.array([0, 500, 1_000, 1_500, 2_000])
    image = timeline_module._stacked_columns(index, edges)
    assert image.shape == (10, 4, 3)
    fates = log_dump(cluster, "t", 0)["fate"].astype(str).to_numpy()
    for k in range(4):
        column = [to_hex(tuple(p / 255)).upper() for p in image[:, k]]
        shares = {f: int((fates[edges[k] : edges[k + 1]] == f).sum()) for f in style.FATES}
        rows = {f: column.count(style.FATE_COLOURS[f]) for f in style.FATES}
        assert {f for f, n in rows.items() if n} == {f for f, n in shares.items() if n}
        assert sum(rows.values()) == 10
        biggest = max(shares, key=shares.get)
        assert rows[biggest] == max(rows.values())


def test_explicit_window_and_clamped_consumer_arrows() -> None:
    cluster = fresh()
    big_log(cluster, "t", 300)
    c = consumer(cluster, "read_uncommitted")
    c.assign([TopicPartition("t", 0, 0)])
    c.consume(500, 1.0)
    fig = offset_timeline(cluster, window=(10, 30))
    ax = detail(fig)
    assert ax.get_xlim() == (9.7, 30.3)
    (arrow,) = arrows(ax).values()
    assert arrow.xy[0] == 30 and arrow.get_text().endswith("\u2192")
    with pytest.raises(ValueError, match="empty"):
        offset_timeline(cluster, window=(5, 5))


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
    assert ax.get_xlim() == (89.7, 130.3)  # from 10 offsets before the LSO, 40 wide
    assert line_x(ax, "LSO:t-0") == 100
    assert by_gid(ax.lines, "HW:t-0") == []  # the HW (301) is in the overview only
