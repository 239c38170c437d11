"""The aborted transaction index (Kafka's `.txnindex`): one entry per aborted transaction.

A read_committed fetch ships aborted data to the consumer along with the list of aborted producers
from this index; the consumer filters. Commits are not indexed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class AbortedTxn:
    """`lastOffset` is the ABORT marker's own offset; `lastStableOffset` bounds index scans."""

    producer_id: int
    first_offset: int
    last_offset: int
    last_stable_offset: int
    version: int = 0


class TransactionIndex:
    def __init__(self) -> None:
        self._entries: list[AbortedTxn] = []
        self._last_offsets: list[int] = []  # markers are appended in offset order

    def append(self, entry: AbortedTxn) -> None:
        self._entries.append(entry)
        self._last_offsets.append(entry.last_offset)

    def all(self) -> list[AbortedTxn]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def collect_aborted_txns(self, fetch_offset: int, upper_bound_offset: int) -> list[AbortedTxn]:
        """Entries overlapping [fetch_offset, upper_bound_offset), as `TransactionIndex.collectAbortedTxns`.

        Starts at the first entry whose marker is at or past the fetch offset and stops once an
        entry's lastStableOffset reaches the upper bound: no later entry can overlap the range.
        """
        found = []
        entries = self._entries
        for i in range(bisect.bisect_left(self._last_offsets, fetch_offset), len(entries)):
            entry = entries[i]
            if entry.first_offset < upper_bound_offset:
                found.append(entry)
            if entry.last_stable_offset >= upper_bound_offset:
                break
        return found
