"""What a request or a coordinator step changed, as records the journal keeps.

Each effect carries the fields a program reads (the checker, the timelines, the dashboard) and
`str()` gives the sentence a person reads in the journal. Readers match on the type and read fields,
so rewording a sentence here changes what people see and nothing a program decides.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Effect:
    """Base of every effect; subclasses say how they read in `__str__`."""


@dataclass(frozen=True, slots=True)
class RecordsAppended(Effect):
    """A client batch landed on a partition's log (Produce)."""

    partition: str
    first_offset: int
    last_offset: int
    transactional: bool

    def __str__(self) -> str:
        tail = " (transactional)" if self.transactional else ""
        return f"{self.partition} offsets {self.first_offset}..{self.last_offset}{tail}"


@dataclass(frozen=True, slots=True)
class DuplicateBatch(Effect):
    """The producer state recognised a retried batch: it is answered, not appended again."""

    partition: str
    offset: int

    def __str__(self) -> str:
        return f"{self.partition}: duplicate of the batch at offset {self.offset}, nothing appended"


@dataclass(frozen=True, slots=True)
class VerificationFailed(Effect):
    """KIP-890 part 1: the coordinator did not know the partition in the transaction."""

    partition: str
    error: str

    def __str__(self) -> str:
        return f"{self.partition}: transaction verification failed, {self.error}"


@dataclass(frozen=True, slots=True)
class MarkerWritten(Effect):
    """A COMMIT or ABORT control batch appended by the partition leader (WriteTxnMarkers)."""

    partition: str
    offset: int
    result: str  # "COMMIT" or "ABORT"
    producer_id: int
    producer_epoch: int
    coordinator_epoch: int

    def __str__(self) -> str:
        return (
            f"{self.partition} offset {self.offset}: {self.result} marker (pid {self.producer_id}, "
            f"epoch {self.producer_epoch}, coordinator epoch {self.coordinator_epoch})"
        )


@dataclass(frozen=True, slots=True)
class MarkerRejected(Effect):
    partition: str
    result: str
    error: str

    def __str__(self) -> str:
        return f"{self.partition}: {self.result} marker rejected, {self.error}"


@dataclass(frozen=True, slots=True)
class MarkerSkipped(Effect):
    """The partition was deleted before its marker arrived."""

    partition: str

    def __str__(self) -> str:
        return f"{self.partition} no longer exists; marker skipped"


@dataclass(frozen=True, slots=True)
class MarkersStopped(Effect):
    """TransactionMarkerRequestCompletionHandler: a fencing error stops the remaining markers."""

    transactional_id: str
    error: str

    def __str__(self) -> str:
        return f"{self.transactional_id}: marker rejected ({self.error}); coordinator stops sending"


@dataclass(frozen=True, slots=True)
class TransactionStateWritten(Effect):
    """A record of the transaction coordinator's state in `__transaction_state`."""

    partition: str
    offset: int
    transactional_id: str
    state: str  # a TransactionState name
    producer_id: int
    producer_epoch: int
    partitions: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = f", partitions {','.join(self.partitions)}" if self.partitions else ""
        return (
            f"{self.partition} offset {self.offset}: {self.transactional_id} {self.state} "
            f"(pid {self.producer_id}, epoch {self.producer_epoch}{parts})"
        )


@dataclass(frozen=True, slots=True)
class NothingToComplete(Effect):
    transactional_id: str

    def __str__(self) -> str:
        return f"{self.transactional_id}: nothing to complete (a late or duplicated step)"


@dataclass(frozen=True, slots=True)
class ProducerIdAssigned(Effect):
    transactional_id: str
    producer_id: int
    partition: str  # the transactional id's __transaction_state partition

    def __str__(self) -> str:
        return f"{self.transactional_id}: new producer id {self.producer_id} ({self.partition})"


@dataclass(frozen=True, slots=True)
class EpochFence(Effect):
    """PrepareEpochFence: held in memory only, never written to the log."""

    transactional_id: str
    old_epoch: int
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.transactional_id}: PrepareEpochFence epoch {self.old_epoch} -> "
            f"{self.old_epoch + 1} ({self.reason}; pending, not written)"
        )


