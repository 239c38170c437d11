"""The fate of every batch in a partition log: committed, aborted, open, non-transactional, marker.

The log itself does not say whether a transactional record was committed: the answer is written
later, by the COMMIT or ABORT marker of the same producer id on the same partition. One forward
pass pairs them, as the partition's producer state does (`currentTxnFirstOffset` per producer):
transactional data waits in its producer's pending list until that producer's next marker decides
the whole list; what is still pending at the end of the log is open.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..broker.records import ControlRecordType, RecordBatch
from .style import ABORTED, COMMITTED, FATES, MARKER, NON_TRANSACTIONAL, OPEN

FATE_CODES = {fate: code for code, fate in enumerate(FATES)}
_COMMITTED, _ABORTED, _OPEN, _PLAIN, _MARKER = (FATE_CODES[f] for f in FATES)


def batch_fate_codes(batches: Sequence[RecordBatch]) -> np.ndarray:
    """One code per batch (an index into `style.FATES`), in a single pass over the log."""
    codes = np.empty(len(batches), dtype=np.int8)
    pending: dict[int, list[int]] = {}
    for i, batch in enumerate(batches):
        if batch.is_control:
            codes[i] = _MARKER
            kind = batch.control_type
            if kind in (ControlRecordType.COMMIT, ControlRecordType.ABORT):
                waiting = pending.pop(batch.producer_id, None)
                if waiting:
                    codes[waiting] = _COMMITTED if kind == ControlRecordType.COMMIT else _ABORTED
        elif batch.is_transactional:
            codes[i] = _OPEN
            pending.setdefault(batch.producer_id, []).append(i)
        else:
            codes[i] = _PLAIN
    return codes


def batch_fates(batches: Sequence[RecordBatch]) -> list[str]:
    """The fate of each batch as a word of `style.FATES`."""
    return [FATES[c] for c in batch_fate_codes(batches)]


def offset_fate_codes(batches: Sequence[RecordBatch]) -> tuple[int, np.ndarray]:
    """(first offset, one fate code per offset from there to the log end offset)."""
    if not batches:
        return 0, np.empty(0, dtype=np.int8)
    counts = np.fromiter((len(b.records) for b in batches), dtype=np.int64, count=len(batches))
    return batches[0].base_offset, np.repeat(batch_fate_codes(batches), counts)


__all__ = [
    "ABORTED",
    "COMMITTED",
    "FATE_CODES",
    "MARKER",
    "NON_TRANSACTIONAL",
    "OPEN",
    "batch_fate_codes",
    "batch_fates",
    "offset_fate_codes",
]
