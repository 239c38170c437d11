"""Duplicate: one input processed into a downstream more than once, or one record at two offsets.

With lineage (output keys naming their input, sinks recording their source), a duplicate is the
same input in two output records or two inserted sink rows: the at-least-once pipeline after a
crash between producing and committing offsets. Without lineage it is Jepsen's definition: the
same value at two offsets of one partition, among the records known committed (acknowledged in a
committed transaction, or returned to a read_committed consumer), e.g. a plain producer's retry.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from ..client.history import History, Op
from ..scenarios.lineage import parse_lineage
from .analysis import Analysis, Delivery, shown
from .table import frame

NAME = "duplicate"


def rows(analysis: Analysis) -> list[dict[str, Any]]:
    out = []
    by_source: dict[tuple[str, Any], list[Delivery]] = defaultdict(list)
    for d in analysis.deliveries():
        if d.inserted:
            by_source[d.downstream, d.source].append(d)
    for (downstream, source), copies in by_source.items():
        if len(copies) < 2:
            continue
        first = copies[0].op
        places = ", ".join(c.where for c in copies)
        for c in copies[1:]:
            out.append(
                {
                    "anomaly": NAME,
                    "topic": source.topic,
                    "partition": source.partition,
                    "offset": source.offset,
                    "value": shown(analysis.value_at(*source)),
                    "output": shown(c.op.value),
                    "client_id": c.op.client_id,
                    "op_index": c.op.index,
                    "downstream": downstream,
                    "copies": len(copies),
                    "explanation": f"input {source} processed into {downstream} "
                    f"{len(copies)} times ({places}); first at op {first.index}",
                }
            )
    committed: list[Op] = [w.ack for w in analysis.writes if w.committed]
    committed += [
        p
        for p in analysis.polls
        if analysis.read_committed(p) and not analysis.returned_a_marker(p)
    ]
    offsets: dict[tuple[str, int, bytes | None], dict[int, Op]] = defaultdict(dict)
    for op in committed:
        if parse_lineage(op.key) is None:
            offsets[op.topic, op.partition, op.value].setdefault(op.offset, op)
    for (topic, partition, value), at in offsets.items():
        if len(at) < 2:
            continue
        ordered = sorted(at)
        for offset in ordered[1:]:
            op = at[offset]
            out.append(
                {
                    "anomaly": NAME,
                    "topic": topic,
                    "partition": partition,
                    "offset": offset,
                    "value": shown(value),
                    "client_id": op.client_id,
                    "op_index": op.index,
                    "downstream": f"topic {topic}",
                    "copies": len(at),
                    "explanation": f"the same value is committed at offsets "
                    f"{', '.join(map(str, ordered))} of {topic}-{partition}",
                }
            )
    return out


def duplicate(history: History | Analysis) -> pd.DataFrame:
    """Inputs processed more than once, and values committed at more than one offset."""
    return frame(rows(history if isinstance(history, Analysis) else Analysis(history)))
