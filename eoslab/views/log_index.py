"""Per-batch arrays of a partition log (base offset, record count, fate, marker type), kept up to date
by reading only the batches appended since the last look.

A view shows a window or a tail of the log, but a batch's fate is decided by a marker written after
it, and the overview of the offset timeline summarizes the whole log. Scanning the whole log at
every redraw costs time proportional to its length; this index costs time proportional to what was
appended. It is a cache, not state: it is derived from `partition.batches` alone, checked against
them at every use (same first batch, same last indexed batch, no fewer batches), rebuilt if they
differ, and held weakly by the partition object, so a past cluster rebuilt by `at_step` gets its
own index and a dropped cluster takes its index with it.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from ..broker.records import ControlRecordType, parse_control_key
from .fates import FATE_CODES, NOT_A_MARKER
from .style import FATES

_COMMITTED, _ABORTED, _OPEN, _PLAIN, _MARKER = (FATE_CODES[f] for f in FATES)
_COMMIT, _ABORT = int(ControlRecordType.COMMIT), int(ControlRecordType.ABORT)
_INDEXES: weakref.WeakKeyDictionary[Any, LogIndex] = weakref.WeakKeyDictionary()


class LogIndex:
    """Arrays over the first `n` batches of a partition, in log order. `count` is the number of
    offsets a batch spans (its records, unless a compacted log dropped some of them)."""

    def __init__(self) -> None:
        self.n = 0
        self.base = np.empty(64, np.int64)
        self.count = np.empty(64, np.int64)
        self.fate = np.empty(64, np.int8)
        self.control = np.empty(64, np.int8)
        self.pending: dict[int, list[int]] = {}  # producer id -> its undecided data batches
        self.first: Any = None
        self.last: Any = None

    # -- keeping up with the log ----------------------------------------------------------------
    def valid_for(self, batches: list[Any]) -> bool:
        n = self.n
        if n == 0:
            return True
        return len(batches) >= n and batches[0] is self.first and batches[n - 1] is self.last

    def extend(self, batches: list[Any]) -> None:
        new = batches[self.n :]
        if not new:
            return
        need = self.n + len(new)
        if need > len(self.base):
            size = max(need, 2 * len(self.base))
            for name in ("base", "count", "fate", "control"):
                old = getattr(self, name)
                grown = np.empty(size, old.dtype)
                grown[: self.n] = old[: self.n]
                setattr(self, name, grown)
        i = self.n
        for batch in new:
            self.base[i] = batch.base_offset
            self.count[i] = batch.last_offset - batch.base_offset + 1  # offsets the batch spans
            if batch.is_control:
                self.fate[i] = _MARKER
                kind = self.control[i] = int(parse_control_key(batch.records[0].key))
                if kind in (_COMMIT, _ABORT):
                    decided = self.pending.pop(batch.producer_id, None)
                    if decided:
                        self.fate[decided] = _COMMITTED if kind == _COMMIT else _ABORTED
            else:
                self.control[i] = NOT_A_MARKER
                if batch.is_transactional:
                    self.fate[i] = _OPEN
                    self.pending.setdefault(batch.producer_id, []).append(i)
                else:
                    self.fate[i] = _PLAIN
            i += 1
        self.n = i
        self.first = batches[0]
        self.last = batches[i - 1]

    # -- reading ----------------------------------------------------------------------------------
    @property
    def start(self) -> int:
        return int(self.base[0]) if self.n else 0

    @property
    def end(self) -> int:
        return int(self.base[self.n - 1] + self.count[self.n - 1]) if self.n else 0

    def batch_range(self, lo: int, hi: int) -> tuple[int, int]:
        """Indexes [i, j) of the batches holding any offset in [lo, hi)."""
        base = self.base[: self.n]
        i = max(int(np.searchsorted(base, lo, "right")) - 1, 0)
        j = int(np.searchsorted(base, hi, "left"))
        if i < j and base[i] + self.count[i] <= lo:
            i += 1
        return i, max(i, j)

    def offset_fates(self, lo: int, hi: int) -> np.ndarray:
        """One fate code per offset in [lo, hi) ∩ the log."""
        lo, hi = max(lo, self.start), min(hi, self.end)
        if hi <= lo:
            return np.empty(0, np.int8)
        i, j = self.batch_range(lo, hi)
        codes = np.repeat(self.fate[i:j], self.count[i:j])
        skip = lo - int(self.base[i])
        return codes[skip : skip + hi - lo]

    def cumulative_fates(self, edges: np.ndarray) -> np.ndarray:
        """(len(edges), len(FATES)): how many offsets of each fate lie below each edge."""
        n = self.n
        base, count, fate = self.base[:n], self.count[:n], self.fate[:n].astype(np.intp)
        edges = np.clip(edges, self.start, self.end)
        per_fate = np.zeros((n + 1, len(FATES)), np.int64)
        per_fate[np.arange(1, n + 1), fate] = count
        before = np.cumsum(per_fate, axis=0)  # before[i]: offsets of batches < i, per fate
        i = np.clip(np.searchsorted(base, edges, "right") - 1, 0, max(n - 1, 0))
        out = before[i].copy()
        if n:
            inside = np.clip(edges - base[i], 0, count[i])
            out[np.arange(len(edges)), fate[i]] += inside
        return out


def log_index(partition: Any) -> LogIndex:
    """The index of `partition`'s log, brought up to date."""
    batches = partition.batches
    index = _INDEXES.get(partition)
    if index is None or not index.valid_for(batches):
        index = _INDEXES[partition] = LogIndex()
    index.extend(batches)
    return index
