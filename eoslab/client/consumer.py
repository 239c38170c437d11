"""`Consumer`, shaped like confluent_kafka's: assign or subscribe, poll, commit.

The fetch and filter path follows Kafka exactly where the lesson lives:
- the broker answers a read_committed fetch up to the LSO, a read_uncommitted one up to the HW,
  with whole batches and (read_committed only) the list of aborted transactions;
- the client drops the batches of aborted transactions and never returns a control record;
- the *fetch position* moves past everything fetched, while `position()` is librdkafka's
  application position: -1001 until something is returned or stepped over, the next offset after a
  returned message, and past a commit/abort marker only once a later `poll()` consumes the marker's
  internal event (reference §5.4.1). With `enable.auto.offset.store` that position is also the
  offset a later commit writes, which is why committing never leaves the group "one behind" a
  trailing marker.

Committed offsets are the consumer's own business: it commits what it has processed, and that is
exactly why read_committed alone is not exactly-once (reference §5.6).
"""

from __future__ import annotations

import heapq
from collections import deque
from itertools import repeat
from typing import Any

from ..broker import READ_COMMITTED, READ_UNCOMMITTED, Errors
from ..broker.partition import EARLIEST_TIMESTAMP, LATEST_TIMESTAMP
from ..broker.records import ControlRecordType, RecordBatch
from .config import ClientConfig
from .connection import cluster_metadata, connect
from .errors import KafkaError, KafkaException
from .fetch_state import FetchedEvent, FetchState, TopicPartitionKey
from .group_membership import ConsumerGroupMetadata, GroupMembership, RebalanceHooks
from .history import COMMIT, CRASH, POLL, history_of
from .message import (
    OFFSET_BEGINNING,
    OFFSET_END,
    OFFSET_INVALID,
    OFFSET_STORED,
    Message,
    TopicPartition,
    c_timeout,
)
from .transaction_manager import err2str

_GROUP_EVENT: TopicPartitionKey = ("", -1)  # an event of the consumer group, not a partition
_EARLIEST = ("smallest", "earliest", "beginning")


