"""One record of a v2 batch (`DefaultRecord`), and the sizes Kafka gives records.

A `Record` is what a writer hands over and what a reader is handed; a batch in a log keeps its
records as columns of plain values instead (see `RecordBatch`), so the helpers that size and
build those columns live here beside the record they stand for.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

RECORD_BATCH_OVERHEAD = 61  # DefaultRecordBatch.RECORD_BATCH_OVERHEAD


def _varint_size(value: int) -> int:
    """Bytes of a zig-zag varint (ByteUtils.sizeOfVarint / sizeOfVarlong)."""
    if -64 <= value < 64:
        return 1
    v = ((value << 1) ^ (value >> 63)) & 0xFFFFFFFFFFFFFFFF
    return (v.bit_length() + 6) // 7


def _field_size(data: bytes | None) -> int:
    if data is None:
        return 1
    n = len(data)
    return (1 if n < 64 else _varint_size(n)) + n


def _write_varint(out: bytearray, value: int) -> None:
    v = ((value << 1) ^ (value >> 63)) & 0xFFFFFFFFFFFFFFFF
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)


def _write_bytes(out: bytearray, data: bytes | None) -> None:
    if data is None:
        _write_varint(out, -1)
    else:
        _write_varint(out, len(data))
        out += data


def _record_size(d: int, o: int, key: Any, value: Any, headers: Any) -> int:
    """`DefaultRecord.sizeInBytes` of a record at timestamp delta `d` and offset delta `o`: its
    body and the varint of the body's length. A zig-zag varint of 0 <= v < 64 takes one byte and
    of 64 <= v < 8192 two, the common cases here."""
    body = (
        2
        + (1 if -64 <= d < 64 else _varint_size(d))
        + (1 if 0 <= o < 64 else 2 if 64 <= o < 8192 else _varint_size(o))
    )
    if key is None:
        body += 1
    else:
        n = len(key)
        body += n + (1 if n < 64 else 2 if n < 8192 else _varint_size(n))
    if value is None:
        body += 1
    else:
        n = len(value)
        body += n + (1 if n < 64 else 2 if n < 8192 else _varint_size(n))
    if headers:
        body += _varint_size(len(headers)) - 1
        for name, hvalue in headers:
            body += _field_size(name.encode()) + _field_size(hvalue)
    return body + (1 if body < 64 else 2 if body < 8192 else _varint_size(body))


def _records_size(records: list[Record], first_offset: int) -> int:
    """A v2 batch's size: RECORD_BATCH_OVERHEAD plus each record's size, for records that carry
    their own offsets (a batch as its writer built it)."""
    base_ts = records[0].timestamp
    size = RECORD_BATCH_OVERHEAD
    for r in records:
        size += _record_size(
            r.timestamp - base_ts, r.offset - first_offset, r.key, r.value, r.headers
        )
    return size


def _columns_size(
    timestamps: tuple[int, ...],
    keys: tuple[bytes | None, ...] | None,
    values: tuple[bytes | None, ...],
    headers: tuple[tuple[Header, ...], ...] | None,
) -> int:
    """`_records_size` of a batch kept as columns, whose offset deltas are the record indexes.
    Runs once per batch, when it is built or placed; the common record (no key, no headers) has
    a loop of its own."""
    base_ts = timestamps[0]
    size = RECORD_BATCH_OVERHEAD
    if keys is None and headers is None:
        for i, (ts, value) in enumerate(zip(timestamps, values, strict=True)):
            d = ts - base_ts
            body = (
                3  # attributes, a null key, no headers
                + (1 if -64 <= d < 64 else _varint_size(d))
                + (1 if i < 64 else 2 if i < 8192 else _varint_size(i))
            )
            if value is None:
                body += 1
            else:
                n = len(value)
                body += n + (1 if n < 64 else 2 if n < 8192 else _varint_size(n))
            size += body + (1 if body < 64 else 2 if body < 8192 else _varint_size(body))
        return size
    n_records = len(values)
    for i, (ts, key, value, hdrs) in enumerate(
        zip(
            timestamps,
            repeat(None, n_records) if keys is None else keys,
            values,
            repeat((), n_records) if headers is None else headers,
            strict=True,
        )
    ):
        size += _record_size(ts - base_ts, i, key, value, hdrs)
    return size


Header = tuple[str, bytes | None]
Columns = tuple[
    tuple[int, ...],
    tuple[bytes | None, ...] | None,
    tuple[bytes | None, ...],
    tuple[tuple[Header, ...], ...] | None,
]


class Record:
    """One record inside a batch; `offset` and `timestamp` are absolute.

    The log does not keep these: a batch in a log keeps its records as columns (see
    `RecordBatch`) and builds a `Record` each time one is asked for, so a `Record` is a copy
    that can be changed without changing the log. Two records are equal when their fields are
    (DefaultRecord.equals).
    """

    __slots__ = ("headers", "key", "offset", "timestamp", "value")

    def __init__(
        self,
        offset: int,
        timestamp: int,
        key: bytes | None,
        value: bytes | None,
        headers: tuple[Header, ...] = (),
    ) -> None:
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers

    def _fields(self) -> tuple:
        return (self.offset, self.timestamp, self.key, self.value, tuple(self.headers))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # its fields can change: no hash

    def body_size(self, base_offset: int, base_timestamp: int) -> int:
        """DefaultRecord.sizeOfBodyInBytes: attributes, deltas, key, value, headers."""
        size = 1 + _varint_size(self.timestamp - base_timestamp)
        size += _varint_size(self.offset - base_offset) + _varint_size(len(self.headers))
        size += _field_size(self.key) + _field_size(self.value)
        for name, value in self.headers:
            size += _field_size(name.encode()) + _field_size(value)
        return size

    def size_in_bytes(self, base_offset: int, base_timestamp: int) -> int:
        body = self.body_size(base_offset, base_timestamp)
        return _varint_size(body) + body

    def __repr__(self) -> str:
        return f"Record(offset={self.offset}, key={self.key!r}, value={self.value!r})"


def _columns_of(records: list[Record]) -> Columns:
    """The columns of records that take their offsets from their place in the batch."""
    keys: tuple | None = tuple([r.key for r in records])
    if keys.count(None) == len(keys):
        keys = None
    return (
        tuple([r.timestamp for r in records]),
        keys,
        tuple([r.value for r in records]),
        _headers_column([r.headers for r in records]),
    )


def _headers_column(headers: Any) -> tuple[tuple[Header, ...], ...] | None:
    """Every record's headers as a tuple of (name, value) tuples, or None when no record has
    any: exact tuples of str, bytes and None, which the cyclic GC stops tracking. A header that
    is no pair is kept as it is, for `malformed_record` to name."""
    if not any(headers):
        return None
    return tuple(
        h
        if type(h) is tuple and all(type(x) is tuple for x in h)
        else tuple(tuple(x) if type(x) is list else x for x in h or ())
        for h in headers
    )
