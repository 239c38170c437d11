"""log_dump and record fates: exact rows for the golden scenarios (reference §12)."""

from __future__ import annotations

import struct

from eoslab.broker.offsets_log import GroupMember, GroupMetadataValue, group_metadata_value
from eoslab.broker.partition import Partition
from eoslab.broker.records import ControlRecordType, Record, RecordBatch
from eoslab.views import batch_fates, log_dump
from eoslab.views.internal_topics import decode_record
from eoslab.views.log_dump import COLUMNS
from tests.conftest import txn_producer
from tests.views.scenarios import fresh, g1, g3, g5, g14, rows


def test_columns_are_the_issues_list() -> None:
    assert list(log_dump(g1(), "t", 0).columns) == list(COLUMNS)


def test_g1_committed_data_then_commit_marker() -> None:
    """G1: offset 0 committed data (pid 0, epoch 0, seq 0); offset 1 COMMIT (coordinator epoch 0)."""
    assert rows(log_dump(g1(), "t", 0)) == [
        (0, 0, 0, 0, 0, 0, 0, True, False, "", None, 0, None, "a", "committed"),
        (1, 1, 1, 0, 0, -1, -1, True, True, "COMMIT", 0, 0, None, None, "marker"),
    ]


def test_g3_aborted_data_then_abort_marker() -> None:
    assert rows(log_dump(g3(), "t", 0)) == [
        (0, 0, 0, 0, 0, 0, 0, True, False, "", None, 0, None, "a", "aborted"),
        (1, 1, 1, 0, 0, -1, -1, True, True, "ABORT", 0, 0, None, None, "marker"),
    ]


def test_g5_open_transaction_and_a_plain_record() -> None:
    cluster, *_ = g5()
    assert rows(log_dump(cluster, "t", 0)) == [
        (0, 0, 0, 0, 0, 0, 0, True, False, "", None, 0, None, "a", "open"),
        (1, 1, 1, -1, -1, -1, -1, False, False, "", None, 0, None, "x", "non-transactional"),
    ]


def test_g14_zombie_data_aborted_at_the_bumped_epoch() -> None:
    """G14: A's "a" is aborted by a marker at epoch 1; B's "b" is epoch 2, sequence 0."""
    columns = ["offset", "producer_id", "producer_epoch", "sequence", "marker", "value", "fate"]
    assert rows(log_dump(g14(), "t", 0), columns) == [
        (0, 0, 0, 0, "", "a", "aborted"),
        (1, 0, 1, -1, "ABORT", None, "marker"),
        (2, 0, 2, 0, "", "b", "committed"),
        (3, 0, 2, -1, "COMMIT", None, "marker"),
    ]


def test_multi_record_batches_give_each_record_its_sequence() -> None:
    cluster = fresh()
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    for v in ("a", "b", "c"):
        p.produce("t", value=v, key=v.upper())
    p.commit_transaction()
    df = log_dump(cluster, "t", 0)
    assert rows(df, ["offset", "base_offset", "last_offset", "sequence", "key", "value"]) == [
        (0, 0, 2, 0, "A", "a"),
        (1, 0, 2, 1, "B", "b"),
        (2, 0, 2, 2, "C", "c"),
        (3, 3, 3, -1, None, None),
    ]


def test_empty_partition_gives_an_empty_frame() -> None:
    df = log_dump(fresh(), "t", 0)
    assert len(df) == 0 and list(df.columns) == list(COLUMNS)


ABORT, COMMIT = ControlRecordType.ABORT, ControlRecordType.COMMIT
# UnifiedLogTest.testTransactionIndexUpdated (reference §4.3): (producer id, records or marker);
# producer id -1 is a plain producer. Producers 1 and 2 abort, 3 and 4 commit.
INDEX_TEST_LOG = [
    (1, 5), (-1, 3), (2, 2), (1, 4), (3, 3), (-1, 2), (1, 10), (1, ABORT), (2, 6), (4, 3),
    (-1, 10), (3, 9), (3, COMMIT), (4, 8), (2, 7), (2, ABORT), (-1, 10), (4, 4), (4, COMMIT),
]  # fmt: skip
INDEX_TEST_FATES = {1: "aborted", 2: "aborted", 3: "committed", 4: "committed"}


