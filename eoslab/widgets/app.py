"""The consume-process-produce dashboard: one click runs one iteration of the loop.

The application is the one every exactly-once tutorial writes: a read_committed consumer reads a
batch from the input topic, a transactional producer writes the processed records (upper-cased)
to the output topic and sends the consumer's positions to the same transaction, then commits.
Each call of the loop is a line of the code log. A crash point stops the iteration after the call
you pick and kills the app there (consumer and producer crash, nothing is closed); "start app"
then starts a new instance, whose init_transactions() aborts what the old one left open and whose
consumer resumes from the committed offsets, so the output read_committed sees every input once.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as widgets

from ..client import Consumer, Producer, TopicPartition
from .code_log import construct, lit
from .controls import box, button, dropdown, heading, number, row
from .session import Session, Step

CRASH_POINTS = (
    ("no crash", None),
    ("after consume", "consume"),
    ("after begin_transaction", "begin"),
    ("after produce + flush (records in the output log, transaction open)", "produce"),
    ("after send_offsets_to_transaction", "send_offsets"),
    ("after commit_transaction", "commit"),
)


class ConsumeProcessProducePanel(widgets.VBox):
    def __init__(
        self,
        session: Session,
        *,
        input_topic: str = "in",
        output_topic: str = "out",
        group_id: str = "app",
        transactional_id: str = "app-tx",
        batch: int = 10,
    ) -> None:
        self.session = session
        self.input_topic = input_topic
        self.output_topic = output_topic
        self.group_id = group_id
        self.transactional_id = transactional_id
        self.consumer: Consumer | None = None
        self.producer: Producer | None = None
        self.instances = 0
        self.iterations = 0
        self.crashed = False
        self.last: list[str] = []
        self.header = widgets.HTML()
        self.header.add_class("eoslab-app-header")
        self.batch = number("batch", batch, "eoslab-app-batch", 1, 10_000, "7em")
        self.crash_point = dropdown("crash point", list(CRASH_POINTS), "eoslab-crash-point")
        self.buttons = {
            "start": button("start app (new instance)", "eoslab-app-start", self.start),
            "iterate": button(
                "run one iteration", "eoslab-app-iterate", self.iterate, style="primary"
            ),
        }
        self.output = widgets.HTML()
        self.output.add_class("eoslab-app-log")
        children = [
            self.header,
            row(self.buttons["start"], self.buttons["iterate"], self.batch),
            row(self.crash_point),
            self.output,
        ]
        super().__init__(
            [
                heading(
                    "Consume-process-produce app",
                    f"({input_topic} -> upper-case -> {output_topic}, offsets in the transaction)",
                ),
                box(children, "eoslab-app"),
            ]
        )
        self.add_class("eoslab-app-panel")
        session.on_refresh(self.refresh)
        session.on_reset(self._reset)
        self.refresh()

    def _reset(self) -> None:
        self.consumer = self.producer = None
        self.instances = self.iterations = 0
        self.crashed = False
        self.last = []
        self.start()

    # -- the app ------------------------------------------------------------------------------
    def start(self) -> Any:
        """A new instance of the app: a consumer assigned to the input, a producer with the
        app's transactional.id, init_transactions() (which fences the previous instance)."""
        s = self.session
        consumer_config = s.consumer_config(self.group_id, "read_committed")
        producer_config = s.producer_config(**{"transactional.id": self.transactional_id})
        topic = s.cluster.topics.get(self.input_topic)
        count = len(topic.partitions) if topic is not None else 1
        tps = ", ".join(f"TopicPartition({lit(self.input_topic)}, {i})" for i in range(count))
        made: dict[str, Any] = {}

        def new_consumer() -> None:
            made["consumer"] = Consumer(consumer_config)

        def assign() -> None:
            made["consumer"].assign([TopicPartition(self.input_topic, i) for i in range(count)])

        def new_producer() -> None:
            made["producer"] = Producer(producer_config)

        def adopt() -> None:
            if "consumer" in made and "producer" in made:
                self.consumer, self.producer = made["consumer"], made["producer"]
                s.consumers["app_consumer"] = self.consumer
                s.producers["app_producer"] = self.producer
                self.instances += 1
                self.crashed = False
                self.last = [f"instance {self.instances} started"]

        steps: list[Step] = [
            (construct("app_consumer", "Consumer", consumer_config), new_consumer),
            (f"app_consumer.assign([{tps}])", assign),
            (construct("app_producer", "Producer", producer_config), new_producer),
            ("app_producer.init_transactions()", lambda: made["producer"].init_transactions()),
        ]
        return s.act("start the app", steps, then=adopt)

    def iterate(self) -> Any:
        """One pass of the loop, as far as the crash point."""
        consumer, producer = self.consumer, self.producer
        if consumer is None or producer is None:
            return self.session.act(
                "app iteration", [("# start the app first", _fail("start the app first"))]
            )
        n = int(self.batch.value)
        out = self.output_topic
        crash_after = self.crash_point.value
        got: dict[str, list[Any]] = {}
        self.last = []

        def consume() -> None:
            got["msgs"] = [m for m in consumer.consume(n, timeout=1.0) if m.error() is None]
            offsets = [m.offset() for m in got["msgs"]]
            self.last.append(f"consumed {len(offsets)} record(s) at offsets {offsets}")

        def produce() -> None:
            for m in got["msgs"]:
                producer.produce(out, key=m.key(), value=m.value().upper())
            producer.flush()
            self.last.append(f"produced {len(got['msgs'])} record(s) to {out}")

        def send_offsets() -> None:
            positions = consumer.position(consumer.assignment())
            producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata())
            self.last.append(
                "sent offsets "
                + ", ".join(f"{tp.topic}-{tp.partition}: {tp.offset}" for tp in positions)
            )

        def commit() -> None:
            producer.commit_transaction()
            self.iterations += 1
            self.last.append("committed")

        loop: list[tuple[str, str, Callable[[], None]]] = [
            (
                "consume",
                f"records = [m for m in app_consumer.consume({n}, timeout=1.0) if m.error() is None]",
                consume,
            ),
            ("begin", "app_producer.begin_transaction()", producer.begin_transaction),
            (
                "produce",
                "for m in records:\n"
                f"    app_producer.produce({lit(out)}, key=m.key(), value=m.value().upper())\n"
                "app_producer.flush()",
                produce,
            ),
            (
                "send_offsets",
                "app_producer.send_offsets_to_transaction(\n"
                "    app_consumer.position(app_consumer.assignment()),\n"
                "    app_consumer.consumer_group_metadata(),\n"
                ")",
                send_offsets,
            ),
            ("commit", "app_producer.commit_transaction()", commit),
        ]
        crash: Step = (
            "app_consumer.crash()  # eoslab fault: the app dies here\napp_producer.crash()",
            self._crash,
        )

        def steps() -> Iterator[Step]:
            """Generated as they run: after an empty consume the loop goes round again."""
            for label, code, call in loop:
                yield code, call
                if label == crash_after:
                    yield crash
                    return
                if label == "consume" and not got["msgs"]:
                    yield "# nothing to read: the loop goes round again", _nothing
                    return

        return self.session.act("app: one iteration", steps())

    def _crash(self) -> None:
        assert self.consumer is not None and self.producer is not None
        self.consumer.crash()
        self.producer.crash()
        self.crashed = True
        self.last.append("the app crashed here")

    def refresh(self) -> None:
        if self.producer is None or self.consumer is None:
            state = "not started"
        elif self.crashed:
            state = "<b>crashed</b>: start a new instance"
        else:
            p = self.producer
            state = (
                f"instance {self.instances} &middot; producer id {p.producer_id}, epoch "
                f"{p.producer_epoch}, state {html.escape(p.transaction_state or '')}"
            )
        self.header.value = (
            f'<div style="font-size: 13px"><b>app</b> &middot; group.id {html.escape(self.group_id)} '
            f"&middot; transactional.id {html.escape(self.transactional_id)} &middot; {state} "
            f"&middot; {self.iterations} committed iteration(s)</div>"
        )
        self.output.value = (
            '<pre style="font-size: 12px; margin: 0">'
            + html.escape("\n".join(self.last) or "(no iteration yet)")
            + "</pre>"
        )


def _nothing() -> None:
    return None


def _fail(message: str) -> Callable[[], None]:
    def call() -> None:
        raise RuntimeError(message)

    return call
