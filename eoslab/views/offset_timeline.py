"""The offset timeline: one lane per partition, one cell per offset, coloured by fate.

One picture for the seed's point, "same log, different views": COMMIT and ABORT markers each take
an offset and carry a glyph (✓, ✗); each aborted transaction's range, from its first record to its
ABORT marker, is bracketed; the HW and LSO are labelled lines; every consumer assigned to the
partition is an arrow at its position, read_committed above the lane and read_uncommitted below.

Readable at 10 offsets and at 100,000: when the log is longer than `DETAIL` offsets (or a window is
asked for), the figure shows an overview of the whole log, where runs of offsets with the same
fate are merged into one bar (and, past `MAX_RUNS` runs, offsets are binned and each bin shows the
share of each fate), above a detail panel of the window with one cell per offset. The default
window is the end of the log, or, when an open transaction holds an LSO below the HW, the offsets
around that LSO: where read_committed consumers wait.

Returns a `matplotlib.figure.Figure` built without pyplot, so no figure is left open anywhere;
`png(fig)` renders it with the Agg canvas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .consumers import live_consumers
from .fates import scan
from .style import (
    ABORTED_BRACKET_COLOUR,
    FATE_COLOURS,
    FATES,
    ISOLATION,
    LINE_HELP,
    LINE_STYLES,
    MARKER_COLOURS,
    MARKER_GLYPHS,
)

DETAIL = 40  # offsets shown one cell each when the whole log does not fit
MAX_CELLS_WITH_EDGES = 120  # above this, cells are drawn without separating edges
MAX_GLYPH_CELLS = 2_000  # above this, the window shows cells only (no glyphs, no brackets)
MAX_RUNS = 600  # above this many runs in a lane (about a pixel each), the overview bins offsets
BINS = 600
LANE = 1.5  # vertical distance between lane centres (data units)
CELL = 0.22  # half-height of a cell
WIDTH_IN = 11.0
_HOW = {
    "cells": "one cell per offset",
    "runs": "runs of one fate merged",
    "bins": "binned: each bar shows the share of each fate",
}
_FACE = np.array([FATE_COLOURS[f] for f in FATES], dtype=object)


@dataclass
class ConsumerMark:
    client_id: str
    isolation: str  # "read_committed" / "read_uncommitted"
    offset: int
    kind: str  # "pos": position(); "fetch": the fetch position, before anything was returned

    @property
    def label(self) -> str:
        return f"{self.client_id} {ISOLATION[self.isolation]['short']} {self.kind} {self.offset}"


@dataclass
class Lane:
    """Everything drawn for one partition, read from the cluster once."""

    name: str
    partition: Any
    start: int
    codes: np.ndarray  # fate code per offset from `start`
    high_watermark: int
    last_stable_offset: int
    log_end_offset: int
    consumers: list[ConsumerMark] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.codes)


def offset_timeline(
    cluster: Any,
    partitions: Iterable[str | tuple[str, int]] | str | None = None,
    window: tuple[int, int] | None = None,
    *,
    detail: int = DETAIL,
    width: float = WIDTH_IN,
) -> Figure:
    """The timeline of `partitions` (topic names or (topic, partition); default: every partition
    of every non-internal topic). `window` = (first offset, end offset) for the detail panel;
    by default the last `detail` offsets, or the offsets around the lowest LSO held below its HW."""
    lanes = [_lane(cluster, t, p) for t, p in _select(cluster, partitions)]
    start = min((lane.start for lane in lanes), default=0)
    end = max((lane.end for lane in lanes), default=0)
    overview = window is not None or end - start > detail
    end = max(end, start + 1)
    if window is None:
        window = _default_window(lanes, start, end, detail) if overview else (start, end)
    a, b = int(window[0]), int(window[1])
    if b <= a:
        raise ValueError(f"window {window} is empty: give (first offset, end offset)")

    n = max(len(lanes), 1)
    detail_h = 0.6 + n * 1.1
    overview_h = 0.45 + n * 0.35 if overview else 0.0
    legend_h = 0.75
    fig = Figure(figsize=(width, detail_h + overview_h + legend_h), layout="constrained")
    FigureCanvasAgg(fig)
    ratios = [overview_h, detail_h] if overview else [detail_h]
    axes = fig.subplots(len(ratios), 1, height_ratios=ratios, squeeze=False)[:, 0]
    if overview:
        _draw_overview(axes[0], lanes, start, end, (a, b))
    ax = axes[-1]
    ax.set_gid("detail")
    _draw_detail(ax, lanes, a, b)
    ax.set_title(_detail_title(a, b, overview), fontsize=10, loc="left")
    fig.legend(
        handles=_legend_handles(lanes),
        loc="outside lower center",
        ncol=5,
        fontsize=8,
        frameon=False,
    )
    return fig


def _default_window(lanes: Sequence[Lane], start: int, end: int, detail: int) -> tuple[int, int]:
    """The last `detail` offsets; or, if an open transaction holds some lane's LSO below its HW,
    the offsets around the lowest such LSO: where read_committed consumers wait."""
    held = [
        lane.last_stable_offset for lane in lanes if lane.last_stable_offset < lane.high_watermark
    ]
    first = end - detail
    if held:
        first = min(first, min(held) - detail // 4)
    first = max(start, first)
    return first, min(end, first + detail)


def png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (Agg canvas; no pyplot, no open figures)."""
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


