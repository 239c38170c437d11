"""Kafka's limits on what a client may ask of the broker, the same in-process and over the wire:
`message.max.bytes`, LogValidator's batch checks, CreateTopics' partition bounds, JoinGroup's group
id and session timeout bounds. Each refused request leaves the cluster as it was."""

from __future__ import annotations

import pytest

from eoslab.broker import Cluster, Errors, Record, RecordBatch
from eoslab.broker.records import RawRecordBatch


def plain(*values: bytes, offsets: list[int] | None = None) -> RecordBatch:
    offs = offsets if offsets is not None else list(range(len(values)))
    return RecordBatch([Record(o, 0, None, v) for o, v in zip(offs, values, strict=True)])


def log_end(cluster: Cluster) -> int:
    return cluster.partition("t", 0).log_end_offset


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.create_topics([("t", 1, 1)])
    return c


# -- message.max.bytes (UnifiedLog.analyzeAndValidateRecords: RecordTooLargeException) ------------
def test_message_max_bytes_is_1048588_by_default_and_inclusive(cluster: Cluster) -> None:
    assert cluster.config["message.max.bytes"] == 1_048_588
    n = 1_048_588 - plain(b"x" * 1_048_000).size_in_bytes() + 1_048_000  # varints: same width
    fits = plain(b"x" * n)
    assert fits.size_in_bytes() == 1_048_588
    r = cluster.produce("t", 0, fits)
    assert (r.error, r.base_offset) == (Errors.NONE, 0)
    too_big = plain(b"x" * (n + 1))
    assert too_big.size_in_bytes() == 1_048_589
    r = cluster.produce("t", 0, too_big)
    assert r.error == Errors.MESSAGE_TOO_LARGE == 10
    assert r.base_offset == -1
    assert "1048589 bytes which exceeds the maximum configured value of 1048588" in r.error_message
    assert log_end(cluster) == 1


def test_message_max_bytes_is_a_broker_setting(cluster: Cluster) -> None:
    small = Cluster(config={"message.max.bytes": 200})
    small.create_topics([("t", 1, 1)])
    assert small.produce("t", 0, plain(b"x" * 300)).error == Errors.MESSAGE_TOO_LARGE
    assert small.produce("t", 0, plain(b"x" * 10)).error == Errors.NONE
    assert small.partition("t", 0).log_end_offset == 1


def test_too_large_transactional_batch_leaves_producer_state_untouched(cluster: Cluster) -> None:
    r = cluster.init_producer_id("tx", 60_000)
    assert cluster.add_partitions_to_txn("tx", r.producer_id, r.producer_epoch, [("t", 0)]) == {
        ("t", 0): Errors.NONE
    }
    big = RecordBatch(
        [Record(0, 0, None, b"x" * 1_100_000)],
        producer_id=r.producer_id,
        producer_epoch=r.producer_epoch,
        base_sequence=0,
        is_transactional=True,
    )
    assert cluster.produce("t", 0, big, "tx").error == Errors.MESSAGE_TOO_LARGE
    p = cluster.partition("t", 0)
    assert (p.log_end_offset, p.first_unstable_offset()) == (0, None)
    assert p.producer_state.entry(r.producer_id) is None
    small = RecordBatch(
        [Record(0, 0, None, b"ok")],
        producer_id=r.producer_id,
        producer_epoch=r.producer_epoch,
        base_sequence=0,  # sequence 0 is still the next one: the refused batch took none
        is_transactional=True,
    )
    assert cluster.produce("t", 0, small, "tx").error == Errors.NONE


# -- LogValidator.validateBatch (INVALID_RECORD, 87) -----------------------------------------------
def test_record_offset_deltas_must_run_from_zero(cluster: Cluster) -> None:
    for offsets in ([0, 2], [1, 2], [0, 0], [1, 0]):
        r = cluster.produce("t", 0, plain(b"a", b"b", offsets=offsets))
        assert r.error == Errors.INVALID_RECORD == 87, offsets
        assert r.base_offset == -1
    assert log_end(cluster) == 0
    assert cluster.produce("t", 0, plain(b"a", b"b")).base_offset == 0


def _raw(count: int, last_delta: int) -> RawRecordBatch:
    """A batch kept as bytes whose header claims `count` records and `last_delta`."""
    import struct

    data = bytearray(plain(b"a", b"b").to_bytes())
    struct.pack_into(">i", data, 23, last_delta)
    struct.pack_into(">i", data, 57, count)
    return RawRecordBatch(bytes(data))


def test_last_offset_delta_must_match_the_record_count(cluster: Cluster) -> None:
    r = cluster.produce("t", 0, _raw(2, 5))
    assert r.error == Errors.INVALID_RECORD
    assert r.error_message == (
        "Inconsistent batch offset range [0, 5] and count of records 2 in t-0"
    )
    r = cluster.produce("t", 0, _raw(2, -1))
    assert r.error == Errors.INVALID_RECORD
    assert r.error_message == "Batch has an invalid offset range: [0, -1] in t-0"
    assert log_end(cluster) == 0
    assert cluster.produce("t", 0, _raw(2, 1)).base_offset == 0


