"""One blocking connection to one broker of a real Kafka cluster, and the API versions the
snapshot speaks; every socket operation bounded by a timeout."""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from typing import Any

from eoslab.broker.internal_topics import CONSUMER_OFFSETS_TOPIC as CONSUMER_OFFSETS
from eoslab.broker.internal_topics import TRANSACTION_STATE_TOPIC as TRANSACTION_STATE

from ..wire import codec

CLIENT_ID = "eoslab-snapshot"
DEFAULT_TIMEOUT_S = 30.0  # the whole snapshot
REQUEST_TIMEOUT_S = 10.0  # one request and its response
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
PARTITION_FETCH_BYTES = 1024 * 1024
FETCH_MAX_BYTES = 16 * 1024 * 1024
FETCH_MAX_WAIT_MS = 100
DEFAULT_MAX_RECORDS = 1_000_000  # per partition; a longer log is fetched only from its tail
INTERNAL = (TRANSACTION_STATE, CONSUMER_OFFSETS)
DEFAULT_TXN_STATE_PARTITIONS = 50  # transaction.state.log.num.partitions
READ_UNCOMMITTED, READ_COMMITTED = 0, 1
_ISOLATION = {READ_UNCOMMITTED: "read_uncommitted", READ_COMMITTED: "read_committed"}
EARLIEST, LATEST = -2, -1

# api key -> (lowest, highest) version this client speaks; the broker's ApiVersions answer
# narrows it, and the highest common version is used. The caps keep topics addressed by name
# (Fetch 13+ uses topic ids; FindCoordinator 4+ batches keys).
API_METADATA, API_LIST_OFFSETS, API_FETCH, API_API_VERSIONS = 3, 2, 1, 18
API_FIND_COORDINATOR, API_OFFSET_FETCH, API_DESCRIBE_GROUPS, API_LIST_GROUPS = 10, 9, 15, 16
API_DESCRIBE_PRODUCERS, API_DESCRIBE_TRANSACTIONS, API_LIST_TRANSACTIONS = 61, 65, 66
CLIENT_VERSIONS: dict[int, tuple[int, int]] = {
    API_API_VERSIONS: (0, 0),
    API_METADATA: (1, 12),
    API_LIST_OFFSETS: (2, 7),
    API_FETCH: (4, 12),
    API_FIND_COORDINATOR: (1, 3),
    API_OFFSET_FETCH: (2, 9),
    API_DESCRIBE_GROUPS: (0, 5),
    API_LIST_GROUPS: (0, 4),
    API_DESCRIBE_PRODUCERS: (0, 0),
    API_DESCRIBE_TRANSACTIONS: (0, 0),
    API_LIST_TRANSACTIONS: (0, 1),
}
API_NAMES = {
    API_API_VERSIONS: "ApiVersions",
    API_METADATA: "Metadata",
    API_LIST_OFFSETS: "ListOffsets",
    API_FETCH: "Fetch",
    API_FIND_COORDINATOR: "FindCoordinator",
    API_OFFSET_FETCH: "OffsetFetch",
    API_DESCRIBE_GROUPS: "DescribeGroups",
    API_LIST_GROUPS: "ListGroups",
    API_DESCRIBE_PRODUCERS: "DescribeProducers",
    API_DESCRIBE_TRANSACTIONS: "DescribeTransactions",
    API_LIST_TRANSACTIONS: "ListTransactions",
}


class SnapshotError(Exception):
    """The cluster could not be read at all (no broker reachable, Metadata failed, timeout)."""


class UnsupportedApi(SnapshotError):
    """The broker advertises no version of an API that this client speaks."""


# -- one broker connection -----------------------------------------------------------------------------
class BrokerConnection:
    """A blocking Kafka connection: ApiVersions on connect, then one request at a time."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        deadline: float,
        request_timeout_s: float = REQUEST_TIMEOUT_S,
        client_id: str = CLIENT_ID,
    ) -> None:
        self.host, self.port = host, port
        self.deadline = deadline
        self.request_timeout_s = request_timeout_s
        self.client_id = client_id
        self._correlation = 0
        self.sock = socket.create_connection((host, port), timeout=self._timeout())
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            r = self.request(API_API_VERSIONS, {}, version=0)
            if int(r.error_code) != 0:
                raise SnapshotError(f"ApiVersions at {host}:{port}: error {int(r.error_code)}")
            self.broker_versions = {
                int(k.api_key): (int(k.min_version), int(k.max_version)) for k in r.api_keys
            }
        except BaseException:
            self.close()
            raise

    def _timeout(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise SnapshotError("the snapshot's timeout ran out")
        return min(self.request_timeout_s, left)

    def version(self, api_key: int) -> int | None:
        """The highest version both sides speak, or None."""
        mine = CLIENT_VERSIONS[api_key]
        theirs = self.broker_versions.get(api_key)
        if theirs is None:
            return None
        lo, hi = max(mine[0], theirs[0]), min(mine[1], theirs[1])
        return hi if lo <= hi else None

    def request(self, api_key: int, body: dict, version: int | None = None) -> Any:
        if version is None:
            version = self.version(api_key)
            if version is None:
                raise UnsupportedApi(
                    f"{API_NAMES[api_key]}: the broker at {self.host}:{self.port} advertises "
                    f"{self.broker_versions.get(api_key, 'no versions')}, this client speaks "
                    f"{CLIENT_VERSIONS[api_key]}"
                )
        self._correlation += 1
        frame = codec.encode_request(api_key, version, self._correlation, self.client_id, body)
        self.sock.settimeout(self._timeout())
        try:
            self.sock.sendall(frame)
            size = struct.unpack(">i", self._read(4))[0]
            if not 4 <= size <= MAX_RESPONSE_BYTES:
                raise SnapshotError(f"{API_NAMES[api_key]}: response size {size}")
            data = self._read(size)
        except TimeoutError as e:
            raise SnapshotError(
                f"{API_NAMES[api_key]} v{version} to {self.host}:{self.port}: no answer in time"
            ) from e
        except OSError as e:
            raise SnapshotError(
                f"{API_NAMES[api_key]} v{version} to {self.host}:{self.port}: {e}"
            ) from e
        correlation, response = codec.decode_response(data, api_key, version)
        if correlation != self._correlation:
            raise SnapshotError(
                f"{API_NAMES[api_key]}: correlation id {correlation}, expected {self._correlation}"
            )
        return response

    def _read(self, n: int) -> bytes:
        chunks = []
        while n:
            self.sock.settimeout(self._timeout())
            chunk = self.sock.recv(min(n, 1 << 20))
            if not chunk:
                raise SnapshotError(f"{self.host}:{self.port} closed the connection")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


# -- what the views read ------------------------------------------------------------------------------
