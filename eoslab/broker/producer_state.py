"""Per-partition producer state, as Kafka's `ProducerStateManager` keeps it on the leader.

For each producer id: its epoch, the metadata of its last five batches (for duplicate detection and
sequence checks), the coordinator epoch of its last marker, and the first offset of its open
transaction here. The open and decided-but-unreplicated transactions give the first unstable
offset, and from it the last stable offset (LSO).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .records import INT32_MAX, NO_PRODUCER_EPOCH, NO_SEQUENCE, RecordBatch

NUM_BATCHES_TO_RETAIN = 5  # ProducerStateEntry.NUM_BATCHES_TO_RETAIN


@dataclass(frozen=True)
class BatchMetadata:
    first_seq: int
    last_seq: int
    last_offset: int
    offset_delta: int
    timestamp: int

    @property
    def first_offset(self) -> int:
        return self.last_offset - self.offset_delta


class ProducerStateEntry:
    __slots__ = (
        "batch_metadata",
        "coordinator_epoch",
        "current_txn_first_offset",
        "last_timestamp",
        "producer_epoch",
        "producer_id",
    )

    def __init__(self, producer_id: int) -> None:
        self.producer_id = producer_id
        self.producer_epoch = NO_PRODUCER_EPOCH
        self.batch_metadata: deque[BatchMetadata] = deque(maxlen=NUM_BATCHES_TO_RETAIN)
        self.coordinator_epoch = -1
        self.last_timestamp = -1
        self.current_txn_first_offset: int | None = None

    @property
    def first_seq(self) -> int:
        return self.batch_metadata[0].first_seq if self.batch_metadata else NO_SEQUENCE

    @property
    def last_seq(self) -> int:
        return self.batch_metadata[-1].last_seq if self.batch_metadata else NO_SEQUENCE

    @property
    def last_data_offset(self) -> int:
        return self.batch_metadata[-1].last_offset if self.batch_metadata else -1

    def find_duplicate_batch(self, batch: RecordBatch) -> BatchMetadata | None:
        """Same epoch and exactly the same sequence range as a cached batch (findDuplicateBatch)."""
        if batch.producer_epoch != self.producer_epoch:
            return None
        first, last = batch.base_sequence, batch.last_sequence
        for meta in self.batch_metadata:
            if meta.first_seq == first and meta.last_seq == last:
                return meta
        return None


@dataclass
class TxnMetadata:
    """An open (or decided but not yet replicated) transaction on this partition."""

    producer_id: int
    first_offset: int
    last_offset: int | None = None  # the marker's offset, once decided


@dataclass(frozen=True)
class CompletedTxn:
    producer_id: int
    first_offset: int
    last_offset: int
    is_aborted: bool


def in_sequence(last_seq: int, next_seq: int) -> bool:
    """ProducerAppendInfo.inSequence: the next sequence, wrapping after Integer.MAX_VALUE."""
    return next_seq == last_seq + 1 or (next_seq == 0 and last_seq == INT32_MAX)


class ProducerStateManager:
    def __init__(self) -> None:
        self.producers: dict[int, ProducerStateEntry] = {}
        self.ongoing_txns: dict[int, TxnMetadata] = {}  # first offset -> txn, undecided
        self.unreplicated_txns: dict[int, TxnMetadata] = {}  # first offset -> txn, decided

    def entry(self, producer_id: int) -> ProducerStateEntry | None:
        return self.producers.get(producer_id)

    def has_ongoing_transaction(self, producer_id: int, producer_epoch: int | None = None) -> bool:
        """UnifiedLog.hasOngoingTransaction: open here, and (if given) at this very epoch; under
        TV2 the next transaction's first write has a new epoch and must be verified again."""
        entry = self.producers.get(producer_id)
        return (
            entry is not None
            and entry.current_txn_first_offset is not None
            and (producer_epoch is None or entry.producer_epoch == producer_epoch)
        )

    def first_unstable_offset(self) -> int | None:
        ongoing, unreplicated = self.ongoing_txns, self.unreplicated_txns
        if not unreplicated:  # the common cases: nothing open, or only open transactions
            return min(ongoing) if ongoing else None
        if not ongoing:
            return min(unreplicated)
        return min(min(ongoing), min(unreplicated))

    def on_high_watermark_updated(self, high_watermark: int) -> None:
        """A decided transaction stops holding the LSO once its marker is below the HW."""
        done = [f for f, t in self.unreplicated_txns.items() if t.last_offset < high_watermark]
        for first in done:
            del self.unreplicated_txns[first]

    def last_stable_offset_for(self, completed: CompletedTxn) -> int:
        """First offset of another producer's open transaction, else just past the marker."""
        others = [f for f, t in self.ongoing_txns.items() if t.producer_id != completed.producer_id]
        return min(others) if others else completed.last_offset + 1

    # -- updates, called only after every check passed --------------------------------------------
    def update_for_data(self, batch: RecordBatch, timestamp: int) -> None:
        entry = self.producers.get(batch.producer_id)
        if entry is None:
            entry = self.producers[batch.producer_id] = ProducerStateEntry(batch.producer_id)
        if batch.producer_epoch != entry.producer_epoch:
            entry.batch_metadata.clear()
            entry.producer_epoch = batch.producer_epoch
        entry.batch_metadata.append(
            BatchMetadata(
                batch.base_sequence,
                batch.last_sequence,
                batch.last_offset,
                batch.last_offset_delta,
                batch.max_timestamp,
            )
        )
        entry.last_timestamp = timestamp
        if batch.is_transactional and entry.current_txn_first_offset is None:
            entry.current_txn_first_offset = batch.base_offset
            self.ongoing_txns[batch.base_offset] = TxnMetadata(batch.producer_id, batch.base_offset)

    def update_for_marker(
        self,
        producer_id: int,
        producer_epoch: int,
        coordinator_epoch: int,
        marker_offset: int,
        is_abort: bool,
        timestamp: int,
    ) -> CompletedTxn | None:
        """appendEndTxnMarker: close this producer's open transaction here, if it has one."""
        entry = self.producers.get(producer_id)
        if entry is None:
            entry = self.producers[producer_id] = ProducerStateEntry(producer_id)
        completed = None
        if entry.current_txn_first_offset is not None:
            first = entry.current_txn_first_offset
            txn = self.ongoing_txns.pop(first)
            txn.last_offset = marker_offset
            self.unreplicated_txns[first] = txn
            completed = CompletedTxn(producer_id, first, marker_offset, is_abort)
        if producer_epoch != entry.producer_epoch:
            entry.batch_metadata.clear()  # a new epoch restarts sequences; TV1 commits keep them
        entry.producer_epoch = producer_epoch
        entry.coordinator_epoch = coordinator_epoch
        entry.current_txn_first_offset = None
        entry.last_timestamp = timestamp
        return completed

    def remove_expired_producers(self, now_ms: int, expiration_ms: int) -> list[int]:
        """Producers with no open transaction, idle longer than producer.id.expiration.ms."""
        expired = [
            pid
            for pid, e in self.producers.items()
            if e.current_txn_first_offset is None and now_ms - e.last_timestamp >= expiration_ms
        ]
        for pid in expired:
            del self.producers[pid]
        return expired