def test_fates_pair_each_producer_with_its_own_later_marker() -> None:
    p = Partition("t", 0)
    sequences: dict[int, int] = {}
    expected: list[str] = []
    for pid, what in INDEX_TEST_LOG:
        if isinstance(what, ControlRecordType):
            p.append_end_txn_marker(pid, 0, what, 0, 0)
            expected.append("marker")
            continue
        records = [Record(j, 0, None, b"v") for j in range(what)]
        if pid < 0:
            p.append_as_leader(RecordBatch(records), 0)
        else:
            seq = sequences.get(pid, 0)
            sequences[pid] = seq + what
            p.append_as_leader(RecordBatch(records, pid, 0, seq, is_transactional=True), 0)
        expected += [INDEX_TEST_FATES.get(pid, "non-transactional")] * what
    fates = [f for b, f in zip(p.batches, batch_fates(p.batches), strict=True) for _ in b.records]
    assert fates == expected
    index = [(a.producer_id, a.first_offset, a.last_offset, a.last_stable_offset)
             for a in p.txn_index.all()]  # fmt: skip
    assert index == [(1, 0, 29, 8), (2, 8, 74, 36)]  # the reference's index entries


def test_transaction_state_partition_is_decoded() -> None:
    """The coordinator's records read like TransactionLogMessageFormatter's output."""
    cluster = g1()
    partition = cluster.txn_coordinator.partition_for("tx")
    df = log_dump(cluster, "__transaction_state", partition)
    assert rows(df, ["offset", "key", "txn_state", "txn_producer_epoch", "txn_partitions"]) == [
        (0, "tx", "Empty", 0, None),
        (1, "tx", "Ongoing", 0, ("t-0",)),
        (2, "tx", "PrepareCommit", 0, ("t-0",)),
        (3, "tx", "CompleteCommit", 0, ()),
    ]
    assert set(df["fate"]) == {"non-transactional"}
    assert df["value"][1] == (
        "TransactionMetadata(transactionalId=tx, producerId=0, producerEpoch=0, "
        "txnTimeoutMs=60000, state=Ongoing, pendingState=None, topicPartitions=Set(t-0), "
        "txnStartTimestamp=0, txnLastUpdateTimestamp=0)"
    )
    assert "topicPartitions=null" in df["value"][0]


def _string(s: str) -> bytes:
    return struct.pack(">h", len(s)) + s.encode()


def test_consumer_offsets_records_are_decoded_with_kafkas_layouts() -> None:
    key = struct.pack(">h", 1) + _string("g") + _string("in") + struct.pack(">i", 0)
    value = struct.pack(">hqi", 3, 3, -1) + _string("") + struct.pack(">q", 1234)
    key_text, value_text, extra = decode_record("__consumer_offsets", key, value)
    assert key_text == "[g,in,0]"
    assert value_text.startswith("OffsetAndMetadata(offset=3, leaderEpoch=Optional.empty")
    assert extra == {"group": "g", "topic_partition": "in-0", "committed_offset": 3}
    group_key = struct.pack(">h", 2) + _string("g")
    member = GroupMember("m-1", None, "consumer-1", 300_000, 45_000, b"", b"")
    value = group_metadata_value(GroupMetadataValue("consumer", 1, "range", "m-1", 0, (member,)))
    assert decode_record("__consumer_offsets", group_key, value) == (
        "g",
        "GroupMetadata(protocolType=consumer, generation=1, protocol=range, leader=m-1, "
        "members=[consumer-1:m-1])",
        {"group": "g", "topic_partition": None, "committed_offset": None},
    )
    assert decode_record("__consumer_offsets", group_key, None)[1] == "<DELETE>"


def test_undecodable_internal_records_fall_back_to_bytes() -> None:
    assert decode_record("__consumer_offsets", b"\x00\x09zz", b"\xff") == (
        "\x00\tzz",
        "b'\\xff'",
        {},
    )
