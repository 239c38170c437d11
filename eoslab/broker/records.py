"""Record batches in Kafka's v2 format (magic 2), data and control, as the log stores them.

Every header field of `DefaultRecordBatch` is kept, because the lesson lives in them: producerId,
producerEpoch and baseSequence say who wrote a batch, isTransactional and isControl say whether it
belongs to a transaction or ends one. Sizes are Kafka's exact uncompressed sizes, and `to_bytes()`
gives the batch as it would sit on disk, CRC-32C included.

A batch that arrives over the wire is kept the way Kafka keeps it: as the bytes the client sent
(`RecordBatch.from_bytes`, a `RawRecordBatch`). Only its 61-byte header is read when it arrives;
the records are decoded the first time someone looks at them, and `to_bytes()` is the client's
bytes with the two fields the leader owns (base offset, partition leader epoch) patched in.

A batch in a log keeps its records as columns of plain values, not as an object per record
(see `RecordBatch`): what the bytes are to Kafka's JVM, which its garbage collector never walks.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from enum import IntEnum
from itertools import repeat
from typing import Any

from .record import (
    RECORD_BATCH_OVERHEAD,
    Columns,
    Header,
    Record,
    _columns_of,
    _columns_size,
    _headers_column,
    _records_size,
    _write_bytes,
    _write_varint,
)
from .record_codec import (
    BATCH_HEADER,
    _crc32c,
    decode_columns,
)

NO_PRODUCER_ID = -1
NO_PRODUCER_EPOCH = -1
NO_SEQUENCE = -1
NO_PARTITION_LEADER_EPOCH = -1
INT32_MAX = 2**31 - 1

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


def _malformed_fields(delta: int, ts: Any, key: Any, value: Any, headers: Any) -> str | None:
    if type(ts) is not int or not -(2**63) <= ts < 2**63:
        return f"record at offset delta {delta}: timestamp {ts!r} is not a long"
    if (key is not None and type(key) is not bytes) or (
        value is not None and type(value) is not bytes
    ):
        bad = "key" if key is not None and type(key) is not bytes else "value"
        return f"record at offset delta {delta}: {bad} is not bytes"
    for header in headers:
        if (
            not isinstance(header, tuple | list)
            or len(header) != 2
            or type(header[0]) is not str
            or (header[1] is not None and type(header[1]) is not bytes)
        ):
            return f"record at offset delta {delta}: header {header!r} is malformed"
    return None


_BYTES_OR_NONE = frozenset((bytes, type(None)))


def malformed_record(batch: RecordBatch) -> str | None:
    """Why a batch handed over in process could not exist as v2 bytes, or None if it could.

    A batch that arrived as bytes was parsed, so it is well formed; objects handed over in
    process are checked here, so the log never holds a record no reader could decode (Kafka
    answers a batch it cannot parse with CORRUPT_MESSAGE). Columns are checked a column at a
    time; only a batch that fails is walked record by record, for the message.
    """
    records = batch._records
    if records is not None:
        for r in records:
            error = _malformed_fields(r.offset, r.timestamp, r.key, r.value, r.headers)
            if error is not None:
                return error
        return None
    values = batch._values
    if values is None:  # kept as bytes, not decoded: the wire's decoder checked them
        return None
    timestamps, keys, headers = batch._timestamps, batch._keys, batch._headers
    if (
        set(map(type, timestamps)) == {int}
        and min(timestamps) >= -(2**63)
        and max(timestamps) < 2**63
        and set(map(type, values)) <= _BYTES_OR_NONE
        and (keys is None or set(map(type, keys)) <= _BYTES_OR_NONE)
        and headers is None
    ):
        return None
    n = len(values)
    for i, (ts, key, value, hdrs) in enumerate(
        zip(
            timestamps,
            repeat(None, n) if keys is None else keys,
            values,
            repeat((), n) if headers is None else headers,
            strict=True,
        )
    ):
        error = _malformed_fields(i, ts, key, value, hdrs)
        if error is not None:
            return error
    return None


class RecordBatch:
    """A v2 record batch. The leader assigns `base_offset`; everything else comes from the writer.

    A batch holds its records one of two ways. As its writer built it: a list of `Record`
    objects with offsets of their own (`RecordBatch(records)`). Or as columns, one exact tuple
    each of timestamps, keys, values and headers, where a record's offset is `base_offset` plus
    its index (the v2 format's offset delta, which LogValidator requires to run 0..count-1):
    a client's producer builds its batches so (`columns=`), and a log turns every batch into
    columns when it places it. Columns are what Kafka's bytes are to the JVM: the cyclic
    garbage collector never walks them (tuples of ints, bytes and None are untracked), so a log
    of a million records costs a full collection a few objects per batch, not one per record,
    and memory per record is a few tuple slots instead of a `Record`. The writer's `Record`
    objects are dropped at placement and never changed by it.

    `records` stays a sequence of `Record` objects either way: for columns, a `RecordView`
    that builds them on access (its length without building any). Readers that walk every
    record read `columns()` instead.
    """

    __slots__ = (
        "_headers",
        "_in_log",
        "_keys",
        "_records",
        "_size",
        "_timestamps",
        "_values",
        "base_offset",
        "base_sequence",
        "is_control",
        "is_transactional",
        "partition_leader_epoch",
        "producer_epoch",
        "producer_id",
        "timestamp_type",
    )

    magic = 2
    compression = 0  # eoslab keeps batches uncompressed

    def __init__(
        self,
        records: list[Record] | None = None,
        producer_id: int = NO_PRODUCER_ID,
        producer_epoch: int = NO_PRODUCER_EPOCH,
        base_sequence: int = NO_SEQUENCE,
        is_transactional: bool = False,
        is_control: bool = False,
        base_offset: int = 0,
        partition_leader_epoch: int = NO_PARTITION_LEADER_EPOCH,
        *,
        columns: tuple[Sequence[int], Any, Sequence[bytes | None], Any] | None = None,
    ) -> None:
        """`records`, or `columns=(timestamps, keys, values, headers)`: keys may be None for all
        null, headers None for none at all."""
        if columns is not None:
            if records is not None:
                raise ValueError("a record batch holds records or columns, not both")
            timestamps, keys, values, headers = columns
            timestamps = timestamps if type(timestamps) is tuple else tuple(timestamps)
            values = values if type(values) is tuple else tuple(values)
            if keys is not None:
                keys = keys if type(keys) is tuple else tuple(keys)
                if keys.count(None) == len(keys):
                    keys = None
            if headers is not None:
                headers = _headers_column(headers)
            n = len(values)
            if not n:
                raise ValueError("a record batch holds at least one record")
            if (
                len(timestamps) != n
                or (keys is not None and len(keys) != n)
                or (headers is not None and len(headers) != n)
            ):
                raise ValueError("a record batch's columns must be as long as each other")
            self._records = None
        elif not records:
            raise ValueError("a record batch holds at least one record")
        else:
            timestamps = keys = values = headers = None
            self._records = records
        self._timestamps = timestamps
        self._keys = keys
        self._values = values
        self._headers = headers
        self.base_offset = base_offset
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
        """A fresh batch with the same records: the log keeps its own, the writer keeps theirs.
        Columns are immutable, so a copy shares them."""
        records = self._records
        if records is not None:
            return RecordBatch(
                [Record(r.offset, r.timestamp, r.key, r.value, r.headers) for r in records],
                self.producer_id,
                self.producer_epoch,
                self.base_sequence,
                self.is_transactional,
                self.is_control,
                self.base_offset,
                self.partition_leader_epoch,
            )
        c = RecordBatch.__new__(RecordBatch)
        c._records = None
        c._timestamps, c._keys, c._values, c._headers = self.columns()
        c.base_offset = self.base_offset
        c.producer_id = self.producer_id
        c.producer_epoch = self.producer_epoch
        c.base_sequence = self.base_sequence
        c.is_transactional = self.is_transactional
        c.is_control = self.is_control
        c.partition_leader_epoch = self.partition_leader_epoch
        c.timestamp_type = self.timestamp_type
        c._size = self._size
        c._in_log = False
        return c

    @classmethod
    def from_bytes(cls, data: bytes) -> RawRecordBatch:
        """A batch kept as its v2 bytes (see `RawRecordBatch`); only the header is read now."""
        return RawRecordBatch(data)

    # -- the records ------------------------------------------------------------------------------
    @property
    def records(self) -> Sequence[Record]:
        """The writer's list of `Record` objects, or a `RecordView` of the columns."""
        records = self._records
        if records is not None:
            return records
        return RecordView(self)

    @property
    def decoded_records(self) -> Sequence[Record] | None:
        """`records` if they are at hand as objects or columns (always, here; a
        `RawRecordBatch` answers None until its bytes are decoded)."""
        return self.records

    @property
    def writer_records(self) -> list[Record] | None:
        """The writer's `Record` objects, with offsets of their own, until a log places the
        batch; None for columns and bytes, whose offsets are the base offset plus the index."""
        return self._records

    def columns(self) -> Columns:
        """(timestamps, keys, values, headers), one entry per record, offsets `base_offset` plus
        the index; keys is None when every key is null, headers None when no record has any.
        The log's own tuples (for a batch as its writer built it, columns made now)."""
        values = self._values
        if values is not None:
            return self._timestamps, self._keys, values, self._headers  # type: ignore[return-value]
        return self._load_columns()

    def _load_columns(self) -> Columns:
        return _columns_of(self._records)  # type: ignore[arg-type]

    # -- header fields derived from the records ---------------------------------------------------
    @property
    def last_offset_delta(self) -> int:
        records = self._records
        if records is None:
            return self.records_count - 1
        return records[-1].offset - records[0].offset

    @property
    def last_offset(self) -> int:
        values = self._values
        n = len(values) if values is not None else len(self._records)  # type: ignore[arg-type]
        return self.base_offset + n - 1

    @property
    def next_offset(self) -> int:
        values = self._values
        n = len(values) if values is not None else len(self._records)  # type: ignore[arg-type]
        return self.base_offset + n

    @property
    def records_count(self) -> int:
        values = self._values
        return len(values) if values is not None else len(self._records)  # type: ignore[arg-type]

    @property
    def base_timestamp(self) -> int:
        records = self._records
        return self._timestamps[0] if records is None else records[0].timestamp  # type: ignore[index]

    @property
    def max_timestamp(self) -> int:
        records = self._records
        if records is None:
            return max(self._timestamps)  # type: ignore[arg-type]
        return max(r.timestamp for r in records)

    @property
    def last_sequence(self) -> int:
        if self.base_sequence == NO_SEQUENCE:
            return NO_SEQUENCE
        return increment_sequence(self.base_sequence, self.records_count - 1)

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
        keys = self.columns()[1]
        return parse_control_key(None if keys is None else keys[0])

    @property
    def coordinator_epoch(self) -> int | None:
        if self.control_type not in (ControlRecordType.COMMIT, ControlRecordType.ABORT):
            return None
        return parse_end_txn_marker_value(self.columns()[2][0])

    # -- the leader's placement ------------------------------------------------------------------
    def place(self, base_offset: int) -> int:
        """Give the records offsets `base_offset`, `base_offset + 1`, ... and return the batch's size.

        Called once, when a log appends the batch (LogValidator assigns offsets there too): a
        batch as its writer built it becomes columns (the writer's `Record` objects are left as
        they were), and the size is computed in the same pass and cached, so no fetch ever
        computes it. Offset deltas are the record indexes; a record's size is
        `DefaultRecord.sizeInBytes`.
        """
        self.base_offset = base_offset
        records = self._records
        if records is not None:
            self._timestamps, self._keys, self._values, self._headers = _columns_of(records)
            self._records = None
            self._size = None
        size = self._size
        if size is None:
            size = self._size = _columns_size(
                self._timestamps,  # type: ignore[arg-type]
                self._keys,
                self._values,  # type: ignore[arg-type]
                self._headers,
            )
        return size

    # -- sizes and bytes --------------------------------------------------------------------------
    def size_in_bytes(self) -> int:
        size = self._size
        if size is None:
            records = self._records
            if records is not None:
                size = _records_size(records, records[0].offset)
            else:
                size = _columns_size(*self.columns())
            self._size = size
        return size

    def _rows(self) -> Iterator[tuple[int, int, bytes | None, bytes | None, tuple[Header, ...]]]:
        """(offset delta, timestamp, key, value, headers) per record."""
        records = self._records
        if records is not None:
            first = records[0].offset
            return ((r.offset - first, r.timestamp, r.key, r.value, r.headers) for r in records)
        timestamps, keys, values, headers = self.columns()
        n = len(values)
        return zip(
            range(n),
            timestamps,
            repeat(None, n) if keys is None else keys,
            values,
            repeat((), n) if headers is None else headers,
            strict=True,
        )

    def to_bytes(self) -> bytes:
        """The batch as Kafka writes it: header, then records, CRC-32C over attributes..end."""
        body = bytearray()
        base_ts = self.base_timestamp
        for delta, timestamp, key, value, headers in self._rows():
            rec = bytearray()
            rec.append(0)
            _write_varint(rec, timestamp - base_ts)
            _write_varint(rec, delta)
            _write_bytes(rec, key)
            _write_bytes(rec, value)
            _write_varint(rec, len(headers))
            for name, hvalue in headers:
                _write_bytes(rec, name.encode())
                _write_bytes(rec, hvalue)
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
                self.records_count,
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
    count) is read when the batch is built; the records are decoded into columns on first use
    (`len(records)` alone does not decode), with offsets `base_offset + offset delta` for the base
    offset the batch has then. `size_in_bytes()` is the length of the bytes, and `to_bytes()`
    returns them with the current base offset and partition leader epoch patched in: both lie
    outside the CRC, so the CRC the client computed stays valid.

    Only uncompressed batches are kept this way. The bytes are trusted: the wire's decoder
    (`eoslab.wire.codec.decode_batch`) checks the CRC and every record before it builds one,
    offset deltas 0..count-1 included.
    """

    __slots__ = (
        "_base_timestamp",
        "_count",
        "_last_offset_delta",
        "_max_timestamp",
        "_raw",
        "_raw_base_offset",
        "_raw_leader_epoch",
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
        self._records = None
        self._timestamps = self._keys = self._values = self._headers = None
        self._size = None
        self._in_log = False

    def copy(self) -> RawRecordBatch:
        """A fresh batch over the same (immutable) bytes, and the same columns if decoded."""
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
        c._records = None
        c._timestamps, c._keys = self._timestamps, self._keys
        c._values, c._headers = self._values, self._headers
        c._size = None
        c._in_log = False
        return c

    # -- records, decoded on first use ------------------------------------------------------------
    @property
    def decoded_records(self) -> Sequence[Record] | None:
        return None if self._values is None else RecordView(self)

    def _load_columns(self) -> Columns:
        columns = decode_columns(
            self._raw, self._count, self._base_timestamp, RECORD_BATCH_OVERHEAD
        )
        self._timestamps, self._keys, self._values, self._headers = columns
        return columns

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
        """The base offset (decoded records take their offsets from it). The size is the bytes'."""
        self.base_offset = base_offset
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


