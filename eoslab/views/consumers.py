"""Where every live consumer stands: position, fetch position, committed offset, HW, LSO, lags.

Two consumers on the same log can stand in different places, and that is the lesson: a
read_committed consumer stops at the LSO while a read_uncommitted one reads to the HW. Lag is
given by both definitions: against the LSO (what a read_committed consumer can still read, Java's
`records-lag`) and against the HW (what `kafka-consumer-groups.sh` shows as LAG).

`position` is what `Consumer.position()` returns: librdkafka's application position, -1001 until a
message has been returned. `fetch_position` is the next offset the consumer will fetch, which the
lags are measured from.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .cluster_state import ClusterState, ConsumerState
from .frames import INT, NULLABLE_INT, TEXT, frame

SCHEMA = {
    "client_id": TEXT,
    "group_id": TEXT,
    "isolation_level": TEXT,
    "topic": TEXT,
    "partition": NULLABLE_INT,
    "position": NULLABLE_INT,
    "fetch_position": NULLABLE_INT,
    "committed": NULLABLE_INT,
    "high_watermark": NULLABLE_INT,
    "last_stable_offset": NULLABLE_INT,
    "lag_lso": NULLABLE_INT,
    "lag_hw": NULLABLE_INT,
    "records_returned": INT,
}


def live_consumers(cluster: ClusterState) -> list[ConsumerState]:
    """Open consumers of the cluster, in creation order."""
    return [c for c in cluster.clients if isinstance(c, ConsumerState) and not c.closed]


def assigned_partitions(consumer: Any) -> list[tuple[str, int]]:
    return [(tp.topic, tp.partition) for tp in consumer.assignment()]


def committed_offset(
    cluster: ClusterState, group_id: str, topic: str, partition: int
) -> int | None:
    """The group's committed offset; None when the group has none."""
    return cluster.group_coordinator.committed(group_id, topic, partition)


def consumers(cluster: ClusterState) -> pd.DataFrame:
    """One row per (consumer, assigned partition); a consumer with no assignment gets one row."""
    rows = []
    for c in live_consumers(cluster):
        base = {
            "client_id": c.client_id,
            "group_id": c.group_id,
            "isolation_level": c.isolation_level,
            "records_returned": c.records_returned,
        }
        tps = assigned_partitions(c)
        if not tps:
            rows.append(base)
        for topic, index in tps:
            state = c.fetch_state(topic, index)
            fetch = state.fetch_position if state is not None else -1
            fetch = fetch if fetch >= 0 else None
            row = {
                **base,
                "topic": topic,
                "partition": index,
                "position": state.app_position if state is not None else None,
                "fetch_position": fetch,
                "committed": committed_offset(cluster, c.group_id, topic, index),
            }
            t = cluster.topics.get(topic)
            if t is not None and 0 <= index < len(t.partitions):  # else: deleted meanwhile
                p = t.partitions[index]
                hw, lso = p.high_watermark, p.last_stable_offset
                row.update(
                    high_watermark=hw,
                    last_stable_offset=lso,
                    lag_lso=None if fetch is None else lso - fetch,
                    lag_hw=None if fetch is None else hw - fetch,
                )
            rows.append(row)
    return frame(rows, SCHEMA)
