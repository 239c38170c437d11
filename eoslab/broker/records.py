"""Record batches in Kafka's v2 format (magic 2), data and control, as the log stores them.

Every header field of `DefaultRecordBatch` is kept, because the lesson lives in them: producerId,
producerEpoch and baseSequence say who wrote a batch, isTransactional and isControl say whether it
belongs to a transaction or ends one. Sizes are Kafka's exact uncompressed sizes, and `to_bytes()`
gives the batch as it would sit on disk, CRC-32C included.

A batch that arrives over the wire is kept the way Kafka keeps it: as the bytes the client sent
(`RecordBatch.from_bytes`, a `RawRecordBatch`). Only its 61-byte header is read when it arrives;
the records are decoded the first time someone looks at them, and `to_bytes()` is the client's
bytes with the two fields the leader owns (base offset, partition leader epoch) patched in.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from enum import IntEnum
from typing import Any

NO_PRODUCER_ID = -1
NO_PRODUCER_EPOCH = -1
NO_SEQUENCE = -1
NO_PARTITION_LEADER_EPOCH = -1
INT32_MAX = 2**31 - 1
RECORD_BATCH_OVERHEAD = 61  # DefaultRecordBatch.RECORD_BATCH_OVERHEAD

TRANSACTIONAL_FLAG = 0x10
CONTROL_FLAG = 0x20


class ControlRecordType(IntEnum):
    """Control record key types (ControlRecordType.java); only ABORT and COMMIT end transactions."""

    UNKNOWN = -1
    ABORT = 0
    COMMIT = 1


def increment_sequence(sequence: int, increment: int) -> int:
    """Sequences wrap from Integer.MAX_VALUE back to 0 (DefaultRecordBatch.incrementSequence)."""
    if sequence > INT32_MAX - increment:
        return increment - (INT32_MAX - sequence) - 1
    return sequence + increment


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


def _records_size(records: list[Record], first_offset: int) -> int:
    """A v2 batch's size: RECORD_BATCH_OVERHEAD plus each record's `DefaultRecord.sizeInBytes`
    (`Record.size_in_bytes`, inlined: this runs for every batch a producer sends). A zig-zag
    varint of 0 <= v < 64 takes one byte and of 64 <= v < 8192 two, the common cases here."""
    base_ts = records[0].timestamp
    size = RECORD_BATCH_OVERHEAD
    for r in records:
        d = r.timestamp - base_ts
        o = r.offset - first_offset
        body = (
            2
            + (1 if -64 <= d < 64 else _varint_size(d))
            + (1 if 0 <= o < 64 else 2 if 64 <= o < 8192 else _varint_size(o))
        )
        key, value, headers = r.key, r.value, r.headers
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
        size += body + (1 if body < 64 else 2 if body < 8192 else _varint_size(body))
    return size


Header = tuple[str, bytes | None]


class Record:
    """One record inside a batch; `offset` and `timestamp` are absolute."""

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


def malformed_record(records: list[Record] | None) -> str | None:
    """Why a batch of record objects could not exist as v2 bytes, or None if it could.

    A batch that arrived as bytes was parsed, so it is well formed; objects handed over in
    process are checked here, so the log never holds a record no reader could decode (Kafka
    answers a batch it cannot parse with CORRUPT_MESSAGE).
    """
    for r in records or ():
        ts, key, value = r.timestamp, r.key, r.value
        if type(ts) is not int or not -(2**63) <= ts < 2**63:
            return f"record at offset delta {r.offset}: timestamp {ts!r} is not a long"
        if (key is not None and type(key) is not bytes) or (
            value is not None and type(value) is not bytes
        ):
            bad = "key" if key is not None and type(key) is not bytes else "value"
            return f"record at offset delta {r.offset}: {bad} is not bytes"
        for header in r.headers:
            if (
                not isinstance(header, tuple | list)
                or len(header) != 2
                or type(header[0]) is not str
                or (header[1] is not None and type(header[1]) is not bytes)
            ):
                return f"record at offset delta {r.offset}: header {header!r} is malformed"
    return None


class RecordBatch:
    """A v2 record batch. The leader assigns `base_offset`; everything else comes from the writer."""

    __slots__ = (
        "_in_log",
        "_size",
        "base_offset",
        "base_sequence",
        "is_control",
        "is_transactional",
        "partition_leader_epoch",
        "producer_epoch",
        "producer_id",
        "records",
        "timestamp_type",
    )

    magic = 2
    compression = 0  # eoslab keeps batches uncompressed

    def __init__(
        self,
        records: list[Record],
        producer_id: int = NO_PRODUCER_ID,
        producer_epoch: int = NO_PRODUCER_EPOCH,
        base_sequence: int = NO_SEQUENCE,
        is_transactional: bool = False,
        is_control: bool = False,
        base_offset: int = 0,
        partition_leader_epoch: int = NO_PARTITION_LEADER_EPOCH,
    ) -> None:
        if not records:
            raise ValueError("a record batch holds at least one record")
        self.base_offset = base_offset
        self.records = records
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.base_sequence = base_sequence
        self.is_transactional = is_transactional
        self.is_control = is_control
        self.partition_leader_epoch = partition_leader_epoch
        self.timestamp_type = 0  # CreateTime
        self._size: int | None = None
        self._in_log = False  # a log owns it; appending it again appends a copy

    def copy(self) -> RecordBatch:
        """A fresh batch with the same records: the log keeps its own, the writer keeps theirs."""
        return RecordBatch(
            [Record(r.offset, r.timestamp, r.key, r.value, r.headers) for r in self.records],
            self.producer_id,
            self.producer_epoch,
            self.base_sequence,
            self.is_transactional,
            self.is_control,
            self.base_offset,
            self.partition_leader_epoch,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> RawRecordBatch:
        """A batch kept as its v2 bytes (see `RawRecordBatch`); only the header is read now."""
        return RawRecordBatch(data)

    @property
    def decoded_records(self) -> list[Record] | None:
        """The records if they are already objects (always, here; see `RawRecordBatch`)."""
        return self.records

    # -- header fields derived from the records ---------------------------------------------------
    @property
    def last_offset_delta(self) -> int:
        return self.records[-1].offset - self.records[0].offset

    @property
    def last_offset(self) -> int:
        return self.base_offset + len(self.records) - 1

    @property
    def next_offset(self) -> int:
        return self.base_offset + len(self.records)

    @property
    def records_count(self) -> int:
        return len(self.records)

    @property
    def base_timestamp(self) -> int:
        return self.records[0].timestamp

    @property
    def max_timestamp(self) -> int:
        return max(r.timestamp for r in self.records)

    @property
    def last_sequence(self) -> int:
        if self.base_sequence == NO_SEQUENCE:
            return NO_SEQUENCE
        return increment_sequence(self.base_sequence, len(self.records) - 1)

    @property
    def attributes(self) -> int:
        attrs = self.compression | (self.timestamp_type << 3)
        if self.is_transactional:
            attrs |= TRANSACTIONAL_FLAG
        if self.is_control:
            attrs |= CONTROL_FLAG
        return attrs

    @property
    def has_producer_id(self) -> bool:
        return self.producer_id > NO_PRODUCER_ID

    # -- control batches --------------------------------------------------------------------------
    @property
    def control_type(self) -> ControlRecordType | None:
        """COMMIT or ABORT for a transaction marker, None for a data batch."""
        if not self.is_control:
            return None
        return parse_control_key(self.records[0].key)

    @property
    def coordinator_epoch(self) -> int | None:
        if self.control_type not in (ControlRecordType.COMMIT, ControlRecordType.ABORT):
            return None
        return parse_end_txn_marker_value(self.records[0].value)

    # -- the leader's placement ------------------------------------------------------------------
    def place(self, base_offset: int) -> int:
        """Give the records offsets `base_offset`, `base_offset + 1`, ... and return the batch's size.

        Called once, when a log appends the batch (LogValidator assigns offsets there too): the
        size is computed in the same pass and cached, so no fetch ever computes it. Offset deltas
        are the record indexes; a record's size is `DefaultRecord.sizeInBytes`.
        """
        self.base_offset = base_offset
        records = self.records
        for i, r in enumerate(records):
            r.offset = base_offset + i
        self._size = _records_size(records, base_offset)
        return self._size

    # -- sizes and bytes --------------------------------------------------------------------------
    def size_in_bytes(self) -> int:
        if self._size is None:
            self._size = _records_size(self.records, self.records[0].offset)
        return self._size

    def to_bytes(self) -> bytes:
        """The batch as Kafka writes it: header, then records, CRC-32C over attributes..end."""
        body = bytearray()
        base_ts = self.base_timestamp
        first = self.records[0].offset
        for r in self.records:
            rec = bytearray()
            rec.append(0)
            _write_varint(rec, r.timestamp - base_ts)
            _write_varint(rec, r.offset - first)
            _write_bytes(rec, r.key)
            _write_bytes(rec, r.value)
            _write_varint(rec, len(r.headers))
            for name, value in r.headers:
                _write_bytes(rec, name.encode())
                _write_bytes(rec, value)
            _write_varint(body, len(rec))
            body += rec
        after_crc = (
            struct.pack(
                ">hiqqqhii",
                self.attributes,
                self.last_offset_delta,
                base_ts,
                self.max_timestamp,
                self.producer_id,
                self.producer_epoch,
                self.base_sequence,
                len(self.records),
            )
            + body
        )
        crc = _crc32c(after_crc)
        batch_length = 4 + 1 + 4 + len(after_crc)  # leaderEpoch + magic + crc + rest
        return (
            struct.pack(
                ">qiibI", self.base_offset, batch_length, self.partition_leader_epoch, 2, crc
            )
            + after_crc
        )

    @property
    def crc(self) -> int:
        return struct.unpack_from(">I", self.to_bytes(), 17)[0]

    def __repr__(self) -> str:
        kind = f"control {self.control_type.name}" if self.is_control else "data"
        return (
            f"RecordBatch({kind}, offsets {self.base_offset}..{self.last_offset}, "
            f"pid={self.producer_id}, epoch={self.producer_epoch}, seq={self.base_sequence}, "
            f"txn={self.is_transactional})"
        )


class RawRecordBatch(RecordBatch):
    """A v2 batch kept as the bytes a client sent, as Kafka keeps it.

    The header (producer id, epoch, base sequence, attributes, last offset delta, timestamps, record
    count) is read when the batch is built; `records` is decoded on first use, with absolute
    offsets `base_offset + offset delta` for the base offset the batch has then (`len(records)`
    alone does not decode). `size_in_bytes()` is the length of the bytes, and `to_bytes()` returns
    them with the current base offset and partition leader epoch patched in: both lie outside the
    CRC, so the CRC the client computed stays valid.

    Only uncompressed batches are kept this way. The bytes are trusted: the wire's decoder
    (`eoslab.wire.codec.decode_batch`) checks the CRC and every record before it builds one.
    """

    __slots__ = (
        "_base_timestamp",
        "_count",
        "_last_offset_delta",
        "_max_timestamp",
        "_raw",
        "_raw_base_offset",
        "_raw_leader_epoch",
        "_records",
    )

    def __init__(self, data: bytes) -> None:
        if len(data) < RECORD_BATCH_OVERHEAD:
            raise ValueError(f"a v2 batch header needs {RECORD_BATCH_OVERHEAD} bytes")
        (
            base_offset,
            length,
            leader_epoch,
            magic,
            _crc,
            attributes,
            last_offset_delta,
            base_timestamp,
            max_timestamp,
            producer_id,
            producer_epoch,
            base_sequence,
            count,
        ) = BATCH_HEADER.unpack_from(data, 0)
        if magic != 2:
            raise ValueError(f"magic {magic} is not a v2 record batch")
        if length != len(data) - 12:
            raise ValueError(f"batch length {length} does not match {len(data) - 12} bytes")
        if attributes & 0x07:
            raise ValueError("only uncompressed batches are kept as bytes")
        if count <= 0:
            raise ValueError("a record batch holds at least one record")
        self._raw = bytes(data)
        self._raw_base_offset = base_offset
        self._raw_leader_epoch = leader_epoch
        self.base_offset = base_offset
        self.partition_leader_epoch = leader_epoch
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.base_sequence = base_sequence if producer_id >= 0 else NO_SEQUENCE
        self.is_transactional = bool(attributes & TRANSACTIONAL_FLAG)
        self.is_control = bool(attributes & CONTROL_FLAG)
        self.timestamp_type = (attributes >> 3) & 1
        self._count = count
        self._last_offset_delta = last_offset_delta
        self._base_timestamp = base_timestamp
        self._max_timestamp = max_timestamp
        self._records: list[Record] | None = None
        self._size = None
        self._in_log = False

    def copy(self) -> RawRecordBatch:
        """A fresh batch over the same (immutable) bytes; records already decoded are copied."""
        c = RawRecordBatch.__new__(RawRecordBatch)
        c._raw = self._raw
        c._raw_base_offset = self._raw_base_offset
        c._raw_leader_epoch = self._raw_leader_epoch
        c.base_offset = self.base_offset
        c.partition_leader_epoch = self.partition_leader_epoch
        c.producer_id = self.producer_id
        c.producer_epoch = self.producer_epoch
        c.base_sequence = self.base_sequence
        c.is_transactional = self.is_transactional
        c.is_control = self.is_control
        c.timestamp_type = self.timestamp_type
        c._count = self._count
        c._last_offset_delta = self._last_offset_delta
        c._base_timestamp = self._base_timestamp
        c._max_timestamp = self._max_timestamp
        records = self._records
        c._records = (
            None
            if records is None
            else [Record(r.offset, r.timestamp, r.key, r.value, r.headers) for r in records]
        )
        c._size = None
        c._in_log = False
        return c

    # -- records, decoded on first use ------------------------------------------------------------
    @property
    def records(self) -> list[Record]:  # type: ignore[override]
        records = self._records
        if records is None:
            return _LazyRecords(self)  # type: ignore[return-value]
        return records

    @property
    def decoded_records(self) -> list[Record] | None:
        return self._records

    def _decode(self) -> list[Record]:
        records = self._records
        if records is None:
            records = decode_records(
                self._raw,
                self._count,
                self.base_offset,
                self._base_timestamp,
                RECORD_BATCH_OVERHEAD,
            )
            self._records = records
        return records

    # -- header fields, from the header -----------------------------------------------------------
    @property
    def last_offset_delta(self) -> int:
        return self._last_offset_delta

    @property
    def last_offset(self) -> int:
        return self.base_offset + self._count - 1

    @property
    def next_offset(self) -> int:
        return self.base_offset + self._count

    @property
    def records_count(self) -> int:
        return self._count

    @property
    def base_timestamp(self) -> int:
        return self._base_timestamp

    @property
    def max_timestamp(self) -> int:
        return self._max_timestamp

    @property
    def last_sequence(self) -> int:
        if self.base_sequence == NO_SEQUENCE:
            return NO_SEQUENCE
        return increment_sequence(self.base_sequence, self._count - 1)

    def place(self, base_offset: int) -> int:
        """The base offset; records already decoded get their offsets. The size is the bytes'."""
        self.base_offset = base_offset
        records = self._records
        if records is not None:
            for i, record in enumerate(records):
                record.offset = base_offset + i
        return len(self._raw)

    # -- sizes and bytes --------------------------------------------------------------------------
    def size_in_bytes(self) -> int:
        return len(self._raw)

    def to_bytes(self) -> bytes:
        """The client's bytes with the leader's base offset and partition leader epoch."""
        if (
            self._raw_base_offset != self.base_offset
            or self._raw_leader_epoch != self.partition_leader_epoch
        ):
            raw = self._raw
            self._raw = (
                struct.pack(">q", self.base_offset)
                + raw[8:12]
                + struct.pack(">i", self.partition_leader_epoch)
                + raw[16:]
            )
            self._raw_base_offset = self.base_offset
            self._raw_leader_epoch = self.partition_leader_epoch
        return self._raw


