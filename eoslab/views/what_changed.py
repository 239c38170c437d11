"""What one action changed: the dashboard's "what changed" line, from two states of the cluster.

A learner clicks produce and wants to see the effect without reading the whole log:
`t-0: +1 record at offset 3 · HW 3→4 · LSO 2 (held by tx-1) · consumer_rc t-0 position 1→2`.

`snapshot(cluster)` records the few numbers an action can move (each partition's LEO, HW and LSO,
each live consumer's position, each transactional id's state and epoch, each group's committed
offsets, the internal logs' ends, the pending steps); `what_changed(before, cluster)` compares that
with the cluster now and reads the records appended in between: data records with their offsets,
COMMIT/ABORT markers, and the coordinator's `__transaction_state` records, so a commit shows
`tx-1 Ongoing→PrepareCommit→CompleteCommit` even though it passed through PrepareCommit within the
one call. Both are pure reads; the result is typed changes, and `line()` puts them in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..i18n import tr
from .cluster_state import ClusterState
from .consumers import live_consumers
from .internal_topics import TRANSACTION_STATE, decode_txn_log

NO_POSITION = -1001  # librdkafka's RD_KAFKA_OFFSET_INVALID: no message returned yet
SEPARATOR = " \u00b7 "
ARROW = "\u2192"

TopicPartition = tuple[str, int]


@dataclass(frozen=True)
class PartitionOffsets:
    log_end_offset: int
    high_watermark: int
    last_stable_offset: int


@dataclass(frozen=True)
class Snapshot:
    """The numbers an action can move, read from a cluster at one moment."""

    partitions: Mapping[TopicPartition, PartitionOffsets]
    positions: Mapping[tuple[str, str, int], int]  # (client.id, topic, partition) -> position
    transactions: Mapping[str, tuple[str, int, int]]  # id -> (state, producer id, epoch)
    committed: Mapping[tuple[str, str, int], int]  # (group.id, topic, partition) -> offset
    internal_ends: Mapping[TopicPartition, int]  # __transaction_state partitions' LEO
    pending_steps: tuple[str, ...]
    journal_length: int


# -- the changes ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Appended:
    """Records written to a partition: data records and COMMIT/ABORT markers, with offsets."""

    topic: str
    partition: int
    data_offsets: tuple[int, ...]
    markers: tuple[tuple[int, str], ...]  # (offset, "COMMIT" | "ABORT")
    transactional: bool

    def __str__(self) -> str:
        parts = []
        if self.data_offsets:
            n, at = len(self.data_offsets), _offsets(self.data_offsets)
            if self.transactional:
                what = (
                    tr("+{n} transactional records at {offsets}", n=n, offsets=at)
                    if n > 1
                    else tr("+{n} transactional record at {offsets}", n=n, offsets=at)
                )
            else:
                what = (
                    tr("+{n} records at {offsets}", n=n, offsets=at)
                    if n > 1
                    else tr("+{n} record at {offsets}", n=n, offsets=at)
                )
            parts.append(what)
        for offset, kind in self.markers:
            parts.append(tr("{kind} marker at offset {offset}", kind=kind, offset=offset))
        return f"{self.topic}-{self.partition}: " + ", ".join(parts)


@dataclass(frozen=True)
class OffsetMoved:
    """HW or LSO of a partition moved; `held_by` names the open transaction holding the LSO."""

    topic: str
    partition: int
    name: str  # "HW" or "LSO"
    old: int
    new: int
    held_by: str | None = None

    def short(self) -> str:
        held = tr(" (held by {holder})", holder=self.held_by) if self.held_by else ""
        return f"{self.name} {self.old}{ARROW}{self.new}{held}"

    def __str__(self) -> str:
        return f"{self.topic}-{self.partition} {self.short()}"


@dataclass(frozen=True)
class LsoHeld:
    """The LSO did not move but stays below the HW: an open transaction holds it."""

    topic: str
    partition: int
    lso: int
    held_by: str

    def short(self) -> str:
        return tr("LSO {lso} (held by {holder})", lso=self.lso, holder=self.held_by)

    def __str__(self) -> str:
        return f"{self.topic}-{self.partition} {self.short()}"


@dataclass(frozen=True)
class PositionMoved:
    client: str
    topic: str
    partition: int
    old: int
    new: int

    def __str__(self) -> str:
        return (
            f"{self.client} {self.topic}-{self.partition} position "
            f"{_position(self.old)}{ARROW}{_position(self.new)}"
        )


@dataclass(frozen=True)
class TransactionChanged:
    """A transactional id's states as the coordinator wrote them, and its epoch."""

    transactional_id: str
    states: tuple[str, ...]  # first: the state before; then every state written
    old_epoch: int | None
    new_epoch: int | None

    def __str__(self) -> str:
        text = f"{self.transactional_id} {ARROW.join(self.states)}"
        if self.old_epoch != self.new_epoch and self.new_epoch is not None:
            old = tr("none") if self.old_epoch is None else str(self.old_epoch)
            text += tr(" (epoch {old}\u2192{new})", old=old, new=self.new_epoch)
        return text


