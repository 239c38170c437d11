"""Load against `eoslab serve --clock wall`: 10 transactional confluent-kafka producers at once
for EOSLAB_LOAD_SECONDS (20 by default), every fourth transaction aborted, while a
read_committed consumer reads along. Afterwards every committed record was read exactly once,
each producer's records in the order it sent them (per partition), and no aborted record at all."""

from __future__ import annotations

import os
import threading
import time

import pytest

from .served import Served

ck = pytest.importorskip("confluent_kafka")
SECONDS = float(os.environ.get("EOSLAB_LOAD_SECONDS", "20"))
PRODUCERS = 10
PARTITIONS = 3
TIMEOUT = 30.0


def run_producer(bootstrap: str, i: int, stop: threading.Event, out: dict, errors: list) -> None:
    """Transactions of 1..5 records to every partition until `stop`; `out` gets what was
    committed and what was aborted, as the producer was told."""
    p = ck.Producer(
        {
            "bootstrap.servers": bootstrap,
            "transactional.id": f"load-{i}",
            "linger.ms": 5,
            "log_level": 0,
        }
    )
    committed, aborted = [], []
    try:
        p.init_transactions(TIMEOUT)
        txn = 0
        while not stop.is_set():
            values = [
                f"{i}:{txn}:{j}:{part}" for j in range(1 + txn % 5) for part in range(PARTITIONS)
            ]
            p.begin_transaction()
            for v in values:
                p.produce("load", value=v.encode(), partition=int(v.rsplit(":", 1)[1]))
            if txn % 4 == 3:
                p.abort_transaction(TIMEOUT)
                aborted += values
            else:
                p.commit_transaction(TIMEOUT)
                committed += values
            txn += 1
    except Exception as e:  # any error fails the test: eoslab must not produce one
        errors.append(f"producer {i}: {e!r}")
    out[i] = (committed, aborted)


def test_ten_transactional_producers_read_committed_sees_each_commit_once(
    request: pytest.FixtureRequest,
) -> None:
    served = Served("--clock", "wall", "--topic", f"load:{PARTITIONS}")
    request.addfinalizer(served.stop)
    stop = threading.Event()
    results: dict[int, tuple[list[str], list[str]]] = {}
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=run_producer, args=(served.bootstrap_servers, i, stop, results, errors)
        )
        for i in range(PRODUCERS)
    ]
    c = ck.Consumer(
        {
            "bootstrap.servers": served.bootstrap_servers,
            "group.id": "load-reader",
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "log_level": 0,
        }
    )
    c.assign([ck.TopicPartition("load", p, 0) for p in range(PARTITIONS)])
    seen: list[tuple[int, int, str]] = []

    def read(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            m = c.poll(0.05)
            if m is not None:
                assert m.error() is None, m.error()
                seen.append((m.partition(), m.offset(), m.value().decode()))

    for t in threads:
        t.start()
    read(SECONDS)  # reads while transactions are open, commit and abort
    stop.set()
    for t in threads:
        t.join(TIMEOUT)
    assert errors == []
    committed = [v for i in range(PRODUCERS) for v in results[i][0]]
    aborted = {v for i in range(PRODUCERS) for v in results[i][1]}
    assert len(committed) > 100 and aborted  # the load did run, and did abort
    ends = [c.get_watermark_offsets(ck.TopicPartition("load", p), TIMEOUT)[1] for p in range(3)]

    def caught_up() -> bool:
        positions = c.position([ck.TopicPartition("load", p) for p in range(PARTITIONS)])
        return [tp.offset for tp in positions] == ends

    deadline = time.monotonic() + TIMEOUT
    while not caught_up() and time.monotonic() < deadline:
        read(0.2)
    c.close()
    values = [v for _, _, v in seen]
    assert not aborted & set(values)  # nothing aborted is visible
    assert sorted(values) == sorted(committed)  # every committed record, exactly once
    for p in range(PARTITIONS):  # each producer's records in the order it sent them
        in_partition = [v for part, _, v in sorted(seen) if part == p]
        for i in range(PRODUCERS):
            mine = [v for v in in_partition if v.startswith(f"{i}:")]
            sent = [v for v in results[i][0] if v.endswith(f":{p}")]
            assert mine == sent
