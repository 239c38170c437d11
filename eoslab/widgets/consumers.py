"""The consumers dashboard: read_committed and read_uncommitted consumers side by side.

Create a consumer in a group (subscribe) or by assignment, with either isolation level; each
panel has a button per call: poll, consume, commit, seek, crash, close. The messages a call
returned are listed in the panel; where the consumer stands is in the views (the consumers table
and the arrows of the offset timeline).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ..client import Consumer
from ..i18n import N_, tr
from .actions import CONSUMER_ACTIONS, buttons, perform
from .controls import (
    _same_name,
    box,
    button,
    dropdown,
    heading,
    isolation_badge,
    number,
    row,
    set_options,
    text,
)
from .session import Outcome, Session

SHOWN_MESSAGES = 12
ISOLATION_LEVELS = ("read_committed", "read_uncommitted")


@dataclass(frozen=True)
class Spec:
    """How a dashboard's consumer is made: group, isolation, and assign or subscribe."""

    name: str
    group_id: str
    isolation_level: str = "read_committed"
    topic: str = "t"
    subscribe: bool = False  # else: assign every partition of the topic


class ConsumerPanel(widgets.VBox):
    def __init__(self, session: Session, name: str, consumer: Consumer, spec: Spec) -> None:
        self.session = session
        self.name = name
        self.consumer = consumer
        self.spec = spec
        self.crashed = False
        self.returned: list[str] = []  # what the calls returned, newest last
        self.header = widgets.HTML()
        self.header.add_class("eoslab-consumer-header")
        self.messages = widgets.HTML()
        self.messages.add_class("eoslab-messages")
        self.count = number("n", 10, "eoslab-consume-count", 1, 10_000, "6em")
        self.seek_partition = dropdown("seek", [], "eoslab-seek-partition")
        self.seek_offset = number(tr("to offset"), 0, "eoslab-seek-offset", 0, 10**12, "10em")
        self.buttons = buttons(CONSUMER_ACTIONS, self)
        b = self.buttons
        children = [
            self.header,
            row(b["poll"], b["consume"], self.count, b["commit"]),
            row(self.seek_partition, self.seek_offset, b["seek"]),
            row(b["crash"], b["close"]),
            self.messages,
        ]
        css = f"eoslab-consumer eoslab-consumer-{name} eoslab-{spec.isolation_level.replace('_', '-')}"
        super().__init__([box(children, css)], layout=widgets.Layout(width="30em"))
        self.add_class("eoslab-consumer-panel")
        self.refresh()

    def record(self, messages: list[Any]) -> None:
        """Keep what a call returned, newest last (the panel shows the last ones)."""
        for m in messages:
            if m is None:
                continue
            error = m.error()
            if error is not None:
                self.returned.append(f"{m.topic()}-{m.partition()}: event {error.name()}")
                continue
            key = m.key().decode(errors="replace") if m.key() is not None else None
            value = m.value().decode(errors="replace") if m.value() is not None else None
            shown_key = f" key={key}" if key is not None else ""
            self.returned.append(
                f"{m.topic()}-{m.partition()} offset {m.offset()}:{shown_key} {value}"
            )

    # -- the calls (declared in actions.CONSUMER_ACTIONS) -------------------------------------
    def _do(self, key: str) -> Outcome:
        return perform(next(a for a in CONSUMER_ACTIONS if a.key == key), self)

    def poll(self) -> Outcome:
        return self._do("poll")

    def consume(self) -> Outcome:
        return self._do("consume")

    def commit(self) -> Outcome:
        return self._do("commit")

    def seek(self) -> Outcome:
        return self._do("seek")

    def crash(self) -> Outcome:
        return self._do("crash")

    def close(self) -> Outcome:
        return self._do("close")

    def refresh(self) -> None:
        c = self.consumer
        name = html.escape(self.name)
        parts = [
            f"<b title='{_same_name(name)}'>{name}</b> {isolation_badge(c.isolation_level)}"
            + ("" if c.client_id == self.name else f" (client.id {html.escape(c.client_id)})"),
            tr("own group") if c.group_id == self.name else f"group.id {html.escape(c.group_id)}",
        ]
        if self.crashed:
            parts.append(f"<b>{tr('crashed')}</b>")
        elif c.closed:
            parts.append(f"<b>{tr('closed')}</b>")
        else:
            where = []
            for tp in c.assignment():
                state = c.fetch_state(tp.topic, tp.partition)
                position = state.app_position if state is not None else None
                none_yet = html.escape(
                    tr(
                        "-1001: no position yet (librdkafka OFFSET_INVALID): no message "
                        "returned so far"
                    )
                )
                shown = (
                    f"<span title='{none_yet}'>{html.escape(tr('-1001 (none yet)'))}</span>"
                    if position in (None, -1001)
                    else str(position)
                )
                where.append(f"{tp.topic}-{tp.partition} position {shown}")
            parts.append(
                ", ".join(where)
                or (
                    tr("subscribed, not yet assigned")
                    if self.spec.subscribe
                    else tr("nothing assigned")
                )
            )
            set_options(
                self.seek_partition,
                [(f"{tp.topic}-{tp.partition}", (tp.topic, tp.partition)) for tp in c.assignment()],
            )
        self.header.value = '<div style="font-size: 13px">' + " &middot; ".join(parts) + "</div>"
        shown = self.returned[-SHOWN_MESSAGES:]
        self.messages.value = (  # newest last, kept in view (a column-reverse box)
            '<div style="display: flex; flex-direction: column-reverse; max-height: 12em; '
            'overflow: auto"><pre style="flex: none; font-size: 12px; margin: 0">'
            + html.escape("\n".join(shown) if shown else "(nothing returned yet)")
            + "</pre></div>"
        )


