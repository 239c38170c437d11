"""Control record read: an application was handed a COMMIT or ABORT marker as if it were data.

Markers take an offset (which is why the book's second record lands at offset 2) but a consumer
must never return them (reference §5.2). The history alone cannot tell a marker from data, so
this check needs the cluster's log.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..client.history import History
from .analysis import Analysis, shown
from .log_reader import LogReader
from .table import frame

NAME = "control-record-read"


def rows(analysis: Analysis, log: LogReader) -> list[dict[str, Any]]:
    out = []
    for poll in analysis.polls:
        held = log.record_at(poll.topic, poll.partition, poll.offset)
        if held is None or not held.control:
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
                "explanation": f"{poll.client_id} returned offset {poll.offset}, which holds a "
                f"marker of producer {held.producer_id} (epoch {held.producer_epoch})",
            }
        )
    return out


def control_record_read(history: History | Analysis, cluster: Any) -> pd.DataFrame:
    """Polls that returned an offset holding a transaction marker."""
    analysis = history if isinstance(history, Analysis) else Analysis(history)
    return frame(rows(analysis, LogReader(cluster)))
