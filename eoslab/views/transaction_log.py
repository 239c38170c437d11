"""`__transaction_state` as a table, like `TransactionLogMessageFormatter` (book p.177).

The coordinator's whole memory is this log: every state change of a transactional id is written
here before the coordinator acts on it. Reading it top to bottom shows a transaction's life,
Empty -> Ongoing -> PrepareCommit -> CompleteCommit, with the partitions it touched (null for
Empty, an empty set once complete) and the epoch that fences zombies.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .frames import NULLABLE_INT, TEXT, frame
from .internal_topics import TRANSACTION_STATE, decode_txn_log

SCHEMA = {
    "partition": NULLABLE_INT,
    "offset": NULLABLE_INT,
    "timestamp": NULLABLE_INT,
    "transactional_id": TEXT,
    "state": TEXT,
    "producer_id": NULLABLE_INT,
    "producer_epoch": NULLABLE_INT,
    "partitions": TEXT,
    "timeout_ms": NULLABLE_INT,
    "start_ms": NULLABLE_INT,
    "last_update_ms": NULLABLE_INT,
}


def transaction_log(
    cluster: Any,
    transactional_id: str | None = None,
    *,
    tail: int | None = None,
    newest: int | None = None,
) -> pd.DataFrame:
    """Every `__transaction_state` record (or one id's), by partition then offset.

    `partitions` is a tuple of "topic-partition" names, `()` when complete, None where Kafka
    writes null (Empty). A tombstone (the id expired) has state "Dead" and nothing else.
    `tail` = N gives the last N rows of that table, reading the log backwards from its end
    until it has them: the cost of the rows shown, not of the log.
    `newest` = N gives the N most recent records across the partitions instead, oldest first
    (by timestamp, then partition and offset): what happened last, wherever the coordinator
    wrote it. Each partition is read backwards for at most N rows, so it costs N x partitions.
    """
    if tail is not None and tail < 0:
        raise ValueError(f"tail must be >= 0, not {tail}")
    if newest is not None:
        if newest < 0:
            raise ValueError(f"newest must be >= 0, not {newest}")
        if tail is not None:
            raise ValueError("give tail or newest, not both")
        return _newest(cluster, transactional_id, newest)
    topic = cluster.topics.get(TRANSACTION_STATE)
    if topic is None or tail == 0:
        return frame([], SCHEMA)
    if transactional_id is None:
        partitions = topic.partitions
    else:
        partitions = [topic.partitions[cluster.txn_coordinator.partition_for(transactional_id)]]
    if tail is None:
        rows = [
            row
            for p in partitions
            for batch in p.batches
            for r in batch.records
            if (row := _row(p, r, transactional_id)) is not None
        ]
        return frame(rows, SCHEMA)
    rows = []
    for p in reversed(partitions):
        for batch in reversed(p.batches):
            for r in reversed(batch.records):
                row = _row(p, r, transactional_id)
                if row is not None:
                    rows.append(row)
                    if len(rows) == tail:
                        return frame(reversed(rows), SCHEMA)
    return frame(reversed(rows), SCHEMA)


def _newest(cluster: Any, transactional_id: str | None, n: int) -> pd.DataFrame:
    topic = cluster.topics.get(TRANSACTION_STATE)
    if topic is None or n == 0:
        return frame([], SCHEMA)
    rows = []
    for p in topic.partitions:
        found = 0
        for batch in reversed(p.batches):
            for r in reversed(batch.records):
                row = _row(p, r, transactional_id)
                if row is not None:
                    rows.append(row)
                    found += 1
                    if found == n:
                        break
            if found == n:
                break
    rows.sort(key=lambda row: (row["timestamp"], row["partition"], row["offset"]))
    return frame(rows[len(rows) - n :] if len(rows) > n else rows, SCHEMA)


def _row(p: Any, r: Any, transactional_id: str | None) -> dict[str, Any] | None:
    e = decode_txn_log(r.key, r.value)
    if transactional_id is not None and e.transactional_id != transactional_id:
        return None
    return {
        "partition": p.index,
        "offset": r.offset,
        "timestamp": r.timestamp,
        "transactional_id": e.transactional_id,
        "state": e.state,
        "producer_id": e.producer_id,
        "producer_epoch": e.producer_epoch,
        "partitions": e.partitions,
        "timeout_ms": e.timeout_ms,
        "start_ms": e.start_ms,
        "last_update_ms": e.last_update_ms,
    }
