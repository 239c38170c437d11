"""The server's own bounds: a handler failure becomes Kafka's error response (the connection stays
open, the failure is logged once), a partial frame holds memory for the bytes that arrived (not
for the size it declares), and the cache of encoded batches stays within BATCH_CACHE_BYTES."""

from __future__ import annotations

import logging
import socket
import struct
import time

import pytest

from eoslab import Cluster
from eoslab.broker import Record, RecordBatch
from eoslab.wire import WireServer, codec, handlers
from eoslab.wire import server as server_module

from .served import RawClient, Served, wait_for


def test_a_failing_handler_answers_unknown_server_error_and_keeps_the_connection(
    cluster: Cluster, server: WireServer, monkeypatch, caplog
) -> None:
    def broken(req, ctx):
        raise RuntimeError("a bug")

    monkeypatch.setitem(handlers.HANDLERS, 2, broken)  # ListOffsets
    raw = RawClient(server.bootstrap_servers)
    body = {
        "replica_id": -1,
        "isolation_level": 0,
        "topics": [{"name": "t", "partitions": [{"partition_index": 0, "timestamp": -1}]}],
    }
    with caplog.at_level(logging.ERROR, "eoslab.wire"):
        r = raw.call(2, 5, body)
    p = r.topics[0].partitions[0]
    assert (r.topics[0].name, p.partition_index, int(p.error_code), p.offset) == ("t", 0, -1, -1)
    # logged once (other servers' threads of earlier tests may log their own closing words)
    assert [m for rec in caplog.records if "answering" in (m := rec.getMessage())] == [
        "ListOffsets v5 failed; answering UNKNOWN_SERVER_ERROR"
    ]
    assert server.handler_errors == 1
    assert server.connections_closed_on_error == 0
    assert int(raw.call(18, 0, {}).error_code) == 0  # the same connection goes on
    raw.close()


@pytest.mark.parametrize("api_key", sorted(handlers.HANDLERS))
def test_every_api_has_an_error_response_that_encodes(api_key: int) -> None:
    """Kafka's getErrorResponse for each API: built from a decoded request of every version."""
    from eoslab.wire.errors import error_response

    lo, hi = handlers.VERSIONS[api_key]
    for version in range(lo, hi + 1):
        schema = codec.request_schema(api_key, version)
        request = codec.build(schema, {})
        response = error_response(api_key, request, -1)
        header = codec.RequestHeader(api_key, version, 1, "t")
        frame = codec.encode_response(
            header, codec.build(codec.response_schema(api_key, version), response)
        )
        _, decoded = codec.decode_response(frame[4:], api_key, version)
        if hasattr(decoded, "error_code"):
            assert int(decoded.error_code) == -1


def test_a_partial_frame_costs_what_arrived_not_what_it_declares(
    request: pytest.FixtureRequest,
) -> None:
    """Six connections each declare a 100 MB frame and send 8 MB of it in 64 KB pieces: the
    server holds at most about twice what arrived, 96 MB (it held about five times, 240 MB)."""
    served = Served("--clock", "manual")
    request.addfinalizer(served.stop)
    host, port = served.bootstrap_servers.rsplit(":", 1)
    before = served.rss_bytes()
    chunk = b"\1" * (64 * 1024)  # as a client sends: the buffer grows many times
    socks = []
    for _ in range(6):
        s = socket.create_connection((host, int(port)), timeout=10)
        s.sendall(struct.pack(">i", 100 * 1024 * 1024) + struct.pack(">hhih", 0, 7, 1, -1))
        for _ in range(128):
            s.sendall(chunk)
        socks.append(s)
    time.sleep(0.5)  # let the server read what was sent
    grown = served.rss_bytes() - before
    for s in socks:
        s.close()
    assert grown < 150 * 1024 * 1024, grown
    assert served.alive()
    assert wait_for(lambda: RawClient(served.bootstrap_servers).call(18, 0, {}).error_code == 0, 5)


def test_the_encoded_batch_cache_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(server_module, "BATCH_CACHE_BYTES", 10_000)
    s = WireServer(Cluster(), clock="manual")
    batches = [RecordBatch([Record(0, 0, None, b"x" * 1_000)]) for _ in range(50)]
    encoded = [s.batch_bytes(b) for b in batches]
    assert encoded[7] == batches[7].to_bytes()
    assert s._batch_cache_bytes <= 10_000
    assert len(s._batch_cache) == 10_000 // len(encoded[0])
    assert s.batch_bytes(batches[-1]) is encoded[-1]  # the most recent is still cached