class _LazyRecords:
    """`RawRecordBatch.records` before the records are decoded: `len()` reads the header's count;
    anything else decodes the batch (once) and acts on the list."""

    __slots__ = ("_batch",)

    def __init__(self, batch: RawRecordBatch) -> None:
        self._batch = batch

    def __len__(self) -> int:
        return self._batch._count

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, index: Any) -> Any:
        return self._batch._decode()[index]

    def __iter__(self) -> Iterator[Record]:
        return iter(self._batch._decode())

    def __reversed__(self) -> Iterator[Record]:
        return reversed(self._batch._decode())

    def __contains__(self, item: object) -> bool:
        return item in self._batch._decode()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _LazyRecords):
            other = other._batch._decode()
        return self._batch._decode() == other

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Any) -> list[Record]:
        return self._batch._decode() + list(other)

    def __radd__(self, other: Any) -> list[Record]:
        return list(other) + self._batch._decode()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._batch._decode(), name)

    def __repr__(self) -> str:
        return repr(self._batch._decode())


Sequence.register(_LazyRecords)


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


def decode_records(
    buf: bytes, count: int, base_offset: int, base_timestamp: int, start: int = 0
) -> list[Record]:
    """The `count` records of an uncompressed batch whose records start at `buf[start]` and run
    to the end of `buf`; offsets and timestamps are absolute (base + delta).

    RecordError CORRUPT_MESSAGE for any overrun or a record whose fields do not add up to its
    length, INVALID_RECORD for bytes left after the last record
    (DefaultRecordBatch.RecordIterator.ensureNoneRemaining).
    """
    records: list[Record] = []
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
                headers: tuple = ()
            else:
                n_headers, p = _read_varint(buf, p)
                if n_headers < 0:
                    raise RecordError(CORRUPT_MESSAGE, "negative header count")
                items = []
                for _h in range(n_headers):
                    name, p = _read_varbytes(buf, p)
                    hvalue, p = _read_varbytes(buf, p)
                    items.append(((name or b"").decode("utf-8", "replace"), hvalue))
                headers = tuple(items)
            if p != end:
                raise RecordError(CORRUPT_MESSAGE, "record length does not match its fields")
            records.append(
                Record(base_offset + offset_delta, base_timestamp + ts_delta, key, value, headers)
            )
            pos = end
    except (ValueError, IndexError) as e:
        raise RecordError(CORRUPT_MESSAGE, f"record runs past the end of the batch: {e}") from e
    if pos != n:  # DefaultRecordBatch.RecordIterator.ensureNoneRemaining
        raise RecordError(
            INVALID_RECORD, "Incorrect declared batch size, records still remaining in file"
        )
    return records


