"""Inconsistent offsets: two different records at one offset of one partition.

Witnesses are the producers' delivery reports, the consumers' records and, when the cluster is
given, the partition log itself. A log never rewrites an offset, so any disagreement means some
party was told something untrue.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from ..client.history import History
from .analysis import Analysis, shown
from .log_reader import LogReader
from .table import frame

NAME = "inconsistent-offsets"
NO_RECORD = ("no record", "no record")  # what the log holds past its end


def rows(analysis: Analysis, log: LogReader | None = None) -> list[dict[str, Any]]:
    seen: dict[tuple[str, int, int], dict[tuple[Any, Any], list[str]]] = defaultdict(dict)
    first_op: dict[tuple[str, int, int], Any] = {}
    for w in analysis.writes:
        if w.acked:
            ack = w.ack
            at = (ack.topic, ack.partition, ack.offset)
            seen[at].setdefault((w.send.key, w.send.value), []).append(f"ack op {ack.index}")
            first_op.setdefault(at, ack)
    for poll in analysis.polls:
        at = (poll.topic, poll.partition, poll.offset)
        seen[at].setdefault((poll.key, poll.value), []).append(f"poll op {poll.index}")
        first_op.setdefault(at, poll)
    if log is not None:
        for at, records in seen.items():
            held = log.record_at(*at)
            if held is None:
                records.setdefault(NO_RECORD, []).append("the log")
            elif not held.control:
                records.setdefault((held.key, held.value), []).append("the log")
    out = []
    for (topic, partition, offset), records in sorted(seen.items()):
        if len(records) < 2:
            continue
        op = first_op[topic, partition, offset]
        versions = "; ".join(
            f"{'no record' if (key, value) == NO_RECORD else repr(shown(value))} ({', '.join(who)})"
            for (key, value), who in records.items()
        )
        out.append(
            {
                "anomaly": NAME,
                "topic": topic,
                "partition": partition,
                "offset": offset,
                "value": shown(op.value),
                "client_id": op.client_id,
                "op_index": op.index,
                "versions": len(records),
                "explanation": f"{len(records)} different records at one offset: {versions}",
            }
        )
    return out


def inconsistent_offsets(history: History | Analysis, cluster: Any = None) -> pd.DataFrame:
    """Offsets at which producers, consumers (and the log) disagree about the record."""
    analysis = history if isinstance(history, Analysis) else Analysis(history)
    return frame(rows(analysis, LogReader(cluster) if cluster is not None else None))
