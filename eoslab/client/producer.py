"""`Producer`, shaped like confluent_kafka's, speaking to the embedded cluster.

What it reproduces of librdkafka, because the lessons depend on it:
- `produce()` only queues; records leave in batches on `flush()`, `poll()` with a timeout, a full
  batch, a transaction commit, or once the cluster clock passes `linger.ms`. So `begin; produce;
  abort` leaves no trace in the log, while `begin; produce; flush; abort` leaves aborted data and an
  ABORT marker.
- Idempotence: one producer id and epoch, a sequence number per partition, continued across
  transactions (TV1).
- The transactional state machine (Init, Ready, InTransaction, ... FatalError) with the same
  `_STATE` errors for calls out of order, partitions registered with AddPartitionsToTxn before their
  first batch, no EndTxn for an empty transaction, and the error classes of librdkafka: fenced is
  fatal, a failed delivery makes the transaction abortable.
"""

from __future__ import annotations

import functools
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..broker import Errors, RecordBatch
from ..broker.protocol import LIBRDKAFKA_API_VERSIONS
from ..broker.record import RECORD_BATCH_OVERHEAD, _varint_size
from .config import ClientConfig, check_producer_config
from .connection import cluster_metadata, connect
from .errors import KafkaError, KafkaException
from .group_membership import ConsumerGroupMetadata
from .history import ACK, CRASH, SEND, SEND_OFFSETS, TXN, history_of
from .message import (
    INT64,
    TIMESTAMP_CREATE_TIME,
    TIMESTAMP_NOT_AVAILABLE,
    Message,
    TopicPartition,
    c_int,
    c_timeout,
)
from .transaction_manager import MAX_ATTEMPTS, TransactionManager, TxnState, err2str

TopicPartitionKey = tuple[str, int]
# RD_KAFKAP_MESSAGE_V2_MAX_OVERHEAD: a v2 record's largest framing (length, attributes,
# timestamp delta, offset delta, key length, value length, header count as varints)
RECORD_MAX_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5


def _to_bytes(value: Any, what: str) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'")


def _headers(headers: Any) -> tuple[tuple[str, bytes | None], ...]:
    """confluent_kafka's header checks: a dict or a list of (key, value) tuples; a key is taken
    as its str(), a value must be None, bytes or str."""
    if headers is None:
        return ()
    if isinstance(headers, dict):
        items = list(headers.items())
    elif isinstance(headers, list):
        items = headers
    else:
        raise TypeError(
            "expected headers to be dict or list of (key, value) tuples, "
            f"not {type(headers).__name__}"
        )
    out = []
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise TypeError("Headers are expected to be a list of (key, value) tuples")
        name, value = item
        if value is not None and not isinstance(value, bytes | str):
            raise TypeError(
                "expected header value to be None, binary, or unicode string, "
                f"not {type(value).__name__}"
            )
        out.append((str(name), _to_bytes(value, "Header value")))
    return tuple(out)


def _headers_size(headers: tuple[tuple[str, bytes | None], ...]) -> int:
    """rd_kafka_headers_serialized_size: varint lengths plus the bytes of names and values."""
    size = 0
    for name, value in headers:
        n = len(name) if name.isascii() else len(name.encode())
        v = -1 if value is None else len(value)
        size += (1 if n < 64 else _varint_size(n)) + n
        size += (1 if v < 64 else _varint_size(v)) + max(v, 0)
    return size


@dataclass(slots=True)
class _Queued:
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes | None], ...]
    timestamp: int
    callback: Any
    wire_size: int = 0  # rd_kafka_msg_max_wire_size


@dataclass(slots=True)
class _PartitionQueue:
    messages: list[_Queued] = field(default_factory=list)
    linger_armed: bool = False
    # when the queue's first message has waited linger.ms: a timer armed for an earlier batch
    # (sent since by a flush or a commit) that fires before then does nothing
    linger_due: int = 0
    on_linger: Any = None  # the linger timer's callback, made once per partition


