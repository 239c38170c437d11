"""Record batches kept as the bytes a client sent (`RecordBatch.from_bytes` / `RawRecordBatch`).

A batch that arrives over the wire keeps its bytes, as Kafka keeps them: only the header is read
when it arrives, the records are decoded the first time someone reads them, and what a consumer
fetches is the client's bytes with the leader's base offset and partition leader epoch patched in
(both outside the CRC). Everything the broker and the views read must be what the decoded batch
says.
"""

from __future__ import annotations

import struct

import crc32c
import pytest

from eoslab import Cluster
from eoslab.broker.records import (
    NO_SEQUENCE,
    RECORD_BATCH_OVERHEAD,
    ControlRecordType,
    RawRecordBatch,
    Record,
    RecordBatch,
    end_txn_marker_batch,
)
from eoslab.views import log_dump


def data_batch(n: int = 5, **kwargs) -> RecordBatch:
    base = kwargs.get("base_offset", 0)
    records = [
        Record(base + i, 1_000 + i, f"k{i}".encode() if i % 2 else None, f"value-{i}".encode())
        for i in range(n)
    ]
    records[-1].headers = (("trace", b"abc"), ("empty", None))
    defaults = {"producer_id": 7, "producer_epoch": 2, "base_sequence": 40}
    return RecordBatch(records, **{**defaults, "is_transactional": True, **kwargs})


def fields(batch: RecordBatch) -> list[tuple]:
    return [(r.offset, r.timestamp, r.key, r.value, r.headers) for r in batch.records]


def header(batch: RecordBatch) -> tuple:
    return (
        batch.base_offset,
        batch.partition_leader_epoch,
        batch.producer_id,
        batch.producer_epoch,
        batch.base_sequence,
        batch.last_sequence,
        batch.is_transactional,
        batch.is_control,
        batch.attributes,
        batch.last_offset_delta,
        batch.last_offset,
        batch.next_offset,
        batch.records_count,
        batch.base_timestamp,
        batch.max_timestamp,
        batch.size_in_bytes(),
        batch.control_type,
        batch.coordinator_epoch,
    )


def patched(sent: bytes, base_offset: int, leader_epoch: int) -> bytes:
    return struct.pack(">q", base_offset) + sent[8:12] + struct.pack(">i", leader_epoch) + sent[16:]


def crc_ok(data: bytes) -> bool:
    return crc32c.crc32c(data[21:]) == struct.unpack_from(">I", data, 17)[0]


# -- the batch on its own ------------------------------------------------------------------------------
def test_header_fields_are_read_from_the_bytes_and_the_records_are_not() -> None:
    original = data_batch(base_offset=100, partition_leader_epoch=3)
    data = original.to_bytes()
    raw = RecordBatch.from_bytes(data)
    assert isinstance(raw, RawRecordBatch)
    assert raw.decoded_records is None
    assert header(raw) == header(original)
    assert (raw.base_offset, raw.partition_leader_epoch, raw.records_count) == (100, 3, 5)
    assert (raw.last_offset_delta, raw.last_offset, raw.last_sequence) == (4, 104, 44)
    assert (raw.base_timestamp, raw.max_timestamp) == (1_000, 1_004)
    assert raw.size_in_bytes() == len(data) == original.size_in_bytes()
    assert len(raw.records) == 5 and raw.records  # the count: still nothing decoded
    assert raw.decoded_records is None
    assert fields(raw) == fields(original)  # decoded now, once, into columns
    assert raw.decoded_records == raw.records and raw.columns()[2] is raw.columns()[2]
    assert raw.to_bytes() == data and raw.crc == original.crc


def test_records_take_the_base_offset_the_batch_has_when_they_are_decoded() -> None:
    raw = RecordBatch.from_bytes(data_batch().to_bytes())
    raw.base_offset = 42
    assert [r.offset for r in raw.records] == [42, 43, 44, 45, 46]
    assert raw.records[1].key == b"k1" and raw.records[0].key is None
    assert raw.records[-1].headers == (("trace", b"abc"), ("empty", None))


def test_to_bytes_patches_base_offset_and_leader_epoch_outside_the_crc() -> None:
    data = data_batch().to_bytes()
    raw = RecordBatch.from_bytes(data)
    raw.base_offset, raw.partition_leader_epoch = 1_234_567, 9
    out = raw.to_bytes()
    assert out == patched(data, 1_234_567, 9)
    assert crc_ok(out)
    again = RecordBatch.from_bytes(out)
    assert (again.base_offset, again.partition_leader_epoch) == (1_234_567, 9)
    assert fields(again) == fields(raw)


