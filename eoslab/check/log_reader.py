"""The partition logs as a checker reads them: the record at an offset, and each offset's fate.

The log does not say whether a transactional record was committed; the next COMMIT or ABORT
marker of the same producer id on the same partition does. One forward pass pairs them, the way
the partition's producer state tracks each producer's open transaction (reference §4.1). What is
still waiting for a marker at the end of the log is open.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import repeat
from typing import Any, NamedTuple

from ..broker.records import ControlRecordType

COMMITTED = "committed"
ABORTED = "aborted"
OPEN = "open"
PLAIN = "non-transactional"
MARKER = "marker"


class LogRecord(NamedTuple):
    offset: int
    key: bytes | None
    value: bytes | None
    control: bool
    producer_id: int
    producer_epoch: int


def offsets_of(batch: Any) -> Sequence[int]:
    """The offsets of a batch's records: its base offset plus the index, read without building
    the records (a batch put in a log by hand may still hold records with offsets of their own)."""
    records = batch.writer_records
    if records is not None:
        return [r.offset for r in records]
    return range(batch.base_offset, batch.next_offset)


def keyed_records(batch: Any) -> Iterator[tuple[int, bytes | None, bytes | None]]:
    """(offset, key, value) of each record of a batch, from its columns."""
    records = batch.writer_records
    if records is not None:
        return ((r.offset, r.key, r.value) for r in records)
    _timestamps, keys, values, _headers = batch.columns()
    return zip(
        range(batch.base_offset, batch.base_offset + len(values)),
        repeat(None, len(values)) if keys is None else keys,
        values,
        strict=True,
    )


def fates(batches: list[Any]) -> dict[int, str]:
    """offset -> fate, for every offset of a partition log."""
    out: dict[int, str] = {}
    waiting: dict[int, list[Any]] = {}
    for batch in batches:
        if batch.is_control:
            out.update(dict.fromkeys(offsets_of(batch), MARKER))
            decided = COMMITTED if batch.control_type == ControlRecordType.COMMIT else ABORTED
            for data in waiting.pop(batch.producer_id, ()):
                out.update(dict.fromkeys(offsets_of(data), decided))
        else:
            out.update(dict.fromkeys(offsets_of(batch), OPEN if batch.is_transactional else PLAIN))
            if batch.is_transactional:
                waiting.setdefault(batch.producer_id, []).append(batch)
    return out


class LogReader:
    """Reads a cluster's partitions on demand, remembering what it read."""

    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster
        self._fates: dict[tuple[str, int], dict[int, str]] = {}

    def _partition(self, topic: str, partition: int) -> Any:
        t = self.cluster.topics.get(topic)
        if t is None or not 0 <= partition < len(t.partitions):
            return None
        return t.partitions[partition]

    def record_at(self, topic: str, partition: int, offset: int) -> LogRecord | None:
        p = self._partition(topic, partition)
        if p is None or not p.batches or not 0 <= offset < p.log_end_offset:
            return None
        batch = p.batches[min(p.batch_index_for(offset), len(p.batches) - 1)]
        if not batch.base_offset <= offset <= batch.last_offset:
            return None
        r = batch.records[offset - batch.base_offset]  # one Record, built from the columns
        return LogRecord(
            offset, r.key, r.value, batch.is_control, batch.producer_id, batch.producer_epoch
        )

    def fate(self, topic: str, partition: int, offset: int) -> str | None:
        key = (topic, partition)
        if key not in self._fates:
            p = self._partition(topic, partition)
            self._fates[key] = fates(p.batches) if p is not None else {}
        return self._fates[key].get(offset)