def _recorded_txn(action: str) -> Any:
    """Write a transactional call and how it ended into the clients' history."""

    def wrap(method: Any) -> Any:
        @functools.wraps(method)
        def call(self: Producer, *args: Any, **kwargs: Any) -> Any:
            error = None
            try:
                return method(self, *args, **kwargs)
            except KafkaException as e:
                error = e.args[0].name() if e.args and isinstance(e.args[0], KafkaError) else "?"
                raise
            finally:
                if self._txn is not None and self._history.recording:
                    self._history.record(
                        self._cluster.now_ms,
                        self._client_id,
                        TXN,
                        error=error,
                        info={
                            "action": action,
                            "transactional_id": self._txn.transactional_id,
                            "producer_id": self._txn.producer_id,
                            "producer_epoch": self._txn.producer_epoch,
                        },
                    )

        return call

    return wrap


class Producer:
    def __init__(self, conf: Any = None, **kwargs: Any) -> None:
        if conf is None and not kwargs:
            raise TypeError("expected configuration dict")
        cfg = ClientConfig(conf if conf is not None else {}, "producer", kwargs)
        check_producer_config(cfg)
        self._cluster = connect(cfg)
        self._cfg = cfg
        self._client_id = (
            cfg["client.id"]
            if cfg.is_set("client.id")
            else self._cluster.next_client_name("producer")
        )
        tid = cfg["transactional.id"] or None
        self._txn = (
            TransactionManager(
                self._cluster,
                tid,
                cfg["transaction.timeout.ms"],
                self._client_id,
                cfg["eoslab.protocol"],
            )
            if tid
            else None
        )
        self._idempotent = bool(cfg["enable.idempotence"] or tid)
        self._pid = -1  # an idempotent (non-transactional) producer's id and epoch
        self._epoch = -1
        self._fatal_error: KafkaError | None = None  # idempotent producer's fatal error
        self._sequences: dict[TopicPartitionKey, int] = {}
        self._queues: dict[TopicPartitionKey, _PartitionQueue] = {}
        self._reports: deque[tuple[Any, KafkaError | None, Message]] = deque()
        self._failed_in_txn = 0
        self._topics: dict[str, int] = {}  # metadata cache: topic -> partition count
        self._closed = False
        # settings read on every produce(), looked up once
        self._on_delivery = cfg["on_delivery"]
        self._queue_limit = cfg["queue.buffering.max.messages"]
        self._batch_limit = cfg["batch.num.messages"]
        self._linger_ms = int(cfg["queue.buffering.max.ms"])
        self._dr_only_error = cfg["delivery.report.only.error"]
        self._max_msg_size = cfg["message.max.bytes"]
        # a batch stops growing at min(message.max.bytes, batch.size) (rdkafka_msgset_writer.c)
        self._batch_bytes = min(cfg["message.max.bytes"], cfg["batch.size"])
        self._error_cb = cfg["error_cb"]
        self._errors: deque[KafkaError] = deque()  # error events for error_cb, served by poll()
        self._queued = 0
        self._sending = False
        self._api_versions = self._txn.versions if self._txn else LIBRDKAFKA_API_VERSIONS
        if self._txn is not None:
            self._txn.epoch_changed = self._sequences.clear
            self._txn.on_fatal = self._on_fatal
        self._history = history_of(self._cluster)
        self._cluster.register_client(self)

    # -- introspection (eoslab additions, used by views and widgets) ------------------------------
    @property
    def client_id(self) -> str:
        return self._client_id

    @property
    def transactional_id(self) -> str | None:
        return self._txn.transactional_id if self._txn else None

    @property
    def producer_id(self) -> int:
        return self._txn.producer_id if self._txn else self._pid

    @property
    def producer_epoch(self) -> int:
        return self._txn.producer_epoch if self._txn else self._epoch

    @property
    def transaction_state(self) -> str | None:
        return self._txn.state if self._txn else None

    def __len__(self) -> int:
        """Messages queued, in flight or awaiting their delivery report, plus events not yet
        served (rd_kafka_outq_len counts the reply queue too)."""
        if self._closed:
            return 0
        return self._queued + len(self._reports) + len(self._errors)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("Producer has been closed")

    @property
    def _fatal(self) -> KafkaError | None:
        return self._txn.fatal_error if self._txn else self._fatal_error

    # -- produce ----------------------------------------------------------------------------------
    def produce(
        self,
        topic: str,
        value: Any = None,
        key: Any = None,
        partition: int = -1,
        on_delivery: Any = None,
        timestamp: int = 0,
        headers: Any = None,
        callback: Any = None,
    ) -> None:
        if self._closed:  # _check_open, inline: this runs for every record
            raise RuntimeError("Producer has been closed")
        # argument types first, as the C extension parses them: nothing bad reaches the broker
        if not isinstance(topic, str):
            raise TypeError(f"argument 1 must be str, not {type(topic).__name__}")
        if type(partition) is not int or not -(2**31) <= partition < 2**31:
            partition = c_int(partition)
        if type(timestamp) is not int or not -(2**63) <= timestamp < 2**63:
            timestamp = c_int(timestamp, INT64)
        if on_delivery is not None or callback is not None:
            for name, cb in (("on_delivery", on_delivery), ("callback", callback)):
                if cb is not None and not callable(cb):
                    # confluent_kafka 2.16.1 takes it, then flush() raises SystemError and the
                    # report is lost; eoslab refuses it here instead
                    raise TypeError(f"{name} must be a callable, not {type(cb).__name__}")
        callback = on_delivery or callback or self._on_delivery
        value_b = value if type(value) is bytes else _to_bytes(value, "value")
        key_b = key if key is None or type(key) is bytes else _to_bytes(key, "key")
        hdrs = _headers(headers) if headers is not None else ()
        if self._fatal is not None:
            raise KafkaException(
                KafkaError(KafkaError._FATAL, "Unable to produce message: Local: Fatal error")
            )
        if self._txn is not None and not self._txn.may_produce:
            raise KafkaException(
                KafkaError(KafkaError._STATE, "Unable to produce message: Local: Erroneous state")
            )
        wire_size = RECORD_MAX_OVERHEAD
        if key_b:
            wire_size += len(key_b)
        if value_b:
            wire_size += len(value_b)
        if hdrs:
            wire_size += _headers_size(hdrs)
        if wire_size > self._max_msg_size:  # rdkafka_msg.c rd_kafka_msg_new0
            raise KafkaException(
                KafkaError(
                    KafkaError.MSG_SIZE_TOO_LARGE,
                    "Unable to produce message: Broker: Message size too large",
                )
            )
        limit = self._queue_limit
        if limit and self._queued + len(self._reports) >= limit:
            raise BufferError("Local: Queue full")
        count = self._topics.get(topic)
        known = count is not None
        if count is None:
            count = self._partition_count(topic)
        if count is None:
            raise KafkaException(
                KafkaError(
                    KafkaError._UNKNOWN_TOPIC, "Unable to produce message: Local: Unknown topic"
                )
            )
        if partition == -1:
            partition = self._partition_for(key_b, count)
        elif not 0 <= partition < count:
            error = KafkaError(KafkaError._UNKNOWN_PARTITION)
            if known:  # rd_kafka_msg_partitioner: the partition count is already known
                raise KafkaException(
                    KafkaError(
                        KafkaError._UNKNOWN_PARTITION,
                        "Unable to produce message: Local: Unknown partition",
                    )
                )
            # a producer without the topic's metadata queues the message; it fails once the
            # metadata arrives, in its delivery report (rd_kafka_topic_assign_uas)
            msg = Message(
                topic, partition, -1001, key_b, value_b, None, error, (TIMESTAMP_NOT_AVAILABLE, -1)
            )
            self._report(callback, error, msg)
            return
        tp = (topic, partition)
        queue = self._queues.get(tp)
        if queue is None:
            queue = self._queues[tp] = _PartitionQueue(
                on_linger=functools.partial(self._on_linger, tp)
            )
        if self._history.recording:
            self._history.record(
                self._cluster.now_ms,
                self._client_id,
                SEND,
                topic=topic,
                partition=partition,
                key=key_b,
                value=value_b,
                info={"transactional_id": self.transactional_id} if self._txn else None,
            )
        queue.messages.append(
            _Queued(key_b, value_b, hdrs, timestamp or self._cluster.now_ms, callback, wire_size)
        )
        self._queued += 1
        if len(queue.messages) >= self._batch_limit:
            self._send([tp])
        elif not queue.linger_armed:
            queue.linger_armed = True
            queue.linger_due = self._cluster.now_ms + self._linger_ms
            self._cluster.clock.schedule(
                f"{self._client_id} linger {topic}-{partition}",
                self._linger_ms,
                queue.on_linger,
            )

    def _on_linger(self, tp: TopicPartitionKey) -> None:
        """librdkafka sends a partition's queue once its first message is linger.ms old
        (rd_kafka_toppar_producer_serve, the message's ts_enq), so only the timer armed for the
        queue's current first message sends it."""
        queue = self._queues.get(tp)
        if (
            not self._closed
            and queue is not None
            and queue.linger_armed
            and self._cluster.now_ms >= queue.linger_due
        ):
            queue.linger_armed = False
            self._send([tp])

    def _partition_count(self, topic: str) -> int | None:
        if topic not in self._topics:
            error, partitions = self._cluster.metadata([topic], client_id=self._client_id).topics[
                topic
            ]
            if error:
                return None
            self._topics[topic] = len(partitions)
        return self._topics[topic]

    def _partition_for(self, key: bytes | None, count: int) -> int:
        """librdkafka's default `consistent_random`: CRC32 of the key, random for a null key."""
        name = self._cfg["partitioner"]
        if name == "random" or (not key and name.endswith("_random")):
            return self._cluster.rng.randrange(count)
        return zlib.crc32(key or b"") % count

    # -- sending --------------------------------------------------------------------------------
    def _producer_id_ready(self) -> bool:
        """An idempotent producer fetches its id before the first batch; a transactional one
        gets it from init_transactions()."""
        if self._txn is not None:
            return self._txn.may_produce
        if not self._idempotent or self._pid >= 0:
            return True
        r = self._cluster.init_producer_id(None, client_id=self._client_id)
        if r.error:
            return False
        self._pid, self._epoch = r.producer_id, r.producer_epoch
        return True

    def _send(self, partitions: list[TopicPartitionKey] | None = None) -> None:
        """Send the queued batches of these partitions (all by default), enrolling them first."""
        if partitions is None:
            partitions = [tp for tp, q in self._queues.items() if q.messages]
        partitions = [tp for tp in partitions if self._queues.get(tp) and self._queues[tp].messages]
        if not partitions or not self._producer_id_ready():
            return
        self._sending = True
        try:
            self._send_batches(partitions)
        finally:
            self._sending = False
        if self._fatal is not None:
            self._purge_queue()  # after the failed batch's own reports, as librdkafka orders them

    def _send_batches(self, partitions: list[TopicPartitionKey]) -> None:
        if self._txn is not None:
            enrolled = self._txn.register(partitions)
            partitions = [tp for tp in partitions if tp in enrolled]
        limit = self._batch_limit
        for tp in partitions:
            queue = self._queues[tp]
            queue.linger_armed = False
            while queue.messages and self._fatal is None:
                n = self._batch_length(queue.messages, limit)
                chunk, queue.messages = queue.messages[:n], queue.messages[n:]
                self._queued -= len(chunk)
                if not self._produce_batch(tp, chunk):
                    queue.messages = chunk + queue.messages  # retried on the next send
                    self._queued += len(chunk)
                    break

    def _batch_length(self, messages: list[_Queued], limit: int) -> int:
        """How many queued messages go in the next batch: at most batch.num.messages, and no
        more bytes than min(message.max.bytes, batch.size), though the first always goes."""
        size = RECORD_BATCH_OVERHEAD
        for n, m in enumerate(messages[:limit]):
            size += m.wire_size
            if n and size > self._batch_bytes:
                return n
        return min(len(messages), limit)

    def _produce_batch(self, tp: TopicPartitionKey, chunk: list[_Queued]) -> bool:
        """Send one batch; False when the broker asked to try again later (it stays queued)."""
        # built as columns, as the log keeps them (librdkafka writes a batch's bytes once too)
        columns = (
            tuple([m.timestamp for m in chunk]),
            tuple([m.key for m in chunk]),
            tuple([m.value for m in chunk]),
            tuple([m.headers for m in chunk]),
        )
        seq = self._sequences.get(tp, 0) if self._idempotent else -1
        batch = RecordBatch(
            columns=columns,
            producer_id=self.producer_id if self._idempotent else -1,
            producer_epoch=self.producer_epoch if self._idempotent else -1,
            base_sequence=seq,
            is_transactional=self._txn is not None,
        )
        for _attempt in range(MAX_ATTEMPTS):  # a timed-out request is retried as it was
            response = self._cluster.produce(
                tp[0],
                tp[1],
                batch,
                transactional_id=self.transactional_id,
                acks=self._cfg["request.required.acks"],
                client_id=self._client_id,
                api_version=self._api_versions["Produce"],
            )
            if response.error != Errors.REQUEST_TIMED_OUT:
                break
        if response.error == Errors.CONCURRENT_TRANSACTIONS:
            return False  # TV2: the previous transaction's markers are still on their way
        error: KafkaError | None = None
        if response.error == Errors.NONE:
            if self._idempotent:
                self._sequences[tp] = (seq + len(chunk)) % 2**31
        else:
            error = self._delivery_failed(response.error, tp, len(chunk), seq)
        topic, partition = tp
        if error is None:
            if self._dr_only_error and not self._history.recording:
                return True  # no report to queue or record
            base = response.base_offset
            reports = [
                (
                    m.callback,
                    None,
                    Message(
                        topic,
                        partition,
                        base + i,
                        m.key,
                        m.value,
                        None,
                        None,
                        (TIMESTAMP_CREATE_TIME, m.timestamp),
                        0.0,
                    ),
                )
                for i, m in enumerate(chunk)
            ]
        else:
            failed = (TIMESTAMP_NOT_AVAILABLE, -1)
            reports = [
                (
                    m.callback,
                    error,
                    Message(topic, partition, -1001, m.key, m.value, None, error, failed, 0.0),
                )
                for m in chunk
            ]
        if self._history.recording:
            for callback, err, msg in reports:
                self._report(callback, err, msg)
        elif error is not None or not self._dr_only_error:
            self._reports.extend(reports)
        return True

    def _delivery_failed(
        self, code: Errors, tp: TopicPartitionKey, count: int, base_seq: int
    ) -> KafkaError:
        """librdkafka's classes for a failed Produce (rdkafka_request.c).

        For a transactional producer INVALID_PRODUCER_EPOCH means "fenced" and is fatal (the Java
        client makes it abortable); any other permanent failure makes the transaction abortable.
        """
        where = (
            f"ProduceRequest for {tp[0]} [{tp[1]}] with {count} message(s) failed: "
            f"{err2str(code)} (broker {self._cluster.leader_for(*tp)} "
            f"PID{{Id:{self.producer_id},Epoch:{self.producer_epoch}}}, base seq {base_seq}): "
        )
        if code == Errors.REQUEST_TIMED_OUT:  # every retry timed out: the message times out
            if self._txn is not None:
                self._failed_in_txn += count
                self._txn.set_abortable(
                    KafkaError._TIMED_OUT, f"{count} message(s) timed out on {tp[0]} [{tp[1]}]"
                )
            return KafkaError(KafkaError._MSG_TIMED_OUT)
        if self._txn is not None:
            self._failed_in_txn += count
            if code == Errors.INVALID_PRODUCER_EPOCH:
                self._txn.set_fatal(
                    KafkaError._FENCED,
                    where + "transactional producer fenced by newer producer instance",
                )
            else:
                self._txn.set_abortable(int(code), where + "current transaction must be aborted")
        elif self._idempotent and code in (
            Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
            Errors.INVALID_PRODUCER_EPOCH,
        ):
            self._fatal_error = KafkaError(int(code), where + "unable to recover", fatal=True)
            self._on_fatal(self._fatal_error)
        return KafkaError(int(code))

    def _on_fatal(self, error: KafkaError) -> None:
        """rd_kafka_set_fatal_error0: an error event for error_cb (`_FATAL`), and the messages
        still queued are purged with `_PURGE_QUEUE` reports; in-flight ones keep their result."""
        self._errors.append(
            KafkaError(KafkaError._FATAL, f"Fatal error: {err2str(error.code())}: {error.str()}")
        )
        if not self._sending:  # otherwise _send purges once the batch in flight is reported
            self._purge_queue()

    def _report(self, callback: Any, error: KafkaError | None, msg: Message) -> None:
        if self._history.recording:
            self._history.record(
                self._cluster.now_ms,
                self._client_id,
                ACK,
                topic=msg.topic(),
                partition=msg.partition(),
                offset=msg.offset(),
                key=msg.key(),
                value=msg.value(),
                error=error.name() if error is not None else None,
            )
        if error is None and self._dr_only_error:
            return
        self._reports.append((callback, error, msg))

    def _serve_reports(self) -> int:
        served = 0
        while self._errors:
            error = self._errors.popleft()
            served += 1
            if self._error_cb is not None:
                self._error_cb(error)
        while self._reports:
            callback, error, msg = self._reports.popleft()
            served += 1
            if callback is not None:
                callback(error, msg)
        return served

    def _purge_queue(self) -> None:
        for (topic, partition), queue in self._queues.items():
            for m in queue.messages:
                error = KafkaError(KafkaError._PURGE_QUEUE)
                msg = Message(
                    topic,
                    partition,
                    -1001,
                    m.key,
                    m.value,
                    None,
                    error,
                    (TIMESTAMP_NOT_AVAILABLE, -1),
                    0.0,
                )
                self._report(m.callback, error, msg)
            self._queued -= len(queue.messages)
            queue.messages = []
            queue.linger_armed = False

    # -- poll / flush / purge / close -------------------------------------------------------------
    def poll(self, timeout: float | None = None) -> int:
        """Serve delivery reports; a non-zero timeout also lets queued batches go out."""
        self._check_open()
        timeout = c_timeout(timeout)
        if timeout is None or timeout != 0:
            self._send()
        return self._serve_reports()

    def flush(self, timeout: float | None = None) -> int:
        """Send everything queued and serve the reports; returns how many are still queued."""
        self._check_open()
        c_timeout(timeout)
        self._send()
        self._serve_reports()
        return len(self)

    def purge(self, in_queue: bool = True, in_flight: bool = True, blocking: bool = True) -> None:
        self._check_open()
        if in_queue:
            self._purge_queue()

    def close(self, timeout: float | None = None) -> bool:
        """Flush, then release the producer; later calls raise RuntimeError (confluent_kafka 2.16)."""
        if not self._closed:
            self._send()
            self._serve_reports()
            self._closed = True
            self._queues.clear()
            self._reports.clear()
            self._errors.clear()
            self._queued = 0
        return True

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any:
        self._check_open()
        return cluster_metadata(self._cluster, topic, self._client_id)

    # -- transactions ---------------------------------------------------------------------------
    def _transaction_manager(self) -> TransactionManager:
        self._check_open()
        if self._txn is None:
            raise KafkaException(
                KafkaError(
                    KafkaError._NOT_CONFIGURED,
                    "The Transactional API requires transactional.id to be configured",
                )
            )
        return self._txn

    @_recorded_txn("init")
    def init_transactions(self, timeout: float | None = None) -> None:
        txn = self._transaction_manager()
        txn.init()
        self._sequences.clear()

    @_recorded_txn("begin")
    def begin_transaction(self) -> None:
        self._transaction_manager().begin()
        self._failed_in_txn = 0

    @_recorded_txn("commit")
    def commit_transaction(self, timeout: float | None = None) -> None:
        """Flush, then EndTxn(COMMIT); returns once the coordinator has written PrepareCommit."""
        txn = self._transaction_manager()
        txn.require("commit_transaction")
        txn.move(TxnState.BEGIN_COMMIT)
        self._send()
        self._serve_reports()
        txn.require("commit_transaction:flushed")
        if self._failed_in_txn:
            txn.set_abortable(
                KafkaError._INCONSISTENT,
                f"{self._failed_in_txn} message(s) failed delivery (see individual delivery reports)",
            )
            txn.require("commit_transaction:flushed")
        remaining = sum(len(q.messages) for q in self._queues.values())
        if remaining:
            txn.api_in_progress = "commit_transaction"
            raise KafkaException(
                KafkaError(
                    KafkaError._TIMED_OUT,
                    "Failed to flush all outstanding messages within the API timeout: "
                    f"{remaining} message(s) remaining",
                    retriable=True,
                )
            )
        txn.api_in_progress = None
        txn.move(TxnState.COMMITTING)
        txn.end(committed=True)

    @_recorded_txn("abort")
    def abort_transaction(self, timeout: float | None = None) -> None:
        """Purge what has not been sent, then EndTxn(ABORT) if any partition was enrolled."""
        txn = self._transaction_manager()
        txn.require("abort_transaction")
        txn.move(TxnState.ABORTING)
        self._purge_queue()
        self._serve_reports()
        self._failed_in_txn = 0
        txn.end(committed=False)

    def send_offsets_to_transaction(
        self, positions: list[Any], group_metadata: Any, timeout: float | None = None
    ) -> None:
        """sendOffsetsToTransaction: the consumer's positions commit with this transaction.

        AddOffsetsToTxn enrols the group's __consumer_offsets partition, then TxnOffsetCommit
        writes the offsets there inside the transaction, pending until its marker (§6.1).
        """
        if not isinstance(positions, list) or not all(
            isinstance(tp, TopicPartition) for tp in positions
        ):
            raise TypeError("expected list of TopicPartition")
        txn = self._transaction_manager()
        txn.require("send_offsets_to_transaction")
        if not isinstance(group_metadata, ConsumerGroupMetadata):
            raise TypeError(
                "expected ConsumerGroupMetadata from Consumer.consumer_group_metadata()"
            )
        offsets = {(tp.topic, tp.partition): tp.offset for tp in positions if tp.offset >= 0}
        if not offsets:
            return  # librdkafka: only logical offsets, nothing to send
        # librdkafka registers the partitions of queued records on the way (reference §5.4.2)
        pending = [tp for tp, q in self._queues.items() if q.messages]
        if pending:
            txn.register(pending)
        error = None
        try:
            txn.send_offsets(group_metadata, offsets)
        except KafkaException as e:
            error = e.args[0].name()
            raise
        finally:
            if self._history.recording:
                self._history.record(
                    self._cluster.now_ms,
                    self._client_id,
                    SEND_OFFSETS,
                    error=error,
                    info={
                        "transactional_id": txn.transactional_id,
                        "group_id": group_metadata.group_id,
                        "offsets": tuple(sorted(offsets.items())),
                    },
                )

    def crash(self) -> None:
        """eoslab fault: the process dies here. Queued records are lost without reports, no
        EndTxn is sent; an open transaction stays open until it times out or is fenced."""
        if self._history.recording:
            self._history.record(self._cluster.now_ms, self._client_id, CRASH)
        self._closed = True
        self._queues.clear()
        self._reports.clear()
        self._queued = 0