@dataclass(frozen=True)
class OffsetCommitted:
    group: str
    topic: str
    partition: int
    old: int | None
    new: int | None

    def __str__(self) -> str:
        old = tr("none") if self.old is None else str(self.old)
        new = tr("none") if self.new is None else str(self.new)
        return tr(
            "group {group} committed {partition} {old}\u2192{new}",
            group=self.group,
            partition=f"{self.topic}-{self.partition}",
            old=old,
            new=new,
        )


@dataclass(frozen=True)
class PendingSteps:
    """Step pacing: the internal work waiting to be released changed; `next` is the first."""

    old: int
    new: int
    next: str | None = None

    def __str__(self) -> str:
        following = tr(" (next: {step})", step=self.next) if self.next else ""
        return tr(
            "pending steps {old}\u2192{new}{following}",
            old=self.old,
            new=self.new,
            following=following,
        )


Change = (
    Appended
    | OffsetMoved
    | LsoHeld
    | PositionMoved
    | TransactionChanged
    | OffsetCommitted
    | PendingSteps
)


# -- reading the cluster -------------------------------------------------------------------------
def snapshot(cluster: ClusterState) -> Snapshot:
    partitions: dict[TopicPartition, PartitionOffsets] = {}
    for name in cluster.list_topics():
        for p in cluster.topics[name].partitions:
            partitions[(name, p.index)] = PartitionOffsets(
                p.log_end_offset, p.high_watermark, p.last_stable_offset
            )
    positions: dict[tuple[str, str, int], int] = {}
    committed: dict[tuple[str, str, int], int] = {}
    for c in live_consumers(cluster):
        for tp in c.assignment():
            state = c.fetch_state(tp.topic, tp.partition)
            positions[(c.client_id, tp.topic, tp.partition)] = (
                state.app_position if state is not None else NO_POSITION
            )
    for group, offsets in getattr(cluster.group_coordinator, "offsets", {}).items():
        for (topic, index), entry in offsets.items():
            committed[(group, topic, index)] = entry.offset
    transactions = {
        tid: (m.state.name, m.producer_id, m.producer_epoch)
        for tid, m in cluster.txn_coordinator.transactions.items()
    }
    internal = cluster.topics.get(TRANSACTION_STATE)
    ends = (
        {}
        if internal is None
        else {(TRANSACTION_STATE, p.index): p.log_end_offset for p in internal.partitions}
    )
    return Snapshot(
        partitions,
        positions,
        transactions,
        committed,
        ends,
        tuple(cluster.pending_steps),
        len(cluster.journal),
    )


def what_changed(before: Snapshot, cluster: ClusterState) -> list[Change]:
    """The changes from `before` to the cluster now, in reading order: per partition the records
    appended, then HW and LSO; then transactions, committed offsets, positions, pending steps."""
    after = snapshot(cluster)
    changes: list[Change] = []
    holders = _lso_holders(cluster)
    for tp, now in after.partitions.items():
        was = before.partitions.get(tp, PartitionOffsets(0, 0, 0))
        if now.log_end_offset > was.log_end_offset:
            appended = _appended(cluster, tp, was.log_end_offset, now.log_end_offset)
            if appended is not None:
                changes.append(appended)
        holder = holders.get(tp)
        if now.high_watermark != was.high_watermark:
            changes.append(OffsetMoved(*tp, "HW", was.high_watermark, now.high_watermark))
        if now.last_stable_offset != was.last_stable_offset:
            changes.append(
                OffsetMoved(*tp, "LSO", was.last_stable_offset, now.last_stable_offset, holder)
            )
        elif holder is not None and now != was:
            changes.append(LsoHeld(*tp, now.last_stable_offset, holder))
    changes += _transactions(before, after, cluster)
    for key in sorted(set(before.committed) | set(after.committed)):
        old, new = before.committed.get(key), after.committed.get(key)
        if old != new:
            changes.append(OffsetCommitted(*key, old, new))
    for key, new in after.positions.items():
        old = before.positions.get(key, NO_POSITION)
        if old != new:
            changes.append(PositionMoved(*key, old, new))
    if after.pending_steps != before.pending_steps:
        following = after.pending_steps[0] if after.pending_steps else None
        changes.append(PendingSteps(len(before.pending_steps), len(after.pending_steps), following))
    return changes


