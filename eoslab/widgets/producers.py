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
from .code_log import call_code, lit
from .controls import box, button, dropdown, heading, number, row, set_options, text
from .session import Session, Step


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
            description="then flush()",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.flush_after.add_class("eoslab-flush-after")
        self.offsets_of = dropdown("offsets of", [], "eoslab-offsets-of")
        self.buttons = {
            "init": button("init_transactions", "eoslab-init", self.init),
            "begin": button("begin_transaction", "eoslab-begin", self.begin),
            "produce": button("produce", "eoslab-produce", self.produce, style="primary"),
            "flush": button("flush", "eoslab-flush", self.flush),
            "commit": button("commit_transaction", "eoslab-commit", self.commit, style="success"),
            "abort": button("abort_transaction", "eoslab-abort", self.abort, style="danger"),
            "send offsets": button(
                "send_offsets_to_transaction", "eoslab-send-offsets", self.send_offsets
            ),
            "crash": button(
                "crash", "eoslab-crash", self.crash, tooltip="eoslab fault: the process dies here"
            ),
            "new instance": button(
                "new instance (same transactional.id)",
                "eoslab-new-instance",
                self.new_instance,
                tooltip="start another producer with this configuration: the zombie lesson",
            ),
        }
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

    # -- the calls ----------------------------------------------------------------------------
    def _act(self, method: str, steps: Sequence[Step]) -> Any:
        return self.session.act(f"{self.name}.{method}", steps)

    def init(self) -> Any:
        p = self.producer
        return self._act(
            "init_transactions()", [(f"{self.name}.init_transactions()", p.init_transactions)]
        )

    def begin(self) -> Any:
        p = self.producer
        return self._act(
            "begin_transaction()", [(f"{self.name}.begin_transaction()", p.begin_transaction)]
        )

    def produce(self) -> Any:
        p, name = self.producer, self.name
        topic, partition = self.topic.value, self.partition.value
        key = self.key.value or None
        value, n = self.value.value, int(self.count.value)
        extra: dict[str, Any] = {} if key is None else {"key": key}
        if partition is not None and partition >= 0:
            extra["partition"] = partition
        if n == 1:
            code = call_code(name, "produce", topic, value=value, **extra)

            def call() -> None:
                p.produce(topic, value=value, **extra)

        else:
            args = ", ".join(f"{k}={lit(v)}" for k, v in extra.items())
            code = (
                f"for i in range({n}):\n"
                f"    {name}.produce({lit(topic)}, value={lit(value + '-')} + str(i)"
                f"{', ' + args if args else ''})"
            )

            def call() -> None:
                for i in range(n):
                    p.produce(topic, value=f"{value}-{i}", **extra)

        steps: list[Step] = [(code, call)]
        if self.flush_after.value:
            steps.append((f"{name}.flush()", p.flush))
        return self._act("produce(...)", steps)

    def flush(self) -> Any:
        return self._act("flush()", [(f"{self.name}.flush()", self.producer.flush)])

    def commit(self) -> Any:
        p = self.producer
        return self._act(
            "commit_transaction()", [(f"{self.name}.commit_transaction()", p.commit_transaction)]
        )

    def abort(self) -> Any:
        p = self.producer
        return self._act(
            "abort_transaction()", [(f"{self.name}.abort_transaction()", p.abort_transaction)]
        )

    def send_offsets(self) -> Any:
        cname = self.offsets_of.value
        consumer = self.session.consumers.get(cname) if cname else None
        if consumer is None:
            return self._act(
                "send_offsets_to_transaction()",
                [
                    (
                        "# no consumer to take offsets from",
                        _raise(ValueError("create a consumer first")),
                    )
                ],
            )
        code = (
            f"{self.name}.send_offsets_to_transaction(\n"
            f"    {cname}.position({cname}.assignment()), {cname}.consumer_group_metadata()\n"
            ")"
        )

        def call() -> None:
            self.producer.send_offsets_to_transaction(
                consumer.position(consumer.assignment()), consumer.consumer_group_metadata()
            )

        return self._act("send_offsets_to_transaction()", [(code, call)])

    def crash(self) -> Any:
        def call() -> None:
            self.producer.crash()
            self.crashed = True

        return self._act(
            "crash()", [(f"{self.name}.crash()  # eoslab fault: the process dies here", call)]
        )

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
        state = "crashed" if self.crashed else (p.transaction_state or "no transactions")
        parts = [
            f"<b>{html.escape(self.name)}</b>",
            f"client.id {html.escape(p.client_id)}",
            f"transactional.id <b>{html.escape(tid)}</b>" if tid else "no transactional.id",
            f"producer id {p.producer_id}, epoch {p.producer_epoch}",
            f"state <b class='eoslab-txn-state'>{html.escape(state)}</b>",
            f"{0 if self.crashed else len(p)} queued",
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
        title: str = "Producers",
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
            "create producer", "eoslab-create-producer", self.create_from_form
        )
        self.list = widgets.VBox([])
        super().__init__(
            [
                heading(title, "(leave transactional.id empty for a plain producer)"),
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
        return self._create(name, self.session.producer_config(**extra))

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
        return self._create(self.session.name(self.prefix), panel.config)

    def refresh(self) -> None:
        for panel in self.panels:
            panel.refresh()

    def panel(self, name: str) -> ProducerPanel:
        return next(p for p in self.panels if p.name == name)


def _raise(error: Exception) -> Callable[[], None]:
    def call() -> None:
        raise error

    return call