class RecordView(Sequence):
    """A batch's records as `Record` objects, built from its columns when asked for: the offset
    is the batch's base offset plus the index. `len()` builds nothing (nor decodes a
    `RawRecordBatch`); an index gives a `Record`, a slice a list of them. Each access builds new
    objects, so changing one leaves the log as it was; a view equals a sequence of equal records.
    """

    __slots__ = ("_batch",)

    def __init__(self, batch: RecordBatch) -> None:
        self._batch = batch

    def __len__(self) -> int:
        return self._batch.records_count

    def __bool__(self) -> bool:
        return True  # a batch holds at least one record

    def _build(self, indexes: range) -> Iterator[Record]:
        batch = self._batch
        timestamps, keys, values, headers = batch.columns()
        base = batch.base_offset
        if indexes.step == 1:
            lo, hi = indexes.start, indexes.stop
            return map(
                Record,
                range(base + lo, base + hi),
                timestamps[lo:hi],
                repeat(None, len(indexes)) if keys is None else keys[lo:hi],
                values[lo:hi],
                repeat((), len(indexes)) if headers is None else headers[lo:hi],
            )
        return (
            Record(
                base + i,
                timestamps[i],
                None if keys is None else keys[i],
                values[i],
                () if headers is None else headers[i],
            )
            for i in indexes
        )

    def __getitem__(self, index: Any) -> Any:
        n = self._batch.records_count
        if isinstance(index, slice):
            return list(self._build(range(*index.indices(n))))
        i = index.__index__()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("record index out of range")
        return next(self._build(range(i, i + 1)))

    def __iter__(self) -> Iterator[Record]:
        return self._build(range(self._batch.records_count))

    def __reversed__(self) -> Iterator[Record]:
        return self._build(range(self._batch.records_count - 1, -1, -1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Any) -> list[Record]:
        return list(self) + list(other)

    def __radd__(self, other: Any) -> list[Record]:
        return list(other) + list(self)

    def __repr__(self) -> str:
        return repr(list(self))


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
    return RecordBatch(
        columns=(
            (timestamp,),
            (control_key(kind),),
            (end_txn_marker_value(coordinator_epoch),),
            None,
        ),
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=NO_SEQUENCE,
        is_transactional=True,
        is_control=True,
    )
