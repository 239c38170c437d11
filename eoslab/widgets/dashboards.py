"""Whole dashboards: the sections of this package around one session, and ready-made ones for labs.

Each ready-made dashboard is one call in a notebook cell, and displays itself:

    from eoslab.widgets import transactional_producer_and_two_consumers
    transactional_producer_and_two_consumers()

A dashboard has two columns (`layout`): on the left what to try, the glossary, the clients and the
cluster controls; on the right, pinned, the "what changed" line, the banner, the newest lines of
the code log, the views and the status line (updated last after every action).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from ..broker import Cluster
from ..i18n import N_, tr
from .app import ConsumeProcessProducePanel
from .cluster_panel import ClusterControls
from .consumers import ConsumersDashboard, Spec
from .controls import heading
from .glossary import glossary_html
from .layout import columns
from .producers import ProducersDashboard
from .session import Session
from .views_panel import ViewsPanel


class Dashboard(widgets.VBox):
    """Sections around one `Session`; the attributes give tests and notebooks each section."""

    def __init__(
        self,
        session: Session,
        *,
        title: str,
        hint: str = "",
        hint_fields: dict[str, str] | None = None,
        producers: ProducersDashboard | None = None,
        consumers: ConsumersDashboard | None = None,
        app: ConsumeProcessProducePanel | None = None,
        setup: Callable[[Dashboard], Any] | None = None,
        lazy: bool = True,
    ) -> None:
        self.session = session
        hint_fields = hint_fields or {}
        self.producers = producers
        self.consumers = consumers
        self.app = app
        self.cluster_controls = ClusterControls(session)
        self.views = ViewsPanel(session, lazy=lazy)
        self.glossary = widgets.Accordion(
            [widgets.HTML(glossary_html())],
            titles=(tr("Glossary: HW, LSO, LEO, -1001, lags, TV1/TV2, pacing, fate colours"),),
        )
        self.glossary.add_class("eoslab-glossary")
        self.glossary.selected_index = None
        title_html = widgets.HTML(
            f'<div style="font-size: 16px; font-weight: bold">{html.escape(tr(title))}</div>'
            + (
                f'<div style="font-size: 13px; color: #333; line-height: 1.5">{tr(hint, **hint_fields)}</div>'
                if hint
                else ""
            )
        )
        controls: list[widgets.Widget] = [title_html, self.glossary]
        controls += [s for s in (producers, app, consumers) if s is not None]
        controls.append(self.cluster_controls)
        code_heading = heading(
            N_("Code log"), N_("(the same calls in confluent_kafka; newest last)")
        )
        pinned: list[widgets.Widget] = [
            session.changed,
            session.banner,
            code_heading,
            session.code,
            self.views,
            session.status,
        ]
        sections = [columns(controls, pinned)]
        super().__init__(sections, layout=widgets.Layout(width="100%"))
        self.add_class("eoslab-dashboard")
        if setup is not None:
            session.on_reset(lambda: setup(self))
            with session.quiet():
                setup(self)
        session.refresh()
        if not session.changed.value:
            first_hint = tr(
                "<b>What changed</b> after each action shows here: records appended, HW and "
                "LSO, transaction states, offsets, positions."
            )
            session.changed.value = f'<div class="eoslab-changed-text">{first_hint}</div>'
        session.note(tr("dashboard ready"))

    @property
    def cluster(self) -> Cluster:
        return self.session.cluster


def lab(
    *,
    topics: Sequence[tuple[str, int, int]] = (("t", 1, 1),),
    producers: Sequence[dict[str, Any]] = ({"transactional.id": "tx-1"},),
    consumers: Sequence[Spec] = (
        Spec("consumer_rc", "consumer_rc", "read_committed"),
        Spec("consumer_ru", "consumer_ru", "read_uncommitted"),
    ),
    cluster: Cluster | None = None,
    title: str = "eoslab",
    hint: str = "",
    lazy: bool = True,
    **cluster_args: Any,
) -> Dashboard:
    """A dashboard with producers, consumers, the cluster controls, every view and the code log.
    `cluster_args` (brokers, seed, pacing, config) make the cluster, or pass a `cluster`."""
    session = (
        Session(cluster, topics=None)
        if cluster is not None
        else Session(topics=topics, **cluster_args)
    )
    first = session.cluster.list_topics()[0] if session.cluster.list_topics() else None
    return Dashboard(
        session,
        title=title,
        hint=hint,
        producers=ProducersDashboard(session, producers, topic=first),
        consumers=ConsumersDashboard(
            session,
            [
                Spec(s.name, s.group_id, s.isolation_level, first or s.topic, s.subscribe)
                for s in consumers
            ],
        ),
        lazy=lazy,
    )


def transactional_producer_and_two_consumers(
    topic: str = "t", partitions: int = 1, **cluster_args: Any
) -> Dashboard:
    """One transactional producer, a read_committed and a read_uncommitted consumer on `topic`."""
    return lab(
        topics=[(topic, partitions, 1)],
        title=N_("A transactional producer and two consumers"),
        hint=(
            N_(
                "Try: <b>init_transactions</b>, <b>begin_transaction</b>, <b>produce</b>, then "
                "<b>poll</b> both consumers: read_uncommitted returns the open record, "
                "read_committed waits at the LSO. <b>commit_transaction</b> (or abort) and poll "
                "again, and find the COMMIT marker in the log dump. With pacing <b>step</b>, the "
                "commit returns before its marker is written: release it step by step."
            )
        ),
        **cluster_args,
    )


def consume_process_produce_with_sink(
    input_topic: str = "in", output_topic: str = "out", **cluster_args: Any
) -> Dashboard:
    """A source producer, the consume-process-produce app, and two sink consumers on the output."""
    session = Session(topics=[(input_topic, 1, 1), (output_topic, 1, 1)], **cluster_args)
    source = ProducersDashboard(
        session,
        [{"enable.idempotence": True}],
        topic=input_topic,
        title=N_("Source"),
        prefix="source",
    )
    app = ConsumeProcessProducePanel(session, input_topic=input_topic, output_topic=output_topic)
    sink = ConsumersDashboard(
        session,
        [
            Spec("sink_rc", "sink_rc", "read_committed", output_topic),
            Spec("sink_ru", "sink_ru", "read_uncommitted", output_topic),
        ],
        title=N_("Sink"),
        note=tr(
            "(two readers of {topic}: what the next application, or a database, sees)",
            topic=output_topic,
        ),
    )

    def setup(dashboard: Dashboard) -> None:
        panel = source.panels[0]
        panel.count.value = 3
        panel.value.value = "hello"
        if app.producer is None:
            app.start()

    return Dashboard(
        session,
        title=N_("Consume-process-produce with a sink"),
        hint=(
            N_(
                "Produce a few records to <b>{input_topic}</b>, pick a <b>crash point</b> (say, "
                "after produce), <b>run one iteration</b>: the output holds an open transaction "
                "that sink_ru reads and sink_rc does not. <b>Start the app</b> again (a new "
                "instance fences the old one and aborts its transaction), run an iteration with no "
                "crash, and poll the sinks: read_committed sees every input exactly once."
            )
        ),
        hint_fields={"input_topic": html.escape(input_topic)},
        producers=source,
        consumers=sink,
        app=app,
        setup=setup,
    )


def zombie(topic: str = "t", transactional_id: str = "zombie-tx", **cluster_args: Any) -> Dashboard:
    """A producer with an open transaction; start a new instance and watch it fence the first."""
    session = Session(topics=[(topic, 1, 1)], **cluster_args)
    producers = ProducersDashboard(session, [{"transactional.id": transactional_id}], topic=topic)
    consumers = ConsumersDashboard(
        session,
        [
            Spec("consumer_rc", "consumer_rc", "read_committed", topic),
            Spec("consumer_ru", "consumer_ru", "read_uncommitted", topic),
        ],
    )

    def setup(dashboard: Dashboard) -> None:
        first = producers.panels[0]
        first.value.value = "from the zombie"
        first.init()
        first.begin()
        first.produce()

    return Dashboard(
        session,
        title=N_("Zombie fencing"),
        hint=(
            N_(
                "producer1 has an open transaction. Click <b>new instance</b> on it, then "
                "<b>init_transactions</b> on producer2: the coordinator bumps the epoch and aborts "
                "producer1's transaction (an ABORT marker appears). Now <b>commit_transaction</b> on "
                "producer1, the zombie: _FENCED. Then switch to <b>TV2</b> (the dashboard asks first: "
                "it rebuilds the cluster and starts again) and compare the epochs."
            )
        ),
        producers=producers,
        consumers=consumers,
        setup=setup,
    )
