"""A partition leader's requests: Produce, Fetch, ListOffsets, WriteTxnMarkers, DescribeProducers,
and the replication fault of holding a partition's high watermark. The log's own rules live in
`partition.py`, `producer_state.py` and `log_validator.py`."""

from __future__ import annotations

from typing import Any

from .effects import (
    DuplicateBatch,
    HighWatermarkReleased,
    MarkerRejected,
    MarkerSkipped,
    MarkerWritten,
    RecordsAppended,
    VerificationFailed,
)
from .errors import Errors
from .internal_topics import CONSUMER_OFFSETS_TOPIC, INTERNAL_TOPICS
from .log_validator import validate_client_batch
from .partition import READ_COMMITTED, AppendResult, FetchResult, Partition
from .protocol import (
    LIBRDKAFKA_API_VERSIONS,
    PRODUCE_IMPLICIT_ADD_VERSION,
    PRODUCE_TRANSACTION_ABORTABLE_VERSION,
    ListOffsetsResponse,
    ProduceResponse,
)
from .records import ControlRecordType, RecordBatch, malformed_record
from .requests import request
from .txn_coordinator import VERIFY


def _summarize_fetch(r: FetchResult) -> str:
    if r.error:
        return r.error.name
    if not r.batches:
        return f"NONE: no data (HW {r.high_watermark}, LSO {r.last_stable_offset})"
    return (
        f"NONE: offsets {r.batches[0].base_offset}..{r.batches[-1].last_offset} "
        f"in {len(r.batches)} batches (HW {r.high_watermark}, LSO {r.last_stable_offset})"
    )


