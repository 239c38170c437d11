"""`Consumer`, shaped like confluent_kafka's (assign-based; groups come with the group coordinator).

The fetch and filter path follows Kafka exactly where the lesson lives:
- the broker answers a read_committed fetch up to the LSO, a read_uncommitted one up to the HW,
  with whole batches and (read_committed only) the list of aborted transactions;
- the client drops the batches of aborted transactions and never returns a control record;
- the *fetch position* moves past everything fetched, while `position()` is librdkafka's
  application position: -1001 until something is returned or stepped over, the next offset after a
  returned message, and past a commit/abort marker only once a later `poll()` consumes the marker's
  internal event (reference §5.4.1).
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from typing import Any

from ..broker import READ_COMMITTED, READ_UNCOMMITTED, Errors
from ..broker.partition import EARLIEST_TIMESTAMP, LATEST_TIMESTAMP
from ..broker.records import ControlRecordType
from .config import ClientConfig
from .errors import KafkaError, KafkaException
from .message import (
    OFFSET_BEGINNING,
    OFFSET_END,
    OFFSET_INVALID,
    OFFSET_STORED,
    TIMESTAMP_CREATE_TIME,
    Message,
    TopicPartition,
)
from .producer import connect

TopicPartitionKey = tuple[str, int]
_EARLIEST = ("smallest", "earliest", "beginning")


@dataclass
class FetchState:
    """What the consumer knows about one assigned partition."""

    fetch_position: int  # next offset to fetch; OFFSET_INVALID until resolved
    app_position: int = OFFSET_INVALID  # what position() reports
    requested: int = OFFSET_INVALID  # the offset asked for in assign() / seek()
    assigned: int = OFFSET_INVALID  # the offset given to assign()
    hi_offset: int = OFFSET_INVALID  # HW from the last fetch response (cached watermark)
    ls_offset: int = OFFSET_INVALID  # LSO from the last fetch response
    lo_offset: int = OFFSET_INVALID  # log start offset from the last fetch response
    eof_sent: bool = False
    version: int = 0  # bumped by seek/assign so stale queued events are dropped


@dataclass
class _Op:
    kind: str  # "msg", "ctrl", "error"
    tp: TopicPartitionKey
    version: int
    offset: int = OFFSET_INVALID
    message: Message | None = None


def _require_partition_list(partitions: object) -> None:
    if not isinstance(partitions, list) or not all(
        isinstance(tp, TopicPartition) for tp in partitions
    ):
        raise TypeError("requires list of TopicPartition")


class Consumer:
    def __init__(self, conf: Any = None, **kwargs: Any) -> None:
        if conf is None and not kwargs:
            raise TypeError("expected configuration dict")
        cfg = ClientConfig(conf if conf is not None else {}, "consumer", kwargs)
        if not cfg["group.id"]:
            raise ValueError("Failed to create consumer: group.id must be set")
        self._cluster = connect(cfg)
        self._cfg = cfg
        self._client_id = (
            cfg["client.id"]
            if cfg.is_set("client.id")
            else self._cluster.next_client_name("consumer")
        )
        self._isolation = (
            READ_COMMITTED if cfg["isolation.level"] == "read_committed" else READ_UNCOMMITTED
        )
        self._assignment: dict[TopicPartitionKey, FetchState] = {}
        self._ops: deque[_Op] = deque()
        self._closed = False
        self.records_returned = 0
        self._cluster.register_client(self)

    # -- introspection (eoslab additions, used by views) ------------------------------------------
    @property
    def client_id(self) -> str:
        return self._client_id

    @property
    def group_id(self) -> str:
        return self._cfg["group.id"]

    @property
    def isolation_level(self) -> str:
        return self._cfg["isolation.level"]

    def fetch_state(self, topic: str, partition: int) -> FetchState | None:
        return self._assignment.get((topic, partition))

    @property
    def closed(self) -> bool:
        return self._closed

    # -- assignment -------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("Consumer closed")

    def assign(self, partitions: list[TopicPartition]) -> None:
        self._check_open()
        _require_partition_list(partitions)
        self._assignment = {}
        self._ops.clear()
        for tp in partitions:
            state = FetchState(OFFSET_INVALID, requested=tp.offset, assigned=tp.offset)
            self._assignment[(tp.topic, tp.partition)] = state

    def incremental_assign(self, partitions: list[TopicPartition]) -> None:
        self._check_open()
        _require_partition_list(partitions)
        for tp in partitions:
            self._assignment[(tp.topic, tp.partition)] = FetchState(
                OFFSET_INVALID, requested=tp.offset
            )

    def unassign(self) -> None:
        self._check_open()
        self._assignment = {}
        self._ops.clear()

    def assignment(self) -> list[TopicPartition]:
        self._check_open()
        return [
            TopicPartition(t, p, s.assigned if s.assigned != OFFSET_INVALID else OFFSET_STORED)
            for (t, p), s in self._assignment.items()
        ]

    def _resolve(self, tp: TopicPartitionKey, state: FetchState) -> bool:
        """Turn a logical offset (beginning, end, stored) into a fetch position."""
        requested = state.requested
        if requested >= 0:
            state.fetch_position = requested
            return True
        if requested in (OFFSET_INVALID, OFFSET_STORED):
            # no committed offset yet (groups come later): auto.offset.reset decides
            reset = self._cfg["auto.offset.reset"]
            if reset == "error":
                self._ops.append(
                    _Op(
                        "error",
                        tp,
                        state.version,
                        message=Message(
                            tp[0],
                            tp[1],
                            OFFSET_INVALID,
                            error=KafkaError(
                                KafkaError._AUTO_OFFSET_RESET,
                                "no previously committed offset available: auto.offset.reset=error",
                            ),
                        ),
                    )
                )
                state.requested = OFFSET_END - 1000  # report once, then wait for a seek
                return False
            requested = OFFSET_BEGINNING if reset in _EARLIEST else OFFSET_END
        if requested not in (OFFSET_BEGINNING, OFFSET_END):
            return False
        timestamp = EARLIEST_TIMESTAMP if requested == OFFSET_BEGINNING else LATEST_TIMESTAMP
        r = self._cluster.list_offsets(
            tp[0], tp[1], timestamp, self._isolation, client_id=self._client_id
        )
        if r.error:
            self._error_event(tp, state, int(r.error))
            return False
        state.fetch_position = r.offset
        state.requested = r.offset
        return True

    def _error_event(self, tp: TopicPartitionKey, state: FetchState, code: int) -> None:
        error = KafkaError(code, f"{tp[0]} [{tp[1]}]: {KafkaError(code).str()}")
        self._ops.append(
            _Op(
                "error",
                tp,
                state.version,
                message=Message(tp[0], tp[1], OFFSET_INVALID, error=error),
            )
        )

    # -- fetching -------------------------------------------------------------------------------
    def _fetch_round(self) -> bool:
        """One Fetch per assigned partition; True if it queued anything for the application."""
        queued = len(self._ops)
        for tp, state in list(self._assignment.items()):
            if state.fetch_position < 0 and not self._resolve(tp, state):
                continue
            result = self._cluster.fetch(
                tp[0],
                tp[1],
                state.fetch_position,
                self._isolation,
                max_bytes=self._cfg["fetch.message.max.bytes"],
                client_id=self._client_id,
            )
            if result.error == Errors.OFFSET_OUT_OF_RANGE:
                state.requested = OFFSET_INVALID
                state.fetch_position = OFFSET_INVALID
                continue
            if result.error:
                self._error_event(tp, state, int(result.error))
                continue
            state.hi_offset = result.high_watermark
            state.ls_offset = result.last_stable_offset
            state.lo_offset = result.log_start_offset
            if result.batches:
                self._read_batches(tp, state, result.batches, result.aborted_transactions)
                state.eof_sent = False
            end = state.ls_offset if self._isolation == READ_COMMITTED else state.hi_offset
            if (
                self._cfg["enable.partition.eof"]
                and not state.eof_sent
                and state.fetch_position >= end
            ):
                state.eof_sent = True
                error = KafkaError(
                    KafkaError._PARTITION_EOF,
                    f"Fetch from broker {self._cluster.leader_for(*tp)} reached end of partition "
                    f"at offset {state.fetch_position} (HighwaterMark {state.hi_offset})",
                )
                message = Message(
                    tp[0], tp[1], state.fetch_position, value=error.str().encode(), error=error
                )
                self._ops.append(_Op("error", tp, state.version, message=message))
        return len(self._ops) > queued

    def _read_batches(
        self,
        tp: TopicPartitionKey,
        state: FetchState,
        batches: list,
        aborted: list[tuple[int, int]] | None,
    ) -> None:
        """Filter a fetched batch list as the client does (reference §5.2)."""
        heap = [(first, pid) for pid, first in (aborted or [])]
        heapq.heapify(heap)
        aborted_pids: set[int] = set()
        position = state.fetch_position
        read_committed = self._isolation == READ_COMMITTED
        for batch in batches:
            if read_committed and batch.producer_id >= 0:
                while heap and heap[0][0] <= batch.last_offset:
                    aborted_pids.add(heapq.heappop(heap)[1])
                if batch.is_control and batch.control_type == ControlRecordType.ABORT:
                    aborted_pids.discard(batch.producer_id)
                elif batch.is_transactional and batch.producer_id in aborted_pids:
                    continue  # aborted data: skipped, and no event for the application
            if batch.is_control:
                offset = batch.base_offset
                if offset >= position:
                    self._ops.append(_Op("ctrl", tp, state.version, offset=offset + 1))
                continue
            for record in batch.records:
                if record.offset < position:
                    continue
                message = Message(
                    tp[0],
                    tp[1],
                    record.offset,
                    record.key,
                    record.value,
                    list(record.headers) if record.headers else None,
                    None,
                    (TIMESTAMP_CREATE_TIME, record.timestamp),
                    None,
                    batch.partition_leader_epoch,
                )
                self._ops.append(
                    _Op("msg", tp, state.version, offset=record.offset, message=message)
                )
        state.fetch_position = max(position, batches[-1].next_offset)

    def _next_message(self) -> Message | None:
        while True:
            if not self._ops and not self._fetch_round():
                return None
            op = self._ops.popleft()
            state = self._assignment.get(op.tp)
            if state is None or state.version != op.version:
                continue  # queued before a seek or a new assignment
            if op.kind == "ctrl":
                state.app_position = op.offset
                continue
            if op.kind == "msg":
                state.app_position = op.offset + 1
                self.records_returned += 1
            return op.message

    # -- the application's calls ----------------------------------------------------------------
    def poll(self, timeout: float | None = None) -> Message | None:
        """One message, an error event, or None when nothing more can be fetched now."""
        self._check_open()
        return self._next_message()

    def consume(self, num_messages: int = 1, timeout: float = -1) -> list[Message]:
        self._check_open()
        if not isinstance(num_messages, int) or not 0 <= num_messages <= 1_000_000:
            raise ValueError("num_messages must be between 0 and 1000000 (1M)")
        out = []
        while len(out) < num_messages:
            message = self._next_message()
            if message is None:
                break
            out.append(message)
        return out

    def position(self, partitions: list[TopicPartition]) -> list[TopicPartition]:
        self._check_open()
        _require_partition_list(partitions)
        out = []
        for tp in partitions:
            state = self._assignment.get((tp.topic, tp.partition))
            offset = state.app_position if state is not None else OFFSET_INVALID
            out.append(TopicPartition(tp.topic, tp.partition, offset))
        return out

    def seek(self, partition: TopicPartition) -> None:
        self._check_open()
        key = (partition.topic, partition.partition)
        state = self._assignment.get(key)
        if state is None:
            known = self._cluster.topics.get(partition.topic) is not None
            code = KafkaError._STATE if known else KafkaError._UNKNOWN_PARTITION
            raise KafkaException(
                KafkaError(
                    code, f"Failed to seek to offset {partition.offset}: {KafkaError(code).str()}"
                )
            )
        # position() keeps its value until a message from the new offset is returned
        state.version += 1
        state.requested = partition.offset
        state.fetch_position = partition.offset if partition.offset >= 0 else OFFSET_INVALID
        state.eof_sent = False

    def get_watermark_offsets(
        self, partition: TopicPartition, timeout: float | None = None, cached: bool = False
    ) -> tuple[int, int]:
        """(low, high): high is the LSO for read_committed and the HW for read_uncommitted;
        with cached=True, the HW of the last fetch response."""
        self._check_open()
        if cached:
            state = self._assignment.get((partition.topic, partition.partition))
            if state is None:
                return (OFFSET_INVALID, OFFSET_INVALID)
            return (state.lo_offset, state.hi_offset)
        if self._cluster.topics.get(partition.topic) is None or not (
            0 <= partition.partition < len(self._cluster.topics[partition.topic].partitions)
        ):
            raise KafkaException(
                KafkaError(
                    KafkaError._UNKNOWN_PARTITION,
                    "Failed to get watermark offsets: Local: Unknown partition",
                )
            )
        lo = self._cluster.list_offsets(
            partition.topic,
            partition.partition,
            EARLIEST_TIMESTAMP,
            self._isolation,
            client_id=self._client_id,
        )
        if lo.error:
            raise KafkaException(KafkaError(int(lo.error)))
        hi = self._cluster.list_offsets(
            partition.topic,
            partition.partition,
            LATEST_TIMESTAMP,
            self._isolation,
            client_id=self._client_id,
        )
        return (lo.offset, hi.offset)

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any:
        self._check_open()
        from .admin import cluster_metadata

        return cluster_metadata(self._cluster, topic, self._client_id)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._assignment = {}
        self._ops.clear()
