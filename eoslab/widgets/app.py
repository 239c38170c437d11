"""The consume-process-produce dashboard: one click runs one iteration of the exactly-once loop.

The loop itself lives in one place, `eoslab.scenarios.pipelines.Pipeline` (the same one the
checker, the soak and the labs run): a read_committed consumer reads a batch from the input
topic, a transactional producer writes the processed records (upper-cased) to the output topic
and sends the consumer's positions to the same transaction, then commits. This panel only drives
it: "start app" is a new process (`Pipeline(...)`, then `app.restarted()`), whose first step,
init_transactions(), fences the previous instance and aborts what it left open; "run one
iteration" is `app.step()` phase by phase, each a line of the code log with the calls it makes.
A crash point (`app.crash_at`) kills the process right after the phase you pick; its consumer
then resumes from the committed offsets, so read_committed sees every input once.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets

from ..i18n import N_, tr
from ..scenarios.pipelines import DEAD, STARTING
from .actions import refuse
from .code_log import lit
from .controls import box, button, dropdown, heading, number, row
from .session import Session, Step

CRASH_POINTS = (
    ("no crash", None),
    ("after poll (the batch is read, nothing written)", "after_poll"),
    ("after produce + flush (records in the output log, transaction open)", "after_produce"),
    ("after send_offsets_to_transaction", "after_offsets"),
    ("after commit_transaction", "after_commit"),
)
# what each phase of Pipeline.step() calls, for the code log
PHASE_CALLS = {
    "init": "init_transactions()",
    "poll": "records = consumer.consume(batch, 0)",
    "produce": "begin_transaction(); produce(output, upper(value)) per record; flush()",
    "offsets": "send_offsets_to_transaction(positions, consumer_group_metadata())",
    "commit": "commit_transaction()",
}
IMPORT = "from eoslab.scenarios.pipelines import Pipeline"


class ConsumeProcessProducePanel(widgets.VBox):
    name = "app"

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
        self.pipeline: Any = None
        self.instances = 0
        self.last: list[str] = []
        self.header = widgets.HTML()
        self.header.add_class("eoslab-app-header")
        self.batch = number("batch", batch, "eoslab-app-batch", 1, 10_000, "7em")
        self.crash_point = dropdown(tr("crash point"), list(CRASH_POINTS), "eoslab-crash-point")
        self.buttons = {
            "start": button(
                tr("start app (new instance)"),
                "eoslab-app-start",
                self.start,
                tooltip=tr("a new process of the app: its init_transactions() fences the old one"),
            ),
            "iterate": button(
                tr("run one iteration"),
                "eoslab-app-iterate",
                self.iterate,
                style="primary",
                tooltip=tr("poll a batch, produce it in a transaction with the offsets, commit"),
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
                    N_("Consume-process-produce app"),
                    tr(
                        "({input} -> upper-case -> {output}, offsets in the transaction)",
                        input=input_topic,
                        output=output_topic,
                    ),
                ),
                box(children, "eoslab-app"),
            ]
        )
        self.add_class("eoslab-app-panel")
        session.on_refresh(self.refresh)
        session.on_reset(self._reset)
        self.refresh()

    @property
    def crashed(self) -> bool:
        return self.pipeline is not None and self.pipeline.state == DEAD

    @property
    def producer(self) -> Any:
        return None if self.pipeline is None else self.pipeline.producer

    @property
    def consumer(self) -> Any:
        return None if self.pipeline is None else self.pipeline.consumer

    def _reset(self) -> None:
        self.pipeline = None
        self.instances = 0
        self.last = []
        self.start()

    # -- the app ------------------------------------------------------------------------------
    def start(self) -> Any:
        """A new process of the app (the first, or `app.restarted()`), and its first step:
        init_transactions(), which fences the previous instance."""
        n = int(self.batch.value)
        if self.pipeline is None:
            new = (
                f"app = Pipeline(\n    cluster,\n    source={lit(self.input_topic)},\n"
                f"    output={lit(self.output_topic)},\n    group_id={lit(self.group_id)},\n"
                f"    transactional_id={lit(self.transactional_id)},\n    batch_size={n},\n"
                f'    producer_config={{"client.id": "app"}},\n'
                f'    consumer_config={{"client.id": "app_consumer"}},\n)'
            )
            steps: list[Step] = [IMPORT, new]
        else:
            steps = [f"app = app.restarted(batch_size={n})"]
        steps.append(f"app.step()  # {PHASE_CALLS['init']}")

        def adopt() -> None:
            app = self.session.namespace.get("app")
            if app is not None and app is not self.pipeline:
                self.pipeline = app
                self.instances += 1
                self.last = [f"instance {self.instances} started"]

        return self.session.act("start the app", steps, then=adopt)

    def iterate(self) -> Any:
        """`app.step()` phase by phase until the batch is committed, the input is drained, or
        the crash point kills the process."""
        app = self.pipeline
        if app is None or app.state == DEAD:
            return self.session.act(
                "app: one iteration",
                [refuse("the app is not running", RuntimeError("start the app first"))],
            )
        n = int(self.batch.value)
        crash_at = self.crash_point.value
        self.last = []

        def steps() -> Iterator[Step]:
            """Generated as they run: each step's outcome decides the next."""
            if app.batch_size != n:
                yield f"app.batch_size = {n}"
            if crash_at is not None:
                yield f"app.crash_at = {lit(crash_at)}  # eoslab fault: dies after this phase"
            if app.state == STARTING:
                yield f"app.step()  # {PHASE_CALLS['init']}"
            done = app.processed
            for _ in range(len(app.phases)):
                phase = app.next_phase
                yield f"app.step()  # {phase}: {PHASE_CALLS[phase]}"
                self.last.append(self._describe(phase))
                if app.state == DEAD:
                    self.last.append("the app crashed here")
                    return
                if phase == "poll" and not app.batch:
                    yield "# nothing to read: the loop goes round again"
                    return
                if app.processed > done:
                    return

        return self.session.act("app: one iteration", steps())

    def _describe(self, phase: str) -> str:
        app = self.pipeline
        if phase == "poll":
            offsets = [m.offset() for m in app.batch]
            return f"consumed {len(offsets)} record(s) at offsets {offsets}"
        if phase == "produce":
            return f"produced {len(app.batch)} record(s) to {self.output_topic}"
        if phase == "offsets":
            positions = ", ".join(
                f"{tp.topic}-{tp.partition}: {tp.offset}" for tp in app.sent_offsets
            )
            return f"sent offsets {positions}"
        if phase == "commit":
            return "committed"
        return phase

    def refresh(self) -> None:
        app = self.pipeline
        if app is None:
            state = tr("not started")
        elif app.state == DEAD:
            state = f"<b>{tr('crashed')}</b>: {tr('start a new instance')}"
        else:
            p = app.producer
            state = tr(
                "instance {n} &middot; producer id {pid}, epoch {epoch}, state {state}",
                n=self.instances,
                pid=p.producer_id,
                epoch=p.producer_epoch,
                state=html.escape(p.transaction_state or ""),
            )
        iterations = 0 if app is None else app.processed
        self.header.value = (
            f'<div style="font-size: 13px"><b>app</b> &middot; group.id {html.escape(self.group_id)} '
            f"&middot; transactional.id {html.escape(self.transactional_id)} &middot; {state} "
            f"&middot; {iterations} committed iteration(s) by this instance</div>"
        )
        self.output.value = (
            '<pre style="font-size: 12px; margin: 0">'
            + html.escape("\n".join(self.last) or "(no iteration yet)")
            + "</pre>"
        )
