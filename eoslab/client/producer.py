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

import zlib
from dataclasses import dataclass, field
from typing import Any

from ..broker import Cluster, Errors, Record, RecordBatch, cluster_for
from ..broker.protocol import LIBRDKAFKA_API_VERSIONS
from .config import ClientConfig, check_producer_config
from .errors import KafkaError, KafkaException
from .message import TIMESTAMP_CREATE_TIME, Message

TopicPartitionKey = tuple[str, int]


class TxnState:
    """librdkafka's transactional states (rd_kafka_txn_state2str)."""

    INIT = "Init"
    WAIT_PID = "WaitPID"
    READY = "Ready"
    IN_TRANSACTION = "InTransaction"
    BEGIN_COMMIT = "BeginCommit"
    COMMITTING = "CommittingTransaction"
    BEGIN_ABORT = "BeginAbort"
    ABORTING = "AbortingTransaction"
    ABORTABLE_ERROR = "AbortableError"
    FATAL_ERROR = "FatalError"


def connect(cfg: ClientConfig) -> Cluster:
    servers = cfg["metadata.broker.list"]
    cluster = cluster_for(servers) if servers else None
    if cluster is None:
        raise KafkaException(
            KafkaError(
                KafkaError._INVALID_ARG,
                f'bootstrap.servers "{servers}" does not name an eoslab cluster: '
                "use cluster.bootstrap_servers",
            )
        )
    return cluster


def _to_bytes(value: Any, what: str) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def _headers(headers: Any) -> tuple[tuple[str, bytes | None], ...]:
    if headers is None:
        return ()
    items = headers.items() if isinstance(headers, dict) else headers
    out = []
    for item in items:
        name, value = item
        if not isinstance(name, str):
            raise TypeError("Header key must be a string")
        out.append((name, _to_bytes(value, "Header value")))
    return tuple(out)


@dataclass
class _Queued:
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes | None], ...]
    timestamp: int
    callback: Any


