"""Every view of `eoslab.views` in one panel, re-rendered after every action, with time travel.

The panel is built from a table of views (`VIEWS`: tab, heading, draw, what it depends on) and
the columns each table shows until "all columns" is ticked (`COLUMNS`, chosen to fit the pinned
column at 1,400 px). Three tabs: the log and its consumers (offset timeline, consumers, log dump,
partitions), the transactions (coordinator, `__transaction_state` newest first, producer state,
aborted index) and the protocol (journal newest first, protocol timeline). After an action the shown tab's views re-render; a hidden tab's
views re-render when it is shown (`lazy=False` renders every view every time). A view whose input
did not change since it was drawn (same log ends, same consumer positions, same journal length)
keeps its picture: the figure would come out identical.

The step slider replays the journal (`views.at_step`): every view then shows the cluster as it was
after that event. Any action brings the panel back to the present ("live").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..i18n import N_, tr
from ..views import (
    aborted_index,
    at_step,
    consumers,
    journal_table,
    log_dump,
    offset_timeline_png,
    partitions,
    producers,
    protocol_timeline_png,
    transaction_log,
    transactions,
)
from ..views.consumers import live_consumers
from . import tables
from .glossary import NO_POSITION_HELP
from .render import timeline_legend_html, unavailable_html
from .session import Session

NO_POSITION = -1001
# drawn at the width the views column has at 1400 px (640 px at the views' 80 dpi), so it is
# shown at its own size: no scaling down, and its 10 px text stays 10 px
TIMELINE_WIDTH_IN = 8.0
LOG_OFFSETS_HELP = N_(
    "log end offset (LEO): the offset the next record gets; HW (high watermark): "
    "read_uncommitted reads below it; LSO (last stable offset): read_committed reads below it"
)

TRANSACTION_STATE = "__transaction_state"
CONSUMER_OFFSETS = "__consumer_offsets"
TABS = (N_("Log & consumers"), N_("Transactions"), N_("Protocol"))
_UNSET = object()


@dataclass
class View:
    """One view on screen: how to draw it from a cluster, and what it depends on."""

    name: str
    widget: widgets.Widget
    draw: Callable[[Any], Any]  # cluster -> HTML str, or (png, width, height) for images
    key: Callable[[Any], Hashable] | None = None  # None: redraw, the widget skips equal values
    caption: widgets.HTML | None = None
    last_key: Any = field(default=_UNSET)
    draws: int = 0

    def update(self, cluster: Any, source: Hashable) -> None:
        try:
            key = (source, self.key(cluster)) if self.key is not None else _UNSET
            if key is not _UNSET and key == self.last_key:
                return
            value = self.draw(cluster)
        except Exception as exc:  # e.g. a partition that did not exist yet at that step
            self.last_key = _UNSET
            if isinstance(self.widget, widgets.Image):
                self.widget.value = b""
                if self.caption is not None:
                    self.caption.value = unavailable_html(self.name, exc)
            else:
                self.widget.value = unavailable_html(self.name, exc)
            return
        self.draws += 1
        self.last_key = key
        if isinstance(self.widget, widgets.Image):
            png, width, _height = value
            self.widget.value = png
            self.widget.width = str(width)
            if self.caption is not None:
                self.caption.value = ""
        else:
            self.widget.value = value


@dataclass(frozen=True)
class ViewSpec:
    """One row of the panel's table of views: where it goes and how it is drawn."""

    name: str
    tab: int  # index into TABS
    heading: str
    css: str
    draw: str  # the ViewsPanel method: cluster -> HTML, or (png, width, height)
    key: str | None = None  # the ViewsPanel method giving what the drawing depends on
    image: bool = False


