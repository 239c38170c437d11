"""The simulated Kafka cluster: topics, the request methods clients call, the clock and the journal.

Everything a client can do goes through a request method named after a Kafka API (Produce, Fetch,
ListOffsets, InitProducerId, AddPartitionsToTxn, EndTxn, ...). Each returns Kafka error codes, and
each is written to the journal with its effects. Work the coordinator does after answering (the
markers of a commit, the write of CompleteCommit) is queued as steps: in `auto` pacing they run
before the request returns to the script, in `step` pacing the learner releases them one by one.
"""

from __future__ import annotations

import contextlib
import random
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .clock import VirtualClock
from .config import BrokerConfig
from .consumer_group import JoinGroupResponse, SyncGroupResponse
from .context import StepKey
from .effects import (
    DuplicateBatch,
    Effect,
    HighWatermarkReleased,
    MarkerRejected,
    MarkerSkipped,
    MarkerWritten,
    ProducerStateRemoved,
    RecordsAppended,
    RequestHeld,
    ResponseLost,
    TopicCreated,
    TopicDeleted,
    VerificationFailed,
)
from .errors import Errors
from .faults import DELAY_REQUEST, LOSE_RESPONSE, HeldRequest, NetworkFaults
from .group_coordinator import GroupCoordinator
from .hashing import partition_for
from .internal_topics import CONSUMER_OFFSETS_TOPIC, INTERNAL_TOPICS, TRANSACTION_STATE_TOPIC
from .journal import Journal
from .log_validator import validate_client_batch
from .partition import READ_COMMITTED, AppendResult, FetchResult, Partition
from .protocol import (
    END_TXN_TV2_VERSION,
    LIBRDKAFKA_API_VERSIONS,
    PRODUCE_IMPLICIT_ADD_VERSION,
    PRODUCE_TRANSACTION_ABORTABLE_VERSION,
    EndTxnResponse,
    FindCoordinatorResponse,
    InitProducerIdResponse,
    ListOffsetsResponse,
    ProduceResponse,
    TopicResult,
)
from .records import (
    NO_PRODUCER_EPOCH,
    NO_PRODUCER_ID,
    ControlRecordType,
    Record,
    RecordBatch,
    malformed_record,
)
from .replay import RecordedRequest, recorded, replay
from .txn_coordinator import VERIFY, TransactionCoordinator

PACING_MODES = ("auto", "step")
PRODUCER_ID_BLOCK_SIZE = 1000
# ReplicationControlManager.MAX_PARTITIONS_PER_BATCH: one CreateTopics request may create at most
# this many partitions (KAFKA-17870), so a typo of 2147483647 fails at once instead of filling memory
MAX_PARTITIONS_PER_BATCH = 10_000
_LEGAL_TOPIC = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")
_CLUSTERS: weakref.WeakValueDictionary[str, Cluster] = weakref.WeakValueDictionary()


def cluster_for(bootstrap_servers: str) -> Cluster | None:
    """The in-process cluster a client config's `bootstrap.servers` names, if any."""
    for server in str(bootstrap_servers).split(","):
        cluster = _CLUSTERS.get(server.strip())
        if cluster is not None:
            return cluster
    return None


@dataclass
class Topic:
    name: str
    partitions: list[Partition]
    replication_factor: int
    internal: bool = False
    topic_id: int = 0


@dataclass
class PendingStep:
    """Internal work the coordinator has queued: a marker write, or a Complete record."""

    description: str
    actor: str
    api: str
    args: dict[str, Any]
    run: Callable[[], Any]
    key: StepKey | None = None


@dataclass(frozen=True)
class MetadataResponse:
    brokers: list[tuple[int, str, int]]
    controller_id: int
    topics: dict[str, tuple[Errors, list[int]]]


