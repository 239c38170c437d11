"""The same script run by eoslab's client in process and by confluent_kafka 2.16.1 (librdkafka)
over the wire against an eoslab cluster: the edges of the second fidelity pass read the same.

librdkafka's own mock cluster has no LSO and no timestamp index, so only this pairing shows
librdkafka's client rules (rdkafka_partition.c, rdkafka_fetcher.c, rdkafka_cgrp.c) on Kafka's
broker rules (Partition.fetchOffsetForTimestamp, UnifiedLog.lastStableOffset) together.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

import eoslab.client as eoslab_client
from eoslab import Cluster
from eoslab.wire import WireServer

confluent_kafka = pytest.importorskip("confluent_kafka")

WALL_S = 20.0  # slack for a loaded machine; a passing confluent_kafka run takes ~2 s


def poll_until(c, want, limit_s: float = WALL_S):
    """Poll until `want(message)` holds; None if it never does."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        m = c.poll(0.1)
        if m is not None and want(m):
            return m
    return None


def script(lib, bootstrap: str, settle_s: float) -> dict:
    """The observations a learner would make, as plain values."""
    TopicPartition, KafkaException = lib.TopicPartition, lib.KafkaException
    seen: dict = {}
    p = lib.Producer({"bootstrap.servers": bootstrap})
    for i in range(10):
        p.produce("t", value=str(i).encode(), partition=0, timestamp=100 + 10 * i)
    assert p.flush(10) == 0
    with pytest.raises(KafkaException) as excinfo:
        p.produce("t", value=b"x" * 2_000_000)
    seen["too_large"] = (excinfo.value.args[0].code(), excinfo.value.args[0].str())
    tx = lib.Producer({"bootstrap.servers": bootstrap, "transactional.id": "tx"})
    tx.init_transactions(10)
    tx.begin_transaction()
    tx.produce("t", value=b"open", partition=0, timestamp=500)
    tx.produce("e", value=b"a", partition=0)
    tx.produce("e", value=b"b", partition=0)
    assert tx.flush(10) == 0

    conf = {"bootstrap.servers": bootstrap, "group.id": "g", "enable.auto.commit": False}
    rc = lib.Consumer({**conf, "isolation.level": "read_committed"})
    ru = lib.Consumer({**conf, "isolation.level": "read_uncommitted"})
    for name, c in (("oft_rc", rc), ("oft_ru", ru)):
        seen[name] = [
            c.offsets_for_times([TopicPartition("t", 0, ts)], 10)[0].offset
            for ts in (0, 155, 300, 500)
        ]
    # one partition listed twice: librdkafka asks once, with the last timestamp, for both
    asked = [TopicPartition("t", 0, 0), TopicPartition("t", 0, 500)]
    seen["oft_twice"] = [tp.offset for tp in ru.offsets_for_times(asked, 10)]

    # position() after seek()
    tp = TopicPartition("t", 0)
    ru.assign([TopicPartition("t", 0, 0)])
    got = []
    while len(got) < 6:
        m = poll_until(ru, lambda m: m.error() is None)
        got.append(m.offset())
    seen["read"] = got
    seen["position_read"] = ru.position([tp])[0].offset
    ru.seek(TopicPartition("t", 0, 2))
    seen["position_seek"] = ru.position([tp])[0].offset
    seen["after_seek"] = poll_until(ru, lambda m: m.error() is None).offset()
    seen["position_next"] = ru.position([tp])[0].offset

    # commit of a logical offset after committing 2
    ru.commit(offsets=[TopicPartition("t", 0, 2)], asynchronous=False)
    with pytest.raises(KafkaException) as excinfo:
        ru.commit(offsets=[TopicPartition("t", 0, -1001)], asynchronous=False)
    seen["commit_invalid"] = (excinfo.value.args[0].code(), excinfo.value.args[0].str())
    seen["committed"] = ru.committed([tp], 10)[0].offset

    # read_committed EOF: not at offset 2 while the LSO is 0, but at the LSO once committed
    eof = lib.Consumer({**conf, "isolation.level": "read_committed", "enable.partition.eof": True})
    eof.assign([TopicPartition("e", 0, 2)])
    seen["eof_open"] = poll_until(eof, lambda m: True, settle_s)
    tx.commit_transaction(10)
    m = poll_until(eof, lambda m: m.error() is not None)
    seen["eof_committed"] = (m.error().code(), m.offset())
    for c in (rc, ru, eof):
        c.close()
    for producer in (p, tx):
        producer.close()
    return seen


def test_eoslab_and_confluent_kafka_observe_the_same() -> None:
    expected = {
        "too_large": (10, "Unable to produce message: Broker: Message size too large"),
        "oft_rc": [0, 6, -1, -1],  # offset 10 (ts 500) is at the LSO: not for read_committed
        "oft_ru": [0, 6, 10, 10],
        "oft_twice": [10, 10],
        "read": [0, 1, 2, 3, 4, 5],
        "position_read": 6,
        "position_seek": -1001,
        "after_seek": 2,
        "position_next": 3,
        "commit_invalid": (-168, "Commit failed: Local: No offset stored"),
        "committed": 2,
        "eof_open": None,
        "eof_committed": (-191, 3),
    }

    def fresh() -> Cluster:
        cluster = Cluster()
        cluster.create_topics([("t", 1, 1), ("e", 1, 1)])
        return cluster

    in_process = fresh()
    assert script(eoslab_client, in_process.bootstrap_servers, 0.0) == expected

    served = fresh()
    server = WireServer(served, max_fetch_wait_ms=100).start()
    try:
        real = SimpleNamespace(
            Producer=confluent_kafka.Producer,
            Consumer=confluent_kafka.Consumer,
            TopicPartition=confluent_kafka.TopicPartition,
            KafkaException=confluent_kafka.KafkaException,
        )
        assert script(real, server.bootstrap_servers, 1.0) == expected
    finally:
        server.stop()
