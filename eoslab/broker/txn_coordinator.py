"""The transaction coordinator (TV1, the classic KIP-98 protocol that librdkafka speaks).

It owns each transactional id's `TransactionMetadata`, writes every state change to its
`__transaction_state` partition before acting on it, answers InitProducerId, AddPartitionsToTxn and
EndTxn with Kafka's error tables (reference §3.4-§3.6), fences an ongoing transaction when a new
instance initialises, aborts transactions that outlive their timeout, expires idle ids, and sends
the COMMIT/ABORT markers to every partition of a transaction as separate steps, so that in step
mode a learner can watch the gap between "commit returned" and "consumers can read".
"""

from __future__ import annotations

from .context import COMPLETE, MARKER, CoordinatorContext, StepKey
from .effects import (
    CoordinatorReloaded,
    EpochFence,
    MarkersStopped,
    NothingToComplete,
    ProducerIdAssigned,
    TransactionStateWritten,
)
from .errors import Errors
from .hashing import partition_for
from .internal_topics import CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC
from .partition import Partition
from .protocol import (
    ADD_PARTITIONS_PRODUCER_FENCED_VERSION,
    END_TXN_PRODUCER_FENCED_VERSION,
    END_TXN_TV2_VERSION,
    INIT_PRODUCER_ID_PRODUCER_FENCED_VERSION,
    LIBRDKAFKA_API_VERSIONS,
    EndTxnResponse,
    InitProducerIdResponse,
    fenced_error,
)
from .records import NO_PRODUCER_EPOCH, NO_PRODUCER_ID, ControlRecordType
from .transaction_log import key_from_bytes, key_to_bytes, value_from_bytes, value_to_bytes
from .transaction_metadata import (
    TransactionMetadata,
    TransactionState,
    is_epoch_exhausted,
)

ACTOR = "txn-coordinator"
ENROL, VERIFY, NO_VERIFICATION = "enrol", "verify", "none"
TopicPartition = tuple[str, int]