class Cluster:
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

    def effect(self, effect: Effect) -> None:
        if self._effects is not None:
            self._effects.append(effect)

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

    def list_topics(self, internal: bool = False) -> list[str]:
        return sorted(n for n, t in self.topics.items() if internal or not t.internal)

    # -- journaled requests ---------------------------------------------------------------------
    def _request(
        self,
        actor: str,
        api: str,
        args: dict[str, Any],
        handler: Callable[[], Any],
        summarize: Callable[[Any], str] | None = None,
        journal_if: Callable[[Any], bool] | None = None,
        timed_out: Callable[[], Any] | None = None,
    ) -> Any:
        """Run one request: journal it with its effects, then let queued work run (auto pacing).

        `timed_out` is the answer a client gets when the network loses the response or holds
        the request (see faults.py); requests without it are never subject to faults.
        """
        with self.request_guard:
            return self._guarded_request(
                actor, api, args, handler, summarize, journal_if, timed_out
            )

    def _guarded_request(
        self,
        actor: str,
        api: str,
        args: dict[str, Any],
        handler: Callable[[], Any],
        summarize: Callable[[Any], str] | None,
        journal_if: Callable[[Any], bool] | None,
        timed_out: Callable[[], Any] | None,
    ) -> Any:
        fault = self.faults.take(actor, api) if timed_out is not None else None
        if fault == DELAY_REQUEST:
            description = f"{api} from {actor} ({', '.join(f'{k}={v}' for k, v in args.items())})"
            self.faults.held.append(
                HeldRequest(
                    description,
                    lambda: self._request(
                        actor, api, {**args, "late": True}, handler, summarize, journal_if
                    ),
                )
            )
            self.journal.record(
                self.now_ms, actor, api, args, "held in the network", (RequestHeld(),), False
            )
            return timed_out()
        outer = self._effects
        self._effects = []
        try:
            result = handler()
            effects = self._effects
        finally:
            self._effects = outer
        if fault == LOSE_RESPONSE:
            effects.append(ResponseLost())
        if journal_if is None or journal_if(result):
            summary = summarize(result) if summarize else _summarize(result)
            self.journal.record(
                self.now_ms, actor, api, args, summary, effects, answered_ok(result)
            )
        if outer is None:
            self._drain()
        return timed_out() if fault == LOSE_RESPONSE and timed_out is not None else result

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
    def restart_transaction_coordinator(self, keep_stale_markers: bool = False) -> list[str]:
        """Fail the transaction coordinator over: new coordinator epoch, state reloaded from
        __transaction_state, unfinished commits and aborts completed by the new coordinator."""
        return self._request(
            "cluster",
            "RestartTransactionCoordinator",
            {"keep_stale_markers": keep_stale_markers},
            lambda: self.txn_coordinator.restart(keep_stale_markers),
            summarize=lambda r: "resumed " + ", ".join(r) if r else "NONE",
        )

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

    # -- replication ----------------------------------------------------------------------------
    @recorded
    def hold_high_watermark(self, topic: str, partition: int) -> None:
        """Stop a partition's HW where it is: data is appended but not 'replicated'."""
        p = self.partition(topic, partition)
        self._request(
            "cluster",
            "HoldHighWatermark",
            {"partition": p.name},
            lambda: p.hold_high_watermark() or Errors.NONE,
        )

    @recorded
    def release_high_watermark(self, topic: str, partition: int) -> None:
        p = self.partition(topic, partition)

        def release() -> Errors:
            before = p.high_watermark
            p.release_high_watermark()
            self.effect(
                HighWatermarkReleased(p.name, before, p.high_watermark, p.last_stable_offset)
            )
            return Errors.NONE

        self._request("cluster", "ReleaseHighWatermark", {"partition": p.name}, release)

    # -- topics ---------------------------------------------------------------------------------
    def _make_topic(
        self, name: str, partitions: int, replication_factor: int, internal: bool
    ) -> Topic:
        topic = Topic(
            name,
            [Partition(name, i) for i in range(partitions)],
            replication_factor,
            internal,
            self._next_topic_id,
        )
        self._next_topic_id += 1
        self.topics[name] = topic
        self.effect(TopicCreated(name, partitions, replication_factor))
        return topic

    def _validate_new_topic(
        self, name: str, num_partitions: int, replication_factor: int
    ) -> TopicResult:
        if not _LEGAL_TOPIC.match(name) or name in (".", ".."):
            return TopicResult(
                Errors.INVALID_TOPIC_EXCEPTION,
                f"Topic name {name!r} is illegal, it contains a character other than ASCII "
                "alphanumerics, '.', '_' and '-'"
                if name
                else "Topic name is illegal, it can't be empty",
            )
        if name in self.topics:
            return TopicResult(Errors.TOPIC_ALREADY_EXISTS, f"Topic '{name}' already exists.")
        if name in INTERNAL_TOPICS:
            return TopicResult(
                Errors.INVALID_REQUEST, f"Creation of internal topic {name} is prohibited."
            )
        if num_partitions < 1:
            return TopicResult(
                Errors.INVALID_PARTITIONS,
                "Number of partitions was set to an invalid non-positive value.",
            )
        if replication_factor < 1:
            return TopicResult(
                Errors.INVALID_REPLICATION_FACTOR,
                "Replication factor must be larger than 0, or -1 to use the default value.",
            )
        if replication_factor > len(self.broker_ids):
            return TopicResult(
                Errors.INVALID_REPLICATION_FACTOR,
                f"Unable to replicate the partition {replication_factor} time(s): The target "
                f"replication factor of {replication_factor} cannot be reached because only "
                f"{len(self.broker_ids)} broker(s) are registered.",
            )
        return TopicResult(Errors.NONE)

    @recorded
    def create_topics(
        self,
        topics: Iterable[tuple[str, int, int]],
        validate_only: bool = False,
        client_id: str = "admin",
    ) -> dict[str, TopicResult]:
        """CreateTopics: (name, num_partitions, replication_factor); -1 takes the broker default."""
        requested = list(topics)

        def handle() -> dict[str, TopicResult]:
            results = {}
            total = sum(
                self.config["num.partitions"] if n == -1 else max(n, 0) for _, n, _ in requested
            )
            if total > MAX_PARTITIONS_PER_BATCH:  # KAFKA-17870: the whole request fails at once
                return {
                    name: TopicResult(
                        Errors.POLICY_VIOLATION,
                        "Excessively large number of partitions per request.",
                    )
                    for name, _, _ in requested
                }
            for name, num_partitions, replication_factor in requested:
                n = self.config["num.partitions"] if num_partitions == -1 else num_partitions
                rf = (
                    self.config["default.replication.factor"]
                    if replication_factor == -1
                    else replication_factor
                )
                result = self._validate_new_topic(name, n, rf)
                if result.error == Errors.NONE and not validate_only:
                    self._make_topic(name, n, rf, internal=False)
                results[name] = result
            return results

        return self._request(
            client_id,
            "CreateTopics",
            {"topics": [n for n, _, _ in requested], "validate_only": validate_only},
            handle,
            summarize=_summarize_topics,
        )

    @recorded
    def delete_topics(
        self, names: Iterable[str], client_id: str = "admin"
    ) -> dict[str, TopicResult]:
        requested = list(names)

        def handle() -> dict[str, TopicResult]:
            results = {}
            for name in requested:
                topic = self.topics.get(name)
                if topic is None:
                    results[name] = TopicResult(
                        Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION.message
                    )
                elif topic.internal:
                    results[name] = TopicResult(
                        Errors.INVALID_REQUEST, f"Cannot delete internal topic {name}."
                    )
                else:
                    del self.topics[name]
                    self.effect(TopicDeleted(name))
                    results[name] = TopicResult(Errors.NONE)
            return results

        return self._request(
            client_id, "DeleteTopics", {"topics": requested}, handle, summarize=_summarize_topics
        )

    @recorded
    def metadata(
        self,
        topics: Iterable[str] | None = None,
        allow_auto_topic_creation: bool = True,
        client_id: str = "admin",
    ) -> MetadataResponse:
        """Metadata; an unknown topic is created here when both client and broker allow it."""
        requested = None if topics is None else list(topics)

        def handle() -> MetadataResponse:
            result: dict[str, tuple[Errors, list[int]]] = {}
            names = self.list_topics(internal=True) if requested is None else requested
            for name in names:
                topic = self.topics.get(name)
                if (
                    topic is None
                    and allow_auto_topic_creation
                    and self.config["auto.create.topics.enable"]
                ):
                    n = self.config["num.partitions"]
                    rf = self.config["default.replication.factor"]
                    if self._validate_new_topic(name, n, rf).error == Errors.NONE:
                        topic = self._make_topic(name, n, rf, internal=False)
                if topic is None:
                    error = (
                        Errors.UNKNOWN_TOPIC_OR_PARTITION
                        if _LEGAL_TOPIC.match(name)
                        else Errors.INVALID_TOPIC_EXCEPTION
                    )
                    result[name] = (error, [])
                else:
                    result[name] = (Errors.NONE, list(range(len(topic.partitions))))
            brokers = [(b, f"broker{b}.eoslab", 9092) for b in self.broker_ids]
            return MetadataResponse(brokers, self.broker_ids[0], result)

        return self._request(
            client_id,
            "Metadata",
            {"topics": "all" if requested is None else requested},
            handle,
            summarize=lambda r: (
                ", ".join(f"{t}: {e.name}" for t, (e, _) in r.topics.items()) or "NONE"
            ),
            journal_if=lambda r: requested is not None,
        )

    def _internal_topic(self, name: str) -> Topic:
        topic = self.topics.get(name)
        if topic is None:
            prefix = "transaction.state.log" if name == TRANSACTION_STATE_TOPIC else "offsets.topic"
            # Kafka creates an internal topic with its configured RF (default 3) and answers
            # COORDINATOR_NOT_AVAILABLE while fewer brokers are alive; eoslab's brokers are all
            # alive from the start, so a smaller cluster gets every broker (what a one-broker
            # set-up configures: RF 1) rather than no coordinator.
            rf = min(self.config[f"{prefix}.replication.factor"], len(self.broker_ids))
            topic = self._make_topic(
                name, self.config[f"{prefix}.num.partitions"], rf, internal=True
            )
        return topic

    def existing_partitions(self, topic: str) -> list[Partition]:
        """A topic's partitions, none if it does not exist (a coordinator's log before first use)."""
        t = self.topics.get(topic)
        return list(t.partitions) if t is not None else []

    def internal_partition(self, topic: str, partition: int) -> Partition:
        return self._internal_topic(topic).partitions[partition]

    def append_internal(self, topic: str, partition: int, key: bytes, value: bytes | None) -> int:
        """A coordinator's write to its own internal partition; returns the record's offset."""
        p = self._internal_topic(topic).partitions[partition]
        result = p.append_as_leader(RecordBatch([Record(0, self.now_ms, key, value)]), self.now_ms)
        return result.base_offset

    # -- FindCoordinator ------------------------------------------------------------------------
    @recorded
    def find_coordinator(
        self, key: str, key_type: str = "transaction", client_id: str = "client"
    ) -> FindCoordinatorResponse:
        """key_type 'group' or 'transaction'; the coordinator leads the key's internal partition."""

        def handle() -> FindCoordinatorResponse:
            if key_type not in ("group", "transaction"):
                return FindCoordinatorResponse(Errors.INVALID_REQUEST)
            if not key:
                return FindCoordinatorResponse(Errors.INVALID_REQUEST)
            if key_type == "transaction":
                topic, n = TRANSACTION_STATE_TOPIC, self.txn_coordinator.partition_for(key)
            else:
                topic = CONSUMER_OFFSETS_TOPIC
                n = partition_for(key, self.config["offsets.topic.num.partitions"])
            self._internal_topic(topic)
            node = self.leader_for(topic, n)
            return FindCoordinatorResponse(Errors.NONE, node, f"broker{node}.eoslab", 9092, n)

        return self._request(
            client_id,
            "FindCoordinator",
            {"key": key, "key_type": key_type},
            handle,
            summarize=lambda r: f"{r.error.name} node {r.node_id} (partition {r.partition})",
        )

    # -- the transactional APIs -----------------------------------------------------------------
    @recorded
    def init_producer_id(
        self,
        transactional_id: str | None = None,
        transaction_timeout_ms: int = 60_000,
        producer_id: int = NO_PRODUCER_ID,
        producer_epoch: int = NO_PRODUCER_EPOCH,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["InitProducerId"],
    ) -> InitProducerIdResponse:
        return self._request(
            client_id,
            "InitProducerId",
            {
                "transactional_id": transactional_id,
                "transaction_timeout_ms": transaction_timeout_ms,
                "producer_id": producer_id,
                "producer_epoch": producer_epoch,
            },
            lambda: self.txn_coordinator.handle_init_producer_id(
                transactional_id, transaction_timeout_ms, producer_id, producer_epoch, api_version
            ),
            summarize=lambda r: (
                r.error.name
                + (f" (pid {r.producer_id}, epoch {r.producer_epoch})" if not r.error else "")
            ),
            timed_out=lambda: InitProducerIdResponse(Errors.REQUEST_TIMED_OUT),
        )

    @recorded
    def add_partitions_to_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        partitions: Iterable[tuple[str, int]],
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["AddPartitionsToTxn"],
    ) -> dict[tuple[str, int], Errors]:
        """Per-partition results: unknown partitions fail, the others are then not attempted."""
        requested = list(dict.fromkeys(partitions))

        def handle() -> dict[tuple[str, int], Errors]:
            unknown = [tp for tp in requested if self._find_partition(*tp) is None]
            if unknown:
                return {
                    tp: Errors.UNKNOWN_TOPIC_OR_PARTITION
                    if tp in unknown
                    else Errors.OPERATION_NOT_ATTEMPTED
                    for tp in requested
                }
            error = self.txn_coordinator.handle_add_partitions(
                transactional_id, producer_id, producer_epoch, requested, api_version
            )
            return {tp: error for tp in requested}

        return self._request(
            client_id,
            "AddPartitionsToTxn",
            {
                "transactional_id": transactional_id,
                "producer_id": producer_id,
                "producer_epoch": producer_epoch,
                "partitions": [f"{t}-{p}" for t, p in requested],
            },
            handle,
            summarize=lambda r: ", ".join(sorted({e.name for e in r.values()})) or "NONE",
            timed_out=lambda: dict.fromkeys(requested, Errors.REQUEST_TIMED_OUT),
        )

    @recorded
    def end_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        committed: bool,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["EndTxn"],
    ) -> Errors:
        return self._request(
            client_id,
            "EndTxn",
            {
                "transactional_id": transactional_id,
                "producer_id": producer_id,
                "producer_epoch": producer_epoch,
                "result": "COMMIT" if committed else "ABORT",
            },
            lambda: self.txn_coordinator.handle_end_txn(
                transactional_id, producer_id, producer_epoch, committed, api_version
            ),
            summarize=_summarize_end_txn,
            timed_out=lambda: (
                Errors.REQUEST_TIMED_OUT
                if api_version < END_TXN_TV2_VERSION
                else EndTxnResponse(Errors.REQUEST_TIMED_OUT)
            ),
        )

    def write_txn_marker(
        self,
        tp: tuple[str, int],
        producer_id: int,
        producer_epoch: int,
        kind: ControlRecordType,
        coordinator_epoch: int,
    ) -> Errors:
        """The leader side of WriteTxnMarkers for one partition (called inside a journaled step)."""
        p = self._find_partition(*tp)
        if p is None:
            self.effect(MarkerSkipped(f"{tp[0]}-{tp[1]}"))
            return Errors.UNKNOWN_TOPIC_OR_PARTITION
        result = p.append_end_txn_marker(
            producer_id, producer_epoch, kind, coordinator_epoch, self.now_ms
        )
        if result.error == Errors.NONE and tp[0] == CONSUMER_OFFSETS_TOPIC:
            self.group_coordinator.on_end_txn_marker(
                tp[1], producer_id, kind == ControlRecordType.COMMIT
            )
        if result.error == Errors.NONE:
            self.effect(
                MarkerWritten(
                    p.name,
                    result.base_offset,
                    kind.name,
                    producer_id,
                    producer_epoch,
                    coordinator_epoch,
                )
            )
        else:
            self.effect(MarkerRejected(p.name, kind.name, result.error.name))
        return result.error

    @recorded
    def write_txn_markers(
        self,
        topic: str,
        partition: int,
        producer_id: int,
        producer_epoch: int,
        committed: bool,
        coordinator_epoch: int,
        client_id: str = "admin",
    ) -> Errors:
        """WriteTxnMarkers sent straight to a leader (the Admin API's abortTransaction path)."""
        kind = ControlRecordType.COMMIT if committed else ControlRecordType.ABORT
        return self._request(
            client_id,
            "WriteTxnMarkers",
            {
                "partition": f"{topic}-{partition}",
                "producer_id": producer_id,
                "producer_epoch": producer_epoch,
                "result": kind.name,
                "coordinator_epoch": coordinator_epoch,
            },
            lambda: self.write_txn_marker(
                (topic, partition), producer_id, producer_epoch, kind, coordinator_epoch
            ),
        )

    # -- Produce / Fetch / ListOffsets ----------------------------------------------------------
    @recorded
    def produce(
        self,
        topic: str,
        partition: int,
        batch: RecordBatch,
        transactional_id: str | None = None,
        acks: int = -1,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["Produce"],
    ) -> ProduceResponse:
        """Produce one batch to one partition; the leader assigns the offsets."""
        args = {
            "partition": f"{topic}-{partition}",
            "records": batch.records_count,
            "producer_id": batch.producer_id,
            "producer_epoch": batch.producer_epoch,
            "base_sequence": batch.base_sequence,
            "transactional": batch.is_transactional,
        }

        def handle() -> ProduceResponse:
            p = self._find_partition(topic, partition)
            if p is None:
                return ProduceResponse(Errors.UNKNOWN_TOPIC_OR_PARTITION)
            if topic in INTERNAL_TOPICS:
                return ProduceResponse(
                    Errors.INVALID_TOPIC_EXCEPTION,
                    error_message=f"Cannot append to internal topic {topic}",
                )
            if acks not in (-1, 0, 1):
                return ProduceResponse(Errors.INVALID_REQUIRED_ACKS)
            malformed = malformed_record(batch.decoded_records)
            if malformed is not None:  # never store what no reader can serve
                return ProduceResponse(Errors.CORRUPT_MESSAGE, error_message=malformed)
            invalid = validate_client_batch(batch, p.name, self.config["message.max.bytes"])
            if invalid is not None:  # LogValidator: nothing appended, producer state untouched
                return ProduceResponse(invalid[0], error_message=invalid[1])
            if batch.is_transactional:
                error = self._verify_transactional_batch(p, batch, transactional_id, api_version)
                if error:
                    return ProduceResponse(error)
            result: AppendResult = p.append_as_leader(batch, self.now_ms)
            if result.error == Errors.NONE:
                if result.duplicate:
                    self.effect(DuplicateBatch(p.name, result.base_offset))
                else:
                    last = result.base_offset + batch.records_count - 1
                    self.effect(
                        RecordsAppended(p.name, result.base_offset, last, batch.is_transactional)
                    )
            return ProduceResponse(
                result.error,
                result.base_offset,
                result.log_append_time,
                result.log_start_offset,
                result.error_message,
            )

        return self._request(
            client_id,
            "Produce",
            args,
            handle,
            summarize=lambda r: (
                r.error.name + (f" (offset {r.base_offset})" if not r.error else "")
            ),
            timed_out=lambda: ProduceResponse(Errors.REQUEST_TIMED_OUT),
        )

    def _verify_transactional_batch(
        self, p: Partition, batch: RecordBatch, transactional_id: str | None, api_version: int
    ) -> Errors:
        """A transactional batch is checked with its coordinator before it is appended."""
        if not transactional_id:
            return Errors.INVALID_REQUEST
        coordinator = self.txn_coordinator
        implicit_add = api_version >= PRODUCE_IMPLICIT_ADD_VERSION
        error = coordinator.verify_or_enrol(
            transactional_id, batch.producer_id, batch.producer_epoch, p, implicit_add
        )
        if error and coordinator.verification(implicit_add) == VERIFY:
            if (
                error == Errors.INVALID_TXN_STATE
                and api_version >= PRODUCE_TRANSACTION_ABORTABLE_VERSION
            ):
                error = Errors.TRANSACTION_ABORTABLE  # KIP-890: abortable on new versions
            self.effect(VerificationFailed(p.name, error.name))
        return error

    @recorded
    def fetch(
        self,
        topic: str,
        partition: int,
        fetch_offset: int,
        isolation_level: int = READ_COMMITTED,
        max_bytes: int = 1_048_576,
        client_id: str = "client",
    ) -> FetchResult:
        """Fetch one partition: whole batches up to the HW (read_uncommitted) or the LSO."""

        def handle() -> FetchResult:
            p = self._find_partition(topic, partition)
            if p is None:
                return FetchResult(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1, None)
            return p.read(fetch_offset, max_bytes, isolation_level)

        return self._request(
            client_id,
            "Fetch",
            {
                "partition": f"{topic}-{partition}",
                "offset": fetch_offset,
                "isolation_level": "read_committed"
                if isolation_level == READ_COMMITTED
                else "read_uncommitted",
            },
            handle,
            summarize=_summarize_fetch,
        )

    @recorded
    def list_offsets(
        self,
        topic: str,
        partition: int,
        timestamp: int,
        isolation_level: int | None = READ_COMMITTED,
        client_id: str = "client",
    ) -> ListOffsetsResponse:
        """ListOffsets: -1 latest (LSO or HW by isolation), -2 earliest, -3 the max timestamp,
        else the first offset whose record's timestamp is at or after `timestamp`."""

        def handle() -> ListOffsetsResponse:
            p = self._find_partition(topic, partition)
            if p is None:
                return ListOffsetsResponse(Errors.UNKNOWN_TOPIC_OR_PARTITION)
            return ListOffsetsResponse(Errors.NONE, *p.list_offset(timestamp, isolation_level))

        return self._request(
            client_id,
            "ListOffsets",
            {
                "partition": f"{topic}-{partition}",
                "timestamp": timestamp,
                "isolation_level": isolation_level,
            },
            handle,
            summarize=lambda r: r.error.name + (f" (offset {r.offset})" if not r.error else ""),
        )

    # -- consumer groups and offsets --------------------------------------------------------------
    @recorded
    def join_group(
        self,
        group_id: str,
        member_id: str,
        protocols: list[tuple[str, bytes]],
        session_timeout_ms: int = 45_000,
        rebalance_timeout_ms: int = 300_000,
        group_instance_id: str | None = None,
        protocol_type: str = "consumer",
        client_id: str = "client",
    ) -> JoinGroupResponse:
        """JoinGroup; the answer may be held (`pending`) until every member has joined."""
        return self._request(
            client_id,
            "JoinGroup",
            {"group_id": group_id, "member_id": member_id, "group_instance_id": group_instance_id},
            lambda: self.group_coordinator.handle_join_group(
                group_id,
                member_id,
                group_instance_id,
                client_id,
                session_timeout_ms,
                rebalance_timeout_ms,
                protocol_type,
                protocols,
            ),
            summarize=_summarize_join,
        )

    def join_group_result(self, group_id: str, member_id: str) -> JoinGroupResponse:
        """The held JoinGroup answer, once the coordinator has sent it (not a new request)."""
        return self.group_coordinator.join_group_result(group_id, member_id)

    @recorded
    def sync_group(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        assignments: dict[str, bytes] | None = None,
        client_id: str = "client",
    ) -> SyncGroupResponse:
        """SyncGroup: the leader brings every member's assignment; followers wait for it."""
        return self._request(
            client_id,
            "SyncGroup",
            {
                "group_id": group_id,
                "generation_id": generation_id,
                "member_id": member_id,
                "assignments": len(assignments or {}),
            },
            lambda: self.group_coordinator.handle_sync_group(
                group_id, generation_id, member_id, dict(assignments or {})
            ),
            summarize=lambda r: r.error.name + (" (waiting for the leader)" if r.pending else ""),
        )

    def sync_group_result(self, group_id: str, member_id: str) -> SyncGroupResponse:
        return self.group_coordinator.sync_group_result(group_id, member_id)

    @recorded
    def heartbeat(
        self, group_id: str, generation_id: int, member_id: str, client_id: str = "client"
    ) -> Errors:
        return self._request(
            client_id,
            "Heartbeat",
            {"group_id": group_id, "generation_id": generation_id, "member_id": member_id},
            lambda: self.group_coordinator.handle_heartbeat(group_id, generation_id, member_id),
        )

    @recorded
    def leave_group(self, group_id: str, member_id: str, client_id: str = "client") -> Errors:
        return self._request(
            client_id,
            "LeaveGroup",
            {"group_id": group_id, "member_id": member_id},
            lambda: self.group_coordinator.handle_leave_group(group_id, member_id),
        )

    @recorded
    def stop_heartbeats(self, group_id: str, member_id: str, client_id: str = "client") -> Errors:
        """A fault: the member's process is gone, so its session will time out."""
        return self._request(
            client_id,
            "crash",
            {"group_id": group_id, "member_id": member_id},
            lambda: self.group_coordinator.stop_heartbeats(group_id, member_id),
        )

    @recorded
    def offset_commit(
        self,
        group_id: str,
        offsets: dict[tuple[str, int], tuple[int, str]],
        generation_id: int = -1,
        member_id: str = "",
        group_instance_id: str | None = None,
        client_id: str = "client",
    ) -> dict[tuple[str, int], Errors]:
        """OffsetCommit: {(topic, partition): (offset, metadata)} -> per-partition errors."""
        return self._request(
            client_id,
            "OffsetCommit",
            {
                "group_id": group_id,
                "generation_id": generation_id,
                "member_id": member_id,
                "offsets": {f"{t}-{p}": o for (t, p), (o, _) in offsets.items()},
            },
            lambda: self.group_coordinator.handle_offset_commit(
                group_id, generation_id, member_id, group_instance_id, dict(offsets)
            ),
            summarize=_summarize_partition_errors,
            timed_out=lambda: dict.fromkeys(offsets, Errors.REQUEST_TIMED_OUT),
        )

    @recorded
    def offset_fetch(
        self,
        group_id: str,
        partitions: list[tuple[str, int]] | None = None,
        require_stable: bool = False,
        client_id: str = "client",
    ) -> dict[tuple[str, int], tuple[int, str, Errors]]:
        """OffsetFetch; with RequireStable, pending transactional offsets answer
        UNSTABLE_OFFSET_COMMIT (reference §6.2)."""
        return self._request(
            client_id,
            "OffsetFetch",
            {
                "group_id": group_id,
                "partitions": None if partitions is None else [f"{t}-{p}" for t, p in partitions],
                "require_stable": require_stable,
            },
            lambda: self.group_coordinator.handle_offset_fetch(
                group_id, None if partitions is None else list(partitions), require_stable
            ),
            summarize=lambda r: (
                ", ".join(
                    f"{t}-{p}: {o}" + (f" {e.name}" if e else "") for (t, p), (o, _, e) in r.items()
                )
                or "NONE"
            ),
        )

    @recorded
    def add_offsets_to_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        group_id: str,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["AddOffsetsToTxn"],
    ) -> Errors:
        return self._request(
            client_id,
            "AddOffsetsToTxn",
            {
                "transactional_id": transactional_id,
                "producer_id": producer_id,
                "producer_epoch": producer_epoch,
                "group_id": group_id,
            },
            lambda: self.txn_coordinator.handle_add_offsets(
                transactional_id, producer_id, producer_epoch, group_id, api_version
            ),
            timed_out=lambda: Errors.REQUEST_TIMED_OUT,
        )

    @recorded
    def txn_offset_commit(
        self,
        transactional_id: str,
        group_id: str,
        producer_id: int,
        producer_epoch: int,
        offsets: dict[tuple[str, int], tuple[int, str]],
        generation_id: int = -1,
        member_id: str = "",
        group_instance_id: str | None = None,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["TxnOffsetCommit"],
    ) -> dict[tuple[str, int], Errors]:
        """TxnOffsetCommit (v3+, KIP-447): offsets held pending inside the producer's
        transaction; v5 on a TV2 cluster also enrols the offsets partition (no AddOffsetsToTxn)."""
        return self._request(
            client_id,
            "TxnOffsetCommit",
            {
                "transactional_id": transactional_id,
                "group_id": group_id,
                "producer_id": producer_id,
                "producer_epoch": producer_epoch,
                "generation_id": generation_id,
                "member_id": member_id,
                "offsets": {f"{t}-{p}": o for (t, p), (o, _) in offsets.items()},
            },
            lambda: self.group_coordinator.handle_txn_offset_commit(
                transactional_id,
                group_id,
                producer_id,
                producer_epoch,
                generation_id,
                member_id,
                group_instance_id,
                dict(offsets),
                api_version,
            ),
            summarize=_summarize_partition_errors,
            timed_out=lambda: dict.fromkeys(offsets, Errors.REQUEST_TIMED_OUT),
        )

    # -- describe / list (the admin tools' requests) --------------------------------------------
    @recorded
    def describe_groups(self, group_ids: list[str], client_id: str = "admin") -> dict[str, Any]:
        """DescribeGroups: {group: ClassicGroup or None (unknown: Dead, no members)}."""
        return self._request(
            client_id,
            "DescribeGroups",
            {"group_ids": list(group_ids)},
            lambda: {g: self.group_coordinator.describe_group(g) for g in group_ids},
            summarize=lambda r: ", ".join(
                f"{g}: {grp.state.value if grp else 'Dead'}" for g, grp in r.items()
            ),
        )

    @recorded
    def list_groups(self, client_id: str = "admin") -> list[tuple[str, str, str]]:
        """ListGroups: (group id, protocol type, state) for every group with metadata or offsets."""

        def handle() -> list[tuple[str, str, str]]:
            out = []
            for g in self.group_coordinator.groups():
                grp = self.group_coordinator.group(g)
                out.append(
                    (g, grp.protocol_type if grp else "", grp.state.value if grp else "Empty")
                )
            return out

        return self._request(
            client_id, "ListGroups", {}, handle, summarize=lambda r: f"{len(r)} groups"
        )

    @recorded
    def describe_transactions(
        self, transactional_ids: list[str], client_id: str = "admin"
    ) -> dict[str, tuple[Errors, Any]]:
        """DescribeTransactions: TRANSACTIONAL_ID_NOT_FOUND for unknown or expired ids (§8)."""

        def handle() -> dict[str, tuple[Errors, Any]]:
            out = {}
            for tid in transactional_ids:
                metadata = self.txn_coordinator.transactions.get(tid)
                out[tid] = (
                    (Errors.TRANSACTIONAL_ID_NOT_FOUND, None)
                    if metadata is None
                    else (Errors.NONE, metadata)
                )
            return out

        return self._request(
            client_id,
            "DescribeTransactions",
            {"transactional_ids": list(transactional_ids)},
            handle,
            summarize=lambda r: ", ".join(f"{t}: {e.name}" for t, (e, _) in r.items()),
        )

    @recorded
    def list_transactions(
        self,
        states: list[str] | None = None,
        producer_ids: list[int] | None = None,
        duration_filter_ms: int = -1,
        client_id: str = "admin",
    ) -> list[tuple[str, int, str]]:
        """ListTransactions: (transactional id, producer id, state); Dead ids are not listed."""

        def handle() -> list[tuple[str, int, str]]:
            now = self.now_ms
            out = []
            for tid, m in sorted(self.txn_coordinator.transactions.items()):
                if states and m.state.name not in states:
                    continue
                if producer_ids and m.producer_id not in producer_ids:
                    continue
                if duration_filter_ms >= 0 and (
                    m.txn_start_timestamp < 0 or now - m.txn_start_timestamp < duration_filter_ms
                ):
                    continue
                out.append((tid, m.producer_id, m.state.name))
            return out

        return self._request(
            client_id,
            "ListTransactions",
            {"states": states, "producer_ids": producer_ids},
            handle,
            summarize=lambda r: f"{len(r)} transactions",
        )

    @recorded
    def describe_producers(
        self, topic: str, partition: int, client_id: str = "admin"
    ) -> tuple[Errors, list[tuple[int, int, int, int, int, int | None]]]:
        """DescribeProducers: the leader's producer state for one partition: (pid, epoch, last
        sequence, last timestamp, coordinator epoch, current transaction start offset)."""

        def handle() -> tuple[Errors, list]:
            p = self._find_partition(topic, partition)
            if p is None:
                return (Errors.UNKNOWN_TOPIC_OR_PARTITION, [])
            rows = [
                (
                    pid,
                    e.producer_epoch,
                    e.last_seq,
                    e.last_timestamp,
                    e.coordinator_epoch,
                    e.current_txn_first_offset,
                )
                for pid, e in sorted(p.producer_state.producers.items())
            ]
            return (Errors.NONE, rows)

        return self._request(
            client_id,
            "DescribeProducers",
            {"partition": f"{topic}-{partition}"},
            handle,
            summarize=lambda r: f"{r[0].name}: {len(r[1])} producers",
        )


