"""The transactional producer's client-side state machine, after librdkafka's `rdkafka_txnmgr.c`.

It decides what a learner's call is allowed to do and which error class a failure falls into,
because that is what application code branches on: `_STATE` for calls out of order, an abortable
error (`txn_requires_abort()`) after a failed delivery, a fatal `_FENCED` once a newer instance took
over the transactional id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..broker import Errors
from ..broker.protocol import JAVA_TV2_API_VERSIONS, LIBRDKAFKA_API_VERSIONS
from .errors import KafkaError, KafkaException

if TYPE_CHECKING:
    from ..broker import Cluster

TopicPartitionKey = tuple[str, int]
# A coordinator's answer that makes the transactional producer fatal: fenced by a newer instance,
# or out of step with its coordinator (rdkafka_txnmgr.c's handlers); any other error is abortable.
FATAL_ERRORS = frozenset(
    {Errors.INVALID_PRODUCER_EPOCH, Errors.PRODUCER_FENCED, Errors.INVALID_TXN_STATE}
)
MAX_ATTEMPTS = 5  # how often a timed-out request is sent in all before the client gives up


def retried(send: Any, timed_out: Any) -> Any:
    """Send a request again while its response is lost (librdkafka retries on timeouts)."""
    response = send()
    for _ in range(MAX_ATTEMPTS - 1):
        if not timed_out(response):
            break
        response = send()
    return response


class TxnState:
    """librdkafka's state names (rd_kafka_txn_state2str), which its `_STATE` errors quote."""

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


S = TxnState
# The calls each state allows (where rdkafka_txnmgr.c calls rd_kafka_txn_require_state). A commit
# is checked on entry and again once its flush is done, when only BeginCommit may go on.
ALLOWED_CALLS: dict[str, frozenset[str]] = {
    "init_transactions": frozenset({S.INIT, S.WAIT_PID}),
    "begin_transaction": frozenset({S.READY}),
    "send_offsets_to_transaction": frozenset({S.IN_TRANSACTION}),
    "commit_transaction": frozenset({S.IN_TRANSACTION, S.BEGIN_COMMIT}),
    "commit_transaction:flushed": frozenset({S.BEGIN_COMMIT}),
    "abort_transaction": frozenset({S.IN_TRANSACTION, S.ABORTABLE_ERROR, S.ABORTING}),
}
# Every move the state machine may make (rd_kafka_txn_state_transition_is_valid); a failed EndTxn
# goes back to InTransaction on its way to AbortableError. Any state may become FatalError.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.INIT: frozenset({S.WAIT_PID}),
    S.WAIT_PID: frozenset({S.READY}),
    S.READY: frozenset({S.IN_TRANSACTION}),
    S.IN_TRANSACTION: frozenset({S.BEGIN_COMMIT, S.ABORTING, S.ABORTABLE_ERROR}),
    S.BEGIN_COMMIT: frozenset({S.COMMITTING, S.ABORTABLE_ERROR}),
    S.COMMITTING: frozenset({S.READY, S.IN_TRANSACTION}),
    S.ABORTING: frozenset({S.READY, S.IN_TRANSACTION}),
    S.BEGIN_ABORT: frozenset({S.ABORTING}),
    S.ABORTABLE_ERROR: frozenset({S.ABORTING}),
    S.FATAL_ERROR: frozenset(),
}


def err2str(code: int) -> str:
    """librdkafka's text for an error code (rd_kafka_err2str)."""
    return KafkaError(int(code)).str()


def normalize(code: Errors | int) -> int:
    """rd_kafka_txn_normalize_err: both fencing codes become the one `_FENCED` error."""
    if code in (Errors.INVALID_PRODUCER_EPOCH, Errors.PRODUCER_FENCED):
        return KafkaError._FENCED
    return int(code)


