"""The golden scenarios with aiokafka over the wire."""

from __future__ import annotations

import asyncio

import pytest

from eoslab import Cluster
from eoslab.wire import WireServer
from tests.conftest import aborted_index, log_layout, offsets

aiokafka = pytest.importorskip("aiokafka")
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from aiokafka.errors import KafkaError  # noqa: E402

TIMEOUT = 10.0


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


async def read_all(server: WireServer, isolation: str, end: int, topic: str = "t"):
    c = AIOKafkaConsumer(
        bootstrap_servers=server.bootstrap_servers,
        isolation_level=isolation,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=50,
    )
    await c.start()
    tp = TopicPartition(topic, 0)
    c.assign([tp])
    c.seek(tp, 0)
    out = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        batch = await c.getmany(timeout_ms=50)
        for records in batch.values():
            out += [(r.offset, r.value.decode()) for r in records]
        if not batch and await c.position(tp) >= end:
            break
    position = await c.position(tp)
    await c.stop()
    return out, position


def test_commit_abort_and_reads(cluster: Cluster, server: WireServer) -> None:
    async def scenario():
        p = AIOKafkaProducer(bootstrap_servers=server.bootstrap_servers, transactional_id="tx")
        await p.start()
        async with p.transaction():
            await p.send_and_wait("t", b"a", partition=0)
        await p.begin_transaction()
        await p.send_and_wait("t", b"b", partition=0)
        await p.abort_transaction()
        await p.stop()
        rc = await read_all(server, "read_committed", 4)
        ru = await read_all(server, "read_uncommitted", 4)
        return rc, ru

    rc, ru = run(scenario())
    assert log_layout(cluster) == [
        (0, "tx", 0, 0, 0, "a"),
        (1, "COMMIT", 0, 0),
        (2, "tx", 0, 0, 1, "b"),
        (3, "ABORT", 0, 0),
    ]
    assert offsets(cluster) == (4, 4, 4)
    assert aborted_index(cluster) == [(0, 2, 3, 4)]
    # aiokafka steps over the trailing ABORT marker too: position 4
    assert rc == ([(0, "a")], 4)
    assert ru == ([(0, "a"), (2, "b")], 4)


def test_open_transaction_blocks_read_committed(cluster: Cluster, server: WireServer) -> None:
    async def scenario():
        p = AIOKafkaProducer(bootstrap_servers=server.bootstrap_servers, transactional_id="tx")
        await p.start()
        await p.begin_transaction()
        await p.send_and_wait("t", b"a", partition=0)
        c = AIOKafkaConsumer(
            bootstrap_servers=server.bootstrap_servers,
            isolation_level="read_committed",
            fetch_max_wait_ms=50,
        )
        await c.start()
        tp = TopicPartition("t", 0)
        c.assign([tp])
        c.seek(tp, 0)
        empty = await c.getmany(timeout_ms=300)
        lso = (await c.end_offsets([tp]))[tp]
        await p.commit_transaction()
        got = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not got and loop.time() < deadline:
            for records in (await c.getmany(timeout_ms=50)).values():
                got += [(r.offset, r.value) for r in records]
        await c.stop()
        await p.stop()
        return empty, lso, got

    empty, lso, got = run(scenario())
    assert empty == {}
    assert lso == 0
    assert got == [(0, b"a")]


def test_zombie_fenced_and_timeout(cluster: Cluster, server: WireServer) -> None:
    async def scenario():
        a = AIOKafkaProducer(bootstrap_servers=server.bootstrap_servers, transactional_id="tx")
        await a.start()
        await a.begin_transaction()
        await a.send_and_wait("t", b"a", partition=0)
        b = AIOKafkaProducer(bootstrap_servers=server.bootstrap_servers, transactional_id="tx")
        await b.start()  # InitProducerId fences a
        layout = log_layout(cluster)
        error = None
        try:
            await a.commit_transaction()
        except KafkaError as e:
            error = e
        await b.stop()
        await a.stop()
        return layout, error

    layout, error = run(scenario())
    assert layout == [(0, "tx", 0, 0, 0, "a"), (1, "ABORT", 0, 1)]
    assert error is not None
    assert offsets(cluster) == (2, 2, 2)


@pytest.mark.parametrize("subscribe", [False, True])
def test_consume_process_produce(cluster: Cluster, server: WireServer, subscribe: bool) -> None:
    """aiokafka's send_offsets_to_transaction takes a group id only (TxnOffsetCommit v0)."""
    cluster.create_topics([("in", 1, 1), ("out", 1, 1)])

    async def scenario():
        bs = server.bootstrap_servers
        src = AIOKafkaProducer(bootstrap_servers=bs)
        await src.start()
        await src.send_and_wait("in", b"x", partition=0)
        await src.send_and_wait("in", b"y", partition=0)
        await src.stop()
        c = AIOKafkaConsumer(
            *(["in"] if subscribe else []),
            bootstrap_servers=bs,
            group_id="app",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            fetch_max_wait_ms=50,
        )
        await c.start()
        if not subscribe:
            c.assign([TopicPartition("in", 0)])
        got = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while len(got) < 2 and loop.time() < deadline:
            for records in (await c.getmany(timeout_ms=50)).values():
                got += records
        p = AIOKafkaProducer(bootstrap_servers=bs, transactional_id="app-tx")
        await p.start()
        async with p.transaction():
            for r in got:
                await p.send("out", r.value.upper(), partition=0)
            await p.send_offsets_to_transaction({TopicPartition("in", 0): 2}, "app")
            pending = cluster.group_coordinator.committed("app", "in", 0)
        committed = await c.committed(TopicPartition("in", 0))
        await p.stop()
        await c.stop()
        return [r.value for r in got], pending, committed

    values, pending, committed = run(scenario())
    assert values == [b"x", b"y"]
    assert pending is None
    assert committed == 2
    assert cluster.group_coordinator.committed("app", "in", 0) == 2
    assert [row[1] for row in log_layout(cluster, "out")] == ["tx", "tx", "COMMIT"]
