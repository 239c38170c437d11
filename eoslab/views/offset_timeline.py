"""The offset timeline: one lane per partition, one cell per offset, coloured by fate.

One picture for the seed's point, "same log, different views": COMMIT and ABORT markers each take
an offset and carry a glyph (✓, ✗); each aborted transaction's range, from its first record to its
ABORT marker, is bracketed; the HW and LSO are labelled lines; every consumer assigned to the
partition is an arrow at its position, read_committed above the lane and read_uncommitted below.

Readable at 1 offset and at 1,000,000: the detail panel shows a window of at least `MIN_WINDOW`
offsets, one cell each (a lane with one record is one cell, not a bar across the page). When the
log is longer than `detail` offsets (or a window is asked for), an overview above it shows the
whole log at one column per pixel, each column stacked by the share of each fate, with the window
shaded. The default window is the end of the log, or, when an open transaction holds an LSO below
the HW, the offsets around that LSO: where read_committed consumers wait.

Legible at the size it is shown: the figure is laid out for `DISPLAY_DPI` (11 in = 880 px), all
text at `FONT_PT` or more (10 px there), offsets labelled only as often as their labels fit, and
labels stacked in rows so that none overlaps another (widths measured before drawing).

Fast, and as fast at 1M offsets as at 10k: the log is read through `log_index` (only what was
appended since the last look), the window from the batches that hold it, and the figure is laid
out with fixed margins in points, with no axis machinery (ticks are a handful of texts). The
dashboard goes through `offset_timeline_png`, which keeps one figure and its artists per layout
and updates their data instead of building a figure per click.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation

from ..i18n import language, tr_figure
from .cluster_state import ClusterState
from .figure import DISPLAY_DPI, FONT_PT, TITLE_PT, ArtistPool, ViewFigure, render_png
from .log_index import LogIndex
from .style import (
    ABORTED_BRACKET_COLOUR,
    FATE_COLOURS,
    FATE_LABELS,
    FATES,
    ISOLATION,
    LINE_HELP,
    LINE_STYLES,
    MARKER_COLOURS,
    MARKER_GLYPHS,
)
from .text_width import text_width_px
from .timeline_plan import (
    _FACE,
    _MARKER,
    _MARKER_KINDS,
    _OVERVIEW_ROWS,
    _RGB,
    BOTTOM,
    CELL_H,
    DETAIL,
    GAP,
    LABEL_PAD_PX,
    LEGEND_PT,
    MAX_CELLS_WITH_EDGES,
    MAX_GLYPH_CELLS,
    OVERVIEW_BAND,
    RIGHT,
    ROW,
    STEM,
    TICK_ROW,
    TITLE_ROW,
    WIDTH_IN,
    Label,
    Lane,
    Layout,
    Plan,
    _plan,
)


def offset_timeline(
    cluster: ClusterState,
    partitions: Iterable[str | tuple[str, int]] | str | None = None,
    window: tuple[int, int] | None = None,
    *,
    detail: int = DETAIL,
    width: float = WIDTH_IN,
    legend: bool = True,
) -> Figure:
    """The timeline of `partitions` (topic names or (topic, partition); default: every partition
    of every non-internal topic). `window` = (first offset, end offset) for the detail panel;
    by default the last `detail` offsets, or the offsets around the lowest LSO held below its HW.
    `width` in inches (laid out for 80 dpi); `legend=False` leaves the legend out (the dashboard
    shows it once, as HTML). Returns a `ViewFigure`: the last value of a notebook cell, it shows
    as an image."""
    painter = TimelinePainter()
    painter.paint(_plan(cluster, partitions, window, detail, width, legend))
    return painter.fig


_PAINTERS: OrderedDict[Any, TimelinePainter] = OrderedDict()
_KEEP = 4  # painters kept for reuse (one per combination of arguments a dashboard asks for)


def offset_timeline_png(
    cluster: ClusterState,
    partitions: Iterable[str | tuple[str, int]] | str | None = None,
    window: tuple[int, int] | None = None,
    *,
    detail: int = DETAIL,
    width: float = WIDTH_IN,
    legend: bool = False,
    dpi: float = DISPLAY_DPI,
) -> tuple[bytes, int, int]:
    """`offset_timeline` as (PNG bytes, width, height), for redrawing at every click.

    The same picture as `offset_timeline(...)`, drawn on a figure kept from the last call with the
    same arguments (its artists updated, not rebuilt). What it draws is read from `cluster` alone at
    every call, so time travel (`at_step`) and a fresh cluster are drawn right; if nothing drawn
    has changed since the last call (same log, same positions), the last PNG is returned as is.
    """
    key = (_freeze(partitions), window, detail, width, legend, dpi, language())  # words differ
    painter = _PAINTERS.pop(key, None) or TimelinePainter()
    _PAINTERS[key] = painter
    while len(_PAINTERS) > _KEEP:
        _PAINTERS.popitem(last=False)
    plan = _plan(cluster, partitions, window, detail, width, legend)
    signature = plan.signature()
    if painter.png is not None and painter.signature == signature:
        return painter.png
    painter.paint(plan)
    painter.png = render_png(painter.fig, dpi=dpi)
    painter.signature = signature
    # the objects whose ids are in the signature stay alive with it, so no id is reused
    painter.kept = [(lane.partition, lane.index.last) for lane in plan.lanes]
    return painter.png


def _freeze(partitions: Any) -> Any:
    if partitions is None or isinstance(partitions, str | tuple):
        return partitions
    return tuple(partitions)


# -- reading the cluster -------------------------------------------------------------------------
class TimelinePainter:
    """One figure and its artists, created once and updated for each plan."""

    def __init__(self) -> None:
        self.fig = ViewFigure(figsize=(WIDTH_IN, 3.0))
        self.overview = self.fig.add_axes((0, 0, 1, 1))
        self.detail = self.fig.add_axes((0, 0, 1, 1))
        for ax, gid in ((self.overview, "overview"), (self.detail, "detail")):
            ax.set_axis_off()
            ax.set_gid(gid)
        self.artists = ArtistPool()  # keyed by (axes, kind)
        self.legend = None
        self.png: tuple[bytes, int, int] | None = None
        self.signature: tuple | None = None
        self.kept: list[Any] = []
        self.detail_title = self.detail.text(0, 0, "", fontsize=TITLE_PT, va="baseline")
        self.overview_title = self.overview.text(0, 0, "", fontsize=TITLE_PT, va="baseline")
        self.window_shade = Rectangle((0, 0), 1, 1, color="#000000", alpha=0.12, zorder=0)
        self.window_shade.set_gid("window")
        self.overview.add_patch(self.window_shade)
        self.brackets = LineCollection(
            [], colors=ABORTED_BRACKET_COLOUR, linewidths=1.8, zorder=3, gid="aborted"
        )
        self.detail.add_collection(self.brackets, autolim=False)
        self.glyphs = {
            kind: self.detail.scatter(
                [],
                [],
                marker=MARKER_GLYPHS[kind],
                c=MARKER_COLOURS[kind],
                zorder=4,
                gid=f"markers:{kind}",
                label=f"{kind} marker",
            )
            for kind in ("COMMIT", "ABORT")
        }

    # a pool of artists of one kind per axes: taken in order, the rest hidden after a paint
    def _take(self, ax: Axes, kind: str, make: Any) -> Any:
        return self.artists.take((id(ax), kind), make)

    def _hide_unused(self) -> None:
        self.artists.hide_unused()

    def paint(self, plan: Plan) -> None:
        layout, lanes = plan.layout, plan.lanes
        fig = self.fig
        width_in, height_in = layout.width_in, layout.height_pt / 72
        if tuple(fig.get_size_inches()) != (width_in, height_in):
            fig.set_size_inches(width_in, height_in, forward=False)
        left = layout.left_pt / 72 / width_in
        panel_w = 1 - left - RIGHT / 72 / width_in
        legend_pt = LEGEND_PT if layout.legend else 0.0
        detail_bottom = (BOTTOM + legend_pt) / layout.height_pt
        self.detail.set_position(
            (left, detail_bottom, panel_w, layout.detail_pt / layout.height_pt)
        )
        shown = self.overview in fig.axes
        if shown and not layout.overview:
            self.overview.remove()
        elif layout.overview and not shown:
            fig.add_axes(self.overview)
        if layout.overview:
            bottom = (BOTTOM + legend_pt + layout.detail_pt + GAP) / layout.height_pt
            self.overview.set_position(
                (left, bottom, panel_w, layout.overview_pt / layout.height_pt)
            )
            self._paint_overview(lanes, layout)
        self._paint_detail(lanes, layout, plan.labels)
        self._hide_unused()
        self._paint_legend(lanes, layout)

    # -- the detail panel ------------------------------------------------------------------------
    def _paint_detail(
        self, lanes: Sequence[Lane], layout: Layout, labels: list[list[Label]]
    ) -> None:
        ax = self.detail
        a, b = layout.window
        ax.set_xlim(layout.x0(), layout.x1())
        ax.set_ylim(0, layout.detail_pt)
        cells = b - a
        glyph_xy: dict[str, list[tuple[float, float]]] = {"COMMIT": [], "ABORT": []}
        brackets = []
        details = cells <= MAX_GLYPH_CELLS  # past this, one glyph or bracket would be a speck
        for i, lane in enumerate(lanes):
            y = layout.lane_y(i)
            self._lane_name(ax, lane.name, layout.x0() - LABEL_PAD_PX / layout.cell_px(), y)
            lo, hi = max(a, lane.start), min(b, lane.end)
            if hi > lo:
                codes = lane.index.offset_fates(lo, hi)
                self._cells(ax, codes, lo, y, CELL_H / 2, f"cells:{lane.name}")
                if details:
                    index = lane.index
                    i0, i1 = index.batch_range(lo, hi)
                    for k in np.flatnonzero(index.fate[i0:i1] == _MARKER) + i0:
                        kind = _MARKER_KINDS.get(int(index.control[k]))
                        if kind:
                            glyph_xy[kind].append((float(index.base[k]) + 0.5, y))
            if details:
                for t in lane.partition.txn_index.collect_aborted_txns(a, b):
                    x0, x1 = max(t.first_offset, a), min(t.last_offset + 1, b)
                    if x1 > x0:
                        yb = y - CELL_H / 2 - 3
                        brackets.append([(x0, yb + 3), (x0, yb), (x1, yb), (x1, yb + 3)])
            self._offset_lines(ax, lane, y, a, b)
            self._labels(ax, labels[i], y, layout)
        size = float(np.clip((layout.cell_px() * 72 / DISPLAY_DPI * 0.8) ** 2 * 0.45, 12, 160))
        for kind, scatter in self.glyphs.items():
            points = glyph_xy[kind]
            scatter.set_offsets(np.array(points, float).reshape(-1, 2))
            scatter.set_sizes([size])
        self.brackets.set_segments(brackets)
        self._ticks(ax, layout)
        title = _detail_title(a, b, layout)
        self.detail_title.set_text(title)
        self.detail_title.set_position((layout.x0(), layout.detail_pt - TITLE_ROW + 5))

    def _lane_name(self, ax: Axes, name: str, x: float, y: float) -> None:
        text = self._take(ax, "lane-name", lambda: ax.text(0, 0, "", fontsize=FONT_PT))
        text.set_text(name)
        text.set_position((x, y))
        text.set_horizontalalignment("right")
        text.set_verticalalignment("center")
        text.set_gid(f"lane:{name}")

    def _cells(
        self, ax: Axes, codes: np.ndarray, first: int, y: float, half: float, gid: str
    ) -> None:
        """Offsets `first`.. coloured by fate: one rectangle per offset, or per run of one fate
        when the window is too wide for separate cells."""
        if len(codes) <= MAX_CELLS_WITH_EDGES:
            starts = np.arange(first, first + len(codes), dtype=float)
            lengths, run_codes, edges = np.ones(len(codes)), codes, True
        else:
            change = np.flatnonzero(np.diff(codes)) + 1
            begin = np.concatenate(([0], change))
            lengths = np.diff(np.concatenate((begin, [len(codes)])))
            starts, run_codes, edges = begin + float(first), codes[begin], False
        x0, x1 = starts, starts + lengths
        y0, y1 = np.full_like(x0, y - half), np.full_like(x0, y + half)
        verts = np.stack(
            [
                np.stack([x0, y0], 1),
                np.stack([x0, y1], 1),
                np.stack([x1, y1], 1),
                np.stack([x1, y0], 1),
            ],
            1,
        )
        poly = self._take(
            ax, "cells", lambda: ax.add_collection(PolyCollection([], zorder=2), autolim=False)
        )
        poly.set_verts(verts)
        poly.set_facecolor(list(_FACE[run_codes.astype(int)]))
        poly.set_edgecolor("#FFFFFF" if edges else "none")
        poly.set_linewidth(1.0 if edges else 0.0)
        poly.set_gid(gid)

    def _offset_lines(self, ax: Axes, lane: Lane, y: float, a: int, b: int) -> None:
        values = {"HW": lane.high_watermark, "LSO": lane.last_stable_offset}
        if lane.log_end_offset != lane.high_watermark:
            values["LEO"] = lane.log_end_offset
        reach = CELL_H / 2 + 5
        for name, x in values.items():
            if a <= x <= b:
                line = self._take(ax, f"line:{name}", lambda n=name: _line(ax, n))
                line.set_data([x, x], [y - reach, y + reach])
                line.set_gid(f"{name}:{lane.name}")

    def _labels(self, ax: Axes, labels: list[Label], y: float, layout: Layout) -> None:
        scale = (layout.x1() - layout.x0()) / layout.panel_px  # data x per pixel
        for label in labels:
            level = CELL_H / 2 + STEM + label.row * ROW
            ty = y + label.side * level
            tx = layout.x0() + label.left_px * scale
            va = "bottom" if label.side > 0 else "top"
            if label.arrow:
                tip = y + label.side * (CELL_H / 2 + 1)
                note = self._take(ax, "arrow", lambda: _arrow(ax))
                note.xy = (label.x, tip)
                note.set_position((label.x, ty))
                note.set_text(label.text)
                note.set_color(label.colour)
                note.arrow_patch.set_color(label.colour)
                note.set_verticalalignment(va)
                note.set_gid(label.gid)
                # the text's own box is moved sideways by an offset in pixels, the arrow stays put
                shift = label.left_px + (label.right_px - label.left_px) / 2 - layout.px(label.x)
                note.set_horizontalalignment("center")
                note.set_position((label.x + shift * scale, ty))
            else:
                text = self._take(ax, "label", lambda: ax.text(0, 0, "", fontsize=FONT_PT))
                text.set_text(label.text)
                text.set_position((tx, ty))
                text.set_horizontalalignment("left")
                text.set_verticalalignment(va)
                text.set_color(label.colour)
                text.set_gid(label.gid)

    def _ticks(self, ax: Axes, layout: Layout) -> None:
        a = layout.window[0]
        span = layout.span
        widest = text_width_px(str(a + span), FONT_PT, DISPLAY_DPI) + LABEL_PAD_PX
        step = _nice_step(widest / layout.cell_px())
        first = -(-a // step) * step
        for offset in range(first, a + span, step):
            self._tick(ax, offset + 0.5, str(offset), TICK_ROW - 3)
        self._tick(
            ax,
            layout.x0() - LABEL_PAD_PX / layout.cell_px(),
            tr_figure("offset"),
            TICK_ROW - 3,
            align="right",
        )

    def _tick(self, ax: Axes, x: float, text: str, y: float, align: str = "center") -> None:
        t = self._take(ax, "tick", lambda: ax.text(0, 0, "", fontsize=FONT_PT, va="top"))
        t.set_text(text)
        t.set_position((x, y))
        t.set_horizontalalignment(align)
        t.set_color("#333333")

    # -- the overview panel ----------------------------------------------------------------------
    def _paint_overview(self, lanes: Sequence[Lane], layout: Layout) -> None:
        ax = self.overview
        start, end = layout.start, layout.end
        ax.set_xlim(start, end)
        ax.set_ylim(0, layout.overview_pt)
        columns = max(1, min(int(layout.panel_px), end - start))
        edges = start + (np.arange(columns + 1) * (end - start)) // columns
        for i, lane in enumerate(lanes):
            y = layout.overview_y(i)
            self._lane_name(ax, lane.name, start - (end - start) * 0.004, y)
            image = self._take(
                ax,
                "image",
                lambda: ax.imshow(
                    np.zeros((1, 1, 3), np.uint8), interpolation="nearest", aspect="auto", zorder=2
                ),
            )
            image.set_data(_stacked_columns(lane.index, edges))
            image.set_extent((start, end, y - OVERVIEW_BAND / 2, y + OVERVIEW_BAND / 2))
            image.set_gid(f"overview:{lane.name}")
            for name, x in (("HW", lane.high_watermark), ("LSO", lane.last_stable_offset)):
                line = self._take(ax, f"line:{name}", lambda n=name: _line(ax, n, 1.2))
                line.set_data([x, x], [y - OVERVIEW_BAND / 2 - 3, y + OVERVIEW_BAND / 2 + 3])
                line.set_gid(f"overview-{name}:{lane.name}")
            for m in lane.consumers:
                style = ISOLATION[m.isolation]
                sign = 1 if style["side"] == "above" else -1
                mark = self._take(
                    ax,
                    "consumer",
                    lambda: ax.plot([], [], linestyle="none", markersize=6, zorder=6)[0],
                )
                mark.set_data([m.offset], [y + sign * (OVERVIEW_BAND / 2 + 5)])
                mark.set_marker(style["marker"])
                mark.set_color(style["color"])
                mark.set_gid(f"overview-consumer:{m.client_id}:{lane.name}")
        a, b = layout.window
        self.window_shade.set_bounds(a, TICK_ROW, b - a, layout.overview_pt - TICK_ROW - TITLE_ROW)
        step = _nice_step((end - start) / 7) if end - start > 7 else 1
        for offset in range(-(-start // step) * step, end + 1, step):
            self._tick(ax, offset, str(offset), TICK_ROW - 3)
        self.overview_title.set_text(
            tr_figure(
                "whole log, one column per pixel stacked by the share of each fate; "
                "shaded: the window below"
            )
        )
        self.overview_title.set_position((start, layout.overview_pt - TITLE_ROW + 5))

    # -- the legend (notebook figures; the dashboard shows it once, as HTML) ------------------------
    def _paint_legend(self, lanes: Sequence[Lane], layout: Layout) -> None:
        leo = any(lane.log_end_offset != lane.high_watermark for lane in lanes)
        want = (layout.legend, leo)
        if self.legend is not None and getattr(self, "_legend_for", None) == want:
            return
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        if layout.legend:
            self.legend = self.fig.legend(
                handles=_legend_handles(leo),
                loc="lower left",
                bbox_to_anchor=(layout.left_pt / 72 / layout.width_in, 0.0),
                ncol=3,
                fontsize=FONT_PT,
                frameon=False,
                handlelength=1.6,
                columnspacing=1.2,
                borderaxespad=0.2,
            )
        self._legend_for = want


def _line(ax: Axes, name: str, width: float | None = None) -> Line2D:
    style = dict(LINE_STYLES[name])
    if width is not None:
        style["linewidth"] = width
    (line,) = ax.plot([], [], zorder=5, **style)
    return line


def _arrow(ax: Axes) -> Annotation:
    return ax.annotate(
        "",
        xy=(0, 0),
        xytext=(0, 0),
        fontsize=FONT_PT,
        ha="center",
        arrowprops={"arrowstyle": "-|>", "linewidth": 1.5, "shrinkA": 1, "shrinkB": 0},
        zorder=6,
        annotation_clip=False,
    )


def _stacked_columns(index: LogIndex, edges: np.ndarray) -> np.ndarray:
    """An RGB image (rows x columns) of the log between `edges`: each column stacked by the share
    of each fate in its offsets, every fate present given at least one row."""
    if index.n == 0:
        return np.full((1, len(edges) - 1, 3), 255, np.uint8)
    cumulative = index.cumulative_fates(edges)
    counts = np.diff(cumulative, axis=0)  # (columns, fates)
    total = counts.sum(axis=1, keepdims=True)
    rows = _OVERVIEW_ROWS
    share = np.where(total > 0, counts / np.maximum(total, 1), 0.0) * rows
    alloc = np.floor(share).astype(int)
    alloc[(counts > 0) & (alloc == 0)] = 1
    # hand out what rounding left, to the largest remainders; take back overshoot from the largest
    for _ in range(len(FATES)):
        short = rows - alloc.sum(axis=1)
        if not short.any():
            break
        remainder = np.where(counts > 0, share - alloc, -np.inf)
        grow = np.argmax(remainder, axis=1)
        shrink = np.argmax(np.where(alloc > 1, alloc, -1), axis=1)
        idx = np.arange(len(alloc))
        alloc[idx[short > 0], grow[short > 0]] += 1
        alloc[idx[short < 0], shrink[short < 0]] -= 1
    empty = total[:, 0] == 0
    bounds = np.cumsum(alloc, axis=1)  # (columns, fates): row where each fate's stack ends
    row = np.arange(rows)[:, None]  # image row 0 is the top: fill fates from the bottom up
    fate = (row[::-1, :, None] >= bounds[None, :, :]).sum(axis=2)  # (rows, columns)
    fate = np.minimum(fate, len(FATES) - 1)
    image = _RGB[fate]
    image[:, empty] = 255
    return image


def _nice_step(minimum: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `minimum`."""
    if minimum <= 1:
        return 1
    power = 10 ** math.floor(math.log10(minimum))
    for m in (1, 2, 5, 10):
        if m * power >= minimum:
            return int(m * power)
    return int(10 * power)


