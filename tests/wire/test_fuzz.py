"""A bounded fuzz of `eoslab serve` (>= 2,000 cases, seeded): random bytes, truncated frames,
extreme length prefixes, unknown APIs and versions, garbage bodies for every API and version, and
corrupt record batches. Each case is one connection: the bytes are sent, the client half-closes,
and whatever the server answers is read until it closes.

After each class of cases: the server is alive and logged no handler failure, a confluent-kafka
producer and consumer still round-trip a record at the offset that follows the log, and the log
holds no record of a refused batch (every fuzz batch carries a FUZZ value) and no gap.

EOSLAB_FUZZ_SEED picks another seed, EOSLAB_FUZZ_SCALE multiplies the number of cases."""

from __future__ import annotations

import os
import random
import socket
import struct

import crc32c
import pytest

from eoslab.broker import Record, RecordBatch
from eoslab.real import snapshot
from eoslab.wire import API_VERSIONS, codec

from .served import Served, produce_body

ck = pytest.importorskip("confluent_kafka")
SEED = int(os.environ.get("EOSLAB_FUZZ_SEED", "20261203"))
SCALE = float(os.environ.get("EOSLAB_FUZZ_SCALE", "1"))  # 1: about 4,500 cases
TIMEOUT = 10.0


def n(count: int) -> int:
    return max(1, int(2 * count * SCALE))


@pytest.fixture(scope="module")
def served(request: pytest.FixtureRequest) -> Served:
    s = Served("--clock", "wall", "--topic", "t:1")
    request.addfinalizer(s.stop)
    return s


def send_case(served: Served, data: bytes) -> bytes:
    """Send `data` on a fresh connection, half-close, read what comes back until the server
    closes (it closes on EOF, answering what it could first)."""
    host, port = served.bootstrap_servers.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.settimeout(5)
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            return b""  # closed on an early frame: fine
        out = bytearray()
        try:
            while chunk := s.recv(65536):
                out += chunk
        except ConnectionResetError:
            pass
        return bytes(out)


def header(api_key: int, version: int, corr: int = 1, client_id: bytes = b"fuzz") -> bytes:
    return struct.pack(">hhih", api_key, version, corr, len(client_id)) + client_id


def framed(payload: bytes) -> bytes:
    return struct.pack(">i", len(payload)) + payload


def fuzz_batch(rng: random.Random, count: int) -> bytes:
    records = [Record(i, 1_000 + i, None, b"FUZZ-%d" % rng.randrange(10**9)) for i in range(count)]
    return RecordBatch(records).to_bytes()


def fix_crc(data: bytearray) -> bytes:
    struct.pack_into(">I", data, 17, crc32c.crc32c(bytes(data[21:])))
    return bytes(data)


def corrupt_batch(rng: random.Random) -> bytes:
    """A v2 batch made invalid in one of the ways Kafka checks (each is certain to be invalid)."""
    count = rng.randint(1, 5)
    data = bytearray(fuzz_batch(rng, count))
    kind = rng.choice(
        ["crc", "magic", "length", "delta", "count", "record-delta", "cut", "control"]
    )
    if kind == "crc":
        data[17 + rng.randrange(4)] ^= 1 << rng.randrange(8)
        return bytes(data)
    if kind == "magic":
        data[16] = rng.choice([0, 1, 3, 255])
        return bytes(data)
    if kind == "length":
        struct.pack_into(
            ">i", data, 8, rng.choice([-1, 0, 48, len(data) - 13, len(data), 2**31 - 1])
        )
        return bytes(data)
    if kind == "delta":
        struct.pack_into(
            ">i",
            data,
            23,
            rng.choice([d for d in (-1, 0, count, count + 5, 2**31 - 1) if d != count - 1]),
        )
        return fix_crc(data)
    if kind == "count":
        wrong = rng.choice([c for c in (0, -1, count - 1, count + 1, 2**31 - 1) if c != count])
        struct.pack_into(">i", data, 57, wrong)
        struct.pack_into(">i", data, 23, wrong - 1)
        return fix_crc(data)
    if kind == "record-delta" and count > 1:
        # record 1: length, attributes, timestamp delta (1 byte each here), then its offset delta
        pos = 61 + 1 + data[61] // 2  # after record 0 (its length is a one-byte varint)
        data[pos + 3] = rng.choice([0, 4, 6, 8])  # zig-zag of 0, 2, 3, 4: never 1
        return fix_crc(data)
    if kind == "cut":
        return bytes(data[: rng.randrange(17, len(data))])
    data[22] |= 0x20  # control (and, for record-delta of a single record, the fallback)
    return fix_crc(data)


def produce_frame(records: bytes, version: int, corr: int) -> bytes:
    return codec.encode_request(0, version, corr, "fuzz", produce_body(records))


def valid_frames(rng: random.Random) -> list[bytes]:
    """Well-formed requests of several APIs, to be cut short."""
    return [
        codec.encode_request(18, 0, 1, "fuzz", {}),
        codec.encode_request(
            3, 8, 2, "fuzz", {"topics": [{"name": "t"}], "allow_auto_topic_creation": False}
        ),
        produce_frame(fuzz_batch(rng, 3), 7, 3),
        codec.encode_request(
            11,
            5,
            4,
            "fuzz",
            {
                "group_id": "fz",
                "session_timeout": 10_000,
                "rebalance_timeout": 10_000,
                "member_id": "",
                "protocol_type": "consumer",
                "protocols": [{"name": "range", "metadata": b""}],
            },
        ),
    ]


