"""Sinks outside Kafka, in SQLite: where read_committed stops and the application's own job begins.

A Kafka transaction cannot include a database write, so exactly-once into an external system is up
to the sink (reference §5.6). Three sinks show the three answers:

- `NaiveSink`: write the rows, then commit the offsets to Kafka. A crash in between writes the
  batch again after the restart: at-least-once, duplicate rows.
- `IdempotentSink`: the same order, but each row is an upsert keyed by (topic, partition, offset),
  so writing a batch again overwrites the same rows: duplicates are absorbed.
- `AtomicSink`: the offsets live in the database, written in the same SQLite transaction as the
  rows, and a restarting task starts from the sink's offsets, not from Kafka's. This is the pattern
  the book credits to the HDFS connector, which keeps the offsets with the files it writes.

`SinkTask` is the consumer loop (Kafka Connect's name for it) with selectable crash points. The
database outlives the task: a crash kills the process, not the data.

Every row that became durable is written to the clients' history as a `sink` operation naming
its source record, with action "insert" (a new row) or "update" (an existing row rewritten), so
`eoslab.check` can count how often each input reached the sink.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from ..broker import Cluster
from ..client import Consumer, KafkaException, Message, TopicPartition, history_of
from ..client.history import SINK
from ..client.message import OFFSET_BEGINNING

INSERT = "insert"
UPDATE = "update"
SINK_CRASH_POINTS = ("after_poll", "mid_write", "after_write", "after_commit")


Durable = Callable[[list[tuple[Message, str]]], None] | None


class Crashed(Exception):
    """The task's process died in the middle of a call."""


class Sink:
    """A table of rows in an in-memory SQLite database (standard library)."""

    kind = "sink"
    commits_to_kafka = True  # offsets are committed to Kafka after the write
    keyed = False  # rows keyed by (topic, partition, offset): a rewrite updates in place

    def __init__(self, name: str | None = None) -> None:
        self.name = name or self.kind
        self.db = sqlite3.connect(":memory:", isolation_level=None)  # explicit BEGIN/COMMIT
        key = ", PRIMARY KEY (topic, partition, record_offset)" if self.keyed else ""
        self.db.execute(
            "CREATE TABLE rows (topic TEXT NOT NULL, partition INTEGER NOT NULL, "
            f"record_offset INTEGER NOT NULL, value BLOB{key})"
        )
        self.db.execute(
            "CREATE TABLE offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL, "
            "next_offset INTEGER NOT NULL, PRIMARY KEY (topic, partition))"
        )

    def write(
        self, messages: list[Message], durable: Durable = None, crash_midway: bool = False
    ) -> None:
        """Write the batch in one SQLite transaction; once it commits, `durable` is told each
        row and its action.

        `crash_midway`: the process dies after the rows and before the transaction commits, so
        SQLite rolls everything back."""
        self.db.execute("BEGIN")
        try:
            actions = [self._write_row(m) for m in messages]
            if crash_midway:
                raise Crashed("the process died inside the SQLite transaction")
            self._store_offsets(messages)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        if durable is not None:
            durable(list(zip(messages, actions, strict=True)))

    def _write_row(self, m: Message) -> str:
        self.db.execute(
            "INSERT INTO rows VALUES (?, ?, ?, ?)",
            (m.topic(), m.partition(), m.offset(), m.value()),
        )
        return INSERT

    def _store_offsets(self, messages: list[Message]) -> None:
        """Only the atomic sink keeps offsets; the others leave that to Kafka."""

    def rows(self) -> list[tuple[str, int, int, bytes | None]]:
        """(topic, partition, offset, value) of every row, in the order written."""
        return list(
            self.db.execute(
                "SELECT topic, partition, record_offset, value FROM rows ORDER BY rowid"
            )
        )

    def stored_offsets(self) -> dict[tuple[str, int], int]:
        """(topic, partition) -> next offset to read, as the sink itself stored it."""
        return {
            (t, p): o
            for t, p, o in self.db.execute("SELECT topic, partition, next_offset FROM offsets")
        }


class NaiveSink(Sink):
    """Insert rows, then commit offsets to Kafka: a crash in between duplicates the batch."""

    kind = "naive"


class IdempotentSink(Sink):
    """Upsert keyed by (topic, partition, offset): writing a batch again changes nothing."""

    kind = "idempotent"
    keyed = True

    def _write_row(self, m: Message) -> str:
        key = (m.topic(), m.partition(), m.offset())
        exists = self.db.execute(
            "SELECT 1 FROM rows WHERE topic = ? AND partition = ? AND record_offset = ?", key
        ).fetchone()
        self.db.execute(
            "INSERT INTO rows VALUES (?, ?, ?, ?) ON CONFLICT (topic, partition, record_offset) "
            "DO UPDATE SET value = excluded.value",
            (*key, m.value()),
        )
        return UPDATE if exists else INSERT


