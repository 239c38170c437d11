"""The record decoder's inline varint fast paths against `RecordBatch.to_bytes`, field sizes around
every varint width, and truncation anywhere."""

from __future__ import annotations

import struct

import crc32c
import pytest

from eoslab.broker.records import Record, RecordBatch
from eoslab.wire import codec

SIZES = [0, 1, 63, 64, 100, 8191, 8192, 70_000]


def batch(records: list[Record]) -> RecordBatch:
    return RecordBatch(records, 7, 1, 5, is_transactional=True, base_offset=0)


def fields(b: RecordBatch) -> list[tuple]:
    return [(r.offset, r.timestamp, r.key, r.value, r.headers) for r in b.records]


@pytest.mark.parametrize("size", SIZES)
def test_keys_values_and_headers_of_every_varint_width(size: int) -> None:
    records = [
        Record(0, 1_000, b"k" * size, b"v" * size),
        Record(1, 1_000 - 70, None, b""),  # negative timestamp delta
        Record(2, 1_000 + 70_000, b"", None, (("h", b"x" * size), ("empty", None))),
    ]
    original = batch(records)
    decoded = codec.decode_batch(original.to_bytes())
    assert fields(decoded) == fields(original)
    assert (decoded.producer_id, decoded.base_sequence, decoded.is_transactional) == (7, 5, True)


def test_offset_deltas_past_one_and_two_byte_varints() -> None:
    original = batch([Record(i, 5 + i * 1_000, None, b"v") for i in range(9_000)])
    assert fields(codec.decode_batch(original.to_bytes())) == fields(original)


def test_every_truncation_is_a_corrupt_message() -> None:
    raw = batch([Record(0, 0, b"key", b"value", (("h", b"1"),)), Record(1, 0, None, b"x")])
    data = raw.to_bytes()
    for cut in range(codec.HEADER_SIZE, len(data)):
        with pytest.raises(codec.RecordError):
            codec.decode_batches(data[:cut])


def with_body(data: bytes, body: bytes) -> bytes:
    """The batch header of `data` over another records body, length and CRC-32C fixed."""
    head = bytearray(data[: codec.HEADER_SIZE])
    struct.pack_into(">i", head, 8, codec.HEADER_SIZE - 12 + len(body))
    raw = bytes(head) + body
    return raw[:17] + struct.pack(">I", crc32c.crc32c(raw[21:])) + raw[21:]


def test_records_cut_short_inside_a_valid_batch_are_corrupt() -> None:
    data = batch([Record(0, 0, b"key", b"value", (("h", b"1"),)), Record(1, 0, None, b"x")])
    raw = data.to_bytes()
    body = raw[codec.HEADER_SIZE :]
    assert fields(codec.decode_batch(with_body(raw, body))) == fields(data)
    for cut in range(len(body)):
        with pytest.raises(codec.RecordError) as info:
            codec.decode_batch(with_body(raw, body[:cut]))
        assert info.value.code == codec.CORRUPT_MESSAGE
    with pytest.raises(codec.RecordError) as info:  # bytes after the last record, as Kafka
        codec.decode_batch(with_body(raw, body + b"\0"))
    assert info.value.code == codec.INVALID_RECORD
