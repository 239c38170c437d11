"""Every partition's offsets in one table: log start, LEO, HW, first unstable offset, LSO.

The gap between HW and LSO (`lso_lag`, Kafka's LastStableOffsetLag metric) is the part of the log
that read_uncommitted consumers can read and read_committed consumers cannot yet.
"""

from __future__ import annotations

import pandas as pd

from .cluster_state import ClusterState
from .frames import BOOL, INT, NULLABLE_INT, TEXT, frame

SCHEMA = {
    "topic": TEXT,
    "partition": INT,
    "leader": INT,
    "log_start_offset": INT,
    "log_end_offset": INT,
    "high_watermark": INT,
    "first_unstable_offset": NULLABLE_INT,
    "last_stable_offset": INT,
    "lso_lag": INT,
    "open_transactions": INT,
    "aborted_transactions": INT,
    "batches": INT,
    "high_watermark_held": BOOL,
}


def partitions(cluster: ClusterState, internal: bool = False) -> pd.DataFrame:
    """One row per partition of every topic (internal topics too with `internal=True`)."""
    rows = []
    for name in cluster.list_topics(internal=internal):
        for p in cluster.topics[name].partitions:
            rows.append(
                {
                    "topic": p.topic,
                    "partition": p.index,
                    "leader": cluster.leader_for(p.topic, p.index),
                    "log_start_offset": p.log_start_offset,
                    "log_end_offset": p.log_end_offset,
                    "high_watermark": p.high_watermark,
                    "first_unstable_offset": p.first_unstable_offset(),
                    "last_stable_offset": p.last_stable_offset,
                    "lso_lag": p.high_watermark - p.last_stable_offset,
                    "open_transactions": len(p.producer_state.ongoing_txns),
                    "aborted_transactions": len(p.txn_index),
                    "batches": len(p.batches),
                    "high_watermark_held": bool(getattr(p, "high_watermark_held", False)),
                }
            )
    return frame(rows, SCHEMA)