def _copy(tp: TopicPartition) -> TopicPartition:
    return TopicPartition(tp.topic, tp.partition, tp.offset)


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
        self._auto_store = cfg["enable.auto.offset.store"]
        self._assignment: dict[TopicPartitionKey, FetchState] = {}
        self._ops: deque[FetchedEvent] = deque()
        self._group: GroupMembership | None = None
        self._stored: dict[TopicPartitionKey, int] = {}  # the offset store (next offset to read)
        self._committed: dict[TopicPartitionKey, int] = {}  # what this consumer last committed
        self._commit_reports: list[tuple[KafkaError | None, list[TopicPartition]]] = []
        self._assigned_in_callback = False
        interval = cfg["auto.commit.interval.ms"]
        if cfg["enable.auto.commit"] and interval:
            # librdkafka commits from a background timer, whether or not the application has
            # finished with what poll() returned: the timer runs on the cluster's clock
            self._cluster.clock.schedule(
                f"{self._client_id} auto commit", interval, self._auto_commit, interval
            )
        self._closed = False
        self.records_returned = 0
        self._history = history_of(self._cluster)
        self._history_info = {"group_id": self.group_id, "isolation": cfg["isolation.level"]}
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

    @property
    def stored_offsets(self) -> dict[TopicPartitionKey, int]:
        return dict(self._stored)

    # -- assignment -------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("Consumer closed")

    def assign(self, partitions: list[TopicPartition]) -> None:
        self._check_open()
        _require_partition_list(partitions)
        self._assigned_in_callback = True
        self._assignment = {}
        self._drop_partition_ops()
        for tp in partitions:
            state = FetchState(OFFSET_INVALID, requested=tp.offset, assigned=tp.offset)
            self._assignment[(tp.topic, tp.partition)] = state

    def incremental_assign(self, partitions: list[TopicPartition]) -> None:
        self._check_open()
        _require_partition_list(partitions)
        self._assigned_in_callback = True
        for tp in partitions:
            self._assignment[(tp.topic, tp.partition)] = FetchState(
                OFFSET_INVALID, requested=tp.offset, assigned=tp.offset
            )

    def unassign(self) -> None:
        self._check_open()
        self._assigned_in_callback = True
        self._assignment = {}
        self._drop_partition_ops()

    def incremental_unassign(self, partitions: list[TopicPartition]) -> None:
        self._check_open()
        _require_partition_list(partitions)
        self._assigned_in_callback = True
        for tp in partitions:
            self._assignment.pop((tp.topic, tp.partition), None)

    def assignment(self) -> list[TopicPartition]:
        self._check_open()
        return [
            TopicPartition(t, p, s.assigned if s.assigned != OFFSET_INVALID else OFFSET_STORED)
            for (t, p), s in self._assignment.items()
        ]

    # -- groups -----------------------------------------------------------------------------------
    def subscribe(
        self,
        topics: list[str],
        on_assign: Any = None,
        on_revoke: Any = None,
        on_lost: Any = None,
    ) -> None:
        """Join the group; partitions arrive in a later poll(), through on_assign if given."""
        self._check_open()
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise TypeError("expected list of topic unicode strings")
        for cb, name in ((on_assign, "on_assign"), (on_revoke, "on_revoke"), (on_lost, "on_lost")):
            if cb is not None and not callable(cb):
                raise TypeError(f"{name} expects a callable")
        if self._group is not None:
            self._group.topics = list(topics)
            self._group.phase = "join"
            return
        hooks = RebalanceHooks(self._rebalance_assign, self._rebalance_revoke, self._group_error)
        self._group = GroupMembership(
            self._cluster, self._cfg, self._client_id, hooks, topics, on_assign, on_revoke, on_lost
        )

    def unsubscribe(self) -> None:
        self._check_open()
        if self._group is not None:
            self._rebalance_revoke(self._group.on_revoke, lost=False)
            self._group.leave()
            self._group = None

    def memberid(self) -> str | None:
        self._check_open()
        return self._group.member_id if self._group and self._group.member_id else None

    def consumer_group_metadata(self) -> ConsumerGroupMetadata:
        """For `Producer.send_offsets_to_transaction`: group, generation and member id."""
        self._check_open()
        if self._group is not None:
            return self._group.metadata()
        return ConsumerGroupMetadata(self.group_id, -1, "", self._cfg["group.instance.id"])

    def _rebalance_assign(self, partitions: list[TopicPartition], on_assign: Any) -> None:
        """confluent_kafka: call on_assign, then assign() unless the callback did."""
        self._assigned_in_callback = False
        if on_assign is not None:
            on_assign(self, partitions)
        if not self._assigned_in_callback:
            self.assign(partitions)

    def _rebalance_revoke(self, callback: Any, lost: bool) -> None:
        if not lost and self._cfg["enable.auto.commit"]:
            self._commit_stored(asynchronous=True, quiet=True)
        partitions = [TopicPartition(t, p) for t, p in self._assignment]
        self._assigned_in_callback = False
        if callback is not None:
            callback(self, partitions)
        if not self._assigned_in_callback:
            self._assignment = {}
            self._drop_partition_ops()

    def _group_error(self, code: int) -> None:
        """rd_kafka_consumer_err on the consumer queue: an error event for no partition (its
        message is zeroed, so confluent_kafka's partition() answers 0), kept across
        assignment changes."""
        error = KafkaError(code, f"JoinGroup failed: {err2str(code)}")
        self._ops.append(
            FetchedEvent("error", _GROUP_EVENT, 0, message=Message(partition=0, error=error))
        )

    def _drop_partition_ops(self) -> None:
        """Forget what was queued for the partitions (a new assignment); group events stay."""
        kept = [op for op in self._ops if op.tp == _GROUP_EVENT]
        self._ops.clear()
        self._ops.extend(kept)

    # -- offsets: committed, stored, commit -------------------------------------------------------
    def _fetch_committed(
        self, tps: list[TopicPartitionKey]
    ) -> dict[TopicPartitionKey, tuple[int, Errors]]:
        """OffsetFetch; librdkafka asks for stable offsets only when read_committed (§6.2)."""
        result = self._cluster.offset_fetch(
            self.group_id,
            tps,
            require_stable=self._isolation == READ_COMMITTED,
            client_id=self._client_id,
        )
        return {tp: (offset, error) for tp, (offset, _meta, error) in result.items()}

    def committed(
        self, partitions: list[TopicPartition], timeout: float | None = None
    ) -> list[TopicPartition]:
        self._check_open()
        _require_partition_list(partitions)
        fetched = self._fetch_committed([(tp.topic, tp.partition) for tp in partitions])
        out = []
        for tp in partitions:
            offset, error = fetched[(tp.topic, tp.partition)]
            if error == Errors.UNSTABLE_OFFSET_COMMIT:
                raise KafkaException(
                    KafkaError(
                        int(error),
                        f"Failed to get committed offsets: {err2str(error)}",
                        retriable=True,
                    )
                )
            out.append(
                TopicPartition(tp.topic, tp.partition, offset if offset >= 0 else OFFSET_INVALID)
            )
        return out

    def store_offsets(
        self, message: Message | None = None, offsets: list[TopicPartition] | None = None
    ) -> None:
        """Store offsets for the next commit (needs enable.auto.offset.store=false)."""
        self._check_open()
        if self._auto_store:
            raise KafkaException(
                KafkaError(
                    KafkaError._INVALID_ARG,
                    "StoreOffsets failed: Local: Invalid argument or configuration",
                )
            )
        if (message is None) == (offsets is None):
            raise ValueError("expected either message or offsets")
        if message is not None:
            if not isinstance(message, Message):
                raise TypeError("expected Message")
            todo = [(message.topic(), message.partition(), message.offset() + 1)]
        else:
            _require_partition_list(offsets)
            todo = [(tp.topic, tp.partition, tp.offset) for tp in offsets or []]
        # rd_kafka_offsets_store: each partition on its own; one not assigned is an error
        # (_STATE if the topic is known to this consumer), the others are stored
        error = None
        topics = {t for t, _ in self._assignment}
        for topic, partition, offset in todo:
            if (topic, partition) in self._assignment:
                self._stored[(topic, partition)] = offset
            else:
                error = KafkaError._STATE if topic in topics else KafkaError._UNKNOWN_PARTITION
        if error is not None:
            raise KafkaException(
                KafkaError(error, f"StoreOffsets failed: {KafkaError(error).str()}")
            )

    def _store(self, tp: TopicPartitionKey, offset: int) -> None:
        if self._auto_store:
            self._stored[tp] = offset

    def commit(
        self,
        message: Message | None = None,
        offsets: list[TopicPartition] | None = None,
        asynchronous: bool = True,
    ) -> list[TopicPartition] | None:
        """Commit the stored offsets, a message's offset + 1, or the given offsets."""
        self._check_open()
        if message is not None and offsets is not None:
            raise ValueError("Commit requires either message or offsets, not both")
        if message is not None:
            if not isinstance(message, Message):
                raise TypeError("expected Message")
            todo = {(message.topic(), message.partition()): message.offset() + 1}
        elif offsets is not None:
            _require_partition_list(offsets)
            # rdkafka_cgrp.c commits absolute offsets only: a logical or negative offset is
            # left out, and with none left the commit fails with _NO_OFFSET
            todo = {(tp.topic, tp.partition): tp.offset for tp in offsets if tp.offset >= 0}
            if todo:
                return self._commit(todo, asynchronous, listed=offsets)
        else:
            todo = self._stored_to_commit()
        return self._commit(todo, asynchronous)

    def _stored_to_commit(self) -> dict[TopicPartitionKey, int]:
        """rd_kafka_topic_partition_list_set_offsets(is_commit): a stored offset is committed
        only if it is absolute and ahead of the committed one (observed on the mock cluster:
        commit 3, store 2 or -5, commit() -> _NO_OFFSET; store 7, commit() -> 7)."""
        return {
            tp: o
            for tp, o in self._stored.items()
            if tp in self._assignment and o >= 0 and o > self._committed.get(tp, -1)
        }

    def _commit_stored(self, asynchronous: bool, quiet: bool) -> None:
        todo = self._stored_to_commit()
        if todo:
            self._commit(todo, asynchronous, quiet=quiet)

    def _commit(
        self,
        todo: dict[TopicPartitionKey, int],
        asynchronous: bool,
        quiet: bool = False,
        listed: list[TopicPartition] | None = None,
    ) -> list[TopicPartition] | None:
        """OffsetCommit; a synchronous failure raises "Commit failed: ..." (confluent_kafka's
        Consumer_commit), the on_commit callback gets the bare error."""
        if not todo:
            error = KafkaError(KafkaError._NO_OFFSET)
            if asynchronous:
                if not quiet:
                    self._commit_reports.append((error, []))
                return None
            raise KafkaException(KafkaError(KafkaError._NO_OFFSET, f"Commit failed: {error.str()}"))
        meta = self.consumer_group_metadata()
        results = self._cluster.offset_commit(
            self.group_id,
            {tp: (o, "") for tp, o in todo.items()},
            generation_id=meta.generation_id,
            member_id=meta.member_id,
            group_instance_id=meta.group_instance_id,
            client_id=self._client_id,
        )
        out, first_error = [], None
        for tp, offset in todo.items():
            r = TopicPartition(tp[0], tp[1], offset)
            code = results[tp]
            if code:
                r.error = KafkaError(int(code))
                first_error = first_error or r.error
            else:
                self._committed[tp] = offset
            if self._history.recording:
                self._history.record(
                    self._cluster.now_ms,
                    self._client_id,
                    COMMIT,
                    topic=tp[0],
                    partition=tp[1],
                    offset=offset,
                    error=r.error.name() if r.error else None,
                    info=self._history_info,
                )
            out.append(r)
        if listed is not None:  # the result lists every partition asked for, as given
            done = {(r.topic, r.partition): r for r in out}
            out = [done.get((tp.topic, tp.partition)) or _copy(tp) for tp in listed]
        if asynchronous:
            if not quiet:
                self._commit_reports.append((first_error, out))
            return None
        if first_error is not None:
            raise KafkaException(
                KafkaError(first_error.code(), f"Commit failed: {first_error.str()}")
            )
        return out

    def _auto_commit(self) -> None:
        if not self._closed:
            self._commit_stored(asynchronous=True, quiet=True)

    def _serve_commit_reports(self) -> None:
        callback = self._cfg["on_commit"]
        while self._commit_reports:
            error, partitions = self._commit_reports.pop(0)
            if callback is not None:
                callback(error, partitions)

    # -- resolving where to start -----------------------------------------------------------------
    def _resolve(self, tp: TopicPartitionKey, state: FetchState) -> bool:
        """Turn a logical offset (beginning, end, stored) into a fetch position."""
        requested = state.requested
        if requested >= 0:
            state.fetch_position = requested
            return True
        if requested in (OFFSET_INVALID, OFFSET_STORED):
            offset, error = self._fetch_committed([tp])[tp]
            if error == Errors.UNSTABLE_OFFSET_COMMIT:
                return False  # a transaction holds offsets for this partition: wait for it
            if offset >= 0:
                state.fetch_position = state.requested = offset
                self._committed[tp] = offset  # librdkafka's rktp_committed_pos
                return True
            reset = self._cfg["auto.offset.reset"]
            if reset == "error":
                error_ = KafkaError(
                    KafkaError._AUTO_OFFSET_RESET,
                    "no previously committed offset available: auto.offset.reset=error",
                )
                self._ops.append(
                    FetchedEvent(
                        "error", tp, state.version, message=Message(tp[0], tp[1], error=error_)
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
        state.fetch_position = state.requested = r.offset
        return True

    def _error_event(self, tp: TopicPartitionKey, state: FetchState, code: int) -> None:
        error = KafkaError(code, f"{tp[0]} [{tp[1]}]: {KafkaError(code).str()}")
        message = Message(tp[0], tp[1], OFFSET_INVALID, error=error)
        self._ops.append(FetchedEvent("error", tp, state.version, message=message))

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
            # rdkafka_fetcher.c: EOF once the fetch position *equals* the end offset (the LSO for
            # read_committed), once per end offset: a position beyond an open transaction's LSO
            # is not the end of the partition
            end = state.ls_offset if self._isolation == READ_COMMITTED else state.hi_offset
            if (
                self._cfg["enable.partition.eof"]
                and state.eof_offset != end
                and state.fetch_position == end
            ):
                state.eof_offset = end
                error = KafkaError(
                    KafkaError._PARTITION_EOF,
                    f"Fetch from broker {self._cluster.leader_for(*tp)} reached end of partition "
                    f"at offset {state.fetch_position} (HighwaterMark {state.hi_offset})",
                )
                message = Message(
                    tp[0], tp[1], state.fetch_position, value=error.str().encode(), error=error
                )
                self._ops.append(FetchedEvent("error", tp, state.version, message=message))
        return len(self._ops) > queued

    def _read_batches(
        self,
        tp: TopicPartitionKey,
        state: FetchState,
        batches: list[RecordBatch],
        aborted: list[tuple[int, int]] | None,
    ) -> None:
        """Filter a fetched batch list as the client does (reference §5.2); data batches are
        queued whole and turned into messages one at a time as the application polls."""
        heap = [(first, pid) for pid, first in (aborted or [])]
        heapq.heapify(heap)
        aborted_pids: set[int] = set()
        position = state.fetch_position
        read_committed = self._isolation == READ_COMMITTED
        ops, version = self._ops, state.version
        for batch in batches:
            if read_committed and batch.producer_id >= 0:
                while heap and heap[0][0] <= batch.last_offset:
                    aborted_pids.add(heapq.heappop(heap)[1])
                if batch.is_control and batch.control_type == ControlRecordType.ABORT:
                    aborted_pids.discard(batch.producer_id)
                elif batch.is_transactional and batch.producer_id in aborted_pids:
                    continue  # aborted data: skipped, and no event for the application
            if batch.is_control:
                if batch.base_offset >= position:
                    ops.append(FetchedEvent("ctrl", tp, version, offset=batch.base_offset + 1))
                continue
            if batch.last_offset >= position:
                start = max(0, position - batch.base_offset)
                ops.append(FetchedEvent("batch", tp, version, batch=batch, index=start))
        state.fetch_position = max(position, batches[-1].next_offset)

    def _next_messages(self, limit: int) -> list[Message]:
        """Up to `limit` messages and events, in queue order. The records of a fetched batch
        become Messages a slice at a time (as librdkafka hands a fetched message set to the
        application), and the position and stored offset move once per slice."""
        ops, out = self._ops, []
        assignment, recording = self._assignment, self._history.recording
        while len(out) < limit:
            if not ops and not self._fetch_round():
                break
            op = ops[0]
            if op.tp == _GROUP_EVENT:
                ops.popleft()
                out.append(op.message)
                continue
            state = assignment.get(op.tp)
            if state is None or state.version != op.version:
                ops.popleft()  # queued before a seek or a new assignment
                continue
            if op.kind == "batch":
                batch, first = op.batch, op.index
                timestamps, keys, values, headers = batch.columns()
                count = len(values)
                last = min(count, first + limit - len(out))
                if last >= count:
                    ops.popleft()
                else:
                    op.index = last
                if first or last < count:
                    timestamps, values = timestamps[first:last], values[first:last]
                    keys = None if keys is None else keys[first:last]
                    headers = None if headers is None else headers[first:last]
                topic, partition = op.tp
                base = batch.base_offset + first
                out += Message.fetched(
                    topic,
                    partition,
                    base,
                    timestamps,
                    keys,
                    values,
                    headers,
                    batch.partition_leader_epoch,
                )
                next_offset = batch.base_offset + last
                state.app_position = next_offset
                if self._auto_store:
                    self._stored[op.tp] = next_offset
                self.records_returned += last - first
                if recording:
                    for offset, key, value in zip(
                        range(base, next_offset),
                        repeat(None, last - first) if keys is None else keys,
                        values,
                        strict=True,
                    ):
                        self._history.record(
                            self._cluster.now_ms,
                            self._client_id,
                            POLL,
                            topic=topic,
                            partition=partition,
                            offset=offset,
                            key=key,
                            value=value,
                            info=self._history_info,
                        )
                continue
            ops.popleft()
            if op.kind == "ctrl":
                state.app_position = op.offset
                self._store(op.tp, op.offset)  # librdkafka stores past control records too
                continue
            out.append(op.message)
        return out

    def _before_poll(self) -> None:
        self._check_open()
        if self._group is not None:
            self._group.tick()
        self._serve_commit_reports()

    # -- the application's calls ----------------------------------------------------------------
    def poll(self, timeout: float | None = None) -> Message | None:
        """One message, an error event, or None when nothing more can be fetched now."""
        c_timeout(timeout)
        self._before_poll()
        taken = self._next_messages(1)
        return taken[0] if taken else None

    def consume(self, num_messages: int = 1, timeout: float = -1) -> list[Message]:
        self._check_open()
        c_timeout(timeout)
        if not isinstance(num_messages, int) or not 0 <= num_messages <= 1_000_000:
            raise ValueError("num_messages must be between 0 and 1000000 (1M)")
        self._before_poll()
        return self._next_messages(num_messages)

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
        # rdkafka_partition.c (rd_kafka_toppar_op_seek): the application position is reset, so
        # position() answers -1001 until a message from the new offset is returned
        state.version += 1
        state.requested = partition.offset
        state.fetch_position = partition.offset if partition.offset >= 0 else OFFSET_INVALID
        state.app_position = OFFSET_INVALID
        state.eof_offset = OFFSET_INVALID

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
        topic = self._cluster.topics.get(partition.topic)
        if topic is None or not 0 <= partition.partition < len(topic.partitions):
            raise KafkaException(
                KafkaError(
                    KafkaError._UNKNOWN_PARTITION,
                    "Failed to get watermark offsets: Local: Unknown partition",
                )
            )
        offsets = []
        for timestamp in (EARLIEST_TIMESTAMP, LATEST_TIMESTAMP):
            r = self._cluster.list_offsets(
                partition.topic,
                partition.partition,
                timestamp,
                self._isolation,
                client_id=self._client_id,
            )
            if r.error:
                raise KafkaException(KafkaError(int(r.error)))
            offsets.append(r.offset)
        return (offsets[0], offsets[1])

    def offsets_for_times(
        self, partitions: list[TopicPartition], timeout: float | None = None
    ) -> list[TopicPartition]:
        """rd_kafka_offsets_for_times: ListOffsets with each partition's offset read as a
        timestamp, at this consumer's isolation level (so never at or above the LSO for
        read_committed); -1 (OFFSET_END) where no record qualifies."""
        self._check_open()
        _require_partition_list(partitions)
        c_timeout(timeout)
        # librdkafka sends one entry per partition: listed twice, the last timestamp answers both
        asked = {(tp.topic, tp.partition): tp.offset for tp in partitions}
        for topic, partition in asked:
            t = self._cluster.topics.get(topic)
            if t is None or not 0 <= partition < len(t.partitions):
                raise KafkaException(
                    KafkaError(
                        KafkaError._UNKNOWN_PARTITION,
                        "Failed to get offsets: Local: Unknown partition",
                    )
                )
        answers = {
            tp: self._cluster.list_offsets(
                tp[0], tp[1], timestamp, self._isolation, client_id=self._client_id
            )
            for tp, timestamp in asked.items()
        }
        out = []
        for tp in partitions:
            r = answers[(tp.topic, tp.partition)]
            result = TopicPartition(tp.topic, tp.partition, r.offset)
            if r.error:
                result.error = KafkaError(int(r.error))
            out.append(result)
        return out

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any:
        self._check_open()
        return cluster_metadata(self._cluster, topic, self._client_id)

    def close(self) -> None:
        """Leave cleanly: revoke, auto-commit what was stored, LeaveGroup."""
        if self._closed:
            return
        if self._group is not None:
            self._rebalance_revoke(self._group.on_revoke, lost=False)
            self._group.leave()
        elif self._cfg["enable.auto.commit"]:
            self._commit_stored(asynchronous=True, quiet=True)
        self._closed = True
        self._assignment = {}
        self._ops.clear()

    def crash(self) -> None:
        """eoslab fault: the process dies here. Nothing is committed, no LeaveGroup is sent; the
        coordinator notices only when the session times out."""
        if self._closed:
            return
        if self._history.recording:
            self._history.record(self._cluster.now_ms, self._client_id, CRASH)
        if self._group is not None:
            self._group.crash()
        self._closed = True
        self._assignment = {}
        self._ops.clear()