def line(changes: Sequence[Change]) -> str:
    """The changes as one line of text; "no change in the cluster" when there are none."""
    if not changes:
        return tr("no change in the cluster")
    words = []
    for i, c in enumerate(changes):
        previous = changes[i - 1] if i else None
        same = (
            isinstance(c, OffsetMoved | LsoHeld)
            and isinstance(previous, Appended | OffsetMoved | LsoHeld)
            and (previous.topic, previous.partition) == (c.topic, c.partition)
        )
        words.append(c.short() if same else str(c))  # type: ignore[union-attr]
    return SEPARATOR.join(words)


# -- helpers -------------------------------------------------------------------------------------
def _appended(cluster: ClusterState, tp: TopicPartition, start: int, end: int) -> Appended | None:
    p = cluster.partition(*tp)
    data: list[int] = []
    markers: list[tuple[int, str]] = []
    transactional = False
    for batch in reversed(p.batches):  # the new batches are the last ones
        if batch.base_offset + len(batch.records) <= start:
            break
        if batch.is_control:
            kind = batch.control_type
            markers.append((batch.base_offset, getattr(kind, "name", str(kind))))
            continue
        transactional = transactional or batch.is_transactional
        data.extend(
            batch.base_offset + i
            for i in range(len(batch.records))
            if start <= batch.base_offset + i < end
        )
    if not data and not markers:
        return None
    return Appended(*tp, tuple(sorted(data)), tuple(sorted(markers)), transactional)


def _lso_holders(cluster: ClusterState) -> dict[TopicPartition, str]:
    """Which open transaction holds each partition's LSO below its HW (its transactional.id, or
    the producer id when the coordinator does not know it)."""
    by_pid = {m.producer_id: tid for tid, m in cluster.txn_coordinator.transactions.items()}
    holders: dict[TopicPartition, str] = {}
    for name in cluster.list_topics():
        for p in cluster.topics[name].partitions:
            lso = p.last_stable_offset
            if lso >= p.high_watermark:
                continue
            txn = p.producer_state.ongoing_txns.get(lso)
            if txn is None:
                continue
            holders[(name, p.index)] = by_pid.get(
                txn.producer_id, tr("producer id {pid}", pid=txn.producer_id)
            )
    return holders


def _transactions(
    before: Snapshot, after: Snapshot, cluster: ClusterState
) -> list[TransactionChanged]:
    """The states each transactional id went through: the `__transaction_state` records written
    since `before`, or, for a state kept only in memory, the state before and after."""
    written: dict[str, list[tuple[str, int | None]]] = {}
    topic = cluster.topics.get(TRANSACTION_STATE)
    if topic is not None:
        records = []
        for p in topic.partitions:
            start = before.internal_ends.get((TRANSACTION_STATE, p.index), 0)
            if p.log_end_offset <= start:
                continue
            for batch in reversed(p.batches):  # the new records are the last ones
                if batch.base_offset + len(batch.records) <= start:
                    break
                for i, r in enumerate(batch.records):
                    if batch.base_offset + i >= start:
                        records.append((r.timestamp, p.index, batch.base_offset + i, r))
        for _ts, _partition, _offset, r in sorted(records, key=lambda x: (x[0], x[1], x[2])):
            e = decode_txn_log(r.key, r.value)
            written.setdefault(e.transactional_id, []).append((e.state, e.producer_epoch))
    changes = []
    for tid in sorted(set(before.transactions) | set(after.transactions) | set(written)):
        old, new = before.transactions.get(tid), after.transactions.get(tid)
        states = [old[0] if old is not None else "new"]
        for state, _epoch in written.get(tid, []):
            if states[-1] != state:
                states.append(state)
        if new is not None and states[-1] != new[0]:
            states.append(new[0])
        old_epoch = old[2] if old is not None else None
        new_epoch = new[2] if new is not None else None
        if len(states) > 1 or old_epoch != new_epoch:
            changes.append(TransactionChanged(tid, tuple(states), old_epoch, new_epoch))
    return changes


def _offsets(offsets: Sequence[int]) -> str:
    if len(offsets) == 1:
        return tr("offset {offset}", offset=offsets[0])
    if list(offsets) == list(range(offsets[0], offsets[-1] + 1)):
        return tr("offsets {first}..{last}", first=offsets[0], last=offsets[-1])
    return tr("offsets {offsets}", offsets=", ".join(str(o) for o in offsets))


def _position(position: int) -> str:
    return tr("none") if position == NO_POSITION else str(position)


__all__ = ["Change", "Snapshot", "line", "snapshot", "what_changed"]