# -- the classes -----------------------------------------------------------------------------------
def random_bytes(rng: random.Random) -> list[bytes]:
    return [rng.randbytes(rng.randrange(0, 300)) for _ in range(n(300))]


def truncated_frames(rng: random.Random) -> list[bytes]:
    frames = valid_frames(rng)
    cases = []
    for _ in range(n(300)):
        f = rng.choice(frames)
        cases.append(f[: rng.randrange(0, len(f))])
    return cases


def extreme_length_prefixes(rng: random.Random) -> list[bytes]:
    sizes = [0, 1, 9, -1, -(2**31), 2**31 - 1, 100 * 1024 * 1024, 100 * 1024 * 1024 + 1]
    cases = []
    for _ in range(n(150)):
        size = rng.choice(sizes)
        body = header(18, 0) + rng.randbytes(rng.randrange(0, 64))
        cases.append(struct.pack(">i", size) + body)
    return cases


def unknown_apis_and_versions(rng: random.Random) -> list[bytes]:
    known = {k: (lo, hi) for k, _, lo, hi in API_VERSIONS}
    cases = []
    for _ in range(n(300)):
        key = rng.choice([rng.randrange(-5, 120), 32767, -32768, *known])
        if key in known:
            lo, hi = known[key]
            version = rng.choice([lo - 1, hi + 1, hi + 7, -1, 32767, -32768])
        else:
            version = rng.randrange(-2, 20)
        cases.append(framed(header(key, version) + rng.randbytes(rng.randrange(0, 40))))
    return cases


def garbage_bodies(rng: random.Random) -> list[bytes]:
    cases = []
    per_version = max(1, n(10))
    for key, _, lo, hi in API_VERSIONS:
        for version in range(lo, hi + 1):
            schema = codec.request_schema(key, version)
            flexible = bool(schema is not None and schema.__flexible__)
            for _ in range(per_version):
                body = rng.randbytes(rng.randrange(0, 120))
                tagged = b"\0" if flexible and rng.random() < 0.7 else b""
                cases.append(framed(header(key, version) + tagged + body))
    return cases


def corrupt_batches(rng: random.Random) -> list[bytes]:
    cases = []
    for i in range(n(400)):
        records = corrupt_batch(rng)
        if rng.random() < 0.2:  # a good batch followed by a bad one: all or nothing
            records = fuzz_batch(rng, 2) + records
        cases.append(produce_frame(records, rng.randint(3, 8), i))
    return cases


CLASSES = [
    random_bytes,
    truncated_frames,
    extreme_length_prefixes,
    unknown_apis_and_versions,
    garbage_bodies,
    corrupt_batches,
]


def healthy(served: Served, round_: int) -> None:
    """The server is alive and logged no failure; confluent-kafka round-trips a record; the log
    holds every record once, in order, and no record of a refused batch."""
    assert served.alive()
    assert served.logged() == ""
    snap = snapshot(served.bootstrap_servers, ["t"])
    end = snap.partition("t", 0).high_watermark
    p = ck.Producer({"bootstrap.servers": served.bootstrap_servers, "log_level": 0})
    reports: list = []
    p.produce(
        "t",
        value=b"check-%d" % round_,
        partition=0,
        on_delivery=lambda e, m: reports.append((e, m.offset())),
    )
    assert p.flush(TIMEOUT) == 0
    assert reports == [(None, end)]
    c = ck.Consumer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "group.id": f"check-{round_}",
            "isolation.level": "read_uncommitted",
            "log_level": 0,
        }
    )
    c.assign([ck.TopicPartition("t", 0, 0)])
    seen: list[tuple[int, bytes]] = []
    for _ in range(200):
        m = c.poll(0.05)
        if m is not None and m.error() is None:
            seen.append((m.offset(), m.value()))
        if seen and seen[-1][0] == end:
            break
    c.close()
    assert [o for o, _ in seen] == list(range(end + 1))  # no gap, nothing twice
    assert [v for _, v in seen] == [b"check-%d" % r for r in range(round_ + 1)]  # no FUZZ


def test_fuzz_every_class_then_a_client_still_works(served: Served) -> None:
    rng = random.Random(SEED)
    healthy(served, 0)
    total = 0
    for round_, make in enumerate(CLASSES, start=1):
        cases = make(rng)
        for data in cases:
            send_case(served, data)
        total += len(cases)
        healthy(served, round_)
    assert total >= 2_000 * min(SCALE, 1)  # the CI floor of the issue


def test_an_array_count_past_the_frame_closes_only_that_connection(served: Served) -> None:
    """kio's native reader reserves memory for a declared array count before reading: 2^35
    elements in 12 bytes once aborted the whole server. The count is checked against the frame."""
    body = b"\0" + b"\x86\xcb\xa1\x87\x48" + b"\0" * 6  # ListTransactions v0: state_filters
    assert send_case(served, framed(header(66, 0) + body)) == b""  # closed, nothing answered
    legacy = struct.pack(">i", 2**31 - 1) + b"\0" * 8  # CreateTopics v4: topics
    assert send_case(served, framed(header(19, 4) + legacy)) == b""
    answer = send_case(served, codec.encode_request(18, 0, 9, "fuzz", {}))
    assert answer[4:10] == struct.pack(">ih", 9, 0)  # ApiVersions still answered
    assert served.alive()
    assert served.logged() == ""
