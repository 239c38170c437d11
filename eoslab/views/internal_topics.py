"""Readable records of the internal topics `__transaction_state` and `__consumer_offsets`.

Their keys and values are binary structs. Kafka ships formatters that print them
(`TransactionLogMessageFormatter`, `OffsetsMessageFormatter`, book p.177); these decoders do the
same for the log dump and the transaction log table, and give structured columns beside the text.
`__consumer_offsets` is decoded with Kafka's own layouts (OffsetCommitKey v0/v1, GroupMetadataKey
v2, OffsetCommitValue v0-v3); anything else falls back to plain bytes rather than failing.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from ..broker.transaction_log import key_from_bytes, value_from_bytes
from ..broker.transaction_metadata import TransactionState

TRANSACTION_STATE = "__transaction_state"
CONSUMER_OFFSETS = "__consumer_offsets"


@dataclass(frozen=True)
class TxnLogEntry:
    """One `__transaction_state` record; `state` is "Dead" and the rest None for a tombstone."""

    transactional_id: str
    state: str
    producer_id: int | None
    producer_epoch: int | None
    partitions: tuple[str, ...] | None  # None when Kafka writes null (Empty), () when complete
    timeout_ms: int | None
    start_ms: int | None
    last_update_ms: int | None


def decode_txn_log(key: bytes, value: bytes | None) -> TxnLogEntry:
    tid = key_from_bytes(key)
    v = value_from_bytes(value)
    if v is None:
        return TxnLogEntry(tid, TransactionState.Dead.name, None, None, None, None, None, None)
    partitions = (
        None
        if v.transaction_partitions is None
        else tuple(f"{t}-{p}" for t, ps in v.transaction_partitions for p in ps)
    )
    return TxnLogEntry(
        tid,
        TransactionState(v.transaction_status).name,
        v.producer_id,
        v.producer_epoch,
        partitions,
        v.transaction_timeout_ms,
        v.transaction_start_timestamp_ms,
        v.transaction_last_update_timestamp_ms,
    )


def format_txn_log(e: TxnLogEntry) -> str:
    """The value as the book's TransactionLogMessageFormatter prints it; <DELETE> for a tombstone."""
    if e.producer_id is None:
        return "<DELETE>"
    partitions = "null" if e.partitions is None else f"Set({', '.join(e.partitions)})"
    return (
        f"TransactionMetadata(transactionalId={e.transactional_id}, producerId={e.producer_id}, "
        f"producerEpoch={e.producer_epoch}, txnTimeoutMs={e.timeout_ms}, state={e.state}, "
        f"pendingState=None, topicPartitions={partitions}, txnStartTimestamp={e.start_ms}, "
        f"txnLastUpdateTimestamp={e.last_update_ms})"
    )


def decode_record(topic: str, key: bytes | None, value: bytes | None) -> tuple[Any, Any, dict]:
    """(key text, value text, extra columns) for one record of an internal topic."""
    try:
        if topic == TRANSACTION_STATE and key is not None:
            e = decode_txn_log(key, value)
            extra = {
                "transactional_id": e.transactional_id,
                "txn_state": e.state,
                "txn_producer_id": e.producer_id,
                "txn_producer_epoch": e.producer_epoch,
                "txn_partitions": e.partitions,
            }
            return e.transactional_id, format_txn_log(e), extra
        if topic == CONSUMER_OFFSETS and key is not None:
            return _decode_offsets(key, value)
    except (struct.error, ValueError, UnicodeDecodeError):
        pass
    return text(key), text(value), {}


def text(data: bytes | None) -> str | None:
    """Bytes as text when they are UTF-8, else Python's escaped form (b'\\x00...')."""
    if data is None:
        return None
    try:
        return data.decode()
    except UnicodeDecodeError:
        return repr(data)


# -- __consumer_offsets (GroupCoordinatorRecordSerde layouts) -------------------------------------
def _decode_offsets(key: bytes, value: bytes | None) -> tuple[str, str | None, dict]:
    r = _Reader(key)
    version = r.int16()
    group = r.string()
    if version in (0, 1):
        topic, partition = r.string(), r.int32()
        extra: dict[str, Any] = {
            "group": group,
            "topic_partition": f"{topic}-{partition}",
            "committed_offset": None,
        }
        key_text = f"[{group},{topic},{partition}]"
        if value is None:
            return key_text, "<DELETE>", extra
        offset, leader_epoch, metadata, commit_ts = _offset_value(value)
        extra["committed_offset"] = offset
        epoch = "Optional.empty" if leader_epoch < 0 else f"Optional[{leader_epoch}]"
        return (
            key_text,
            f"OffsetAndMetadata(offset={offset}, leaderEpoch={epoch}, metadata={metadata}, "
            f"commitTimestamp={commit_ts}, expireTimestamp=None)",
            extra,
        )
    if version == 2:
        extra = {"group": group, "topic_partition": None, "committed_offset": None}
        shown = "<DELETE>" if value is None else f"GroupMetadata ({len(value)} bytes)"
        return group, shown, extra
    raise ValueError(f"unknown __consumer_offsets key version {version}")


def _offset_value(value: bytes) -> tuple[int, int, str, int]:
    r = _Reader(value)
    version = r.int16()
    offset = r.int64()
    leader_epoch = r.int32() if version >= 3 else -1
    metadata = r.compact_string() if version >= 4 else r.string()
    commit_ts = r.int64()
    return offset, leader_epoch, metadata, commit_ts


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def _take(self, fmt: str) -> int:
        (v,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v

    def int16(self) -> int:
        return self._take(">h")

    def int32(self) -> int:
        return self._take(">i")

    def int64(self) -> int:
        return self._take(">q")

    def string(self) -> str:
        n = self.int16()
        s = self.data[self.pos : self.pos + max(n, 0)].decode()
        self.pos += max(n, 0)
        return s

    def compact_string(self) -> str:
        n, shift = 0, 0
        while True:
            b = self.data[self.pos]
            self.pos += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        s = self.data[self.pos : self.pos + max(n - 1, 0)].decode()
        self.pos += max(n - 1, 0)
        return s
