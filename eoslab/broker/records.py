"""Record batches in Kafka's v2 format (magic 2), data and control, as the log stores them.

Every header field of `DefaultRecordBatch` is kept, because the lesson lives in them: producerId,
producerEpoch and baseSequence say who wrote a batch, isTransactional and isControl say whether it
belongs to a transaction or ends one. Sizes are Kafka's exact uncompressed sizes, and `to_bytes()`
gives the batch as it would sit on disk, CRC-32C included.
"""

from __future__ import annotations

import struct
from enum import IntEnum

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

    # -- sizes and bytes --------------------------------------------------------------------------
    def size_in_bytes(self) -> int:
        if self._size is None:
            base_ts = self.base_timestamp
            first = self.records[0].offset
            self._size = RECORD_BATCH_OVERHEAD + sum(
                r.size_in_bytes(first, base_ts) for r in self.records
            )
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
