"""The transaction coordinator's requests: FindCoordinator, InitProducerId, AddPartitionsToTxn,
AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions, and a coordinator failover.
The rules live in `txn_coordinator.py`; these declare the requests and check what only the broker
that received them can check (does the partition exist)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import Errors
from .hashing import partition_for
from .internal_topics import CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC
from .protocol import (
    LIBRDKAFKA_API_VERSIONS,
    EndTxnResponse,
    FindCoordinatorResponse,
    InitProducerIdResponse,
)
from .records import NO_PRODUCER_EPOCH, NO_PRODUCER_ID
from .requests import Call, request, summarize_partition_errors


def _producer(c: Call) -> dict[str, Any]:
    return {
        "transactional_id": c.transactional_id,
        "producer_id": c.producer_id,
        "producer_epoch": c.producer_epoch,
    }


def _summarize_end_txn(r: EndTxnResponse) -> str:
    if not r.error and r.producer_id >= 0:  # v5+ (TV2) names the epoch to use from now on
        return f"NONE (pid {r.producer_id}, epoch {r.producer_epoch})"
    return r.error.name


class TransactionRequests:
    """The cluster's transaction requests (a part of `Cluster`)."""

    txn_coordinator: Any
    config: Any
    now_ms: int
    _find_partition: Any
    _internal_topic: Any
    leader_for: Any

    @request(
        "FindCoordinator",
        args=lambda c: {"key": c.key, "key_type": c.key_type},
        summary=lambda r: f"{r.error.name} node {r.node_id} (partition {r.partition})",
    )
    def find_coordinator(
        self, key: str, key_type: str = "transaction", client_id: str = "client"
    ) -> FindCoordinatorResponse:
        """key_type 'group' or 'transaction'; the coordinator leads the key's internal partition."""
        if key_type not in ("group", "transaction"):
            return FindCoordinatorResponse(Errors.INVALID_REQUEST)
        if not key:
            return FindCoordinatorResponse(Errors.INVALID_REQUEST)
        if key_type == "transaction":
            topic, n = TRANSACTION_STATE_TOPIC, self.txn_coordinator.partition_for(key)
        else:
            topic = CONSUMER_OFFSETS_TOPIC
            n = partition_for(key, self.config["offsets.topic.num.partitions"])
        self._internal_topic(topic)
        node = self.leader_for(topic, n)
        return FindCoordinatorResponse(Errors.NONE, node, f"broker{node}.eoslab", 9092, n)

    @request(
        "InitProducerId",
        args=lambda c: {
            "transactional_id": c.transactional_id,
            "transaction_timeout_ms": c.transaction_timeout_ms,
            "producer_id": c.producer_id,
            "producer_epoch": c.producer_epoch,
        },
        summary=lambda r: (
            r.error.name
            + (f" (pid {r.producer_id}, epoch {r.producer_epoch})" if not r.error else "")
        ),
        timed_out=lambda c: InitProducerIdResponse(Errors.REQUEST_TIMED_OUT),
    )
    def init_producer_id(
        self,
        transactional_id: str | None = None,
        transaction_timeout_ms: int = 60_000,
        producer_id: int = NO_PRODUCER_ID,
        producer_epoch: int = NO_PRODUCER_EPOCH,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["InitProducerId"],
    ) -> InitProducerIdResponse:
        return self.txn_coordinator.handle_init_producer_id(
            transactional_id, transaction_timeout_ms, producer_id, producer_epoch, api_version
        )

    @request(
        "AddPartitionsToTxn",
        args=lambda c: {
            **_producer(c),
            "partitions": [f"{t}-{p}" for t, p in dict.fromkeys(c.partitions)],
        },
        summary=summarize_partition_errors,
        timed_out=lambda c: dict.fromkeys(dict.fromkeys(c.partitions), Errors.REQUEST_TIMED_OUT),
    )
    def add_partitions_to_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        partitions: Iterable[tuple[str, int]],
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["AddPartitionsToTxn"],
    ) -> dict[tuple[str, int], Errors]:
        """Per-partition results: unknown partitions fail, the others are then not attempted."""
        requested = list(dict.fromkeys(partitions))
        unknown = [tp for tp in requested if self._find_partition(*tp) is None]
        if unknown:
            return {
                tp: Errors.UNKNOWN_TOPIC_OR_PARTITION
                if tp in unknown
                else Errors.OPERATION_NOT_ATTEMPTED
                for tp in requested
            }
        error = self.txn_coordinator.handle_add_partitions(
            transactional_id, producer_id, producer_epoch, requested, api_version
        )
        return {tp: error for tp in requested}

    @request(
        "AddOffsetsToTxn",
        args=lambda c: {**_producer(c), "group_id": c.group_id},
        timed_out=lambda c: Errors.REQUEST_TIMED_OUT,
    )
    def add_offsets_to_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        group_id: str,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["AddOffsetsToTxn"],
    ) -> Errors:
        return self.txn_coordinator.handle_add_offsets(
            transactional_id, producer_id, producer_epoch, group_id, api_version
        )

    @request(
        "EndTxn",
        args=lambda c: {**_producer(c), "result": "COMMIT" if c.committed else "ABORT"},
        summary=_summarize_end_txn,
        timed_out=lambda c: EndTxnResponse(Errors.REQUEST_TIMED_OUT),
    )
    def end_txn(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        committed: bool,
        client_id: str = "client",
        api_version: int = LIBRDKAFKA_API_VERSIONS["EndTxn"],
    ) -> EndTxnResponse:
        """EndTxn; v5+ (TV2) answers with the producer id and epoch to use from now on."""
        return self.txn_coordinator.handle_end_txn(
            transactional_id, producer_id, producer_epoch, committed, api_version
        )

    @request(
        "RestartTransactionCoordinator",
        args=lambda c: {"keep_stale_markers": c.keep_stale_markers},
        summary=lambda r: "resumed " + ", ".join(r) if r else "NONE",
        actor="cluster",
    )
    def restart_transaction_coordinator(self, keep_stale_markers: bool = False) -> list[str]:
        """Fail the transaction coordinator over: new coordinator epoch, state reloaded from
        __transaction_state, unfinished commits and aborts completed by the new coordinator."""
        return self.txn_coordinator.restart(keep_stale_markers)

    # -- the admin tools' requests --------------------------------------------------------------
    @request(
        "DescribeTransactions",
        args=lambda c: {"transactional_ids": list(c.transactional_ids)},
        summary=lambda r: ", ".join(f"{t}: {e.name}" for t, (e, _) in r.items()),
    )
    def describe_transactions(
        self, transactional_ids: list[str], client_id: str = "admin"
    ) -> dict[str, tuple[Errors, Any]]:
        """DescribeTransactions: TRANSACTIONAL_ID_NOT_FOUND for unknown or expired ids (§8)."""
        out = {}
        for tid in transactional_ids:
            metadata = self.txn_coordinator.transactions.get(tid)
            out[tid] = (
                (Errors.TRANSACTIONAL_ID_NOT_FOUND, None)
                if metadata is None
                else (Errors.NONE, metadata)
            )
        return out

    @request(
        "ListTransactions",
        args=lambda c: {"states": c.states, "producer_ids": c.producer_ids},
        summary=lambda r: f"{len(r)} transactions",
    )
    def list_transactions(
        self,
        states: list[str] | None = None,
        producer_ids: list[int] | None = None,
        duration_filter_ms: int = -1,
        client_id: str = "admin",
    ) -> list[tuple[str, int, str]]:
        """ListTransactions: (transactional id, producer id, state); Dead ids are not listed."""
        now = self.now_ms
        out = []
        for tid, m in sorted(self.txn_coordinator.transactions.items()):
            if states and m.state.name not in states:
                continue
            if producer_ids and m.producer_id not in producer_ids:
                continue
            if duration_filter_ms >= 0 and (
                m.txn_start_timestamp < 0 or now - m.txn_start_timestamp < duration_filter_ms
            ):
                continue
            out.append((tid, m.producer_id, m.state.name))
        return out
