"""Determinism of the journal (DESIGN: same script + seed -> same journal) and the broker's
browser-kernel safety (DESIGN: pure Python, no I/O, no wall clock, no threads, one seeded RNG)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import eoslab.broker
from eoslab.broker import Errors
from eoslab.broker.partition import READ_COMMITTED, READ_UNCOMMITTED

BROKER_DIR = Path(eoslab.broker.__file__).parent


def _script(kit, raw_producer, seed: int):
    """G1, G3, a fence (G14), a timeout (G15), idempotent writes, reads, id expiry (G26)."""
    cluster = kit.cluster({"t": 1, "t2": 2}, seed=seed)
    cluster.find_coordinator("tx")
    cluster.find_coordinator("g", "group")
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    tx.commit()
    tx.add(("t2", 0), ("t2", 1))
    tx.send("t2", 1, "b")
    tx.abort()
    tx.add(("t", 0))
    tx.send("t", 0, "c")
    zombie = raw_producer(cluster, "tx")
    zombie.init()
    zombie.init()
    tx.send("t", 0, "late")
    tx.commit(api_version=3)
    idem = cluster.init_producer_id(None)
    for seq in (0, 0, 2, 1):
        cluster.produce("t2", 0, kit.batch(idem.producer_id, 0, seq, f"i{seq}"))
    slow = raw_producer(cluster, "slow", timeout_ms=5_000)
    slow.init()
    slow.add(("t2", 1))
    slow.send("t2", 1, "s")
    cluster.advance(30_000)
    for isolation in (READ_COMMITTED, READ_UNCOMMITTED):
        cluster.fetch("t", 0, 0, isolation)
        cluster.fetch("t2", 1, 0, isolation)
        cluster.list_offsets("t2", 1, -1, isolation)
    cluster.advance(8 * 86_400_000)
    raw_producer(cluster, "tx").init()
    return cluster


def test_same_script_and_seed_give_identical_journals(kit, raw_producer):
    """DESIGN: two fresh clusters, same script, same seed -> the same journal, event for event."""
    first = _script(kit, raw_producer, seed=7)
    second = _script(kit, raw_producer, seed=7)
    assert first.bootstrap_servers != second.bootstrap_servers  # two distinct clusters
    lines = [e.describe() for e in first.journal]
    assert lines == [e.describe() for e in second.journal]
    assert len(lines) > 40
    assert kit.snapshot(first) == kit.snapshot(second)
    # every periodic job that did something is on the journal at its virtual time
    assert [
        (e.time_ms, e.result) for e in first.journal.events(api="abortTimedOutTransactions")
    ] == [(10_000, "aborted slow")]


def test_g1_journal_has_one_event_per_request_with_exact_results(kit, raw_producer):
    """G1 via raw requests: each request and each coordinator step is one journal event."""
    cluster = kit.cluster()
    cluster.find_coordinator("tx")
    tx = raw_producer(cluster, "tx")
    tx.init()
    tx.add(("t", 0))
    tx.send("t", 0, "a")
    assert tx.commit() == Errors.NONE
    cluster.fetch("t", 0, 0, READ_COMMITTED)
    cluster.fetch("t", 0, 0, READ_UNCOMMITTED)
    cluster.list_offsets("t", 0, -1, READ_COMMITTED)
    assert [(e.seq, e.time_ms, e.actor, e.api, e.result) for e in cluster.journal] == [
        (0, 0, "admin", "CreateTopics", "t: NONE"),
        (1, 0, "client", "FindCoordinator", "NONE node 1 (partition 16)"),
        (2, 0, "client", "InitProducerId", "NONE (pid 0, epoch 0)"),
        (3, 0, "client", "AddPartitionsToTxn", "NONE"),
        (4, 0, "client", "Produce", "NONE (offset 0)"),
        (5, 0, "client", "EndTxn", "NONE"),
        (6, 0, "txn-coordinator", "WriteTxnMarkers", "NONE"),
        (7, 0, "txn-coordinator", "CompleteTxn", "NONE"),
        (8, 0, "client", "Fetch", "NONE: offsets 0..1 in 2 batches (HW 2, LSO 2)"),
        (9, 0, "client", "Fetch", "NONE: offsets 0..1 in 2 batches (HW 2, LSO 2)"),
        (10, 0, "client", "ListOffsets", "NONE (offset 2)"),
    ]
    by_api = {e.api: e for e in cluster.journal}
    assert by_api["EndTxn"].args == {
        "transactional_id": "tx",
        "producer_id": 0,
        "producer_epoch": 0,
        "result": "COMMIT",
    }
    assert tuple(map(str, by_api["EndTxn"].effects)) == (
        "__transaction_state-16 offset 2: tx PrepareCommit (pid 0, epoch 0, partitions t-0)",
    )
    assert by_api["WriteTxnMarkers"].args == {
        "partition": "t-0",
        "producer_id": 0,
        "producer_epoch": 0,
        "result": "COMMIT",
        "coordinator_epoch": 0,
    }
    assert tuple(map(str, by_api["WriteTxnMarkers"].effects)) == (
        "t-0 offset 1: COMMIT marker (pid 0, epoch 0, coordinator epoch 0)",
    )
    assert tuple(map(str, by_api["CompleteTxn"].effects)) == (
        "__transaction_state-16 offset 3: tx CompleteCommit (pid 0, epoch 0)",
    )
    assert tuple(map(str, by_api["Produce"].effects)) == ("t-0 offsets 0..0 (transactional)",)


# -- browser kernel safety ---------------------------------------------------------------------------
FORBIDDEN_MODULES = {
    "threading",
    "_thread",
    "socket",
    "asyncio",
    "subprocess",
    "time",
    "multiprocessing",
    "concurrent",
    "select",
    "selectors",
    "signal",
    "ssl",
}
FORBIDDEN_CALLS = {
    ("time", "time"),
    ("time", "monotonic"),
    ("time", "sleep"),
    ("time", "perf_counter"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("os", "urandom"),
    ("uuid", "uuid1"),
    ("uuid", "uuid4"),
}
BROKER_FILES = sorted(BROKER_DIR.glob("*.py"))


def test_broker_package_files_are_found():
    """DESIGN (broker layer): guard for the scan below, which must really see the broker modules."""
    names = {p.name for p in BROKER_FILES}
    assert {"cluster.py", "partition.py", "records.py", "txn_coordinator.py"} <= names


@pytest.mark.parametrize("path", BROKER_FILES, ids=[p.name for p in BROKER_FILES])
def test_broker_module_imports_nothing_a_browser_kernel_lacks(path):
    """DESIGN: no threads, sockets, asyncio, subprocesses or wall clock in eoslab.broker."""
    tree = ast.parse(path.read_text(), filename=str(path))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert imported & FORBIDDEN_MODULES == set()


@pytest.mark.parametrize("path", BROKER_FILES, ids=[p.name for p in BROKER_FILES])
def test_broker_module_uses_no_wall_clock_and_only_seeded_random(path):
    """DESIGN: time is virtual; the only randomness is random.Random(seed) owned by the cluster."""
    source = path.read_text()
    tree = ast.parse(source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            assert pair not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} uses {pair}"
            if node.value.id == "random":
                # module-level helpers (random.random, random.choice, ...) share a global RNG
                assert node.attr == "Random", f"{path.name}:{node.lineno} uses random.{node.attr}"
        if isinstance(node, ast.ImportFrom) and node.module == "random":
            assert [a.name for a in node.names] == ["Random"], f"{path.name}: from random import"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Random"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "random"
        ):
            assert node.args or node.keywords, f"{path.name}:{node.lineno}: Random() without a seed"
    for text in ("time.time", "datetime.now", "random.random("):
        assert text not in source


def test_cluster_rng_is_seeded_from_the_cluster_seed(kit):
    """DESIGN: one seeded RNG owned by the cluster."""
    a, b = kit.cluster(seed=11), kit.cluster(seed=11)
    assert [a.rng.random() for _ in range(3)] == [b.rng.random() for _ in range(3)]
    assert a.seed == 11