class TransactionCoordinator:
    def __init__(self, context: CoordinatorContext) -> None:
        self.cluster = context
        self.transactions: dict[str, TransactionMetadata] = {}
        self.coordinator_epochs: dict[int, int] = {}
        # transactional id -> partitions whose marker has not been written yet
        self.pending_markers: dict[str, set[TopicPartition]] = {}
        # transactional id -> which round of markers those are: a late copy of an earlier
        # transaction's marker (a duplicate, a zombie coordinator) must not count for this one
        self.marker_rounds: dict[str, int] = {}
        self._rounds = 0

    # -- placement ------------------------------------------------------------------------------
    @property
    def num_partitions(self) -> int:
        return self.cluster.config["transaction.state.log.num.partitions"]

    def partition_for(self, transactional_id: str) -> int:
        return partition_for(transactional_id, self.num_partitions)

    def coordinator_epoch_for(self, transactional_id: str) -> int:
        return self.coordinator_epochs.get(self.partition_for(transactional_id), 0)

    # -- InitProducerId ---------------------------------------------------------------------------
    def handle_init_producer_id(
        self,
        transactional_id: str | None,
        transaction_timeout_ms: int,
        producer_id: int = NO_PRODUCER_ID,
        producer_epoch: int = NO_PRODUCER_EPOCH,
        api_version: int = LIBRDKAFKA_API_VERSIONS["InitProducerId"],
    ) -> InitProducerIdResponse:
        cluster = self.cluster
        if transactional_id is None:  # idempotent producer: a fresh id, epoch 0, no coordinator
            return InitProducerIdResponse(Errors.NONE, cluster.allocate_producer_id(), 0)
        broker = cluster.leader_for(TRANSACTION_STATE_TOPIC, self.partition_for(transactional_id))
        if transactional_id == "":
            return InitProducerIdResponse(Errors.INVALID_REQUEST)
        max_timeout = cluster.config["transaction.max.timeout.ms"]
        if not 0 < transaction_timeout_ms <= max_timeout:
            return InitProducerIdResponse(Errors.INVALID_TRANSACTION_TIMEOUT)
        now = cluster.clock.milliseconds()
        metadata = self.transactions.get(transactional_id)
        if metadata is None:
            metadata = TransactionMetadata(
                transactional_id,
                cluster.allocate_producer_id(broker),
                NO_PRODUCER_EPOCH,
                transaction_timeout_ms,
                txn_last_update_timestamp=now,
            )
            self.transactions[transactional_id] = metadata
            cluster.effect(
                ProducerIdAssigned(
                    transactional_id,
                    metadata.producer_id,
                    f"{TRANSACTION_STATE_TOPIC}-{self.partition_for(transactional_id)}",
                )
            )
        fenced = fenced_error(api_version, INIT_PRODUCER_ID_PRODUCER_FENCED_VERSION)
        expected = producer_id != NO_PRODUCER_ID or producer_epoch != NO_PRODUCER_EPOCH
        if metadata.pending_state is not None:
            return InitProducerIdResponse(Errors.CONCURRENT_TRANSACTIONS)
        if expected and not (
            metadata.producer_epoch == NO_PRODUCER_EPOCH
            or producer_id == metadata.producer_id
            or (producer_id == metadata.previous_producer_id and is_epoch_exhausted(producer_epoch))
        ):
            return InitProducerIdResponse(fenced)
        state = metadata.state
        if state in (TransactionState.PrepareCommit, TransactionState.PrepareAbort):
            return InitProducerIdResponse(Errors.CONCURRENT_TRANSACTIONS)
        if state == TransactionState.Ongoing:
            self._fence_and_abort(metadata, reason=f"InitProducerId for {transactional_id}")
            return InitProducerIdResponse(Errors.CONCURRENT_TRANSACTIONS)
        # Empty / CompleteCommit / CompleteAbort
        if is_epoch_exhausted(metadata.producer_epoch) and (
            not expected or producer_epoch == metadata.producer_epoch
        ):
            new_pid = cluster.allocate_producer_id(broker)
            metadata.transition_to(
                TransactionState.Empty,
                now,
                previous_producer_id=metadata.producer_id,
                producer_id=new_pid,
                producer_epoch=0,
                last_producer_epoch=metadata.producer_epoch if expected else NO_PRODUCER_EPOCH,
                txn_timeout_ms=transaction_timeout_ms,
                topic_partitions=set(),
                txn_start_timestamp=-1,
            )
        else:
            if not expected or producer_epoch == metadata.producer_epoch:
                epoch, last_epoch = metadata.producer_epoch + 1, metadata.producer_epoch
            elif producer_epoch == metadata.last_producer_epoch:
                epoch, last_epoch = metadata.producer_epoch, metadata.last_producer_epoch  # a retry
            else:
                return InitProducerIdResponse(fenced)
            metadata.transition_to(
                TransactionState.Empty,
                now,
                producer_epoch=epoch,
                last_producer_epoch=last_epoch,
                txn_timeout_ms=transaction_timeout_ms,
                topic_partitions=set(),
                txn_start_timestamp=-1,
            )
        self._append_to_log(metadata)
        return InitProducerIdResponse(Errors.NONE, metadata.producer_id, metadata.producer_epoch)

    # -- AddPartitionsToTxn / verification -----------------------------------------------------
    def _check_producer(
        self, transactional_id: str, producer_id: int, producer_epoch: int, fenced: Errors
    ) -> tuple[Errors, TransactionMetadata | None]:
        if not transactional_id:
            return Errors.INVALID_REQUEST, None
        metadata = self.transactions.get(transactional_id)
        if metadata is None or metadata.producer_id != producer_id:
            return Errors.INVALID_PRODUCER_ID_MAPPING, None
        if metadata.producer_epoch != producer_epoch:
            return fenced, metadata
        if metadata.pending_state is not None or metadata.state in (
            TransactionState.PrepareCommit,
            TransactionState.PrepareAbort,
        ):
            return Errors.CONCURRENT_TRANSACTIONS, metadata
        return Errors.NONE, metadata

    def handle_add_partitions(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        partitions: list[TopicPartition],
        api_version: int = LIBRDKAFKA_API_VERSIONS["AddPartitionsToTxn"],
    ) -> Errors:
        fenced = fenced_error(api_version, ADD_PARTITIONS_PRODUCER_FENCED_VERSION)
        error, metadata = self._check_producer(
            transactional_id, producer_id, producer_epoch, fenced
        )
        if error or metadata is None:
            return error
        new = set(partitions)
        if metadata.state == TransactionState.Ongoing and new <= metadata.topic_partitions:
            return Errors.NONE  # nothing to write
        now = self.cluster.clock.milliseconds()
        start = metadata.txn_start_timestamp if metadata.state == TransactionState.Ongoing else now
        metadata.transition_to(
            TransactionState.Ongoing,
            now,
            topic_partitions=metadata.topic_partitions | new,
            txn_start_timestamp=start,
        )
        self._append_to_log(metadata)
        return Errors.NONE

    def handle_add_offsets(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        group_id: str,
        api_version: int = LIBRDKAFKA_API_VERSIONS["AddOffsetsToTxn"],
    ) -> Errors:
        """AddOffsetsToTxn: the group's __consumer_offsets partition joins the transaction."""
        partition = partition_for(group_id, self.cluster.config["offsets.topic.num.partitions"])
        self.cluster.internal_partition(CONSUMER_OFFSETS_TOPIC, partition)
        return self.handle_add_partitions(
            transactional_id,
            producer_id,
            producer_epoch,
            [(CONSUMER_OFFSETS_TOPIC, partition)],
            api_version,
        )

    def verify_partition(
        self, transactional_id: str, producer_id: int, producer_epoch: int, tp: TopicPartition
    ) -> Errors:
        """KIP-890 part 1: is `tp` in this producer's ongoing transaction? (AddPartitionsToTxn, verifyOnly)"""
        error, metadata = self._check_producer(
            transactional_id, producer_id, producer_epoch, Errors.PRODUCER_FENCED
        )
        if error or metadata is None:
            return error
        if metadata.state == TransactionState.Ongoing and tp in metadata.topic_partitions:
            return Errors.NONE
        return Errors.INVALID_TXN_STATE

    def verify_or_enrol(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        partition: Partition,
        implicit_add: bool,
    ) -> Errors:
        """The leader's check of a producer's first transactional write to `partition` (a
        Produce, or the offsets of a TxnOffsetCommit). KIP-890 part 1 asks the coordinator whether
        the partition is in the transaction; part 2 (`implicit_add` on a transaction.version 2
        cluster) enrols it on the client's behalf. A fenced producer gets
        INVALID_PRODUCER_EPOCH, the error of the data path."""
        if partition.producer_state.has_ongoing_transaction(producer_id, producer_epoch):
            return Errors.NONE
        tp = (partition.topic, partition.index)
        mode = self.verification(implicit_add)
        if mode == ENROL:
            error = self.handle_add_partitions(transactional_id, producer_id, producer_epoch, [tp])
        elif mode == VERIFY:
            error = self.verify_partition(transactional_id, producer_id, producer_epoch, tp)
        else:
            return Errors.NONE
        return Errors.INVALID_PRODUCER_EPOCH if error == Errors.PRODUCER_FENCED else error

    def verification(self, implicit_add: bool) -> str:
        """ENROL (KIP-890 part 2), VERIFY (part 1) or NO_VERIFICATION, by the cluster's config."""
        if implicit_add and self.cluster.config["transaction.version"] >= 2:
            return ENROL
        if self.cluster.config["transaction.partition.verification.enable"]:
            return VERIFY
        return NO_VERIFICATION

    # -- EndTxn ---------------------------------------------------------------------------------
    def handle_end_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        committed: bool,
        api_version: int = LIBRDKAFKA_API_VERSIONS["EndTxn"],
    ) -> EndTxnResponse:
        """EndTxn: TV1 (the version librdkafka sends) answers with a code only; v5+ is TV2 and
        also names the producer id and epoch to use from now on."""
        if api_version >= END_TXN_TV2_VERSION:
            return self._end_txn_tv2(transactional_id, producer_id, producer_epoch, committed)
        return EndTxnResponse(
            self._end_txn_tv1(transactional_id, producer_id, producer_epoch, committed, api_version)
        )

    def _end_txn_tv1(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        committed: bool,
        api_version: int,
    ) -> Errors:
        if not transactional_id:
            return Errors.INVALID_REQUEST
        metadata = self.transactions.get(transactional_id)
        if metadata is None or metadata.producer_id != producer_id:
            return Errors.INVALID_PRODUCER_ID_MAPPING
        if producer_epoch != metadata.producer_epoch:
            return fenced_error(api_version, END_TXN_PRODUCER_FENCED_VERSION)
        if metadata.pending_state is not None:
            return Errors.CONCURRENT_TRANSACTIONS
        s = metadata.state
        if s == TransactionState.Ongoing:
            target = TransactionState.PrepareCommit if committed else TransactionState.PrepareAbort
            metadata.transition_to(target, self.cluster.clock.milliseconds())
            self._append_to_log(metadata)
            self._send_markers(metadata, committed)
            return Errors.NONE
        table = {
            TransactionState.PrepareCommit: (
                Errors.CONCURRENT_TRANSACTIONS,
                Errors.INVALID_TXN_STATE,
            ),
            TransactionState.PrepareAbort: (
                Errors.INVALID_TXN_STATE,
                Errors.CONCURRENT_TRANSACTIONS,
            ),
            TransactionState.CompleteCommit: (Errors.NONE, Errors.INVALID_TXN_STATE),
            TransactionState.CompleteAbort: (Errors.INVALID_TXN_STATE, Errors.NONE),
            TransactionState.Empty: (Errors.INVALID_TXN_STATE, Errors.INVALID_TXN_STATE),
        }
        on_commit, on_abort = table[s]
        return on_commit if committed else on_abort

    def _end_txn_tv2(
        self, transactional_id: str, producer_id: int, producer_epoch: int, committed: bool
    ) -> EndTxnResponse:
        """KIP-890 part 2 (reference §3.6 TV2): every EndTxn bumps the epoch, so a late or
        retried EndTxn of an earlier transaction can never end a later one."""
        if self.cluster.config["transaction.version"] < 2:
            return EndTxnResponse(Errors.UNSUPPORTED_VERSION)
        if not transactional_id:
            return EndTxnResponse(Errors.INVALID_REQUEST)
        metadata = self.transactions.get(transactional_id)
        if metadata is None or metadata.producer_id != producer_id:
            return EndTxnResponse(Errors.INVALID_PRODUCER_ID_MAPPING)
        current = metadata.producer_epoch
        is_current, is_retry = producer_epoch == current, producer_epoch == current - 1
        if not (is_current or is_retry):
            return EndTxnResponse(Errors.PRODUCER_FENCED)
        if metadata.pending_state is not None:
            return EndTxnResponse(Errors.CONCURRENT_TRANSACTIONS)
        s = metadata.state
        ok = EndTxnResponse(Errors.NONE, metadata.producer_id, current)
        if s == TransactionState.Ongoing:
            if not is_current:
                return EndTxnResponse(Errors.PRODUCER_FENCED)
            return self._prepare_tv2(metadata, committed)
        if s in (TransactionState.PrepareCommit, TransactionState.PrepareAbort):
            if not is_retry:
                return EndTxnResponse(Errors.PRODUCER_FENCED)
            same = (s == TransactionState.PrepareCommit) == committed
            return EndTxnResponse(
                Errors.CONCURRENT_TRANSACTIONS if same else Errors.INVALID_TXN_STATE
            )
        if committed:
            if is_retry and s == TransactionState.CompleteCommit:
                return ok
            if is_retry and s == TransactionState.Empty:
                return EndTxnResponse(Errors.PRODUCER_FENCED)
            return EndTxnResponse(Errors.INVALID_TXN_STATE)
        if is_current:  # abort with nothing open: an epoch bump, PrepareAbort without partitions
            return self._prepare_tv2(metadata, committed=False)
        if s == TransactionState.CompleteAbort:
            return ok
        if s == TransactionState.Empty:
            return EndTxnResponse(Errors.PRODUCER_FENCED)
        return EndTxnResponse(Errors.INVALID_TXN_STATE)

    def _prepare_tv2(self, metadata: TransactionMetadata, committed: bool) -> EndTxnResponse:
        target = TransactionState.PrepareCommit if committed else TransactionState.PrepareAbort
        epoch = metadata.producer_epoch + 1
        metadata.transition_to(
            target,
            self.cluster.clock.milliseconds(),
            tv2=True,
            last_producer_epoch=metadata.producer_epoch,
            producer_epoch=epoch,
        )
        self._append_to_log(metadata)
        self._send_markers(metadata, committed)
        return EndTxnResponse(Errors.NONE, metadata.producer_id, epoch)

    # -- fencing, markers, completion ----------------------------------------------------------
    def _fence_and_abort(self, metadata: TransactionMetadata, reason: str) -> None:
        """PrepareEpochFence then PrepareAbort at epoch+1, and ABORT markers. The fence is never
        written and no request can run between the two, so it lives only in the journal."""
        now = self.cluster.clock.milliseconds()
        old_epoch = metadata.producer_epoch
        self.cluster.effect(EpochFence(metadata.transactional_id, old_epoch, reason))
        metadata.transition_to(
            TransactionState.PrepareAbort,
            now,
            producer_epoch=old_epoch + 1,
            last_producer_epoch=NO_PRODUCER_EPOCH,
        )
        self._append_to_log(metadata)
        self._send_markers(metadata, committed=False)

    def _send_markers(self, metadata: TransactionMetadata, committed: bool) -> None:
        tid = metadata.transactional_id
        kind = ControlRecordType.COMMIT if committed else ControlRecordType.ABORT
        pid, epoch = metadata.producer_id, metadata.producer_epoch
        coordinator_epoch = self.coordinator_epoch_for(tid)
        partitions = metadata.sorted_partitions()
        self._rounds += 1
        round_ = self.marker_rounds[tid] = self._rounds
        self.pending_markers[tid] = set(partitions)
        if not partitions:
            self._enqueue_complete(metadata, committed, round_)
            return
        for tp in partitions:
            self.cluster.enqueue_step(
                f"WriteTxnMarkers {kind.name}(pid {pid}, epoch {epoch}) -> {tp[0]}-{tp[1]}",
                ACTOR,
                "WriteTxnMarkers",
                {
                    "partition": f"{tp[0]}-{tp[1]}",
                    "producer_id": pid,
                    "producer_epoch": epoch,
                    "result": kind.name,
                    "coordinator_epoch": coordinator_epoch,
                },
                lambda tp=tp: self._write_marker(
                    metadata, tp, pid, epoch, kind, coordinator_epoch, committed, round_
                ),
                key=StepKey(MARKER, tid, round_, tp, coordinator_epoch),
            )

    def _write_marker(
        self,
        metadata: TransactionMetadata,
        tp: TopicPartition,
        pid: int,
        epoch: int,
        kind: ControlRecordType,
        coordinator_epoch: int,
        committed: bool,
        round_: int,
    ) -> Errors:
        tid = metadata.transactional_id
        error = self.cluster.write_txn_marker(tp, pid, epoch, kind, coordinator_epoch)
        if (
            coordinator_epoch != self.coordinator_epoch_for(tid)
            or self.marker_rounds.get(tid) != round_
        ):
            return error  # a replaced coordinator's, or an earlier transaction's: not tracked
        if error in (Errors.INVALID_PRODUCER_EPOCH, Errors.TRANSACTION_COORDINATOR_FENCED):
            # TransactionMarkerRequestCompletionHandler: stop sending markers for this transaction
            self.cluster.effect(MarkersStopped(tid, error.name))
            self.cluster.take_steps(
                lambda key: (
                    key is not None
                    and (key.kind, key.transactional_id, key.round, key.coordinator_epoch)
                    == (MARKER, tid, round_, coordinator_epoch)
                )
            )
            self.pending_markers.pop(tid, None)
            return error
        pending = self.pending_markers.get(tid)
        if pending is not None and tp in pending:  # a duplicated marker completes nothing twice
            pending.discard(tp)
            if not pending:
                self._enqueue_complete(metadata, committed, round_)
        return error

    def _enqueue_complete(
        self, metadata: TransactionMetadata, committed: bool, round_: int
    ) -> None:
        target = TransactionState.CompleteCommit if committed else TransactionState.CompleteAbort
        tid = metadata.transactional_id
        self.cluster.enqueue_step(
            f"{tid}: write {target.name} to {TRANSACTION_STATE_TOPIC}",
            ACTOR,
            "CompleteTxn",
            {"transactional_id": tid, "state": target.name},
            lambda: self._complete(metadata, target, round_),
            key=StepKey(COMPLETE, tid, round_),
        )

    def _complete(
        self, metadata: TransactionMetadata, target: TransactionState, round_: int
    ) -> Errors:
        tid = metadata.transactional_id
        if self.marker_rounds.get(tid) != round_ or self.pending_markers.get(tid):
            self.cluster.effect(NothingToComplete(tid))
            return Errors.NONE
        self.pending_markers.pop(tid, None)
        self.marker_rounds.pop(tid, None)
        metadata.transition_to(target, self.cluster.clock.milliseconds(), topic_partitions=set())
        self._append_to_log(metadata)
        return Errors.NONE

    def _append_to_log(self, metadata: TransactionMetadata) -> None:
        partition = self.partition_for(metadata.transactional_id)
        value = metadata.to_log_value()
        offset = self.cluster.append_internal(
            TRANSACTION_STATE_TOPIC,
            partition,
            key_to_bytes(metadata.transactional_id),
            None if metadata.state == TransactionState.Dead else value_to_bytes(value),
        )
        self.cluster.effect(
            TransactionStateWritten(
                f"{TRANSACTION_STATE_TOPIC}-{partition}",
                offset,
                metadata.transactional_id,
                metadata.state.name,
                metadata.producer_id,
                metadata.producer_epoch,
                tuple(f"{t}-{p}" for t, p in metadata.sorted_partitions()),
            )
        )

    # -- coordinator failover -------------------------------------------------------------------
    def restart(self, keep_stale_markers: bool = False) -> list[str]:
        """Fail over every __transaction_state partition: a new leader epoch (so a new
        coordinator epoch in every marker from now on), state reloaded from the log, and the
        markers of transactions caught in PrepareCommit/PrepareAbort sent again.

        With `keep_stale_markers` the old coordinator's queued markers are not lost but sent
        after the new ones, as a zombie coordinator would: the leaders reject them with
        TRANSACTION_COORDINATOR_FENCED.
        """
        partitions = self.cluster.existing_partitions(TRANSACTION_STATE_TOPIC)
        if not partitions:
            return []
        for p in partitions:
            p.leader_epoch += 1
            self.coordinator_epochs[p.index] = self.coordinator_epochs.get(p.index, 0) + 1
        stale = self.cluster.take_steps(lambda key: key is not None)
        self.transactions = self._load(partitions)
        self.pending_markers = {}
        self.cluster.effect(
            CoordinatorReloaded(
                self.coordinator_epochs.get(0, 0), len(self.transactions), TRANSACTION_STATE_TOPIC
            )
        )
        resumed = []
        for tid, metadata in sorted(self.transactions.items()):
            if metadata.state in (TransactionState.PrepareCommit, TransactionState.PrepareAbort):
                self._send_markers(metadata, metadata.state == TransactionState.PrepareCommit)
                resumed.append(tid)
        if keep_stale_markers:
            for step in stale:
                if step.key.kind == MARKER:
                    self.cluster.enqueue_step(
                        step.description + " (stale coordinator)",
                        step.actor,
                        step.api,
                        step.args,
                        step.run,
                        step.key,
                    )
        return resumed

    def _load(self, partitions: list) -> dict[str, TransactionMetadata]:
        """The last record per transactional id wins; a tombstone removes the id."""

        loaded: dict[str, TransactionMetadata] = {}
        for partition in partitions:
            for batch in partition.batches:
                for record in batch.records:
                    tid = key_from_bytes(record.key)
                    value = value_from_bytes(record.value)
                    if value is None:
                        loaded.pop(tid, None)
                        continue
                    loaded[tid] = TransactionMetadata(
                        tid,
                        value.producer_id,
                        value.producer_epoch,
                        value.transaction_timeout_ms,
                        TransactionState(value.transaction_status),
                        {(t, p) for t, ps in value.transaction_partitions or () for p in ps},
                        value.transaction_start_timestamp_ms,
                        value.transaction_last_update_timestamp_ms,
                    )
        return loaded

    # -- periodic jobs --------------------------------------------------------------------------
    def abort_timed_out_transactions(self) -> list[str]:
        """Every 10 s: abort Ongoing transactions older than their timeout (epoch bump + ABORT)."""
        now = self.cluster.clock.milliseconds()
        aborted = []
        for tid, metadata in sorted(self.transactions.items()):
            if (
                metadata.state == TransactionState.Ongoing
                and metadata.pending_state is None
                and metadata.txn_start_timestamp + metadata.txn_timeout_ms < now
            ):
                self._fence_and_abort(
                    metadata, reason=f"transaction timed out after {metadata.txn_timeout_ms} ms"
                )
                aborted.append(tid)
        return aborted

    def remove_expired_transactional_ids(self) -> list[str]:
        """Every hour: ids idle past transactional.id.expiration.ms go Dead (a tombstone)."""
        now = self.cluster.clock.milliseconds()
        expiration = self.cluster.config["transactional.id.expiration.ms"]
        expired = []
        for tid, metadata in sorted(self.transactions.items()):
            if (
                metadata.state.expiration_allowed
                and metadata.pending_state is None
                and metadata.txn_last_update_timestamp <= now - expiration
            ):
                metadata.transition_to(TransactionState.Dead, now)
                self._append_to_log(metadata)
                del self.transactions[tid]
                expired.append(tid)
        return expired
