"""`check(history)`: every check at once, and which delivery guarantee the run kept.

The guarantee follows from which anomalies appeared. Losing a record (lost write, poll skip)
leaves at most at-most-once; processing one twice (duplicate, nonmonotonic poll) leaves at most
at-least-once; both, or seeing records that were never committed (aborted or precommitted read,
a marker returned as data, two records at one offset), leave no guarantee at all. Only a history
with none of them is exactly-once, and only as far as its reads reach: a checker can judge what
the applications saw, not what nobody looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from ..client.history import History, Op
from .aborted_read import NAME as ABORTED_READ
from .aborted_read import rows as aborted_read_rows
from .analysis import Analysis
from .control_record_read import NAME as CONTROL_RECORD_READ
from .control_record_read import rows as control_record_read_rows
from .duplicate import NAME as DUPLICATE
from .duplicate import rows as duplicate_rows
from .inconsistent_offsets import NAME as INCONSISTENT_OFFSETS
from .inconsistent_offsets import rows as inconsistent_offsets_rows
from .log_reader import LogReader
from .lost_write import NAME as LOST_WRITE
from .lost_write import rows as lost_write_rows
from .poll_order import NONMONOTONIC as NONMONOTONIC_POLL
from .poll_order import SKIP as POLL_SKIP
from .poll_order import rows as poll_order_rows
from .precommitted_read import NAME as PRECOMMITTED_READ
from .precommitted_read import rows as precommitted_read_rows
from .table import frame

EXACTLY_ONCE = "exactly-once"
AT_LEAST_ONCE = "at-least-once"
AT_MOST_ONCE = "at-most-once"
NO_GUARANTEE = "none"

# anomaly -> (what it rules out, what it means)
ANOMALIES: dict[str, tuple[str, str]] = {
    ABORTED_READ: (
        "every guarantee",
        "read_committed returned a record of an aborted transaction (Jepsen's G1a)",
    ),
    PRECOMMITTED_READ: (
        "every guarantee",
        "read_committed returned a record before its transaction committed",
    ),
    INCONSISTENT_OFFSETS: ("every guarantee", "two different records at one offset"),
    CONTROL_RECORD_READ: ("every guarantee", "a transaction marker returned as a record"),
    LOST_WRITE: (
        "at-least-once and exactly-once",
        "a committed record skipped by a reader that read past it",
    ),
    POLL_SKIP: (
        "at-least-once and exactly-once",
        "a consumer jumped over a record it should have returned",
    ),
    DUPLICATE: (
        "at-most-once and exactly-once",
        "one input processed, or one value committed, twice",
    ),
    NONMONOTONIC_POLL: ("at-most-once and exactly-once", "a consumer returned an offset again"),
}
_INTEGRITY = {k for k, (breaks, _) in ANOMALIES.items() if breaks == "every guarantee"}
_LOSS = {LOST_WRITE, POLL_SKIP}
_DUPLICATION = {DUPLICATE, NONMONOTONIC_POLL}


def guarantee(counts: dict[str, int]) -> str:
    """The strongest delivery guarantee a run with these anomaly counts kept."""
    found = {name for name, n in counts.items() if n}
    lost, doubled = bool(found & _LOSS), bool(found & _DUPLICATION)
    if found & _INTEGRITY or (lost and doubled):
        return NO_GUARANTEE
    if lost:
        return AT_MOST_ONCE
    if doubled:
        return AT_LEAST_ONCE
    return EXACTLY_ONCE


@dataclass(repr=False)
class Report:
    """Every anomaly the history shows, as rows; pandas tables are built when asked for."""

    rows: dict[str, list[dict[str, Any]]]
    log_checked: bool
    analysis: Analysis = field(repr=False)
    ops: int = 0
    polls: int = 0
    writes: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(self.rows.get(name, [])) for name in ANOMALIES}

    @property
    def guarantee(self) -> str:
        return guarantee(self.counts)

    @property
    def valid(self) -> bool:
        """True when the history is exactly-once."""
        return self.guarantee == EXACTLY_ONCE

    @cached_property
    def anomalies(self) -> dict[str, pd.DataFrame]:
        """anomaly name -> the offending records, with an explanation each."""
        return {name: frame(self.rows.get(name, [])) for name in ANOMALIES}

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.anomalies[name]

    def table(self) -> pd.DataFrame:
        """Every offending record of every anomaly, in history order."""
        rows = [r for name in ANOMALIES for r in self.rows.get(name, [])]
        return frame(sorted(rows, key=lambda r: (r["op_index"], r["anomaly"])))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per anomaly: how many, what it rules out, what it means."""
        counts = self.counts
        data = []
        for name, (breaks, meaning) in ANOMALIES.items():
            checked = self.log_checked or name != CONTROL_RECORD_READ
            data.append([name, counts[name] if checked else None, breaks, meaning])
        return pd.DataFrame(data, columns=["anomaly", "count", "rules out", "meaning"])

    def verdict(self) -> str:
        found = [f"{n} {name}" for name, n in self.counts.items() if n]
        seen = f"{self.writes} writes, {self.polls} records read"
        if not found:
            return f"{self.guarantee}: no anomaly in {self.ops} operations ({seen})"
        return f"{self.guarantee}: {', '.join(found)} in {self.ops} operations ({seen})"

    def __str__(self) -> str:
        return self.verdict()

    def __repr__(self) -> str:
        return f"Report({self.verdict()!r})"

    def _repr_html_(self) -> str:
        """In a notebook: the verdict above the summary table."""
        return f"<p><b>{self.verdict()}</b></p>" + self.summary.to_html(index=False)


def check(history: History | list[Op], cluster: Any = None) -> Report:
    """Run every check over `history`; with `cluster`, also compare the reads with its logs."""
    log = LogReader(cluster) if cluster is not None else None
    analysis = Analysis(history, log)
    order = poll_order_rows(analysis)
    rows = {
        ABORTED_READ: aborted_read_rows(analysis),
        PRECOMMITTED_READ: precommitted_read_rows(analysis),
        INCONSISTENT_OFFSETS: inconsistent_offsets_rows(analysis, log),
        CONTROL_RECORD_READ: control_record_read_rows(analysis, log) if log else [],
        LOST_WRITE: lost_write_rows(analysis),
        POLL_SKIP: [r for r in order if r["anomaly"] == POLL_SKIP],
        DUPLICATE: duplicate_rows(analysis),
        NONMONOTONIC_POLL: [r for r in order if r["anomaly"] == NONMONOTONIC_POLL],
    }
    return Report(
        rows,
        log is not None,
        analysis,
        ops=len(analysis.ops),
        polls=len(analysis.polls),
        writes=len(analysis.writes),
    )
