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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from .style import ERROR, MARKER_SYMBOLS, OK, OUTCOME_COLOURS, outcome

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
_STATE_EFFECT = re.compile(r"^__transaction_state-\d+ offset \d+: \S+ (\w+) \(pid \d+, epoch (\d+)")
_MARKER_EFFECT = re.compile(r" offset (\d+): (COMMIT|ABORT) marker")


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
    cluster: Any,
    start_event: int = 0,
    end_event: int | None = None,
    *,
    apis: Iterable[str] | None = None,
    exclude_apis: Iterable[str] = (),
) -> Figure:
    """Journal events `start_event` <= seq < `end_event` (optionally only `apis`) as swimlanes."""
    keep = set(apis) if apis is not None else None
    drop = set(exclude_apis)
    events = [
        e
        for e in list(cluster.journal)[start_event:end_event]
        if (keep is None or e.api in keep) and e.api not in drop
    ]
    total = len(events)
    events = events[:MAX_EVENTS]
    consumers = {
        getattr(c, "client_id", None) for c in cluster.clients if hasattr(c, "isolation_level")
    }
    rows = [_row(e, consumers) for e in events]
    lanes = _order_lanes(rows, consumers)
    x = {lane: i for i, lane in enumerate(lanes)}

    n = max(len(rows), 1)
    width = max(7.0, 1.6 * len(lanes) + 2.0)
    fig = Figure(figsize=(width, 1.4 + 0.3 * n), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_gid("protocol")
    ax.vlines(range(len(lanes)), -n + 0.4, 0.6, colors="#BBBBBB", linewidth=1.0, zorder=1)
    for k, row in enumerate(rows):
        y = -k
        colour = OUTCOME_COLOURS[row.outcome]
        if row.source is None:
            ax.axhline(y, color="#666666", linestyle="--", linewidth=0.8, gid=f"event:{row.seq}")
            ax.text(-0.4, y + 0.08, row.label, fontsize=7, color="#444444", va="bottom")
        elif row.target is None or row.target == row.source:
            ax.plot(
                [x[row.source]],
                [y],
                marker="o",
                color=colour,
                markersize=5,
                zorder=3,
                gid=f"event:{row.seq}",
            )
            ax.text(
                x[row.source] + 0.06, y + 0.08, row.label, fontsize=7, color=colour, va="bottom"
            )
        else:
            x0, x1 = x[row.source], x[row.target]
            ax.add_patch(
                FancyArrowPatch(
                    (x0, y),
                    (x1, y),
                    arrowstyle="-|>",
                    mutation_scale=10,
                    color=colour,
                    linewidth=1.2,
                    shrinkA=0,
                    shrinkB=0,
                    zorder=3,
                    gid=f"event:{row.seq}",
                )
            )
            ax.text(min(x0, x1) + 0.06, y + 0.08, row.label, fontsize=7, color=colour, va="bottom")
    ax.set_xlim(-0.5, max(len(lanes), 1) - 0.5)
    ax.set_ylim(-n + 0.4, 0.8)
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(lanes)), [_lane_title(cluster, lane) for lane in lanes], fontsize=8)
    ax.set_yticks(
        [-k for k in range(len(rows))], [f"#{r.seq}  {r.time_ms} ms" for r in rows], fontsize=7
    )
    for side in ("right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    shown = f"events {rows[0].seq}\u2013{rows[-1].seq}" if rows else "no events"
    more = (
        f" (first {MAX_EVENTS} of {total}; pass start_event/end_event)"
        if total > MAX_EVENTS
        else ""
    )
    ax.set_title(f"protocol timeline, {shown}{more}", fontsize=10, loc="left")
    fig.legend(
        handles=_legend_handles(), loc="outside lower center", ncol=4, fontsize=8, frameon=False
    )
    return fig


def _row(e: Any, consumers: set[Any]) -> Row:
    if e.actor == "clock":
        return Row(
            e.seq,
            e.time_ms,
            None,
            None,
            f"clock +{e.args.get('ms')} ms (from t={e.time_ms} ms)",
            OK,
        )
    source = _actor_lane(e.actor)
    target = _target_lane(e)
    if e.actor in ("cluster", BROKER) and target not in (None, BROKER):
        source, target = target, None  # an internal change of one partition: HW held, released
    return Row(e.seq, e.time_ms, source, target, _label(e), outcome(e.result))


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
    return re.sub(r"\d+", lambda m: m.group(0).zfill(8), s)


def _lane_title(cluster: Any, lane: str) -> str:
    if _is_partition(lane):
        topic, _, index = lane.rpartition("-")
        try:
            return f"{lane}\nleader {cluster.leader_for(topic, int(index))}"
        except Exception:  # a topic deleted since: the lane still has its name
            return lane
    return lane.replace("-coordinator", "\ncoordinator")


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
    result = e.result.replace("NONE: ", "")
    for effect in e.effects:
        m = _MARKER_EFFECT.search(effect)
        if m and api == "WriteTxnMarkers":
            result += f" (offset {m.group(1)})"
        m = _STATE_EFFECT.match(effect)
        if m and api != "CompleteTxn":
            result += f" \u21d2 {m.group(1)} e{m.group(2)}"
    text = f"{api} {what}".strip() + f" \u2192 {result}"
    return text if len(text) <= 90 else text[:89] + "\u2026"


def _legend_handles() -> list[Any]:
    return [
        Line2D([], [], color=OUTCOME_COLOURS[OK], marker=">", label="request, answered NONE"),
        Line2D(
            [],
            [],
            color=OUTCOME_COLOURS[ERROR],
            marker=">",
            label="request, answered with an error",
        ),
        Line2D(
            [], [], color=OUTCOME_COLOURS[OK], marker="o", linestyle="none", label="internal step"
        ),
        Line2D([], [], color="#666666", linestyle="--", label="clock advance"),
    ]
