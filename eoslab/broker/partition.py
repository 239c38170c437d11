"""A partition's leader log: appends with Kafka's producer checks, HW, LSO, fetch and list offsets.

This is where exactly-once becomes visible. Every data batch is checked against the producer state
(duplicates, epochs, sequences, transactions) before it takes offsets; every transaction marker
takes exactly one offset; the last stable offset (LSO) is the first offset of the earliest open
transaction, capped at the high watermark (HW); read_committed fetches stop at the LSO, and carry the
aborted-transaction list that lets the consumer drop aborted data.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .errors import Errors
from .producer_state import ProducerStateManager, in_sequence
from .records import (
    NO_PRODUCER_EPOCH,
    ControlRecordType,
    RecordBatch,
    end_txn_marker_batch,
)
from .transaction_index import AbortedTxn, TransactionIndex

READ_UNCOMMITTED = 0
READ_COMMITTED = 1
EARLIEST_TIMESTAMP = -2  # ListOffsetsRequest.EARLIEST_TIMESTAMP
LATEST_TIMESTAMP = -1  # ListOffsetsRequest.LATEST_TIMESTAMP
MAX_TIMESTAMP = -3  # ListOffsetsRequest.MAX_TIMESTAMP (KIP-734)
NO_TIMESTAMP = -1  # RecordBatch.NO_TIMESTAMP: what ListOffsets answers for earliest and latest


@dataclass(frozen=True)
class AppendResult:
    error: Errors
    base_offset: int = -1
    log_append_time: int = -1
    log_start_offset: int = 0
    duplicate: bool = False
    error_message: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """One partition's part of a FetchResponse."""

    error: Errors
    high_watermark: int
    last_stable_offset: int
    log_start_offset: int
    aborted_transactions: list[tuple[int, int]] | None  # (producerId, firstOffset); None for RU
    batches: list[RecordBatch] = field(default_factory=list)


