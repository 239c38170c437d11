"""Decoding the records of an uncompressed v2 batch (DefaultRecord.readFrom), and its CRC.

Kept apart from the batch classes because the wire's decoder and a `RawRecordBatch` both read
records this way, and a batch that cannot be read is answered with Kafka's error code.
"""

from __future__ import annotations

import struct

from .record import Columns, Record, _headers_column

# -- decoding v2 records --------------------------------------------------------------------------
BATCH_HEADER = struct.Struct(">qiibIhiqqqhii")  # DefaultRecordBatch header, 61 bytes
CORRUPT_MESSAGE = 2  # Kafka error codes a bad batch is answered with
INVALID_RECORD = 87


class RecordError(Exception):
    """A batch Kafka would refuse; `code` is the Kafka error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """A zig-zag varint (ByteUtils.readVarlong); ValueError past the end or over 10 bytes."""
    raw = shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError("varint runs past the end of the frame")
        b = buf[pos]
        pos += 1
        raw |= (b & 0x7F) << shift
        if not b & 0x80:
            return (raw >> 1) ^ -(raw & 1), pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _read_varbytes(buf: bytes, pos: int) -> tuple[bytes | None, int]:
    n, pos = _read_varint(buf, pos)
    if n < 0:
        return None, pos
    if pos + n > len(buf):
        raise ValueError("record field runs past the end of the batch")
    return bytes(buf[pos : pos + n]), pos + n


def _varint_at(buf: bytes, pos: int) -> tuple[int, int]:
    """A zig-zag varint, with the one-byte case (every delta and length under 64) inline."""
    b = buf[pos]
    if b < 0x80:
        return (b >> 1) ^ -(b & 1), pos + 1
    return _read_varint(buf, pos)


def _field_at(buf: bytes, pos: int, what: str) -> tuple[bytes | None, int]:
    """A record's key or value: a varint length (-1 for null), then the bytes."""
    length, pos = _varint_at(buf, pos)
    if length < -1:
        raise RecordError(CORRUPT_MESSAGE, f"negative {what} length")
    if length < 0:
        return None, pos
    return buf[pos : pos + length], pos + length


def _decode_fields(
    buf: bytes, count: int, start: int
) -> tuple[list[int], list[int], list[bytes | None], list[bytes | None], list[tuple]]:
    """Offset deltas, timestamp deltas, keys, values and headers of the `count` records of an
    uncompressed batch that start at `buf[start]` and run to the end of `buf`.

    RecordError CORRUPT_MESSAGE for any overrun or a record whose fields do not add up to its
    length, INVALID_RECORD for bytes left after the last record
    (DefaultRecordBatch.RecordIterator.ensureNoneRemaining).
    """
    offset_deltas: list[int] = []
    ts_deltas: list[int] = []
    keys: list[bytes | None] = []
    values: list[bytes | None] = []
    headers: list[tuple] = []
    n = len(buf)
    pos = start
    try:
        for _ in range(count):
            length, pos = _varint_at(buf, pos)
            end = pos + length
            if length < 0 or end > n:
                raise RecordError(CORRUPT_MESSAGE, "record runs past the end of the batch")
            ts_delta, p = _varint_at(buf, pos + 1)  # after the (unused) attributes byte
            offset_delta, p = _varint_at(buf, p)
            key, p = _field_at(buf, p, "key")
            value, p = _field_at(buf, p, "value")
            if buf[p] == 0:
                p += 1
                record_headers: tuple = ()
            else:
                n_headers, p = _read_varint(buf, p)
                if n_headers < 0:
                    raise RecordError(CORRUPT_MESSAGE, "negative header count")
                items = []
                for _h in range(n_headers):
                    name, p = _read_varbytes(buf, p)
                    hvalue, p = _read_varbytes(buf, p)
                    items.append(((name or b"").decode("utf-8", "replace"), hvalue))
                record_headers = tuple(items)
            if p != end:
                raise RecordError(CORRUPT_MESSAGE, "record length does not match its fields")
            offset_deltas.append(offset_delta)
            ts_deltas.append(ts_delta)
            keys.append(key)
            values.append(value)
            headers.append(record_headers)
            pos = end
    except (ValueError, IndexError) as e:
        raise RecordError(CORRUPT_MESSAGE, f"record runs past the end of the batch: {e}") from e
    if pos != n:  # DefaultRecordBatch.RecordIterator.ensureNoneRemaining
        raise RecordError(
            INVALID_RECORD, "Incorrect declared batch size, records still remaining in file"
        )
    return offset_deltas, ts_deltas, keys, values, headers


def decode_records(
    buf: bytes, count: int, base_offset: int, base_timestamp: int, start: int = 0
) -> list[Record]:
    """The `count` records of an uncompressed batch whose records start at `buf[start]` and run
    to the end of `buf`, as `Record` objects; offsets and timestamps are absolute (base + delta),
    whatever the offset deltas are. RecordError as `_decode_fields`."""
    offset_deltas, ts_deltas, keys, values, headers = _decode_fields(buf, count, start)
    return list(
        map(
            Record,
            [base_offset + d for d in offset_deltas],
            [base_timestamp + d for d in ts_deltas],
            keys,
            values,
            headers,
        )
    )


def decode_columns(buf: bytes, count: int, base_timestamp: int, start: int = 0) -> Columns:
    """The records of a batch whose offset deltas run 0..count-1 (checked before: a
    `RawRecordBatch`), as a batch's columns. RecordError as `_decode_fields`."""
    _deltas, ts_deltas, keys, values, headers = _decode_fields(buf, count, start)
    key_column: tuple | None = tuple(keys)
    if key_column.count(None) == count:  # type: ignore[union-attr]
        key_column = None
    return (
        tuple([base_timestamp + d for d in ts_deltas]),
        key_column,
        tuple(values),
        _headers_column(headers),
    )


def _crc32c(data: bytes) -> int:
    import crc32c  # a compiled CRC-32C; only needed when bytes are asked for

    return crc32c.crc32c(data)
