"""Kafka's limits over the wire, against `eoslab serve`: the answers Kafka gives to a batch that
lies about its records, a batch over message.max.bytes, a CreateTopics of 2^31-1 partitions, a
JoinGroup without a group id or with a session timeout out of bounds, a Fetch with an unknown
isolation level. Each is refused at once, nothing is appended or created, the connection stays
usable and other clients are served."""

from __future__ import annotations

import struct

import pytest

from eoslab.broker import Record, RecordBatch
from eoslab.real import snapshot

from .served import RawClient, Served, produce_body

ck = pytest.importorskip("confluent_kafka")
TIMEOUT = 10.0


@pytest.fixture(scope="module")
def served(request: pytest.FixtureRequest) -> Served:
    s = Served("--clock", "manual", "--topic", "t:1")
    request.addfinalizer(s.stop)
    return s


@pytest.fixture
def raw(served: Served, request: pytest.FixtureRequest) -> RawClient:
    c = RawClient(served.bootstrap_servers)
    request.addfinalizer(c.close)
    return c


def log_end(served: Served, topic: str = "t") -> int:
    c = ck.Consumer({"bootstrap.servers": served.bootstrap_servers, "group.id": "w"})
    try:
        return c.get_watermark_offsets(ck.TopicPartition(topic, 0), TIMEOUT)[1]
    finally:
        c.close()


def patched(data: bytes, **header: int) -> bytes:
    """A v2 batch with header fields overwritten and its CRC fixed."""
    import crc32c

    out = bytearray(data)
    for name, value in header.items():
        offset = {"last_offset_delta": 23, "records_count": 57}[name]
        struct.pack_into(">i", out, offset, value)
    struct.pack_into(">I", out, 17, crc32c.crc32c(bytes(out[21:])))
    return bytes(out)


def batch_bytes(n: int, offsets: list[int] | None = None, **header: int) -> bytes:
    """A v2 batch of `n` records (offset deltas `offsets`, default 0..n-1), header patched."""
    offs = offsets if offsets is not None else list(range(n))
    data = RecordBatch([Record(o, 1_000, None, b"v%d" % o) for o in offs]).to_bytes()
    return patched(data, **header)


def produce_error(raw: RawClient, records: bytes, topic: str = "t") -> tuple[int, int]:
    r = raw.call(0, 7, produce_body(records, topic))
    p = r.responses[0].partition_responses[0]
    return int(p.error_code), p.base_offset


# -- the lying batch (LogValidator.validateBatch) --------------------------------------------------
@pytest.mark.parametrize(
    "records",
    [
        pytest.param(batch_bytes(3, last_offset_delta=7), id="lastOffsetDelta-past-count"),
        pytest.param(batch_bytes(3, last_offset_delta=1), id="lastOffsetDelta-short"),
        pytest.param(batch_bytes(3, last_offset_delta=-1), id="lastOffsetDelta-negative"),
        pytest.param(batch_bytes(3, [0, 2, 4], last_offset_delta=2), id="offset-deltas-0-2-4"),
        pytest.param(batch_bytes(3, [0, 0, 0], last_offset_delta=2), id="offset-deltas-0-0-0"),
        pytest.param(batch_bytes(3, [0, 1, 1], last_offset_delta=2), id="offset-deltas-0-1-1"),
    ],
)
def test_a_lying_batch_is_invalid_record_and_nothing_is_appended(
    served: Served, raw: RawClient, records: bytes
) -> None:
    before = log_end(served)
    assert produce_error(raw, records) == (87, -1)  # INVALID_RECORD
    assert log_end(served) == before
    assert produce_error(raw, batch_bytes(2)) == (0, before)  # the same connection goes on
    assert log_end(served) == before + 2


def test_a_batch_whose_count_disagrees_with_its_records_is_refused(
    served: Served, raw: RawClient
) -> None:
    before = log_end(served)
    for count in (2, 4):  # 3 records behind a header that claims `count`
        error, base = produce_error(
            raw, batch_bytes(3, last_offset_delta=count - 1, records_count=count)
        )
        assert (error in (2, 87), base) == (True, -1)  # CORRUPT_MESSAGE or INVALID_RECORD
    assert log_end(served) == before


def test_a_control_batch_from_a_client_is_invalid_record(served: Served, raw: RawClient) -> None:
    import crc32c

    data = bytearray(batch_bytes(1))
    data[22] |= 0x20  # the control flag (attributes, low byte)
    struct.pack_into(">I", data, 17, crc32c.crc32c(bytes(data[21:])))
    before = log_end(served)
    assert produce_error(raw, bytes(data)) == (87, -1)
    assert log_end(served) == before


# -- message.max.bytes -------------------------------------------------------------------------------
def test_message_max_bytes_with_confluent_kafka(served: Served) -> None:
    """A 1 MB + 100 B record (librdkafka's own limit raised so the broker decides): the broker
    answers MESSAGE_TOO_LARGE (10), librdkafka reports MSG_SIZE_TOO_LARGE, nothing appended."""
    before = log_end(served)
    reports: list = []
    p = ck.Producer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "message.max.bytes": 2_000_000,
            "log_level": 0,
        }
    )
    p.produce(
        "t", value=b"x" * (1_048_576 + 100), partition=0, on_delivery=lambda e, m: reports.append(e)
    )
    p.flush(TIMEOUT)
    assert len(reports) == 1 and reports[0] is not None
    assert reports[0].code() == ck.KafkaError.MSG_SIZE_TOO_LARGE == 10
    assert log_end(served) == before
    p.produce(
        "t", value=b"small", partition=0, on_delivery=lambda e, m: reports.append((e, m.offset()))
    )
    p.flush(TIMEOUT)
    assert reports[1] == (None, before)