@dataclass
class _PartitionQueue:
    messages: list[_Queued] = field(default_factory=list)
    linger_armed: bool = False


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
        self._transactional_id: str | None = cfg["transactional.id"] or None
        self._idempotent = bool(cfg["enable.idempotence"] or self._transactional_id)
        self._producer_id = -1
        self._producer_epoch = -1
        self._sequences: dict[TopicPartitionKey, int] = {}
        self._queues: dict[TopicPartitionKey, _PartitionQueue] = {}
        self._reports: list[tuple[Any, KafkaError | None, Message]] = []
        self._topics: dict[str, int] = {}  # metadata cache: topic -> partition count
        self._txn_state = TxnState.INIT
        self._txn_registered: set[TopicPartitionKey] = set()
        self._txn_error: KafkaError | None = None
        self._fatal_error: KafkaError | None = None
        self._cluster.register_client(self)

    # -- introspection (eoslab additions, used by views and widgets) ------------------------------
    @property
    def client_id(self) -> str:
        return self._client_id

    @property
    def producer_id(self) -> int:
        return self._producer_id

    @property
    def producer_epoch(self) -> int:
        return self._producer_epoch

    @property
    def transaction_state(self) -> str:
        return self._txn_state

    def __len__(self) -> int:
        """Messages queued, in flight or awaiting their delivery report (rd_kafka_outq_len)."""
        return sum(len(q.messages) for q in self._queues.values()) + len(self._reports)

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
        if not isinstance(topic, str):
            raise TypeError("topic must be a string")
        callback = on_delivery or callback or self._cfg["on_delivery"]
        value_b = _to_bytes(value, "value")
        key_b = _to_bytes(key, "key")
        hdrs = _headers(headers)
        if self._fatal_error is not None:
            raise KafkaException(self._fatal_error)
        if self._transactional_id is not None and self._txn_state != TxnState.IN_TRANSACTION:
            raise KafkaException(
                KafkaError(KafkaError._STATE, "Unable to produce message: Local: Erroneous state")
            )
        limit = self._cfg["queue.buffering.max.messages"]
        if limit and len(self) >= limit:
            raise BufferError("Local: Queue full")
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
            raise KafkaException(
                KafkaError(
                    KafkaError._UNKNOWN_PARTITION,
                    "Unable to produce message: Local: Unknown partition",
                )
            )
        ts = timestamp or self._cluster.now_ms
        tp = (topic, partition)
        queue = self._queues.setdefault(tp, _PartitionQueue())
        queue.messages.append(_Queued(key_b, value_b, hdrs, ts, callback))
        if len(queue.messages) >= self._cfg["batch.num.messages"]:
            self._send(tp)
        elif not queue.linger_armed:
            queue.linger_armed = True
            linger = int(self._cfg["queue.buffering.max.ms"])
            self._cluster.clock.schedule(
                f"{self._client_id} linger {topic}-{partition}", linger, lambda: self._on_linger(tp)
            )

    def _on_linger(self, tp: TopicPartitionKey) -> None:
        queue = self._queues.get(tp)
        if queue is not None and queue.linger_armed:
            queue.linger_armed = False
            self._send(tp)

    def _partition_count(self, topic: str) -> int | None:
        if topic not in self._topics:
            md = self._cluster.metadata([topic], client_id=self._client_id)
            error, partitions = md.topics[topic]
            if error:
                return None
            self._topics[topic] = len(partitions)
        return self._topics[topic]

    def _partition_for(self, key: bytes | None, count: int) -> int:
        """librdkafka's default `consistent_random`: CRC32 of the key, random for a null key."""
        name = self._cfg["partitioner"]
        if key is None or name in ("random",) or (not key and name.endswith("_random")):
            return self._cluster.rng.randrange(count)
        return zlib.crc32(key) % count

    # -- sending --------------------------------------------------------------------------------
    def _ensure_idempotent_pid(self) -> bool:
        if not self._idempotent or self._producer_id >= 0:
            return True
        if self._transactional_id is not None:
            return False  # only init_transactions() may get a transactional producer its id
        r = self._cluster.init_producer_id(None, client_id=self._client_id)
        if r.error:
            return False
        self._producer_id, self._producer_epoch = r.producer_id, r.producer_epoch
        return True

    def _register_partitions(self, partitions: list[TopicPartitionKey]) -> bool:
        """AddPartitionsToTxn for partitions about to get their first batch in this transaction."""
        new = [tp for tp in partitions if tp not in self._txn_registered]
        if not new:
            return True
        results = self._cluster.add_partitions_to_txn(
            self._transactional_id,
            self._producer_id,
            self._producer_epoch,
            new,
            client_id=self._client_id,
        )
        ok = True
        for tp, error in results.items():
            if error == Errors.NONE:
                self._txn_registered.add(tp)
                continue
            ok = False
            if error in (Errors.CONCURRENT_TRANSACTIONS, Errors.COORDINATOR_LOAD_IN_PROGRESS):
                continue  # librdkafka retries; the records stay queued
            if error in (Errors.INVALID_PRODUCER_EPOCH, Errors.PRODUCER_FENCED):
                self._set_fatal(
                    KafkaError._FENCED, f"Failed to add partitions to transaction: {_desc(error)}"
                )
            else:
                self._set_abortable(
                    int(error), f"Failed to add partition(s) to transaction: {_desc(error)}"
                )
        return ok

    def _send_all(self) -> None:
        pending = [tp for tp, q in self._queues.items() if q.messages]
        if self._transactional_id is not None and pending:
            if self._txn_state != TxnState.IN_TRANSACTION and self._txn_state not in (
                TxnState.BEGIN_COMMIT,
            ):
                return
            self._register_partitions(pending)
        for tp in pending:
            self._send(tp)

    def _send(self, tp: TopicPartitionKey) -> None:
        queue = self._queues.get(tp)
        if queue is None or not queue.messages:
            return
        if not self._ensure_idempotent_pid():
            return
        if self._transactional_id is not None:
            if self._txn_state not in (TxnState.IN_TRANSACTION, TxnState.BEGIN_COMMIT):
                return
            if tp not in self._txn_registered and not self._register_partitions([tp]):
                return
        limit = self._cfg["batch.num.messages"]
        while queue.messages:
            chunk, queue.messages = queue.messages[:limit], queue.messages[limit:]
            self._produce_batch(tp, chunk)
        queue.linger_armed = False

    def _produce_batch(self, tp: TopicPartitionKey, chunk: list[_Queued]) -> None:
        records = [Record(i, m.timestamp, m.key, m.value, m.headers) for i, m in enumerate(chunk)]
        seq = self._sequences.get(tp, 0) if self._idempotent else -1
        batch = RecordBatch(
            records,
            producer_id=self._producer_id if self._idempotent else -1,
            producer_epoch=self._producer_epoch if self._idempotent else -1,
            base_sequence=seq,
            is_transactional=self._transactional_id is not None,
        )
        response = self._cluster.produce(
            tp[0],
            tp[1],
            batch,
            transactional_id=self._transactional_id,
            acks=self._cfg["request.required.acks"],
            client_id=self._client_id,
            api_version=LIBRDKAFKA_API_VERSIONS["Produce"],
        )
        error: KafkaError | None = None
        if response.error == Errors.NONE:
            if self._idempotent:
                self._sequences[tp] = (seq + len(chunk)) % 2**31
        else:
            error = self._delivery_error(response.error)
        for i, m in enumerate(chunk):
            offset = response.base_offset + i if error is None else -1001
            msg = Message(
                tp[0],
                tp[1],
                offset,
                m.key,
                m.value,
                None,
                error,
                (TIMESTAMP_CREATE_TIME, m.timestamp),
                0.0,
            )
            self._report(m.callback, error, msg)

    def _delivery_error(self, code: Errors) -> KafkaError:
        """librdkafka's classes for a failed Produce of a transactional / idempotent producer."""
        if self._transactional_id is not None:
            if code in (Errors.INVALID_PRODUCER_EPOCH, Errors.PRODUCER_FENCED):
                error = KafkaError(int(code), _desc(code), txn_requires_abort=True)
                self._set_abortable(int(code), f"ProduceRequest failed: {_desc(code)}")
                return error
            error = KafkaError(int(code), _desc(code), txn_requires_abort=True)
            self._set_abortable(int(code), f"ProduceRequest failed: {_desc(code)}")
            return error
        if self._idempotent and code == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER:
            self._set_fatal(int(code), f"ProduceRequest failed: {_desc(code)}")
            return KafkaError(int(code), _desc(code), fatal=True)
        return KafkaError(int(code), _desc(code))

    def _report(self, callback: Any, error: KafkaError | None, msg: Message) -> None:
        if error is None and self._cfg["delivery.report.only.error"]:
            return
        self._reports.append((callback, error, msg))

    def _serve_reports(self) -> int:
        served = 0
        while self._reports:
            callback, error, msg = self._reports.pop(0)
            served += 1
            if callback is not None:
                callback(error, msg)
        return served

    # -- poll / flush / purge ---------------------------------------------------------------------
    def poll(self, timeout: float | None = None) -> int:
        """Serve delivery reports; a non-zero timeout also lets queued batches go out."""
        if timeout is None or timeout != 0:
            self._send_all()
        return self._serve_reports()

    def flush(self, timeout: float | None = None) -> int:
        """Send everything queued and serve the reports; returns what is still queued."""
        self._send_all()
        self._serve_reports()
        return len(self)

    def purge(self, in_queue: bool = True, in_flight: bool = True, blocking: bool = True) -> None:
        if in_queue:
            self._purge_queue()

    def _purge_queue(self) -> None:
        for (topic, partition), queue in self._queues.items():
            for m in queue.messages:
                error = KafkaError(KafkaError._PURGE_QUEUE)
                msg = Message(topic, partition, -1001, m.key, m.value, None, error)
                self._report(m.callback, error, msg)
            queue.messages = []
            queue.linger_armed = False

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any:
        from .admin import cluster_metadata

        return cluster_metadata(self._cluster, topic, self._client_id)

    # -- transactions ---------------------------------------------------------------------------
    def _require_transactional(self) -> None:
        if self._transactional_id is None:
            raise KafkaException(
                KafkaError(
                    KafkaError._NOT_CONFIGURED,
                    "The Transactional API requires transactional.id to be configured",
                )
            )

    def _require_state(self, *states: str) -> None:
        if self._txn_state == TxnState.FATAL_ERROR and self._fatal_error is not None:
            raise KafkaException(self._fatal_error)
        if self._txn_state not in states:
            raise KafkaException(
                KafkaError(KafkaError._STATE, f"Operation not valid in state {self._txn_state}")
            )

    def _set_fatal(self, code: int, reason: str) -> None:
        self._fatal_error = KafkaError(code, reason, fatal=True)
        self._txn_state = TxnState.FATAL_ERROR

    def _set_abortable(self, code: int, reason: str) -> None:
        if self._txn_state == TxnState.FATAL_ERROR:
            return
        if self._txn_error is None:
            self._txn_error = KafkaError(code, reason, txn_requires_abort=True)
        if self._txn_state in (TxnState.IN_TRANSACTION, TxnState.BEGIN_COMMIT):
            self._txn_state = TxnState.ABORTABLE_ERROR

    def init_transactions(self, timeout: float | None = None) -> None:
        self._require_transactional()
        self._require_state(TxnState.INIT)
        cluster = self._cluster
        cluster.find_coordinator(self._transactional_id, "transaction", client_id=self._client_id)
        self._txn_state = TxnState.WAIT_PID
        response = None
        for _attempt in range(2):  # a fencing InitProducerId answers CONCURRENT_TRANSACTIONS first
            response = cluster.init_producer_id(
                self._transactional_id,
                self._cfg["transaction.timeout.ms"],
                client_id=self._client_id,
            )
            if response.error != Errors.CONCURRENT_TRANSACTIONS:
                break
        assert response is not None
        if response.error == Errors.CONCURRENT_TRANSACTIONS:
            self._txn_state = TxnState.INIT
            raise KafkaException(
                KafkaError(
                    KafkaError._TIMED_OUT,
                    "Failed to initialize Producer ID: Broker: Producer attempted to update a "
                    "transaction while another concurrent operation on the same transaction was "
                    "ongoing (the coordinator has steps pending: release them with cluster.step())",
                    retriable=True,
                )
            )
        if response.error:
            self._set_fatal(
                int(response.error), f"Failed to initialize Producer ID: {_desc(response.error)}"
            )
            raise KafkaException(self._fatal_error)
        self._producer_id = response.producer_id
        self._producer_epoch = response.producer_epoch
        self._sequences.clear()
        self._txn_state = TxnState.READY

    def begin_transaction(self) -> None:
        self._require_transactional()
        self._require_state(TxnState.READY)
        self._txn_registered = set()
        self._txn_error = None
        self._txn_state = TxnState.IN_TRANSACTION

    def commit_transaction(self, timeout: float | None = None) -> None:
        self._require_transactional()
        if self._txn_state == TxnState.ABORTABLE_ERROR and self._txn_error is not None:
            raise KafkaException(self._txn_error)
        self._require_state(TxnState.IN_TRANSACTION, TxnState.BEGIN_COMMIT)
        self._txn_state = TxnState.BEGIN_COMMIT
        self._send_all()
        if self._txn_state == TxnState.FATAL_ERROR:
            raise KafkaException(self._fatal_error)
        if self._txn_error is not None:
            self._txn_state = TxnState.ABORTABLE_ERROR
            raise KafkaException(self._txn_error)
        if any(q.messages for q in self._queues.values()):
            raise KafkaException(
                KafkaError(
                    KafkaError._TIMED_OUT,
                    "Failed to flush all outstanding messages within the API timeout: "
                    f"{sum(len(q.messages) for q in self._queues.values())} message(s) remaining "
                    "(the coordinator has steps pending: release them with cluster.step())",
                    retriable=True,
                )
            )
        self._txn_state = TxnState.COMMITTING
        self._end_transaction(committed=True)

    def abort_transaction(self, timeout: float | None = None) -> None:
        self._require_transactional()
        self._require_state(
            TxnState.IN_TRANSACTION, TxnState.ABORTABLE_ERROR, TxnState.BEGIN_COMMIT
        )
        self._txn_state = TxnState.ABORTING
        self._purge_queue()
        self._end_transaction(committed=False)

    def _end_transaction(self, committed: bool) -> None:
        if not self._txn_registered:
            self._txn_state = TxnState.READY  # an empty transaction sends no EndTxn
            self._txn_error = None
            return
        error = self._cluster.end_txn(
            self._transactional_id,
            self._producer_id,
            self._producer_epoch,
            committed,
            client_id=self._client_id,
        )
        what = "commit" if committed else "abort"
        if error == Errors.NONE:
            self._txn_state = TxnState.READY
            self._txn_registered = set()
            self._txn_error = None
            return
        if error in (Errors.INVALID_PRODUCER_EPOCH, Errors.PRODUCER_FENCED):
            self._set_fatal(
                KafkaError._FENCED, f"Failed to end transaction ({what}): {_desc(error)}"
            )
            raise KafkaException(self._fatal_error)
        if error == Errors.CONCURRENT_TRANSACTIONS:
            self._txn_state = TxnState.BEGIN_COMMIT if committed else TxnState.ABORTING
            raise KafkaException(
                KafkaError(
                    KafkaError._TIMED_OUT,
                    f"Failed to {what} transaction: {_desc(error)}",
                    retriable=True,
                )
            )
        if error in (Errors.INVALID_TXN_STATE, Errors.INVALID_PRODUCER_ID_MAPPING):
            self._set_fatal(int(error), f"Failed to end transaction ({what}): {_desc(error)}")
            raise KafkaException(self._fatal_error)
        self._set_abortable(int(error), f"Failed to end transaction ({what}): {_desc(error)}")
        self._txn_state = TxnState.ABORTABLE_ERROR
        raise KafkaException(self._txn_error)


def _desc(code: Errors) -> str:
    """librdkafka's text for a broker error code (rd_kafka_err2str)."""
    return KafkaError(int(code)).str()
