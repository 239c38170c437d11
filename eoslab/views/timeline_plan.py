"""The offset timeline's plan: which partitions and offsets it shows, each lane's marks and
labels, and where every label goes so none overlaps another. `offset_timeline.py` paints it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.colors import to_rgb

from ..broker.records import ControlRecordType
from .cluster_state import ClusterState
from .consumers import live_consumers
from .figure import DISPLAY_DPI, FONT_PT
from .log_index import LogIndex, log_index
from .style import (
    FATE_COLOURS,
    FATES,
    ISOLATION,
    LINE_STYLES,
    MARKER,
)
from .text_width import text_width_px

DETAIL = 40  # offsets shown one cell each when the whole log does not fit
MIN_WINDOW = 16  # the detail panel spans at least this many offsets
MAX_CELLS_WITH_EDGES = 120  # above this, cells are drawn without separating edges
MAX_GLYPH_CELLS = 2_000  # above this, the window shows cells only (no glyphs, no brackets)
WIDTH_IN = 11.0
# vertical geometry, in points (the panels' y unit is one point)
CELL_H = 18.0  # a cell's height
STEM = 11.0  # from a cell's edge to the first row of labels (the length of a consumer arrow)
ROW = 13.0  # one row of 9 pt labels
MIN_ROWS = 2  # rows kept on each side of a lane, so the lanes stay put as labels come and go
LANE_GAP = 8.0
TICK_ROW = 16.0
TITLE_ROW = 17.0
OVERVIEW_BAND = 12.0
OVERVIEW_LANE = 28.0
TOP, BOTTOM, GAP = 6.0, 4.0, 8.0
RIGHT = 72.0  # labels at the last offsets (HW, a consumer at the log end) run on into it
LEGEND_PT = 62.0  # room for the legend below the panels (3 rows)
LABEL_PAD_PX = 6.0  # horizontal space kept between two labels on one row
_FACE = np.array([FATE_COLOURS[f] for f in FATES], dtype=object)
_RGB = (np.array([to_rgb(FATE_COLOURS[f]) for f in FATES]) * 255).astype(np.uint8)
_MARKER = FATES.index(MARKER)
_MARKER_KINDS = {int(ControlRecordType.COMMIT): "COMMIT", int(ControlRecordType.ABORT): "ABORT"}
_OVERVIEW_ROWS = 10  # pixel rows of a lane's overview image: one fate's share is at least one


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
    index: LogIndex
    high_watermark: int
    last_stable_offset: int
    log_end_offset: int
    consumers: list[ConsumerMark] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.index.start if self.index.n else self.partition.log_start_offset

    @property
    def end(self) -> int:
        return self.index.end if self.index.n else self.start


@dataclass
class Label:
    """A text placed on a row above (side 1) or below (side -1) a lane, at pixel x."""

    text: str
    x: float  # data x of the anchor (offset)
    side: int
    align: str  # "left" (HW/LSO/LEO) or "center" (consumers)
    colour: str
    gid: str
    arrow: bool = False
    row: int = 0
    left_px: float = 0.0  # placed extent, pixels from the panel's left edge
    right_px: float = 0.0


@dataclass
class Layout:
    """Where everything goes, in points and pixels at the display resolution."""

    width_in: float
    left_pt: float
    window: tuple[int, int]  # offsets in the detail panel (first, end)
    span: int  # offsets the detail panel spans (>= MIN_WINDOW)
    overview: bool
    start: int
    end: int
    rows: list[tuple[int, int]]  # per lane: label rows above, below
    legend: bool

    @property
    def panel_px(self) -> float:
        return (self.width_in * 72 - self.left_pt - RIGHT) * DISPLAY_DPI / 72

    def lane_height(self, i: int) -> float:
        above, below = self.rows[i]
        return LANE_GAP + below * ROW + STEM + CELL_H + STEM + above * ROW

    @property
    def detail_pt(self) -> float:
        return TICK_ROW + sum(self.lane_height(i) for i in range(len(self.rows))) + TITLE_ROW

    @property
    def overview_pt(self) -> float:
        return TICK_ROW + OVERVIEW_LANE * max(len(self.rows), 1) + TITLE_ROW if self.overview else 0

    @property
    def height_pt(self) -> float:
        legend = LEGEND_PT if self.legend else 0.0
        gap = GAP if self.overview else 0.0
        return TOP + self.overview_pt + gap + self.detail_pt + BOTTOM + legend

    def lane_y(self, i: int) -> float:
        """The centre of lane i (from the top) in the detail panel's points."""
        y = self.detail_pt - TITLE_ROW
        for k in range(i):
            y -= self.lane_height(k)
        above, _ = self.rows[i]
        return y - above * ROW - STEM - CELL_H / 2

    def overview_y(self, i: int) -> float:
        return self.overview_pt - TITLE_ROW - OVERVIEW_LANE * (i + 0.5)

    def x0(self) -> float:
        return self.window[0] - 0.3

    def x1(self) -> float:
        return self.window[0] + self.span + 0.3

    def px(self, x: float) -> float:
        """Pixels from the detail panel's left edge of data x."""
        return (x - self.x0()) / (self.x1() - self.x0()) * self.panel_px

    def cell_px(self) -> float:
        return self.panel_px / (self.x1() - self.x0())