class AtomicSink(Sink):
    """Rows and offsets in one SQLite transaction; the task restarts from these offsets."""

    kind = "atomic"
    commits_to_kafka = False

    def _store_offsets(self, messages: list[Message]) -> None:
        upto: dict[tuple[str, int], int] = {}
        for m in messages:
            tp = (m.topic(), m.partition())
            upto[tp] = max(upto.get(tp, 0), m.offset() + 1)
        self.db.executemany(
            "INSERT INTO offsets VALUES (?, ?, ?) ON CONFLICT (topic, partition) "
            "DO UPDATE SET next_offset = excluded.next_offset",
            [(t, p, o) for (t, p), o in upto.items()],
        )


class SinkTask:
    """One process of a consumer that writes a topic into a sink: poll, write, commit offsets.

    `step()` runs one phase, `run()` until the topic is drained; `crash_at` kills the process at
    one of SINK_CRASH_POINTS, once. `restarted()` is the next process: it starts from the sink's
    own offsets if the sink keeps them, else from the group's committed offsets in Kafka."""

    def __init__(
        self,
        cluster: Cluster,
        sink: Sink,
        topic: str = "in",
        group_id: str | None = None,
        batch_size: int = 2,
        crash_at: str | None = None,
    ) -> None:
        if crash_at is not None and crash_at not in SINK_CRASH_POINTS:
            raise ValueError(f"crash_at must be one of {SINK_CRASH_POINTS}, not {crash_at!r}")
        self.cluster = cluster
        self.sink = sink
        self.topic = topic
        self.group_id = group_id or f"sink-{sink.name}"
        self.batch_size = batch_size
        self.crash_at = crash_at
        self.history = history_of(cluster)
        self.batch: list[Message] = []
        self.phase = "poll"
        self.alive = True
        self.consumer = Consumer(
            {
                "bootstrap.servers": cluster.bootstrap_servers,
                "group.id": self.group_id,
                "isolation.level": "read_committed",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        stored = sink.stored_offsets()
        start = []
        for p in range(len(cluster.topics[topic].partitions)):
            if sink.commits_to_kafka:
                start.append(TopicPartition(topic, p))  # the group's committed offset
            else:
                start.append(TopicPartition(topic, p, stored.get((topic, p), OFFSET_BEGINNING)))
        self.consumer.assign(start)

    def restarted(self, crash_at: str | None = None) -> SinkTask:
        return SinkTask(
            self.cluster, self.sink, self.topic, self.group_id, self.batch_size, crash_at
        )

    def run(self, max_steps: int = 10_000) -> None:
        for _ in range(max_steps):
            if not self.step():
                return

    def step(self) -> bool:
        """Run the next phase; False when idle or dead."""
        if not self.alive:
            return False
        phase = self.phase
        if phase == "poll":
            self.batch = [m for m in self.consumer.consume(self.batch_size, 0) if m.error() is None]
            if not self.batch:
                return False
            self.phase = "write"
        elif phase == "write":
            try:
                self.sink.write(
                    self.batch, self._durable, crash_midway=self.crash_at == "mid_write"
                )
            except Crashed:
                self.crash()
                return True
            self.phase = "commit" if self.sink.commits_to_kafka else "poll"
        else:
            try:
                self.consumer.commit(offsets=self._positions(), asynchronous=False)
            except KafkaException:
                return False
            self.phase = "poll"
        if self.crash_at == f"after_{phase}":
            self.crash()
        return True

    def _positions(self) -> list[TopicPartition]:
        """The consumer's position on each assigned partition, as `commit()` sends it (lab 03's
        convention: past a marker once a poll has stepped over it, reference §5.5)."""
        positions = self.consumer.position(self.consumer.assignment())
        return [tp for tp in positions if tp.offset >= 0]

    def _durable(self, rows: list[tuple[Message, str]]) -> None:
        """Rows the database now holds for good: one `sink` operation each in the history."""
        if not self.history.recording:
            return
        for m, action in rows:
            info: dict[str, Any] = {"sink": self.sink.name, "action": action}
            self.history.record(
                self.cluster.now_ms,
                self.consumer.client_id,
                SINK,
                topic=m.topic(),
                partition=m.partition(),
                offset=m.offset(),
                value=m.value(),
                info=info,
            )

    def crash(self) -> None:
        if self.alive:
            self.consumer.crash()
            self.alive = False
