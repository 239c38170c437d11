"""Consumer groups and their committed offsets, like `kafka-consumer-groups.sh --describe`.

Its LOG-END-OFFSET is the HW (the tool lists offsets with read_uncommitted isolation), so its LAG
counts uncommitted and aborted records and even markers: a read_committed group that has read
everything it can may still show lag while a transaction is open (reference §4.5, §8).

`pending_offset` is what the tool cannot show: an offset committed inside a producer's open
transaction (sendOffsetsToTransaction). It becomes the committed offset when the COMMIT marker
reaches `__consumer_offsets`, and is thrown away on ABORT (reference §6.2).

Committed offsets come from the cluster's group coordinator; without one, the table lists the
groups of live consumers with CURRENT-OFFSET and LAG unknown (<NA>).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .cluster_state import ClusterState, GroupCoordinatorState
from .consumers import assigned_partitions, committed_offset, live_consumers
from .frames import INT, NULLABLE_INT, TEXT, frame

SCHEMA = {
    "group": TEXT,
    "state": TEXT,
    "topic": TEXT,
    "partition": INT,
    "current_offset": NULLABLE_INT,
    "log_end_offset": INT,
    "lag": NULLABLE_INT,
    "pending_offset": NULLABLE_INT,
    "consumer_id": TEXT,
    "client_id": TEXT,
}


def consumer_groups(cluster: ClusterState) -> pd.DataFrame:
    """One row per (group, partition) that a live consumer reads or that has an offset.

    `consumer_id` is the member id of a group member (None for an `assign()`ed consumer, which is
    no member); `client_id` is the live consumer reading that partition for the group.
    """
    readers: dict[tuple[str, str, int], tuple[str | None, str]] = {}
    groups: set[str] = set()
    for c in live_consumers(cluster):
        groups.add(c.group_id)
        member_id = _member_id(c)
        for topic, index in assigned_partitions(c):
            readers.setdefault((c.group_id, topic, index), (member_id, c.client_id))
    coordinator = cluster.group_coordinator
    groups.update(coordinator.groups())
    rows = []
    for group in sorted(groups):
        pending = _pending(coordinator, group)
        state = _state(coordinator, group)
        for name in cluster.list_topics():
            for p in cluster.topics[name].partitions:
                key = (p.topic, p.index)
                committed = committed_offset(cluster, group, p.topic, p.index)
                reader = readers.get((group, *key))
                if committed is None and reader is None and key not in pending:
                    continue
                rows.append(
                    {
                        "group": group,
                        "state": state,
                        "topic": p.topic,
                        "partition": p.index,
                        "current_offset": committed,
                        "log_end_offset": p.high_watermark,
                        "lag": None if committed is None else p.high_watermark - committed,
                        "pending_offset": pending.get(key),
                        "consumer_id": reader[0] if reader else None,
                        "client_id": reader[1] if reader else None,
                    }
                )
    return frame(rows, SCHEMA)


def _member_id(consumer: Any) -> str | None:
    memberid = getattr(consumer, "memberid", None)
    try:
        return memberid() if callable(memberid) else None
    except RuntimeError:  # closed meanwhile
        return None


def _pending(coordinator: GroupCoordinatorState, group: str) -> dict[tuple[str, int], int]:
    return {tp: offset for tp, (_pid, offset) in coordinator.pending_offsets(group).items()}


def _state(coordinator: GroupCoordinatorState, group: str) -> str:
    g = coordinator.group(group)
    if g is None:
        return "Empty"
    return getattr(g.state, "value", str(g.state))
