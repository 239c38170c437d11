"""The record decoder's inline varint fast paths against `RecordBatch.to_bytes`, field sizes around
every varint width, and truncation anywhere; and the fast check that lets a batch be kept as its
bytes (`RawRecordBatch`): it must vouch only for batches the decoder would decode to exactly the
same thing."""

from __future__ import annotations

import struct

import crc32c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eoslab.broker.records import RawRecordBatch, Record, RecordBatch
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


# -- the fast check: a batch kept as bytes is exactly the batch decoded --------------------------------
def header(b: RecordBatch) -> tuple:
    return (
        b.base_offset,
        b.partition_leader_epoch,
        b.producer_id,
        b.producer_epoch,
        b.base_sequence,
        b.last_sequence,
        b.is_transactional,
        b.is_control,
        b.attributes,
        b.last_offset_delta,
        b.last_offset,
        b.records_count,
        b.base_timestamp,
        b.max_timestamp,
        b.size_in_bytes(),
    )


def eager(data: bytes) -> RecordBatch:
    """decode_batch with the fast check off: every record decoded now (the path before batches
    were kept as bytes, and still the path of every batch the fast check does not vouch for)."""
    fast = codec._records_ok
    codec._records_ok = lambda *args: False
    try:
        return codec.decode_batch(data)
    finally:
        codec._records_ok = fast


def same_as_eager(data: bytes) -> RecordBatch | None:
    """decode_batch(data) and the eager decoder agree: the same error code, or batches that
    nothing can tell apart; returns the batch decode_batch built."""
    try:
        expected = eager(data)
    except codec.RecordError as e:
        with pytest.raises(codec.RecordError) as info:
            codec.decode_batch(data)
        assert info.value.code == e.code
        return None
    got = codec.decode_batch(data)
    assert header(got) == header(expected)
    assert fields(got) == fields(expected)
    assert header(got) == header(expected)  # after decoding too
    for b in (got, expected):
        b.base_offset, b.partition_leader_epoch = 1_000, 4
        for i, r in enumerate(b.records):
            r.offset = 1_000 + i  # as Partition._append numbers them
    assert header(got) == header(expected) and fields(got) == fields(expected)
    return got


def with_header(data: bytes, **fields_: int) -> bytes:
    """`data` with header fields replaced (last_offset_delta, base_ts, max_ts), CRC fixed."""
    offsets = {"last_offset_delta": (23, ">i"), "base_ts": (27, ">q"), "max_ts": (35, ">q")}
    out = bytearray(data)
    for name, value in fields_.items():
        pos, fmt = offsets[name]
        struct.pack_into(fmt, out, pos, value)
    struct.pack_into(">I", out, 17, crc32c.crc32c(bytes(out[21:])))
    return bytes(out)


BASE_TS = 1_700_000_000_000


def uniform(n: int, key: bytes | None = None, value: bytes | None = b"v" * 100, ts=None):
    ts = ts or (lambda i: BASE_TS + i % 50)
    return batch([Record(i, ts(i), key, value) for i in range(n)])


@pytest.mark.parametrize("n", [1, 2, 63, 64, 65, 127, 128, 1000, 8191, 8192, 8193])
def test_common_batches_are_kept_as_bytes(n: int) -> None:
    data = uniform(n).to_bytes()
    got = same_as_eager(data)
    assert isinstance(got, RawRecordBatch)


@pytest.mark.parametrize(
    "make",
    [
        lambda: uniform(200, key=b"k" * 10),
        lambda: uniform(200, key=b"", value=None),
        lambda: uniform(100, value=b"x" * 9_000),  # 3-byte lengths
        lambda: uniform(100, ts=lambda i: BASE_TS - 64 + (i * 37) % 128),  # one-byte deltas
        lambda: uniform(100, ts=lambda i: BASE_TS + 1_000 * i),  # longer deltas
        lambda: uniform(100, ts=lambda i: BASE_TS - i),  # negative deltas
        lambda: batch([Record(i, BASE_TS, b"k%d" % i, b"v" * i) for i in range(300)]),
        lambda: batch(
            [
                Record(i, BASE_TS, None, b"v", (("h", b"x" * i), ("é", None))[: i % 3])
                for i in range(90)
            ]
        ),
    ],
)
def test_other_batches_decode_the_same_either_way(make) -> None:
    assert isinstance(same_as_eager(make().to_bytes()), RawRecordBatch)


