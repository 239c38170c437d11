"""The simulated Kafka cluster: a facade over the request handlers, the clock and the journal.

Everything a client can do goes through a request method named after a Kafka API, declared once
with `@request` (`requests.py`) beside its handler in the module of its domain: topics
(`topic_requests.py`), a partition leader's log (`log_requests.py`), transactions
(`txn_requests.py`), consumer groups (`group_requests.py`). Each returns Kafka error codes and is
journaled with its effects. Work the coordinator does after answering (the markers of a commit,
the write of CompleteCommit) is queued as steps: in `auto` pacing they run before the request
returns to the script, in `step` pacing the learner releases them one by one. This module holds
what is the cluster's own: its brokers, producer-id blocks, the step queue, faults and the clock.
"""

from __future__ import annotations

import contextlib
import random
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .clock import VirtualClock
from .config import BrokerConfig
from .context import StepKey
from .effects import Effect, ProducerStateRemoved
from .faults import DELAY_REQUEST, LOSE_RESPONSE, NetworkFaults
from .group_coordinator import GroupCoordinator
from .group_requests import GroupRequests
from .journal import Journal
from .log_requests import LogRequests
from .partition import Partition
from .replay import RecordedRequest, recorded, replay
from .requests import RequestRunner
from .topic_requests import Topic, TopicRequests
from .txn_coordinator import TransactionCoordinator
from .txn_requests import TransactionRequests

PACING_MODES = ("auto", "step")
PRODUCER_ID_BLOCK_SIZE = 1000
_CLUSTERS: weakref.WeakValueDictionary[str, Cluster] = weakref.WeakValueDictionary()


def cluster_for(bootstrap_servers: str) -> Cluster | None:
    """The in-process cluster a client config's `bootstrap.servers` names, if any."""
    for server in str(bootstrap_servers).split(","):
        cluster = _CLUSTERS.get(server.strip())
        if cluster is not None:
            return cluster
    return None


@dataclass
class PendingStep:
    """Internal work the coordinator has queued: a marker write, or a Complete record."""

    description: str
    actor: str
    api: str
    args: dict[str, Any]
    run: Callable[[], Any]
    key: StepKey | None = None


