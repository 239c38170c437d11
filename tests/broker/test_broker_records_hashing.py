"""Record batch v2 and control record formats (§1.1, §1.2); coordinator placement hashing (§3.1)."""

from __future__ import annotations

import struct

import crc32c
import pytest

from eoslab.broker import ControlRecordType, Errors
from eoslab.broker.hashing import java_string_hash, kafka_abs, partition_for
from eoslab.broker.records import RECORD_BATCH_OVERHEAD, RecordBatch

# DefaultRecordBatch header: baseOffset q, batchLength i, partitionLeaderEpoch i, magic b, crc I,
# attributes h, lastOffsetDelta i, baseTimestamp q, maxTimestamp q, producerId q, producerEpoch h,
# baseSequence i, recordsCount i  -> 61 bytes
HEADER = struct.Struct(">qiibIhiqqqhii")


def _header(raw: bytes) -> dict:
    names = [
        "base_offset",
        "batch_length",
        "partition_leader_epoch",
        "magic",
        "crc",
        "attributes",
        "last_offset_delta",
        "base_timestamp",
        "max_timestamp",
        "producer_id",
        "producer_epoch",
        "base_sequence",
        "records_count",
    ]
    return dict(zip(names, HEADER.unpack_from(raw), strict=True))


def _marker_cluster(kit, raw_producer, commit: bool):
    cluster = kit.cluster()
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.end(commit) == Errors.NONE
    return cluster.partition("t", 0)


@pytest.mark.parametrize(
    ("commit", "key"),
    [(True, b"\x00\x00\x00\x01"), (False, b"\x00\x00\x00\x00")],
    ids=["COMMIT", "ABORT"],
)
def test_control_batch_format(kit, raw_producer, commit, key):
    """§1.1/§1.2: one record; key version 0 + type (COMMIT 1, ABORT 0); value 00 00 + coordEpoch;
    baseSequence -1; attributes 0x30 (transactional + control); the txn's pid and epoch."""
    p = _marker_cluster(kit, raw_producer, commit)
    marker = p.batches[1]
    assert marker.is_control and marker.is_transactional
    assert marker.control_type == (ControlRecordType.COMMIT if commit else ControlRecordType.ABORT)
    assert len(marker.records) == 1
    record = marker.records[0]
    assert record.key == key
    assert record.value == b"\x00\x00" + struct.pack(">i", 0)
    assert (len(record.key), len(record.value)) == (4, 6)  # dump-log: keysize 4, valuesize 6
    raw = marker.to_bytes()
    h = _header(raw)
    assert h == {
        "base_offset": 1,
        "batch_length": len(raw) - 12,
        "partition_leader_epoch": 0,
        "magic": 2,
        "crc": crc32c.crc32c(raw[21:]),
        "attributes": 0x30,
        "last_offset_delta": 0,
        "base_timestamp": 0,
        "max_timestamp": 0,
        "producer_id": 0,
        "producer_epoch": 0,
        "base_sequence": -1,
        "records_count": 1,
    }
    assert marker.last_sequence == -1
    # record: length 16, attributes 0, ts delta 0, offset delta 0, key (len 4), value (len 6), 0 headers
    assert raw[RECORD_BATCH_OVERHEAD:] == (
        bytes([0x20, 0, 0, 0, 0x08]) + key + bytes([0x0C]) + record.value + b"\x00"
    )
    assert len(raw) == marker.size_in_bytes() == 78


def test_marker_value_carries_the_coordinator_epoch(kit):
    """§1.2: value = version int16 (0) + coordinator_epoch int32."""
    cluster = kit.cluster(config={"transaction.partition.verification.enable": False})
    cluster.produce("t", 0, kit.txn(4, 2, 0, "a"), transactional_id="x")
    assert cluster.write_txn_markers("t", 0, 4, 2, False, 258) == Errors.NONE
    marker = cluster.partition("t", 0).batches[-1]
    assert marker.records[0].value == bytes.fromhex("000000000102")
    assert marker.coordinator_epoch == 258
    h = _header(marker.to_bytes())
    assert (h["producer_id"], h["producer_epoch"], h["attributes"]) == (4, 2, 0x30)


