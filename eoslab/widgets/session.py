"""What every dashboard shares: the cluster, the clients, the code log, the banner and the status.

A button does one thing: `Session.act(what, steps)` runs its client or broker call(s). A step is
a line of confluent_kafka code, and the call *is* that code, run in the session's namespace (the
cluster and every client under its one name), so the code log and what the button did cannot
drift apart. A call that raises stops the action, shows the banner (Kafka's error name and one
line of explanation, no traceback) and goes into the code log inside try/except. Then the "what
changed" line (`views.what_changed`) and every registered view re-render from the cluster, and the
status element is updated last, so a test (or a browser) knows the update is complete when the
status changes.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from .. import client
from ..broker import Cluster
from ..client import Consumer, Producer
from ..i18n import tr
from ..views.what_changed import line, snapshot, what_changed
from .banner import Banner, ErrorReport
from .code_log import CodeLog, call_code, construct, lit

# A step: code that is run as it is written, or (code, call) where only a call can do it
Step = str | tuple[str, Callable[[], Any]]
DEFAULT_TOPICS = (("t", 1, 1),)
JAVA_4 = {"eoslab.protocol": "java-4"}
CLIENT_NAMES = (
    "Consumer",
    "KafkaError",
    "KafkaException",
    "Producer",
    "TopicPartition",
)  # the client protocol that speaks TV2 (KIP-890 part 2)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    result: Any = None
    error: ErrorReport | None = None


class Session:
    """One cluster and everything the dashboards built on it show and do."""

    def __init__(
        self,
        cluster: Cluster | None = None,
        *,
        topics: Sequence[tuple[str, int, int]] | None = None,
        brokers: int = 1,
        seed: int = 0,
        pacing: str = "auto",
        config: dict[str, Any] | None = None,
    ) -> None:
        self.banner = Banner()
        self.code = CodeLog()
        self.status = widgets.HTML(value="")
        self.status.add_class("eoslab-status")
        self.changed = widgets.HTML(value="")
        self.changed.add_class("eoslab-what-changed")
        self.namespace: dict[str, Any] = {}
        self.actions = 0
        self.generation = 0  # bumped by reset(): views key their output on it
        self.producers: dict[str, Producer] = {}
        self.consumers: dict[str, Consumer] = {}
        self.last: Outcome | None = None
        self._refreshers: list[Callable[[], None]] = []
        self._reset_hooks: list[Callable[[], None]] = []
        self._names: dict[str, int] = {}
        self._quiet = 0
        if cluster is not None:
            self.cluster_args = dict(cluster.init_args)
            self.topics = list(topics) if topics is not None else _topics_of(cluster)
            self.cluster = cluster
            self.namespace = {"cluster": cluster, **{n: getattr(client, n) for n in CLIENT_NAMES}}
            self.code.start(
                [
                    f"# cluster = Cluster({_cluster_kwargs(self.cluster_args)}), "
                    "built before this dashboard",
                ]
            )
        else:
            self.cluster_args = {
                "brokers": brokers,
                "seed": seed,
                "pacing": pacing,
                "config": dict(config or {}),
            }
            self.topics = list(topics if topics is not None else DEFAULT_TOPICS)
            self._build()

    # -- the cluster --------------------------------------------------------------------------
    def _build(self) -> None:
        self.cluster = Cluster(**self.cluster_args)
        self.namespace = {
            "cluster": self.cluster,
            **{n: getattr(client, n) for n in CLIENT_NAMES},
        }
        self.code.start([f"cluster = Cluster({_cluster_kwargs(self.cluster_args)})"])
        if self.topics:
            topics = [tuple(t) for t in self.topics]
            self._run([(f"cluster.create_topics({lit(topics)})", self._create_topics)])

    def _create_topics(self) -> Any:
        return self.cluster.create_topics([tuple(t) for t in self.topics])

    @property
    def transaction_version(self) -> int:
        return int(self.cluster.config["transaction.version"])

    def producer_config(self, name: str | None = None, **extra: Any) -> dict[str, Any]:
        """A producer's configuration; its client.id is its `name` in the code log (one name in
        every table, timeline and banner); on a TV2 cluster it speaks the Java 4 protocol."""
        config: dict[str, Any] = {"bootstrap.servers": self.cluster.bootstrap_servers}
        if name is not None:
            config["client.id"] = name
        config.update(extra)
        if self.transaction_version == 2:
            config.update(JAVA_4)
        return config

    def consumer_config(
        self, group_id: str, isolation_level: str, name: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A consumer's configuration; its client.id is its `name` in the code log."""
        return {
            "bootstrap.servers": self.cluster.bootstrap_servers,
            **({"client.id": name} if name is not None else {}),
            "group.id": group_id,
            "isolation.level": isolation_level,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            **extra,
        }

    def reset(self, transaction_version: int | None = None) -> Outcome:
        """A fresh cluster (optionally with another transaction.version), its topics, and the
        dashboards' starting clients; the code log starts again."""
        self.actions += 1
        if transaction_version is not None:
            config = dict(self.cluster_args.get("config") or {})
            config["transaction.version"] = transaction_version
            if transaction_version == 1:
                config.pop("transaction.version")
            self.cluster_args = {**self.cluster_args, "config": config}
        self.generation += 1
        self.producers.clear()
        self.consumers.clear()
        self._names.clear()
        self.banner.clear()
        with self.quiet():
            self._build()
            for hook in self._reset_hooks:
                hook()
        what = tr("reset: a fresh cluster, transaction.version={tv}", tv=self.transaction_version)
        self.last = Outcome(True)
        self.show_changed(
            what,
            self.last,
            tr("every record, client and transaction before it is gone; the code log starts again"),
        )
        self._finish(what, self.last)
        return self.last

    # -- clients ------------------------------------------------------------------------------
    def name(self, prefix: str) -> str:
        """producer1, producer2, ...: the variable names the code log uses."""
        n = self._names.get(prefix, 0) + 1
        self._names[prefix] = n
        return f"{prefix}{n}"

    def new_producer(
        self, name: str, config: dict[str, Any], then: Callable[[Producer], Any] | None = None
    ) -> Producer | None:
        """`name = Producer(config)`; `then(producer)` runs before the views re-render (a
        dashboard adds the producer's panel there)."""
        self.namespace.pop(name, None)

        def added() -> None:
            producer = self.namespace.get(name)
            if isinstance(producer, Producer):
                self.producers[name] = producer
                if then is not None:
                    then(producer)

        self.act(f"create {name}", [construct(name, "Producer", config)], then=added)
        return self.producers.get(name)

    def new_consumer(
        self,
        name: str,
        config: dict[str, Any],
        *,
        assign: Sequence[tuple[str, int]] | None = None,
        subscribe: Sequence[str] | None = None,
        then: Callable[[Consumer], Any] | None = None,
    ) -> Consumer | None:
        """`name = Consumer(config)`, then its assign() or subscribe(); the consumer exists (and
        `then` runs) even if the assignment was refused."""
        self.namespace.pop(name, None)
        steps: list[Step] = [construct(name, "Consumer", config)]
        if assign is not None:
            tps = ", ".join(f"TopicPartition({lit(t)}, {p})" for t, p in assign)
            steps.append(f"{name}.assign([{tps}])")
        if subscribe is not None:
            steps.append(call_code(name, "subscribe", list(subscribe)))

        def added() -> None:
            consumer = self.namespace.get(name)
            if isinstance(consumer, Consumer):
                self.consumers[name] = consumer
                if then is not None:
                    then(consumer)

        self.act(f"create {name}", steps, then=added)
        return self.consumers.get(name)

    # -- actions ------------------------------------------------------------------------------
    def act(
        self, what: str, steps: Iterable[Step], then: Callable[[], Any] | None = None
    ) -> Outcome:
        """Run `steps` in order, stopping at the first that raises; `then()` (a dashboard's own
        bookkeeping, e.g. adding a panel); then the banner, every view, and the status last."""
        self.actions += 1
        before = None if self._quiet else snapshot(self.cluster)
        outcome = self._run(steps)
        if before is not None:
            self.show_changed(what, outcome, line(what_changed(before, self.cluster)))
        self.last = outcome
        if then is not None:
            then()
        if outcome.error is None:
            self.banner.clear()
        else:
            self.banner.show(outcome.error)
        self._finish(what, outcome)
        return outcome

    def run(self, code: str) -> None:
        """Run one step's code as it is written, in the session's namespace."""
        exec(compile(code, "<dashboard>", "exec"), self.namespace)

    def _run(self, steps: Iterable[Step]) -> Outcome:
        result = None
        for step in steps:
            code, call = (step, None) if isinstance(step, str) else step
            try:
                result = self.run(code) if call is None else call()
            except Exception as exc:  # a refused call becomes a banner, never a traceback
                report = ErrorReport.of(exc, code)
                self.code.add_failed(code, report.exception, report.name)
                return Outcome(False, None, report)
            self.code.add([code])
        return Outcome(True, result)

    def note(self, what: str) -> None:
        """A change of what is shown (tab, slider, selection): no call, nothing else to
        re-render, but a new status (the views that changed were redrawn before this)."""
        self.actions += 1
        if not self._quiet:
            self.status.value = self.status_html(what, None)

    # -- refreshing -------------------------------------------------------------------------------
    def on_refresh(self, refresh: Callable[[], None]) -> None:
        self._refreshers.append(refresh)

    def on_reset(self, hook: Callable[[], None]) -> None:
        self._reset_hooks.append(hook)

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Several actions, one refresh at the end (used to build a dashboard's first state)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def refresh(self) -> None:
        for refresh in self._refreshers:
            refresh()

    def _finish(self, what: str, outcome: Outcome | None) -> None:
        if self._quiet:
            return
        self.refresh()
        self.status.value = self.status_html(what, outcome)  # last: the update is complete

    def show_changed(self, what: str, outcome: Outcome, text: str) -> None:
        """The "what changed" line: the action, then its effect on the cluster."""
        if outcome.ok:
            mark, effect = "\u2713", text
        else:
            name = outcome.error.name if outcome.error else "error"
            mark, effect = "\u2717", tr("refused ({name}): no change in the cluster", name=name)
        title = tr(
            "what the last action changed in the cluster: records appended (with offsets), HW "
            "and LSO moves, transaction states, committed offsets and consumer positions"
        )
        self.changed.value = (
            f'<div class="eoslab-changed-text" title="{html.escape(title)}">'
            f"<b>#{self.actions} {mark} {html.escape(what)}</b>: {html.escape(effect)}</div>"
        )

    def status_html(self, what: str, outcome: Outcome | None) -> str:
        c = self.cluster
        mark = "" if outcome is None else ("\u2713 " if outcome.ok else "\u2717 ")
        error = "" if outcome is None or outcome.ok else f": {outcome.error.name}"  # type: ignore[union-attr]
        pending = len(c.pending_steps)
        return (
            f'<span class="eoslab-status-text" data-action="{self.actions}" '
            f'data-events="{len(c.journal)}" '
            f'style="font-size: 12px; color: #444">#{self.actions} {mark}'
            f"{html.escape(what)}{html.escape(error)} &middot; "
            + tr(
                "t={ms} ms &middot; {events} journal events &middot; pacing {pacing}",
                ms=c.now_ms,
                events=len(c.journal),
                pacing=c.pacing,
            )
            + (tr(" &middot; {n} pending steps", n=pending) if pending else "")
            + "</span>"
        )


def _cluster_kwargs(args: dict[str, Any]) -> str:
    parts = []
    if args.get("brokers", 1) != 1:
        parts.append(f"brokers={args['brokers']}")
    if args.get("seed", 0) != 0:
        parts.append(f"seed={args['seed']}")
    if args.get("pacing", "auto") != "auto":
        parts.append(f"pacing={lit(args['pacing'])}")
    if args.get("config"):
        parts.append(f"config={lit(args['config'])}")
    return ", ".join(parts)


def _topics_of(cluster: Cluster) -> list[tuple[str, int, int]]:
    return [
        (name, len(cluster.topics[name].partitions), cluster.topics[name].replication_factor)
        for name in cluster.list_topics()
    ]
