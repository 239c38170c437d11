"""Deliberately wrong clients and sinks: a checker that never fails proves nothing.

Each one breaks exactly one rule, so a test can show the checker (or an invariant) catching it.
"""

from __future__ import annotations

from eoslab import Cluster
from eoslab.client import history_of
from eoslab.client.history import POLL
from eoslab.scenarios import AtomicSink
from eoslab.scenarios.sinks import Crashed


class LogDumpConsumer:
    """Reads the partition log itself, like `kafka-dump-log.sh`, and hands records to the
    application while claiming to be read_committed. The flags say which of the client's rules
    (reference §5.2) it forgets: return markers, return aborted data, return open data (past the
    LSO), report offsets shifted by some amount, drop some offsets."""

    def __init__(
        self,
        cluster: Cluster,
        markers: bool = False,
        aborted: bool = False,
        open_data: bool = False,
        shift: int = 0,
        drop: frozenset[int] = frozenset(),
        client_id: str = "wrong-consumer",
    ) -> None:
        self.cluster = cluster
        self.markers, self.aborted, self.open_data = markers, aborted, open_data
        self.shift, self.drop = shift, drop
        self.client_id = client_id
        self.history = history_of(cluster)

    def read(self, topic: str, partition: int) -> list[tuple[int, bytes | None]]:
        from eoslab.check.log_reader import ABORTED, MARKER, OPEN, fates

        p = self.cluster.partition(topic, partition)
        fate = fates(p.batches)
        out = []
        for batch in p.batches:
            for r in batch.records:
                kind = fate[r.offset]
                if r.offset >= p.high_watermark or r.offset in self.drop:
                    continue
                if (
                    (kind == MARKER and not self.markers)
                    or (kind == ABORTED and not self.aborted)
                    or (kind == OPEN and not self.open_data)
                ):
                    continue
                offset = r.offset + self.shift
                self.history.record(
                    self.cluster.now_ms,
                    self.client_id,
                    POLL,
                    topic=topic,
                    partition=partition,
                    offset=offset,
                    key=r.key,
                    value=r.value,
                    info={"group_id": "wrong", "isolation": "read_committed"},
                )
                out.append((offset, r.value))
        return out


class SplitOffsetsSink(AtomicSink):
    """Keeps its offsets in the database, but commits rows and offsets in two SQLite
    transactions: a crash in between keeps the rows and loses the offsets."""

    kind = "split"

    def write(self, messages, durable=None, crash_midway: bool = False) -> None:
        self.db.execute("BEGIN")
        actions = [self._write_row(m) for m in messages]
        self.db.execute("COMMIT")
        if durable is not None:
            durable(list(zip(messages, actions, strict=True)))
        if crash_midway:
            raise Crashed("the process died between the two SQLite transactions")
        self.db.execute("BEGIN")
        self._store_offsets(messages)
        self.db.execute("COMMIT")
