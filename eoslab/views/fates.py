"""The fate of every batch in a partition log: committed, aborted, open, non-transactional, marker.

The log itself does not say whether a transactional record was committed: the answer is written
later, by the COMMIT or ABORT marker of the same producer id on the same partition. One forward
pass pairs them, as the partition's producer state does (`currentTxnFirstOffset` per producer):
transactional data waits in its producer's pending list until that producer's next marker decides
the whole list; what is still pending at the end of the log is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from ..broker.records import ControlRecordType, RecordBatch, parse_control_key
from .style import FATES

FATE_CODES = {fate: code for code, fate in enumerate(FATES)}
_COMMITTED, _ABORTED, _OPEN, _PLAIN, _MARKER = (FATE_CODES[f] for f in FATES)
NOT_A_MARKER = -2  # in `LogScan.control_types`: a data batch
_COMMIT, _ABORT = int(ControlRecordType.COMMIT), int(ControlRecordType.ABORT)
_records = attrgetter("records")


@dataclass(frozen=True)
class LogScan:
    """Per batch: its record count, its fate code (index into `style.FATES`), and its control
    record type (`ControlRecordType` value, or NOT_A_MARKER for data)."""

    counts: np.ndarray
    fates: np.ndarray
    control_types: np.ndarray

    def offset_fates(self) -> np.ndarray:
        """One fate code per offset (offsets are contiguous in an uncompacted log)."""
        return np.repeat(self.fates, self.counts)


def scan(batches: Sequence[RecordBatch]) -> LogScan:
    """Fates and marker types of every batch, in a single pass over the log."""
    n = len(batches)
    fates = [_PLAIN] * n
    kinds = [NOT_A_MARKER] * n
    pending: dict[int, list[int]] = {}
    for i, batch in enumerate(batches):
        if batch.is_control:
            fates[i] = _MARKER
            kind = kinds[i] = int(parse_control_key(batch.records[0].key))
            if kind in (_COMMIT, _ABORT):
                decided = _COMMITTED if kind == _COMMIT else _ABORTED
                for j in pending.pop(batch.producer_id, ()):
                    fates[j] = decided
        elif batch.is_transactional:
            fates[i] = _OPEN
            pending.setdefault(batch.producer_id, []).append(i)
    counts = np.fromiter(map(len, map(_records, batches)), np.int64, n)
    return LogScan(counts, np.array(fates, np.int8), np.array(kinds, np.int8))


def batch_fates(batches: Sequence[RecordBatch]) -> list[str]:
    """The fate of each batch as a word of `style.FATES`."""
    return [FATES[c] for c in scan(batches).fates]
