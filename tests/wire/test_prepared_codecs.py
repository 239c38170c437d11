"""A server builds the codecs of the request versions clients send before its first request."""

from __future__ import annotations

import os
import subprocess
import sys

from eoslab.wire.handlers import API_VERSIONS, COMMON_VERSIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_prepared_versions_are_the_highest_and_librdkafkas() -> None:
    assert {key for key, _ in COMMON_VERSIONS} == {key for key, _, _, _ in API_VERSIONS}
    # Produce v8 and Fetch v11 (the highest served, below librdkafka's 10 and 16); AddPartitionsToTxn
    # v0 and EndTxn v1 (librdkafka's, rd_kafka_ApiVersion) beside their highest, v2
    assert {(0, 8), (1, 11), (24, 0), (24, 2), (26, 1), (26, 2)} <= set(COMMON_VERSIONS)
    assert (0, 3) not in COMMON_VERSIONS


def test_a_started_server_has_built_them() -> None:
    code = (
        "from eoslab import Cluster\n"
        "from eoslab.wire import WireServer, codec, handlers\n"
        "before = codec._layout.cache_info().currsize\n"
        "server = WireServer(Cluster()).start()\n"
        "schemas = {codec.request_schema(k, v) for k, v in handlers.COMMON_VERSIONS}\n"
        "print(before, codec._layout.cache_info().currsize >= len(schemas - {None}))\n"
        "server.stop()\n"
    )
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["0", "True"]
