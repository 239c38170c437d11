"""Bad frames, unknown APIs and versions, clients that vanish mid-request: the server closes that
one connection (or answers with an error), keeps serving the others, and the cluster is intact."""

from __future__ import annotations

import contextlib
import io
import socket
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kio.schema.api_versions.v0.request import ApiVersionsRequest
from kio.schema.describe_transactions.v0.request import DescribeTransactionsRequest
from kio.schema.describe_transactions.v0.response import DescribeTransactionsResponse
from kio.schema.request_header.v1.header import RequestHeader
from kio.schema.request_header.v2.header import RequestHeader as RequestHeaderV2
from kio.serial import entity_reader, entity_writer

from eoslab import Cluster
from eoslab.client import Producer
from eoslab.wire import WireServer, codec
from tests.conftest import log_layout


def connect(server: WireServer) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    s.settimeout(5)
    return s


def request_frame(api_key: int, version: int, payload: bytes, corr: int = 1, flexible=False):
    buf = io.BytesIO()
    header_type = RequestHeaderV2 if flexible else RequestHeader
    entity_writer(header_type)(
        buf,
        header_type(
            request_api_key=api_key, request_api_version=version, correlation_id=corr, client_id="t"
        ),
    )
    body = buf.getvalue() + payload
    return struct.pack(">i", len(body)) + body


def read_frame(s: socket.socket) -> bytes:
    data = b""
    while len(data) < 4:
        chunk = s.recv(4 - len(data))
        if not chunk:
            return b""
        data += chunk
    size = struct.unpack(">i", data)[0]
    out = b""
    while len(out) < size:
        chunk = s.recv(size - len(out))
        if not chunk:
            return b""
        out += chunk
    return out


def is_closed(s: socket.socket) -> bool:
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, TimeoutError):
        return True


def api_versions_ok(server: WireServer) -> bool:
    s = connect(server)
    s.sendall(request_frame(18, 0, b"", corr=7))
    frame = read_frame(s)
    s.close()
    return frame[:6] == struct.pack(">ih", 7, 0)


def test_api_versions_unknown_version_answers_v0_with_error_35(server: WireServer) -> None:
    s = connect(server)
    s.sendall(request_frame(18, 99, b"", corr=5))
    frame = read_frame(s)
    corr, error, n = struct.unpack_from(">ihi", frame)
    assert (corr, error) == (5, 35)
    table = {struct.unpack_from(">hhh", frame, 10 + 6 * i)[0] for i in range(n)}
    assert {0, 1, 3, 18, 22, 24, 26} <= table
    s.close()


def test_unknown_api_key_and_version_close_only_that_connection(server: WireServer) -> None:
    for key, version in ((999, 0), (0, 0), (1, 99), (57, 0)):
        s = connect(server)
        other = connect(server)
        s.sendall(request_frame(key, version, b""))
        assert is_closed(s)
        other.sendall(request_frame(18, 0, b"", corr=3))
        assert read_frame(other)[:4] == struct.pack(">i", 3)
        other.close()
        s.close()
    assert api_versions_ok(server)


def test_truncated_oversized_and_garbage_frames(cluster: Cluster, server: WireServer) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "tx"})
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()
    before = log_layout(cluster)
    cases = [
        struct.pack(">i", 2**31 - 1),  # oversized
        struct.pack(">i", -5),  # negative size
        struct.pack(">i", 3) + b"abc",  # shorter than a header
        request_frame(3, 8, b"\xff\xff\xff")[:-1],  # payload does not decode
        request_frame(0, 8, b"\x00"),  # produce that does not decode
    ]
    for frame in cases:
        s = connect(server)
        s.sendall(frame)
        assert is_closed(s)
        s.close()
    # a client that disconnects mid-request (header sent, body missing)
    s = connect(server)
    s.sendall(struct.pack(">i", 100) + b"\x00\x03")
    s.close()
    assert api_versions_ok(server)
    assert log_layout(cluster) == before


def test_flexible_admin_api_describe_transactions(cluster: Cluster, server: WireServer) -> None:
    p = Producer({"bootstrap.servers": cluster.bootstrap_servers, "transactional.id": "tx"})
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.flush()
    buf = io.BytesIO()
    entity_writer(DescribeTransactionsRequest)(
        buf, DescribeTransactionsRequest(transactional_ids=("tx", "nope"))
    )
    s = connect(server)
    s.sendall(request_frame(65, 0, buf.getvalue(), corr=9, flexible=True))
    frame = read_frame(s)
    s.close()
    assert frame[:4] == struct.pack(">i", 9)
    response, _ = entity_reader(DescribeTransactionsResponse)(frame, 5)  # header v1: + tags
    states = {t.transactional_id: t for t in response.transaction_states}
    assert states["tx"].transaction_state == "Ongoing"
    assert [(t.topic, tuple(t.partitions)) for t in states["tx"].topics] == [("t", (0,))]
    assert states["nope"].error_code.value == 105


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=300))
def test_fuzz_request_decoder_never_raises_anything_but_frame_error(data: bytes) -> None:
    """Any bytes: parse_header + decode_request either decode or raise FrameError."""
    try:
        header, pos = codec.parse_header(data)
        if codec.request_schema(header.api_key, header.api_version) is not None:
            codec.decode_request(data, header, pos)
    except codec.FrameError:
        pass


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_fuzz_record_batch_decoder(data: bytes) -> None:
    with contextlib.suppress(codec.RecordError):
        codec.decode_batches(data)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    api_key=st.sampled_from([0, 1, 3, 11, 14, 18, 22, 24, 26, 28]),
    version=st.integers(0, 5),
    payload=st.binary(max_size=64),
)
def test_fuzz_frames_over_the_socket(
    cluster: Cluster, server: WireServer, api_key: int, version: int, payload: bytes
) -> None:
    """Random payloads over a real connection never take the server or the log down."""
    s = connect(server)
    s.sendall(request_frame(api_key, version, payload))
    with contextlib.suppress(ConnectionResetError, TimeoutError):
        read_frame(s)
    s.close()
    assert api_versions_ok(server)
    assert all(b.records for b in cluster.partition("t", 0).batches)


def test_record_batch_round_trip_and_crc() -> None:
    from eoslab.broker.records import Record, RecordBatch

    batch = RecordBatch(
        [Record(0, 10, b"k", b"v", (("h", b"x"),)), Record(1, 12, None, b"w")],
        producer_id=7,
        producer_epoch=1,
        base_sequence=3,
        is_transactional=True,
    )
    raw = batch.to_bytes()
    [(decoded, kept)] = codec.decode_batches(raw)
    assert kept == raw
    assert [(r.key, r.value, r.timestamp, r.headers) for r in decoded.records] == [
        (b"k", b"v", 10, (("h", b"x"),)),
        (None, b"w", 12, ()),
    ]
    assert (decoded.producer_id, decoded.producer_epoch, decoded.base_sequence) == (7, 1, 3)
    assert decoded.is_transactional and not decoded.is_control
    corrupt = raw[:-1] + bytes([raw[-1] ^ 1])
    try:
        codec.decode_batches(corrupt)
        raise AssertionError("a bad CRC must be refused")
    except codec.RecordError as e:
        assert e.code == codec.CORRUPT_MESSAGE
    # the server patches the leader's fields outside the CRC
    patched = codec.with_broker_fields(raw, 42, 5)
    assert codec.decode_batches(patched)[0][0].base_offset == 42
    assert ApiVersionsRequest is not None
