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

from ..client import Consumer, TopicPartition
from .code_log import lit
from .controls import (
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
from .session import Session

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
        self.seek_offset = number("to offset", 0, "eoslab-seek-offset", 0, 10**12, "10em")
        self.buttons = {
            "poll": button("poll", "eoslab-poll", self.poll, style="primary"),
            "consume": button("consume", "eoslab-consume", self.consume),
            "commit": button("commit", "eoslab-commit-offsets", self.commit),
            "seek": button("seek", "eoslab-seek", self.seek),
            "crash": button(
                "crash", "eoslab-crash-consumer", self.crash, tooltip="eoslab fault: dies here"
            ),
            "close": button("close", "eoslab-close-consumer", self.close),
        }
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

    def _act(self, what: str, steps: list[tuple[str, Any]]) -> Any:
        return self.session.act(f"{self.name}.{what}", steps)

    def _record(self, messages: list[Any]) -> None:
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

    def poll(self) -> Any:
        def call() -> Any:
            message = self.consumer.poll(1.0)
            self._record([message])
            if message is None:
                self.returned.append("poll() returned None: nothing more to read now")
            return message

        return self._act("poll(1.0)", [(f"msg = {self.name}.poll(1.0)", call)])

    def consume(self) -> Any:
        n = int(self.count.value)

        def call() -> Any:
            messages = self.consumer.consume(n, timeout=1.0)
            self._record(messages)
            self.returned.append(f"consume({n}) returned {len(messages)} message(s)")
            return messages

        return self._act(f"consume({n})", [(f"msgs = {self.name}.consume({n}, timeout=1.0)", call)])

    def commit(self) -> Any:
        return self._act(
            "commit()",
            [
                (
                    f"{self.name}.commit(asynchronous=False)",
                    lambda: self.consumer.commit(asynchronous=False),
                )
            ],
        )

    def seek(self) -> Any:
        selected = self.seek_partition.value
        topic, partition = selected if selected is not None else (self.spec.topic, 0)
        offset = int(self.seek_offset.value)
        return self._act(
            f"seek({topic}-{partition} to {offset})",
            [
                (
                    f"{self.name}.seek(TopicPartition({lit(topic)}, {partition}, {offset}))",
                    lambda: self.consumer.seek(TopicPartition(topic, partition, offset)),
                )
            ],
        )

    def crash(self) -> Any:
        def call() -> None:
            self.consumer.crash()
            self.crashed = True

        return self._act(
            "crash()", [(f"{self.name}.crash()  # eoslab fault: the process dies here", call)]
        )

    def close(self) -> Any:
        return self._act("close()", [(f"{self.name}.close()", self.consumer.close)])

    def refresh(self) -> None:
        c = self.consumer
        parts = [
            f"<b>{html.escape(self.name)}</b> {isolation_badge(c.isolation_level)}",
            f"client.id {html.escape(c.client_id)}",
            f"group.id {html.escape(c.group_id)}",
        ]
        if self.crashed:
            parts.append("<b>crashed</b>")
        elif c.closed:
            parts.append("<b>closed</b>")
        else:
            where = []
            for tp in c.assignment():
                state = c.fetch_state(tp.topic, tp.partition)
                position = state.app_position if state is not None else None
                where.append(f"{tp.topic}-{tp.partition} position {position}")
            parts.append(
                ", ".join(where)
                or ("subscribed, not yet assigned" if self.spec.subscribe else "nothing assigned")
            )
            set_options(
                self.seek_partition,
                [(f"{tp.topic}-{tp.partition}", (tp.topic, tp.partition)) for tp in c.assignment()],
            )
        self.header.value = '<div style="font-size: 13px">' + " &middot; ".join(parts) + "</div>"
        shown = self.returned[-SHOWN_MESSAGES:]
        self.messages.value = (
            '<pre style="font-size: 12px; margin: 0; max-height: 12em; overflow: auto">'
            + html.escape("\n".join(shown) if shown else "(nothing returned yet)")
            + "</pre>"
        )


class ConsumersDashboard(widgets.VBox):
    """A form to create consumers, and their panels side by side."""

    def __init__(
        self,
        session: Session,
        initial: Sequence[Spec] = (
            Spec("consumer_rc", "reader-rc", "read_committed"),
            Spec("consumer_ru", "reader-ru", "read_uncommitted"),
        ),
        *,
        title: str = "Consumers",
        note: str = "(read_committed stops at the LSO, read_uncommitted reads to the HW)",
    ) -> None:
        self.session = session
        self.initial = list(initial)
        self.panels: list[ConsumerPanel] = []
        topics = session.cluster.list_topics()
        self.group_id = text("group.id", "group-1", "eoslab-new-group", "14em")
        self.isolation = dropdown("isolation.level", list(ISOLATION_LEVELS), "eoslab-new-isolation")
        self.mode = widgets.ToggleButtons(options=["assign", "subscribe"], value="assign")
        self.mode.add_class("eoslab-new-mode")
        self.topic = dropdown("topic", topics, "eoslab-new-topic")
        self.create_button = button(
            "create consumer", "eoslab-create-consumer", self.create_from_form
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
        spec = Spec(
            self.session.name("consumer"),
            self.group_id.value.strip(),
            self.isolation.value,
            self.topic.value,
            self.mode.value == "subscribe",
        )
        return self.create(spec)

    def create(self, spec: Spec) -> ConsumerPanel | None:
        s = self.session
        topic = s.cluster.topics.get(spec.topic)
        count = len(topic.partitions) if topic is not None else 1
        config = s.consumer_config(spec.group_id, spec.isolation_level)
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