def _summarize_end_txn(r: Errors | EndTxnResponse) -> str:
    if isinstance(r, EndTxnResponse) and not r.error:
        return f"NONE (pid {r.producer_id}, epoch {r.producer_epoch})"
    return r.name if isinstance(r, Errors) else r.error.name


def _summarize_join(r: JoinGroupResponse) -> str:
    if r.error:
        return r.error.name
    if r.pending:
        return "NONE (held until every member has joined)"
    return f"NONE (generation {r.generation_id}, leader {r.leader})"


def _summarize_partition_errors(results: dict[tuple[str, int], Errors]) -> str:
    return ", ".join(sorted({e.name for e in results.values()})) or "NONE"


def answered_ok(result: Any) -> bool:
    """No error code anywhere in an answer: a whole-request error, or any partition's, topic's
    or id's. Answers without codes (what a periodic job did, a description) are ok."""
    if isinstance(result, Errors):
        return result == Errors.NONE
    error = getattr(result, "error", None)
    if isinstance(error, Errors):
        return error == Errors.NONE
    if isinstance(result, dict):
        return all(answered_ok(v) for v in result.values())
    if isinstance(result, tuple):
        return all(v == Errors.NONE for v in result if isinstance(v, Errors))
    return True


def _summarize(result: Any) -> str:
    if isinstance(result, Errors):
        return result.name
    error = getattr(result, "error", None)
    if isinstance(error, Errors):
        return error.name
    return "NONE"


def _summarize_topics(results: dict[str, TopicResult]) -> str:
    return ", ".join(f"{name}: {r.error.name}" for name, r in results.items()) or "NONE"


def _summarize_fetch(r: FetchResult) -> str:
    if r.error:
        return r.error.name
    if not r.batches:
        return f"NONE: no data (HW {r.high_watermark}, LSO {r.last_stable_offset})"
    return (
        f"NONE: offsets {r.batches[0].base_offset}..{r.batches[-1].last_offset} "
        f"in {len(r.batches)} batches (HW {r.high_watermark}, LSO {r.last_stable_offset})"
    )
