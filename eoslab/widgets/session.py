"""What every dashboard shares: the cluster, the clients, the code log, the banner and the status.

A button does one thing: `Session.act(what, steps)` runs its client or broker call(s), each step a
line of confluent_kafka code and the call itself. A call that raises stops the action, shows the
banner (Kafka's error name and one line of explanation, no traceback) and goes into the code log
inside try/except; every registered view then re-renders from the cluster, and the status element
is updated last, so a test (or a browser) knows the update is complete when the status changes.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ..broker import Cluster
from ..client import Consumer, Producer
from .banner import Banner, ErrorReport
from .code_log import CodeLog, call_code, construct, lit

Step = tuple[str, Callable[[], Any]]  # (code, call)
DEFAULT_TOPICS = (("t", 1, 1),)
JAVA_4 = {"eoslab.protocol": "java-4"}  # the client protocol that speaks TV2 (KIP-890 part 2)


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
        self.code.start([f"cluster = Cluster({_cluster_kwargs(self.cluster_args)})"])
        if self.topics:
            topics = [tuple(t) for t in self.topics]
            self._run([(f"cluster.create_topics({lit(topics)})", self._create_topics)])

    def _create_topics(self) -> Any:
        return self.cluster.create_topics([tuple(t) for t in self.topics])

    @property
    def transaction_version(self) -> int:
        return int(self.cluster.config["transaction.version"])

    def producer_config(self, **extra: Any) -> dict[str, Any]:
        """A producer's configuration; on a TV2 cluster it speaks the Java 4 protocol."""
        config: dict[str, Any] = {"bootstrap.servers": self.cluster.bootstrap_servers}
        config.update(extra)
        if self.transaction_version == 2:
            config.update(JAVA_4)
        return config

    def consumer_config(self, group_id: str, isolation_level: str, **extra: Any) -> dict[str, Any]:
        return {
            "bootstrap.servers": self.cluster.bootstrap_servers,
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
        what = f"reset: a fresh cluster, transaction.version={self.transaction_version}"
        self.last = Outcome(True)
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
        box: dict[str, Producer] = {}

        def create() -> Producer:
            box["p"] = Producer(config)
            self.producers[name] = box["p"]
            return box["p"]

        def added() -> None:
            if "p" in box and then is not None:
                then(box["p"])

        self.act(f"create {name}", [(construct(name, "Producer", config), create)], then=added)
        return box.get("p")

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
        from ..client import TopicPartition

        box: dict[str, Consumer] = {}

        def create() -> Consumer:
            box["c"] = Consumer(config)
            self.consumers[name] = box["c"]
            return box["c"]

        steps: list[Step] = [(construct(name, "Consumer", config), create)]
        if assign is not None:
            tps = ", ".join(f"TopicPartition({lit(t)}, {p})" for t, p in assign)
            steps.append(
                (
                    f"{name}.assign([{tps}])",
                    lambda: box["c"].assign([TopicPartition(t, p) for t, p in assign]),
                )
            )
        if subscribe is not None:
            steps.append(
                (
                    call_code(name, "subscribe", list(subscribe)),
                    lambda: box["c"].subscribe(list(subscribe)),
                )
            )

        def added() -> None:
            if "c" in box and then is not None:
                then(box["c"])

        self.act(f"create {name}", steps, then=added)
        return box.get("c")

    # -- actions ------------------------------------------------------------------------------
    def act(
        self, what: str, steps: Iterable[Step], then: Callable[[], Any] | None = None
    ) -> Outcome:
        """Run `steps` in order, stopping at the first that raises; `then()` (a dashboard's own
        bookkeeping, e.g. adding a panel); then the banner, every view, and the status last."""
        self.actions += 1
        outcome = self._run(steps)
        if then is not None:
            then()
        self.last = outcome
        if outcome.error is None:
            self.banner.clear()
        else:
            self.banner.show(outcome.error)
        self._finish(what, outcome)
        return outcome

    def _run(self, steps: Iterable[Step]) -> Outcome:
        result = None
        for code, call in steps:
            try:
                result = call()
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

    def status_html(self, what: str, outcome: Outcome | None) -> str:
        c = self.cluster
        mark = "" if outcome is None else ("\u2713 " if outcome.ok else "\u2717 ")
        error = "" if outcome is None or outcome.ok else f": {outcome.error.name}"  # type: ignore[union-attr]
        pending = len(c.pending_steps)
        return (
            f'<span class="eoslab-status-text" data-action="{self.actions}" '
            f'style="font-size: 12px; color: #444">#{self.actions} {mark}'
            f"{html.escape(what)}{html.escape(error)} &middot; t={c.now_ms} ms &middot; "
            f"{len(c.journal)} journal events &middot; pacing {c.pacing}"
            f"{f' &middot; {pending} pending steps' if pending else ''}</span>"
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
