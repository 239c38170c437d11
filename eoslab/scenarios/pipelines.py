"""Consume-process-produce pipelines: at-most-once, at-least-once and exactly-once, with crash points.

The three differ only in when the consumer's offsets are committed (reference §5.6, §6):

- at-most-once: poll, commit the offsets, then produce. A crash after the commit loses the batch.
- at-least-once: poll, produce (and flush), then commit. A crash before the commit processes the
  batch again on restart: duplicates.
- exactly-once: poll, then in one transaction produce and `send_offsets_to_transaction`, then
  commit. A crash anywhere leaves an open transaction that the next instance's
  `init_transactions()` aborts (or the coordinator's timeout does), output and offsets together.

`step()` runs one phase (poll, produce, offsets, commit), so a test or a random schedule can put a
fault between any two; `run()` loops until the input is drained. `crash_at="after_<phase>"` kills
the process right after that phase, once. A crashed or fenced instance stays dead; `restarted()`
is the next process of the same application (same group, same transactional.id).

Every output record is keyed by its input (`eoslab.scenarios.lineage`), so the checker can tell an
input processed twice from two equal values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..broker import Cluster
from ..client import Consumer, KafkaException, Message, Producer, TopicPartition
from .lineage import lineage_key

AT_MOST_ONCE = "at-most-once"
AT_LEAST_ONCE = "at-least-once"
EXACTLY_ONCE = "exactly-once"
SEMANTICS = (AT_MOST_ONCE, AT_LEAST_ONCE, EXACTLY_ONCE)

# the phases of one batch, in the order each semantics runs them
PHASES = {
    AT_MOST_ONCE: ("poll", "offsets", "produce"),
    AT_LEAST_ONCE: ("poll", "produce", "offsets"),
    EXACTLY_ONCE: ("poll", "produce", "offsets", "commit"),
}
CRASH_POINTS = ("after_poll", "after_produce", "after_offsets", "after_commit")

# instance states
STARTING = "starting"  # exactly-once: init_transactions() has not succeeded yet
RUNNING = "running"
DEAD = "dead"  # crashed, or fenced: a new process must take over


def upper(value: bytes | None) -> bytes | None:
    """The default processing step: upper-case the value."""
    return None if value is None else value.upper()


class Pipeline:
    """One process of a consume-process-produce application. `producer_config` and
    `consumer_config` are laid over the settings the semantics needs (e.g. each client's
    client.id, so the journal and the views name them), and kept by `restarted()`."""

    def __init__(
        self,
        cluster: Cluster,
        semantics: str = EXACTLY_ONCE,
        source: str = "in",
        output: str = "out",
        group_id: str = "pipeline",
        transactional_id: str = "pipeline",
        batch_size: int = 2,
        crash_at: str | None = None,
        process: Callable[[bytes | None], bytes | None] = upper,
        producer_config: dict[str, Any] | None = None,
        consumer_config: dict[str, Any] | None = None,
    ) -> None:
        if semantics not in SEMANTICS:
            raise ValueError(f"semantics must be one of {SEMANTICS}, not {semantics!r}")
        if crash_at is not None and crash_at not in CRASH_POINTS:
            raise ValueError(f"crash_at must be one of {CRASH_POINTS}, not {crash_at!r}")
        self.cluster = cluster
        self.semantics = semantics
        self.source = source
        self.output = output
        self.group_id = group_id
        self.transactional_id = transactional_id
        self.batch_size = batch_size
        self.crash_at = crash_at
        self.process = process
        self.producer_config = dict(producer_config or {})
        self.consumer_config = dict(consumer_config or {})
        self.phases = PHASES[semantics]
        self.phase = 0  # index into self.phases
        self.batch: list[Message] = []
        self.processed = 0  # batches completed by this process
        self.aborting = False  # an abort_transaction() that has to be called again
        self.sent_offsets: list[TopicPartition] = []  # what the last offsets phase sent
        conf: dict[str, Any] = {"bootstrap.servers": cluster.bootstrap_servers}
        if semantics == EXACTLY_ONCE:
            conf["transactional.id"] = transactional_id
        else:
            conf["enable.idempotence"] = True
        self.producer = Producer({**conf, **self.producer_config})
        self.consumer = self._consumer()
        self.state = STARTING if semantics == EXACTLY_ONCE else RUNNING

    def _consumer(self) -> Consumer:
        c = Consumer(
            {
                "bootstrap.servers": self.cluster.bootstrap_servers,
                "group.id": self.group_id,
                "isolation.level": "read_committed",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                **self.consumer_config,
            }
        )
        partitions = len(self.cluster.topics[self.source].partitions)
        c.assign([TopicPartition(self.source, p) for p in range(partitions)])
        return c

    def restarted(self, **changes: Any) -> Pipeline:
        """The next process of this application: same group and transactional.id."""
        args = {
            "semantics": self.semantics,
            "source": self.source,
            "output": self.output,
            "group_id": self.group_id,
            "transactional_id": self.transactional_id,
            "batch_size": self.batch_size,
            "process": self.process,
            "producer_config": self.producer_config,
            "consumer_config": self.consumer_config,
            **changes,
        }
        return Pipeline(self.cluster, **args)

    @property
    def alive(self) -> bool:
        return self.state != DEAD

    @property
    def next_phase(self) -> str:
        return "init" if self.state == STARTING else self.phases[self.phase]

    # -- running --------------------------------------------------------------------------------
    def run(self, max_steps: int = 10_000) -> int:
        """Step until the input is drained (or the process dies); returns batches completed."""
        before = self.processed
        for _ in range(max_steps):
            if not self.step():
                break
        return self.processed - before

    def step(self) -> bool:
        """Run the next phase; False when there was nothing to do or the process is stuck/dead."""
        if self.state == DEAD:
            return False
        if self.aborting:
            return self._abort()
        try:
            if self.state == STARTING:
                self.producer.init_transactions()
                self.state = RUNNING
                return True
            name = self.phases[self.phase]
            if not getattr(self, f"_{name}")():
                return False
        except KafkaException as e:
            return self._failed(e)
        self.phase = (self.phase + 1) % len(self.phases)
        if self.phase == 0:
            self.processed += 1
            self.batch = []
        if self.crash_at == f"after_{name}":
            self.crash_at = None
            self.crash()
        return True

    def _poll(self) -> bool:
        self.batch = [m for m in self.consumer.consume(self.batch_size, 0) if m.error() is None]
        return bool(self.batch)

    def _produce(self) -> bool:
        if self.semantics == EXACTLY_ONCE and self.producer.transaction_state == "Ready":
            self.producer.begin_transaction()
        partitions = len(self.cluster.topics[self.output].partitions)
        for m in self.batch:
            self.producer.produce(
                self.output,
                key=lineage_key(m.topic(), m.partition(), m.offset()),
                value=self.process(m.value()),
                partition=m.partition() % partitions,
            )
        self.producer.flush()
        return True

    def _positions(self) -> list[TopicPartition]:
        """The consumer's position on each assigned partition: the next offset to read.

        The same value `commit()` with no arguments sends and lab 03 teaches: past a marker once
        a poll has stepped over it, so no "lag 1" (reference §5.5). Partitions with no position
        yet (-1001) have nothing to commit."""
        positions = self.consumer.position(self.consumer.assignment())
        return [tp for tp in positions if tp.offset >= 0]

    def _offsets(self) -> bool:
        self.sent_offsets = self._positions()
        if self.semantics == EXACTLY_ONCE:
            self.producer.send_offsets_to_transaction(
                self.sent_offsets, self.consumer.consumer_group_metadata()
            )
        else:
            self.consumer.commit(offsets=self.sent_offsets, asynchronous=False)
        return True

    def _commit(self) -> bool:
        self.producer.commit_transaction()
        return True

    def _failed(self, e: KafkaException) -> bool:
        """librdkafka's error classes decide: retry later, abort and rewind, or die."""
        error = e.args[0]
        if error.fatal():
            self.crash()
            return False
        if error.txn_requires_abort():
            self.aborting = True
            return self._abort()
        if self.semantics != EXACTLY_ONCE and self.next_phase == "offsets":
            self._rewind()  # the commit failed: process the batch again (at-least-once)
            return True
        return False  # retriable: the same phase runs again on the next step

    def _abort(self) -> bool:
        """abort_transaction(), then start over; retried on the next step if it must wait."""
        try:
            self.producer.abort_transaction()
        except KafkaException as e:
            if e.args[0].fatal():
                self.crash()
            return False
        self.aborting = False
        self._rewind()
        return True

    def _rewind(self) -> None:
        """Start the batch over from the committed offsets, with a fresh consumer."""
        self.consumer.close()
        self.consumer = self._consumer()
        self.phase = 0
        self.batch = []

    def crash(self) -> None:
        """The process dies here: nothing more is sent, the open transaction stays open."""
        if self.state == DEAD:
            return
        self.producer.crash()
        self.consumer.crash()
        self.state = DEAD
