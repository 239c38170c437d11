"""Nonmonotonic poll and poll skip: one consumer's records must follow its partition's log.

Between two records a consumer returns from one partition, the offset only goes up (else it is
a nonmonotonic poll: the application sees a record again), and nothing it should have seen lies in
between (else it is a poll skip). What it should have seen depends on its isolation level: a
read_committed consumer skips aborted and marker offsets by design, so only records known to be
committed count against it; a read_uncommitted one must return every record that was written.
A new consumer (a restart) starts its own sequence.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

import pandas as pd

from ..client.history import History, Op
from .analysis import Analysis, shown
from .table import frame

NONMONOTONIC = "nonmonotonic-poll"
SKIP = "poll-skip"


def _known(analysis: Analysis, committed_only: bool) -> dict[tuple[str, int], list[int]]:
    """Sorted offsets of the records a consumer of that isolation level must return."""
    known: dict[tuple[str, int], set[int]] = defaultdict(set)
    for w in analysis.writes:
        if w.committed or (w.acked and not committed_only):
            known[w.send.topic, w.send.partition].add(w.offset)
    for poll in analysis.polls:
        if analysis.read_committed(poll) or not committed_only:
            known[poll.topic, poll.partition].add(poll.offset)
    return {tp: sorted(offsets) for tp, offsets in known.items()}


def rows(analysis: Analysis) -> list[dict[str, Any]]:
    known = {True: _known(analysis, True), False: _known(analysis, False)}
    last: dict[tuple[str, str | None, int | None], Op] = {}
    out = []
    for poll in analysis.polls:
        key = (poll.client_id, poll.topic, poll.partition)
        before = last.get(key)
        last[key] = poll
        if before is None:
            continue
        row = {
            "topic": poll.topic,
            "partition": poll.partition,
            "offset": poll.offset,
            "value": shown(poll.value),
            "client_id": poll.client_id,
            "op_index": poll.index,
            "previous_offset": before.offset,
        }
        if poll.offset <= before.offset:
            out.append(
                {
                    "anomaly": NONMONOTONIC,
                    **row,
                    "explanation": f"{poll.client_id} returned offset {poll.offset} after "
                    f"offset {before.offset} (op {before.index})",
                }
            )
            continue
        rc = analysis.read_committed(poll)
        offsets = known[rc].get((poll.topic, poll.partition), [])
        lo = bisect.bisect_right(offsets, before.offset)
        hi = bisect.bisect_left(offsets, poll.offset)
        if lo < hi:
            missed = offsets[lo:hi]
            what = "committed record" if rc else "record"
            out.append(
                {
                    "anomaly": SKIP,
                    **row,
                    "skipped": missed,
                    "explanation": f"{poll.client_id} went from offset {before.offset} to "
                    f"{poll.offset}, skipping the {what}{'s' if len(missed) > 1 else ''} at "
                    f"{', '.join(map(str, missed))}",
                }
            )
    return out


def nonmonotonic_poll(history: History | Analysis) -> pd.DataFrame:
    """Records a consumer returned at or below an offset it had already returned."""
    analysis = history if isinstance(history, Analysis) else Analysis(history)
    return frame([r for r in rows(analysis) if r["anomaly"] == NONMONOTONIC])


def poll_skip(history: History | Analysis) -> pd.DataFrame:
    """Records a consumer jumped over between two records it returned."""
    analysis = history if isinstance(history, Analysis) else Analysis(history)
    return frame([r for r in rows(analysis) if r["anomaly"] == SKIP])
