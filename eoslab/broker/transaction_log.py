"""Records of `__transaction_state`: TransactionLogKey v0 and TransactionLogValue v0, in bytes.

The coordinator's whole memory is this compacted topic. Encoding the records exactly as Kafka does
lets the views print them the way `TransactionLogMessageFormatter` does (book p.177), and lets a
restarted coordinator rebuild its state by reading them back.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

KEY_VERSION = 0
VALUE_VERSION = 0


@dataclass(frozen=True)
class TransactionLogValue:
    producer_id: int
    producer_epoch: int
    transaction_timeout_ms: int
    transaction_status: int  # TransactionState id
    transaction_partitions: tuple[tuple[str, tuple[int, ...]], ...] | None  # None for Empty
    transaction_last_update_timestamp_ms: int
    transaction_start_timestamp_ms: int


def _string(s: str) -> bytes:
    raw = s.encode()
    return struct.pack(">h", len(raw)) + raw


def key_to_bytes(transactional_id: str) -> bytes:
    return struct.pack(">h", KEY_VERSION) + _string(transactional_id)


def key_from_bytes(data: bytes) -> str:
    _version, length = struct.unpack_from(">hh", data)
    return data[4 : 4 + length].decode()


def value_to_bytes(value: TransactionLogValue) -> bytes:
    out = bytearray(
        struct.pack(
            ">hqhib",
            VALUE_VERSION,
            value.producer_id,
            value.producer_epoch,
            value.transaction_timeout_ms,
            value.transaction_status,
        )
    )
    if value.transaction_partitions is None:
        out += struct.pack(">i", -1)
    else:
        out += struct.pack(">i", len(value.transaction_partitions))
        for topic, partitions in value.transaction_partitions:
            out += _string(topic)
            out += struct.pack(">i", len(partitions))
            for p in partitions:
                out += struct.pack(">i", p)
    out += struct.pack(
        ">qq",
        value.transaction_last_update_timestamp_ms,
        value.transaction_start_timestamp_ms,
    )
    return bytes(out)


def value_from_bytes(data: bytes | None) -> TransactionLogValue | None:
    """None for a tombstone (the id went Dead)."""
    if data is None:
        return None
    _version, pid, epoch, timeout, status = struct.unpack_from(">hqhib", data)
    pos = struct.calcsize(">hqhib")
    (count,) = struct.unpack_from(">i", data, pos)
    pos += 4
    partitions: list[tuple[str, tuple[int, ...]]] | None = None
    if count >= 0:
        partitions = []
        for _ in range(count):
            (length,) = struct.unpack_from(">h", data, pos)
            topic = data[pos + 2 : pos + 2 + length].decode()
            pos += 2 + length
            (n,) = struct.unpack_from(">i", data, pos)
            pos += 4
            ids = struct.unpack_from(f">{n}i", data, pos)
            pos += 4 * n
            partitions.append((topic, tuple(ids)))
    last_update, start = struct.unpack_from(">qq", data, pos)
    return TransactionLogValue(
        pid,
        epoch,
        timeout,
        status,
        None if partitions is None else tuple(partitions),
        last_update,
        start,
    )