@dataclass(frozen=True, slots=True)
class CoordinatorReloaded(Effect):
    coordinator_epoch: int
    transactional_ids: int
    topic: str

    def __str__(self) -> str:
        return (
            f"coordinator epoch now {self.coordinator_epoch}; "
            f"{self.transactional_ids} transactional ids reloaded from {self.topic}"
        )


@dataclass(frozen=True, slots=True)
class OffsetCommitted(Effect):
    """An OffsetCommit record in `__consumer_offsets`."""

    partition: str
    offset: int
    group_id: str
    committed_partition: str
    committed_offset: int

    def __str__(self) -> str:
        return (
            f"{self.partition} offset {self.offset}: {self.group_id} "
            f"{self.committed_partition} committed {self.committed_offset}"
        )


@dataclass(frozen=True, slots=True)
class TxnOffsetsAppended(Effect):
    """TxnOffsetCommit: offsets written inside a transaction, pending until its marker."""

    partition: str
    first_offset: int
    last_offset: int
    group_id: str
    offsets: tuple[tuple[str, int], ...]  # (committed partition, offset)
    producer_id: int

    def __str__(self) -> str:
        offsets = ", ".join(f"{tp}={o}" for tp, o in self.offsets)
        return (
            f"{self.partition} offsets {self.first_offset}..{self.last_offset}: {self.group_id} "
            f"{offsets} pending in the transaction of pid {self.producer_id}"
        )


@dataclass(frozen=True, slots=True)
class TxnOffsetDecided(Effect):
    """A transaction's marker makes its pending offset committed, or discards it."""

    group_id: str
    committed_partition: str
    offset: int
    committed: bool

    def __str__(self) -> str:
        if self.committed:
            return (
                f"{self.group_id} {self.committed_partition} committed {self.offset} (transaction)"
            )
        return f"{self.group_id} {self.committed_partition} offset {self.offset} discarded (abort)"


@dataclass(frozen=True, slots=True)
class GroupMetadataWritten(Effect):
    partition: str
    offset: int
    group_id: str
    generation_id: int

    def __str__(self) -> str:
        return (
            f"{self.partition} offset {self.offset}: group {self.group_id} "
            f"generation {self.generation_id}"
        )


@dataclass(frozen=True, slots=True)
class GroupChanged(Effect):
    """A consumer group's state or membership changed; `detail` says how."""

    group_id: str
    detail: str
    state: str | None = None  # the new GroupState name, when the group changed state

    def __str__(self) -> str:
        return f"{self.group_id}: {self.detail}"


@dataclass(frozen=True, slots=True)
class TopicCreated(Effect):
    name: str
    partitions: int
    replication_factor: int

    def __str__(self) -> str:
        return (
            f"created topic {self.name} ({self.partitions} partitions, "
            f"RF {self.replication_factor})"
        )


@dataclass(frozen=True, slots=True)
class TopicDeleted(Effect):
    name: str

    def __str__(self) -> str:
        return f"deleted topic {self.name}"


@dataclass(frozen=True, slots=True)
class HighWatermarkReleased(Effect):
    partition: str
    before: int
    high_watermark: int
    last_stable_offset: int

    def __str__(self) -> str:
        return (
            f"{self.partition} HW {self.before} -> {self.high_watermark}, "
            f"LSO {self.last_stable_offset}"
        )


@dataclass(frozen=True, slots=True)
class ProducerStateRemoved(Effect):
    partition: str
    producer_id: int

    def __str__(self) -> str:
        return f"producer state removed: {self.partition} pid {self.producer_id}"


@dataclass(frozen=True, slots=True)
class ResponseLost(Effect):
    """A network fault: the broker acted, the client never hears of it."""

    def __str__(self) -> str:
        return "the response is lost: the client times out"


@dataclass(frozen=True, slots=True)
class RequestHeld(Effect):
    """A network fault: the request waits in the network; the client gives up on it."""

    def __str__(self) -> str:
        return "the client times out"


APPENDS = (RecordsAppended, TxnOffsetsAppended)  # effects that add data batches to a log
