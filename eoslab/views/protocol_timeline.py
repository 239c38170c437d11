"""The protocol timeline: who asked whom for what, and what came back, drawn from the journal.

In the spirit of Maelstrom's Lamport diagrams, each participant has a vertical swimlane:
producers and other clients, the transaction coordinator, each partition's leader, the group
coordinator, consumers, and the broker for cluster-wide requests (Metadata, CreateTopics). Time
runs downwards, one row per journal event (virtual time does not move between most events, so rows
are ordered by the journal and labelled with their virtual time). Each request is an arrow from
the caller to the lane that answers it, labelled with its main arguments and result and coloured
by outcome; the coordinator's COMMIT/ABORT marker writes are arrows to the partitions carrying the
marker glyph; a clock advance is a dashed line across all lanes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from ..broker.effects import MarkerWritten, TransactionStateWritten
from ..i18n import language, tr_figure
from .cluster_state import ClusterState, ConsumerState
from .figure import DISPLAY_DPI, FONT_PT, TITLE_PT, ArtistPool, ViewFigure, render_png
from .style import ERROR, MARKER_SYMBOLS, OK, OUTCOME_COLOURS, outcome
from .text_width import text_width_px

MAX_EVENTS = 300  # rows drawn at most; pass start_event / end_event to see another stretch
TXN_COORDINATOR = "txn-coordinator"
GROUP_COORDINATOR = "group-coordinator"
BROKER = "broker"
TXN_APIS = frozenset(
    {"AddPartitionsToTxn", "AddOffsetsToTxn", "EndTxn", "DescribeTransactions", "ListTransactions"}
)
GROUP_APIS = frozenset(
    {
        "JoinGroup",
        "SyncGroup",
        "Heartbeat",
        "LeaveGroup",
        "OffsetCommit",
        "OffsetFetch",
        "TxnOffsetCommit",
        "DescribeGroups",
        "ListGroups",
    }
)


@dataclass(frozen=True)
class Row:
    """One journal event placed on the diagram; `target` None means an event within one lane."""

    seq: int
    time_ms: int
    source: str | None  # None for a clock advance (drawn across every lane)
    target: str | None
    label: str
    outcome: str


def protocol_timeline(
    cluster: ClusterState,
    start_event: int = 0,
    end_event: int | None = None,
    *,
    apis: Iterable[str] | None = None,
    exclude_apis: Iterable[str] = (),
) -> Figure:
    """Journal events `start_event` <= seq < `end_event` (optionally only `apis`) as swimlanes.
    Returns a `ViewFigure`: the last value of a notebook cell, it shows as an image."""
    painter = ProtocolPainter()
    painter.paint(_plan(cluster, start_event, end_event, apis, exclude_apis))
    return painter.fig


_PAINTERS: OrderedDict[Any, ProtocolPainter] = OrderedDict()
_KEEP = 4


def protocol_timeline_png(
    cluster: ClusterState,
    start_event: int = 0,
    end_event: int | None = None,
    *,
    apis: Iterable[str] | None = None,
    exclude_apis: Iterable[str] = (),
    dpi: float = DISPLAY_DPI,
) -> tuple[bytes, int, int]:
    """`protocol_timeline` as (PNG bytes, width, height), for redrawing at every click: drawn on
    a figure kept from the last call with the same filters, its artists updated; the last PNG
    as is when the events and lanes drawn are the same ones (journal events never change)."""
    key = (None if apis is None else tuple(apis), tuple(exclude_apis), dpi, language())
    painter = _PAINTERS.pop(key, None) or ProtocolPainter()
    _PAINTERS[key] = painter
    while len(_PAINTERS) > _KEEP:
        _PAINTERS.popitem(last=False)
    plan = _plan(cluster, start_event, end_event, apis, exclude_apis)
    signature = plan.signature()
    if painter.png is None or painter.signature != signature:
        painter.paint(plan)
        painter.png = render_png(painter.fig, dpi=dpi)
        painter.signature = signature
        painter.events = plan.events  # keeps the ids in the signature from being reused
    return painter.png


@dataclass
class Plan:
    events: list[Any]
    rows: list[Row]
    lanes: list[str]
    titles: list[str]
    total: int

    def signature(self) -> tuple:
        return (tuple(id(e) for e in self.events), tuple(self.titles), self.total)


def _plan(
    cluster: ClusterState,
    start_event: int,
    end_event: int | None,
    apis: Iterable[str] | None,
    exclude_apis: Iterable[str],
) -> Plan:
    keep = set(apis) if apis is not None else None
    drop = set(exclude_apis)
    journal = cluster.journal
    n = len(journal)
    lo, hi, _ = slice(start_event, end_event).indices(n)
    events = [
        e
        for e in (journal[i] for i in range(lo, hi))
        if (keep is None or e.api in keep) and e.api not in drop
    ]
    total = len(events)
    events = events[:MAX_EVENTS]
    consumers = {c.client_id for c in cluster.clients if isinstance(c, ConsumerState)}
    rows = [_row(e, consumers) for e in events]
    lanes = _order_lanes(rows, consumers)
    return Plan(events, rows, lanes, [_lane_title(cluster, lane) for lane in lanes], total)


# -- drawing: fixed margins in points, every text placed by hand, artists reused ------------------
LANE_IN = 1.6  # between two swimlanes
ROW_PT = 20.0  # one journal event
HEAD_PT = 56.0  # the title and the lane names (two lines)
FOOT_PT = 30.0  # the legend
PAD_PX = 6.0


class ProtocolPainter:
    def __init__(self) -> None:
        self.fig = ViewFigure(figsize=(7.0, 3.0))
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_axis_off()
        self.ax.set_gid("protocol")
        self.artists = ArtistPool()
        self.png: tuple[bytes, int, int] | None = None
        self.signature: tuple | None = None
        self.events: list[Any] = []
        self.title = self.ax.text(0, 0, "", fontsize=TITLE_PT, va="bottom", gid="title")
        self.swimlanes = LineCollection([], colors="#BBBBBB", linewidths=1.0, zorder=1)
        self.ax.add_collection(self.swimlanes, autolim=False)
        self.clock = LineCollection([], colors="#666666", linestyles="--", linewidths=0.8)
        self.ax.add_collection(self.clock, autolim=False)
        self.dots = {
            o: self.ax.plot([], [], "o", color=OUTCOME_COLOURS[o], markersize=5, zorder=3)[0]
            for o in (OK, ERROR)
        }
        self.fig.legend(
            handles=_legend_handles(),
            loc="lower left",
            bbox_to_anchor=(0.0, 0.0),
            ncol=4,
            fontsize=FONT_PT,
            frameon=False,
        )

    def _take(self, kind: str, make: Any) -> Any:
        return self.artists.take(kind, make)

    def _text(self, x: float, y: float, text: str, **props: Any) -> Text:
        t = self._take("text", lambda: self.ax.text(0, 0, "", fontsize=FONT_PT))
        t.set_text(text)
        t.set_position((x, y))
        t.set_horizontalalignment(props.pop("ha", "left"))
        t.set_verticalalignment(props.pop("va", "baseline"))
        t.set_color(props.pop("color", "#000000"))
        t.set_gid(props.pop("gid", None))
        return t

    def paint(self, plan: Plan) -> None:
        rows, lanes = plan.rows, plan.lanes
        row_labels = [f"#{r.seq}  {r.time_ms} ms" for r in rows]
        left_pt = max((text_width_px(t, FONT_PT, 72) for t in row_labels), default=0.0) + 2 * PAD_PX
        lane_count = max(len(lanes), 1)
        label_pt = max((text_width_px(r.label, FONT_PT, 72) for r in rows), default=0.0)
        widest = max(
            (text_width_px(line, FONT_PT, 72) for t in plan.titles for line in t.split("\n")),
            default=0.0,
        )
        lane_pt = max(LANE_IN * 72, widest + 2 * PAD_PX)
        width_pt = max(7.0 * 72, left_pt + lane_pt * lane_count)
        width_pt = max(width_pt, left_pt + lane_pt * 0.5 + label_pt + 2 * PAD_PX)
        n = max(len(rows), 1)
        height_pt = HEAD_PT + ROW_PT * n + FOOT_PT
        fig, ax = self.fig, self.ax
        if tuple(fig.get_size_inches()) != (width_pt / 72, height_pt / 72):
            fig.set_size_inches(width_pt / 72, height_pt / 72, forward=False)
        ax.set_position((0, 0, 1, 1))
        # data units: x in points from the figure's left edge, y in points from its bottom
        ax.set_xlim(0, width_pt)
        ax.set_ylim(0, height_pt)
        lane_x = {lane: left_pt + lane_pt * (i + 0.5) for i, lane in enumerate(lanes)}
        top = height_pt - HEAD_PT
        bottom = FOOT_PT

        def row_y(k: int) -> float:
            return top - ROW_PT * (k + 0.75)

        self.swimlanes.set_segments([[(x, bottom), (x, top)] for x in lane_x.values()])
        clock_lines, dots = [], {OK: ([], []), ERROR: ([], [])}
        for k, row in enumerate(rows):
            y = row_y(k)
            self._text(PAD_PX, y, row_labels[k], va="center", color="#333333", gid=f"row:{row.seq}")
            colour = OUTCOME_COLOURS[row.outcome]
            if row.source is None:
                clock_lines.append([(left_pt, y), (width_pt - PAD_PX, y)])
                self._text(left_pt + PAD_PX, y + 3, row.label, color="#444444", va="bottom")
                continue
            x0 = lane_x[row.source]
            if row.target is None or row.target == row.source:
                dots[row.outcome][0].append(x0)
                dots[row.outcome][1].append(y)
                anchor = x0
            else:
                x1 = lane_x[row.target]
                arrow = self._take(
                    "arrow",
                    lambda: ax.add_patch(
                        FancyArrowPatch(
                            (0, 0),
                            (1, 1),
                            arrowstyle="-|>",
                            mutation_scale=10,
                            linewidth=1.2,
                            shrinkA=0,
                            shrinkB=0,
                            zorder=3,
                        )
                    ),
                )
                arrow.set_positions((x0, y), (x1, y))
                arrow.set_color(colour)
                arrow.set_gid(f"event:{row.seq}")
                anchor = min(x0, x1)
            width = text_width_px(row.label, FONT_PT, 72)
            x = min(anchor + PAD_PX, width_pt - PAD_PX - width)
            self._text(x, y + 3, row.label, color=colour, va="bottom")
        for o, line in self.dots.items():
            line.set_data(*dots[o])
        self.clock.set_segments(clock_lines)
        for lane, x in lane_x.items():
            self._text(
                x,
                top + 6,
                plan.titles[lanes.index(lane)],
                ha="center",
                va="bottom",
                gid=f"lane:{lane}",
            )
        if rows:
            shown = tr_figure("events {first}\u2013{last}", first=rows[0].seq, last=rows[-1].seq)
        else:
            shown = tr_figure("no events")
        more = (
            tr_figure(
                " (first {shown} of {total}; pass start_event/end_event)",
                shown=MAX_EVENTS,
                total=plan.total,
            )
            if plan.total > MAX_EVENTS
            else ""
        )
        self.title.set_text(tr_figure("protocol timeline, {shown}{more}", shown=shown, more=more))
        self.title.set_position((PAD_PX, height_pt - 18))
        self.artists.hide_unused()


def _row(e: Any, consumers: set[Any]) -> Row:
    if e.actor == "clock":
        text = (
            f"clock starts at t={e.time_ms} ms"
            if e.api == "start"
            else f"clock +{e.args.get('ms')} ms (from t={e.time_ms} ms)"
        )
        return Row(e.seq, e.time_ms, None, None, text, OK)
    source = _actor_lane(e.actor)
    target = _target_lane(e)
    if e.actor in ("cluster", BROKER) and target not in (None, BROKER):
        source, target = target, None  # an internal change of one partition: HW held, released
    return Row(e.seq, e.time_ms, source, target, _label(e), outcome(e))


def _actor_lane(actor: str) -> str:
    if actor == "cluster":
        return BROKER
    return actor


def _target_lane(e: Any) -> str | None:
    api, args = e.api, e.args
    if api == "FindCoordinator":
        return GROUP_COORDINATOR if args.get("key_type") == "group" else TXN_COORDINATOR
    if api in GROUP_APIS:
        return GROUP_COORDINATOR
    if api in TXN_APIS or (api == "InitProducerId" and args.get("transactional_id")):
        return TXN_COORDINATOR
    if "partition" in args:
        return str(args["partition"])
    if e.actor in (TXN_COORDINATOR, GROUP_COORDINATOR, "broker", "cluster"):
        return None
    return BROKER


def _order_lanes(rows: list[Row], consumers: set[Any]) -> list[str]:
    """Producers and other clients, coordinators and partitions, consumers, then the broker."""
    seen: dict[str, None] = {}
    for r in rows:
        for lane in (r.source, r.target):
            if lane is not None:
                seen.setdefault(lane, None)

    def rank(lane: str) -> tuple[int, str]:
        if lane == TXN_COORDINATOR:
            return (1, "")
        if lane == GROUP_COORDINATOR:
            return (4, "")
        if lane == BROKER:
            return (6, "")
        if lane in consumers or lane.startswith("consumer"):
            return (5, _natural(lane))
        if lane.startswith("__"):
            return (3, _natural(lane))
        if _is_partition(lane):
            return (2, _natural(lane))
        return (0, _natural(lane))

    return sorted(seen, key=rank)


def _is_partition(lane: str) -> bool:
    topic, _, index = lane.rpartition("-")
    return bool(topic) and index.isdigit() and not lane.startswith(("producer-", "consumer-"))


def _natural(s: str) -> str:
    """Numbers compare by value: t-2 before t-10."""
    return "".join(
        "".join(run).zfill(8) if digits else "".join(run) for digits, run in groupby(s, str.isdigit)
    )


def _lane_title(cluster: ClusterState, lane: str) -> str:
    if _is_partition(lane):
        topic, _, index = lane.rpartition("-")
        try:
            leader = cluster.leader_for(topic, int(index))
            return f"{lane}\n" + tr_figure("leader {broker}", broker=leader)
        except Exception:  # a topic deleted since: the lane still has its name
            return lane
    if lane == TXN_COORDINATOR:
        return tr_figure("txn\ncoordinator")
    if lane == GROUP_COORDINATOR:
        return tr_figure("group\ncoordinator")
    return lane


def _label(e: Any) -> str:
    a = e.args
    api = e.api
    if api == "Produce":
        what = f"{a.get('partition')} \u00d7{a.get('records')}" + (
            " txn" if a.get("transactional") else ""
        )
    elif api == "Fetch":
        short = "RC" if a.get("isolation_level") == "read_committed" else "RU"
        what = f"{a.get('partition')} @{a.get('offset')} {short}"
    elif api == "ListOffsets":
        ts = a.get("timestamp")
        what = f"{a.get('partition')} " + {-1: "latest", -2: "earliest"}.get(ts, f"ts {ts}")
    elif api == "InitProducerId":
        what = a.get("transactional_id") or "(idempotent)"
    elif api == "AddPartitionsToTxn":
        what = ",".join(a.get("partitions", ()))
    elif api in ("EndTxn", "WriteTxnMarkers"):
        kind = a.get("result", "")
        what = f"{MARKER_SYMBOLS.get(kind, '')} {kind}" + (
            f" {a['partition']}" if api == "WriteTxnMarkers" else ""
        )
    elif api == "FindCoordinator":
        what = f"{a.get('key_type')} {a.get('key')}"
    elif api == "CompleteTxn":
        what = f"{a.get('transactional_id')} {a.get('state')}"
    else:
        what = ""
    # results in words: Kafka's error code NONE is success, shown as `ok` (as in the tables)
    result = e.result.replace("NONE: ", "").replace("NONE", "ok")
    for effect in e.effects:
        if isinstance(effect, MarkerWritten) and api == "WriteTxnMarkers":
            result += f" (offset {effect.offset})"
        if isinstance(effect, TransactionStateWritten) and api != "CompleteTxn":
            result += f" \u21d2 {effect.state} e{effect.producer_epoch}"
    text = f"{api} {what}".strip() + f" \u2192 {result}"
    return text if len(text) <= 90 else text[:89] + "\u2026"


def _legend_handles() -> list[Any]:
    return [
        Line2D(
            [],
            [],
            color=OUTCOME_COLOURS[OK],
            marker=">",
            label=tr_figure("request, answered ok (error code NONE)"),
        ),
        Line2D(
            [],
            [],
            color=OUTCOME_COLOURS[ERROR],
            marker=">",
            label=tr_figure("request, answered with an error"),
        ),
        Line2D(
            [],
            [],
            color=OUTCOME_COLOURS[OK],
            marker="o",
            linestyle="none",
            label=tr_figure("internal step"),
        ),
        Line2D([], [], color="#666666", linestyle="--", label=tr_figure("clock advance")),
    ]