def test_a_non_idempotent_batch_and_a_control_batch() -> None:
    plain = RecordBatch([Record(0, 5, None, b"x")])  # no producer id: no sequence
    raw = RecordBatch.from_bytes(plain.to_bytes())
    assert header(raw) == header(plain)
    assert (raw.producer_id, raw.base_sequence, raw.last_sequence) == (-1, NO_SEQUENCE, NO_SEQUENCE)
    assert not raw.has_producer_id
    marker = end_txn_marker_batch(7, 2, ControlRecordType.ABORT, 5, 99)
    raw = RecordBatch.from_bytes(marker.to_bytes())
    assert raw.is_control and raw.control_type == ControlRecordType.ABORT
    assert raw.coordinator_epoch == 5
    assert header(raw) == header(marker)


def test_only_v2_uncompressed_batches_with_records_are_kept_as_bytes() -> None:
    data = bytearray(data_batch().to_bytes())
    with pytest.raises(ValueError):
        RecordBatch.from_bytes(bytes(data[:40]))
    with pytest.raises(ValueError):
        RecordBatch.from_bytes(bytes(data[:-1]))  # the length field says otherwise
    gzip = bytearray(data)
    gzip[22] |= 1  # attributes: codec gzip
    with pytest.raises(ValueError):
        RecordBatch.from_bytes(bytes(gzip))
    magic1 = bytearray(data)
    magic1[16] = 1
    with pytest.raises(ValueError):
        RecordBatch.from_bytes(bytes(magic1))


def test_copy_shares_no_mutable_state() -> None:
    raw = RecordBatch.from_bytes(data_batch().to_bytes())
    raw.base_offset = 10
    copy = raw.copy()
    assert isinstance(copy, RawRecordBatch) and copy.decoded_records is None
    copy.base_offset = 500
    assert copy.records[0].offset == 500
    assert raw.decoded_records is None  # decoding the copy did not decode the original
    assert raw.records[0].offset == 10
    decoded_copy = raw.copy()  # records already decoded are copied, not shared
    assert decoded_copy.decoded_records is not None
    assert all(a is not b for a, b in zip(decoded_copy.records, raw.records, strict=True))
    assert fields(decoded_copy) == fields(raw)
    assert copy.to_bytes() == patched(raw.to_bytes(), 500, raw.partition_leader_epoch)


# -- in a partition log ------------------------------------------------------------------------------
def test_appending_assigns_offsets_without_decoding() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    first = RecordBatch.from_bytes(data_batch(producer_id=-1, is_transactional=False).to_bytes())
    second = RecordBatch.from_bytes(
        data_batch(3, producer_id=-1, is_transactional=False).to_bytes()
    )
    assert not cluster.produce("t", 0, first).error
    assert not cluster.produce("t", 0, second).error
    p = cluster.partition("t", 0)
    assert p.batches == [first, second]
    assert (first.decoded_records, second.decoded_records) == (None, None)
    assert (second.base_offset, second.last_offset, p.log_end_offset) == (5, 7, 8)
    assert [r.offset for r in second.records] == [5, 6, 7]
    fetched = cluster.fetch("t", 0, 0, 0, 1 << 20)
    assert fetched.batches == [first, second]
    assert first.decoded_records is None  # a fetch reads headers and sizes only
    assert second.to_bytes()[:8] == struct.pack(">q", 5) and crc_ok(second.to_bytes())


def test_idempotent_producer_state_comes_from_the_header() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    pid = cluster.init_producer_id(None, 60_000).producer_id
    batch = data_batch(
        4, producer_id=pid, producer_epoch=0, base_sequence=0, is_transactional=False
    )
    raw = RecordBatch.from_bytes(batch.to_bytes())
    assert cluster.produce("t", 0, raw).base_offset == 0
    retry = RecordBatch.from_bytes(batch.to_bytes())  # the same batch sent again
    r = cluster.produce("t", 0, retry)
    assert (r.error, r.base_offset) == (0, 0) and len(cluster.partition("t", 0).batches) == 1
    entry = cluster.partition("t", 0).producer_state.entry(pid)
    assert (entry.last_seq, entry.last_data_offset) == (3, 3)
    assert raw.decoded_records is None and retry.decoded_records is None


def test_a_raw_batch_appended_twice_is_copied_and_replay_rebuilds_the_same_log() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    raw = RecordBatch.from_bytes(data_batch(producer_id=-1, is_transactional=False).to_bytes())
    cluster.produce("t", 0, raw)
    cluster.produce("t", 0, raw)  # the same object again: the log keeps its own copy
    first, second = cluster.partition("t", 0).batches
    assert first is raw and second is not raw and isinstance(second, RawRecordBatch)
    assert (first.base_offset, second.base_offset) == (0, 5)
    assert [r.offset for r in second.records] == [5, 6, 7, 8, 9]
    assert first.decoded_records is None
    again = cluster.replay()
    replayed = again.partition("t", 0).batches
    assert all(b is not raw and b is not second for b in replayed)
    assert [b.base_offset for b in replayed] == [0, 5]
    assert [b.to_bytes() for b in replayed] == [first.to_bytes(), second.to_bytes()]
    assert fields(replayed[0]) == fields(first) and fields(replayed[1]) == fields(second)
    assert [r.offset for r in first.records] == [0, 1, 2, 3, 4]  # untouched by the replay


