"""What a history says happened: each write with its outcome and transaction, each read, each
record processed into a downstream (a sink or a lineage-keyed output topic).

This is the checker's one pass over the history, in the spirit of Jepsen's "partial analysis":
every check below reads these tables instead of walking the raw operations again. Nothing here
looks at the broker; a history is what the applications saw, and an anomaly is a contradiction
between what one application was told and what another one saw.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..client.history import ACK, CRASH, POLL, SEND, SINK, TXN, History, Op
from ..scenarios.lineage import Source, parse_lineage

# a client transaction's fate, as its producer learnt it
COMMITTED = "committed"  # commit_transaction() returned
ABORTED = "aborted"  # abort_transaction() returned
UNKNOWN = "unknown"  # ended by a crash or a fatal error: the client never learnt the outcome
OPEN = "open"  # still running: no commit or abort attempted yet

READ_COMMITTED = "read_committed"
TopicPartition = tuple[str, int]


@dataclass(eq=False)
class ClientTxn:
    """One transaction as its producer saw it: from begin_transaction() to its fate."""

    client_id: str
    number: int  # 1, 2, ... per producer instance
    transactional_id: str
    begin_index: int
    end_indexes: list[int] = field(default_factory=list)  # every commit/abort attempt
    decided_index: int | None = None  # the commit or abort that returned without error
    fate: str = OPEN
    crashed_index: int | None = None  # its producer crashed while it was open
    writes: list[Write] = field(default_factory=list)

    @property
    def first_end_index(self) -> int | None:
        return self.end_indexes[0] if self.end_indexes else None

    @property
    def label(self) -> str:
        return f"{self.client_id} transaction {self.number} ({self.transactional_id})"


@dataclass(eq=False)
class Write:
    """One produce() call: the record, its delivery report, and its transaction (if any)."""

    send: Op
    txn: ClientTxn | None
    ack: Op | None = None

    @property
    def acked(self) -> bool:
        """The delivery report gave an offset."""
        return self.ack is not None and self.ack.error is None

    @property
    def offset(self) -> int | None:
        return self.ack.offset if self.acked else None

    @property
    def committed(self) -> bool:
        """Acknowledged, and (if transactional) its producer committed the transaction."""
        return self.acked and (self.txn is None or self.txn.fate == COMMITTED)

    @property
    def label(self) -> str:
        """Whose write it was: "producer-1", or "producer-1 transaction 2 (tx)"."""
        return self.txn.label if self.txn else self.send.client_id


@dataclass(frozen=True)
class Delivery:
    """An input record processed into a downstream: a sink row, or an output record whose
    lineage key names its input."""

    downstream: str  # "sink <name>" or "topic <name>"
    source: Source
    op: Op  # the sink operation, or the ack/poll that saw the output record
    where: str  # the output record's place: "out-0@4", or "insert at op 12" for a sink row
    inserted: bool  # a new output record or row (an update of an existing row is not)


class Analysis:
    """The tables every check reads, built in one pass over `history`."""

    def __init__(self, history: History | Iterable[Op], log: Any = None) -> None:
        self.ops: list[Op] = list(history)
        self.log = log  # a LogReader when the cluster is known: it tells markers from data
        self.writes: list[Write] = []
        self.txns: list[ClientTxn] = []
        self.polls: list[Op] = []
        self.isolation: dict[int, str] = {}  # poll index -> isolation level
        self.sink_ops: list[Op] = []
        self._polled: dict[tuple[str, int, int], bytes | None] | None = None
        queues: dict[tuple[str, str | None, int | None], deque[Write]] = defaultdict(deque)
        current: dict[str, ClientTxn | None] = {}
        numbers: dict[str, int] = defaultdict(int)
        for op in self.ops:
            kind = op.kind
            if kind == SEND:
                txn = current.get(op.client_id)
                w = Write(op, txn)
                self.writes.append(w)
                if txn is not None:
                    txn.writes.append(w)
                queues[op.client_id, op.topic, op.partition].append(w)
            elif kind == ACK:
                queue = queues[op.client_id, op.topic, op.partition]
                if queue:  # delivery reports come in send order, per partition
                    queue.popleft().ack = op
            elif kind == POLL:
                self.polls.append(op)
                self.isolation[op.index] = op.details.get("isolation", READ_COMMITTED)
            elif kind == TXN:
                self._txn_op(op, current, numbers)
            elif kind == CRASH:
                txn = current.pop(op.client_id, None)
                if txn is not None:
                    txn.fate = UNKNOWN
                    txn.crashed_index = op.index
            elif kind == SINK:
                self.sink_ops.append(op)
        for txn in self.txns:
            if txn.fate == OPEN and txn.end_indexes:
                txn.fate = UNKNOWN  # every attempt failed, fatally or never retried
        self.write_at: dict[tuple[str, int, int], Write] = {}
        self.writes_by_value: dict[tuple[str, int, bytes | None], list[Write]] = defaultdict(list)
        for w in self.writes:
            s = w.send
            if w.acked:
                self.write_at.setdefault((s.topic, s.partition, w.offset), w)
            self.writes_by_value[s.topic, s.partition, s.value].append(w)

    def _txn_op(
        self, op: Op, current: dict[str, ClientTxn | None], numbers: dict[str, int]
    ) -> None:
        details = op.details
        action = details.get("action")
        if action == "begin":
            if op.error is None:
                numbers[op.client_id] += 1
                txn = ClientTxn(
                    op.client_id,
                    numbers[op.client_id],
                    details.get("transactional_id", ""),
                    op.index,
                )
                self.txns.append(txn)
                current[op.client_id] = txn
            return
        if action not in ("commit", "abort"):
            return
        txn = current.get(op.client_id)
        if txn is None:
            return
        txn.end_indexes.append(op.index)
        if op.error is None:
            txn.fate = COMMITTED if action == "commit" else ABORTED
            txn.decided_index = op.index
            current[op.client_id] = None

    # -- lookups the checks share -----------------------------------------------------------------
    def writer_of(self, poll: Op) -> Write | None:
        """The write a consumer's record came from: the acknowledged write at that offset, else
        a write of the same value to that partition (its delivery report may have failed while
        the record still landed, e.g. a late request)."""
        w = self.write_at.get((poll.topic, poll.partition, poll.offset))
        if w is not None and w.send.value == poll.value and w.send.key == poll.key:
            return w
        candidates = self.writes_by_value.get((poll.topic, poll.partition, poll.value))
        if not candidates:
            return None
        unacked = [c for c in candidates if not c.acked]
        return (unacked or candidates)[0]

    def value_at(self, topic: str, partition: int, offset: int) -> bytes | None:
        """The value of a record as a producer's report or a consumer's poll showed it."""
        w = self.write_at.get((topic, partition, offset))
        if w is not None:
            return w.send.value
        if self._polled is None:
            self._polled = {(p.topic, p.partition, p.offset): p.value for p in self.polls}
        return self._polled.get((topic, partition, offset))

    def known_committed(self) -> dict[tuple[str, int], dict[int, tuple[Op, str]]]:
        """(topic, partition) -> {offset: (op, how we know)}: the records known to be committed,
        because they were acknowledged in a committed transaction (or outside any), or because a
        read_committed consumer returned them."""
        known: dict[tuple[str, int], dict[int, tuple[Op, str]]] = defaultdict(dict)
        for w in self.writes:
            if w.committed:
                how = f"acknowledged to {w.label}" + (", committed" if w.txn is not None else "")
                known[w.send.topic, w.send.partition].setdefault(w.offset, (w.ack, how))
        for p in self.polls:
            if self.read_committed(p):
                how = f"returned to read_committed {p.client_id}"
                known[p.topic, p.partition].setdefault(p.offset, (p, how))
        return known

    def read_committed(self, poll: Op) -> bool:
        return self.isolation.get(poll.index) == READ_COMMITTED

    def returned_a_marker(self, poll: Op) -> bool:
        """The poll returned an offset that holds a marker (known only with the cluster's log);
        such reads are control-record reads, and the other checks leave them out."""
        if self.log is None:
            return False
        held = self.log.record_at(poll.topic, poll.partition, poll.offset)
        return held is not None and held.control

    def deliveries(self) -> list[Delivery]:
        """Every input record processed into a downstream, once per output record or sink row."""
        out: list[Delivery] = []
        for op in self.sink_ops:
            details = op.details
            source = Source(op.topic or "", op.partition or 0, op.offset or 0)
            action = details.get("action", "insert")
            out.append(
                Delivery(
                    f"sink {details.get('sink', '?')}",
                    source,
                    op,
                    f"{action} at op {op.index}",
                    action == "insert",
                )
            )
        seen: set[tuple[str | None, int | None, int | None]] = set()
        observed = [w.ack for w in self.writes if w.committed] + [
            p for p in self.polls if self.read_committed(p)
        ]
        for op in sorted(observed, key=lambda o: o.index):
            assert op is not None
            source = parse_lineage(op.key)
            where = (op.topic, op.partition, op.offset)
            if source is None or where in seen:
                continue
            seen.add(where)
            out.append(
                Delivery(
                    f"topic {op.topic}", source, op, f"{op.topic}-{op.partition}@{op.offset}", True
                )
            )
        return out


def shown(value: bytes | None) -> str | None:
    """A record value as a learner reads it in a table."""
    return None if value is None else value.decode(errors="backslashreplace")
