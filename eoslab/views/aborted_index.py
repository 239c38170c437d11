"""A partition's aborted transaction index (Kafka's `.txnindex`, reference §4.3).

Only aborts are indexed. A read_committed fetch sends aborted data over the wire anyway, with the
(producer id, first offset) of every aborted transaction it overlaps; the consumer drops those
records. `last_offset` is the ABORT marker's own offset; `last_stable_offset` bounds index scans.
"""

from __future__ import annotations

import pandas as pd

from .cluster_state import ClusterState
from .frames import INT, frame

SCHEMA = {
    "producer_id": INT,
    "first_offset": INT,
    "last_offset": INT,
    "last_stable_offset": INT,
}


def aborted_index(
    cluster: ClusterState, topic: str, partition: int, *, tail: int | None = None
) -> pd.DataFrame:
    """One row per aborted transaction, in offset order; `tail` = N: the last N only (the rows
    are built for what is shown, not for every abort in the log)."""
    if tail is not None and tail < 0:
        raise ValueError(f"tail must be >= 0, not {tail}")
    entries = cluster.partition(topic, partition).txn_index.all()
    if tail is not None:
        entries = entries[len(entries) - tail :]
    return frame(
        (
            {
                "producer_id": a.producer_id,
                "first_offset": a.first_offset,
                "last_offset": a.last_offset,
                "last_stable_offset": a.last_stable_offset,
            }
            for a in entries
        ),
        SCHEMA,
    )
