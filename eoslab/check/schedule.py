"""Randomized fault schedules: a small world of Kafka applications, the operations a schedule
interleaves, and the invariants checked after every step.

The world (Jepsen would call it a workload plus a nemesis) is one cluster, TV1 or TV2, in auto or
step pacing, with topics `in`, `t` and `out` of two partitions each, and:

- two transactional writers (`w0`, `w1`) writing unique values to `in` and `t`, which can crash,
  be replaced by a new instance with the same transactional.id (the old one lives on as a zombie
  and keeps trying), or be fenced by the coordinator's timeout;
- an idempotent writer;
- five readers: read_committed and read_uncommitted on `in` and on `t`, read_committed on `out`;
- the exactly-once pipeline `in` -> `out` (`eoslab.scenarios.pipelines`), one phase per step, with
  crashes, new instances and zombie instances;
- faults: clock advances past the transaction timeout, coordinator failover (with or without stale
  markers), requests held in the network and released later, lost responses, and in step pacing
  markers released out of order or twice.

`Workload.apply(name, *args)` runs one operation and returns the invariants it broke; `finish()`
heals the world, reads everything back and runs the end-of-run checks. The hypothesis state
machine in `tests/check/` and the soak in `bench/soak.py` drive the same operations
(`OPERATIONS` lists each one's argument choices).

Invariants after every step: LSO <= HW; offsets dense and unique; a fenced producer never appends
(and nothing it slipped in before its fence's marker is ever committed); one transaction, one
epoch; markers agree with their transaction's Prepare record and land on all its partitions before
it completes; a prepared transaction always has its markers on the way; committed offsets equal a
replay of `__consumer_offsets`; read_committed returns only
committed data (never a marker); once no marker is pending, the exactly-once pipeline's committed
output is its committed input, each once. At the end: every promise made to a producer (committed,
aborted) is what the log holds, replay rebuilds the same cluster, and the history checker finds
exactly-once.

Documented holes (`Workload.holes`): TV1 keeps one epoch for every transaction, so a held EndTxn
released after its producer moved on ends the *next* transaction (reference §3.9,
`tests/client/test_faults.py`), and a held TxnOffsetCommit puts old offsets into it; and a marker
delivered twice can decide a later transaction's data under TV1, and under TV2 until KIP-1228
(reference §3.7). Once a schedule opened one, the
end-to-end promises may break, and then the history checker must report it; otherwise they must
hold, under TV1 and TV2 alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..broker import Cluster
from ..broker.effects import DuplicateBatch
from ..client import Consumer, KafkaException, Producer, TopicPartition, record_history
from ..client.history import POLL
from ..scenarios.pipelines import EXACTLY_ONCE, Pipeline
from .end_to_end import client_fates_agree, processed_once, read_committed_saw_only_committed
from .invariants import (
    JournalWatch,
    committed_offsets_follow_log,
    dense_offsets,
    lso_within_hw,
    prepared_transactions_progress,
    replay_matches,
)
from .log_reader import LogReader
from .report import Report, check

TOPICS = (("in", 2), ("t", 2), ("out", 2))
TXN_TIMEOUT_MS = 10_000  # the coordinator scans every 10 s, so 20 s aborts any open transaction
PIPELINE_GROUP = "app"
FAULT_APIS = ("EndTxn", "Produce", "AddPartitionsToTxn", "AddOffsetsToTxn", "TxnOffsetCommit")
TARGETS = ("w0", "w1", "pipeline", "idempotent")
# the readers of what the writers write (the wire schedules, eoslab.wire.schedule, have these)
WRITER_READERS = (("read_committed", "in"), ("read_uncommitted", "in"))
WRITER_READERS += (("read_committed", "t"), ("read_uncommitted", "t"))
READERS = (*WRITER_READERS, ("read_committed", "out"))

# Broker bugs the schedules find, by a phrase of the violation that names the root cause, and the
# strict xfail test that reproduces each. A schedule that hits one stops there: what follows is its
# consequence. Remove an entry once its test passes.
KNOWN_BUGS: dict[str, str] = {}  # invariant text -> the test reproducing an unfixed broker bug

ADVANCES_MS = (100, 5_000, 20_000)  # how far an `advance` moves the clock


def client_operations(readers: tuple[tuple[str, str], ...]) -> dict[str, tuple[tuple, ...]]:
    """The writers' and the readers' operations (`readers` as READERS), name -> the choices for
    each argument; the wire schedules (eoslab.wire.schedule) run the same ones."""
    return {
        "txn_write": ((0, 1), ("in", "t"), (0, 1), (1, 2), (True, False)),
        "txn_commit": ((0, 1),),
        "txn_abort": ((0, 1),),
        "crash_writer": ((0, 1),),
        "new_writer_instance": ((0, 1),),
        "zombie_write": ((0, 1, 2), (True, False)),
        "idempotent_write": (("in", "t"), (0, 1), (1, 2)),
        "poll": (tuple(range(len(readers))), (1, 3)),
        "restart_reader": (tuple(range(len(readers))),),
    }


def broker_step_violations(cluster: Cluster, watch: JournalWatch) -> list[str]:
    """The broker's invariants after a step (LSO <= HW, dense offsets, the journal's rules,
    prepared transactions on their way); the wire schedules check them too."""
    out = lso_within_hw(cluster) + dense_offsets(cluster)
    out += watch.scan(cluster.journal)
    out += prepared_transactions_progress(cluster, watch)
    return out


def read_step_violations(cluster: Cluster, watch: JournalWatch, polls: list) -> list[str]:
    """After a step, against the log: read_committed returned only committed data in `polls`,
    and nothing a fenced producer slipped in is committed; the wire schedules check them too."""
    log = LogReader(cluster)
    return read_committed_saw_only_committed(polls, log) + watch.fenced_writes_visible(log)


# operation -> the choices for each of its arguments
OPERATIONS: dict[str, tuple[tuple[Any, ...], ...]] = {
    **client_operations(READERS),
    "pipeline_step": (),
    "pipeline_run": (),
    "pipeline_crash": (),
    "pipeline_new_instance": (),
    "zombie_pipeline_step": ((0, 1),),
    "advance": (ADVANCES_MS,),
    "restart_coordinator": ((False, True),),
    "delay": (FAULT_APIS, TARGETS),
    "delay_end_txn": (TARGETS[:3],),
    "lose": (FAULT_APIS, TARGETS),
    "release": ((0, 1, 2),),
    "step": ((0, 1, 2),),
    "duplicate_step": ((0, 1, 2),),
    "run_pending": (),
}
# how often the soak picks each operation: the pipeline and the writers do most of the work
WEIGHTS: dict[str, int] = {
    "txn_write": 6,
    "txn_commit": 4,
    "pipeline_step": 6,
    "pipeline_run": 2,
    "poll": 3,
    "idempotent_write": 2,
    "step": 3,
    "run_pending": 2,
    "release": 4,
    "delay_end_txn": 4,
}


class Workload:
    """The world a schedule acts on; see the module docstring."""

    def __init__(
        self,
        transaction_version: int = 1,
        pacing: str = "auto",
        seed: int = 0,
        avoid_known_bugs: bool = True,
    ) -> None:
        config = {"transaction.version": 2} if transaction_version >= 2 else {}
        self.transaction_version = transaction_version
        self.cluster = Cluster(seed=seed, pacing=pacing, config=config)
        self.history = record_history(self.cluster)
        self.cluster.create_topics([(name, n, 1) for name, n in TOPICS])
        self.protocol = {"eoslab.protocol": "java-4"} if transaction_version >= 2 else {}
        self.producer_config = {"transaction.timeout.ms": TXN_TIMEOUT_MS, **self.protocol}
        self.writers: list[Producer | None] = [None, None]
        self.zombies: list[Producer] = []
        self.idempotent = self._idempotent_producer()
        self.readers = [self._reader(i) for i in range(len(READERS))]
        self.pipeline = self._new_pipeline()
        self.zombie_pipelines: list[Pipeline] = []
        self.values = 0
        self.trace: list[str] = []
        self.journal_watch = JournalWatch()
        self.history_checked = 0
        self.hole_effects: list[str] = []  # end-to-end breaks a documented hole explains
        self.report: Report | None = None
        self.known_bug: str | None = None  # the KNOWN_BUGS entry this schedule ran into
        self.avoid_known_bugs = avoid_known_bugs

    # -- building blocks ------------------------------------------------------------------------
    def _idempotent_producer(self) -> Producer:
        return Producer(
            {"bootstrap.servers": self.cluster.bootstrap_servers, "enable.idempotence": True}
        )

    def _reader(self, i: int) -> Consumer:
        isolation, topic = READERS[i]
        c = Consumer(
            {
                "bootstrap.servers": self.cluster.bootstrap_servers,
                "group.id": f"reader-{i}",
                "isolation.level": isolation,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        c.assign([TopicPartition(topic, p, 0) for p in range(2)])
        return c

    def _new_pipeline(self) -> Pipeline:
        return Pipeline(
            self.cluster,
            EXACTLY_ONCE,
            group_id=PIPELINE_GROUP,
            transactional_id=PIPELINE_GROUP,
            producer_config=self.producer_config,
        )

    def _value(self, who: str) -> str:
        self.values += 1
        return f"{who}-{self.values}"

    def _writer(self, w: int) -> Producer | None:
        """Writer w's current instance, started (init_transactions) if it is new."""
        p = self.writers[w]
        if p is None:
            p = self.writers[w] = Producer(
                {
                    "bootstrap.servers": self.cluster.bootstrap_servers,
                    "transactional.id": f"w{w}",
                    **self.producer_config,
                }
            )
        if p.transaction_state in ("Init", "WaitPID"):
            try:
                p.init_transactions()
            except KafkaException as e:
                self._writer_failed(w, e)
                return None
        return p

    def _writer_failed(self, w: int, e: KafkaException) -> None:
        """A fatal error ends the instance (the next operation starts a new one); an abortable
        one is left for the next commit or abort; a retriable one is simply retried later."""
        if e.args[0].fatal():
            self.writers[w] = None

    def _client_id(self, target: str) -> str | None:
        if target == "pipeline":
            return self.pipeline.producer.client_id if self.pipeline.alive else None
        if target == "idempotent":
            return self.idempotent.client_id
        p = self.writers[int(target[1])]
        return p.client_id if p is not None else None

    def _held_back(self, producer: Producer) -> bool:
        """Whether a TV2 producer must wait before its next transaction because its last one's
        markers are still on the way. A correct broker makes it wait (the first write is verified
        and answered CONCURRENT_TRANSACTIONS); eoslab lets the write join the old transaction
        (KNOWN_BUGS, first entry), so with `avoid_known_bugs` the schedule waits instead and can
        go on exploring."""
        if self.transaction_version < 2 or not self.avoid_known_bugs:
            return False
        ours = f"(pid {producer.producer_id}, epoch"
        return any(
            s.startswith("WriteTxnMarkers") and ours in s for s in self.cluster.pending_steps
        )

    @property
    def holes(self) -> list[str]:
        """The documented holes this schedule opened, where exactly-once may break (and the
        history checker must then say so):

        - TV1 (reference §3.9, §8 cause 1): the epoch is the same in every transaction, so a
          request held in the network and released after its producer moved on is taken as part
          of the transaction open now: a late EndTxn ends it, a late TxnOffsetCommit puts old
          offsets in it, a late AddPartitionsToTxn/AddOffsetsToTxn starts one, a late Produce
          that is no longer a known duplicate adds its records to it;
        - a marker delivered twice, whose late copy decides data of a later transaction: TV1
          cannot tell the transactions apart, and TV2 before KIP-1228 (4.2) accepts a marker
          whose epoch equals the data's (reference §3.7).
        """
        found = list(self.journal_watch.holes)
        if self.transaction_version < 2:
            found += [
                f"event {e.seq}: {e.actor}'s late {e.api} was taken into a later transaction"
                for e in self.cluster.journal
                if e.args.get("late")
                and e.ok
                and e.effects
                and not isinstance(e.effects[0], DuplicateBatch)
            ]
        return found

    # -- operations -----------------------------------------------------------------------------
    def apply(self, name: str, *args: Any) -> list[str]:
        """Run one operation, then check every step invariant; returns the violations (the
        cluster raising counts as one)."""
        self.trace.append(f"{name}{args!r}" if len(args) != 1 else f"{name}({args[0]!r})")
        return self._checked(lambda: getattr(self, f"op_{name}")(*args))

    def _checked(self, run: Callable[[], Any]) -> list[str]:
        try:
            run()
        except Exception as e:  # the simulator itself failed: the step invariants say why
            return [f"the cluster raised {type(e).__name__}: {e}", *self.check_step()]
        return self.check_step()

    def op_txn_write(self, w: int, topic: str, partition: int, count: int, flush: bool) -> None:
        p = self._writer(w)
        if p is None:
            return
        if p.transaction_state == "Ready" and self._held_back(p):
            return
        try:
            if p.transaction_state == "Ready":
                p.begin_transaction()
            for _ in range(count):
                p.produce(topic, value=self._value(f"w{w}"), partition=partition)
            if flush:
                p.flush()
        except KafkaException as e:
            self._writer_failed(w, e)

    def op_txn_commit(self, w: int) -> None:
        self._end(w, commit=True)

    def op_txn_abort(self, w: int) -> None:
        self._end(w, commit=False)

    def _end(self, w: int, commit: bool) -> None:
        p = self.writers[w]
        if p is None or p.transaction_state in ("Init", "WaitPID", "Ready"):
            return
        try:
            if commit and p.transaction_state != "AbortableError":
                p.commit_transaction()
            else:
                p.abort_transaction()
        except KafkaException as e:
            if e.args[0].txn_requires_abort():
                try:
                    p.abort_transaction()
                except KafkaException as again:
                    self._writer_failed(w, again)
            else:
                self._writer_failed(w, e)

    def op_crash_writer(self, w: int) -> None:
        p = self.writers[w]
        if p is not None:
            p.crash()
            self.writers[w] = None

    def op_new_writer_instance(self, w: int) -> None:
        """A second process with the same transactional.id; the first lives on as a zombie."""
        old = self.writers[w]
        if old is not None:
            self.zombies.append(old)
            self.writers[w] = None
        self._writer(w)

    def op_zombie_write(self, z: int, commit: bool) -> None:
        if not self.zombies:
            return
        p = self.zombies[z % len(self.zombies)]
        if p.transaction_state == "Ready" and self._held_back(p):
            return
        try:
            if p.transaction_state == "Ready":
                p.begin_transaction()
            p.produce("in", value=self._value("zombie"), partition=z % 2)
            p.flush()
            if commit:
                p.commit_transaction()
        except (KafkaException, RuntimeError):
            pass  # fenced, or in a state that refuses: what a zombie should get

    def op_idempotent_write(self, topic: str, partition: int, count: int) -> None:
        try:
            for _ in range(count):
                self.idempotent.produce(topic, value=self._value("i"), partition=partition)
            self.idempotent.flush()
        except KafkaException:
            self.idempotent = self._idempotent_producer()  # fatal: a new producer id

    def op_poll(self, r: int, count: int) -> None:
        self.readers[r].consume(count, 0)

    def op_restart_reader(self, r: int) -> None:
        self.readers[r].close()
        self.readers[r] = self._reader(r)

    def op_pipeline_step(self) -> None:
        self._pipeline_step()

    def op_pipeline_run(self) -> None:
        for _ in range(20):
            if not self._pipeline_step():
                break

    def _pipeline_step(self) -> bool:
        """One phase of the current pipeline process (a new one if it died)."""
        if not self.pipeline.alive:
            self.pipeline = self._new_pipeline()
        if self.pipeline.next_phase == "produce" and self._held_back(self.pipeline.producer):
            return False
        return self.pipeline.step()

    def op_pipeline_crash(self) -> None:
        self.pipeline.crash()

    def op_pipeline_new_instance(self) -> None:
        if self.pipeline.alive:
            self.zombie_pipelines.append(self.pipeline)
        self.pipeline = self._new_pipeline()

    def op_zombie_pipeline_step(self, z: int) -> None:
        if self.zombie_pipelines:
            zombie = self.zombie_pipelines[z % len(self.zombie_pipelines)]
            if not (zombie.next_phase == "produce" and self._held_back(zombie.producer)):
                zombie.step()

    def op_advance(self, ms: int) -> None:
        self.cluster.advance(ms)

    def op_restart_coordinator(self, keep_stale_markers: bool) -> None:
        self.cluster.restart_transaction_coordinator(keep_stale_markers)

    def op_delay(self, api: str, target: str) -> None:
        client_id = self._client_id(target)
        if client_id is not None:
            self.cluster.delay_request(api, client_id=client_id)

    def op_delay_end_txn(self, target: str) -> None:
        """Hold the next EndTxn: released after its producer moved on, it opens TV1's hole."""
        self.op_delay("EndTxn", target)

    def op_lose(self, api: str, target: str) -> None:
        client_id = self._client_id(target)
        if client_id is not None:
            self.cluster.lose_response(api, client_id=client_id)

    def op_release(self, i: int) -> None:
        held = self.cluster.held_requests
        if held:
            self.cluster.release_held(i % len(held))

    def op_step(self, i: int) -> None:
        pending = self.cluster.pending_steps
        if pending:
            self.cluster.step(i % len(pending))

    def op_duplicate_step(self, i: int) -> None:
        """A marker delivered twice (only markers travel the network; Complete records do not)."""
        markers = [
            j for j, s in enumerate(self.cluster.pending_steps) if s.startswith("WriteTxnMarkers")
        ]
        if markers:
            self.cluster.duplicate_step(markers[i % len(markers)])

    def op_run_pending(self) -> None:
        self.cluster.run_pending()

    # -- invariants -----------------------------------------------------------------------------
    def check_step(self) -> list[str]:
        """The invariants that must hold after every step."""
        c = self.cluster
        out = broker_step_violations(c, self.journal_watch)
        out += committed_offsets_follow_log(c)
        ops = self.history.ops
        polls = [op for op in ops[self.history_checked :] if op.kind == POLL]
        self.history_checked = len(ops)
        out += read_step_violations(c, self.journal_watch, polls)
        if not c.pending_steps:
            out += self._allow_holes(processed_once(c, "in", "out", PIPELINE_GROUP))
        self._classify(out)
        return out

    def _classify(self, violations: list[str]) -> None:
        for violation in violations:
            for phrase, test in KNOWN_BUGS.items():
                if phrase in violation and self.known_bug is None:
                    self.known_bug = test

    def _allow_holes(self, broken: list[str]) -> list[str]:
        """End-to-end breaks are violations, unless a documented hole explains them."""
        if broken and self.holes:
            self.hole_effects += broken
            return []
        return broken

    # -- the end of a run -----------------------------------------------------------------------
    def finish(self) -> list[str]:
        """Heal, drain, read everything back, then the end-of-run checks; returns violations."""
        c = self.cluster
        out = self._checked(lambda: c.set_pacing("auto"))
        if out:
            return out
        for w in range(len(self.writers)):
            if self.writers[w] is not None:
                self._end(w, commit=True)
        c.advance(2 * TXN_TIMEOUT_MS + 1_000)  # what is still open times out
        out += self.check_step()
        sentinel = Producer({"bootstrap.servers": c.bootstrap_servers})
        for topic in ("in", "t"):
            for p in range(2):
                sentinel.produce(topic, value=f"end-{topic}-{p}", partition=p)
        sentinel.flush()
        for _ in range(3):  # a pipeline fenced or timed out on the way is restarted
            if not self.pipeline.alive:
                self.pipeline = self._new_pipeline()
            self.pipeline.run()
            if self.pipeline.alive:
                break
        out += self.check_step()
        final = Consumer(
            {
                "bootstrap.servers": c.bootstrap_servers,
                "group.id": "final-reader",
                "isolation.level": "read_committed",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        final.assign([TopicPartition(t, p, 0) for t, n in TOPICS for p in range(n)])
        while final.consume(1000, 0):
            pass
        out += self.check_step()
        out += replay_matches(c)
        self.report = report = check(self.history, c)
        broken = processed_once(c, "in", "out", PIPELINE_GROUP)
        broken += client_fates_agree(report.analysis, LogReader(c))
        holes = self.holes
        if not holes:
            out += [b for b in broken if b not in out]
            if not report.valid:
                out.append(f"history checker: {report.verdict()}")
        elif broken:
            self.hole_effects += broken
            if report.valid:
                out.append(
                    f"{holes[0]}, which broke exactly-once ({broken[0]}), but the history "
                    f"checker says {report.verdict()}"
                )
        return out


def run_schedule(
    choose: Callable[[str, tuple[Any, ...]], Any],
    steps: int,
    transaction_version: int,
    pacing: str,
    seed: int = 0,
    avoid_known_bugs: bool = True,
) -> tuple[Workload, list[str]]:
    """One schedule of `steps` operations; `choose(name, choices)` picks names and arguments."""
    world = Workload(transaction_version, pacing, seed, avoid_known_bugs)
    names = tuple(OPERATIONS)
    for _ in range(steps):
        name = choose("operation", names)
        args = tuple(choose(name, choices) for choices in OPERATIONS[name])
        violations = world.apply(name, *args)
        if violations:
            return world, violations
    return world, world.finish()