def _detail_title(a: int, b: int, layout: Layout) -> str:
    if b - a <= MAX_CELLS_WITH_EDGES:
        how = tr_figure("one cell per offset")
    else:
        how = tr_figure("runs of one fate merged")
    if layout.overview:
        return tr_figure(
            "offsets {first}\u2013{last}: {how}, coloured by fate", first=a, last=b - 1, how=how
        )
    return tr_figure("every offset: {how}, coloured by fate", how=how)


def _legend_handles(leo: bool) -> list[Any]:
    handles: list[Any] = [
        Patch(facecolor=FATE_COLOURS[f], edgecolor="none", label=tr_figure(FATE_LABELS[f]))
        for f in FATES
    ]
    handles += [
        Line2D(
            [],
            [],
            marker=MARKER_GLYPHS[k],
            color=MARKER_COLOURS[k],
            linestyle="none",
            markersize=10,
            label=tr_figure("{kind} marker", kind=k),
        )
        for k in ("COMMIT", "ABORT")
    ]
    handles.append(
        Line2D(
            [],
            [],
            color=ABORTED_BRACKET_COLOUR,
            linewidth=1.8,
            label=tr_figure("aborted transaction: first record to ABORT"),
        )
    )
    names = ["HW", "LSO"] + (["LEO"] if leo else [])
    handles += [
        Line2D([], [], label=f"{n} ({tr_figure(LINE_HELP[n]).split(':')[0]})", **LINE_STYLES[n])
        for n in names
    ]
    handles += [
        Line2D(
            [],
            [],
            marker=s["marker"],
            color=s["color"],
            linestyle="none",
            markersize=7,
            label=tr_figure("{isolation} (above the lane)", isolation=iso)
            if s["side"] == "above"
            else tr_figure("{isolation} (below the lane)", isolation=iso),
        )
        for iso, s in ISOLATION.items()
    ]
    return handles


def png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (Agg canvas; no pyplot, no open figures)."""
    return render_png(fig, dpi=dpi, compress_level=6)[0]