# -- reading the cluster -------------------------------------------------------------------------
def _select(
    cluster: Any, partitions: Iterable[str | tuple[str, int]] | str | None
) -> list[tuple[str, int]]:
    if partitions is None:
        partitions = cluster.list_topics()
    elif isinstance(partitions, str) or (
        isinstance(partitions, tuple) and len(partitions) == 2 and isinstance(partitions[1], int)
    ):
        partitions = [partitions]  # type: ignore[list-item]
    out: list[tuple[str, int]] = []
    for item in partitions:
        if isinstance(item, str):
            topic = cluster.topics.get(item)
            if topic is None:
                raise KeyError(f"no topic {item!r}")
            out.extend((item, i) for i in range(len(topic.partitions)))
        else:
            out.append((item[0], int(item[1])))
    return out


def _lane(cluster: Any, topic: str, index: int) -> Lane:
    p = cluster.partition(topic, index)
    start = p.batches[0].base_offset if p.batches else p.log_start_offset
    codes = scan(p.batches).offset_fates()
    lane = Lane(p.name, p, start, codes, p.high_watermark, p.last_stable_offset, p.log_end_offset)
    for c in live_consumers(cluster):
        state = c.fetch_state(topic, index)
        if state is None or c.isolation_level not in ISOLATION:
            continue
        if state.app_position >= 0:
            mark = ConsumerMark(c.client_id, c.isolation_level, state.app_position, "pos")
        elif state.fetch_position >= 0:
            mark = ConsumerMark(c.client_id, c.isolation_level, state.fetch_position, "fetch")
        else:
            continue
        lane.consumers.append(mark)
    return lane


# -- the detail panel ------------------------------------------------------------------------------
def _draw_detail(ax: Axes, lanes: Sequence[Lane], a: int, b: int) -> None:
    cells = b - a
    details = cells <= MAX_GLYPH_CELLS  # past this, one glyph or bracket would be a speck
    glyph_size = float(np.clip((ax.figure.get_figwidth() * 72 * 0.8 / cells) ** 2 * 0.45, 12, 160))
    glyphs: dict[str, list[tuple[float, float]]] = {"COMMIT": [], "ABORT": []}
    brackets = []
    for i, lane in enumerate(lanes):
        y = _y(i, len(lanes))
        lo, hi = max(a, lane.start), min(b, lane.end)
        if hi > lo:
            codes = lane.codes[lo - lane.start : hi - lane.start]
            _fate_cells(ax, codes, lo, y, CELL, gid=f"cells:{lane.name}")
            for batch in _batches_between(lane.partition, lo, hi) if details else ():
                if batch.is_control:
                    glyphs.setdefault(batch.control_type.name, []).append(
                        (batch.base_offset + 0.5, y)
                    )
        for t in lane.partition.txn_index.all() if details else ():
            x0, x1 = max(t.first_offset, a), min(t.last_offset + 1, b)
            if x1 > x0:
                yb = y - CELL - 0.06
                brackets.append([(x0, yb + 0.05), (x0, yb), (x1, yb), (x1, yb + 0.05)])
        _offset_lines(ax, lane, y, a, b)
        _consumer_arrows(ax, lane, y, a, b)
    for kind, points in glyphs.items():
        if points:
            xs, ys = zip(*points, strict=True)
            ax.scatter(
                xs,
                ys,
                marker=MARKER_GLYPHS.get(kind, "o"),
                s=glyph_size,
                c=MARKER_COLOURS.get(kind, "#000000"),
                zorder=4,
                gid=f"markers:{kind}",
                label=f"{kind} marker",
            )
    if brackets:
        ax.add_collection(
            LineCollection(
                brackets, colors=ABORTED_BRACKET_COLOUR, linewidths=1.8, zorder=3, gid="aborted"
            )
        )
    _lane_axes(ax, lanes, a - 0.25, b + 0.25)
    if cells <= 60:
        ax.set_xticks(np.arange(a, b) + 0.5, [str(o) for o in range(a, b)], fontsize=7)
        if cells > 30:
            ax.tick_params(axis="x", labelrotation=90)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
        ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("offset", fontsize=8)


