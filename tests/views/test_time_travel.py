"""Views of the past: `at_step(cluster, n)` is the cluster rebuilt from its journal up to event n."""

from __future__ import annotations

import pytest

from eoslab.real import RealClusterSnapshot
from eoslab.views import at_step, log_dump, offset_timeline, transaction_log
from eoslab.views.cluster_state import ClusterState, ConsumerState
from tests.views.scenarios import g1, rows


def test_at_step_says_why_it_cannot_work_without_replay() -> None:
    with pytest.raises(NotImplementedError, match="replay"):
        at_step(RealClusterSnapshot("kafka:9092", 0), 3)  # a real cluster has no journal


def test_views_of_the_cluster_before_the_commit() -> None:
    """G1 after its Produce: "a" is open, no marker; after the marker it is committed."""
    cluster = g1()
    journal = list(cluster.journal)
    produced = next(e.seq for e in journal if e.api == "Produce")
    marker = next(e.seq for e in journal if e.api == "WriteTxnMarkers")
    before = at_step(cluster, produced)
    assert rows(log_dump(before, "t", 0), ["offset", "fate"]) == [(0, "open")]
    assert list(transaction_log(before, "tx")["state"]) == ["Empty", "Ongoing"]
    after = at_step(cluster, marker)
    assert rows(log_dump(after, "t", 0), ["offset", "fate"]) == [(0, "committed"), (1, "marker")]
    assert offset_timeline(after) is not None
    assert rows(log_dump(cluster, "t", 0), ["offset", "fate"]) == [(0, "committed"), (1, "marker")]


def test_the_embedded_cluster_and_a_real_clusters_snapshot_are_both_cluster_states() -> None:
    """Every view takes a `ClusterState`; both kinds of cluster are one."""
    cluster = g1()
    assert isinstance(cluster, ClusterState)
    assert isinstance(RealClusterSnapshot("kafka:9092", 0), ClusterState)
    consumers = [c for c in cluster.clients if isinstance(c, ConsumerState)]
    producers = [c for c in cluster.clients if not isinstance(c, ConsumerState)]
    assert [c.client_id for c in consumers] == []  # G1 has a producer only
    assert [type(p).__name__ for p in producers] == ["Producer"]