VIEWS = (
    ViewSpec(
        "offset timeline",
        0,
        "",
        "eoslab-offset-timeline",
        "_draw_timeline",
        "_timeline_key",
        image=True,
    ),
    ViewSpec(
        "consumers",
        0,
        N_("Consumers: position, committed offset, HW, LSO, lag by both definitions"),
        "eoslab-consumers-table",
        "_draw_consumers",
    ),
    ViewSpec(
        "log dump",
        0,
        N_("Log dump (kafka-dump-log.sh) of the partition chosen above, newest last"),
        "eoslab-log-dump",
        "_draw_log_dump",
        "_log_dump_key",
    ),
    ViewSpec(
        "partitions",
        0,
        N_("Partitions: LEO, HW, first unstable offset, LSO"),
        "eoslab-partitions",
        "_draw_partitions",
    ),
    ViewSpec(
        "transactions",
        1,
        N_("Transactions (kafka-transactions.sh describe): the coordinator's memory"),
        "eoslab-transactions",
        "_draw_transactions",
    ),
    ViewSpec(
        "__transaction_state",
        1,
        N_("__transaction_state, newest first (TransactionLogMessageFormatter)"),
        "eoslab-txn-log",
        "_draw_txn_log",
        "_txn_log_key",
    ),
    ViewSpec(
        "producer state",
        1,
        N_("Producer state of the partition chosen above (describe-producers)"),
        "eoslab-producer-state",
        "_draw_producer_state",
    ),
    ViewSpec(
        "aborted index",
        1,
        N_("Aborted transaction index of the partition chosen above"),
        "eoslab-aborted-index",
        "_draw_aborted_index",
    ),
    ViewSpec(
        "journal",
        2,
        N_("Journal, newest first (the protocol timeline below draws the last events)"),
        "eoslab-journal",
        "_draw_journal",
        "_journal_key",
    ),
    ViewSpec(
        "protocol timeline",
        2,
        "",
        "eoslab-protocol-timeline",
        "_draw_protocol",
        "_journal_key",
        image=True,
    ),
)

# the columns shown until "all columns" is ticked: what fits a panel at 1,400 px
COLUMNS = {
    "consumers": (
        "client_id",
        "isolation_level",
        "partition",
        "position",
        "committed",
        "high_watermark",
        "last_stable_offset",
        "lag_lso",
        "lag_hw",
    ),
    "log dump": ("offset", "fate", "marker", "key", "value", "producer_id", "producer_epoch"),
    "partitions": (
        "partition",
        "log_end_offset",
        "high_watermark",
        "first_unstable_offset",
        "last_stable_offset",
        "lso_lag",
        "open_transactions",
    ),
    "transactions": (
        "transactional_id",
        "producer_id",
        "producer_epoch",
        "state",
        "pending_state",
        "topic_partitions",
        "pending_markers",
    ),
    "__transaction_state": (
        "offset",
        "timestamp",
        "transactional_id",
        "state",
        "producer_id",
        "producer_epoch",
        "partitions",
    ),
    "producer state": (
        "producer_id",
        "producer_epoch",
        "last_sequence",
        "current_transaction_start_offset",
    ),
    "journal": ("seq", "time_ms", "actor", "api", "result", "effects"),
}


