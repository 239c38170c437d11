"""The producers dashboard: create producers, drive each through its transactional calls.

Every button is one `Producer` call (produce may add the `flush()` that sends the batch):
init_transactions, begin_transaction, produce, flush, commit_transaction, abort_transaction,
send_offsets_to_transaction (a consumer's positions), crash (eoslab's fault: the process dies) and
"new instance": a second producer with the same configuration, the zombie lesson's newer instance.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from ..client import Producer
from ..i18n import N_, tr
from .actions import PRODUCER_ACTIONS, buttons, perform
from .controls import _same_name, box, button, dropdown, heading, number, row, set_options, text
from .session import Outcome, Session

PRODUCER_ID_HELP = N_(
    "given by InitProducerId; -1 until init_transactions (or the first idempotent send). The "
    "epoch goes up when a new instance starts (fencing the old one) and, with TV2, at every "
    "commit or abort"
)
STATE_HELP = N_("the client's transaction state (librdkafka)")


class ProducerPanel(widgets.VBox):
    """One producer: its identity and transaction state, and a button per call."""

    def __init__(
        self,
        session: Session,
        name: str,
        producer: Producer,
        config: dict[str, Any],
        *,
        topic: str | None = None,
        on_new_instance: Callable[[ProducerPanel], Any] | None = None,
    ) -> None:
        self.session = session
        self.name = name
        self.producer = producer
        self.config = dict(config)
        self.crashed = False
        self.on_new_instance = on_new_instance
        s = session
        self.header = widgets.HTML()
        self.header.add_class("eoslab-producer-header")
        topics = s.cluster.list_topics()
        self.topic = dropdown("topic", topics, "eoslab-topic")
        if topic in topics:
            self.topic.value = topic
        self.partition = dropdown("partition", [], "eoslab-produce-partition")
        self.topic.observe(lambda _change: self._sync_partitions(), "value")
        self._sync_partitions()
        self.key = text("key", "", "eoslab-key", "8em")
        self.value = text("value", "a", "eoslab-value", "11em")
        self.count = number("records", 1, "eoslab-count", 1, 1000, "8em")
        self.flush_after = widgets.Checkbox(
            value=True,
            description=tr("then flush()"),
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.flush_after.add_class("eoslab-flush-after")
        self.offsets_of = dropdown(tr("offsets of"), [], "eoslab-offsets-of")
        self.buttons = buttons(PRODUCER_ACTIONS, self)
        self.buttons["new instance"] = button(
            tr("new instance (same transactional.id)"),
            "eoslab-new-instance",
            self.new_instance,
            tooltip=tr("start another producer with this configuration: the zombie lesson"),
        )
        b = self.buttons
        children = [
            self.header,
            row(b["init"], b["begin"], b["commit"], b["abort"], b["flush"]),
            row(self.topic, self.partition, self.key, self.value, self.count),
            row(b["produce"], self.flush_after),
            row(self.offsets_of, b["send offsets"]),
            row(b["crash"], b["new instance"]),
        ]
        super().__init__(
            [box(children, f"eoslab-producer eoslab-producer-{name}")],
            layout=widgets.Layout(width="auto"),
        )
        self.add_class("eoslab-producer-panel")
        self.refresh()

    # -- the calls (declared in actions.PRODUCER_ACTIONS) -----------------------------------
    def _do(self, key: str) -> Outcome:
        return perform(next(a for a in PRODUCER_ACTIONS if a.key == key), self)

    def init(self) -> Outcome:
        return self._do("init")

    def begin(self) -> Outcome:
        return self._do("begin")

    def produce(self) -> Outcome:
        return self._do("produce")

    def flush(self) -> Outcome:
        return self._do("flush")

    def commit(self) -> Outcome:
        return self._do("commit")

    def abort(self) -> Outcome:
        return self._do("abort")

    def send_offsets(self) -> Outcome:
        return self._do("send offsets")

    def crash(self) -> Outcome:
        return self._do("crash")

    def new_instance(self) -> Any:
        if self.on_new_instance is None:
            return None
        return self.on_new_instance(self)

    # -- display ----------------------------------------------------------------------------------
    def _sync_partitions(self) -> None:
        topic = self.session.cluster.topics.get(self.topic.value)
        count = len(topic.partitions) if topic is not None else 0
        set_options(
            self.partition, [("any (partitioner)", -1)] + [(str(i), i) for i in range(count)]
        )

    def refresh(self) -> None:
        p = self.producer
        tid = p.transactional_id
        state = tr("crashed") if self.crashed else (p.transaction_state or tr("no transactions"))
        name = html.escape(self.name)
        parts = [
            f"<b title='{_same_name(name)}'>{name}</b>"
            + ("" if p.client_id == self.name else f" (client.id {html.escape(p.client_id)})"),
            f"transactional.id <b>{html.escape(tid)}</b>" if tid else tr("no transactional.id"),
            f"<span title='{html.escape(tr(PRODUCER_ID_HELP))}'>producer id {p.producer_id}, "
            f"epoch {p.producer_epoch}</span>",
            f"<span title='{html.escape(tr(STATE_HELP))}'>"
            f"state <b class='eoslab-txn-state'>{html.escape(state)}</b></span>",
            tr("{n} queued", n=0 if self.crashed else len(p)),
        ]
        if self.config.get("eoslab.protocol") == "java-4":
            parts.append("Java 4 protocol (TV2)")
        self.header.value = '<div style="font-size: 13px">' + " &middot; ".join(parts) + "</div>"
        set_options(self.offsets_of, list(self.session.consumers))
        topics = self.session.cluster.list_topics()
        if list(self.topic.options) != topics:
            set_options(self.topic, topics)


class ProducersDashboard(widgets.VBox):
    """A form to create producers, and one panel per producer."""

    def __init__(
        self,
        session: Session,
        initial: Sequence[dict[str, Any]] = ({"transactional.id": "tx-1"},),
        *,
        topic: str | None = None,
        title: str = N_("Producers"),
        prefix: str = "producer",
    ) -> None:
        self.session = session
        self.prefix = prefix
        self.initial = [dict(c) for c in initial]
        self.default_topic = topic
        self.panels: list[ProducerPanel] = []
        self.transactional_id = text("transactional.id", "tx-2", "eoslab-new-txn-id", "16em")
        self.idempotence = widgets.Checkbox(
            value=True,
            description="enable.idempotence",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.idempotence.add_class("eoslab-new-idempotence")
        self.create_button = button(
            tr("create producer"), "eoslab-create-producer", self.create_from_form
        )
        self.list = widgets.VBox([])
        super().__init__(
            [
                heading(title, N_("(leave transactional.id empty for a plain producer)")),
                row(self.transactional_id, self.idempotence, self.create_button),
                self.list,
            ]
        )
        self.add_class("eoslab-producers")
        session.on_refresh(self.refresh)
        session.on_reset(self.start)
        with session.quiet():
            self.start()

    def start(self) -> None:
        """The starting producers (again, after a reset)."""
        self.panels = []
        self.list.children = []
        for extra in self.initial:
            self.create(extra)

    def create_from_form(self) -> ProducerPanel | None:
        extra: dict[str, Any] = {}
        if self.transactional_id.value.strip():
            extra["transactional.id"] = self.transactional_id.value.strip()
        if self.idempotence.value:
            extra["enable.idempotence"] = True
        else:
            extra["enable.idempotence"] = False
        return self.create(extra)

    def create(self, extra: dict[str, Any]) -> ProducerPanel | None:
        name = self.session.name(self.prefix)
        return self._create(name, self.session.producer_config(name, **extra))

    def _create(self, name: str, config: dict[str, Any]) -> ProducerPanel | None:
        made: list[ProducerPanel] = []
        self.session.new_producer(
            name, config, then=lambda producer: made.append(self._add(name, producer, config))
        )
        return made[0] if made else None

    def _add(self, name: str, producer: Producer, config: dict[str, Any]) -> ProducerPanel:
        panel = ProducerPanel(
            self.session,
            name,
            producer,
            config,
            topic=self.default_topic,
            on_new_instance=self.new_instance,
        )
        self.panels.append(panel)
        self.list.children = [*self.list.children, panel]
        return panel

    def new_instance(self, panel: ProducerPanel) -> ProducerPanel | None:
        """A second process with the same configuration: the zombie lesson's newer instance."""
        name = self.session.name(self.prefix)
        config = dict(panel.config)
        if "client.id" in config:
            config["client.id"] = name
        return self._create(name, config)

    def refresh(self) -> None:
        for panel in self.panels:
            panel.refresh()

    def panel(self, name: str) -> ProducerPanel:
        return next(p for p in self.panels if p.name == name)