class LogRequests:
    """The cluster's partition-leader requests (a part of `Cluster`)."""

    config: Any
    now_ms: int
    effect: Any
    txn_coordinator: Any
    group_coordinator: Any
    _find_partition: Any
    partition: Any

    @request(
        "Produce",
        args=lambda c: {
            "partition": f"{c.topic}-{c.partition}",
            "records": c.batch.records_count,
            "producer_id": c.batch.producer_id,
            "producer_epoch": c.batch.producer_epoch,
            "base_sequence": c.batch.base_sequence,
            "transactional": c.batch.is_transactional,
        },
        summary=lambda r: r.error.name + (f" (offset {r.base_offset})" if not r.error else ""),
        timed_out=lambda c: ProduceResponse(Errors.REQUEST_TIMED_OUT),
    )
    def produce(
        self,
        topic: str,
        partition: int,
        batch: RecordBatch,
        transactional_id: str | None = None,
        acks: int = -1,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["Produce"],
    ) -> ProduceResponse:
        """Produce one batch to one partition; the leader assigns the offsets."""
        p = self._find_partition(topic, partition)
        if p is None:
            return ProduceResponse(Errors.UNKNOWN_TOPIC_OR_PARTITION)
        if topic in INTERNAL_TOPICS:
            return ProduceResponse(
                Errors.INVALID_TOPIC_EXCEPTION,
                error_message=f"Cannot append to internal topic {topic}",
            )
        if acks not in (-1, 0, 1):
            return ProduceResponse(Errors.INVALID_REQUIRED_ACKS)
        malformed = malformed_record(batch)
        if malformed is not None:  # never store what no reader can serve
            return ProduceResponse(Errors.CORRUPT_MESSAGE, error_message=malformed)
        invalid = validate_client_batch(batch, p.name, self.config["message.max.bytes"])
        if invalid is not None:  # LogValidator: nothing appended, producer state untouched
            return ProduceResponse(invalid[0], error_message=invalid[1])
        if batch.is_transactional:
            error = self._verify_transactional_batch(p, batch, transactional_id, api_version)
            if error:
                return ProduceResponse(error)
        result: AppendResult = p.append_as_leader(batch, self.now_ms)
        if result.error == Errors.NONE:
            if result.duplicate:
                self.effect(DuplicateBatch(p.name, result.base_offset))
            else:
                last = result.base_offset + batch.records_count - 1
                self.effect(
                    RecordsAppended(p.name, result.base_offset, last, batch.is_transactional)
                )
        return ProduceResponse(
            result.error,
            result.base_offset,
            result.log_append_time,
            result.log_start_offset,
            result.error_message,
        )

    def _verify_transactional_batch(
        self, p: Partition, batch: RecordBatch, transactional_id: str | None, api_version: int
    ) -> Errors:
        """A transactional batch is checked with its coordinator before it is appended."""
        if not transactional_id:
            return Errors.INVALID_REQUEST
        coordinator = self.txn_coordinator
        implicit_add = api_version >= PRODUCE_IMPLICIT_ADD_VERSION
        error = coordinator.verify_or_enrol(
            transactional_id, batch.producer_id, batch.producer_epoch, p, implicit_add
        )
        if error and coordinator.verification(implicit_add) == VERIFY:
            if (
                error == Errors.INVALID_TXN_STATE
                and api_version >= PRODUCE_TRANSACTION_ABORTABLE_VERSION
            ):
                error = Errors.TRANSACTION_ABORTABLE  # KIP-890: abortable on new versions
            self.effect(VerificationFailed(p.name, error.name))
        return error

    @request(
        "Fetch",
        args=lambda c: {
            "partition": f"{c.topic}-{c.partition}",
            "offset": c.fetch_offset,
            "isolation_level": "read_committed"
            if c.isolation_level == READ_COMMITTED
            else "read_uncommitted",
        },
        summary=_summarize_fetch,
    )
    def fetch(
        self,
        topic: str,
        partition: int,
        fetch_offset: int,
        isolation_level: int = READ_COMMITTED,
        max_bytes: int = 1_048_576,
        client_id: str = "client",
    ) -> FetchResult:
        """Fetch one partition: whole batches up to the HW (read_uncommitted) or the LSO."""
        p = self._find_partition(topic, partition)
        if p is None:
            return FetchResult(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1, None)
        return p.read(fetch_offset, max_bytes, isolation_level)

    @request(
        "ListOffsets",
        args=lambda c: {
            "partition": f"{c.topic}-{c.partition}",
            "timestamp": c.timestamp,
            "isolation_level": c.isolation_level,
        },
        summary=lambda r: r.error.name + (f" (offset {r.offset})" if not r.error else ""),
    )
    def list_offsets(
        self,
        topic: str,
        partition: int,
        timestamp: int,
        isolation_level: int | None = READ_COMMITTED,
        client_id: str = "client",
    ) -> ListOffsetsResponse:
        """ListOffsets: -1 latest (LSO or HW by isolation), -2 earliest, -3 the max timestamp,
        else the first offset whose record's timestamp is at or after `timestamp`."""
        p = self._find_partition(topic, partition)
        if p is None:
            return ListOffsetsResponse(Errors.UNKNOWN_TOPIC_OR_PARTITION)
        return ListOffsetsResponse(Errors.NONE, *p.list_offset(timestamp, isolation_level))

    # -- transaction markers --------------------------------------------------------------------
    def write_txn_marker(
        self,
        tp: tuple[str, int],
        producer_id: int,
        producer_epoch: int,
        kind: ControlRecordType,
        coordinator_epoch: int,
    ) -> Errors:
        """The leader side of WriteTxnMarkers for one partition (called inside a journaled step)."""
        p = self._find_partition(*tp)
        if p is None:
            self.effect(MarkerSkipped(f"{tp[0]}-{tp[1]}"))
            return Errors.UNKNOWN_TOPIC_OR_PARTITION
        result = p.append_end_txn_marker(
            producer_id, producer_epoch, kind, coordinator_epoch, self.now_ms
        )
        if result.error == Errors.NONE and tp[0] == CONSUMER_OFFSETS_TOPIC:
            self.group_coordinator.on_end_txn_marker(
                tp[1], producer_id, kind == ControlRecordType.COMMIT
            )
        if result.error == Errors.NONE:
            self.effect(
                MarkerWritten(
                    p.name,
                    result.base_offset,
                    kind.name,
                    producer_id,
                    producer_epoch,
                    coordinator_epoch,
                )
            )
        else:
            self.effect(MarkerRejected(p.name, kind.name, result.error.name))
        return result.error

    @request(
        "WriteTxnMarkers",
        args=lambda c: {
            "partition": f"{c.topic}-{c.partition}",
            "producer_id": c.producer_id,
            "producer_epoch": c.producer_epoch,
            "result": "COMMIT" if c.committed else "ABORT",
            "coordinator_epoch": c.coordinator_epoch,
        },
    )
    def write_txn_markers(
        self,
        topic: str,
        partition: int,
        producer_id: int,
        producer_epoch: int,
        committed: bool,
        coordinator_epoch: int,
        client_id: str = "admin",
    ) -> Errors:
        """WriteTxnMarkers sent straight to a leader (the Admin API's abortTransaction path)."""
        kind = ControlRecordType.COMMIT if committed else ControlRecordType.ABORT
        return self.write_txn_marker(
            (topic, partition), producer_id, producer_epoch, kind, coordinator_epoch
        )

    @request(
        "DescribeProducers",
        args=lambda c: {"partition": f"{c.topic}-{c.partition}"},
        summary=lambda r: f"{r[0].name}: {len(r[1])} producers",
    )
    def describe_producers(
        self, topic: str, partition: int, client_id: str = "admin"
    ) -> tuple[Errors, list[tuple[int, int, int, int, int, int | None]]]:
        """DescribeProducers: the leader's producer state for one partition: (pid, epoch, last
        sequence, last timestamp, coordinator epoch, current transaction start offset)."""
        p = self._find_partition(topic, partition)
        if p is None:
            return (Errors.UNKNOWN_TOPIC_OR_PARTITION, [])
        rows = [
            (
                pid,
                e.producer_epoch,
                e.last_seq,
                e.last_timestamp,
                e.coordinator_epoch,
                e.current_txn_first_offset,
            )
            for pid, e in sorted(p.producer_state.producers.items())
        ]
        return (Errors.NONE, rows)

    # -- replication ----------------------------------------------------------------------------
    @request(
        "HoldHighWatermark",
        args=lambda c: {"partition": f"{c.topic}-{c.partition}"},
        actor="cluster",
    )
    def hold_high_watermark(self, topic: str, partition: int) -> Errors:
        """Stop a partition's HW where it is: data is appended but not 'replicated'."""
        self.partition(topic, partition).hold_high_watermark()
        return Errors.NONE

    @request(
        "ReleaseHighWatermark",
        args=lambda c: {"partition": f"{c.topic}-{c.partition}"},
        actor="cluster",
    )
    def release_high_watermark(self, topic: str, partition: int) -> Errors:
        p = self.partition(topic, partition)
        before = p.high_watermark
        p.release_high_watermark()
        self.effect(HighWatermarkReleased(p.name, before, p.high_watermark, p.last_stable_offset))
        return Errors.NONE