class ViewsPanel(widgets.VBox):
    def __init__(
        self,
        session: Session,
        *,
        log_rows: int = 25,
        events: int = 10,
        detail: int = 30,
        lazy: bool = True,
    ) -> None:
        self.session = session
        self.log_rows = log_rows
        self.events = events
        self.detail = detail
        self.lazy = lazy
        self._syncing = False
        self._past: dict[tuple[int, int], Any] = {}

        self.partition = widgets.Dropdown(description=tr("partition"), layout=_auto())
        self.partition.add_class("eoslab-partition")
        self.partition.observe(self._on_partition, "value")
        self.slider = widgets.IntSlider(
            min=0,
            max=0,
            value=0,
            description=tr("step"),
            tooltip=tr("time travel: the cluster as it was after this journal event"),
            continuous_update=False,
            layout=widgets.Layout(width="22em"),
        )
        self.slider.add_class("eoslab-step-slider")
        self.slider.observe(self._on_slider, "value")
        self.live = widgets.Checkbox(
            value=True, description=tr("live"), indent=False, layout=_auto()
        )
        self.live.add_class("eoslab-live")
        self.live.observe(self._on_live, "value")
        self.all_columns = widgets.Checkbox(
            value=False,
            description=tr("all columns"),
            indent=False,
            layout=_auto(),
            tooltip=tr("show every column of every table (wider than the panel)"),
        )
        self.all_columns.add_class("eoslab-all-columns")
        self.all_columns.observe(self._on_all_columns, "value")
        self.when = widgets.HTML()
        self.when.add_class("eoslab-when")

        self.views: dict[str, View] = {}
        pages: list[list[widgets.Widget]] = [[] for _ in TABS]
        pages[0].append(widgets.HTML(timeline_legend_html()))
        for spec in VIEWS:
            caption = widgets.HTML() if spec.image else None
            if spec.image:
                w: widgets.Widget = widgets.Image(format="png")
            else:
                w = widgets.HTML()
            w.add_class(spec.css)
            key = getattr(self, spec.key) if spec.key else None
            self.views[spec.name] = View(spec.name, w, getattr(self, spec.draw), key, caption)
            if spec.heading:
                pages[spec.tab].append(_heading(tr(spec.heading)))
            if spec.name == "protocol timeline":  # one lane per actor: natural size, scrolled
                w.layout = widgets.Layout(max_width="none")
                w = widgets.Box([w], layout=widgets.Layout(overflow="auto", width="100%"))
                w.add_class("eoslab-protocol-box")
            pages[spec.tab].append(w)
            if caption is not None:
                pages[spec.tab].append(caption)
        self.tab_views = tuple(tuple(v.name for v in VIEWS if v.tab == i) for i in range(len(TABS)))
        self.tabs = widgets.Tab(children=[widgets.VBox(page) for page in pages])
        for i, title in enumerate(TABS):
            self.tabs.set_title(i, tr(title))
        self.tabs.add_class("eoslab-views")
        self.tabs.observe(self._on_tab, "selected_index")
        super().__init__(
            [
                widgets.HBox(
                    [self.slider, self.live, self.partition, self.all_columns],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.when,
                self.tabs,
            ]
        )
        self.add_class("eoslab-views-panel")
        session.on_refresh(self.refresh)

    # -- what to show -------------------------------------------------------------------------
    @property
    def cluster(self) -> Any:
        return self.session.cluster

    @property
    def step(self) -> int | None:
        """The journal event shown, or None for the present."""
        return None if self.live.value else self.slider.value

    def source(self) -> tuple[Any, Hashable]:
        if self.step is None:
            return self.cluster, (self.session.generation, "live")
        key = (self.session.generation, self.step)
        past = self._past.get(key)
        if past is None:
            self._past = {key: at_step(self.cluster, self.step)}  # one past cluster is kept
            past = self._past[key]
        return past, key

    def selected(self) -> tuple[str, int] | None:
        return self.partition.value

    # -- refreshing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """After an action: back to the present, then redraw what is shown."""
        self._syncing = True
        try:
            last = max(len(self.cluster.journal) - 1, 0)
            self.live.value = True
            if self.slider.max < last:
                self.slider.max = last
            self.slider.value = last
            if self.slider.max != last:
                self.slider.max = last
            self._update_partitions()
        finally:
            self._syncing = False
        self.when.value = ""
        self.update()

    def update(self, names: tuple[str, ...] | None = None) -> None:
        """Redraw `names` (default: the shown tab's views, or every view when not lazy)."""
        cluster, source = self.source()
        if names is None:
            if self.lazy:
                names = self.tab_views[self.tabs.selected_index or 0]
            else:
                names = tuple(self.views)
        for name in names:
            self.views[name].update(cluster, (source, self.all_columns.value))

    def _update_partitions(self) -> None:
        c = self.cluster
        options = [
            (f"{name}-{p.index}", (name, p.index))
            for name in c.list_topics()
            for p in c.topics[name].partitions
        ]
        for name in (TRANSACTION_STATE, CONSUMER_OFFSETS):
            topic = c.topics.get(name)
            if topic is not None:
                options += [
                    (f"{name}-{p.index}", (name, p.index)) for p in topic.partitions if p.batches
                ]
        if [o[1] for o in options] != [o[1] for o in self.partition.options]:
            current = self.partition.value
            self.partition.options = options
            values = [o[1] for o in options]
            self.partition.value = current if current in values else (values[0] if values else None)

    # -- events from the widgets --------------------------------------------------------------
    def _on_tab(self, change: dict) -> None:
        self.update()
        self.session.note(tr("view: {tab}", tab=tr(TABS[change["new"] or 0])))

    def _on_all_columns(self, change: dict) -> None:
        self.update()
        self.session.note(tr("view: all columns") if change["new"] else tr("view: chosen columns"))

    def _on_partition(self, change: dict) -> None:
        if self._syncing:
            return
        self.update(("log dump", "producer state", "aborted index"))
        self.session.note(tr("view: partition {partition}", partition=change["new"]))

    def _on_slider(self, change: dict) -> None:
        if self._syncing:
            return
        at_end = change["new"] >= len(self.cluster.journal) - 1
        self._syncing = True
        try:
            self.live.value = at_end
        finally:
            self._syncing = False
        self._show_step()

    def _on_live(self, change: dict) -> None:
        if self._syncing:
            return
        if change["new"]:
            self._syncing = True
            try:
                self.slider.value = self.slider.max
            finally:
                self._syncing = False
        self._show_step()

    def _show_step(self) -> None:
        step = self.step
        if step is None:
            self.when.value = ""
            what = tr("view: live")
        else:
            event = self.cluster.journal[step] if step < len(self.cluster.journal) else None
            described = event.describe() if event is not None else tr("before any event")
            travel = tr("time travel: the cluster as it was after journal event {step}", step=step)
            self.when.value = (
                '<div style="background: #FFF5CC; padding: 0.2em 0.6em">&#9194; '
                f"{_escape(travel)}: <code>{_escape(described)}</code></div>"
            )
            what = tr("view: after journal event {step}", step=step)
        self.update()
        self.session.note(what)

    # -- the views --------------------------------------------------------------------------------
    def _draw_timeline(self, c: Any) -> tuple[bytes, int, int]:
        return offset_timeline_png(c, detail=self.detail, width=TIMELINE_WIDTH_IN)

    def _timeline_key(self, c: Any) -> Hashable:
        """Everything `offset_timeline` reads: each lane's offsets and aborted ranges, and each
        live consumer's positions on it."""
        readers = live_consumers(c)
        lanes = []
        for name in c.list_topics():
            for p in c.topics[name].partitions:
                marks = []
                for k in readers:
                    state = k.fetch_state(name, p.index)
                    if state is not None:
                        marks.append(
                            (
                                k.client_id,
                                k.isolation_level,
                                state.app_position,
                                state.fetch_position,
                            )
                        )
                lanes.append(
                    (
                        name,
                        p.index,
                        p.log_start_offset,
                        p.log_end_offset,
                        p.high_watermark,
                        p.last_stable_offset,
                        len(p.txn_index),
                        tuple(marks),
                    )
                )
        return (self.detail, tuple(lanes))

    def _table(self, view: str, df: pd.DataFrame, uid: str, empty: str, newest: str = "") -> str:
        return tables.show(
            df,
            uid,
            columns=COLUMNS.get(view),
            all_columns=self.all_columns.value,
            newest=newest,
            empty=empty,
        )

    def _draw_consumers(self, c: Any) -> str:
        df = consumers(c)
        notes = []
        if not df.empty:
            if (df["position"] == NO_POSITION).any():
                notes.append(tr(NO_POSITION_HELP) + ".")
            for row in df[df["lag_lso"].fillna(0) < 0].itertuples():
                notes.append(
                    tr(
                        "{client} lag_lso {lag}: this {isolation} consumer has fetched {n} "
                        "record(s) past the LSO, into an open transaction. Kafka's tools print "
                        "such a lag as it is (negative); Java's records-lag for read_uncommitted "
                        "is measured against the HW (lag_hw) instead.",
                        client=row.client_id,
                        lag=row.lag_lso,
                        isolation=row.isolation_level,
                        n=-row.lag_lso,
                    )
                )
            df = df.assign(partition=df["topic"].astype(str) + "-" + df["partition"].astype(str))
        return self._table("consumers", df, "consumers", tr("no consumers")) + tables.note(notes)

    def _draw_log_dump(self, c: Any) -> str:
        selected = self.selected()
        if selected is None:
            return self._table("log dump", pd.DataFrame(), "log", tr("no partition"))
        topic, index = selected
        p = c.partition(topic, index)
        df = log_dump(c, topic, index, tail=self.log_rows)
        shown = tr("{n} of {total}", n=len(df), total=p.log_end_offset - p.log_start_offset)
        last = tr(
            "{partition}: the last {shown} records", partition=f"{topic}-{index}", shown=shown
        )
        head = (
            f'<div style="font-size: 12px; color: #444">{_escape(last)} '
            f'(<span title="{_escape(tr(LOG_OFFSETS_HELP))}">log end offset {p.log_end_offset}, '
            f"HW {p.high_watermark}, LSO {p.last_stable_offset}</span>)</div>"
        )
        empty = tr("{partition} is empty", partition=f"{topic}-{index}")
        return head + self._table("log dump", df, "log", empty, "last")

    def _log_dump_key(self, c: Any) -> Hashable:
        selected = self.selected()
        if selected is None:
            return None
        p = c.partition(*selected)
        return (
            selected,
            p.log_start_offset,
            p.log_end_offset,
            p.high_watermark,
            p.last_stable_offset,
        )

    def _draw_partitions(self, c: Any) -> str:
        df = partitions(c)
        if not df.empty:
            df = df.assign(partition=df["topic"].astype(str) + "-" + df["partition"].astype(str))
        return self._table("partitions", df, "partitions", tr("no topics"))

    def _draw_transactions(self, c: Any) -> str:
        return self._table(
            "transactions", transactions(c), "transactions", tr("no transactional ids")
        )

    def _draw_txn_log(self, c: Any) -> str:
        df = transaction_log(c, newest=self.log_rows)  # across the 50 partitions, by time
        return self._table(
            "__transaction_state",
            df,
            "txnlog",
            tr("__transaction_state is empty"),
            "first",
        )

    def _txn_log_key(self, c: Any) -> Hashable:
        topic = c.topics.get(TRANSACTION_STATE)
        return None if topic is None else tuple(p.log_end_offset for p in topic.partitions)

    def _draw_producer_state(self, c: Any) -> str:
        selected = self.selected()
        if selected is None:
            return self._table("producer state", pd.DataFrame(), "producers", tr("no partition"))
        return self._table(
            "producer state",
            producers(c, *selected),
            "producers",
            tr("no producer state on {partition}", partition=f"{selected[0]}-{selected[1]}"),
        )

    def _draw_aborted_index(self, c: Any) -> str:
        selected = self.selected()
        if selected is None:
            return ""
        return self._table(
            "aborted index",
            aborted_index(c, *selected),
            "aborted",
            tr("no aborted transactions on {partition}", partition=f"{selected[0]}-{selected[1]}"),
        )

    def _draw_protocol(self, c: Any) -> tuple[bytes, int, int]:
        start = max(len(c.journal) - self.events, 0)
        return protocol_timeline_png(c, start)

    def _journal_key(self, c: Any) -> Hashable:
        return (len(c.journal), self.events)

    def _draw_journal(self, c: Any) -> str:
        start = max(len(c.journal) - 3 * self.events, 0)
        return self._table(
            "journal", journal_table(c, start), "journal", tr("no events yet"), "first"
        )


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f'<div style="font-weight: bold; margin-top: 0.6em">{_escape(text)}</div>')


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _auto() -> widgets.Layout:
    return widgets.Layout(width="auto")
