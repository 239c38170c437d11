"""The cluster's journal as a table: every request and internal step, in order.

It is eoslab's only history (DESIGN.md): virtual time, who acted, which Kafka API, the request's
arguments, Kafka's error code, and what changed ("t-0 offset 1: COMMIT marker ...").
"""

from __future__ import annotations

import pandas as pd

from .cluster_state import ClusterState
from .frames import INT, TEXT, frame
from .style import outcome

SCHEMA = {
    "seq": INT,
    "time_ms": INT,
    "actor": TEXT,
    "api": TEXT,
    "args": TEXT,
    "result": TEXT,
    "outcome": TEXT,
    "effects": TEXT,
}


def journal_table(
    cluster: ClusterState, start_event: int = 0, end_event: int | None = None
) -> pd.DataFrame:
    """Events `start_event` <= seq < `end_event`; args as `k=v` text, effects joined by "; "."""
    journal = cluster.journal
    lo, hi, _ = slice(start_event, end_event).indices(len(journal))
    events = [journal[i] for i in range(lo, hi)]  # the rows shown, not a copy of the journal
    return frame(
        (
            {
                "seq": e.seq,
                "time_ms": e.time_ms,
                "actor": e.actor,
                "api": e.api,
                "args": ", ".join(f"{k}={v}" for k, v in e.args.items()),
                "result": e.result,
                "outcome": outcome(e),
                "effects": "; ".join(map(str, e.effects)),
            }
            for e in events
        ),
        SCHEMA,
    )
