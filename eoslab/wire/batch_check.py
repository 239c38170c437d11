"""The fast check that lets the wire keep a client's batch as its bytes (`RawRecordBatch`).

`records_ok` says, without building a single record, whether `decode_records` would accept the
records of an uncompressed v2 batch AND the batch kept as bytes would look exactly like the
decoded one: offset deltas 0..count-1, the first timestamp delta 0, the header's max timestamp and
last offset delta equal to what the records say, every varint in its shortest form (so the size
Kafka computes from the records is the length of the bytes), header keys in UTF-8. That is what
Kafka's LogValidator checks of an uncompressed batch, plus what eoslab's decoded batches assume.

False only means "decode it": `codec.decode_batch` then decodes the batch the old way, which
gives the exact error of a bad batch, or a decoded `RecordBatch` for an unusual good one. So this
module may say False too often (slower), never True wrongly (tests/wire/test_codec_records.py
fuzzes it against the decoder).

Two ways, both numpy over all records at once:
- the common batch (`_uniform_records_ok`): every record shaped like the first (same key and value
  lengths, no headers, one-byte timestamp deltas). Record sizes then follow from the index alone
  (offset delta i takes one byte below 64, two from 64), so where every byte that is not key or
  value content lies, and what it must hold, is computed once per shape and compared in one go:
  about 8 us for 1,000 records of 100 B, where decoding them takes 700 us.
- any other batch: one pass in Python over the length prefixes finds where each record ends
  (`_record_ends`), then every field of every record is read at once (`_varints`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from eoslab.broker.record import RECORD_BATCH_OVERHEAD, _write_varint
from eoslab.broker.record_codec import _read_varint

HEADER_SIZE = RECORD_BATCH_OVERHEAD


_MAX_VARINT = 5  # longer varints (values of 2^35 and more) go the slow way


def _record_ends(body: bytes, start: int, count: int) -> list[int] | None:
    """Where each of `count` records starting at `body[start]` ends, from the length prefixes."""
    ends = []
    append = ends.append
    pos = start
    try:
        for _ in range(count):
            b = body[pos]
            if b < 0x80:
                pos += 1 + ((b >> 1) ^ -(b & 1))
            else:
                b2 = body[pos + 1]
                if b2 >= 0x80:
                    return None
                u = (b & 0x7F) | (b2 << 7)
                pos += 2 + ((u >> 1) ^ -(u & 1))
            if pos < start:
                return None
            append(pos)
    except IndexError:
        return None
    return ends if pos == len(body) else None


def _varints(a: Any, p: Any) -> tuple[Any, Any] | None:
    """The zig-zag varints at positions `p` of the byte array `a`: (values, positions after), or
    None if one is longer than _MAX_VARINT bytes or not in its shortest form. Reads past the end
    of `a` see its last byte; the caller's end check catches them (positions only move forward)."""
    b = a.take(p, mode="clip")
    if b.max() < 0x80:
        u = b.astype(np.int64)
        return (u >> 1) ^ -(u & 1), p + 1
    u = (b & 0x7F).astype(np.int64)
    cont = b >= 0x80
    p = p + 1
    for k in range(1, _MAX_VARINT):
        b = a.take(p, mode="clip")
        u |= ((b & 0x7F).astype(np.int64) << (7 * k)) * cont
        last = cont & (b < 0x80)
        if (last & (b == 0)).any():
            return None  # a trailing zero byte: not the shortest form
        p = p + cont
        cont = cont & ~last
        if not cont.any():
            return (u >> 1) ^ -(u & 1), p
    return None


def records_ok(raw: bytes, count: int, last_delta: int, base_ts: int, max_ts: int) -> bool:
    """Would `decode_records` accept the `count` records of `raw` (a whole uncompressed v2 batch,
    CRC checked), AND is the batch kept as bytes exactly the decoded batch? `last_delta`, `base_ts`
    and `max_ts` are the header's last offset delta, base and max timestamps."""
    if last_delta != count - 1:
        return False
    if _uniform_records_ok(raw, count, base_ts, max_ts):
        return True
    ends = _record_ends(raw, HEADER_SIZE, count)
    if ends is None:
        return False
    a = np.frombuffer(raw, np.uint8)
    e = np.array(ends, np.int64)
    p = np.empty(count, np.int64)
    p[0] = HEADER_SIZE
    p[1:] = e[:-1]
    r = _varints(a, p)  # the length prefix again: shortest form?
    if r is None:
        return False
    p = r[1] + 1  # attributes: any value (unused in v2)
    r = _varints(a, p)
    if r is None:
        return False
    ts, p = r
    if ts[0] != 0 or base_ts + int(ts.max()) != max_ts:
        return False
    r = _varints(a, p)
    if r is None:
        return False
    offset_deltas, p = r
    if (offset_deltas != np.arange(count)).any():
        return False
    for _ in range(2):  # key, value
        r = _varints(a, p)
        if r is None:
            return False
        n, p = r
        if n.min() < -1:
            return False
        p = p + np.maximum(n, 0)
    r = _varints(a, p)
    if r is None:
        return False
    n_headers, p = r
    if n_headers.any():
        p = _headers_end(raw, a, n_headers, p)
        if p is None:
            return False
    return bool((p == e).all())


def _varint_bytes(value: int) -> bytes:
    out = bytearray()
    _write_varint(out, value)
    return bytes(out)