def _crc32c(data: bytes) -> int:
    import crc32c  # a compiled CRC-32C; only needed when bytes are asked for

    return crc32c.crc32c(data)


# -- control records (ControlRecordType / EndTransactionMarker) --------------------------------------
CONTROL_KEY_VERSION = 0
END_TXN_MARKER_VERSION = 0


def control_key(kind: ControlRecordType) -> bytes:
    """4 bytes: version int16, type int16."""
    return struct.pack(">hh", CONTROL_KEY_VERSION, int(kind))


def parse_control_key(key: bytes | None) -> ControlRecordType:
    if key is None or len(key) < 4:
        raise ValueError("control record key must be 4 bytes")
    version, kind = struct.unpack_from(">hh", key)
    if version < 0:
        raise ValueError(f"invalid control record key version {version}")
    try:
        return ControlRecordType(kind)
    except ValueError:
        return ControlRecordType.UNKNOWN


def end_txn_marker_value(coordinator_epoch: int) -> bytes:
    """6 bytes: version int16, coordinatorEpoch int32."""
    return struct.pack(">hi", END_TXN_MARKER_VERSION, coordinator_epoch)


def parse_end_txn_marker_value(value: bytes | None) -> int:
    if value is None or len(value) < 6:
        raise ValueError("end transaction marker value must be 6 bytes")
    version, coordinator_epoch = struct.unpack_from(">hi", value)
    if version < 0:
        raise ValueError(f"invalid end transaction marker version {version}")
    return coordinator_epoch


def end_txn_marker_batch(
    producer_id: int,
    producer_epoch: int,
    kind: ControlRecordType,
    coordinator_epoch: int,
    timestamp: int,
) -> RecordBatch:
    """A control batch as `MemoryRecords.writeEndTransactionalMarker` builds it: one record, seq -1."""
    record = Record(0, timestamp, control_key(kind), end_txn_marker_value(coordinator_epoch))
    return RecordBatch(
        [record],
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=NO_SEQUENCE,
        is_transactional=True,
        is_control=True,
    )