# -- CreateTopics bounds -----------------------------------------------------------------------------
def test_huge_create_topics_fails_at_once_and_memory_stays_small(
    served: Served, raw: RawClient
) -> None:
    """ReplicationControlManager.validateTotalNumberOfPartitions (KAFKA-17870): more than 10,000
    partitions in one CreateTopics fail the request with POLICY_VIOLATION before anything is
    allocated. librdkafka itself refuses more than 100,000, so 2^31-1 goes in a raw request."""
    from confluent_kafka.admin import AdminClient, NewTopic

    body = {
        "topics": [
            {"name": "huge", "num_partitions": 2_147_483_647, "replication_factor": 1},
            {"name": "small", "num_partitions": 1, "replication_factor": 1},
        ],
        "timeout": 5_000,
        "validate_only": False,
    }
    r = raw.call(19, 4, body)
    assert [(t.name, int(t.error_code), t.error_message) for t in r.topics] == [
        ("huge", 44, "Excessively large number of partitions per request."),
        ("small", 44, "Excessively large number of partitions per request."),
    ]
    assert served.rss_bytes() < 300 * 1024 * 1024
    admin = AdminClient({"bootstrap.servers": served.bootstrap_servers, "log_level": 0})
    futures = admin.create_topics(
        [NewTopic("big", num_partitions=100_000, replication_factor=1)], validate_only=True
    )
    with pytest.raises(ck.KafkaException) as info:
        futures["big"].result(TIMEOUT)
    assert info.value.args[0].code() == ck.KafkaError.POLICY_VIOLATION == 44
    futures = admin.create_topics(
        [
            NewTopic("zero", num_partitions=0, replication_factor=1),
            NewTopic("rf", num_partitions=1, replication_factor=2),  # one broker
        ]
    )
    codes = {}
    for name, future in futures.items():
        with pytest.raises(ck.KafkaException) as info:
            future.result(TIMEOUT)
        codes[name] = info.value.args[0].code()
    assert codes == {"zero": 37, "rf": 38}  # INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR
    assert not {"huge", "small", "big", "zero", "rf"} & set(
        admin.list_topics(timeout=TIMEOUT).topics
    )
    assert served.rss_bytes() < 300 * 1024 * 1024


# -- JoinGroup: group id and session timeout ----------------------------------------------------------
def join_body(group_id: str, session_ms: int) -> dict:
    return {
        "group_id": group_id,
        "session_timeout": session_ms,
        "rebalance_timeout": 10_000,
        "member_id": "",
        "group_instance_id": None,
        "protocol_type": "consumer",
        "protocols": [{"name": "range", "metadata": b""}],
    }


def test_join_group_with_an_empty_group_id_is_invalid_group_id(raw: RawClient) -> None:
    r = raw.call(11, 5, join_body("", 10_000))
    assert (int(r.error_code), r.member_id) == (24, "")  # INVALID_GROUP_ID
    assert int(raw.call(18, 0, {}).error_code) == 0  # the connection stays open


@pytest.mark.parametrize("session_ms", [0, 5_999, 1_800_001, 2**31 - 1])
def test_join_group_session_timeout_out_of_bounds(raw: RawClient, session_ms: int) -> None:
    r = raw.call(11, 5, join_body("bounds", session_ms))
    assert int(r.error_code) == 26  # INVALID_SESSION_TIMEOUT
    d = raw.call(15, 0, {"groups": ["bounds"]})
    assert d.groups[0].group_state == "Dead"  # nothing was created


def test_confluent_kafka_consumer_with_a_too_short_session_timeout(served: Served) -> None:
    c = ck.Consumer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "group.id": "short",
            "session.timeout.ms": 5_000,
            "log_level": 0,
        }
    )
    c.subscribe(["t"])
    errors = []
    for _ in range(50):
        m = c.poll(0.1)
        if m is not None and m.error() is not None:
            e = m.error()
            errors.append(
                (e.code(), e.str(), e.fatal(), e.retriable(), m.topic(), m.partition(), m.offset())
            )
            break
    c.close()
    # the same event as eoslab's own consumer gives (tests/client/test_groups.py)
    assert errors == [
        (
            ck.KafkaError.INVALID_SESSION_TIMEOUT,
            "JoinGroup failed: Broker: Invalid session timeout",
            False,
            False,
            None,
            0,
            None,
        )
    ]


# -- Fetch with an unknown isolation level ---------------------------------------------------------
def test_fetch_with_an_unknown_isolation_level_is_a_request_error(raw: RawClient) -> None:
    body = {
        "replica_id": -1,
        "max_wait": 0,
        "min_bytes": 0,
        "max_bytes": 1 << 20,
        "isolation_level": 7,
        "topics": [
            {
                "topic": "t",
                "partitions": [{"partition": 0, "fetch_offset": 0, "partition_max_bytes": 1 << 20}],
            }
        ],
    }
    r = raw.call(1, 11, body)
    assert int(r.error_code) == -1  # UNKNOWN_SERVER_ERROR (IsolationLevel.forId throws)
    partition = r.responses[0].partitions[0]
    assert (int(partition.error_code), partition.records) == (-1, None)
    body["isolation_level"] = 1
    assert int(raw.call(1, 11, body).error_code) == 0
    snap = snapshot(raw.sock.getpeername()[0] + ":" + str(raw.sock.getpeername()[1]), ["t"])
    assert snap.list_topics() == ["t"]