@pytest.mark.parametrize(
    ("batch_kind", "attributes", "pid", "epoch", "seq"),
    [("transactional", 0x10, 0, 0, 0), ("idempotent", 0x00, 0, 0, 0), ("plain", 0x00, -1, -1, -1)],
)
def test_data_batch_attributes_and_producer_fields(kit, batch_kind, attributes, pid, epoch, seq):
    """§1.1: isTransactional is bit 4 (0x10); plain batches carry pid -1, epoch -1, seq -1."""
    cluster = kit.cluster(config={"transaction.partition.verification.enable": False})
    batch = {
        "transactional": kit.txn(0, 0, 0, "a", "bb", "ccc", ts=5),
        "idempotent": kit.batch(0, 0, 0, "a", "bb", "ccc", ts=5),
        "plain": kit.plain("a", "bb", "ccc", ts=5),
    }[batch_kind]
    r = cluster.produce("t", 0, batch, transactional_id="x")
    assert (r.error, r.base_offset) == (Errors.NONE, 0)
    batch = cluster.partition("t", 0).batches[0]  # the log's own copy, offsets assigned
    raw = batch.to_bytes()
    h = _header(raw)
    assert (h["base_offset"], h["partition_leader_epoch"]) == (0, 0)
    assert h["attributes"] == attributes == batch.attributes
    assert (h["producer_id"], h["producer_epoch"], h["base_sequence"]) == (pid, epoch, seq)
    assert (h["records_count"], h["last_offset_delta"]) == (3, 2)
    assert (h["base_timestamp"], h["max_timestamp"], h["magic"]) == (5, 5, 2)
    assert h["crc"] == crc32c.crc32c(raw[21:]) == batch.crc
    assert h["batch_length"] == len(raw) - 12
    assert len(raw) == batch.size_in_bytes()
    assert batch.last_sequence == (2 if seq == 0 else -1)


@pytest.mark.parametrize(
    "values",
    [[b""], [b"x" * 200], [None], [b"k" * 70, b"v" * 300, b"", None]],
    ids=["empty", "varint-2-bytes", "null-value", "mixed"],
)
def test_to_bytes_length_equals_size_in_bytes_and_crc_covers_attributes_to_end(values):
    """§1.1: crc is CRC-32C over attributes..end (bytes[21:]); size_in_bytes is the exact size."""
    from eoslab.broker.records import Record

    batch = RecordBatch(
        [Record(i, 1_000 + i, b"key" if i % 2 else None, v) for i, v in enumerate(values)],
        producer_id=7,
        producer_epoch=3,
        base_sequence=11,
        is_transactional=True,
        base_offset=42,
    )
    raw = batch.to_bytes()
    assert len(raw) == batch.size_in_bytes()
    assert struct.unpack_from(">I", raw, 17)[0] == crc32c.crc32c(raw[21:]) == batch.crc
    h = _header(raw)
    assert (h["base_offset"], h["partition_leader_epoch"]) == (42, -1)  # not yet appended
    assert h["max_timestamp"] == 1_000 + len(values) - 1
    assert batch.last_sequence == 11 + len(values) - 1
    # partitionLeaderEpoch is not covered by the CRC
    batch.partition_leader_epoch = 9
    assert batch.crc == crc32c.crc32c(raw[21:])


# -- §3.1 hashing and FindCoordinator -------------------------------------------------------------
def test_java_string_hash_of_book_transactional_id():
    """§3.1: "peter-transaction-01".hashCode() == -622368463."""
    assert java_string_hash("peter-transaction-01") == -622368463


