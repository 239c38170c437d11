"""A partition's producer state, like `kafka-transactions.sh describe-producers` (reference §4.1).

The leader remembers, per producer id, the epoch (older epochs are fenced), the last sequence
(duplicates and gaps are refused), the coordinator epoch of the last marker, and the first offset
of the transaction open here: that offset is what holds the partition's LSO.
"""

from __future__ import annotations

import pandas as pd

from .cluster_state import ClusterState
from .frames import INT, NULLABLE_INT, frame

SCHEMA = {
    "producer_id": INT,
    "producer_epoch": INT,
    "latest_coordinator_epoch": INT,
    "last_sequence": INT,
    "last_timestamp": INT,
    "current_transaction_start_offset": NULLABLE_INT,
}


def producers(cluster: ClusterState, topic: str, partition: int) -> pd.DataFrame:
    """One row per producer id the partition's leader tracks; start offset <NA> when none open."""
    state = cluster.partition(topic, partition).producer_state
    rows = [
        {
            "producer_id": pid,
            "producer_epoch": e.producer_epoch,
            "latest_coordinator_epoch": e.coordinator_epoch,
            "last_sequence": e.last_seq,
            "last_timestamp": e.last_timestamp,
            "current_transaction_start_offset": e.current_txn_first_offset,
        }
        for pid, e in sorted(state.producers.items())
    ]
    return frame(rows, SCHEMA)
