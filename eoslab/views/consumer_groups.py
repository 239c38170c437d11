"""Consumer groups and their committed offsets, like `kafka-consumer-groups.sh --describe`.

Its LOG-END-OFFSET is the HW (the tool lists offsets with read_uncommitted isolation), so its LAG
counts uncommitted and aborted records and even markers: a read_committed group that has read
everything it can may still show lag while a transaction is open (reference §4.5, §8).

Committed offsets come from the cluster's group coordinator when it has one; before that the
table lists the groups of live consumers with CURRENT-OFFSET and LAG unknown (<NA>).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .consumers import assigned_partitions, committed_offset, live_consumers
from .frames import INT, NULLABLE_INT, TEXT, frame

SCHEMA = {
    "group": TEXT,
    "topic": TEXT,
    "partition": INT,
    "current_offset": NULLABLE_INT,
    "log_end_offset": INT,
    "lag": NULLABLE_INT,
    "consumer_id": TEXT,
    "client_id": TEXT,
}


def consumer_groups(cluster: Any) -> pd.DataFrame:
    """One row per (group, partition) that a live member is assigned or that has an offset."""
    members: dict[tuple[str, str, int], str] = {}
    groups: set[str] = set()
    for c in live_consumers(cluster):
        groups.add(c.group_id)
        for topic, index in assigned_partitions(c):
            members.setdefault((c.group_id, topic, index), c.client_id)
    coordinator = getattr(cluster, "group_coordinator", None)
    if coordinator is not None:
        groups.update(coordinator.groups())
    rows = []
    for group in sorted(groups):
        for name in cluster.list_topics():
            for p in cluster.topics[name].partitions:
                committed = committed_offset(cluster, group, p.topic, p.index)
                member = members.get((group, p.topic, p.index))
                if committed is None and member is None:
                    continue
                rows.append(
                    {
                        "group": group,
                        "topic": p.topic,
                        "partition": p.index,
                        "current_offset": committed,
                        "log_end_offset": p.high_watermark,
                        "lag": None if committed is None else p.high_watermark - committed,
                        "consumer_id": member,
                        "client_id": member,
                    }
                )
    return frame(rows, SCHEMA)