@pytest.mark.parametrize(
    ("key", "partition"),
    [("peter-transaction-01", 13), ("my-transactional-id", 46), ("tx-1", 20), ("txn-a", 8)],
)
def test_transactional_id_partitions(key, partition):
    """§3.1: abs(hashCode) % 50 -> 13 / 46 / 20 / 8."""
    assert partition_for(key, 50) == partition


@pytest.mark.parametrize(("group", "partition"), [("g", 3), ("peter-consumer-01", 21)])
def test_group_partitions(group, partition):
    """§3.1: group offsets partition: "g" -> 3, "peter-consumer-01" -> 21."""
    assert partition_for(group, 50) == partition


def test_utils_abs_of_integer_min_value_is_zero():
    """§3.1: Utils.abs(Integer.MIN_VALUE) = 0 ("polygenelubricants".hashCode() is MIN_VALUE)."""
    assert kafka_abs(-(2**31)) == 0
    assert java_string_hash("polygenelubricants") == -(2**31)
    assert partition_for("polygenelubricants", 50) == 0


def test_java_string_hash_uses_utf16_code_units():
    """§3.1: h = 31*h + UTF-16 code unit (a non-BMP character counts as two surrogates)."""
    assert java_string_hash("é") == 0xE9
    assert java_string_hash("\U0001f600") == 31 * 0xD83D + 0xDE00


@pytest.mark.parametrize(
    ("key", "key_type", "partition"),
    [
        ("peter-transaction-01", "transaction", 13),
        ("my-transactional-id", "transaction", 46),
        ("tx-1", "transaction", 20),
        ("txn-a", "transaction", 8),
        ("g", "group", 3),
        ("peter-consumer-01", "group", 21),
    ],
)
def test_find_coordinator_returns_the_key_partition(kit, key, key_type, partition):
    """§3.1: FindCoordinator returns the leader of the key's internal partition (one broker: 1)."""
    cluster = kit.cluster()
    r = cluster.find_coordinator(key, key_type)
    assert (r.error, r.node_id, r.partition) == (Errors.NONE, 1, partition)
    event = cluster.journal[-1]
    assert (event.api, event.result) == ("FindCoordinator", f"NONE node 1 (partition {partition})")
    internal = "__transaction_state" if key_type == "transaction" else "__consumer_offsets"
    assert len(cluster.topics[internal].partitions) == 50


@pytest.mark.parametrize(("key", "key_type"), [("", "transaction"), ("g", "broker")])
def test_find_coordinator_invalid_request(kit, key, key_type):
    """§3.1 FindCoordinator: an empty key or an unknown key type -> INVALID_REQUEST."""
    cluster = kit.cluster()
    assert cluster.find_coordinator(key, key_type).error == Errors.INVALID_REQUEST


def test_transactional_id_records_land_on_its_partition(kit, raw_producer):
    """§3.1/§3.3: "peter-transaction-01" writes to __transaction_state-13, nowhere else."""
    cluster = kit.cluster()
    raw_producer(cluster, "peter-transaction-01").init()
    written = {
        p.index: p.log_end_offset
        for p in cluster.topics["__transaction_state"].partitions
        if p.log_end_offset
    }
    assert written == {13: 1}


def test_control_record_parsing_rules():
    """§1.2: higher versions parse as version 0; negative versions are corruption; unknown types
    map to -1 (UNKNOWN) and end no transaction."""
    from eoslab.broker.records import parse_control_key, parse_end_txn_marker_value

    assert parse_control_key(bytes.fromhex("00010001")) == ControlRecordType.COMMIT
    assert parse_control_key(bytes.fromhex("00070000")) == ControlRecordType.ABORT
    assert parse_control_key(bytes.fromhex("00000007")) == ControlRecordType.UNKNOWN == -1
    assert parse_end_txn_marker_value(bytes.fromhex("000300000005")) == 5
    with pytest.raises(ValueError):
        parse_control_key(bytes.fromhex("ffff0001"))
    with pytest.raises(ValueError):
        parse_end_txn_marker_value(bytes.fromhex("ffff00000005"))
