"""`kafka-transactions.sh find-hanging` and `abort`, over the AdminClient (reference §8).

A hanging transaction is open on a partition although its coordinator will never send a marker
there: the LSO stops at its first offset, read_committed consumers stall, lag grows. The tool finds
such producers by asking every partition leader which transactions are open and for how long,
then checks with the coordinators; `abort` writes the missing ABORT marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from .admin import AdminClient
from .admin_results import AbortTransactionSpec
from .message import TopicPartition

DEFAULT_MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000  # --max-transaction-timeout, 15 minutes


@dataclass(frozen=True)
class HangingTransaction:
    """One row of `find-hanging`."""

    topic: str
    partition: int
    producer_id: int
    producer_epoch: int
    coordinator_epoch: int
    start_offset: int
    last_timestamp: int
    duration_min: int


def find_hanging(
    admin: AdminClient,
    topic: str,
    partition: int | None = None,
    max_transaction_timeout_ms: int = DEFAULT_MAX_TRANSACTION_TIMEOUT_MS,
    now_ms: int | None = None,
) -> list[HangingTransaction]:
    """Open transactions older than the maximum timeout whose coordinator does not know them."""
    now_ms = admin.now_ms if now_ms is None else now_ms
    metadata = admin.list_topics(topic)
    partitions = sorted(metadata.topics[topic].partitions) if partition is None else [partition]
    candidates: list[tuple[int, object]] = []
    described = admin.describe_producers([TopicPartition(topic, p) for p in partitions])
    for tp, future in described.items():
        for state in future.result():
            if state.current_transaction_start_offset is None:
                continue
            if now_ms - state.last_timestamp <= max_transaction_timeout_ms:
                continue
            candidates.append((tp.partition, state))
    if not candidates:
        return []
    listings = admin.list_transactions(producer_ids=[s.producer_id for _, s in candidates]).result()
    by_pid = {listing.producer_id: listing.transactional_id for listing in listings}
    descriptions = (
        {
            tid: f.result()
            for tid, f in admin.describe_transactions(sorted(set(by_pid.values()))).items()
        }
        if by_pid
        else {}
    )
    hanging = []
    for p, state in candidates:
        tid = by_pid.get(state.producer_id)
        in_coordinator = tid is not None and TopicPartition(topic, p) in set(
            descriptions[tid].topic_partitions
        )
        if in_coordinator:
            continue  # the coordinator still means to finish it
        hanging.append(
            HangingTransaction(
                topic,
                p,
                state.producer_id,
                state.producer_epoch,
                state.coordinator_epoch if state.coordinator_epoch is not None else -1,
                state.current_transaction_start_offset,
                state.last_timestamp,
                (now_ms - state.last_timestamp) // 60_000,
            )
        )
    return hanging


def abort_at(admin: AdminClient, topic: str, partition: int, start_offset: int) -> None:
    """`kafka-transactions.sh abort --topic T --partition P --start-offset O`."""
    states = admin.describe_producers([TopicPartition(topic, partition)])
    for state in next(iter(states.values())).result():
        if state.current_transaction_start_offset == start_offset:
            spec = AbortTransactionSpec(
                TopicPartition(topic, partition),
                state.producer_id,
                state.producer_epoch,
                state.coordinator_epoch if state.coordinator_epoch is not None else 0,
            )
            admin.abort_transaction(spec).result()
            return
    raise ValueError(f"no open transaction starts at offset {start_offset} of {topic}-{partition}")
