"""Broker invariants: what must hold of the logs, the journal and the coordinators at every step.

Each function returns a list of violations, one sentence each, empty when the invariant holds.
They read the broker's own records (partition logs, `__consumer_offsets`, the journal) and never
the clients' history; `end_to_end.py` compares the two. The watches are incremental: they remember
how far into the journal they have read, so checking after every step of a long schedule stays
linear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..broker.effects import APPENDS, DuplicateBatch, MarkersStopped, TransactionStateWritten
from ..broker.internal_topics import CONSUMER_OFFSETS_TOPIC
from ..broker.offsets_log import OffsetCommitKey, decode_key, decode_offset_commit_value
from ..broker.records import ControlRecordType
from .log_reader import keyed_records

CONSUMER_OFFSETS = CONSUMER_OFFSETS_TOPIC


def _partitions(cluster: Any) -> list[Any]:
    return [p for topic in cluster.topics.values() for p in topic.partitions]


def lso_within_hw(cluster: Any) -> list[str]:
    """LSO <= HW <= LEO on every partition (reference §4.2)."""
    out = []
    for p in _partitions(cluster):
        lso, hw, leo = p.last_stable_offset, p.high_watermark, p.log_end_offset
        if not lso <= hw <= leo:
            out.append(f"{p.name}: LSO {lso}, HW {hw}, LEO {leo} (must be LSO <= HW <= LEO)")
    return out


def dense_offsets(cluster: Any) -> list[str]:
    """Every offset from the log start to the LEO is taken exactly once, in order."""
    out = []
    for p in _partitions(cluster):
        expected = p.log_start_offset
        for batch in p.batches:
            if batch.base_offset != expected:
                what = "a gap" if batch.base_offset > expected else "an overlap"
                out.append(
                    f"{p.name}: batch at offset {batch.base_offset} where {expected} was next "
                    f"({what})"
                )
            # a placed batch's records take their offsets from it (base offset + index); only a
            # batch put in the log by hand can still hold records with offsets of their own
            for i, r in enumerate(batch.writer_records or ()):
                if r.offset != batch.base_offset + i:
                    out.append(
                        f"{p.name}: record {i} of the batch at {batch.base_offset} has offset "
                        f"{r.offset}"
                    )
                    break
            expected = batch.next_offset
        if expected != p.log_end_offset:
            out.append(f"{p.name}: LEO {p.log_end_offset}, but the last batch ends at {expected}")
    return out


def committed_offsets_follow_log(cluster: Any) -> list[str]:
    """Committed offsets move only by offset commits and committed transactions (reference §6.1).

    `__consumer_offsets` is replayed here from scratch: a plain commit counts at once; a commit
    inside a transaction counts when its producer's COMMIT marker arrives, unless a newer commit
    (a later position in the log) already counts; an ABORT discards it. The group coordinator
    must hold exactly the result."""
    topic = cluster.topics.get(CONSUMER_OFFSETS)
    expected: dict[tuple[str, str, int], tuple[int, int]] = {}
    if topic is not None:
        for p in topic.partitions:
            pending: dict[int, dict[tuple[str, str, int], tuple[int, int]]] = {}
            for batch in p.batches:
                if batch.is_control:
                    entries = pending.pop(batch.producer_id, {})
                    if batch.control_type == ControlRecordType.COMMIT:
                        for key, (offset, at) in entries.items():
                            current = expected.get(key)
                            if current is None or current[1] < at:
                                expected[key] = (offset, at)
                    continue
                for at, raw_key, raw_value in keyed_records(batch):
                    key = decode_key(raw_key)
                    if not isinstance(key, OffsetCommitKey):
                        continue  # group metadata
                    value = decode_offset_commit_value(raw_value)
                    k = (key.group, key.topic, key.partition)
                    if batch.is_transactional:
                        if value is not None:
                            pending.setdefault(batch.producer_id, {})[k] = (value.offset, at)
                    elif value is None:
                        expected.pop(k, None)
                    else:
                        expected[k] = (value.offset, at)
    actual = {
        (group, tp[0], tp[1]): c.offset
        for group, offsets in cluster.group_coordinator.offsets.items()
        for tp, c in offsets.items()
    }
    out = []
    for key in sorted(set(actual) | set(expected)):
        want = expected[key][0] if key in expected else None
        have = actual.get(key)
        if want != have:
            out.append(
                f"group {key[0]} {key[1]}-{key[2]}: the coordinator says committed {have}, "
                f"{CONSUMER_OFFSETS} says {want}"
            )
    return out


@dataclass
class _Prepared:
    transactional_id: str
    producer_id: int
    epoch: int
    result: str  # COMMIT or ABORT
    partitions: set[str]
    event: int
    landed: set[str] = field(default_factory=set)
    completed: bool = False


class JournalWatch:
    """Invariants read from the journal, event by event, as far as it has grown.

    - A fenced producer never appends (reference §2.3, §7): a partition never accepts a batch of
      a producer id with an epoch below one it already holds for that id (data or marker). The
      leader learns of a fence only from the fence's marker, so a zombie can still append between
      the coordinator's fence (a new instance's InitProducerId, an abort that bumps the epoch)
      and that marker; such writes must then never become visible: `fenced_writes_visible`
      checks that none of them is committed. (A TV2 commit bumps the epoch too, but it fences
      nobody: a late request of the committing transaction that lands before its marker belongs
      to it, in Kafka as here.)
    - One transaction, one epoch (reference §3.8): a partition adds a batch to a producer's open
      transaction only if it carries that transaction's epoch. A batch with a newer epoch (TV2
      bumps it at every commit) belongs to a newer transaction, which the leader must verify
      with the coordinator first (Kafka's `UnifiedLog.hasOngoingTransaction(pid, epoch)`), so it
      can never be decided by the older transaction's marker.
    - A transaction is decided the same way everywhere (reference §3.6): every marker the
      coordinator writes matches a PrepareCommit/PrepareAbort record (same producer id, epoch and
      result, naming the marker's partition), and no transaction is completed
      (CompleteCommit/CompleteAbort) before a marker landed on each of its partitions. So once
      the markers land it is visible on all its partitions or on none.
    """

    def __init__(self) -> None:
        self.position = 0
        self.epochs: dict[int, int] = {}  # producer id -> the epoch that fenced the ones below
        self.partition_epochs: dict[tuple[str, int], int] = {}  # (partition, pid) -> epoch
        self.open_epochs: dict[tuple[str, int], int] = {}  # epoch of the open transaction
        self.prepared: dict[int, list[_Prepared]] = {}  # producer id -> its Prepare records
        self.open_data: dict[tuple[str, int], list[int]] = {}  # events of undecided data
        # documented holes (reference §3.7, KIP-1228): a marker delivered twice whose second copy
        # decided a later transaction's data, which Kafka before 4.2 (and TV1 always) accepts
        self.holes: list[str] = []
        self.stale_stops: dict[int, str] = {}  # pid -> a rejected marker of an older transaction
        # appends below the coordinator's epoch: (event, partition, first, last, pid, epoch, fence)
        self.fenced_writes: list[tuple[int, str, int, int, int, int, int]] = []

    def scan(self, journal: Any) -> list[str]:
        out: list[str] = []
        for i in range(self.position, len(journal)):
            event = journal[i]
            self._event(event, out)
        self.position = len(journal)
        return out

    def fenced_writes_visible(self, log: Any) -> list[str]:
        """Writes a fenced producer got in before the fence's marker, now committed."""
        out = []
        for seq, partition, first, last, pid, epoch, fence in self.fenced_writes:
            topic, _, index = partition.rpartition("-")
            for offset in range(first, last + 1):
                if log.fate(topic, int(index), offset) == "committed":
                    out.append(
                        f"event {seq}: {partition}@{offset} was appended by pid {pid} at epoch "
                        f"{epoch}, which epoch {fence} had fenced, and it is committed"
                    )
        return out

    def _event(self, event: Any, out: list[str]) -> None:
        args = event.args
        for effect in event.effects:
            if isinstance(effect, TransactionStateWritten):
                tid, state = effect.transactional_id, effect.state
                pid, epoch = effect.producer_id, effect.producer_epoch
                if state in ("Empty", "PrepareAbort", "CompleteAbort"):
                    self.epochs[pid] = max(self.epochs.get(pid, epoch), epoch)
                if state in ("PrepareCommit", "PrepareAbort"):
                    self.prepared.setdefault(pid, []).append(
                        _Prepared(
                            tid,
                            pid,
                            epoch,
                            "COMMIT" if state == "PrepareCommit" else "ABORT",
                            set(effect.partitions),
                            event.seq,
                        )
                    )
                elif state in ("CompleteCommit", "CompleteAbort"):
                    self._completed(pid, state, event, out)
        if event.api in ("Produce", "TxnOffsetCommit") and self._appended(event):
            pid, epoch = args.get("producer_id", -1), args.get("producer_epoch", -1)
            transactional = event.api == "TxnOffsetCommit" or bool(args.get("transactional"))
            for effect in event.effects:
                if isinstance(effect, APPENDS):
                    partition, first, last = (
                        effect.partition,
                        effect.first_offset,
                        effect.last_offset,
                    )
                    self._append(event, partition, first, last, pid, epoch, out)
                    if transactional:
                        self._join(event, partition, first, last, pid, epoch, out)
                        self.open_data.setdefault((partition, pid), []).append(event.seq)
        elif event.api == "WriteTxnMarkers" and event.ok:
            pid, partition = args["producer_id"], args["partition"]
            key = (partition, pid)
            self.open_epochs.pop(key, None)
            if event.actor != "txn-coordinator":
                self.open_data.pop(key, None)
            self.partition_epochs[key] = max(
                self.partition_epochs.get(key, args["producer_epoch"]), args["producer_epoch"]
            )
            if event.actor == "txn-coordinator":
                self._marker(event, out)
        elif event.api == "WriteTxnMarkers" and any(
            isinstance(e, MarkersStopped) for e in event.effects
        ):
            self._stopped(event, out)

    def _append(
        self,
        event: Any,
        partition: str,
        first: int,
        last: int,
        pid: int,
        epoch: int,
        out: list[str],
    ) -> None:
        if pid < 0:
            return
        key = (partition, pid)
        held = self.partition_epochs.get(key)
        if held is not None and epoch < held:
            out.append(
                f"event {event.seq}: {partition} accepted offsets {first}..{last} from pid {pid} "
                f"at epoch {epoch}, though it already held epoch {held} for that producer id"
            )
        self.partition_epochs[key] = max(held if held is not None else epoch, epoch)
        fence = self.epochs.get(pid)
        if fence is not None and epoch < fence:
            self.fenced_writes.append((event.seq, partition, first, last, pid, epoch, fence))

    def _join(
        self,
        event: Any,
        partition: str,
        first: int,
        last: int,
        pid: int,
        epoch: int,
        out: list[str],
    ) -> None:
        key = (partition, pid)
        open_epoch = self.open_epochs.setdefault(key, epoch)
        if open_epoch != epoch:
            out.append(
                f"event {event.seq}: {partition} added offsets {first}..{last} of pid {pid} "
                f"epoch {epoch} to the transaction it holds open at epoch {open_epoch}: its "
                "marker will decide them too (one transaction, one epoch)"
            )

    @staticmethod
    def _appended(event: Any) -> bool:
        if not event.ok:
            return False
        return not any(isinstance(e, DuplicateBatch) for e in event.effects)

    def _marker(self, event: Any, out: list[str]) -> None:
        """Match a marker to the latest Prepare record of the same producer id, epoch and
        result that names its partition; a second copy that decides data written since the first
        one landed is a documented hole, not a violation (see `holes`)."""
        args = event.args
        pid, partition, result = args["producer_id"], args["partition"], args["result"]
        epoch = args["producer_epoch"]
        data = self.open_data.pop((partition, pid), [])
        prepares = self.prepared.get(pid, [])
        matches = [
            t
            for t in prepares
            if (t.epoch, t.result) == (epoch, result) and partition in t.partitions
        ]
        if not matches:
            latest = (
                f" (the latest: {prepares[-1].transactional_id} {prepares[-1].result} at epoch "
                f"{prepares[-1].epoch} on {', '.join(sorted(prepares[-1].partitions))}, "
                f"event {prepares[-1].event})"
                if prepares
                else ""
            )
            out.append(
                f"event {event.seq}: {result} marker on {partition} for pid {pid} at epoch "
                f"{epoch} matches no transaction the coordinator prepared{latest}"
            )
            return
        txn = matches[-1]
        current = prepares[-1]
        if (
            txn is not current
            and not current.completed
            and partition in current.partitions
            and partition not in current.landed
        ):
            out.append(
                f"event {event.seq}: a late copy of {txn.transactional_id}'s {result} marker "
                f"(prepared at event {txn.event}) landed on {partition}, where the transaction "
                f"prepared at event {current.event} still waits for its own (a stale marker "
                "counted for the transaction in flight)"
            )
        if partition in txn.landed and data:
            self.holes.append(
                f"event {event.seq}: a second {result} marker of {txn.transactional_id}'s "
                f"transaction (prepared at event {txn.event}) decided what pid {pid} wrote to "
                f"{partition} after the first one (event {', '.join(map(str, data))})"
            )
        txn.landed.add(partition)

    def _stopped(self, event: Any, out: list[str]) -> None:
        """A rejected marker stops the coordinator sending markers for its own transaction
        (reference §3.7). Remember rejections of a marker from an older transaction than the one
        in flight: if that one is then stranded, the rejection stopped the wrong transaction."""
        args = event.args
        pid, epoch, result = args["producer_id"], args["producer_epoch"], args["result"]
        prepares = self.prepared.get(pid)
        if prepares and (prepares[-1].epoch, prepares[-1].result) != (epoch, result):
            self.stale_stops[pid] = (
                f"event {event.seq} rejected the {result} marker of pid {pid} at epoch {epoch}, "
                f"older than {prepares[-1].transactional_id}'s transaction in flight"
            )

    def _completed(self, pid: int, state: str, event: Any, out: list[str]) -> None:
        prepares = self.prepared.get(pid)
        if not prepares:
            return
        txn = prepares[-1]
        txn.completed = True
        missing = sorted(txn.partitions - txn.landed)
        if missing:
            out.append(
                f"event {event.seq}: {txn.transactional_id} {state} with no marker yet on "
                f"{', '.join(missing)}"
            )


def prepared_transactions_progress(cluster: Any, watch: JournalWatch | None = None) -> list[str]:
    """A transaction in PrepareCommit/PrepareAbort always has its markers, or its Complete
    record, still queued: nothing but a dropped step or a coordinator that gave up leaves it
    there (reference §3.6, §3.7). `watch` names the cause when a rejected stale marker did."""
    pending = cluster.pending_steps
    out = []
    for tid, m in sorted(cluster.txn_coordinator.transactions.items()):
        state = m.state.name
        if state not in ("PrepareCommit", "PrepareAbort"):
            continue
        ours = f"(pid {m.producer_id}, epoch {m.producer_epoch})"
        if any(ours in step or step.startswith(f"{tid}: write") for step in pending):
            continue
        cause = watch.stale_stops.get(m.producer_id) if watch is not None else None
        out.append(
            f"{tid} is stranded in {state} at epoch {m.producer_epoch}: no marker or Complete "
            "record is left to send"
            + (f"; {cause} (a stale marker stopped the transaction in flight)" if cause else "")
        )
    return out


def replay_matches(cluster: Any) -> list[str]:
    """Replaying the recorded requests into a fresh cluster rebuilds the same journal, logs,
    coordinator state and committed offsets (DESIGN: same script and seed, same journal)."""
    copy = cluster.replay()
    out = []
    mine, theirs = cluster.journal.lines(), copy.journal.lines()
    for i, (a, b) in enumerate(zip(mine, theirs, strict=False)):
        if a != b:
            out.append(f"journal event {i} differs on replay: {a!r} became {b!r}")
            break
    if len(mine) != len(theirs):
        out.append(f"the journal has {len(mine)} events, its replay {len(theirs)}")
    for p in _partitions(cluster):
        q = copy.topics[p.topic].partitions[p.index] if p.topic in copy.topics else None
        if q is None:
            out.append(f"{p.name} is missing from the replay")
            continue
        if (p.log_end_offset, p.high_watermark, p.last_stable_offset) != (
            q.log_end_offset,
            q.high_watermark,
            q.last_stable_offset,
        ) or list(map(repr, p.batches)) != list(map(repr, q.batches)):
            out.append(f"{p.name}: the replay's log differs")
    state = _coordinator_state(cluster)
    if state != _coordinator_state(copy):
        out.append("the replay's transaction coordinator or committed offsets differ")
    return out


def _coordinator_state(cluster: Any) -> tuple:
    txns = tuple(
        (tid, m.producer_id, m.producer_epoch, m.state.name, tuple(sorted(m.topic_partitions)))
        for tid, m in sorted(cluster.txn_coordinator.transactions.items())
    )
    offsets = tuple(
        sorted(
            (group, tp, c.offset)
            for group, entries in cluster.group_coordinator.offsets.items()
            for tp, c in entries.items()
        )
    )
    return txns, offsets
