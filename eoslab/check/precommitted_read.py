"""Precommitted read: a read_committed consumer returned a record before its producer committed
the transaction (reference §5.3: an open transaction holds the LSO back).

A read counts as precommitted if it came before the producer's first commit/abort attempt, or, for
a transaction that did commit, before the commit returned. After a failed attempt whose outcome
the producer never learnt, the transaction may have committed, so later reads are not judged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..client.history import History
from .analysis import ABORTED, COMMITTED, Analysis, shown
from .table import frame

NAME = "precommitted-read"


def rows(analysis: Analysis) -> list[dict[str, Any]]:
    out = []
    for poll in analysis.polls:
        if not analysis.read_committed(poll):
            continue
        w = analysis.writer_of(poll)
        if w is None or w.txn is None or w.txn.fate == ABORTED:
            continue  # not transactional, or an aborted read (reported as such)
        txn = w.txn
        if txn.fate == COMMITTED:
            early = poll.index < txn.decided_index
            when = f"before its commit returned at op {txn.decided_index}"
        else:
            first = txn.first_end_index
            early = first is None or poll.index < first
            if first is not None:
                when = f"before its producer tried to end it (op {first})"
            elif txn.crashed_index is not None:
                when = f"though its producer crashed (op {txn.crashed_index}) without ending it"
            else:
                when = "before its producer tried to commit it"
        if early:
            out.append(
                {
                    "anomaly": NAME,
                    "topic": poll.topic,
                    "partition": poll.partition,
                    "offset": poll.offset,
                    "value": shown(poll.value),
                    "client_id": poll.client_id,
                    "op_index": poll.index,
                    "writer": txn.label,
                    "fate": txn.fate,
                    "explanation": f"read_committed {poll.client_id} returned it at op "
                    f"{poll.index}, {when}",
                }
            )
    return out


def precommitted_read(history: History | Analysis) -> pd.DataFrame:
    """Records a read_committed consumer returned before their transaction was committed."""
    return frame(rows(history if isinstance(history, Analysis) else Analysis(history)))