def test_a_raw_batch_and_its_decoded_twin_give_the_same_log_dump_rows() -> None:
    def run(make) -> tuple:
        cluster = Cluster()
        cluster.create_topics([("t", 1, 1)])
        pid = cluster.init_producer_id("tx", 60_000).producer_id
        cluster.add_partitions_to_txn("tx", pid, 0, [("t", 0)])
        for seq, n in ((0, 3), (3, 4)):
            batch = data_batch(n, producer_id=pid, producer_epoch=0, base_sequence=seq)
            assert not cluster.produce("t", 0, make(batch), "tx").error
        cluster.end_txn("tx", pid, 0, True)
        p = cluster.partition("t", 0)
        return log_dump(cluster, "t", 0), [header(b) for b in p.batches], p

    decoded, decoded_headers, _ = run(lambda b: b)
    raw, raw_headers, p = run(lambda b: RecordBatch.from_bytes(b.to_bytes()))
    assert isinstance(p.batches[0], RawRecordBatch)
    assert raw.equals(decoded)
    assert raw.to_dict("records") == decoded.to_dict("records")
    assert raw_headers == decoded_headers
    assert list(raw["offset"]) == list(range(8)) and list(raw["fate"])[:7] == ["committed"] * 7


def test_size_matches_the_decoded_batch() -> None:
    for n in (1, 63, 64, 65, 300):
        batch = data_batch(n)
        raw = RecordBatch.from_bytes(batch.to_bytes())
        assert raw.size_in_bytes() == batch.size_in_bytes()
        assert raw.size_in_bytes() >= RECORD_BATCH_OVERHEAD


# -- what confluent-kafka sends ------------------------------------------------------------------------
def test_confluent_kafka_batches_are_kept_byte_for_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    ck = pytest.importorskip("confluent_kafka")
    from eoslab.wire import WireServer, codec, handlers

    sent: list[bytes] = []

    def capture(data: bytes):
        sent.append(bytes(data))
        return codec.decode_batches(data)

    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    with WireServer(cluster) as server:
        # after the start: its warm-up session (a scratch cluster's) is not the client's
        monkeypatch.setattr(handlers, "decode_batches", capture)
        p = ck.Producer(
            {
                "bootstrap.servers": server.bootstrap_servers,
                "transactional.id": "tx",
                "linger.ms": 100,
                "log_level": 3,
            }
        )
        p.init_transactions(10)
        for n in (3, 70):
            p.begin_transaction()
            for i in range(n):
                p.produce("t", value=b"v" * 100, key=b"k%d" % i if n == 3 else None, partition=0)
            p.commit_transaction(10)
        p.flush(10)
        del p
    part = cluster.partition("t", 0)
    data = [b for b in part.batches if not b.is_control]
    assert len(sent) == len(data) == 2
    pid = data[0].producer_id
    for batch, bytes_sent, base, seq, n in zip(data, sent, (0, 4), (0, 3), (3, 70), strict=True):
        assert isinstance(batch, RawRecordBatch)
        assert batch.decoded_records is None  # appended and fetched by nobody: never decoded
        h = struct.unpack_from(codec.HEADER_FORMAT, bytes_sent)
        assert (batch.producer_id, batch.producer_epoch, batch.base_sequence) == (pid, 0, seq)
        assert batch.is_transactional and not batch.is_control
        assert (batch.records_count, batch.last_offset_delta) == (n, n - 1) == (h[12], h[6])
        assert (batch.base_timestamp, batch.max_timestamp) == (h[7], h[8])
        assert (batch.base_offset, batch.partition_leader_epoch) == (base, part.leader_epoch)
        assert batch.size_in_bytes() == len(bytes_sent)
        out = batch.to_bytes()
        assert out == patched(bytes_sent, base, part.leader_epoch)
        assert crc_ok(out) and out[17:21] == bytes_sent[17:21]
        assert [r.offset for r in batch.records] == list(range(base, base + n))
        assert [r.value for r in batch.records] == [b"v" * 100] * n
        twin = codec.decode_batch(out)  # the same bytes decoded again: the same batch
        assert header(twin) == header(batch) and fields(twin) == fields(batch)
    assert [r.key for r in data[0].records] == [b"k0", b"k1", b"k2"]