@dataclass
class Plan:
    lanes: list[Lane]
    layout: Layout
    labels: list[list[Label]]

    def signature(self) -> tuple:
        """Everything the picture depends on; equal signatures draw equal pictures."""
        lanes = tuple(
            (
                lane.name,
                id(lane.partition),
                lane.index.n,
                id(lane.index.last),
                lane.high_watermark,
                lane.last_stable_offset,
                lane.log_end_offset,
                len(lane.partition.txn_index),
                tuple((m.client_id, m.isolation, m.offset, m.kind) for m in lane.consumers),
            )
            for lane in self.lanes
        )
        layout = self.layout
        return (lanes, layout.window, layout.span, layout.overview, layout.width_in, layout.legend)


def _plan(
    cluster: ClusterState,
    partitions: Iterable[str | tuple[str, int]] | str | None,
    window: tuple[int, int] | None,
    detail: int,
    width: float,
    legend: bool,
) -> Plan:
    readers = live_consumers(cluster)
    lanes = [_lane(cluster, t, p, readers) for t, p in _select(cluster, partitions)]
    start = min((lane.start for lane in lanes), default=0)
    end = max((lane.end for lane in lanes), default=0)
    overview = window is not None or end - start > detail
    end = max(end, start + 1)
    if window is None:
        window = _default_window(lanes, start, end, detail) if overview else (start, end)
    a, b = int(window[0]), int(window[1])
    if b <= a:
        raise ValueError(f"window {window} is empty: give (first offset, end offset)")
    names = [lane.name for lane in lanes] + ["offset"]
    left = max(48.0, max(text_width_px(n, FONT_PT, 72) for n in names) + 14.0)
    layout = Layout(width, left, (a, b), max(b - a, MIN_WINDOW), overview, start, end, [], legend)
    labels = [_place(_labels(lane, a, b), layout) for lane in lanes]
    layout.rows = [
        (
            max(MIN_ROWS, 1 + max((lb.row for lb in ls if lb.side > 0), default=0)),
            max(MIN_ROWS, 1 + max((lb.row for lb in ls if lb.side < 0), default=0)),
        )
        for ls in labels
    ]
    return Plan(lanes, layout, labels)


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


def _select(
    cluster: ClusterState, partitions: Iterable[str | tuple[str, int]] | str | None
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


def _lane(cluster: ClusterState, topic: str, index: int, readers: list[Any]) -> Lane:
    p = cluster.partition(topic, index)
    lane = Lane(p.name, p, log_index(p), p.high_watermark, p.last_stable_offset, p.log_end_offset)
    for c in readers:
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


# -- labels: what is written around a lane, and on which row ---------------------------------------
def _labels(lane: Lane, a: int, b: int) -> list[Label]:
    out = []
    hw, lso, leo = lane.high_watermark, lane.last_stable_offset, lane.log_end_offset
    colours = {k: LINE_STYLES[k]["color"] for k in LINE_STYLES}
    if a <= hw <= b:
        text = f"HW = LSO {hw}" if hw == lso else f"HW {hw}"
        out.append(Label(text, hw, 1, "left", colours["HW"], f"label:HW:{lane.name}"))
    if a <= lso <= b and lso != hw:
        out.append(Label(f"LSO {lso}", lso, -1, "left", colours["LSO"], f"label:LSO:{lane.name}"))
    if leo != hw and a <= leo <= b:
        out.append(Label(f"LEO {leo}", leo, -1, "left", colours["LEO"], f"label:LEO:{lane.name}"))
    # consumers at the same place share one label (and one arrow): "consumer-1, consumer-2 RC pos 3"
    groups: dict[tuple[str, int, str], list[ConsumerMark]] = {}
    for m in lane.consumers:
        groups.setdefault((m.isolation, m.offset, m.kind), []).append(m)
    for (isolation, offset, _kind), marks in groups.items():
        style = ISOLATION[isolation]
        x = float(min(max(offset, a), b))
        names = ", ".join(m.client_id for m in marks)
        text = marks[0].label.replace(marks[0].client_id, names, 1)
        text += " \u2190" if offset < a else " \u2192" if offset > b else ""
        side = 1 if style["side"] == "above" else -1
        ids = ",".join(m.client_id for m in marks)
        out.append(
            Label(
                text, x, side, "center", style["color"], f"consumer:{ids}:{lane.name}", arrow=True
            )
        )
    return out


def _place(labels: list[Label], layout: Layout) -> list[Label]:
    """Give each label the lowest row (counted away from the lane) where it overlaps no other
    label; keep every label inside the panel, shifting it sideways at the edges."""
    panel = layout.panel_px
    rows: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for label in sorted(labels, key=lambda lb: (lb.x, lb.align)):
        width = text_width_px(label.text, FONT_PT, DISPLAY_DPI)
        x = layout.px(label.x)
        left = x - width / 2 if label.align == "center" else x + 2
        left = min(max(left, 0.0), panel + RIGHT * DISPLAY_DPI / 72 - width - 2)
        label.left_px, label.right_px = left, left + width
        row = 0
        while any(
            left < r + LABEL_PAD_PX and other - LABEL_PAD_PX < left + width
            for other, r in rows.get((label.side, row), ())
        ):
            row += 1
        rows.setdefault((label.side, row), []).append((left, left + width))
        label.row = row
    return labels


# -- drawing -----------------------------------------------------------------------------------------