class TransactionManager:
    def __init__(
        self,
        cluster: Cluster,
        transactional_id: str,
        timeout_ms: int,
        client_id: str,
        protocol: str = "librdkafka",
    ) -> None:
        self.cluster = cluster
        self.transactional_id = transactional_id
        self.timeout_ms = timeout_ms
        self.client_id = client_id
        self.state = TxnState.INIT
        self.producer_id = -1
        self.producer_epoch = -1
        self.registered: set[TopicPartitionKey] = set()
        self.abortable_error: KafkaError | None = None
        self.fatal_error: KafkaError | None = None
        self.api_in_progress: str | None = None  # a call that timed out and may be resumed
        # KIP-890 part 2 needs a client that speaks it (Java >= 4.0) and a cluster that has it
        self.tv2 = protocol == "java-4" and cluster.config["transaction.version"] >= 2
        self.versions = JAVA_TV2_API_VERSIONS if self.tv2 else LIBRDKAFKA_API_VERSIONS
        self.epoch_changed: Any = lambda: None  # the producer restarts its sequences
        self.on_fatal: Any = lambda error: None  # the producer purges its queue, tells error_cb

    # -- the state machine ------------------------------------------------------------------------
    def move(self, state: str) -> None:
        """Go to `state`; a move the table does not list is a bug of eoslab, not of the app."""
        allowed = state in (self.state, S.FATAL_ERROR) or state in TRANSITIONS[self.state]
        if not allowed:
            raise AssertionError(f"transactional state {self.state} cannot go to {state}")
        self.state = state

    # -- errors -----------------------------------------------------------------------------------
    def set_fatal(self, code: int, reason: str) -> None:
        self.move(TxnState.FATAL_ERROR)
        if self.fatal_error is None:
            self.fatal_error = KafkaError(code, reason, fatal=True)
            self.on_fatal(self.fatal_error)

    def set_abortable(self, code: int, reason: str) -> None:
        if self.state == TxnState.FATAL_ERROR:
            return
        if self.abortable_error is None:
            self.abortable_error = KafkaError(code, reason, txn_requires_abort=True)
        if self.state in (TxnState.IN_TRANSACTION, TxnState.BEGIN_COMMIT):
            self.move(TxnState.ABORTABLE_ERROR)

    def _raise_state(self) -> None:
        raise KafkaException(
            KafkaError(KafkaError._STATE, f"Operation not valid in state {self.state}")
        )

    def require(self, call: str) -> None:
        """Refuse a call the current state does not allow (`ALLOWED_CALLS`), with the error
        librdkafka gives."""
        api = call.split(":")[0]
        if self.fatal_error is not None:
            raise KafkaException(self.fatal_error)
        if self.api_in_progress is not None and self.api_in_progress != api:
            raise KafkaException(
                KafkaError(
                    KafkaError._CONFLICT,
                    f"Conflicting {self.api_in_progress} API call is already in progress",
                    retriable=True,
                )
            )
        if self.state == TxnState.ABORTABLE_ERROR and api != "abort_transaction":
            assert self.abortable_error is not None
            raise KafkaException(self.abortable_error)
        if self.state not in ALLOWED_CALLS[call]:
            self._raise_state()

    @property
    def may_produce(self) -> bool:
        return self.state in (TxnState.IN_TRANSACTION, TxnState.BEGIN_COMMIT)

    # -- InitProducerId -------------------------------------------------------------------------
    def init(self) -> None:
        self.require("init_transactions")
        if self.state == TxnState.INIT:
            self.cluster.find_coordinator(
                self.transactional_id, "transaction", client_id=self.client_id
            )
            self.move(TxnState.WAIT_PID)
        response = None
        for _attempt in range(2):  # fencing an open transaction answers CONCURRENT_TRANSACTIONS
            response = retried(
                lambda: self.cluster.init_producer_id(
                    self.transactional_id,
                    self.timeout_ms,
                    client_id=self.client_id,
                    api_version=self.versions["InitProducerId"],
                ),
                lambda r: r.error == Errors.REQUEST_TIMED_OUT,
            )
            if response.error not in (
                Errors.CONCURRENT_TRANSACTIONS,
                Errors.COORDINATOR_LOAD_IN_PROGRESS,
            ):
                break
        assert response is not None
        if response.error in (Errors.CONCURRENT_TRANSACTIONS, Errors.COORDINATOR_LOAD_IN_PROGRESS):
            self.api_in_progress = "init_transactions"
            raise KafkaException(
                KafkaError(
                    int(response.error),
                    f"Failed to initialize Producer ID: {err2str(response.error)}",
                    retriable=True,
                )
            )
        self.api_in_progress = None
        if response.error:
            code = normalize(response.error)
            preface = "Producer fenced by newer instance: " if code == KafkaError._FENCED else ""
            node = self.cluster.leader_for(
                "__transaction_state",
                self.cluster.txn_coordinator.partition_for(self.transactional_id),
            )
            self.set_fatal(
                code,
                f"{preface}Failed to acquire transactional PID from broker "
                f"broker{node}.eoslab:9092/{node}: {err2str(response.error)}",
            )
            raise KafkaException(self.fatal_error)
        self.producer_id = response.producer_id
        self.producer_epoch = response.producer_epoch
        self.move(TxnState.READY)

    def begin(self) -> None:
        self.require("begin_transaction")
        self.registered = set()
        self.abortable_error = None
        self.move(TxnState.IN_TRANSACTION)

    # -- AddPartitionsToTxn ---------------------------------------------------------------------
    def register(self, partitions: list[TopicPartitionKey]) -> set[TopicPartitionKey]:
        """Enrol partitions before their first batch; returns those now in the transaction."""
        new = [tp for tp in partitions if tp not in self.registered]
        if new and self.tv2:  # TV2: the partition leader enrols it with the first Produce
            self.registered.update(new)
        elif new:
            results = retried(
                lambda: self.cluster.add_partitions_to_txn(
                    self.transactional_id,
                    self.producer_id,
                    self.producer_epoch,
                    tuple(new),  # kept by the replay: a tuple of tuples is nothing for the GC
                    client_id=self.client_id,
                ),
                lambda r: Errors.REQUEST_TIMED_OUT in r.values(),
            )
            for tp, error in results.items():
                if error == Errors.NONE:
                    self.registered.add(tp)
                elif error in (
                    Errors.CONCURRENT_TRANSACTIONS,
                    Errors.COORDINATOR_LOAD_IN_PROGRESS,
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                ):
                    continue  # retried later; the records stay queued
                elif error in FATAL_ERRORS:
                    code = normalize(error)
                    self.set_fatal(
                        code, f"Failed to add partitions to transaction: {err2str(code)}"
                    )
                else:
                    self.set_abortable(
                        int(error), f"Failed to add partition(s) to transaction: {err2str(error)}"
                    )
        return {tp for tp in partitions if tp in self.registered}

    # -- AddOffsetsToTxn + TxnOffsetCommit -----------------------------------------------------
    def send_offsets(self, metadata: Any, offsets: dict[TopicPartitionKey, int]) -> None:
        """The two requests behind send_offsets_to_transaction, with librdkafka's error classes;
        TV2 needs only the second (TxnOffsetCommit v5 enrols the offsets partition)."""
        error = Errors.NONE if self.tv2 else self._add_offsets(metadata)
        self._commit_offsets(metadata, offsets, error)

    def _add_offsets(self, metadata: Any) -> Errors:
        return retried(
            lambda: self.cluster.add_offsets_to_txn(
                self.transactional_id,
                self.producer_id,
                self.producer_epoch,
                metadata.group_id,
                client_id=self.client_id,
            ),
            lambda e: e == Errors.REQUEST_TIMED_OUT,
        )

    def _commit_offsets(
        self, metadata: Any, offsets: dict[TopicPartitionKey, int], error: Errors
    ) -> None:
        if error in (Errors.CONCURRENT_TRANSACTIONS, Errors.COORDINATOR_LOAD_IN_PROGRESS):
            self.api_in_progress = None
            raise KafkaException(
                KafkaError(
                    KafkaError._TIMED_OUT,
                    "Timed out waiting for operation to finish, retry call to resume",
                    retriable=True,
                )
            )
        if error in FATAL_ERRORS:
            code = normalize(error)
            self.set_fatal(code, f"Failed to add offsets to transaction: {err2str(code)}")
            raise KafkaException(self.fatal_error)
        if error:
            self.set_abortable(
                int(error), f"Failed to add offsets to transaction: {err2str(error)}"
            )
            raise KafkaException(self.abortable_error)
        partition = self.cluster.group_coordinator.partition_for(metadata.group_id)
        self.registered.add(("__consumer_offsets", partition))
        self.cluster.find_coordinator(metadata.group_id, "group", client_id=self.client_id)
        results = retried(
            lambda: self.cluster.txn_offset_commit(
                self.transactional_id,
                metadata.group_id,
                self.producer_id,
                self.producer_epoch,
                {tp: (offset, "") for tp, offset in offsets.items()},
                generation_id=metadata.generation_id,
                member_id=metadata.member_id,
                group_instance_id=metadata.group_instance_id,
                client_id=self.client_id,
                api_version=self.versions["TxnOffsetCommit"],
            ),
            lambda r: Errors.REQUEST_TIMED_OUT in r.values(),
        )
        failed = sorted({e for e in results.values() if e}, key=int)
        if not failed:
            return
        error = failed[0]
        if error in FATAL_ERRORS | {Errors.INVALID_PRODUCER_ID_MAPPING}:
            code = normalize(error)
            self.set_fatal(code, f"Failed to commit offsets to transaction: {err2str(code)}")
            raise KafkaException(self.fatal_error)
        # ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID (KIP-447) and the rest
        self.set_abortable(int(error), f"Failed to commit offsets to transaction: {err2str(error)}")
        raise KafkaException(self.abortable_error)

    # -- EndTxn ---------------------------------------------------------------------------------
    def end(self, committed: bool) -> None:
        """EndTxn, or nothing at all for a transaction that never enrolled a partition."""
        api = "commit_transaction" if committed else "abort_transaction"
        if not self.registered:
            self._completed()
            return
        response = retried(
            lambda: self.cluster.end_txn(
                self.transactional_id,
                self.producer_id,
                self.producer_epoch,
                committed,
                client_id=self.client_id,
                api_version=self.versions["EndTxn"],
            ),
            lambda r: r.error == Errors.REQUEST_TIMED_OUT,
        )
        error = response.error
        if error == Errors.NONE:
            if response.producer_id >= 0:  # TV2 (EndTxn v5+): a new epoch for every transaction
                self.producer_id = response.producer_id
                self.producer_epoch = response.producer_epoch
                self.epoch_changed()
            self._completed()
            return
        if error in (Errors.CONCURRENT_TRANSACTIONS, Errors.COORDINATOR_LOAD_IN_PROGRESS):
            self.api_in_progress = api
            raise KafkaException(
                KafkaError(
                    KafkaError._TIMED_OUT,
                    "Timed out waiting for operation to finish, retry call to resume",
                    retriable=True,
                )
            )
        self.api_in_progress = None
        if error in FATAL_ERRORS:
            code = normalize(error)
            self.set_fatal(code, f"Failed to end transaction: {err2str(code)}")
            raise KafkaException(self.fatal_error)
        self.move(TxnState.IN_TRANSACTION)
        self.set_abortable(int(error), f"Failed to end transaction: {err2str(error)}")
        raise KafkaException(self.abortable_error)

    def _completed(self) -> None:
        self.move(TxnState.READY)
        self.registered = set()
        self.abortable_error = None
        self.api_in_progress = None