def test_batches_whose_timestamps_disagree_with_their_header_are_decoded() -> None:
    """Kafka recomputes the max timestamp from the records; eoslab decodes such a batch."""
    data = uniform(100).to_bytes()
    for changed in (
        with_header(data, max_ts=BASE_TS + 49 + 1),
        with_header(data, base_ts=BASE_TS - 1),
    ):
        got = same_as_eager(changed)
        assert got is not None and not isinstance(got, RawRecordBatch)
    gapped = batch([Record(2 * i, BASE_TS, None, b"v") for i in range(10)])  # offset deltas 0, 2..
    got = same_as_eager(with_header(gapped.to_bytes(), last_offset_delta=9))
    assert not isinstance(got, RawRecordBatch)  # decoded; the broker's LogValidator refuses it


@pytest.mark.parametrize("last_offset_delta", [98, 100, -1, 2**31 - 1])
def test_a_last_offset_delta_that_disagrees_with_the_count_is_invalid_record(
    last_offset_delta: int,
) -> None:
    """LogValidator.validateBatch: the offset range must hold exactly the records counted."""
    changed = with_header(uniform(100).to_bytes(), last_offset_delta=last_offset_delta)
    assert same_as_eager(changed) is None
    with pytest.raises(codec.RecordError) as info:
        codec.decode_batch(changed)
    assert info.value.code == codec.INVALID_RECORD == 87
    assert str(info.value).startswith(
        f"Inconsistent batch offset range [0, {last_offset_delta}] and count of records 100"
    )


records_strategy = st.lists(
    st.tuples(
        st.integers(-70, 70) | st.integers(-(2**40), 2**40),
        st.none() | st.binary(max_size=80),
        st.none() | st.binary(max_size=80),
        st.lists(st.tuples(st.text(max_size=5), st.none() | st.binary(max_size=5)), max_size=2),
    ),
    min_size=1,
    max_size=150,
)


@settings(max_examples=300, deadline=None)
@given(records=records_strategy, uniform_shape=st.booleans(), mutation=st.data())
def test_fuzz_the_fast_check_against_the_decoder(records, uniform_shape, mutation) -> None:
    if uniform_shape:  # the common shape, so mutations hit the column checks
        key, value = records[0][1], records[0][2]
        records = [(t % 64, key, value, []) for t, *_ in records]
    b = batch([Record(i, BASE_TS + t, k, v, tuple(h)) for i, (t, k, v, h) in enumerate(records)])
    b.records[0].timestamp = BASE_TS
    data = b.to_bytes()
    same_as_eager(data)
    body = bytearray(data[codec.HEADER_SIZE :])
    kind = mutation.draw(st.sampled_from(["flip", "insert", "delete", "header"]))
    if kind == "header":
        name = mutation.draw(st.sampled_from(["last_offset_delta", "base_ts", "max_ts"]))
        delta = mutation.draw(st.integers(-2, 2))
        offset = {"last_offset_delta": 23, "base_ts": 27, "max_ts": 35}[name]
        fmt = ">i" if name == "last_offset_delta" else ">q"
        value = struct.unpack_from(fmt, data, offset)[0] + delta
        same_as_eager(with_header(data, **{name: value}))
        return
    pos = mutation.draw(st.integers(0, len(body) - 1))
    if kind == "flip":
        body[pos] ^= mutation.draw(st.integers(1, 255))
    elif kind == "insert":
        body.insert(pos, mutation.draw(st.integers(0, 255)))
    else:
        del body[pos]
    same_as_eager(with_body(data, bytes(body)))
