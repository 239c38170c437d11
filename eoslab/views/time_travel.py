"""Any view, as the cluster was after journal event N.

eoslab keeps no history besides the journal, and the cluster is deterministic, so the past is
rebuilt rather than stored: `cluster.replay(n)` replays the recorded requests into a fresh cluster.
Every view is a pure function of a cluster, so `log_dump(at_step(cluster, 5), "t", 0)` is the log
dump of that moment.
"""

from __future__ import annotations

from typing import Any

from .cluster_state import ClusterState


def at_step(cluster: ClusterState, n: int) -> Any:
    """A fresh cluster rebuilt by replaying `cluster`'s journal up to event `n`."""
    return cluster.replay(n)  # a real cluster's snapshot raises NotImplementedError
