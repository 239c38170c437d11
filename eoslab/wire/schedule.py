"""eoslab.check's randomized schedules, driven through the wire with real librdkafka clients.

`eoslab.check.schedule` interleaves the operations of a small world of Kafka applications with
eoslab's own clients; here the same kind of world talks to the served cluster (`WireServer`, the
server `eoslab serve` runs, with the manual clock so the schedule moves time) with confluent-kafka:

- two transactional writers (`w0`, `w1`) writing unique values to `in` and `t` (two partitions
  each), which commit, abort, crash (the application stops using the instance mid-transaction),
  or are replaced by a new instance with the same transactional.id, the old one living on as a
  zombie that keeps trying;
- an idempotent writer;
- four readers, read_committed and read_uncommitted on `in` and on `t`, restarted at random;
- the clock moved past the transaction timeout, so the coordinator aborts what is left open.

What every client did and saw is written into an `eoslab.client.history.History` in the shape
eoslab's own clients use, so the exactly-once checker (`eoslab.check.check`) reads it unchanged.
After every step the broker invariants of `eoslab.check.invariants` hold, and every record a
read_committed reader returned is committed in the log; at the end, every fate a writer was told
is the log's, the history checker finds exactly-once, and replaying the served run's requests
(clock advances included) rebuilds the same cluster.

`python -m eoslab.wire.schedule --schedules 500` is the soak; the tests run a handful.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from ..broker import Cluster
from ..check.analysis import READ_COMMITTED
from ..check.end_to_end import client_fates_agree
from ..check.invariants import JournalWatch, replay_matches
from ..check.log_reader import LogReader
from ..check.report import check
from ..check.schedule import (
    ADVANCES_MS,
    TXN_TIMEOUT_MS,
    WRITER_READERS,
    broker_step_violations,
    client_operations,
    read_step_violations,
)
from ..client.history import ACK, CRASH, POLL, SEND, TXN, History
from .server import WireServer

TOPICS = (("in", 2), ("t", 2))
CALL_TIMEOUT_S = 10.0
READERS = WRITER_READERS

OPERATIONS: dict[str, tuple[tuple[Any, ...], ...]] = {
    **client_operations(READERS),
    "advance": (ADVANCES_MS,),
}
WEIGHTS = {"txn_write": 6, "txn_commit": 4, "poll": 4, "idempotent_write": 2}


def _ck() -> Any:
    import confluent_kafka

    return confluent_kafka


def _error_name(e: BaseException) -> str:
    error = e.args[0] if e.args else None
    return error.name() if hasattr(error, "name") else type(e).__name__


class _Writer:
    """One producer instance and its place in the history."""

    def __init__(self, world: WireWorkload, name: str, transactional_id: str | None) -> None:
        self.world = world
        self.client_id = name
        self.transactional_id = transactional_id
        conf = {
            "bootstrap.servers": world.server.bootstrap_servers,
            "client.id": name,
            "linger.ms": 0,
            "retry.backoff.ms": 10,  # e.g. InitProducerId while the old transaction is aborted
            "log_level": 0,
            "error_cb": self._on_error,  # a fatal error (fenced) is learnt here, not raised
        }
        if transactional_id is not None:
            conf |= {"transactional.id": transactional_id, "transaction.timeout.ms": TXN_TIMEOUT_MS}
        else:
            conf["enable.idempotence"] = True
        self.producer = _ck().Producer(conf)
        self.initialized = transactional_id is None
        self.in_txn = False
        self.fatal = False

    def _on_error(self, error: Any) -> None:
        if error.fatal():
            self.fatal = True

    def txn(self, action: str, call: Callable[[], Any]) -> bool:
        """Run a transactional call and record it; False if it raised (the error is recorded)."""
        error = None
        try:
            call()
        except _ck().KafkaException as e:
            error = _error_name(e)
            kafka_error = e.args[0]
            if kafka_error.fatal():
                self.fatal = True
            elif action in ("commit", "abort") and kafka_error.txn_requires_abort():
                self.world.record(self.client_id, TXN, error=error, action=action, txn=self)
                return self.txn("abort", lambda: self.producer.abort_transaction(CALL_TIMEOUT_S))
        self.world.record(self.client_id, TXN, error=error, action=action, txn=self)
        if error is None:
            if action == "begin":
                self.in_txn = True
            elif action in ("commit", "abort"):
                self.in_txn = False
            elif action == "init":
                self.initialized = True
        return error is None

    def ready(self) -> bool:
        """Initialized (init_transactions) and not fatally failed."""
        if self.fatal:
            return False
        if not self.initialized:
            self.txn("init", lambda: self.producer.init_transactions(CALL_TIMEOUT_S))
        return self.initialized and not self.fatal

    def flush(self) -> None:
        """flush(), which raises a fatal error (fenced while adding the partition) instead of
        returning; confluent-kafka may then report it as a SystemError from the callback that
        ran with it pending."""
        try:
            self.producer.flush(CALL_TIMEOUT_S)
        except (_ck().KafkaException, SystemError) as e:
            cause = e if isinstance(e, _ck().KafkaException) else e.__cause__
            if cause is None or not isinstance(cause, _ck().KafkaException):
                raise
            if cause.args[0].fatal():
                self.fatal = True

    def send(self, topic: str, partition: int, value: str) -> None:
        world = self.world
        world.record(self.client_id, SEND, topic=topic, partition=partition, value=value.encode())

        def report(error: Any, msg: Any) -> None:
            world.record(
                self.client_id,
                ACK,
                topic=msg.topic(),
                partition=msg.partition(),
                offset=msg.offset() if error is None else -1,
                value=msg.value(),
                error=None if error is None else error.name(),
            )

        try:
            self.producer.produce(
                topic, value=value.encode(), partition=partition, on_delivery=report
            )
        except _ck().KafkaException as e:  # fenced before it was sent: reported as its ack
            if e.args[0].fatal():
                self.fatal = True
            world.record(
                self.client_id,
                ACK,
                topic=topic,
                partition=partition,
                offset=-1,
                value=value.encode(),
                error=_error_name(e),
            )


class _Reader:
    """A consumer assigned from offset 0, writing each record it returns into the history."""

    def __init__(
        self, world: WireWorkload, client_id: str, group_id: str, isolation: str, topics: list
    ) -> None:
        self.world = world
        self.client_id = client_id
        self.info = {"group_id": group_id, "isolation": isolation}
        self.consumer = _ck().Consumer(
            {
                "bootstrap.servers": world.server.bootstrap_servers,
                "client.id": client_id,
                "group.id": group_id,
                "isolation.level": isolation,
                "enable.auto.commit": False,
                "fetch.wait.max.ms": 20,
                "log_level": 0,
            }
        )
        self.tps = [(t, p) for t in topics for p in range(dict(TOPICS)[t])]
        self.consumer.assign([_ck().TopicPartition(t, p, 0) for t, p in self.tps])

    def positions(self) -> list[int]:
        tps = [_ck().TopicPartition(t, p) for t, p in self.tps]
        return [tp.offset for tp in self.consumer.position(tps)]

    def poll(self, count: int, timeout_s: float = 0.05) -> int:
        got = 0
        for _ in range(count):
            m = self.consumer.poll(timeout_s)
            if m is None:
                continue
            if m.error() is not None:
                continue  # e.g. partition EOF events are not records
            self.world.record(
                self.client_id,
                POLL,
                topic=m.topic(),
                partition=m.partition(),
                offset=m.offset(),
                key=m.key(),
                value=m.value(),
                info=self.info,
            )
            got += 1
        return got

    def close(self) -> None:
        self.consumer.close()


class WireWorkload:
    """The world a schedule acts on, served over the wire; see the module docstring."""

    def __init__(self, seed: int = 0, transaction_version: int = 1) -> None:
        config = {"transaction.version": 2} if transaction_version >= 2 else {}
        self.cluster = Cluster(seed=seed, config=config)
        self.cluster.create_topics([(name, n, 1) for name, n in TOPICS])
        self.server = WireServer(self.cluster, clock="manual", max_fetch_wait_ms=50).start()
        self.history = History()
        self.history.recording = True
        self.journal_watch = JournalWatch()
        self.history_checked = 0
        self.instances = [0, 0]
        self.writers: list[_Writer | None] = [None, None]
        self.zombies: list[_Writer] = []
        self.crashed: list[_Writer] = []
        self.idempotent = _Writer(self, "idempotent", None)
        self.reader_generations = [0] * len(READERS)
        self.readers = [self._reader(i) for i in range(len(READERS))]
        self.values = 0
        self.trace: list[str] = []
        self.report: Any = None

    # -- history ----------------------------------------------------------------------------------
    def record(
        self, client_id: str, kind: str, *, action: str | None = None, txn: Any = None, **fields
    ) -> None:
        info = fields.pop("info", None)
        if kind == TXN:
            info = {"action": action, "transactional_id": txn.transactional_id}
        self.history.record(self.cluster.now_ms, client_id, kind, info, **fields)

    def _reader(self, i: int) -> _Reader:
        isolation, topic = READERS[i]
        client_id = f"reader-{i}.{self.reader_generations[i]}"
        return _Reader(self, client_id, f"reader-{i}", isolation, [topic])

    def _value(self, who: str) -> str:
        self.values += 1
        return f"{who}-{self.values}"

    def _writer(self, w: int) -> _Writer | None:
        p = self.writers[w]
        if p is None:
            self.instances[w] += 1
            p = self.writers[w] = _Writer(self, f"w{w}.{self.instances[w]}", f"w{w}")
        if not p.ready():
            if p.fatal:
                self.writers[w] = None  # the next operation starts a new instance
            return None
        return p

    # -- operations -------------------------------------------------------------------------------
    def apply(self, name: str, *args: Any) -> list[str]:
        """Run one operation, then check the step invariants; returns the violations."""
        self.trace.append(f"{name}{args!r}")
        getattr(self, f"op_{name}")(*args)
        return self.check_step()

    def op_txn_write(self, w: int, topic: str, partition: int, count: int, flush: bool) -> None:
        p = self._writer(w)
        if p is None:
            return
        if not p.in_txn and not p.txn("begin", p.producer.begin_transaction):
            return
        for _ in range(count):
            p.send(topic, partition, self._value(p.client_id))
        if flush:
            p.flush()

    def op_txn_commit(self, w: int) -> None:
        self._end(w, commit=True)

    def op_txn_abort(self, w: int) -> None:
        self._end(w, commit=False)

    def _end(self, w: int, commit: bool) -> None:
        p = self.writers[w]
        if p is None or not p.in_txn or p.fatal:
            return
        if commit:
            p.txn("commit", lambda: p.producer.commit_transaction(CALL_TIMEOUT_S))
        else:
            p.txn("abort", lambda: p.producer.abort_transaction(CALL_TIMEOUT_S))
        if p.fatal:
            self.writers[w] = None

    def op_crash_writer(self, w: int) -> None:
        """The application dies: the instance is never used again (its open transaction is
        left to the coordinator's timeout or the next instance's fence)."""
        p = self.writers[w]
        if p is None:
            return
        self.record(p.client_id, CRASH)
        self.crashed.append(p)
        self.writers[w] = None

    def op_new_writer_instance(self, w: int) -> None:
        """A second instance with the same transactional.id; the old one becomes a zombie."""
        old = self.writers[w]
        self.writers[w] = None
        if old is not None and not old.fatal:
            self.zombies.append(old)
        self._writer(w)

    def op_zombie_write(self, z: int, commit: bool) -> None:
        if z >= len(self.zombies):
            return
        p = self.zombies[z]
        if p.fatal:
            return
        if not p.in_txn and not p.txn("begin", p.producer.begin_transaction):
            return
        p.send("t", 0, self._value(p.client_id))
        p.flush()
        if commit:
            p.txn("commit", lambda: p.producer.commit_transaction(CALL_TIMEOUT_S))
        else:
            p.txn("abort", lambda: p.producer.abort_transaction(CALL_TIMEOUT_S))

    def op_idempotent_write(self, topic: str, partition: int, count: int) -> None:
        p = self.idempotent
        for _ in range(count):
            p.send(topic, partition, self._value(p.client_id))
        p.flush()

    def op_poll(self, r: int, count: int) -> None:
        self.readers[r].poll(count)

    def op_restart_reader(self, r: int) -> None:
        self.readers[r].close()
        self.reader_generations[r] += 1
        self.readers[r] = self._reader(r)

    def op_advance(self, ms: int) -> None:
        self.server.advance(ms)

    # -- checks -----------------------------------------------------------------------------------
    def check_step(self) -> list[str]:
        c = self.cluster
        with self.server.lock:
            out = broker_step_violations(c, self.journal_watch)
            ops = self.history.ops
            polls = [op for op in ops[self.history_checked :] if op.kind == POLL]
            self.history_checked = len(ops)
            out += read_step_violations(c, self.journal_watch, polls)
        return out

    def finish(self) -> list[str]:
        """End what is open, let the coordinator time out the rest, read everything back with a
        read_committed consumer, then the end-of-run checks; returns the violations."""
        for w in range(len(self.writers)):
            self._end(w, commit=True)
        self.server.advance(2 * TXN_TIMEOUT_MS + 1_000)
        out = self.check_step()
        final = _Reader(self, "final-reader", "final", READ_COMMITTED, [t for t, _ in TOPICS])
        with self.server.lock:
            ends = [self.cluster.partition(t, p).last_stable_offset for t, p in final.tps]
        deadline = time.monotonic() + 4 * CALL_TIMEOUT_S
        while self._positions(final) != ends and time.monotonic() < deadline:
            final.poll(50, 0.02)
        if self._positions(final) != ends:
            out.append(f"the final reader stopped at {self._positions(final)}, not at {ends}")
        final.close()
        out += self.check_step()
        self.close()  # nothing may reach the cluster while its requests are replayed
        out += replay_matches(self.cluster)
        self.report = report = check(self.history, self.cluster)
        out += client_fates_agree(report.analysis, LogReader(self.cluster))
        if not report.valid:
            out.append(f"history checker: {report.verdict()}")
        return out

    @staticmethod
    def _positions(reader: _Reader) -> list[int]:
        """Where the reader stands; a partition it returned nothing from (position -1001,
        "invalid") stands at 0, where it was assigned."""
        return [max(p, 0) for p in reader.positions()]

    def close(self) -> None:
        for r in self.readers:
            r.close()
        self.readers = []
        self.server.stop()


def run_wire_schedule(
    seed: int, steps: int = 30, transaction_version: int = 1
) -> tuple[WireWorkload, list[str]]:
    """One schedule of `steps` operations picked by a seeded RNG (weights as the soak's)."""
    rng = random.Random(seed)
    world = WireWorkload(seed, transaction_version)
    names = list(OPERATIONS)
    weights = [WEIGHTS.get(n, 1) for n in names]
    try:
        for _ in range(steps):
            name = rng.choices(names, weights)[0]
            args = tuple(rng.choice(choices) for choices in OPERATIONS[name])
            violations = world.apply(name, *args)
            if violations:
                return world, violations
        return world, world.finish()
    finally:
        world.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eoslab.wire.schedule",
        description="Soak: randomized schedules over the wire with librdkafka clients.",
    )
    parser.add_argument("--schedules", type=int, default=100)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--transaction-version", type=int, choices=(1, 2), default=1)
    args = parser.parse_args(argv)
    failed = 0
    for seed in range(args.first_seed, args.first_seed + args.schedules):
        world, violations = run_wire_schedule(seed, args.steps, args.transaction_version)
        if violations:
            failed += 1
            print(f"seed {seed}: {violations[0]}\n  trace: {'; '.join(world.trace)}", flush=True)
    print(f"{args.schedules - failed}/{args.schedules} schedules exactly-once", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