def _offset_lines(ax: Axes, lane: Lane, y: float, a: int, b: int) -> None:
    values = {"HW": lane.high_watermark, "LSO": lane.last_stable_offset}
    if lane.log_end_offset != lane.high_watermark:
        values["LEO"] = lane.log_end_offset
    for name, x in values.items():
        if a <= x <= b:
            ax.plot(
                [x, x],
                [y - 0.32, y + 0.32],
                zorder=5,
                gid=f"{name}:{lane.name}",
                **LINE_STYLES[name],
            )
    hw, lso = values["HW"], values["LSO"]
    if a <= hw <= b:
        text = f"HW = LSO {hw}" if hw == lso else f"HW {hw}"
        ax.text(
            hw,
            y + 0.33,
            f" {text}",
            fontsize=7,
            ha="left",
            va="bottom",
            gid=f"label:HW:{lane.name}",
        )
    if a <= lso <= b and lso != hw:
        ax.text(
            lso,
            y - 0.33,
            f" LSO {lso}",
            fontsize=7,
            ha="left",
            va="top",
            color=LINE_STYLES["LSO"]["color"],
            gid=f"label:LSO:{lane.name}",
        )
    if "LEO" in values and a <= values["LEO"] <= b:
        ax.text(
            values["LEO"],
            y - 0.33,
            f" LEO {values['LEO']}",
            fontsize=7,
            ha="left",
            va="top",
            color=LINE_STYLES["LEO"]["color"],
        )


def _consumer_arrows(ax: Axes, lane: Lane, y: float, a: int, b: int) -> None:
    sep = max(1.0, (b - a) * 0.14)
    for isolation, style in ISOLATION.items():
        sign = 1 if style["side"] == "above" else -1
        marks = sorted(
            (m for m in lane.consumers if m.isolation == isolation), key=lambda m: m.offset
        )
        level, previous = 0, None
        for m in marks:
            level = level + 1 if previous is not None and m.offset - previous < sep else 0
            previous = m.offset
            x = float(min(max(m.offset, a), b))
            label = m.label + (" \u2190" if m.offset < a else " \u2192" if m.offset > b else "")
            tip = y + sign * (CELL + 0.1)
            tail = y + sign * (0.48 + 0.15 * (level % 3))
            ax.annotate(
                label,
                xy=(x, tip),
                xytext=(x, tail),
                ha="center",
                va="bottom" if sign > 0 else "top",
                fontsize=7,
                color=style["color"],
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": style["color"],
                    "linewidth": 1.5,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
                zorder=6,
                gid=f"consumer:{m.client_id}:{lane.name}",
            )


# -- the overview panel ----------------------------------------------------------------------------
def _draw_overview(
    ax: Axes, lanes: Sequence[Lane], start: int, end: int, window: tuple[int, int]
) -> None:
    ax.set_gid("overview")
    drawn = set()
    for i, lane in enumerate(lanes):
        y = _y(i, len(lanes))
        drawn.add(_fate_cells(ax, lane.codes, lane.start, y, 0.3, gid=f"overview:{lane.name}"))
        for name, x in (("HW", lane.high_watermark), ("LSO", lane.last_stable_offset)):
            style = dict(LINE_STYLES[name], linewidth=1.2)
            ax.plot(
                [x, x], [y - 0.42, y + 0.42], zorder=5, gid=f"overview-{name}:{lane.name}", **style
            )
        for m in lane.consumers:
            style = ISOLATION[m.isolation]
            sign = 1 if style["side"] == "above" else -1
            ax.plot(
                [m.offset],
                [y + sign * 0.5],
                marker=style["marker"],
                color=style["color"],
                markersize=5,
                linestyle="none",
                zorder=6,
            )
    ax.axvspan(window[0], window[1], color="#000000", alpha=0.12, zorder=0, gid="window")
    _lane_axes(ax, lanes, start, end)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    ax.tick_params(axis="x", labelsize=7)
    how = "; ".join(_HOW[d] for d in ("runs", "bins") if d in drawn)
    ax.set_title(
        f"whole log, offsets {start}\u2013{end - 1} ({how}); shaded: the window below",
        fontsize=9,
        loc="left",
    )


def _fate_cells(ax: Axes, codes: np.ndarray, first: int, y: float, half: float, gid: str) -> str:
    """Offsets `first`.. coloured by fate, as few rectangles as stay readable: one per offset
    ("cells"), one per run of a fate ("runs"), or per bin, stacked by share ("bins")."""
    if len(codes) == 0:
        return "cells"
    if len(codes) <= MAX_CELLS_WITH_EDGES:
        starts = np.arange(first, first + len(codes))
        _cells(ax, starts, np.ones(len(codes)), codes, y, half, True, gid)
        return "cells"
    starts, lengths, run_codes = _runs(codes, first)
    if len(starts) <= MAX_RUNS:
        _cells(ax, starts, lengths, run_codes, y, half, False, gid)
        return "runs"
    _binned(ax, codes, first, y, half, gid)
    return "bins"