def test_clients_may_not_write_control_batches(cluster: Cluster) -> None:
    batch = plain(b"x")
    batch.is_control = True
    r = cluster.produce("t", 0, batch)
    assert (r.error, r.error_message) == (
        Errors.INVALID_RECORD,
        "Clients are not allowed to write control records in t-0",
    )
    assert log_end(cluster) == 0


def test_a_producer_id_needs_a_base_sequence(cluster: Cluster) -> None:
    batch = RecordBatch([Record(0, 0, None, b"x")], producer_id=7, producer_epoch=0)
    r = cluster.produce("t", 0, batch)
    assert r.error == Errors.INVALID_RECORD
    assert r.error_message == (
        "Invalid sequence number -1 in record batch with producerId 7 in t-0"
    )
    assert log_end(cluster) == 0


def test_a_refused_batch_is_journaled_with_its_error(cluster: Cluster) -> None:
    cluster.produce("t", 0, plain(b"a", b"b", offsets=[0, 7]))
    event = cluster.journal[len(cluster.journal) - 1]
    assert (event.api, event.result) == ("Produce", "INVALID_RECORD")


# -- CreateTopics bounds ---------------------------------------------------------------------------
def test_huge_partition_count_fails_at_once_with_policy_violation(cluster: Cluster) -> None:
    """ReplicationControlManager.validateTotalNumberOfPartitions (KAFKA-17870): more than 10,000
    partitions in one request fail the whole request, before anything is allocated."""
    r = cluster.create_topics([("huge", 2_147_483_647, 1), ("small", 1, 1)])
    assert {n: (x.error, x.error_message) for n, x in r.items()} == {
        "huge": (Errors.POLICY_VIOLATION, "Excessively large number of partitions per request."),
        "small": (Errors.POLICY_VIOLATION, "Excessively large number of partitions per request."),
    }
    assert cluster.list_topics() == ["t"]
    r = cluster.create_topics([("a", 5_000, 1), ("b", 5_001, 1)])
    assert {x.error for x in r.values()} == {Errors.POLICY_VIOLATION}
    r = cluster.create_topics([("a", 10_000, 1)], validate_only=True)
    assert r["a"].error == Errors.NONE


def test_partition_and_replication_factor_bounds(cluster: Cluster) -> None:
    r = cluster.create_topics([("zero", 0, 1), ("neg", -5, 1), ("rf0", 1, 0), ("rf", 1, 32767)])
    assert {n: x.error for n, x in r.items()} == {
        "zero": Errors.INVALID_PARTITIONS,
        "neg": Errors.INVALID_PARTITIONS,
        "rf0": Errors.INVALID_REPLICATION_FACTOR,
        "rf": Errors.INVALID_REPLICATION_FACTOR,
    }
    assert (Errors.INVALID_PARTITIONS, Errors.INVALID_REPLICATION_FACTOR) == (37, 38)
    assert cluster.list_topics() == ["t"]


# -- JoinGroup: group id and session timeout (GroupCoordinator.handleJoinGroup) --------------------
PROTOCOLS = [("range", b"")]


def test_join_group_with_an_empty_group_id_is_invalid(cluster: Cluster) -> None:
    r = cluster.join_group("", "", PROTOCOLS, 10_000, 10_000)
    assert (r.error, r.member_id, r.pending) == (Errors.INVALID_GROUP_ID, "", False)
    assert r.error == 24
    assert cluster.group_coordinator.groups() == []


@pytest.mark.parametrize("session_ms", [0, 5_999, 1_800_001, 2**31 - 1])
def test_session_timeout_outside_the_group_bounds_is_refused(
    cluster: Cluster, session_ms: int
) -> None:
    r = cluster.join_group("g", "", PROTOCOLS, session_ms, 10_000)
    assert (r.error, r.member_id) == (Errors.INVALID_SESSION_TIMEOUT, "")
    assert r.error == 26
    assert cluster.describe_groups(["g"])["g"] is None


@pytest.mark.parametrize("session_ms", [6_000, 1_800_000])
def test_session_timeout_bounds_are_inclusive(cluster: Cluster, session_ms: int) -> None:
    r = cluster.join_group("g", "", PROTOCOLS, session_ms, 10_000)
    assert r.error == Errors.NONE
    assert r.member_id


def test_session_timeout_bounds_are_broker_settings() -> None:
    c = Cluster(config={"group.min.session.timeout.ms": 1000})
    assert c.join_group("g", "", PROTOCOLS, 1000, 10_000).error == Errors.NONE
    assert c.join_group("h", "", PROTOCOLS, 999, 10_000).error == Errors.INVALID_SESSION_TIMEOUT