def _uniform_records_ok(raw: bytes, count: int, base_ts: int, max_ts: int) -> bool:
    """The common batch, checked without a pass in Python: every record like the first (the same
    key and value lengths, no headers, a one-byte timestamp delta). Where every byte that is not
    key or value content must then be, and what it must hold, follows from (count, key length,
    value length) alone (`_uniform_layout`, kept for the next batch of that shape); they are all
    compared at once. False says only that the batch is not of this kind."""
    # the first record, in Python
    pos = HEADER_SIZE
    try:
        length, p = _read_varint(raw, pos)
        end = p + length
        p += 1  # attributes
        if raw[p] != 0 or raw[p + 1] != 0:  # timestamp delta 0, offset delta 0
            return False
        key_len, p = _read_varint(raw, p + 2)
        p += max(key_len, 0)
        value_len, p = _read_varint(raw, p)
        p += max(value_len, 0)
        if raw[p] != 0 or p + 1 != end or key_len < -1 or value_len < -1 or count > 8192:
            return False
    except (ValueError, IndexError):
        return False
    size, fixed, expected, ts_at = _uniform_layout(count, key_len, value_len)
    if len(raw) != HEADER_SIZE + size:
        return False
    a = np.frombuffer(raw, np.uint8)
    if not (a.take(fixed) == expected).all():
        return False
    ts = a.take(ts_at)
    if ts.max() >= 0x80:  # one byte each
        return False
    return base_ts + int(_ZIGZAG_BYTE.take(ts).max()) == max_ts


@functools.lru_cache(maxsize=64)
def _uniform_layout(count: int, key_len: int, value_len: int) -> tuple[int, Any, Any, Any]:
    """For `count` records like the first of `_uniform_records_ok`: the records' total size, the
    positions in the batch of every byte that is not content, attributes or timestamp delta, the
    bytes they must hold (length, offset delta i, key and value lengths, no headers), and the
    positions of the timestamp deltas. Records 0..63 take a one-byte offset delta, the others two
    (offset delta i < 8192), so each run is a table of equal rows."""
    key_field = _varint_bytes(key_len)
    value_field = _varint_bytes(value_len)
    fixed, expected, ts_at = [], [], []
    pos = HEADER_SIZE
    for first, last, offset_width in ((0, min(count, 64), 1), (64, count, 2)):
        rows = last - first
        if rows <= 0:
            break
        # record i: length, attributes, timestamp delta, offset delta i, key, value, no headers
        length = 2 + offset_width + len(key_field) + max(key_len, 0)
        length += len(value_field) + max(value_len, 0) + 1
        prefix = _varint_bytes(length)
        size = len(prefix) + length
        c = len(prefix)  # attributes (any), then the timestamp delta
        k = c + 2 + offset_width
        v = k + len(key_field) + max(key_len, 0)
        columns = _fixed_columns(c, k, len(key_field), v, len(value_field), size)
        row_bytes = np.frombuffer(prefix + key_field + value_field + b"\0", np.uint8)
        starts = pos + size * np.arange(rows, dtype=np.intp)[:, None]
        fixed += [(starts + columns).ravel(), starts[:, 0] + c + 2]
        expected += [np.tile(row_bytes, rows), _OFFSET_LOW[first:last]]
        if offset_width == 2:
            fixed.append(starts[:, 0] + c + 3)
            expected.append(_OFFSET_HIGH[first:last])
        ts_at.append(starts[:, 0] + c + 1)
        pos += rows * size
    return (
        pos - HEADER_SIZE,
        np.concatenate(fixed),
        np.concatenate(expected).astype(np.uint8),
        np.concatenate(ts_at),
    )


_ZIGZAG_BYTE = np.array([(b >> 1) ^ -(b & 1) for b in range(256)], np.int16)
_Z = 2 * np.arange(8192)  # offset delta i, zig-zag, as a varint: one byte below 64, else two
_OFFSET_LOW = np.where(_Z < 128, _Z, (_Z & 0x7F) | 0x80).astype(np.uint8)
_OFFSET_HIGH = (_Z >> 7).astype(np.uint8)


@functools.cache
def _fixed_columns(c: int, k: int, nk: int, v: int, nv: int, size: int) -> Any:
    """Column indices of the length prefix (0..c), key length, value length, header count."""
    return np.array([*range(c), *range(k, k + nk), *range(v, v + nv), size - 1])


def _headers_end(raw: bytes, a: Any, n_headers: Any, p: Any) -> Any:
    """Where the record headers (name, value) end, `p` for records without; None if one is not
    in the form `records_ok` accepts."""
    if n_headers.min() < 0:
        return None
    for i in range(int(n_headers.max())):
        has = n_headers > i
        # records with fewer headers read the batch's magic byte (2) instead, and stay where they are
        r = _varints(a, np.where(has, p, 16))
        if r is None:
            return None
        n, after = r
        if (has & (n < 0)).any():  # a null key decodes as "", whose size differs
            return None
        starts, ends = after[has], (after + n)[has]
        p = np.where(has, after + n, p)
        r = _varints(a, np.where(has, p, 16))
        if r is None:
            return None
        n, after = r
        if (has & (n < -1)).any():
            return None
        p = np.where(has, after + np.maximum(n, 0), p)
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            try:
                raw[s:e].decode()
            except UnicodeDecodeError:
                return None
    return p
