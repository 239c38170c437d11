"""Fixtures for the wire tests: a cluster served on 127.0.0.1 (port 0), stopped after each test."""

from __future__ import annotations

import pytest

from eoslab import Cluster
from eoslab.wire import WireServer


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.create_topics([("t", 1, 1)])
    return c


@pytest.fixture
def server(cluster: Cluster, request: pytest.FixtureRequest) -> WireServer:
    s = WireServer(cluster, max_fetch_wait_ms=100).start()
    request.addfinalizer(s.stop)
    return s
