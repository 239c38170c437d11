"""`eoslab snapshot` from the command line: what it prints, and what it says it could not read."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.cli import main
from eoslab.wire import WireServer
from tests.conftest import txn_producer


def _one_commit(cluster: Cluster) -> None:
    p = txn_producer(cluster)
    p.init_transactions()
    p.begin_transaction()
    p.produce("t", value="a")
    p.commit_transaction()


def test_without_internal_it_says_to_pass_internal(capsys: pytest.CaptureFixture[str]) -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    _one_commit(cluster)
    with WireServer(cluster) as server:
        assert main(["snapshot", server.bootstrap_servers, "--timeout", "10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("unavailable:")] == [
        "unavailable: txn_last_update_timestamp: "
        "__transaction_state was not read: pass --internal (internal=True in Python)",
        "unavailable: pending offsets: "
        "__consumer_offsets was not read: pass --internal (internal=True in Python)",
    ]


def test_with_internal_the_transaction_log_is_dumped(capsys: pytest.CaptureFixture[str]) -> None:
    cluster = Cluster()
    cluster.create_topics([("t", 1, 1)])
    _one_commit(cluster)
    with WireServer(cluster) as server:
        assert main(["snapshot", server.bootstrap_servers, "--internal", "--timeout", "10"]) == 0
    out = capsys.readouterr().out
    # no group has committed, so the cluster has no __consumer_offsets yet
    assert [line for line in out.splitlines() if line.startswith("unavailable:")] == [
        "unavailable: pending offsets: the cluster has no __consumer_offsets topic (in its Metadata)"
    ]
    partition = cluster.txn_coordinator.partition_for("tx")
    assert f"Dumping __transaction_state-{partition} (log end offset 4)" in out
    assert "Dumping t-0 (log end offset 2)" in out
