"""Fixtures for the wire tests: a cluster served on 127.0.0.1 (port 0), stopped after each test.

The `server` fixture keeps virtual time (clock="manual"), so the scenario tests move the clock
themselves and their journals do not depend on how fast the machine is; the real-time tests
(tests/wire/test_served_clock.py) start their own wall-clock server."""

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
    s = WireServer(cluster, max_fetch_wait_ms=100, clock="manual").start()
    request.addfinalizer(s.stop)
    return s
