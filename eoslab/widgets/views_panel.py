"""Every view of `eoslab.views` in one panel, re-rendered after every action, with time travel.

Three tabs: the log and its consumers (offset timeline, consumers, log dump, partitions), the
transactions (coordinator, `__transaction_state`, producer state, aborted index) and the protocol
(protocol timeline, journal). After an action the shown tab's views re-render; a hidden tab's
views re-render when it is shown (`lazy=False` renders every view every time). A view whose input
did not change since it was drawn (same log ends, same consumer positions, same journal length)
keeps its picture: the figure would come out identical.

The step slider replays the journal (`views.at_step`): every view then shows the cluster as it was
after that event. Any action brings the panel back to the present ("live").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..views import (
    aborted_index,
    at_step,
    consumers,
    journal_table,
    log_dump,
    offset_timeline,
    partitions,
    producers,
    protocol_timeline,
    transaction_log,
    transactions,
)
from ..views.consumers import live_consumers
from .render import figure_png, table_html, timeline_legend_html, unavailable_html
from .session import Session

TRANSACTION_STATE = "__transaction_state"
CONSUMER_OFFSETS = "__consumer_offsets"
TABS = ("Log & consumers", "Transactions", "Protocol")
LOG_DUMP_FIRST = ("offset", "fate", "marker", "key", "value", "producer_id", "producer_epoch")
PROTOCOL_DPI = 100  # one swimlane per actor: wide, shown at its size with a scroll bar
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

        self.partition = widgets.Dropdown(description="partition", layout=_auto())
        self.partition.add_class("eoslab-partition")
        self.partition.observe(self._on_partition, "value")
        self.slider = widgets.IntSlider(
            min=0,
            max=0,
            value=0,
            description="step",
            continuous_update=False,
            layout=widgets.Layout(width="32em"),
        )
        self.slider.add_class("eoslab-step-slider")
        self.slider.observe(self._on_slider, "value")
        self.live = widgets.Checkbox(value=True, description="live", indent=False, layout=_auto())
        self.live.add_class("eoslab-live")
        self.live.observe(self._on_live, "value")
        self.when = widgets.HTML()
        self.when.add_class("eoslab-when")

        def image(css: str) -> tuple[widgets.Image, widgets.HTML]:
            img = widgets.Image(format="png")
            img.add_class(css)
            return img, widgets.HTML()

        def table(css: str) -> widgets.HTML:
            w = widgets.HTML()
            w.add_class(css)
            return w

        timeline_img, timeline_caption = image("eoslab-offset-timeline")
        protocol_img, protocol_caption = image("eoslab-protocol-timeline")
        protocol_img.layout = widgets.Layout(max_width="none")  # natural size, scrolled
        protocol_box = widgets.Box([protocol_img], layout=widgets.Layout(overflow="auto"))
        self.views: dict[str, View] = {
            "offset timeline": View(
                "offset timeline",
                timeline_img,
                self._draw_timeline,
                self._timeline_key,
                timeline_caption,
            ),
            "consumers": View("consumers", table("eoslab-consumers-table"), self._draw_consumers),
            "log dump": View(
                "log dump", table("eoslab-log-dump"), self._draw_log_dump, self._log_dump_key
            ),
            "partitions": View("partitions", table("eoslab-partitions"), self._draw_partitions),
            "transactions": View(
                "transactions", table("eoslab-transactions"), self._draw_transactions
            ),
            "__transaction_state": View(
                "__transaction_state",
                table("eoslab-txn-log"),
                self._draw_txn_log,
                self._txn_log_key,
            ),
            "producer state": View(
                "producer state", table("eoslab-producer-state"), self._draw_producer_state
            ),
            "aborted index": View(
                "aborted index", table("eoslab-aborted-index"), self._draw_aborted_index
            ),
            "protocol timeline": View(
                "protocol timeline",
                protocol_img,
                self._draw_protocol,
                self._journal_key,
                protocol_caption,
            ),
            "journal": View(
                "journal", table("eoslab-journal"), self._draw_journal, self._journal_key
            ),
        }
        v = self.views
        self.tab_views = (
            ("offset timeline", "consumers", "log dump", "partitions"),
            ("transactions", "__transaction_state", "producer state", "aborted index"),
            ("protocol timeline", "journal"),
        )
        overview = widgets.VBox(
            [
                widgets.HTML(timeline_legend_html()),
                v["offset timeline"].widget,
                timeline_caption,
                _heading("Consumers: position, committed offset, HW, LSO, lag by both definitions"),
                v["consumers"].widget,
                _heading(
                    "Log dump (kafka-dump-log.sh), last records of the partition chosen above"
                ),
                v["log dump"].widget,
                _heading("Partitions: log end, HW, first unstable offset, LSO"),
                v["partitions"].widget,
            ]
        )
        txns = widgets.VBox(
            [
                _heading("Transactions (kafka-transactions.sh describe): the coordinator's memory"),
                v["transactions"].widget,
                _heading("__transaction_state, newest last (TransactionLogMessageFormatter)"),
                v["__transaction_state"].widget,
                _heading("Producer state of the partition chosen above (describe-producers)"),
                v["producer state"].widget,
                _heading("Aborted transaction index of the partition chosen above"),
                v["aborted index"].widget,
            ]
        )
        protocol = widgets.VBox(
            [
                protocol_box,
                protocol_caption,
                _heading("Journal, newest last"),
                v["journal"].widget,
            ]
        )
        self.tabs = widgets.Tab(children=[overview, txns, protocol])
        for i, title in enumerate(TABS):
            self.tabs.set_title(i, title)
        self.tabs.add_class("eoslab-views")
        self.tabs.observe(self._on_tab, "selected_index")
        super().__init__(
            [
                widgets.HBox([self.slider, self.live, self.partition]),
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
            self.views[name].update(cluster, source)

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
        self.session.note(f"view: {TABS[change['new'] or 0]}")

    def _on_partition(self, change: dict) -> None:
        if self._syncing:
            return
        self.update(("log dump", "producer state", "aborted index"))
        self.session.note(f"view: partition {change['new']}")

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
            what = "view: live"
        else:
            event = self.cluster.journal[step] if step < len(self.cluster.journal) else None
            described = event.describe() if event is not None else "before any event"
            self.when.value = (
                '<div style="background: #FFF5CC; padding: 0.2em 0.6em">&#9194; time travel: '
                f"the cluster as it was after journal event {step}: <code>"
                f"{_escape(described)}</code></div>"
            )
            what = f"view: after journal event {step}"
        self.update()
        self.session.note(what)

    # -- the views --------------------------------------------------------------------------------
    def _draw_timeline(self, c: Any) -> tuple[bytes, int, int]:
        return figure_png(offset_timeline(c, detail=self.detail), legend=False, fixed_margins=True)

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

    def _draw_consumers(self, c: Any) -> str:
        return table_html(consumers(c), "consumers", empty="no consumers")

    def _draw_log_dump(self, c: Any) -> str:
        selected = self.selected()
        if selected is None:
            return table_html(pd.DataFrame(), "log", empty="no partition")
        topic, index = selected
        p = c.partition(topic, index)
        df = log_dump(_tail(p, self.log_rows), topic, index).tail(self.log_rows)
        first = [c for c in LOG_DUMP_FIRST if c in df.columns]
        df = df[first + [c for c in df.columns if c not in first]]
        shown = f"{len(df)} of {p.log_end_offset - p.log_start_offset}"
        note = (
            f'<div style="font-size: 12px; color: #444">{topic}-{index}: the last {shown} '
            f"records (log end offset {p.log_end_offset}, HW {p.high_watermark}, "
            f"LSO {p.last_stable_offset})</div>"
        )
        return note + table_html(df, "log", empty=f"{topic}-{index} is empty")

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
        return table_html(partitions(c), "partitions", empty="no topics")

    def _draw_transactions(self, c: Any) -> str:
        return table_html(transactions(c), "transactions", empty="no transactional ids yet")

    def _draw_txn_log(self, c: Any) -> str:
        df = transaction_log(c)
        return table_html(df.tail(self.log_rows), "txnlog", empty="__transaction_state is empty")

    def _txn_log_key(self, c: Any) -> Hashable:
        topic = c.topics.get(TRANSACTION_STATE)
        return None if topic is None else tuple(p.log_end_offset for p in topic.partitions)

    def _draw_producer_state(self, c: Any) -> str:
        selected = self.selected()
        if selected is None:
            return table_html(pd.DataFrame(), "producers", empty="no partition")
        return table_html(
            producers(c, *selected),
            "producers",
            empty=f"no producer state on {selected[0]}-{selected[1]}",
        )

    def _draw_aborted_index(self, c: Any) -> str:
        selected = self.selected()
        if selected is None:
            return ""
        return table_html(
            aborted_index(c, *selected),
            "aborted",
            empty=f"no aborted transactions on {selected[0]}-{selected[1]}",
        )

    def _draw_protocol(self, c: Any) -> tuple[bytes, int, int]:
        start = max(len(c.journal) - self.events, 0)
        return figure_png(protocol_timeline(c, start), dpi=PROTOCOL_DPI)

    def _journal_key(self, c: Any) -> Hashable:
        return (len(c.journal), self.events)

    def _draw_journal(self, c: Any) -> str:
        start = max(len(c.journal) - 3 * self.events, 0)
        return table_html(journal_table(c, start), "journal", empty="no events yet")


def _tail(partition: Any, rows: int) -> Any:
    """Just enough of a cluster for `log_dump`: the partition's last batches holding `rows`
    records. Their fates are exact: a batch's fate is decided by a marker after it."""
    batches = partition.batches
    i, n = len(batches), 0
    while i > 0 and n < rows:
        i -= 1
        n += len(batches[i].records)
    tail = SimpleNamespace(batches=batches[i:])
    return SimpleNamespace(partition=lambda topic, index: tail)


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f'<div style="font-weight: bold; margin-top: 0.6em">{_escape(text)}</div>')


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _auto() -> widgets.Layout:
    return widgets.Layout(width="auto")
