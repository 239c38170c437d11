"""Aborted read (Jepsen's G1a): a read_committed consumer returned a record of a transaction its
producer aborted.

read_committed exists to hide exactly these records (reference §5.2); a read_uncommitted consumer
is allowed to see them and is not judged here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..client.history import History
from .analysis import ABORTED, Analysis, shown
from .table import frame

NAME = "aborted-read"


def rows(analysis: Analysis) -> list[dict[str, Any]]:
    out = []
    for poll in analysis.polls:
        if not analysis.read_committed(poll):
            continue
        w = analysis.writer_of(poll)
        if w is None or w.txn is None or w.txn.fate != ABORTED:
            continue
        out.append(
            {
                "anomaly": NAME,
                "topic": poll.topic,
                "partition": poll.partition,
                "offset": poll.offset,
                "value": shown(poll.value),
                "client_id": poll.client_id,
                "op_index": poll.index,
                "writer": w.txn.label,
                "explanation": f"read_committed {poll.client_id} returned it, but "
                f"{w.txn.label} was aborted (op {w.txn.decided_index})",
            }
        )
    return out


def aborted_read(history: History | Analysis) -> pd.DataFrame:
    """Records of aborted transactions that a read_committed consumer returned."""
    return frame(rows(history if isinstance(history, Analysis) else Analysis(history)))
