"""How the server reads frames and answers them: pipelined, split anywhere, large, held, unread.

Requests on one connection are answered one at a time and in order, whatever the way their bytes
arrive; a held answer (a Fetch with nothing to return) holds the requests behind it on that
connection and on that connection only; a client that does not read its answers stops the server
from reading its requests, not from serving others; stop() is clean with requests in flight.
"""

from __future__ import annotations

import select
import socket
import struct
import time
from collections.abc import Callable

import pytest

from eoslab import Cluster
from eoslab.broker.records import RawRecordBatch, Record, RecordBatch
from eoslab.wire import WireServer, codec
from eoslab.wire import server as server_module


def connect(server: WireServer) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    s.settimeout(10)
    return s


def read_frame(s: socket.socket) -> bytes:
    def exactly(n: int) -> bytes:
        out = bytearray()
        while len(out) < n:
            chunk = s.recv(n - len(out))
            if not chunk:
                raise ConnectionError("closed")
            out += chunk
        return bytes(out)

    return exactly(struct.unpack(">i", exactly(4))[0])


def api_versions(corr: int) -> bytes:
    return codec.encode_request(18, 0, corr, "t", {})


def produce(corr: int, batch: RecordBatch, topic: str = "t") -> bytes:
    body = {
        "transactional_id": None,
        "acks": -1,
        "timeout": 5_000,
        "topic_data": [
            {"name": topic, "partition_data": [{"index": 0, "records": batch.to_bytes()}]}
        ],
    }
    return codec.encode_request(0, 7, corr, "t", body)


def fetch(corr: int, offset: int = 0, max_wait_ms: int = 100, max_bytes: int = 1 << 20) -> bytes:
    body = {
        "replica_id": -1,
        "max_wait": max_wait_ms,
        "min_bytes": 1,
        "max_bytes": max_bytes,
        "isolation_level": 0,
        "topics": [
            {
                "topic": "t",
                "partitions": [
                    {"partition": 0, "fetch_offset": offset, "partition_max_bytes": max_bytes}
                ],
            }
        ],
    }
    return codec.encode_request(1, 4, corr, "t", body)


def corr_of(frame: bytes) -> int:
    return struct.unpack_from(">i", frame)[0]


def values(n: int, size: int) -> RecordBatch:
    return RecordBatch([Record(i, 1_000, None, b"%06d" % i + b"v" * size) for i in range(n)])


def wait_until(condition: Callable[[], object]) -> None:
    """Poll a condition another thread makes true; a hang shows as a failure, not a timing."""
    for _ in range(10_000):
        if condition():
            return
        time.sleep(0.001)
    raise AssertionError("the server never got there")


def test_pipelined_requests_in_one_send_are_answered_in_order(server: WireServer) -> None:
    s = connect(server)
    s.sendall(b"".join(api_versions(c) for c in range(1, 51)))
    assert [corr_of(read_frame(s)) for _ in range(50)] == list(range(1, 51))
    s.close()


def test_a_frame_sent_a_byte_at_a_time(server: WireServer) -> None:
    s = connect(server)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    data = api_versions(7) + produce(8, values(3, 10)) + api_versions(9)
    for i in range(len(data)):
        s.send(data[i : i + 1])
        if i % 97 == 0:
            time.sleep(0.001)
    assert [corr_of(read_frame(s)) for _ in range(3)] == [7, 8, 9]
    s.close()


def test_large_frames_are_read_whole(request: pytest.FixtureRequest) -> None:
    cluster = Cluster(config={"message.max.bytes": 8_000_000})  # batches of 4.5 and 5 MB
    cluster.create_topics([("t", 1, 1)])
    server = WireServer(cluster, clock="manual").start()
    request.addfinalizer(server.stop)
    s = connect(server)
    small, big, huge = values(2_000, 100), values(3, 1_500_000), values(1, 5_000_000)
    s.sendall(produce(1, small) + api_versions(2) + produce(3, big) + produce(4, huge))
    answers = [read_frame(s) for _ in range(4)]
    assert [corr_of(a) for a in answers] == [1, 2, 3, 4]
    batches = cluster.partition("t", 0).batches
    assert [b.records_count for b in batches] == [2_000, 3, 1]
    assert all(isinstance(b, RawRecordBatch) for b in batches)
    assert [r.value for r in batches[1].records] == [r.value for r in big.records]
    assert batches[2].records[0].value == huge.records[0].value
    s.sendall(fetch(5, offset=2_000, max_bytes=20_000_000))
    corr, response = codec.decode_response(read_frame(s), 1, 4)
    data = response.responses[0].partitions[0].records
    raws, left = codec.split_batches(data)
    assert (corr, left) == (5, 0)
    assert raws == [batches[1].to_bytes(), batches[2].to_bytes()]
    s.close()


def test_a_held_fetch_holds_its_connection_only(
    cluster: Cluster, request: pytest.FixtureRequest
) -> None:
    server = WireServer(cluster, max_fetch_wait_ms=60_000, clock="manual").start()
    request.addfinalizer(server.stop)
    s = connect(server)
    s.sendall(fetch(1, max_wait_ms=60_000) + api_versions(2))  # nothing to fetch: held a minute
    other = connect(server)
    other.sendall(api_versions(3))
    assert corr_of(read_frame(other)) == 3  # served while the fetch is held
    assert select.select([s], [], [], 0)[0] == []  # the held connection has no answer yet
    # data arriving answers a held fetch at once, and the request behind it follows
    other.sendall(produce(6, values(2, 10)))
    assert corr_of(read_frame(other)) == 6
    corr, response = codec.decode_response(read_frame(s), 1, 4)
    assert corr == 1 and response.responses[0].partitions[0].records
    assert corr_of(read_frame(s)) == 2
    s.close()
    other.close()


def test_a_client_that_does_not_read_its_answers(
    cluster: Cluster, server: WireServer, monkeypatch
) -> None:
    paused = []
    pause = server_module._Connection.pause_writing
    monkeypatch.setattr(
        server_module._Connection, "pause_writing", lambda c: paused.append(1) or pause(c)
    )
    setup = connect(server)
    setup.sendall(produce(1, values(1, 1_000_000)))
    assert corr_of(read_frame(setup)) == 1
    s = connect(server)
    s.sendall(b"".join(fetch(c) for c in range(10, 40)))  # 30 MB of answers nobody reads yet
    wait_until(lambda: paused)
    assert paused  # more than the socket holds: the server stopped writing (and reading) there
    setup.sendall(api_versions(2))  # and still serves everyone else
    assert corr_of(read_frame(setup)) == 2
    got = []
    for _ in range(30):
        corr, response = codec.decode_response(read_frame(s), 1, 4)
        got.append(corr)
        assert len(response.responses[0].partitions[0].records) > 1_000_000
    assert got == list(range(10, 40))
    s.close()
    setup.close()


def test_stop_with_requests_in_flight() -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    server = WireServer(cluster, max_fetch_wait_ms=60_000, clock="manual").start()
    held = connect(server)
    held.sendall(fetch(1, max_wait_ms=60_000) + api_versions(2))
    half = connect(server)
    half.sendall(api_versions(3)[:7])  # a frame cut short
    idle = connect(server)
    wait_until(lambda: len(server._connections) == 3)  # all three accepted, requests in flight
    server.stop()  # does not wait for the held fetch's minute
    for s in (held, half, idle):
        assert s.recv(1) == b""  # closed by the server, nothing answered
        s.close()
    assert cluster.partition("t", 0).log_end_offset == 0
