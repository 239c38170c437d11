"""The coordinator's view of transactions, like `kafka-transactions.sh list` / `describe`, and
`find-hanging` (reference §8).

`transactions()` is what the coordinator holds in memory right now: the state, the producer id and
epoch, and the partitions that will get a marker. `hanging_transactions()` compares that with the
partitions' producer state: a transaction open on a partition that the coordinator no longer means
to finish holds that partition's LSO for ever.
"""

from __future__ import annotations

import pandas as pd

from .cluster_state import ClusterState
from .frames import INT, NULLABLE_INT, TEXT, frame

SCHEMA = {
    "transactional_id": TEXT,
    "coordinator": INT,
    "txn_state_partition": INT,
    "producer_id": INT,
    "producer_epoch": INT,
    "state": TEXT,
    "pending_state": TEXT,
    "timeout_ms": INT,
    "start_ms": NULLABLE_INT,
    "duration_ms": NULLABLE_INT,
    "topic_partitions": TEXT,
    "pending_markers": TEXT,
    "coordinator_epoch": INT,
    "last_update_ms": INT,
}

HANGING_SCHEMA = {
    "topic": TEXT,
    "partition": INT,
    "producer_id": INT,
    "producer_epoch": INT,
    "coordinator_epoch": INT,
    "start_offset": INT,
    "last_timestamp": INT,
    "duration_ms": INT,
    "transactional_id": TEXT,
    "reason": TEXT,
}

DEFAULT_MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000  # find-hanging --max-transaction-timeout 15


def transactions(cluster: ClusterState) -> pd.DataFrame:
    """One row per transactional id the coordinator knows (Dead ids are gone, as in `list`)."""
    coordinator = cluster.txn_coordinator
    now = cluster.now_ms
    pending = getattr(coordinator, "pending_markers", {})
    rows = []
    for tid, m in sorted(coordinator.transactions.items()):
        partition = coordinator.partition_for(tid)
        start = m.txn_start_timestamp if m.txn_start_timestamp >= 0 else None
        rows.append(
            {
                "transactional_id": tid,
                "coordinator": cluster.leader_for("__transaction_state", partition),
                "txn_state_partition": partition,
                "producer_id": m.producer_id,
                "producer_epoch": m.producer_epoch,
                "state": m.state.name,
                "pending_state": m.pending_state.name if m.pending_state is not None else None,
                "timeout_ms": m.txn_timeout_ms,
                "start_ms": start,
                "duration_ms": None if start is None else now - start,
                "topic_partitions": tuple(f"{t}-{p}" for t, p in m.sorted_partitions()),
                "pending_markers": tuple(f"{t}-{p}" for t, p in sorted(pending.get(tid, ()))),
                "coordinator_epoch": coordinator.coordinator_epoch_for(tid),
                "last_update_ms": m.txn_last_update_timestamp,
            }
        )
    return frame(rows, SCHEMA)


def hanging_transactions(
    cluster: ClusterState, max_transaction_timeout_ms: int = DEFAULT_MAX_TRANSACTION_TIMEOUT_MS
) -> pd.DataFrame:
    """`kafka-transactions.sh find-hanging`: open on a partition, older than the max timeout, and
    unknown to the coordinator or not in its current partition set."""
    now = cluster.now_ms
    by_pid = {m.producer_id: (tid, m) for tid, m in cluster.txn_coordinator.transactions.items()}
    rows = []
    for name in cluster.list_topics(internal=True):
        for p in cluster.topics[name].partitions:
            for pid, e in sorted(p.producer_state.producers.items()):
                if e.current_txn_first_offset is None:
                    continue
                if now - e.last_timestamp <= max_transaction_timeout_ms:
                    continue
                tid, m = by_pid.get(pid, (None, None))
                if m is None:
                    reason = "no transactional id has this producer id"
                elif (p.topic, p.index) not in m.topic_partitions:
                    reason = f"not in {tid}'s current transaction ({m.state.name})"
                else:
                    continue
                rows.append(
                    {
                        "topic": p.topic,
                        "partition": p.index,
                        "producer_id": pid,
                        "producer_epoch": e.producer_epoch,
                        "coordinator_epoch": e.coordinator_epoch,
                        "start_offset": e.current_txn_first_offset,
                        "last_timestamp": e.last_timestamp,
                        "duration_ms": now - e.last_timestamp,
                        "transactional_id": tid,
                        "reason": reason,
                    }
                )
    return frame(rows, HANGING_SCHEMA)
