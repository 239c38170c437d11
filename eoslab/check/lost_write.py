"""Lost write: a committed record that a reader skipped although it read past it.

A record is known committed when it was acknowledged in a committed transaction (or outside
any), or when a read_committed consumer returned it. Readers are the consumers of one isolation
level together (Jepsen's definition: one of them read a higher offset of the partition, none
returned this one; a read_uncommitted consumer's read proves nothing about read_committed ones)
and each downstream on its own (a sink, or an output topic whose records name their input): it
holds output for a later input of the partition but none for this one. That is how an
at-most-once pipeline loses data: its offsets moved on, its output never came.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from ..client.history import History
from .analysis import Analysis, shown
from .table import frame

NAME = "lost-write"
READ_COMMITTED = "read_committed consumers"
READ_UNCOMMITTED = "read_uncommitted consumers"


def rows(analysis: Analysis) -> list[dict[str, Any]]:
    readers: dict[str, dict[tuple[str, int], set[int]]] = {
        READ_COMMITTED: defaultdict(set),
        READ_UNCOMMITTED: defaultdict(set),
    }
    for poll in analysis.polls:
        reader = READ_COMMITTED if analysis.read_committed(poll) else READ_UNCOMMITTED
        readers[reader][poll.topic, poll.partition].add(poll.offset)
    for d in analysis.deliveries():
        seen = readers.setdefault(d.downstream, defaultdict(set))
        seen[d.source.topic, d.source.partition].add(d.source.offset)
    out = []
    for tp, records in sorted(analysis.known_committed().items()):
        for reader, seen in readers.items():
            offsets = seen.get(tp)
            if not offsets:
                continue
            top = max(offsets)
            for offset in sorted(records):
                if offset >= top or offset in offsets:
                    continue
                op, how = records[offset]
                if reader in (READ_COMMITTED, READ_UNCOMMITTED):
                    missed = f"no {reader[:-1]} returned it, though they read up to offset {top}"
                else:
                    missed = f"{reader} never got it, though it holds {tp[0]}-{tp[1]}@{top}"
                out.append(
                    {
                        "anomaly": NAME,
                        "topic": tp[0],
                        "partition": tp[1],
                        "offset": offset,
                        "value": shown(analysis.value_at(tp[0], tp[1], offset)),
                        "client_id": op.client_id,
                        "op_index": op.index,
                        "reader": reader,
                        "explanation": f"{how}; {missed}",
                    }
                )
    return out


def lost_write(history: History | Analysis) -> pd.DataFrame:
    """Committed records a consumer or downstream skipped while reading past them."""
    return frame(rows(history if isinstance(history, Analysis) else Analysis(history)))