class Partition:
    def __init__(self, topic: str, index: int, leader_epoch: int = 0) -> None:
        self.topic = topic
        self.index = index
        self.leader_epoch = leader_epoch
        self.batches: list[RecordBatch] = []
        # The offset index (Kafka's OffsetIndex maps offsets to file positions): batch i starts at
        # offset _base_offsets[i] and its bytes end at position _end_positions[i] of the log, so a
        # read finds its first batch, its LSO/HW bound and its max_bytes cut by bisection, without
        # touching the batches in between.
        self._base_offsets: list[int] = []
        self._end_positions: list[int] = []
        self.log_end_offset = 0
        self.log_start_offset = 0
        self._high_watermark = 0
        self.high_watermark_held = False
        self.producer_state = ProducerStateManager()
        self.txn_index = TransactionIndex()

    def __repr__(self) -> str:
        return f"Partition({self.name}, LEO={self.log_end_offset}, HW={self.high_watermark}, LSO={self.last_stable_offset})"

    @property
    def name(self) -> str:
        return f"{self.topic}-{self.index}"

    # -- offsets --------------------------------------------------------------------------------
    @property
    def high_watermark(self) -> int:
        return self._high_watermark

    def first_unstable_offset(self) -> int | None:
        return self.producer_state.first_unstable_offset()

    @property
    def last_stable_offset(self) -> int:
        """UnifiedLog.lastStableOffset: the first unstable offset if below the HW, else the HW."""
        fuo = self.producer_state.first_unstable_offset()
        if fuo is not None and fuo < self._high_watermark:
            return fuo
        return self._high_watermark

    def hold_high_watermark(self) -> None:
        """Stop the HW where it is, as if followers stopped replicating."""
        self.high_watermark_held = True

    def release_high_watermark(self) -> None:
        self.high_watermark_held = False
        self._maybe_increment_high_watermark()

    def _maybe_increment_high_watermark(self) -> None:
        if not self.high_watermark_held and self._high_watermark != self.log_end_offset:
            self._high_watermark = self.log_end_offset
            self.producer_state.on_high_watermark_updated(self._high_watermark)

    # -- appends --------------------------------------------------------------------------------
    def check_producer_append(self, batch: RecordBatch) -> tuple[Errors, str | None]:
        """UnifiedLog.analyzeAndValidateProducerState for one client batch, without side effects."""
        entry = self.producer_state.entry(batch.producer_id)
        if entry is None:
            return Errors.NONE, None  # an unknown producer: any sequence is accepted (KIP-360)
        if batch.producer_epoch < entry.producer_epoch:
            return Errors.INVALID_PRODUCER_EPOCH, (
                f"Epoch of producer {batch.producer_id} at offset {self.log_end_offset} in "
                f"{self.name} is {batch.producer_epoch}, which is smaller than the last seen "
                f"epoch {entry.producer_epoch}"
            )
        if batch.base_sequence >= 0:
            if batch.producer_epoch != entry.producer_epoch:
                if batch.base_sequence != 0 and entry.producer_epoch != NO_PRODUCER_EPOCH:
                    return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, (
                        f"Invalid sequence number for new epoch of producer {batch.producer_id} "
                        f"at offset {self.log_end_offset} in partition {self.name}: "
                        f"{batch.producer_epoch} (request epoch), {batch.base_sequence} (seq. number), "
                        f"{entry.producer_epoch} (current producer epoch)"
                    )
            elif entry.producer_epoch != NO_PRODUCER_EPOCH and not in_sequence(
                entry.last_seq, batch.base_sequence
            ):
                return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, (
                    f"Out of order sequence number for producer {batch.producer_id} at offset "
                    f"{self.log_end_offset} in partition {self.name}: {batch.base_sequence} "
                    f"(incoming seq. number), {entry.last_seq} (current end sequence number)"
                )
        if not batch.is_transactional and entry.current_txn_first_offset is not None:
            return Errors.INVALID_TXN_STATE, (
                f"Expected transactional write from producer {batch.producer_id} at offset "
                f"{self.log_end_offset} in partition {self.name}"
            )
        return Errors.NONE, None

    def append_as_leader(
        self, batch: RecordBatch, now_ms: int, origin: str = "client"
    ) -> AppendResult:
        """Append a batch, or answer a client's retried duplicate with its original offset.

        `origin` is Kafka's AppendOrigin: duplicate and sequence checks apply to client batches
        only; a coordinator's own transactional writes (TxnOffsetCommit) get the epoch checks.
        """
        if batch.has_producer_id:
            entry = self.producer_state.entry(batch.producer_id)
            if origin == "client" and entry is not None and batch.base_sequence >= 0:
                duplicate = entry.find_duplicate_batch(batch)
                if duplicate is not None:
                    return AppendResult(
                        Errors.NONE,
                        duplicate.first_offset,
                        -1,
                        self.log_start_offset,
                        duplicate=True,
                    )
            error, message = self.check_producer_append(batch)
            if error:
                return AppendResult(error, error_message=message)
        if batch._in_log:  # the same batch sent again (a retry, a replay): the log keeps its own
            batch = batch.copy()
        self._append(batch)
        if batch.has_producer_id:
            self.producer_state.update_for_data(batch, batch.max_timestamp)
        self._maybe_increment_high_watermark()
        return AppendResult(Errors.NONE, batch.base_offset, -1, self.log_start_offset)

    def append_end_txn_marker(
        self,
        producer_id: int,
        producer_epoch: int,
        kind: ControlRecordType,
        coordinator_epoch: int,
        now_ms: int,
    ) -> AppendResult:
        """Write a COMMIT or ABORT control batch; a rejected marker takes no offset."""
        entry = self.producer_state.entry(producer_id)
        if entry is not None:
            if producer_epoch < entry.producer_epoch:
                return AppendResult(
                    Errors.INVALID_PRODUCER_EPOCH,
                    error_message=(
                        f"Producer's epoch in {kind.name} is {producer_epoch}, which is smaller "
                        f"than the last seen epoch {entry.producer_epoch}"
                    ),
                )
            if coordinator_epoch < entry.coordinator_epoch:
                return AppendResult(
                    Errors.TRANSACTION_COORDINATOR_FENCED,
                    error_message=(
                        f"Invalid coordinator epoch for producerId {producer_id}: "
                        f"{coordinator_epoch} (zombie), {entry.coordinator_epoch} (current)"
                    ),
                )
        batch = end_txn_marker_batch(producer_id, producer_epoch, kind, coordinator_epoch, now_ms)
        self._append(batch)
        completed = self.producer_state.update_for_marker(
            producer_id,
            producer_epoch,
            coordinator_epoch,
            batch.base_offset,
            kind == ControlRecordType.ABORT,
            now_ms,
        )
        if completed is not None and completed.is_aborted:
            self.txn_index.append(
                AbortedTxn(
                    completed.producer_id,
                    completed.first_offset,
                    completed.last_offset,
                    self.producer_state.last_stable_offset_for(completed),
                )
            )
        self._maybe_increment_high_watermark()
        return AppendResult(Errors.NONE, batch.base_offset, -1, self.log_start_offset)

    def _append(self, batch: RecordBatch) -> None:
        base = self.log_end_offset
        size = batch.place(base)  # offsets assigned, size computed once
        batch.partition_leader_epoch = self.leader_epoch
        batch._in_log = True
        ends = self._end_positions
        self.batches.append(batch)
        self._base_offsets.append(base)
        ends.append((ends[-1] if ends else 0) + size)
        self.log_end_offset = base + batch.records_count

    # -- reads ----------------------------------------------------------------------------------
    def batch_index_for(self, offset: int) -> int:
        """Index of the batch holding `offset` (or the first batch after it)."""
        i = bisect.bisect_right(self._base_offsets, offset) - 1
        if i < 0:
            return 0
        if self.batches[i].last_offset < offset:
            return i + 1
        return i

    def read(self, fetch_offset: int, max_bytes: int, isolation_level: int) -> FetchResult:
        """UnifiedLog.read for a consumer: whole batches below the HW (RU) or the LSO (RC)."""
        hw = self._high_watermark
        lso = self.last_stable_offset
        if fetch_offset < self.log_start_offset or fetch_offset > self.log_end_offset:
            return FetchResult(
                Errors.OFFSET_OUT_OF_RANGE,
                hw,
                lso,
                self.log_start_offset,
                None if isolation_level == READ_UNCOMMITTED else [],
            )
        bound = lso if isolation_level == READ_COMMITTED else hw
        # Whole batches from the one holding fetch_offset, up to (not including) the first batch
        # at or past the bound; as many as fit in max_bytes, but at least one (KIP-74).
        first = self.batch_index_for(fetch_offset)
        stop = bisect.bisect_left(self._base_offsets, bound, first)
        batches: list[RecordBatch] = []
        if stop > first:
            ends = self._end_positions
            limit = (ends[first - 1] if first else 0) + max_bytes
            cut = bisect.bisect_right(ends, limit, first, stop)
            batches = self.batches[first : max(cut, first + 1)]
        aborted: list[tuple[int, int]] | None = None
        if isolation_level == READ_COMMITTED:
            aborted = []
            if batches:
                upper = batches[-1].next_offset
                aborted = [
                    (a.producer_id, a.first_offset)
                    for a in self.txn_index.collect_aborted_txns(fetch_offset, upper)
                ]
        return FetchResult(Errors.NONE, hw, lso, self.log_start_offset, aborted, batches)

    def list_offset(self, timestamp: int, isolation_level: int | None) -> tuple[int, int, int]:
        """Partition.fetchOffsetForTimestamp: (offset, timestamp, leader epoch).

        EARLIEST and LATEST answer NO_TIMESTAMP; a lookup by timestamp (or MAX_TIMESTAMP) answers
        the found record's own timestamp, and nothing, (-1, -1, -1), when the found offset is not
        below the last fetchable offset (the LSO for read_committed, the HW for read_uncommitted).
        """
        if timestamp == EARLIEST_TIMESTAMP:
            return self.log_start_offset, NO_TIMESTAMP, self.leader_epoch
        if isolation_level == READ_COMMITTED:
            last_fetchable = self.last_stable_offset
        elif isolation_level == READ_UNCOMMITTED:
            last_fetchable = self._high_watermark
        else:
            last_fetchable = self.log_end_offset
        if timestamp == LATEST_TIMESTAMP:
            return last_fetchable, NO_TIMESTAMP, self.leader_epoch
        if timestamp == MAX_TIMESTAMP:
            found = self._offset_of_max_timestamp()
        else:
            found = self._search_for_timestamp(timestamp)
        if found is None or found[0] >= last_fetchable:
            return -1, NO_TIMESTAMP, -1
        return found

    def _search_for_timestamp(self, target: int) -> tuple[int, int, int] | None:
        """FileRecords.searchForTimestamp: the first record at or after `target` in offset order.

        Control batches are not skipped: a COMMIT or ABORT marker is a record with a timestamp
        like any other, so a lookup can land on a marker's offset.
        """
        for batch in self.batches:
            if batch.max_timestamp < target:
                continue
            for record in batch.records:
                if record.timestamp >= target and record.offset >= self.log_start_offset:
                    return record.offset, record.timestamp, batch.partition_leader_epoch
        return None

    def _offset_of_max_timestamp(self) -> tuple[int, int, int] | None:
        """UnifiedLog.fetchOffsetByTimestamp(MAX_TIMESTAMP): the first record holding the
        largest timestamp (KAFKA-16310), markers included."""
        best: tuple[int, int, int] | None = None
        for batch in self.batches:
            if best is not None and batch.max_timestamp <= best[1]:
                continue
            for record in batch.records:
                if best is None or record.timestamp > best[1]:
                    best = (record.offset, record.timestamp, batch.partition_leader_epoch)
        return best