def _binned(ax: Axes, codes: np.ndarray, first: int, y: float, half: float, gid: str) -> None:
    n = len(codes)
    bins = min(BINS, n)
    index = (np.arange(n) * bins) // n
    counts = np.bincount(index * len(FATES) + codes, minlength=bins * len(FATES)).reshape(
        bins, len(FATES)
    )
    edges = first + (np.arange(bins + 1) * n) / bins
    fractions = counts / counts.sum(axis=1, keepdims=True)
    bottoms = np.cumsum(fractions, axis=1) - fractions
    k, f = np.nonzero(counts)
    x0, x1 = edges[k], edges[k + 1]
    y0 = y - half + 2 * half * bottoms[k, f]
    y1 = y0 + 2 * half * fractions[k, f]
    verts = np.stack(
        [
            np.stack([x0, y0], 1),
            np.stack([x0, y1], 1),
            np.stack([x1, y1], 1),
            np.stack([x1, y0], 1),
        ],
        1,
    )
    ax.add_collection(PolyCollection(verts, facecolors=list(_FACE[f]), edgecolors="none", gid=gid))


# -- shared drawing ----------------------------------------------------------------------------------
def _runs(codes: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start offset, length, code) of each run of equal codes."""
    if len(codes) == 0:
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.int8)
    change = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [len(codes)])))
    return starts + first, lengths, codes[starts]


def _cells(
    ax: Axes,
    starts: np.ndarray,
    lengths: np.ndarray,
    codes: np.ndarray,
    y: float,
    half: float,
    edges: bool,
    gid: str,
) -> None:
    x0 = np.asarray(starts, dtype=float)
    x1 = x0 + lengths
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
    ax.add_collection(
        PolyCollection(
            verts,
            facecolors=list(_FACE[codes.astype(int)]),
            edgecolors="#FFFFFF" if edges else "none",
            linewidths=1.0 if edges else 0.0,
            zorder=2,
            gid=gid,
        )
    )


def _batches_between(partition: Any, lo: int, hi: int) -> Iterable[Any]:
    batches = partition.batches
    i = partition.batch_index_for(lo) if batches else 0
    while i < len(batches) and batches[i].base_offset < hi:
        yield batches[i]
        i += 1


def _y(i: int, n: int) -> float:
    return (n - 1 - i) * LANE


def _lane_axes(ax: Axes, lanes: Sequence[Lane], x0: float, x1: float) -> None:
    n = max(len(lanes), 1)
    ax.set_xlim(x0, x1)
    ax.set_ylim(-0.95, (n - 1) * LANE + 0.95)
    ax.set_yticks([_y(i, n) for i in range(len(lanes))], [lane.name for lane in lanes], fontsize=8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _detail_title(a: int, b: int, overview: bool) -> str:
    what = f"offsets {a}\u2013{b - 1}" if overview else "every offset"
    how = _HOW["cells"] if b - a <= MAX_CELLS_WITH_EDGES else "merged into runs or bins"
    return f"{what}: {how}, coloured by fate"


def _legend_handles(lanes: Sequence[Lane]) -> list[Any]:
    handles: list[Any] = [
        Patch(facecolor=FATE_COLOURS[f], edgecolor="none", label=f) for f in FATES
    ]
    handles += [
        Line2D(
            [],
            [],
            marker=MARKER_GLYPHS[k],
            color=MARKER_COLOURS[k],
            linestyle="none",
            markersize=10,
            label=f"{k} marker",
        )
        for k in ("COMMIT", "ABORT")
    ]
    handles.append(
        Line2D(
            [],
            [],
            color=ABORTED_BRACKET_COLOUR,
            linewidth=1.8,
            label="aborted transaction: first record to ABORT",
        )
    )
    names = ["HW", "LSO"] + (
        ["LEO"] if any(lane.log_end_offset != lane.high_watermark for lane in lanes) else []
    )
    handles += [
        Line2D([], [], label=f"{n} ({LINE_HELP[n].split(':')[0]})", **LINE_STYLES[n]) for n in names
    ]
    handles += [
        Line2D(
            [],
            [],
            marker=s["marker"],
            color=s["color"],
            linestyle="none",
            markersize=7,
            label=f"{iso} ({s['side']} the lane)",
        )
        for iso, s in ISOLATION.items()
    ]
    return handles