class Cluster(RequestRunner, TopicRequests, LogRequests, TransactionRequests, GroupRequests):
    """An embedded, deterministic Kafka cluster.

    `brokers` only decides which replication factors are valid and which node leads what; all
    partitions live in this one Python object. `seed` seeds the cluster's single RNG.
    """

    def __init__(
        self,
        brokers: int = 1,
        *,
        seed: int = 0,
        pacing: str = "auto",
        config: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        if brokers < 1:
            raise ValueError("a cluster needs at least one broker")
        if pacing not in PACING_MODES:
            raise ValueError(f"pacing must be one of {PACING_MODES}, not {pacing!r}")
        self.config = BrokerConfig(config)
        self.init_args = {
            "brokers": brokers,
            "seed": seed,
            "pacing": pacing,
            "config": dict(config or {}),
        }
        self.requests: list[RecordedRequest] = []  # what replay() re-sends
        self._recording: list[RecordedRequest] = []
        self.broker_ids = list(range(1, brokers + 1))
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = VirtualClock()
        self.journal = Journal()
        self.topics: dict[str, Topic] = {}
        self._next_topic_id = 1
        self._pacing = pacing
        self._pending: list[PendingStep] = []
        self.faults = NetworkFaults()
        # A server that calls the cluster from another thread (eoslab.wire) installs a lock
        # here; the broker itself stays single-threaded and imports no threading.
        self.request_guard: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        self._effects: list[Effect] | None = None
        self._draining = False
        self._next_producer_id_block = 0
        self._producer_id_blocks: dict[int, list[int]] = {}  # broker -> [block start, next id]
        self._client_counters: dict[str, int] = {}
        self._clients: list[weakref.ref[Any]] = []
        self.txn_coordinator = TransactionCoordinator(self)
        self.group_coordinator = GroupCoordinator(self, self.txn_coordinator)
        self.name = name or f"cluster-{id(self):x}"
        self.bootstrap_servers = f"eoslab://{self.name}"
        _CLUSTERS[self.bootstrap_servers] = self
        cfg = self.config
        interval = cfg["transaction.abort.timed.out.transaction.cleanup.interval.ms"]
        self.clock.schedule("abort-timed-out-transactions", interval, self._scan_timeouts, interval)
        interval = cfg["transaction.remove.expired.transaction.cleanup.interval.ms"]
        self.clock.schedule(
            "remove-expired-transactional-ids", interval, self._expire_ids, interval
        )
        interval = cfg["producer.id.expiration.check.interval.ms"]
        self.clock.schedule("remove-expired-producers", interval, self._expire_producers, interval)

    def __repr__(self) -> str:
        return (
            f"Cluster({self.bootstrap_servers}, brokers={len(self.broker_ids)}, t={self.now_ms} ms)"
        )

    # -- helpers used by clients and coordinators -------------------------------------------------
    @property
    def now_ms(self) -> int:
        return self.clock.milliseconds()

    def allocate_producer_id(self, broker_id: int | None = None) -> int:
        """Each broker hands out ids from its own block of 1000, taken from the controller in
        order of need starting at 0 (ProducerIdsBlock, ProducerIdControlManager)."""
        broker = self.broker_ids[0] if broker_id is None else broker_id
        block = self._producer_id_blocks.get(broker)
        if block is None or block[1] >= block[0] + PRODUCER_ID_BLOCK_SIZE:
            block = [self._next_producer_id_block, self._next_producer_id_block]
            self._next_producer_id_block += PRODUCER_ID_BLOCK_SIZE
            self._producer_id_blocks[broker] = block
        pid = block[1]
        block[1] += 1
        return pid

    def next_client_name(self, kind: str) -> str:
        n = self._client_counters.get(kind, 0) + 1
        self._client_counters[kind] = n
        return f"{kind}-{n}"

    def register_client(self, client: Any) -> None:
        """Clients announce themselves so views can show every consumer's position."""
        self._clients.append(weakref.ref(client))

    @property
    def clients(self) -> list[Any]:
        alive = [c for c in (r() for r in self._clients) if c is not None]
        return alive

    def partition(self, topic: str, partition: int) -> Partition:
        """Direct read access to a partition's log and state (views and tests use this)."""
        found = self._find_partition(topic, partition)
        if found is None:
            raise KeyError(f"no partition {topic}-{partition}")
        return found

    def _find_partition(self, topic: str, partition: int) -> Partition | None:
        t = self.topics.get(topic)
        if t is None or not 0 <= partition < len(t.partitions):
            return None
        return t.partitions[partition]

    def leader_for(self, topic: str, partition: int) -> int:
        return self.broker_ids[partition % len(self.broker_ids)]

    # -- faults ---------------------------------------------------------------------------------
    @recorded
    def lose_response(self, api: str, client_id: str | None = None, count: int = 1) -> None:
        """The next `count` responses to `api` (from `client_id`, or any client) are lost."""
        self.faults.add(LOSE_RESPONSE, api, client_id, count)

    @recorded
    def delay_request(self, api: str, client_id: str | None = None, count: int = 1) -> None:
        """The next `count` `api` requests are held in the network until `release_held()`."""
        self.faults.add(DELAY_REQUEST, api, client_id, count)

    @property
    def held_requests(self) -> list[str]:
        return [h.description for h in self.faults.held]

    @recorded
    def release_held(self, index: int = 0) -> Any:
        """Deliver a held request now, long after its client gave up on it."""
        if not 0 <= index < len(self.faults.held):
            raise IndexError(f"no held request {index}; there are {len(self.faults.held)}")
        return self.faults.held.pop(index).deliver()

    @recorded
    def drop_step(self, index: int = 0) -> str:
        """Lose a queued coordinator step (e.g. a marker that never arrives)."""
        if not 0 <= index < len(self._pending):
            raise IndexError(f"no pending step {index}; there are {len(self._pending)}")
        step = self._pending.pop(index)
        self.journal.record(self.now_ms, step.actor, step.api, step.args, "dropped", (), ok=False)
        return step.description

    @recorded
    def duplicate_step(self, index: int = 0) -> str:
        """Deliver a queued coordinator step twice (the copy runs right after the original)."""
        if not 0 <= index < len(self._pending):
            raise IndexError(f"no pending step {index}; there are {len(self._pending)}")
        step = self._pending[index]
        self._pending.insert(
            index + 1,
            PendingStep(
                step.description + " (duplicate)", step.actor, step.api, step.args, step.run
            ),
        )
        self._drain()
        return step.description

    def _drain(self) -> None:
        if self._pacing != "auto" or self._draining:
            return
        self._draining = True
        try:
            while self._pending:
                self._run_step(0)
        finally:
            self._draining = False

    # -- pacing ---------------------------------------------------------------------------------
    @property
    def pacing(self) -> str:
        return self._pacing

    @pacing.setter
    def pacing(self, mode: str) -> None:
        self.set_pacing(mode)

    @recorded
    def set_pacing(self, mode: str) -> None:
        """Switch between `auto` and `step`; switching to auto runs what is pending."""
        if mode not in PACING_MODES:
            raise ValueError(f"pacing must be one of {PACING_MODES}, not {mode!r}")
        self._pacing = mode
        self._drain()

    def enqueue_step(
        self,
        description: str,
        actor: str,
        api: str,
        args: dict[str, Any],
        run: Callable[[], Any],
        key: StepKey | None = None,
    ) -> None:
        self._pending.append(PendingStep(description, actor, api, args, run, key))

    def take_steps(self, predicate: Callable[[StepKey | None], bool]) -> list[PendingStep]:
        """Remove and return the queued steps whose key matches."""
        taken = [s for s in self._pending if predicate(s.key)]
        self._pending = [s for s in self._pending if not predicate(s.key)]
        return taken

    @property
    def pending_steps(self) -> list[str]:
        """What the coordinator still has to do, in the order it would do it."""
        return [s.description for s in self._pending]

    @recorded
    def step(self, index: int = 0) -> str:
        """Release one pending step (step pacing); returns its description."""
        if not self._pending:
            raise IndexError("no pending step to release")
        if not 0 <= index < len(self._pending):
            raise IndexError(f"no pending step {index}; there are {len(self._pending)}")
        description = self._pending[index].description
        self._run_step(index)
        return description

    @recorded
    def run_pending(self) -> int:
        """Release every pending step, including those the released ones queue."""
        count = 0
        while self._pending:
            self._run_step(0)
            count += 1
        return count

    def _run_step(self, index: int) -> None:
        step = self._pending.pop(index)
        self._request(step.actor, step.api, step.args, step.run)

    # -- the clock ------------------------------------------------------------------------------
    def advance(self, ms: int) -> None:
        """Move virtual time forward, running the periodic jobs that fall due on the way."""
        if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
            raise ValueError(f"advance() takes a non-negative whole number of ms, not {ms!r}")
        self._advance(ms)

    @recorded
    def _advance(self, ms: int) -> None:
        self.journal.record(self.now_ms, "clock", "advance", {"ms": ms}, "NONE")
        self._advance_clock(ms)

    def _advance_clock(self, ms: int) -> None:
        with self.request_guard:
            self.clock.advance(ms, after_task=self._drain)

    def start_clock(self, at_ms: int) -> None:
        """Start the virtual clock at `at_ms` (epoch ms) instead of 0, as a Kafka broker's clock
        reads the wall time from start-up: then a real client's CreateTime timestamps and the
        broker's time compare as on Kafka (producer.id.expiration.ms, ListOffsets by time,
        find-hanging's durations). Only a clock that has not moved can be started; periodic jobs
        count from `at_ms`. One journal event, so a replay starts its clock at the same time."""
        if not isinstance(at_ms, int) or isinstance(at_ms, bool) or at_ms < 0:
            raise ValueError(
                f"start_clock() takes a non-negative whole number of ms, not {at_ms!r}"
            )
        if self.now_ms != 0:
            raise ValueError(
                f"the clock already moved (it is at {self.now_ms} ms); only a clock still at 0 "
                "can be started at another time"
            )
        self._start_clock(at_ms)

    @recorded
    def _start_clock(self, at_ms: int) -> None:
        with self.request_guard:
            self.clock.start_at(at_ms)
            self.journal.record(at_ms, "clock", "start", {"at_ms": at_ms}, "NONE")

    def replay(self, until_event: int | None = None) -> Cluster:
        """A fresh cluster as this one was right after journal event `until_event` (time travel)."""
        return replay(self, until_event)

    def run_internal(
        self, actor: str, api: str, args: dict[str, Any], work: Callable[[], Any]
    ) -> Any:
        """A coordinator's own timed work, journaled only when it did something."""
        return self._request(
            actor, api, args, work, summarize=lambda r: str(r), journal_if=lambda r: bool(r)
        )

    def _scan_timeouts(self) -> None:
        self._request(
            "txn-coordinator",
            "abortTimedOutTransactions",
            {},
            self.txn_coordinator.abort_timed_out_transactions,
            summarize=lambda r: "aborted " + ", ".join(r),
            journal_if=bool,
        )

    def _expire_ids(self) -> None:
        self._request(
            "txn-coordinator",
            "removeExpiredTransactionalIds",
            {},
            self.txn_coordinator.remove_expired_transactional_ids,
            summarize=lambda r: "expired " + ", ".join(r),
            journal_if=bool,
        )

    def _expire_producers(self) -> None:
        def expire() -> list[ProducerStateRemoved]:
            expiration = self.config["producer.id.expiration.ms"]
            removed = []
            for topic in self.topics.values():
                for p in topic.partitions:
                    for pid in p.producer_state.remove_expired_producers(self.now_ms, expiration):
                        removed.append(ProducerStateRemoved(p.name, pid))
            for text in removed:
                self.effect(text)
            return removed

        self._request(
            "broker",
            "removeExpiredProducers",
            {},
            expire,
            summarize=lambda r: f"removed {len(r)}",
            journal_if=bool,
        )