class ConsumersDashboard(widgets.VBox):
    """A form to create consumers, and their panels side by side."""

    def __init__(
        self,
        session: Session,
        initial: Sequence[Spec] = (
            Spec("consumer_rc", "consumer_rc", "read_committed"),
            Spec("consumer_ru", "consumer_ru", "read_uncommitted"),
        ),
        *,
        title: str = N_("Consumers"),
        note: str = N_("(read_committed stops at the LSO, read_uncommitted reads to the HW)"),
    ) -> None:
        self.session = session
        self.initial = list(initial)
        self.panels: list[ConsumerPanel] = []
        topics = session.cluster.list_topics()
        self.group_id = text("group.id", "", "eoslab-new-group", "12em")
        self.group_id.placeholder = tr("its own name")
        self.isolation = dropdown("isolation.level", list(ISOLATION_LEVELS), "eoslab-new-isolation")
        self.mode = widgets.ToggleButtons(options=["assign", "subscribe"], value="assign")
        self.mode.add_class("eoslab-new-mode")
        self.topic = dropdown("topic", topics, "eoslab-new-topic")
        self.create_button = button(
            tr("create consumer"), "eoslab-create-consumer", self.create_from_form
        )
        self.list = widgets.HBox([], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__(
            [
                heading(title, note),
                row(self.group_id, self.isolation, self.mode, self.topic, self.create_button),
                self.list,
            ]
        )
        self.add_class("eoslab-consumers")
        session.on_refresh(self.refresh)
        session.on_reset(self.start)
        with session.quiet():
            self.start()

    def start(self) -> None:
        self.panels = []
        self.list.children = []
        for spec in self.initial:
            self.create(spec)

    def create_from_form(self) -> ConsumerPanel | None:
        name = self.session.name("consumer")
        spec = Spec(
            name,
            self.group_id.value.strip() or name,
            self.isolation.value,
            self.topic.value,
            self.mode.value == "subscribe",
        )
        return self.create(spec)

    def create(self, spec: Spec) -> ConsumerPanel | None:
        s = self.session
        topic = s.cluster.topics.get(spec.topic)
        count = len(topic.partitions) if topic is not None else 1
        config = s.consumer_config(spec.group_id, spec.isolation_level, spec.name)
        made: list[ConsumerPanel] = []

        def add(consumer: Consumer) -> None:
            panel = ConsumerPanel(s, spec.name, consumer, spec)
            self.panels.append(panel)
            self.list.children = [*self.list.children, panel]
            made.append(panel)

        if spec.subscribe:
            s.new_consumer(spec.name, config, subscribe=[spec.topic], then=add)
        else:
            s.new_consumer(
                spec.name, config, assign=[(spec.topic, i) for i in range(count)], then=add
            )
        return made[0] if made else None

    def refresh(self) -> None:
        for panel in self.panels:
            panel.refresh()
        set_options(self.topic, self.session.cluster.list_topics())

    def panel(self, name: str) -> ConsumerPanel:
        return next(p for p in self.panels if p.name == name)
